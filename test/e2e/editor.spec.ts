// A person's path through the editor features in code-server: open a file from the Explorer, read the hints,
// the code lens and a hover, see a warning squiggle, run a palette command. Screenshots go to test-results/.
import * as assert from 'assert';
import { startWorkbench, type Workbench } from './support/workbench';

describe('LayerLens in the editor (code-server, Chromium)', function () {
  this.timeout(240_000);
  let wb: Workbench;
  let csp: () => unknown[];

  before(async () => {
    wb = await startWorkbench({ viewport: { width: 1400, height: 900 } });
    csp = wb.collectCspViolations();
  });
  after(async () => wb?.close());

  it("shows each layer's output shape at the end of its line, and the model's code lens", async () => {
    await wb.openFile('mnist_convnet.py');
    const line8 = await wb.waitForEditorLineText(8, /\(None, 11, 11, 64\)/, 60_000);
    assert.match(line8, /^model\.add\(layers\.Conv2D\(64, \(3, 3\), activation='relu'\)\)\s*\(None, 11, 11, 64\)/);
    await wb.waitForEditorLineText(13, /\(None, 10\)/);
    // The lens element can be on screen a moment before its text: wait for the text, then read it all.
    const lensLocator = wb.page.locator('.monaco-editor .codelens-decoration', { hasText: 'params' }).first();
    await lensLocator.waitFor({ timeout: 30_000 });
    const lens = await lensLocator.innerText();
    assert.match(lens, /8 layers · 93,322 params \(364\.5 KB\) · RF 18×18/);
    assert.match(lens, /Preview activations/);
    await wb.screenshot('editor-hints-codelens');
  });

  it('hovering a layer shows its shapes, parameters and receptive field', async () => {
    const text = await wb.hoverText(8, 30);
    assert.match(text, /conv2d_1 · Conv2D/);
    assert.match(text, /\(None, 13, 13, 32\) → \(None, 11, 11, 64\)/);
    assert.match(text, /3×3×32×64 kernel \+ 64 bias = 18,496/);
    assert.match(text, /8×8/);
    await wb.screenshot('editor-hover');
    await wb.page.keyboard.press('Escape');
  });

  it('underlines the giant Dense after Flatten with a warning', async () => {
    await wb.openFile('mnist_convnet_no_pooling.py');
    await wb.waitForEditorLineText(11, /\(None, 512\)/, 60_000);
    await wb.page.locator('.monaco-editor .squiggly-warning').first().waitFor({ timeout: 30_000 });
    const text = await wb.hoverText(11, 40);
    assert.match(text, /15,860,224 of the model's 15,921,098 parameters/);
    await wb.screenshot('editor-diagnostic');
    await wb.page.keyboard.press('Escape');
  });

  it('runs "Show Model Summary" from the palette', async () => {
    await wb.goTo(8, 20);
    await wb.runCommand('LayerLens: Show Model Summary');
    await wb.page.locator('.tabs-container .tab', { hasText: 'Summary: model_no_max_pool' }).waitFor({ timeout: 30_000 });
    const frame = await wb.webviewFrame();
    await frame.locator('table').waitFor();
    const table = await frame.locator('table').innerText();
    assert.match(table, /dense \(Dense\)\s+\(None, 512\)\s+15,860,224/);
    await wb.screenshot('editor-summary');
    assert.deepEqual(csp(), []);
  });
});
