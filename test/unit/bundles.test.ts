/** What the built bundles may contain: tfjs only in the webview; no network code in the extension host. */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

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

describe("the package's ./core export", () => {
  it("is a CommonJS module whose analyze() returns the CLI's JSON (without file), with type declarations", () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const core = require('layerlens/core') as typeof import('../../src/core');
    const result = core.analyze(readFileSync(join(__dirname, '..', '..', 'examples', 'mnist_convnet.py'), 'utf8'));
    assert.equal(result.models[0].totalParams, 93322);
    assert.ok(readFileSync(join(__dirname, '..', '..', 'dist', 'types', 'core', 'index.d.ts'), 'utf8').includes('analyze'));
  });
});
