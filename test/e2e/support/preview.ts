// The path both preview specs start with: the book's convnet, cursor in conv2d_1, Preview Activations from the palette.
import type { Frame } from 'playwright-core';
import type { Workbench } from './workbench';

/**
 * Opens examples/mnist_convnet.py, waits for its hints, puts the cursor on line 8 (conv2d_1) and runs
 * "LayerLens: Preview Activations"; resolves with the webview's content frame once the tab is open and the last
 * layer's bars (the maps of a whole run) are shown.
 */
export async function openConvnetPreview(wb: Workbench): Promise<Frame> {
  await wb.openFile('mnist_convnet.py');
  await wb.waitForEditorLineText(8, /\(None, 11, 11, 64\)/, 60_000);
  await wb.goTo(8, 20);
  await wb.runCommand('LayerLens: Preview Activations');
  await wb.page.locator('.tabs-container .tab', { hasText: 'Activations: model' }).waitFor({ timeout: 30_000 });
  const frame = await wb.webviewFrame(60_000);
  await frame.locator('ll-layer[data-index="7"] meter').first().waitFor({ timeout: 60_000 });
  return frame;
}
