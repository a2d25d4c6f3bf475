/**
 * The activation webview in headless Chromium with WebGL: it boots under the strict CSP, builds the book's
 * convnet, shows the backend and every layer's grid, redraws while the user draws, outlines a unit's
 * receptive field, follows the editor's layer, keeps its state, and drops malformed messages.
 */
import { strict as assert } from 'node:assert';
import type { Browser } from 'playwright-core';
import { analyze } from '../../src/core';
import { downsamplingVariants } from '../../src/panel/downsampling';
import { toPreviewModel } from '../../src/panel/previewModel';
import type { HostMessage } from '../../src/protocol';
import { example, modelNamed } from '../unit/support/fixtures';
import { launch, NO_WEBGL, openWebview, RECORD_WEBGL, type WebviewPage } from './support/webviewPage';

const convnet = (): HostMessage => ({
  type: 'model',
  model: toPreviewModel(modelNamed(example('mnist_convnet.py'), 'model'), 'test#model'),
  memoryLimitMB: 1024,
});

/** A cheap fingerprint of a layer's first channel canvas. */
async function channelPixels(w: WebviewPage, layer: number, channel = 0): Promise<number[]> {
  return w.page.evaluate(
    ([l, c]) => {
      const app = document.querySelector('ll-app')!.shadowRoot!;
      const canvas = app.querySelector(`ll-layer[data-index="${l}"]`)!.shadowRoot!.querySelector<HTMLCanvasElement>(`canvas[data-channel="${c}"]`)!;
      return Array.from(
        canvas
          .getContext('2d')!
          .getImageData(0, 0, canvas.width, canvas.height)
          .data.filter((_, i) => i % 4 === 0),
      );
    },
    [layer, channel] as const,
  );
}

/**
 * The webview, booted (with saved state, a page script, a viewport if given), with the book's convnet built and
 * run once; `w.waitForPosted('status')` gives that first run's status.
 */
async function openConvnet(
  browser: Browser,
  o: { savedState?: unknown; initScript?: string; viewport?: { width: number; height: number } } = {},
): Promise<WebviewPage> {
  const w = await openWebview(browser, o.savedState, o.initScript);
  if (o.viewport) await w.page.setViewportSize(o.viewport);
  await w.waitForPosted('ready');
  await w.send(convnet());
  await w.waitForPosted('status');
  return w;
}

describe('activation webview in Chromium', function () {
  this.timeout(120000);
  let browser: Browser;
  before(async () => {
    browser = await launch();
  });
  after(async () => browser?.close());

  it('boots under the CSP, says ready, runs the convnet on WebGL and shows every layer', async () => {
    const w = await openConvnet(browser);
    const status = await w.waitForPosted('status');
    assert.equal(status.backend, 'webgl');
    assert.equal(status.layersShown, 8);
    // This Chromium draws WebGL with SwiftShader (CHROMIUM_ARGS): the preview says WASM or the CPU may be faster.
    assert.match(status.notice ?? '', /^WebGL is drawn in software here \(SwiftShader\): WASM or the CPU backend may well be faster\.$/);
    const counts = await w.page.evaluate(() =>
      Array.from(document.querySelector('ll-app')!.shadowRoot!.querySelectorAll('ll-layer'), (el) => el.shadowRoot!.querySelectorAll('.grid canvas').length),
    );
    assert.deepEqual(counts, [32, 32, 64, 64, 64, 1, 1, 0], 'a canvas per channel; the softmax shows bars');
    const bars = await w.page.evaluate(
      () => document.querySelector('ll-app')!.shadowRoot!.querySelector('ll-layer[data-index="7"]')!.shadowRoot!.querySelectorAll('meter').length,
    );
    assert.equal(bars, 10);
    const badge = await w.page.evaluate(() => document.querySelector('ll-app')!.shadowRoot!.querySelector('.badge')!.textContent);
    assert.equal(badge, 'webgl');
    await w.page.screenshot({ path: 'test-results/webview-convnet.png' });
    assert.deepEqual(await w.cspViolations(), []);
    assert.deepEqual(w.outsideRequests, []);
    await w.page.close();
  });

  it('a progress bar says what it is doing while the model builds and first runs, and goes once the maps are there', async () => {
    const w = await openWebview(browser);
    await w.waitForPosted('ready');
    // Record every text the busy line shows: building and the first run are one synchronous step each.
    await w.page.evaluate(() => {
      const root = document.querySelector('ll-app')!.shadowRoot!;
      const seen: string[] = [];
      (window as unknown as { busySeen: string[] }).busySeen = seen;
      new MutationObserver(() => {
        const text = root.querySelector('.busy[role="status"]')?.textContent?.trim();
        if (text && seen[seen.length - 1] !== text) seen.push(text);
      }).observe(root, { childList: true, subtree: true, characterData: true });
    });
    await w.send(convnet());
    await w.waitForPosted('status');
    await w.page.waitForFunction(() => !document.querySelector('ll-app')!.shadowRoot!.querySelector('.busy'));
    const seen = await w.page.evaluate(() => (window as unknown as { busySeen: string[] }).busySeen);
    assert.deepEqual(seen, ['Building model (93,322 parameters)…', 'Running model…']);
  });

  it("a large model's first maps show while it is still running, layer by layer; then every layer has its maps", async () => {
    const vgg = analyze('import keras\nbase = keras.applications.VGG16(weights=None, include_top=False, input_shape=(64, 64, 3))\n').models[0];
    const w = await openWebview(browser);
    await w.waitForPosted('ready');
    // Each frame, note whether the first convolution has its maps yet and whether the run has ended (its status).
    await w.page.evaluate(() => {
      const seen = { mapsBeforeStatus: false, mapsAfterStatus: false };
      (window as unknown as { progress: typeof seen }).progress = seen;
      const tick = () => {
        const app = document.querySelector('ll-app')!.shadowRoot!;
        const painted = !!app.querySelector('ll-layer[data-index="1"]')?.shadowRoot?.querySelector('.grid canvas');
        const ended = (window as unknown as { __posted: { type: string }[] }).__posted.some((m) => m.type === 'status');
        if (painted && !ended) seen.mapsBeforeStatus = true;
        if (painted && ended) seen.mapsAfterStatus = true;
        if (!seen.mapsAfterStatus) requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
    });
    await w.send({ type: 'model', model: toPreviewModel(vgg, 'test#vgg16'), memoryLimitMB: 1024 });
    const status = await w.waitForPosted('status', 0, 110_000);
    assert.equal(status.layersShown, 19, 'the Input and all 18 layers');
    const progress = await w.page.evaluate(() => (window as unknown as { progress: { mapsBeforeStatus: boolean } }).progress);
    assert.equal(progress.mapsBeforeStatus, true, 'block1_conv1 was painted before the run ended');
    assert.equal(await w.page.evaluate(() => document.querySelector('ll-app')!.shadowRoot!.querySelectorAll('ll-layer').length), 19);
    const text = (await w.page.evaluate(() => document.querySelector('ll-app')!.shadowRoot!.textContent)) ?? '';
    assert.match(text, /Weights: initial \(seeded\): VGG16's pretrained weights are not downloaded; Load weights… offers the file Keras cached/);
    await w.page.close();
  });

  it('drawing on the pad changes the maps', async () => {
    const w = await openConvnet(browser);
    const before = await channelPixels(w, 0);
    const drawButton = w.page.locator('ll-app button', { hasText: 'Draw' });
    await drawButton.click();
    const pad = w.page.locator('ll-pad canvas.ink');
    const box = (await pad.boundingBox())!;
    const n = (await w.posted()).length;
    await w.page.mouse.move(box.x + box.width * 0.3, box.y + box.height * 0.2);
    await w.page.mouse.down();
    await w.page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.8, { steps: 12 });
    await w.page.mouse.up();
    await w.waitForPosted('status', n);
    const after = await channelPixels(w, 0);
    assert.notDeepEqual(after, before);
    assert.deepEqual(await w.cspViolations(), []);
    await w.page.close();
  });

  it('a layer off screen is painted when it scrolls into view, not on every run', async () => {
    const w = await openConvnet(browser, { viewport: { width: 900, height: 500 } });
    const painted = async (layer: number) => (await channelPixels(w, layer)).some((r) => r > 0);
    assert.equal(await painted(0), true, 'the first layer is on screen');
    assert.equal(await painted(4), false, 'conv2d_2 is below the fold: not painted yet');
    await w.page.locator('ll-layer[data-index="4"]').scrollIntoViewIfNeeded();
    await w.page.waitForFunction(() => {
      const c = document
        .querySelector('ll-app')!
        .shadowRoot!.querySelector('ll-layer[data-index="4"]')!
        .shadowRoot!.querySelector<HTMLCanvasElement>('canvas[data-channel="0"]')!;
      return c
        .getContext('2d')!
        .getImageData(0, 0, c.width, c.height)
        .data.some((v, i) => i % 4 === 0 && v > 0);
    });
    await w.page.close();
  });

  it('clicking a unit outlines its receptive field on the input', async () => {
    const w = await openConvnet(browser);
    // conv2d_2 (index 4) is 3×3; its units see 18×18 windows, 4 pixels apart.
    const unit = w.page.locator('ll-layer[data-index="4"] canvas[data-channel="0"]').first();
    await unit.scrollIntoViewIfNeeded();
    const box = (await unit.boundingBox())!;
    await unit.click({ position: { x: box.width * (2.5 / 3), y: box.height * (0.5 / 3) } }); // unit (0, 2)
    const red = await w.page.waitForFunction(() => {
      const o = document.querySelector('ll-app')!.shadowRoot!.querySelector('ll-pad')!.shadowRoot!.querySelector<HTMLCanvasElement>('canvas.overlay')!;
      const d = o.getContext('2d')!.getImageData(0, 0, o.width, o.height).data;
      let minX = Infinity,
        maxX = -1,
        minY = Infinity,
        maxY = -1;
      for (let y = 0; y < o.height; y++)
        for (let x = 0; x < o.width; x++) {
          if (d[(y * o.width + x) * 4 + 3] === 0) continue;
          minX = Math.min(minX, x);
          maxX = Math.max(maxX, x);
          minY = Math.min(minY, y);
          maxY = Math.max(maxY, y);
        }
      return maxX < 0 ? null : { minX, maxX, minY, maxY, size: o.width };
    });
    const r = (await red.jsonValue())!;
    const k = r.size / 28;
    // Window rows 0..17, columns 8..25 of the 28×28 input.
    assert.ok(Math.abs(r.minX / k - 8) < 0.6 && Math.abs((r.maxX + 1) / k - 26) < 0.6, JSON.stringify(r));
    assert.ok(Math.abs(r.minY / k - 0) < 0.6 && Math.abs((r.maxY + 1) / k - 18) < 0.6, JSON.stringify(r));
    await w.page.close();
  });

  it('works from the keyboard: headers are buttons, the grid is one tab stop with arrow keys, the enlarged channel has a unit cursor', async () => {
    const w = await openConvnet(browser);
    /** The focused element through the shadow roots: its layer, and the channel if it is a canvas. */
    const focused = () =>
      w.page.evaluate(() => {
        let el: Element | null = document.activeElement;
        const layers: string[] = [];
        while (el?.shadowRoot?.activeElement) {
          el = el.shadowRoot.activeElement;
          if (el.tagName === 'LL-LAYER') layers.push((el as HTMLElement).dataset.index!);
        }
        return {
          layer: layers.pop() ?? null,
          tag: el?.tagName ?? null,
          channel: (el as HTMLElement | null)?.dataset.channel ?? null,
          big: !!el?.closest('.big'),
        };
      });
    // The header: Enter asks the host to reveal the layer's line.
    await w.page.locator('ll-layer[data-index="2"] header').focus();
    await w.page.keyboard.press('Enter');
    assert.equal((await w.waitForPosted('revealLayer')).index, 2);
    // One tab stop per grid: Tab from conv2d_2's header lands on its channel 0, not on each of its 64 channels.
    await w.page.locator('ll-layer[data-index="4"] header').focus();
    await w.page.keyboard.press('Tab');
    assert.deepEqual(await focused(), { layer: '4', tag: 'CANVAS', channel: '0', big: false });
    await w.page.keyboard.press('ArrowRight');
    assert.equal((await focused()).channel, '1');
    await w.page.keyboard.press('End');
    assert.equal((await focused()).channel, '63');
    await w.page.keyboard.press('Home');
    await w.page.keyboard.press('ArrowRight');
    await w.page.keyboard.press('ArrowRight');
    // Enter enlarges channel 2 and moves focus into it; the first arrow key puts the cursor on the centre unit.
    await w.page.keyboard.press('Enter');
    assert.deepEqual(await focused(), { layer: '4', tag: 'CANVAS', channel: '2', big: true });
    await w.page.keyboard.press('ArrowUp');
    const readout = () => w.page.locator('ll-layer[data-index="4"] .readout').innerText();
    assert.match(await readout(), /^channel 2, unit \(1, 1\): -?\d/);
    await w.page.keyboard.press('ArrowUp');
    await w.page.keyboard.press('ArrowRight');
    assert.match(await readout(), /^channel 2, unit \(0, 2\): /);
    // The cursor's unit gets its receptive field outlined on the pad, as a click would: rows 0..17, columns 8..25.
    const field = await w.page.evaluate(() => (document.querySelector('ll-app')!.shadowRoot!.querySelector('ll-pad') as unknown as { field: number[] }).field);
    assert.deepEqual(field, [0, 8, 18, 18]);
    // The cursor is drawn over unit (0, 2) of the 3×3 map.
    const marker = await w.page
      .locator('ll-layer[data-index="4"] .big .unit')
      .evaluate((el) => [parseFloat((el as HTMLElement).style.top), parseFloat((el as HTMLElement).style.left)]);
    assert.deepEqual(
      marker.map((p) => Math.round(p)),
      [0, 67],
    );
    // Escape closes it and gives focus back to that channel in the grid.
    await w.page.keyboard.press('Escape');
    assert.deepEqual(await focused(), { layer: '4', tag: 'CANVAS', channel: '2', big: false });
    assert.equal(await w.page.locator('ll-layer[data-index="4"] .big').count(), 0);
    assert.deepEqual(await w.cspViolations(), []);
    await w.page.close();
  });

  it("clicking a layer header asks the host to reveal its line; the editor's layer is highlighted", async () => {
    const w = await openConvnet(browser);
    await w.page.locator('ll-layer[data-index="2"] header').click();
    const reveal = await w.waitForPosted('revealLayer');
    assert.equal(reveal.index, 2);
    assert.equal(reveal.model, 'test#model', 'the request names the model it is about');
    await w.send({ type: 'selectLayer', index: 3 });
    await w.page.waitForSelector('ll-layer[data-index="3"][selected]');
    await w.page.close();
  });

  it('keeps its input and selection across hiding (vscode state), and drops malformed messages', async () => {
    const w = await openWebview(browser, {
      inputKind: 'pattern',
      pattern: 'checkerboard',
      drawing: null,
      selectedLayer: 5,
      colormap: 'magma',
      layerScale: true,
    });
    await w.waitForPosted('ready');
    await w.send({ type: 'model', model: 'not a model' });
    await w.send({ type: 'launch-missiles' });
    const error = await w.waitForPosted('error');
    assert.match(error.message, /dropped a malformed message/);
    // Malformed deep inside: a layer without its tfjs mapping, a weights tensor whose values do not fill its shape.
    const good = convnet() as Extract<HostMessage, { type: 'model' }>;
    const n = (await w.posted()).filter((m) => m.type === 'error').length;
    await w.send({ ...good, model: { ...good.model, layers: good.model.layers.map((l, i) => (i === 3 ? { ...l, tfjs: undefined } : l)) } });
    await w.send({ type: 'weights', source: 'x.h5', layers: [{ layer: 'dense', tensors: [{ shape: [576, 64], values: [1, 2, 3] }] }] });
    await w.page.waitForFunction((k) => (window as unknown as { __posted: { type: string }[] }).__posted.filter((m) => m.type === 'error').length >= k, n + 2);
    const dropped = (await w.posted()).filter((m): m is Extract<typeof m, { type: 'error' }> => m.type === 'error').slice(n);
    assert.ok(
      dropped.every((m) => /dropped a malformed message/.test(m.message)),
      JSON.stringify(dropped),
    );
    await w.send(convnet());
    await w.waitForPosted('status');
    const pressed = await w.page.evaluate(() => document.querySelector('ll-app')!.shadowRoot!.querySelector('button[aria-pressed="true"]')!.textContent);
    assert.equal(pressed, 'Checkerboard');
    await w.page.waitForSelector('ll-layer[data-index="5"][selected]');
    await w.page.close();
  });

  it('trained weights change the maps; weights that do not fit are refused naming the layer, and the weights it had stay', async () => {
    const w = await openConvnet(browser);
    const seeded = await channelPixels(w, 0);
    const t = (shape: number[], value: number) => ({ shape, values: new Array(shape.reduce((a, b) => a * b, 1)).fill(value) });
    const shapes: [string, number[], number[]][] = [
      ['conv2d', [3, 3, 1, 32], [32]],
      ['conv2d_1', [3, 3, 32, 64], [64]],
      ['conv2d_2', [3, 3, 64, 64], [64]],
      ['dense', [576, 64], [64]],
      ['dense_1', [64, 10], [10]],
    ];
    // A kernel of ones: each first-layer unit sums its 3×3 window, so the map is a blurred copy of the input.
    const n = (await w.posted()).length;
    await w.send({ type: 'weights', source: 'trained.h5', layers: shapes.map(([layer, k, b]) => ({ layer, tensors: [t(k, 1), t(b, 0)] })) });
    await w.waitForPosted('status', n);
    const trained = await channelPixels(w, 0);
    assert.notDeepEqual(trained, seeded);
    const label = await w.page.evaluate(() => document.querySelector('ll-app')!.shadowRoot!.textContent);
    assert.match(label ?? '', /Weights: trained\.h5/);
    const m = (await w.posted()).length;
    await w.send({
      type: 'weights',
      source: 'other.h5',
      layers: shapes.map(([layer, k, b], i) => ({ layer, tensors: [t(i === 1 ? [5, 5, 32, 64] : k, 1), t(b, 0)] })),
    });
    await w.waitForPosted('status', m);
    const text = (await w.page.evaluate(() => document.querySelector('ll-app')!.shadowRoot!.textContent)) ?? '';
    assert.match(text, /Layer "conv2d_1" \(Conv2D\) expects weights of shapes \[\[3,3,32,64\],\[64\]\] but the file has \[\[5,5,32,64\],\[64\]\]/);
    assert.deepEqual(await channelPixels(w, 0), trained, 'nothing partly loaded: the trained weights stay');
    assert.match(text, /Weights: trained\.h5/);
    await w.page.close();
  });

  it('at a pooling layer, compares max pooling, average pooling, a strided convolution and no downsampling side by side', async () => {
    const w = await openConvnet(browser);
    await w.page.locator('ll-layer[data-index="1"] button', { hasText: 'Compare downsampling' }).click();
    const ask = await w.waitForPosted('whatIf');
    assert.equal(ask.index, 1);
    assert.equal(ask.model, 'test#model');
    const text = example('mnist_convnet.py');
    const model = modelNamed(text, 'model');
    const layer = model.layers[1];
    const lineStart =
      text
        .split('\n')
        .slice(0, layer.range.start.line - 1)
        .join('\n').length + 1;
    const variants = downsamplingVariants(
      model,
      layer,
      { text, from: lineStart + layer.range.start.column - 1, to: lineStart + layer.range.end.column - 1 },
      'k',
      0,
    );
    const n = (await w.posted()).length;
    await w.send({ type: 'whatIf', model: ask.model, index: 1, variants });
    await w.waitForPosted('status', n);
    const block = w.page.locator('.whatif');
    await block.waitFor();
    assert.equal(await block.locator('.variant').count(), 4);
    assert.match(await block.innerText(), /Strided convolution[\s\S]*4,128 params here · 97,450 in the model/);
    // No downsampling at all: the Dense layer on the flattened 22×22×64 map makes the model 2,038,922 parameters.
    assert.match(await block.innerText(), /No downsampling[\s\S]*0 params here · 2,038,922 in the model/);
    assert.equal(await block.locator('ll-layer canvas[data-channel]').count(), 128);
    await w.page.screenshot({ path: 'test-results/webview-what-if.png' });
    await w.page.close();
  });

  it('the user can switch to the CPU backend and back; the choice is kept, and the maps agree', async () => {
    const w = await openConvnet(browser);
    /** Values of every map the app holds, by layer. */
    const maps = () =>
      w.page.evaluate(() => {
        const app = document.querySelector('ll-app') as unknown as { maps: Map<number, { values: Float32Array }> };
        return Array.from(app.maps.values(), (m) => Array.from(m.values));
      });
    const onWebgl = await maps();
    const before = (await w.posted()).length;
    await w.page.locator('ll-app button', { hasText: 'Use CPU' }).click();
    const cpu = await w.waitForPosted('status', before);
    assert.equal(cpu.backend, 'cpu');
    assert.equal(cpu.layersShown, 8);
    assert.equal(cpu.notice, null, 'no software-WebGL notice on the CPU');
    assert.equal((await w.page.locator('ll-app .badge').innerText()).trim(), 'cpu');
    const onCpu = await maps();
    let worst = 0;
    onWebgl.forEach((m, i) => m.forEach((v, j) => (worst = Math.max(worst, Math.abs(v - onCpu[i][j])))));
    assert.ok(worst < 1e-3, `largest difference ${worst}`);
    // The choice is in the webview's state, so a restored panel starts on the CPU.
    const state = (await w.page.evaluate(() => (window as unknown as { __state: { backend: string } }).__state)) as { backend: string };
    assert.equal(state.backend, 'cpu');
    const restored = await openConvnet(browser, { savedState: state });
    assert.equal((await restored.waitForPosted('status')).backend, 'cpu');
    await restored.page.close();
    // And back.
    const mark = (await w.posted()).length;
    await w.page.locator('ll-app button', { hasText: 'Use WebGL' }).click();
    assert.equal((await w.waitForPosted('status', mark)).backend, 'webgl');
    assert.deepEqual(await w.cspViolations(), []);
    await w.page.close();
  });

  it('the user can switch to WASM under the CSP (wasm-unsafe-eval): SIMD, one thread, the maps agree with WebGL, the choice is kept', async () => {
    const w = await openConvnet(browser);
    const maps = () =>
      w.page.evaluate(() => {
        const app = document.querySelector('ll-app') as unknown as { maps: Map<number, { values: Float32Array }> };
        return Array.from(app.maps.values(), (m) => Array.from(m.values));
      });
    const onWebgl = await maps();
    const before = (await w.posted()).length;
    await w.page.locator('ll-app button', { hasText: 'Use WASM' }).click();
    const wasm = await w.waitForPosted('status', before);
    assert.equal(wasm.backend, 'wasm');
    assert.equal(wasm.layersShown, 8);
    assert.equal(wasm.notice, null);
    const badge = w.page.locator('ll-app .badge');
    assert.equal((await badge.innerText()).trim(), 'wasm');
    // Headless Chromium here has WebAssembly SIMD; a webview page is not cross-origin isolated, so no threads.
    const title = (await badge.getAttribute('title')) ?? '';
    console.log(`      WASM here: ${title}`);
    assert.match(title, /WebAssembly with SIMD, 1 thread \(threads need cross-origin isolation, which a VS Code webview does not have\)/);
    assert.equal(await w.page.evaluate(() => (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true), false);
    const onWasm = await maps();
    let worst = 0;
    onWebgl.forEach((m, i) => m.forEach((v, j) => (worst = Math.max(worst, Math.abs(v - onWasm[i][j])))));
    assert.ok(worst < 1e-3, `largest difference ${worst}`);
    const state = (await w.page.evaluate(() => (window as unknown as { __state: { backend: string } }).__state)) as { backend: string };
    assert.equal(state.backend, 'wasm');
    const restored = await openConvnet(browser, { savedState: state });
    assert.equal((await restored.waitForPosted('status')).backend, 'wasm');
    assert.deepEqual(await restored.cspViolations(), []);
    await restored.page.close();
    assert.deepEqual(await w.cspViolations(), []);
    assert.deepEqual(w.outsideRequests, []);
    await w.page.close();
  });

  it('without WebGL it runs on the CPU backend and says so', async () => {
    {
      const w = await openConvnet(browser, { initScript: NO_WEBGL });
      const status = await w.waitForPosted('status');
      assert.equal(status.backend, 'cpu');
      assert.match(status.notice ?? '', /WebGL is not available: running on the CPU backend/);
      assert.equal(status.layersShown, 8);
      const text = await w.page.evaluate(() => document.querySelector('ll-app')!.shadowRoot!.textContent);
      assert.match(text ?? '', /WebGL is not available/);
      assert.equal(await w.page.evaluate(() => document.querySelector('ll-app')!.shadowRoot!.querySelector('.badge')!.textContent), 'cpu');
      await w.page.close();
    }
  });

  it('a lost WebGL context (WEBGL_lose_context) falls back to WASM with a notice, and the maps come back', async () => {
    const w = await openConvnet(browser, { initScript: RECORD_WEBGL });
    const first = await w.waitForPosted('status');
    assert.equal(first.backend, 'webgl');
    const n = (await w.posted()).length;
    const lost = await w.page.evaluate(() => {
      const contexts = (window as unknown as { __glContexts: WebGLRenderingContext[] }).__glContexts;
      contexts.forEach((gl) => gl.getExtension('WEBGL_lose_context')?.loseContext());
      return contexts.length;
    });
    assert.ok(lost > 0, 'tfjs made a WebGL context');
    const after = await w.waitForPosted('status', n);
    assert.equal(after.backend, 'wasm');
    assert.match(after.notice ?? '', /WebGL context was lost: running on WASM\./);
    assert.equal(after.layersShown, 8);
    await w.page.close();
  });

  it('an image that does not decode gets a clear message, and the maps stay', async () => {
    const w = await openConvnet(browser);
    const before = await channelPixels(w, 0);
    await w.send({ type: 'image', name: 'broken.png', dataUrl: 'data:image/png;base64,iVBORw0KGgoAAAAbroken' });
    const error = await w.waitForPosted('error');
    assert.match(error.message, /an image did not decode/);
    const text = await w.page.evaluate(() => document.querySelector('ll-app')!.shadowRoot!.textContent);
    assert.match(text ?? '', /That image could not be decoded\. Choose a PNG or JPEG file\./);
    assert.deepEqual(await channelPixels(w, 0), before);
    await w.page.close();
  });

  it('shifting the input shows the shifted maps of the first and last convolutions and whether the prediction holds', async () => {
    const w = await openConvnet(browser);
    const shift = w.page.locator('ll-app .shift');
    await shift.getByRole('button', { name: 'Right' }).click();
    await shift.getByRole('button', { name: 'Right' }).click();
    await w.page.waitForFunction(() =>
      /shifted: class/.test(document.querySelector('ll-app')!.shadowRoot!.querySelector('.shift .prediction')?.textContent ?? ''),
    );
    const text = (await shift.locator('.prediction').textContent())?.replace(/\s+/g, ' ').trim();
    assert.match(text ?? '', /^Prediction: class \d \(\d\.\d\d\) → shifted: class \d \(\d\.\d\d\) — it (holds|changed)$/);
    assert.match((await shift.locator('.row').textContent())?.replace(/\s+/g, ' ') ?? '', /by 4 px right, 0 px down/);
    assert.equal(await shift.locator('ll-layer').count(), 2, 'conv2d and conv2d_2, shifted');
    await w.page.screenshot({ path: 'test-results/webview-shift.png' });
    assert.deepEqual(await w.cspViolations(), []);
    await w.page.close();
  });

  it('a model without a spatial input gets a plain message and the layer table', async () => {
    const w = await openWebview(browser);
    await w.waitForPosted('ready');
    await w.send({ type: 'model', model: toPreviewModel(modelNamed(example('imdb.py'), 'model'), 'k'), memoryLimitMB: 1024 });
    const text = await w.page.waitForFunction(() => document.querySelector('ll-app')!.shadowRoot!.textContent);
    assert.match((await text.jsonValue()) as string, /Feature maps need a spatial input/);
    await w.page.close();
  });
});
