// End-to-end helpers: LayerLens in a real VS Code workbench (code-server) driven through headless Chromium with
// playwright-core. Start with `startWorkbench()` in a `before` hook and `close()` it in `after`.
//
// The server side lives in scripts/vscode/server.mjs (ESM); it is loaded with a dynamic import(), which works from
// the CommonJS that tsx makes of these files. What is installed, as a user installs it (code-server
// --install-extension): the .vsix named by LAYERLENS_VSIX (scripts/vscode/run-e2e.mjs packages this repo's once and
// names it), else this repo's layerlens-<version>.vsix, packaged when missing or older than its sources
// (scripts/vscode/vsix.mjs); or the unpacked, built folder named by LAYERLENS_EXTENSION_DIR.
import * as fs from 'fs';
import * as path from 'path';
import { pathToFileURL } from 'url';
import type { Browser, ConsoleMessage, Frame, Locator, Page } from 'playwright-core';

export const repoRoot = path.resolve(__dirname, '..', '..', '..');
export const resultsDir = path.join(repoRoot, 'test-results');

interface CodeServer {
  url: string;
  folderUrl: string;
  port: number;
  pid: number;
  logFile: string;
  logTail(n?: number): string;
  stop(): Promise<void>;
}

interface ServerModule {
  startCodeServer(o: {
    workspace: string;
    extensionsDir: string;
    userDataDir: string;
    port?: number;
    env?: Record<string, string>;
    settings?: Record<string, unknown>;
    logFile?: string;
  }): Promise<CodeServer>;
  installExtension(extensionsDir: string, ext: ExtensionToInstall): { id: string; dir: string; files: number };
  launchBrowser(o?: { headless?: boolean; args?: string[] }): Promise<Browser>;
  makeTempDir(prefix?: string): string;
  copyFolder(from: string, to: string): string;
  removeDir(dir: string): void;
}

interface ExtensionToInstall {
  kind: 'vsix' | 'folder';
  path: string;
}
interface VsixModule {
  prepareExtension(o?: { log?: (m: string) => void; build?: boolean }): ExtensionToInstall;
}

async function serverModule(): Promise<ServerModule> {
  return (await import(pathToFileURL(path.join(repoRoot, 'scripts', 'vscode', 'server.mjs')).href)) as ServerModule;
}

async function vsixModule(): Promise<VsixModule> {
  return (await import(pathToFileURL(path.join(repoRoot, 'scripts', 'vscode', 'vsix.mjs')).href)) as VsixModule;
}

export interface CspViolation {
  /** 'event': a securitypolicyviolation event in some frame; 'console': Chromium's "Refused to ..." console message. */
  source: 'event' | 'console';
  directive?: string;
  blockedURI?: string;
  text: string;
  frameUrl?: string;
}

export interface WorkbenchOptions {
  /** Folder copied into the temporary workspace; default examples/. */
  examples?: string;
  /** Extra user settings (settings.json of the profile). */
  settings?: Record<string, unknown>;
  viewport?: { width: number; height: number };
  timeoutMs?: number;
}

export interface Workbench {
  page: Page;
  browser: Browser;
  server: CodeServer;
  /** The temporary workspace folder (a copy of examples/). */
  workspace: string;
  /** Opens a file of the workspace by clicking its Explorer row (`sub/dir/file.py` expands folders on the way). */
  openFile(name: string): Promise<void>;
  /** Runs a command from the palette (F1) by its title, e.g. 'LayerLens: Show Model Summary'. */
  runCommand(title: string): Promise<void>;
  /**
   * Puts the cursor at line:column (1-based) with Go to Line, so that the position is on screen; resolves once the
   * editor shows the cursor there (its line number active, the status bar's `Ln, Col`).
   */
  goTo(line: number, column?: number): Promise<void>;
  /**
   * Rests the mouse on line:column (1-based) of the active editor and returns the text of the hover widget
   * (`.monaco-hover`), retrying until one shows on a still layout or timeoutMs (default 20 s) passes.
   */
  hoverText(line: number, column: number, timeoutMs?: number): Promise<string>;
  /** The rendered text of line N (1-based) of the active editor, inlay hints and other injected text included. */
  editorLineText(line: number): Promise<string>;
  /** Polls editorLineText until it matches (hints appear once the extension host has started and analysed the file). */
  waitForEditorLineText(line: number, pattern: RegExp, timeoutMs?: number): Promise<string>;
  /**
   * The content frame of a webview (the extension's own HTML, inside VS Code's webview host frame): the most
   * recently attached one, waiting up to timeoutMs for it. Evaluate in it or use frame.locator(...).
   */
  webviewFrame(timeoutMs?: number): Promise<Frame>;
  /** Saves a screenshot of the page to test-results/<name>.png and returns its path. */
  screenshot(name: string): Promise<string>;
  /**
   * From now on, collects Content-Security-Policy violations in every frame; call the result to read them.
   * Chromium's console messages ("... violates the following Content Security Policy directive ...") cover all
   * frames, webview content included; `securitypolicyviolation` events add the directive and blocked URI where the
   * listener could be installed (not in a webview's content frame: VS Code writes that document after it loads).
   */
  collectCspViolations(): () => CspViolation[];
  /** Stops the browser and code-server, removes the temporary folder. */
  close(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// Code that runs in the page. Kept as plain JavaScript text: tsx compiles these files with esbuild's keepNames,
// whose `__name(...)` wrappers do not exist in the page, so functions with named inner functions cannot be passed
// to page.evaluate directly.
const PAGE_HELPERS = `globalThis.__layerlensE2E ??= {
  /** Rendered text of model line n of a Monaco editor element: the view lines between its line number and the next. */
  lineText(editor, n) {
    const topOf = (node) => parseFloat(node.style.top || '0');
    const numbers = Array.from(editor.querySelectorAll('.margin-view-overlays .line-numbers'));
    const own = numbers.find((x) => x.textContent.trim() === String(n));
    if (!own) throw new Error('line ' + n + ' is not rendered');
    const top = topOf(own.parentElement);
    const nextTops = numbers.map((x) => topOf(x.parentElement)).filter((t) => t > top);
    const end = nextTops.length ? Math.min(...nextTops) : Infinity;
    const rows = Array.from(editor.querySelectorAll('.view-lines .view-line'))
      .filter((v) => topOf(v) >= top && topOf(v) < end)
      .sort((a, b) => topOf(a) - topOf(b));
    const win = editor.ownerDocument.defaultView;
    const pseudo = (node, which) => {
      const c = win.getComputedStyle(node, which).content;
      return c && c !== 'none' && c !== 'normal' ? c.replace(/^"|"$/g, '') : '';
    };
    // Injected text (inlay hints, 'after' decorations) is rendered as spans inside the line; older decorations
    // use ::before / ::after content, which textContent does not see.
    const text = (node) => {
      if (node.nodeType === 3) return node.textContent;
      if (node.nodeType !== 1) return '';
      return pseudo(node, '::before') + Array.from(node.childNodes).map(text).join('') + pseudo(node, '::after');
    };
    return rows.map(text).join('').replace(/\\u00a0/g, ' ');
  },
};`;

// Reports securitypolicyviolation events of every frame it is injected into through the exposed binding.
const CSP_LISTENER = `document.addEventListener('securitypolicyviolation', (e) => {
  globalThis.__layerlensCspViolation?.({ directive: e.violatedDirective, blockedURI: e.blockedURI,
    text: e.violatedDirective + ' blocked ' + (e.blockedURI || '(inline)') + ' in ' + e.documentURI });
});`;

export async function startWorkbench(opts: WorkbenchOptions = {}): Promise<Workbench> {
  const srv = await serverModule();
  const tmp = srv.makeTempDir('layerlens-e2e-');
  const workspace = srv.copyFolder(opts.examples ?? path.join(repoRoot, 'examples'), path.join(tmp, 'workspace'));
  const extensionsDir = path.join(tmp, 'extensions');
  const userDataDir = path.join(tmp, 'user-data');
  srv.installExtension(extensionsDir, (await vsixModule()).prepareExtension({ log: () => undefined }));

  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  const cleanup = async () => {
    try {
      await browser?.close();
    } catch {
      /* gone */
    }
    try {
      await server?.stop();
    } catch {
      /* gone */
    }
  };
  try {
    server = await srv.startCodeServer({ workspace, extensionsDir, userDataDir, settings: opts.settings, logFile: path.join(tmp, 'code-server.log') });
    browser = await srv.launchBrowser();
    const context = await browser.newContext({ viewport: opts.viewport ?? { width: 1400, height: 900 } });
    // vscode.env.clipboard goes through the browser's clipboard: allow it, or reads and writes fail.
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(server.url).origin });

    // CSP violations: an event listener in every frame (init scripts run in iframes too) reporting through a
    // binding, and Chromium's console messages, which also cover frames the init script does not reach.
    const violations: CspViolation[] = [];
    await context.exposeBinding('__layerlensCspViolation', ({ frame }, v: Omit<CspViolation, 'source' | 'frameUrl'>) => {
      violations.push({ source: 'event', ...v, frameUrl: frame?.url() });
    });
    await context.addInitScript({ content: CSP_LISTENER });
    const page = await context.newPage();
    page.on('console', (m: ConsoleMessage) => {
      const text = m.text();
      if (/Content Security Policy|Refused to (load|execute|apply|connect|frame|create|evaluate)/i.test(text))
        violations.push({ source: 'console', text, frameUrl: m.location()?.url || undefined });
    });
    await page.goto(server.folderUrl, { waitUntil: 'domcontentloaded', timeout: opts.timeoutMs ?? 60_000 });
    await page.waitForSelector('.monaco-workbench', { timeout: opts.timeoutMs ?? 60_000 });
    // The Explorer shows the workspace once the file service answered.
    await page
      .locator('.explorer-folders-view .monaco-list-row')
      .first()
      .waitFor({ timeout: opts.timeoutMs ?? 60_000 });

    const ensureHelpers = () => page.evaluate(PAGE_HELPERS);
    const activeEditor = (): Locator => page.locator('.editor-group-container.active .monaco-editor[data-uri]').first();

    const quickInput = async (prefix: string, text: string): Promise<Locator> => {
      await page.keyboard.press('Escape');
      await page.keyboard.press('F1');
      const input = page.locator('.quick-input-widget .quick-input-box input');
      await input.waitFor({ state: 'visible', timeout: 10_000 });
      await input.fill(prefix + text);
      return input;
    };

    const wb: Workbench = {
      page,
      browser,
      server,
      workspace,

      async openFile(name: string) {
        const parts = name.split('/').filter(Boolean);
        // The Explorer view (Ctrl+Shift+E works in the browser too, but the view might be focused already).
        const explorer = page.locator('.explorer-folders-view');
        if (!(await explorer.isVisible())) await page.keyboard.press('Control+Shift+E');
        await explorer.waitFor({ state: 'visible', timeout: 10_000 });
        for (let i = 0; i < parts.length; i++) {
          const row = explorer.locator(`.monaco-list-row[aria-label="${parts[i].replace(/"/g, '\\"')}"][aria-level="${i + 1}"]`);
          await row.waitFor({ state: 'visible', timeout: 10_000 }).catch(() => {
            throw new Error(`openFile(${name}): no Explorer row "${parts[i]}" at depth ${i + 1}`);
          });
          const isFolder = i < parts.length - 1;
          if (isFolder) {
            if ((await row.getAttribute('aria-expanded')) !== 'true') await row.click();
          } else {
            await row.click();
          }
        }
        const base = parts[parts.length - 1];
        await page
          .locator(`.tabs-container .tab.active[aria-label^="${base.replace(/"/g, '\\"')}"]`)
          .waitFor({ timeout: 15_000 })
          .catch(() => {
            throw new Error(`openFile(${name}): no active editor tab for ${base} after clicking its Explorer row`);
          });
        await activeEditor().locator('.view-lines .view-line').first().waitFor({ timeout: 15_000 });
      },

      async runCommand(title: string) {
        const input = await quickInput('>', title);
        const rows = page.locator('.quick-input-list .monaco-list-row');
        await rows
          .first()
          .waitFor({ state: 'visible', timeout: 10_000 })
          .catch(() => {
            throw new Error(`runCommand(${title}): the palette shows no command for it`);
          });
        // Pick the row whose label is the title exactly (with or without its category), else the first one.
        const labels = await rows.evaluateAll((els) => els.map((e) => (e as any).getAttribute('aria-label') as string));
        const norm = (s: string) => s.replace(/\s+/g, ' ').trim().toLowerCase();
        const wanted = norm(title);
        let index = labels.findIndex(
          (l) => l && (norm(l) === wanted || norm(l).startsWith(`${wanted},`) || norm(l).endsWith(`: ${wanted}`) || norm(l).includes(`: ${wanted},`)),
        );
        if (index < 0) index = labels.findIndex((l) => l && norm(l).includes(wanted));
        if (index < 0) throw new Error(`runCommand(${title}): not among the palette's entries: ${labels.slice(0, 8).join(' | ')}`);
        await rows.nth(index).click();
        await input.waitFor({ state: 'hidden', timeout: 10_000 }).catch(() => {
          /* a command may open its own input */
        });
      },

      async goTo(line: number, column = 1) {
        await activeEditor().waitFor({ timeout: 10_000 });
        const input = await quickInput(':', `${line}:${column}`);
        await page.keyboard.press('Enter');
        // Go to Line sets the selection when it accepts, then closes; the editor view and the status bar catch up
        // on a later frame. Done when the palette is gone, the active editor renders line `line`'s number as the
        // cursor's (Monaco's .active-line-number) and the status bar reads `Ln line, Col column`.
        await input.waitFor({ state: 'hidden', timeout: 10_000 });
        const arrived = `(() => {
          const editor = document.querySelector('.editor-group-container.active .monaco-editor[data-uri]');
          const number = editor && editor.querySelector('.margin-view-overlays .line-numbers.active-line-number');
          const status = document.getElementById('status.editor.selection');
          return !!number && number.textContent.trim() === '${line}' && !!status && /\\bLn ${line}, Col ${column}(?!\\d)/.test(status.textContent);
        })()`;
        await page.waitForFunction(arrived, undefined, { timeout: 10_000 }).catch(async () => {
          const where = await page.evaluate(`(() => {
            const editor = document.querySelector('.editor-group-container.active .monaco-editor[data-uri]');
            const number = editor && editor.querySelector('.margin-view-overlays .line-numbers.active-line-number');
            const status = document.getElementById('status.editor.selection');
            return 'active line number ' + (number ? number.textContent.trim() : 'none') + ', status bar ' + JSON.stringify(status ? status.textContent.trim() : null);
          })()`);
          throw new Error(`goTo(${line}, ${column}): the cursor did not arrive within 10 s (${where as string}; a column past the line's end is clamped)`);
        });
      },

      async hoverText(line: number, column: number, timeoutMs = 20_000) {
        const editor = activeEditor();
        const cursorBox = async () => {
          const cursor = editor.locator('.cursors-layer .cursor').first();
          await cursor.waitFor({ state: 'attached', timeout: 5_000 });
          return cursor.boundingBox();
        };
        const hoverBox = page.locator('.monaco-hover:not(.hidden)').first();
        const deadline = Date.now() + timeoutMs;
        let why = 'no hover appeared';
        // Retried until the deadline: the extension may still be activating (no hover yet), and code lenses or
        // hints that appear meanwhile shift the lines under a resting mouse (a hover for the wrong line).
        while (Date.now() < deadline) {
          await wb.goTo(line, column);
          const box = await cursorBox();
          if (!box) throw new Error(`hoverText(${line}, ${column}): the cursor is not on screen`);
          const charWidth = await editor.evaluate((el) => {
            const probe = (el as any).querySelector('.view-lines .view-line span span');
            return probe && probe.textContent ? probe.getBoundingClientRect().width / probe.textContent.length : 8;
          });
          // Leave the editor first so that the hover opens afresh, then rest in the middle of the character right of the cursor.
          await page.mouse.move(1, 1);
          await hoverBox.waitFor({ state: 'hidden', timeout: 2_000 }).catch(() => {});
          const x = box.x + Math.max(2, charWidth / 2);
          const y = box.y + box.height / 2;
          await page.mouse.move(x - 3, y);
          await page.mouse.move(x, y, { steps: 3 });
          const shown = await hoverBox.waitFor({ state: 'visible', timeout: Math.max(500, Math.min(4_000, deadline - Date.now())) }).then(
            () => true,
            () => false,
          );
          const after = await cursorBox();
          if (!after || Math.abs(after.y - box.y) > 1 || Math.abs(after.x - box.x) > 1) {
            why = 'the editor layout kept moving';
            continue;
          }
          if (!shown) continue;
          // Hovers can fill in asynchronously ("Loading..."): wait until the text settles.
          let text = '';
          for (let i = 0; i < 20; i++) {
            const next = (await hoverBox.innerText().catch(() => '')).trim();
            if (next && next === text && !/^Loading\.\.\.$/.test(next)) break;
            text = next;
            await sleep(150);
          }
          if (text) return text;
        }
        throw new Error(`hoverText(${line}, ${column}): ${why} within ${timeoutMs} ms (screenshot: ${await wb.screenshot(`hover-missing-${line}-${column}`)})`);
      },

      async waitForEditorLineText(line: number, pattern: RegExp, timeoutMs = 30_000) {
        const deadline = Date.now() + timeoutMs;
        let last = '';
        for (;;) {
          last = await wb.editorLineText(line).catch((e) => `(${(e as Error).message})`);
          if (pattern.test(last)) return last;
          if (Date.now() > deadline) throw new Error(`line ${line} did not match ${pattern} within ${timeoutMs} ms; it reads ${JSON.stringify(last)}`);
          await sleep(250);
        }
      },

      async editorLineText(line: number) {
        await wb.goTo(line, 1);
        await ensureHelpers();
        return activeEditor().evaluate((el, n) => (globalThis as any).__layerlensE2E.lineText(el, n), line);
      },

      async webviewFrame(timeoutMs = 30_000) {
        const deadline = Date.now() + timeoutMs;
        for (;;) {
          const frames = page.frames().filter((f) => /\/webview\/browser\/pre\/fake\.html/.test(f.url()) && !f.isDetached());
          if (frames.length) {
            const frame = frames[frames.length - 1];
            await frame.waitForLoadState('domcontentloaded').catch(() => {});
            return frame;
          }
          if (Date.now() > deadline) throw new Error(`no webview content frame within ${timeoutMs} ms`);
          await sleep(250);
        }
      },

      async screenshot(name: string) {
        fs.mkdirSync(resultsDir, { recursive: true });
        const file = path.join(resultsDir, `${name.replace(/[^\w.-]+/g, '_')}.png`);
        await page.screenshot({ path: file });
        return file;
      },

      collectCspViolations() {
        const from = violations.length;
        return () => violations.slice(from);
      },

      async close() {
        await cleanup();
        srv.removeDir(tmp);
      },
    };
    return wb;
  } catch (e) {
    const detail = server ? `\ncode-server log (${server.logFile}):\n${server.logTail(20)}` : '';
    await cleanup();
    throw new Error(`startWorkbench failed: ${(e as Error).message}${detail}`);
  }
}
