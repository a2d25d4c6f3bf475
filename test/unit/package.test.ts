/**
 * What ships: the .vsix that `npm run package` writes, read as the zip it is.
 *
 * `npm test` packages first and names the file in LAYERLENS_VSIX, so this reads that one file, the one the
 * integration and e2e runs install. Run alone (`npm run test:unit`, `npx mocha`), the `before` hook packages it when
 * it is missing or older than its sources (scripts/vscode/vsix.mjs, the same check the runners make before
 * installing it; about 10 s), so the list is never a stale one.
 */
import { strict as assert } from 'node:assert';
import { builtinModules } from 'node:module';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { unzipSync } from 'fflate';

const root = join(__dirname, '..', '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  name: string;
  version: string;
  publisher: string;
  main: string;
  icon: string;
  bin: Record<string, string>;
  exports: Record<string, string | Record<string, string>>;
  types: string;
};

interface VsixModule {
  vsixPath(): string;
  ensureVsix(o?: { log?: (m: string) => void; quiet?: boolean }): string;
}

/** Every .ts file under a folder of the repo. */
function sources(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

describe('the packaged extension (.vsix)', function () {
  this.timeout(180_000);
  let vsix: string;
  let zip: Record<string, Uint8Array>;
  /** The extension's own files, relative to the extension folder (`extension/` in the zip). */
  let files: string[];
  const text = (f: string) => Buffer.from(zip[`extension/${f}`]).toString('utf8');

  before(async () => {
    const mod = (await import(pathToFileURL(join(root, 'scripts', 'vscode', 'vsix.mjs')).href)) as VsixModule;
    vsix = process.env.LAYERLENS_VSIX ? resolve(process.env.LAYERLENS_VSIX) : mod.ensureVsix({ log: () => undefined, quiet: true });
    zip = unzipSync(readFileSync(vsix));
    files = Object.keys(zip)
      .filter((f) => f.startsWith('extension/') && !f.endsWith('/'))
      .map((f) => f.slice('extension/'.length))
      .sort();
  });

  it('is layerlens-<version>.vsix, a VS Code package whose manifest names this publisher, name and version', () => {
    assert.equal(basename(vsix), `${pkg.name}-${pkg.version}.vsix`);
    assert.ok(zip['extension.vsixmanifest'] && zip['[Content_Types].xml'], 'extension.vsixmanifest and [Content_Types].xml');
    const manifest = Buffer.from(zip['extension.vsixmanifest']).toString('utf8');
    assert.match(manifest, new RegExp(`<Identity [^>]*Id="${pkg.name}" Version="${pkg.version.replace(/\./g, '\\.')}" Publisher="${pkg.publisher}"`));
    const shipped = JSON.parse(text('package.json')) as typeof pkg;
    assert.equal(shipped.version, pkg.version);
    assert.equal(shipped.main, pkg.main);
  });

  it('holds what the extension, the CLI and the ./core export need', () => {
    const required = [
      'package.json',
      'readme.md',
      'LICENSE.txt',
      'dist/extension.js',
      'dist/webview.js',
      'dist/cli.js',
      'dist/core.js',
      'dist/mnist.bin.gz',
      'dist/fashion.bin.gz',
      'dist/tfjs-backend-wasm-simd.wasm',
      'dist/tfjs-backend-wasm.wasm',
      'dist/types/core/index.d.ts',
      'media/icon.png',
    ];
    for (const f of required) assert.ok(files.includes(f), `${f} is missing from ${basename(vsix)}`);
    // Every path package.json points to: main, icon, bin, exports, types.
    const exportTargets = Object.values(pkg.exports).flatMap((v) => (typeof v === 'string' ? [v] : Object.values(v)));
    for (const p of [pkg.main, pkg.icon, ...Object.values(pkg.bin), ...exportTargets, pkg.types]) {
      const f = p.replace(/^\.\//, '');
      assert.ok(files.includes(f), `package.json points to ${p}, which is not packaged`);
    }
  });

  it('holds every file the extension opens from its own folder (joinPath(extensionUri, ...) in src/)', () => {
    const needed = new Set<string>();
    for (const f of sources('src')) {
      for (const m of readFileSync(join(root, f), 'utf8').matchAll(/joinPath\(\s*(?:this\.)?extensionUri\s*,((?:\s*'[^']*'\s*,?)+)\)/g))
        needed.add([...m[1].matchAll(/'([^']*)'/g)].map((x) => x[1]).join('/'));
    }
    assert.ok(needed.has('dist/webview.js') && needed.has('media/icon.png'), `found ${[...needed].join(', ')}`);
    for (const n of needed) {
      if (/\.\w+$/.test(n)) assert.ok(files.includes(n), `the extension loads ${n}, which is not packaged`);
      else
        assert.ok(
          files.some((f) => f.startsWith(`${n}/`)),
          `the extension reads from ${n}/, which is empty in the package`,
        );
    }
  });

  it('holds every image the README shows, so its page in the Extensions view has them (relative links, no invented URL)', () => {
    const images = [...readFileSync(join(root, 'README.md'), 'utf8').matchAll(/!\[[^\]]*\]\(([^)\s]+)\)/g)].map((m) => m[1]);
    assert.ok(images.length > 0);
    for (const image of images) assert.ok(files.includes(image), `the README shows ${image}, which the package lacks`);
  });

  it('holds nothing else: no sources, tests, caches, source maps, other screenshots or node_modules', () => {
    const shown = new Set([...readFileSync(join(root, 'README.md'), 'utf8').matchAll(/!\[[^\]]*\]\(([^)\s]+)\)/g)].map((m) => m[1]));
    const allowed = [
      /^package\.json$/,
      /^readme\.md$/,
      /^LICENSE\.txt$/,
      /^dist\/[^/]+\.js$/,
      /^dist\/mnist\.bin\.gz$/,
      /^dist\/fashion\.bin\.gz$/,
      // tfjs' WASM backend: the SIMD build and the plain one (not the threaded one: a webview cannot use threads).
      /^dist\/tfjs-backend-wasm(-simd)?\.wasm$/,
      /^dist\/types\/.+\.d\.ts$/,
      /^media\/icon\.png$/,
      { test: (f: string) => shown.has(f) },
    ];
    const extra = files.filter((f) => !allowed.some((r) => r.test(f)));
    assert.deepEqual(extra, [], `unexpected files in ${basename(vsix)}`);
    for (const f of files) {
      assert.ok(!/^(src|test|webview|scripts|examples|bench|node_modules|\.cache|\.vscode|test-results)\//.test(f), f);
      assert.ok(!f.endsWith('.map'), `${f}: a source map`);
    }
  });

  it('bundles are self-contained and production builds: minified, no source map reference, require only Node and vscode', () => {
    const allowed = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`), 'vscode']);
    for (const f of files.filter((x) => /^dist\/[^/]+\.js$/.test(x))) {
      const code = text(f);
      assert.ok(!/sourceMappingURL/.test(code.slice(-2000)), `${f} refers to a source map`);
      const longest = Math.max(...code.split('\n').map((l) => l.length));
      assert.ok(longest > 10_000, `${f} does not look minified (longest line ${longest} characters)`);
      // --no-dependencies: node_modules is not packaged, so anything else required would fail to load.
      const required = [...code.matchAll(/\brequire\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1]);
      const foreign = required.filter((r) => !allowed.has(r));
      assert.deepEqual(foreign, [], `${f} requires modules that are not packaged`);
    }
  });

  it('ships the README as it is in the repository (links not rewritten to a guessed repository URL)', () => {
    assert.equal(text('readme.md'), readFileSync(join(root, 'README.md'), 'utf8'));
  });

  it("stays small: under 5 MB compressed (the bundles, the README's screenshots, the MNIST digits, 1.6 MB, Fashion-MNIST's 3,000 images, 1.3 MB, and the two WASM binaries, 0.25 MB)", () => {
    const size = statSync(vsix).size;
    assert.ok(size < 5 * 1024 * 1024, `${basename(vsix)} is ${(size / 1024).toFixed(0)} KB`);
  });
});
