// Smoke: the workbench loads in headless Chromium with LayerLens installed, and examples/mnist_convnet.py opens
// from the Explorer with its text on screen.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { startWorkbench, Workbench } from './support/workbench';

describe('workbench smoke', function () {
  this.timeout(180_000);
  let wb: Workbench;

  before(async () => {
    wb = await startWorkbench();
  });

  after(async () => {
    await wb?.close();
  });

  it('loads the workbench with the examples folder in the Explorer', async () => {
    const rows = await wb.page.locator('.explorer-folders-view .monaco-list-row').allInnerTexts();
    assert.ok(
      rows.some((r) => r.includes('mnist_convnet.py')),
      `Explorer rows: ${rows.join(', ')}`,
    );
  });

  it('opens mnist_convnet.py from the Explorer and shows its text', async () => {
    await wb.openFile('mnist_convnet.py');
    const source = fs.readFileSync(path.join(wb.workspace, 'mnist_convnet.py'), 'utf8').split('\n');
    const n = source.findIndex((l) => /Sequential|model\.add/.test(l)) + 1;
    assert.ok(n > 0, 'the example builds a Sequential model');
    const shown = await wb.editorLineText(n);
    assert.ok(shown.startsWith(source[n - 1].trimEnd()), `line ${n} on screen: ${JSON.stringify(shown)}; in the file: ${JSON.stringify(source[n - 1])}`);
    const file = await wb.screenshot('smoke-mnist_convnet');
    assert.ok(fs.statSync(file).size > 10_000, `screenshot ${file} has content`);
  });
});
