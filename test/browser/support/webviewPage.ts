/**
 * The activation webview in a real headless Chromium (Debian's, driven by playwright-core), loaded exactly as
 * VS Code loads it: the same HTML and CSP, the built dist/webview.js, and a stand-in for VS Code's
 * `acquireVsCodeApi` that records what the webview posts and lets the test send host messages.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import { chromium, type Browser, type Page } from 'playwright-core';
import { webviewHtml } from '../../../src/panel/webviewHtml';
import type { HostMessage, WebviewMessage } from '../../../src/protocol';

const ROOT = join(__dirname, '..', '..', '..');
const ORIGIN = 'https://webview.layerlens.test';
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
];

export async function launch(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: [...CHROMIUM_ARGS, ...extraArgs] });
}

export interface WebviewPage {
  page: Page;
  posted(): Promise<WebviewMessage[]>;
  send(message: HostMessage | unknown): Promise<void>;
  /** The first message of `type` posted after the first `after` ones, waiting up to `timeout` ms (30 s). */
  waitForPosted<T extends WebviewMessage['type']>(type: T, after?: number, timeout?: number): Promise<Extract<WebviewMessage, { type: T }>>;
  cspViolations(): Promise<string[]>;
  /** Requests that left the page for anything but the webview's own origin. */
  outsideRequests: string[];
}

/** Page script that makes WebGL unavailable, as on a machine without it: every WebGL context request returns null. */
export const NO_WEBGL = `for (const C of [HTMLCanvasElement, globalThis.OffscreenCanvas].filter(Boolean)) {
  const original = C.prototype.getContext;
  C.prototype.getContext = function (kind, ...rest) { return /webgl/.test(kind) ? null : original.call(this, kind, ...rest); };
}`;

/** Page script that records every WebGL context the page makes, so a test can lose them (WEBGL_lose_context). */
export const RECORD_WEBGL = `window.__glContexts = [];
for (const C of [HTMLCanvasElement, globalThis.OffscreenCanvas].filter(Boolean)) {
  const original = C.prototype.getContext;
  C.prototype.getContext = function (kind, ...rest) {
    const ctx = original.call(this, kind, ...rest);
    if (ctx && /webgl/.test(kind) && !window.__glContexts.includes(ctx)) window.__glContexts.push(ctx);
    return ctx;
  };
}`;

/**
 * Page script that tells the page its WebGL is drawn by a GPU ("ANGLE (Test GPU)" where SwiftShader's name would be),
 * so that it trains on WebGL as on a machine with one (it leaves a software WebGL for WASM to train).
 */
export const HARDWARE_RENDERER = `for (const C of [WebGLRenderingContext, WebGL2RenderingContext]) {
  const original = C.prototype.getParameter;
  C.prototype.getParameter = function (p) {
    const v = original.call(this, p);
    return typeof v === 'string' && /SwiftShader/i.test(v) ? 'ANGLE (Test GPU)' : v;
  };
}`;

export async function openWebview(browser: Browser, savedState: unknown = undefined, initScript?: string): Promise<WebviewPage> {
  const page = await browser.newPage({ viewport: { width: 900, height: 1200 } });
  if (initScript) await page.addInitScript({ content: initScript });
  const outsideRequests: string[] = [];
  await page.route('**/*', async (route) => {
    const url = route.request().url();
    if (!url.startsWith(ORIGIN)) {
      outsideRequests.push(url);
      return route.abort();
    }
    if (url === `${ORIGIN}/index.html`)
      return route.fulfill({
        contentType: 'text/html',
        body: webviewHtml({
          cspSource: ORIGIN,
          scriptUri: `${ORIGIN}/dist/webview.js`,
          digitsUri: `${ORIGIN}/dist/mnist.bin.gz`,
          clothesUri: `${ORIGIN}/dist/fashion.bin.gz`,
          wasmUri: `${ORIGIN}/dist/`,
          nonce: 'testnonce0123456789',
        }),
      });
    if (url === `${ORIGIN}/dist/mnist.bin.gz` || url === `${ORIGIN}/dist/fashion.bin.gz`)
      return route.fulfill({ contentType: 'application/octet-stream', body: readFileSync(join(ROOT, 'dist', url.slice(url.lastIndexOf('/') + 1))) });
    if (url === `${ORIGIN}/dist/webview.js`)
      return route.fulfill({ contentType: 'text/javascript', body: readFileSync(join(ROOT, 'dist', 'webview.js'), 'utf8') });
    const wasm = wasmFile(url);
    if (wasm) return route.fulfill(wasm);
    return route.fulfill({ status: 404, body: '' });
  });
  // tsx compiles this file with esbuild's keepNames, which wraps functions in `__name(...)`; the functions
  // playwright sends to the page need that helper there too.
  await page.addInitScript({ content: 'window.__name = (f) => f;' });
  await page.addInitScript((state) => {
    const w = window as unknown as Record<string, unknown>;
    w.__posted = [];
    w.__csp = [];
    w.__state = state;
    document.addEventListener('securitypolicyviolation', (e) => (w.__csp as string[]).push(`${e.violatedDirective}: ${e.blockedURI}`));
    w.acquireVsCodeApi = () => ({
      postMessage: (m: unknown) => (w.__posted as unknown[]).push(m),
      getState: () => w.__state,
      setState: (s: unknown) => (w.__state = s),
    });
  }, savedState);
  await page.goto(`${ORIGIN}/index.html`);
  const posted = () => page.evaluate(() => (window as unknown as { __posted: WebviewMessage[] }).__posted);
  return {
    page,
    outsideRequests,
    posted,
    send: (message) => page.evaluate((m) => window.postMessage(m, '*'), message),
    async waitForPosted(type, after = 0, timeout = 30000) {
      const handle = await page.waitForFunction(
        ([t, a]) => (window as unknown as { __posted: { type: string }[] }).__posted.slice(a as number).find((m) => m.type === t),
        [type, after] as const,
        { timeout },
      );
      return (await handle.jsonValue()) as never;
    },
    cspViolations: () => page.evaluate(() => (window as unknown as { __csp: string[] }).__csp),
  };
}

/**
 * A blank page running `entry` (a TypeScript file bundled for the browser the way the webview is): for tests and
 * benchmarks that drive the webview's own modules directly.
 */
export async function openBundlePage(browser: Browser, entry: string): Promise<Page> {
  const bundle = await esbuild.build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    logLevel: 'silent',
  });
  const page = await browser.newPage();
  // Served from ORIGIN, as the webview's files are: the WASM backend fetches its binaries from `${WASM_BASE}`.
  await page.route('**/*', async (route) => {
    const url = route.request().url();
    if (url === `${ORIGIN}/blank.html`) return route.fulfill({ contentType: 'text/html', body: '<html><body></body></html>' });
    const wasm = wasmFile(url);
    return wasm ? route.fulfill(wasm) : route.abort();
  });
  await page.addInitScript({ content: 'window.__name = (f) => f;' });
  await page.goto(`${ORIGIN}/blank.html`);
  await page.addScriptTag({ content: bundle.outputFiles[0].text });
  return page;
}

/** Where a page opened here finds tfjs' WASM binaries (dist/, as esbuild.config.mjs copies them). */
export const WASM_BASE = `${ORIGIN}/dist/`;

/** The response for one of tfjs' WASM binaries in dist/, or null when `url` is not one. */
function wasmFile(url: string): { contentType: string; body: Buffer } | null {
  const m = /^https:\/\/webview\.layerlens\.test\/dist\/(tfjs-backend-wasm(?:-simd)?\.wasm)$/.exec(url);
  return m ? { contentType: 'application/wasm', body: readFileSync(join(ROOT, 'dist', m[1])) } : null;
}
