/** What the built bundles may contain: tfjs only in the webview; no network code in the extension host. */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BuildOptions, Metafile } from 'esbuild';

const dist = (f: string) => readFileSync(join(__dirname, '..', '..', 'dist', f), 'utf8');

describe('bundles', () => {
  it('the extension host bundle holds no TensorFlow.js (it belongs to the webview bundle)', () => {
    const host = dist('extension.js');
    assert.ok(!/tfjs-core|@tensorflow|MathBackendWebGL/.test(host), 'extension.js mentions tfjs');
    assert.ok(/MathBackendWebGL|webgl/i.test(dist('webview.js')), 'webview.js carries tfjs');
  });

  it('the extension and the CLI make no network requests: no http, https, net or fetch in their bundles', () => {
    for (const f of ['extension.js', 'cli.js', 'core.js']) {
      const code = dist(f);
      assert.ok(!/require\(["'](?:node:)?(?:https?|net|tls|dgram|http2)["']\)/.test(code), `${f} requires a network module`);
      assert.ok(!/\bfetch\(|XMLHttpRequest|WebSocket\(/.test(code), `${f} calls fetch/XMLHttpRequest/WebSocket`);
    }
  });
});

describe('declared packages', () => {
  const root = join(__dirname, '..', '..');
  /** `@tensorflow/tfjs-core/dist/x` → `@tensorflow/tfjs-core`; `lit/decorators.js` → `lit`. */
  const packageOf = (specifier: string) =>
    specifier
      .split('/')
      .slice(0, specifier.startsWith('@') ? 2 : 1)
      .join('/');

  it("every package a bundle's own code imports is one of package.json's dependencies (npm ci installs it, not a transitive one by luck)", async () => {
    const esbuild = await import('esbuild');
    const { builds } = (await import(pathToFileURL(join(root, 'esbuild.config.mjs')).href)) as { builds: BuildOptions[] };
    const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    const builtins = new Set(builtinModules);
    const undeclared = new Set<string>();
    for (const b of builds) {
      const { metafile } = (await esbuild.build({ ...b, write: false, metafile: true, minify: false, sourcemap: false, plugins: [], logLevel: 'silent' })) as {
        metafile: Metafile;
      };
      for (const [file, input] of Object.entries(metafile.inputs)) {
        if (file.includes('node_modules/')) continue; // a package's own imports are its manifest's business
        for (const imp of input.imports) {
          const spec = imp.original ?? '';
          if (!spec || spec.startsWith('.') || spec.startsWith('node:') || builtins.has(spec) || imp.external) continue;
          const pkg = packageOf(spec);
          if (!(pkg in manifest.dependencies)) undeclared.add(`${pkg} (imported by ${file}, bundle ${String(b.outfile)})`);
        }
      }
    }
    assert.ok(
      builds.some((b) => String(b.outfile).endsWith('webview.js')),
      'the webview bundle is among the builds',
    );
    assert.deepEqual([...undeclared], []);
  }).timeout(120_000);
});

describe("the package's ./core export", () => {
  it("is a CommonJS module whose analyze() returns the analysis the CLI's JSON shows, with type declarations", () => {
    const core = require('layerlens/core') as typeof import('../../src/core');
    const result = core.analyze(readFileSync(join(__dirname, '..', '..', 'examples', 'mnist_convnet.py'), 'utf8'));
    assert.equal(result.models[0].totalParams, 93322);
    assert.ok(readFileSync(join(__dirname, '..', '..', 'dist', 'types', 'core', 'index.d.ts'), 'utf8').includes('analyze'));
  });
});
