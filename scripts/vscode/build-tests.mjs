// esbuild builds for the integration tests: the code-server test-host extension (with mocha bundled), the suites,
// and the @vscode/test-electron entry point. `vscode` stays external: the extension host provides it.
import * as esbuild from 'esbuild';
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { repoRoot } from './paths.mjs';

const integrationDir = path.join(repoRoot, 'test', 'integration');
export const suitesSrcDir = path.join(integrationDir, 'suites');
export const hostSrcDir = path.join(integrationDir, 'host');

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: 'inline',
  external: ['vscode'],
  logLevel: 'warning',
  // mocha's parallel mode (worker files found with require.resolve) is never used here.
  logOverride: { 'require-resolve-not-external': 'silent' },
};

export function suiteEntryPoints() {
  if (!existsSync(suitesSrcDir)) return [];
  return readdirSync(suitesSrcDir)
    .filter((f) => f.endsWith('.test.ts'))
    .sort()
    .map((f) => path.join(suitesSrcDir, f));
}

/** Bundles each suite to `<outDir>/<name>.test.js` (CommonJS, mocha's globals and `vscode` left to the host). */
export async function buildSuites(outDir) {
  const entryPoints = suiteEntryPoints();
  if (entryPoints.length === 0) throw new Error(`no suites (*.test.ts) in ${path.relative(repoRoot, suitesSrcDir)}`);
  rmSync(outDir, { recursive: true, force: true });
  await esbuild.build({ ...common, entryPoints, outdir: outDir, external: ['vscode', 'mocha'] });
  return entryPoints.map((f) => path.join(outDir, path.basename(f).replace(/\.ts$/, '.js')));
}

/** Builds the test-host extension into `extDir` (package.json, dist/host.js) with the suites in `extDir/suites`. */
export async function buildHostExtension(extDir) {
  rmSync(extDir, { recursive: true, force: true });
  mkdirSync(path.join(extDir, 'dist'), { recursive: true });
  copyFileSync(path.join(hostSrcDir, 'package.json'), path.join(extDir, 'package.json'));
  await esbuild.build({ ...common, entryPoints: [path.join(hostSrcDir, 'src', 'host.ts')], outfile: path.join(extDir, 'dist', 'host.js') });
  const suites = await buildSuites(path.join(extDir, 'suites'));
  return { dir: extDir, suites };
}

/** Builds the @vscode/test-electron entry (`extensionTestsPath`) to `<outDir>/electron/index.js` and the suites to `<outDir>/suites`. */
export async function buildElectronTests(outDir) {
  await esbuild.build({ ...common, entryPoints: [path.join(integrationDir, 'electron', 'index.ts')], outfile: path.join(outDir, 'electron', 'index.js') });
  const suites = await buildSuites(path.join(outDir, 'suites'));
  return { index: path.join(outDir, 'electron', 'index.js'), suites };
}

/**
 * `npm run build` of the repo (LayerLens's dist/extension.js, when src/extension.ts exists), for run-electron.mjs,
 * which loads the repo as an extension under development. The other runners install the .vsix (vsix.mjs).
 */
export function buildExtension({ log = console.log } = {}) {
  log('$ npm run build');
  const t0 = Date.now();
  const r = spawnSync('npm', ['run', '--silent', 'build'], { cwd: repoRoot, stdio: 'inherit' });
  if (r.error || r.status !== 0) throw new Error(`npm run build failed (${r.error?.message ?? `exit ${r.status}`})`);
  const bundle = path.join(repoRoot, 'dist', 'extension.js');
  if (!existsSync(bundle))
    throw new Error(
      `npm run build did not produce dist/extension.js (${existsSync(path.join(repoRoot, 'src', 'extension.ts')) ? 'check esbuild.config.mjs' : 'src/extension.ts does not exist yet'})`,
    );
  log(`built in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}
