// The activation preview in code-server: the palette opens it beside the code, the maps and the backend name
// appear, drawing changes the maps, a click on a unit outlines its receptive field, and the editor cursor
// selects the layer. No CSP violation and no request beyond localhost on the way.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import type { Frame } from 'playwright-core';

interface H5Group {
  create_group(name: string): H5Group;
  create_attribute(name: string, value: string[]): void;
  create_dataset(o: { name: string; data: Float32Array; shape: number[] }): void;
}
import { openConvnetPreview } from './support/preview';
import { startWorkbench, type Workbench } from './support/workbench';

const OUTLINE = `(() => {
  const o = document.querySelector('ll-app').shadowRoot.querySelector('ll-pad').shadowRoot.querySelector('canvas.overlay');
  const d = o.getContext('2d').getImageData(0, 0, o.width, o.height).data;
  let n = 0;
  for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++;
  return n;
})()`;

const FIRST_CHANNEL = (layer: number) => `(() => {
  const c = document.querySelector('ll-app').shadowRoot.querySelector('ll-layer[data-index="${layer}"]').shadowRoot.querySelector('canvas[data-channel="0"]');
  return Array.from(c.getContext('2d').getImageData(0, 0, c.width, c.height).data).join(',');
})()`;

/**
 * Waits until the first channel of layer `layer` no longer paints as `before` (the run that a new input or new
 * weights start has painted its maps), and returns its pixels then. A run is debounced and coalesced to an
 * animation frame, and new weights rebuild the model and run it on the input and on its shifted copy (software
 * WebGL on a loaded machine), so how long it takes is not fixed; 45 s without a change fails, naming `what`.
 */
async function mapChanged(frame: Frame, layer: number, before: string, what: string): Promise<string> {
  // While new weights rebuild the model, its layers are drawn without maps for a moment: no canvas yet is no change
  // (a predicate that threw would end the wait at once).
  const changed = `(() => { try { return ${FIRST_CHANNEL(layer)} !== ${JSON.stringify(before)}; } catch { return false; } })()`;
  await frame.waitForFunction(changed, undefined, { timeout: 45_000 }).catch((e: Error) => {
    throw new Error(`the maps of layer ${layer} did not change within 45 s ${what} (${e.message.split('\n')[0]})`);
  });
  return (await frame.evaluate(FIRST_CHANNEL(layer))) as string;
}

describe('Preview Activations (code-server, Chromium, WebGL)', function () {
  this.timeout(300_000);
  let wb: Workbench;
  let frame: Frame;
  let csp: () => unknown[];
  const outside: string[] = [];

  before(async () => {
    wb = await startWorkbench({ viewport: { width: 1600, height: 1000 } });
    csp = wb.collectCspViolations();
    // The webview's requests (code-server's own workbench asks its extension gallery; that is not LayerLens).
    wb.page.context().on('request', (r) => {
      let frameUrl = '';
      try {
        frameUrl = r.frame().url();
      } catch {
        return;
      }
      const u = new URL(r.url());
      // *.vscode-resource.vscode-cdn.net is how a webview names the extension's own files; VS Code's service
      // worker answers those from the extension folder, so they never leave the machine.
      const local =
        ['127.0.0.1', 'localhost'].includes(u.hostname) || u.hostname.endsWith('.vscode-resource.vscode-cdn.net') || ['data:', 'blob:'].includes(u.protocol);
      if (frameUrl.includes('webview') && !local) outside.push(r.url());
    });
  });
  after(async () => wb?.close());

  it("opens from the palette beside the editor, with every layer's maps and the backend name", async () => {
    frame = await openConvnetPreview(wb);
    assert.equal(await frame.locator('ll-layer').count(), 8);
    assert.equal(await frame.locator('ll-layer[data-index="0"] .grid canvas').count(), 32);
    assert.equal((await frame.locator('.badge').innerText()).trim(), 'webgl');
    await frame.locator('ll-layer[data-index="2"][selected]').waitFor({ timeout: 10_000 });
    await wb.screenshot('preview-convnet');
  });

  it('drawing changes the maps', async () => {
    const before = (await frame.evaluate(FIRST_CHANNEL(0))) as string;
    await frame.locator('button', { hasText: 'Draw' }).click();
    const pad = frame.locator('ll-pad canvas.ink');
    const box = (await pad.boundingBox())!;
    await wb.page.mouse.move(box.x + box.width * 0.3, box.y + box.height * 0.25);
    await wb.page.mouse.down();
    await wb.page.mouse.move(box.x + box.width * 0.6, box.y + box.height * 0.75, { steps: 15 });
    await wb.page.mouse.up();
    const after = await mapChanged(frame, 0, before, 'after drawing');
    assert.notEqual(after, before);
    await wb.screenshot('preview-drawn');
  });

  it('clicking a unit outlines its receptive field on the input', async () => {
    assert.equal(await frame.evaluate(OUTLINE), 0);
    const unit = frame.locator('ll-layer[data-index="4"] .grid canvas[data-channel="1"]');
    await unit.scrollIntoViewIfNeeded();
    const box = (await unit.boundingBox())!;
    await unit.click({ position: { x: box.width / 2, y: box.height / 2 } });
    await frame.waitForFunction(`${OUTLINE} > 0`, undefined, { timeout: 10_000 });
    await wb.screenshot('preview-receptive-field');
  });

  it('loading a weight file next to the source changes the maps', async () => {
    // A Keras 2 model.save file for this convnet, written with h5wasm (the HDF5 C library): kernels of 0.1.
    const specifier = 'h5wasm/node';
    const h5 = ((await import(specifier)) as { default: { ready: Promise<unknown>; File: new (p: string, m: string) => H5Group & { close(): void } } }).default;
    await h5.ready;
    const file = new h5.File(path.join(wb.workspace, 'mnist_trained.h5'), 'w');
    const weights = file.create_group('model_weights');
    const layers: [string, number[], number][] = [
      ['conv2d', [3, 3, 1, 32], 32],
      ['conv2d_1', [3, 3, 32, 64], 64],
      ['conv2d_2', [3, 3, 64, 64], 64],
      ['dense', [576, 64], 64],
      ['dense_1', [64, 10], 10],
    ];
    weights.create_attribute(
      'layer_names',
      layers.map(([n]) => n),
    );
    for (const [name, kernel, units] of layers) {
      const g = weights.create_group(name);
      g.create_attribute('weight_names', [`${name}/kernel:0`, `${name}/bias:0`]);
      const inner = g.create_group(name);
      inner.create_dataset({ name: 'kernel:0', data: new Float32Array(kernel.reduce((a, b) => a * b, 1)).fill(0.1), shape: kernel });
      inner.create_dataset({ name: 'bias:0', data: new Float32Array(units), shape: [units] });
    }
    file.close();
    const before = (await frame.evaluate(FIRST_CHANNEL(0))) as string;
    await frame.locator('button', { hasText: 'Load weights…' }).click();
    const input = wb.page.locator('.quick-input-widget input');
    await input.waitFor({ timeout: 15_000 });
    await input.fill('mnist_trained');
    await wb.page.locator('.quick-input-widget .monaco-list-row', { hasText: 'mnist_trained.h5' }).first().waitFor({ timeout: 15_000 });
    await wb.page.keyboard.press('Enter');
    await frame.locator('text=Weights: mnist_trained.h5').waitFor({ timeout: 30_000 });
    assert.notEqual(await mapChanged(frame, 0, before, 'after loading the weights'), before);
    await wb.screenshot('preview-trained-weights');
  });

  it('moving the editor cursor selects the layer in the preview', async () => {
    await wb.runCommand('View: Focus First Editor Group');
    await wb.goTo(10, 20); // conv2d_2
    await frame.locator('ll-layer[data-index="4"][selected]').waitFor({ timeout: 15_000 });
    assert.equal(await frame.locator('ll-layer[selected]').count(), 1);
  });

  it('loads only from its localResourceRoots: the extension media loads, a workspace file does not', async () => {
    // A PNG in the workspace: outside the roots (the extension's dist/ and media/).
    fs.copyFileSync(path.join(__dirname, '..', '..', 'media', 'icon.png'), path.join(wb.workspace, 'outside.png'));
    const probe = (target: string) => `new Promise((resolve) => {
      const script = document.querySelector('script[src]').src;
      const marker = '/dist/webview.js';
      const extensionRoot = decodeURIComponent(new URL(script).pathname).slice(0, -marker.length);
      const url = new URL(script);
      url.pathname = ${JSON.stringify(target)}.replace('EXT', extensionRoot);
      const img = new Image();
      img.onload = () => resolve('loaded');
      img.onerror = () => resolve('refused');
      img.src = url.toString();
      setTimeout(() => resolve('timeout'), 10000);
    })`;
    assert.equal(await frame.evaluate(probe('EXT/media/icon.png')), 'loaded');
    assert.equal(await frame.evaluate(probe(path.join(wb.workspace, 'outside.png'))), 'refused');
  });

  it('had no CSP violation, and the webview sent nothing beyond localhost', () => {
    assert.deepEqual(csp(), []);
    assert.deepEqual(outside, []);
  });
});
