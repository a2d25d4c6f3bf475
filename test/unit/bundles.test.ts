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
