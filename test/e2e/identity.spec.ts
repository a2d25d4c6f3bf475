// Two models named `model` in one file, as a person meets them in code-server: the second model's "Preview
// activations" lens shows the second model in the webview, typing above it keeps it there, and a click on one of
// its layer headers puts the editor's cursor on that layer's line (the webview's request names the model it is about).
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Frame } from 'playwright-core';
import { startWorkbench, type Workbench } from './support/workbench';

const SOURCE = `from keras import layers, models

model = models.Sequential([
    layers.Input(shape=(28, 28, 1)),
    layers.Conv2D(8, 3),
    layers.Flatten(),
    layers.Dense(10),
])

model = models.Sequential([
    layers.Input(shape=(32, 32, 3)),
    layers.Conv2D(16, 5),
    layers.MaxPooling2D(2),
    layers.Flatten(),
    layers.Dense(4),
])
`;

/** The webview's heading row: the model's name and input shape. */
const HEADING = `(() => document.querySelector('ll-app').shadowRoot.querySelector('.controls .row').textContent.replace(/\\s+/g, ' ').trim())()`;

/**
 * Polls `expression` in the webview until it is true. (frame.waitForFunction compiles its predicate with eval inside
 * the page, which the webview's CSP forbids; frame.evaluate does not.)
 */
async function until(frame: Frame, expression: string, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await frame.evaluate(expression))) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('two models with one name (code-server, Chromium)', function () {
  this.timeout(240_000);
  let wb: Workbench;
  let frame: Frame;

  before(async () => {
    // The workspace: this one file (the Explorer lists what is there when the workbench opens).
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'layerlens-identity-'));
    fs.writeFileSync(path.join(folder, 'two_models.py'), SOURCE);
    wb = await startWorkbench({ viewport: { width: 1600, height: 1000 }, examples: folder });
    fs.rmSync(folder, { recursive: true, force: true });
  });
  after(async () => wb?.close());

  it("the second model's lens previews the second model", async () => {
    await wb.openFile('two_models.py');
    await wb.waitForEditorLineText(12, /\(None, 28, 28, 16\)/, 60_000);
    const lenses = wb.page.locator('.monaco-editor .codelens-decoration a', { hasText: 'Preview activations' });
    await lenses.nth(1).waitFor({ timeout: 30_000 });
    await lenses.nth(1).click();
    frame = await wb.webviewFrame(60_000);
    await frame.locator('ll-layer').nth(3).waitFor({ timeout: 60_000 });
    assert.equal(await frame.locator('ll-layer').count(), 4, 'the second model has 4 layers (the first 3)');
    assert.match((await frame.evaluate(HEADING)) as string, /^model ?input \(None, 32, 32, 3\)/);
    await wb.screenshot('identity-second-model');
  });

  it('typing above both models keeps the preview on the second', async () => {
    // Record each model the webview builds (its busy line says "Building <name> (<n> parameters)…").
    await frame.evaluate(`(() => {
      const root = document.querySelector('ll-app').shadowRoot;
      const seen = (globalThis.__builds = []);
      new MutationObserver(() => {
        const t = root.querySelector('.busy[role="status"]')?.textContent?.trim();
        if (t && t.startsWith('Building') && seen[seen.length - 1] !== t) seen.push(t);
      }).observe(root, { childList: true, subtree: true, characterData: true });
    })()`);
    await wb.goTo(1, 1);
    await wb.page.keyboard.type('# two models\n');
    await wb.waitForEditorLineText(13, /\(None, 28, 28, 16\)/, 30_000);
    // The host sends the model again after a pause in typing: wait for that build to be done.
    await until(
      frame,
      `globalThis.__builds.length > 0 && !document.querySelector('ll-app').shadowRoot.querySelector('.busy')`,
      'the webview has built the model sent after the edit',
    );
    // Conv2D(16, 5) on 32×32×3: 1,216; Dense(4) after 14×14×16: 12,548 — the first model has 54,170.
    assert.deepEqual(await frame.evaluate('globalThis.__builds'), ['Building model (13,764 parameters)…']);
    assert.equal(await frame.locator('ll-layer').count(), 4);
    assert.match((await frame.evaluate(HEADING)) as string, /^model ?input \(None, 32, 32, 3\)/);
  });

  it('a click on a layer header puts the cursor on that layer of the second model', async () => {
    await frame.locator('ll-layer[data-index="1"] header').click();
    // MaxPooling2D(2) is on line 14 now (one line was added above).
    await wb.page.waitForFunction(`/\\bLn 14, Col \\d+/.test(document.getElementById('status.editor.selection')?.textContent ?? '')`, undefined, {
      timeout: 15_000,
    });
  });
});
