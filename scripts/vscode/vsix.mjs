// The .vsix that `npm run package` makes: what `npm start`, `npm run test:integration` and `npm run test:e2e`
// install (with `code-server --install-extension`, as a user does), so that what is tested is what ships.
//
// `ensureVsix()` packages `layerlens-<version>.vsix` unless one exists that is newer than every file it is made
// from (PACKAGE_INPUTS); `npm test` packages first, so its suites reuse that one file.
// `prepareExtension()` says what to install: that .vsix, or what LAYERLENS_VSIX / LAYERLENS_EXTENSION_DIR name.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from './paths.mjs';

/** Files and folders the .vsix is built or copied from: when one is newer than the .vsix, it is packaged again. */
export const PACKAGE_INPUTS = [
  'src',
  'webview',
  'media',
  'package.json',
  'package-lock.json',
  'README.md',
  'LICENSE',
  '.vscodeignore',
  'esbuild.config.mjs',
  'tsconfig.json',
  'tsconfig.types.json',
];

/** `<repo>/<name>-<version>.vsix`, the file `npm run package` (vsce) writes. */
export function vsixPath(root = repoRoot) {
  const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
  return path.join(root, `${pkg.name}-${pkg.version}.vsix`);
}

function newestFile(root, rel, best) {
  const abs = path.join(root, rel);
  let st;
  try {
    st = statSync(abs);
  } catch {
    return best;
  }
  if (st.isDirectory()) {
    for (const e of readdirSync(abs)) if (e !== 'node_modules' && e !== '__pycache__') best = newestFile(root, path.join(rel, e), best);
    return best;
  }
  return !best || st.mtimeMs > best.mtimeMs ? { file: rel, mtimeMs: st.mtimeMs } : best;
}

/** Why the .vsix must be packaged again (it is missing, or which input is newer), or null when it is fresh. */
export function vsixStaleReason(vsix = vsixPath(), root = repoRoot) {
  const name = path.basename(vsix);
  if (!existsSync(vsix)) return `${name} does not exist`;
  const built = statSync(vsix).mtimeMs;
  let newest;
  for (const input of PACKAGE_INPUTS) newest = newestFile(root, input, newest);
  if (newest && newest.mtimeMs > built) return `${newest.file} is newer than ${name}`;
  return null;
}

/** `npm run package`: a production build into dist/ and the .vsix. Returns the .vsix's path. `quiet`: its output only on failure. */
export function packageVsix({ log = console.log, quiet = false } = {}) {
  log('$ npm run package');
  const t0 = Date.now();
  const r = spawnSync('npm', ['run', '--silent', 'package'], { cwd: repoRoot, stdio: quiet ? 'pipe' : 'inherit', encoding: 'utf8' });
  if (r.error || r.status !== 0)
    throw new Error(`npm run package failed (${r.error?.message ?? `exit ${r.status ?? r.signal}`})${quiet ? `:\n${r.stdout}${r.stderr}` : ''}`);
  const vsix = vsixPath();
  if (!existsSync(vsix)) throw new Error(`npm run package did not write ${path.basename(vsix)}`);
  log(`packaged ${path.basename(vsix)} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return vsix;
}

/**
 * This repo's `layerlens-<version>.vsix`: the existing file when it is newer than all of PACKAGE_INPUTS (or when
 * `build` is false), else packaged now.
 */
export function ensureVsix({ log = console.log, build = true, quiet = false } = {}) {
  const vsix = vsixPath();
  const stale = vsixStaleReason(vsix);
  if (!stale) {
    log(`using ${path.basename(vsix)} (newer than its sources)`);
    return vsix;
  }
  if (!build) {
    if (!existsSync(vsix)) throw new Error(`${stale}; run npm run package`);
    log(`using ${path.basename(vsix)} as it is, although ${stale.replace(/ is newer than .*/, ' is newer')}`);
    return vsix;
  }
  log(`packaging: ${stale}`);
  return packageVsix({ log, quiet });
}

/**
 * What to install as "LayerLens": `{ kind: 'vsix', path }` (this repo's .vsix from ensureVsix, or the file named by
 * LAYERLENS_VSIX, installed as it is) or `{ kind: 'folder', path }` (an unpacked, already built extension folder
 * named by LAYERLENS_EXTENSION_DIR, for checking the harness with another extension).
 */
export function prepareExtension({ log = console.log, build = true } = {}) {
  const folder = process.env.LAYERLENS_EXTENSION_DIR;
  if (folder) {
    const dir = path.resolve(folder);
    if (!existsSync(path.join(dir, 'package.json'))) throw new Error(`LAYERLENS_EXTENSION_DIR=${folder}: no package.json there`);
    log(`using the extension folder ${dir} (LAYERLENS_EXTENSION_DIR), not this repo's .vsix`);
    return { kind: 'folder', path: dir };
  }
  const file = process.env.LAYERLENS_VSIX;
  if (file) {
    const vsix = path.resolve(file);
    if (!existsSync(vsix)) throw new Error(`LAYERLENS_VSIX=${file}: no such file`);
    log(`using ${vsix} (LAYERLENS_VSIX) as it is`);
    return { kind: 'vsix', path: vsix };
  }
  return { kind: 'vsix', path: ensureVsix({ log, build }) };
}
