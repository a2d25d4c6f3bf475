/**
 * The activation webview's page: one script, a strict CSP with a nonce, no `unsafe-eval` or `unsafe-inline`
 * (`'wasm-unsafe-eval'` only, for tfjs' WASM backend: see contentSecurityPolicy).
 */

export interface WebviewHtmlOptions {
  /** `webview.cspSource`: where the webview may load the bundle and images from. */
  cspSource: string;
  scriptUri: string;
  /** The bundled MNIST digits (dist/mnist.bin.gz), which the webview fetches when the user trains. */
  digitsUri: string;
  /** The bundled Fashion-MNIST subset (dist/fashion.bin.gz), likewise. */
  clothesUri: string;
  /** The folder of tfjs' WASM binaries (dist/, ending in `/`), which the webview fetches when the WASM backend starts. */
  wasmUri: string;
  nonce: string;
}

export function newNonce(): string {
  const chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  return Array.from({ length: 32 }, () => chars[Math.floor(Math.random() * chars.length)]).join('');
}

/**
 * `connect-src`: the webview fetches the bundled digits and clothes and tfjs' WASM binaries from the extension's own folder, and
 * nothing else.
 * `'wasm-unsafe-eval'` (in script-src only): compiling WebAssembly is an "eval" to CSP, so without it
 * `WebAssembly.instantiate` is refused and tfjs' WASM backend, which trains the book's convnet tens of times faster
 * than software WebGL here, cannot start. It allows compiling WebAssembly modules and nothing else: JavaScript's
 * `eval` and `new Function` stay refused (no `'unsafe-eval'`), and the only binaries the page can fetch are the
 * extension's own (connect-src).
 */
export function contentSecurityPolicy({ cspSource, nonce }: Pick<WebviewHtmlOptions, 'cspSource' | 'nonce'>): string {
  return [
    `default-src 'none'`,
    `script-src 'nonce-${nonce}' 'wasm-unsafe-eval'`,
    `style-src ${cspSource} 'nonce-${nonce}'`,
    `img-src ${cspSource} blob: data:`,
    `connect-src ${cspSource}`,
  ].join('; ');
}

export function webviewHtml(o: WebviewHtmlOptions): string {
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy(o)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>LayerLens activations</title>
</head><body>
<ll-app data-digits="${o.digitsUri}" data-clothes="${o.clothesUri}" data-wasm="${o.wasmUri}"></ll-app>
<script nonce="${o.nonce}" src="${o.scriptUri}"></script>
</body></html>`;
}
