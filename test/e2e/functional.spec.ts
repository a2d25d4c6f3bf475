// A person opens examples/functional_resnet.py (keras.io's toy ResNet, a Functional model with two residual
// branches) in code-server: reads the output shapes at the ends of the lines, hovers the first add and sees the two
// layers it joins with their shapes, sees the code lens above keras.Model(, opens the summary with Keras' Connected to
// column, and opens Preview activations: every layer's maps, with the branches each merge joins. Screenshots in test-results/.
import * as assert from 'assert';
import type { Frame } from 'playwright-core';
import { startWorkbench, type Workbench } from './support/workbench';

describe('a Functional model in the editor (code-server, Chromium)', function () {
  this.timeout(240_000);
  let wb: Workbench;
  let csp: () => unknown[];

  before(async () => {
    wb = await startWorkbench({ viewport: { width: 1400, height: 1000 } });
    csp = wb.collectCspViolations();
  });
  after(async () => wb?.close());

  /** The webview frame whose page has `selector` (the summary and the preview are both webviews). */
  async function frameWith(selector: string, timeoutMs = 60_000): Promise<Frame> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      await wb.webviewFrame(timeoutMs);
      for (const f of wb.page.frames().filter((x) => /\/webview\/browser\/pre\/fake\.html/.test(x.url()) && !x.isDetached()))
        if (
          await f
            .locator(selector)
            .count()
            .catch(() => 0)
        )
          return f;
      if (Date.now() > deadline) throw new Error(`no webview shows ${selector} within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  it("reads each layer's output shape at the end of its line, the Input's included", async () => {
    await wb.openFile('functional_resnet.py');
    const line14 = await wb.waitForEditorLineText(14, /\(None, 9, 9, 64\)/, 60_000);
    assert.match(line14, /^block_2_output = layers\.add\(\[x, block_1_output\]\)\s*\(None, 9, 9, 64\)$/);
    assert.match(await wb.waitForEditorLineText(7, /\(None, 32, 32, 3\)/), /^inputs = keras\.Input\(shape=\(32, 32, 3\), name="img"\)\s*\(None, 32, 32, 3\)$/);
    assert.match(await wb.waitForEditorLineText(20, /\(None, 7, 7, 64\)/), /block_3_output\)\s*\(None, 7, 7, 64\)$/);
    assert.match(await wb.waitForEditorLineText(24, /\(None, 10\)/), /^outputs = layers\.Dense\(10\)\(x\)\s*\(None, 10\)$/);
    await wb.screenshot('functional-hints');
  });

  it('hovering the first add shows the two layers it joins, with their shapes', async () => {
    const text = await wb.hoverText(14, 26);
    assert.match(text, /add · Add/);
    assert.match(text, /\[\(None, 9, 9, 64\), \(None, 9, 9, 64\)\] → \(None, 9, 9, 64\)/, 'every input, as Keras lists them');
    assert.match(text, /Inputs \(2\):/);
    assert.match(text, /conv2d_3 \(Conv2D\) \(None, 9, 9, 64\)/);
    assert.match(text, /max_pooling2d \(MaxPooling2D\) \(None, 9, 9, 64\)/);
    await wb.screenshot('functional-hover-add');
    await wb.page.keyboard.press('Escape');
    // The skip connection's variable: its shape and where it comes from.
    const skip = await wb.hoverText(14, 36);
    assert.match(skip, /block_1_output · \(None, 9, 9, 64\)/);
    assert.match(skip, /the output of max_pooling2d \(MaxPooling2D\), assigned at line 10/);
    await wb.page.keyboard.press('Escape');
  });

  it("sees the code lens above keras.Model(, and its Summary has Keras' Connected to column", async () => {
    await wb.goTo(26, 1);
    const lens = wb.page.locator('.monaco-editor .codelens-decoration', { hasText: '223,242 params' }).first();
    await lens.waitFor({ timeout: 30_000 });
    const title = await lens.innerText();
    assert.match(title, /15 layers · 223,242 params \(872\.0 KB\) · RF 37×37/);
    assert.match(title, /Preview activations/);
    await wb.screenshot('functional-codelens');
    await lens.locator('a', { hasText: /^Summary$/ }).click();
    await wb.page.locator('.tabs-container .tab', { hasText: 'Summary: toy_resnet' }).waitFor({ timeout: 30_000 });
    const frame = await frameWith('table');
    const table = await frame.locator('table').innerText();
    assert.match(table, /Connected to/);
    assert.match(table, /add \(Add\)\s+\(None, 9, 9, 64\)\s+0\s+19×19\s+0\s+conv2d_3\[0\]\[0\], max_pooling2d\[0\]\[0\]/);
    assert.match(table, /img \(InputLayer\)\s+\(None, 32, 32, 3\)\s+0/);
    await wb.screenshot('functional-summary');
  });

  it("Preview activations builds the graph: every layer's maps, the merge's joined branches, the branch point", async () => {
    await wb.openFile('functional_resnet.py');
    await wb.goTo(26, 1);
    const lens = wb.page.locator('.monaco-editor .codelens-decoration a', { hasText: 'Preview activations' }).first();
    await lens.waitFor({ timeout: 30_000 });
    await lens.click();
    await wb.page.locator('.tabs-container .tab', { hasText: 'Activations: toy_resnet' }).waitFor({ timeout: 30_000 });
    const frame = await frameWith('ll-app');
    // The first add (row 6) joins the second block's convolutions with the pooled map; max_pooling2d branches to both.
    const add = frame.locator('ll-layer[data-index="6"]');
    await add.locator('.grid canvas').first().waitFor({ timeout: 120_000 });
    assert.equal(await add.locator('.grid canvas').count(), 64);
    assert.match(await add.locator('.links').innerText(), /^joins conv2d_3, max_pooling2d/);
    assert.match(await frame.locator('ll-layer[data-index="3"] .links').innerText(), /branches to conv2d_2, add/);
    assert.equal(await frame.locator('ll-layer').count(), 15);
    assert.equal(await frame.locator('ll-layer', { hasText: 'Not run.' }).count(), 0, 'every layer ran');
    // (The training block's note that a 32×32×3 input fits none of its datasets is no refusal of the preview.)
    assert.equal(await frame.locator('ll-app .message:not(.training-unavailable)').count(), 0, 'nothing refused');
    assert.match(await frame.locator('ll-app .training-unavailable').innerText(), /28/, 'the training block says what fits');
    await wb.screenshot('functional-preview');
    assert.deepEqual(csp(), []);
  });
});
