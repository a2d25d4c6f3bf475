/** Keras 3 on JAX's CPU backend, the book's convnet at batch size 64 on this machine (2 cores): measured once from the
 * Keras oracle's environment (scripts/keras-oracle), as issue 20 reports it; CI has no Python, so it is a constant. */
const KERAS_JAX_CPU_SAMPLES_PER_S = 2400;

/**
 * Preview benchmarks in headless Chromium (software WebGL here; a real GPU is faster):
 * - the real webview bundle: from the model message to the first maps, and maps per second while drawing;
 * - the webview's runner on WebGL against the CPU backend, side by side, on the book's convnet;
 * - a VGG-16-sized convolution stack at 224×224×3: time to all maps, and memory;
 * - keras.applications.VGG16 (no top) at 224×224×3 as the preview first shows it, layer by layer: time to the
 *   first maps and to all maps, peak tensor memory and JS heap, on WebGL and on the CPU backend side by side;
 * - training the book's convnet on the bundled digits: samples per second at batch size 64, on each backend.
 * Prints a table; never fails on a time.
 */
import '../test/support/pythonText'; // first: src/core imports its keras.applications as .py text
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { analyze, readTraining } from '../src/core';
import { toPreviewModel } from '../src/panel/previewModel';
import type { PreviewModel } from '../src/protocol';
import { launch, openBundlePage, openWebview, WASM_BASE } from '../test/browser/support/webviewPage';
import { example, modelNamed } from '../test/unit/support/fixtures';

const VGG_CONV = `from keras import layers, models
vgg = models.Sequential([layers.Input(shape=(224, 224, 3)),
${[
  [64, 2],
  [128, 2],
  [256, 3],
  [512, 3],
  [512, 3],
]
  .map(([f, n]) => `${`    layers.Conv2D(${f}, 3, padding='same', activation='relu'),\n`.repeat(n)}    layers.MaxPooling2D(2),\n`)
  .join('')}])
`;

async function main(): Promise<void> {
  // Precise heap figures: Chromium otherwise rounds performance.memory to coarse buckets.
  const browser = await launch(['--enable-precise-memory-info']);
  const convnet = toPreviewModel(modelNamed(example('mnist_convnet.py'), 'model'), 'bench#model');
  const rows: string[][] = [];
  // `--training`: only the training rows (a minute or two, not the whole benchmark); `--against DIR`, `--rounds N`: see
  // WASM_ROUNDS.
  if (process.argv.includes('--training')) {
    await trainingRows(browser, convnet, rows);
    await browser.close();
    print(rows);
    return;
  }

  // 1. The real webview: boot, then model → first maps; then drawing.
  const t0 = Date.now();
  const w = await openWebview(browser);
  await w.waitForPosted('ready');
  const boot = Date.now() - t0;
  const t1 = Date.now();
  await w.send({ type: 'model', model: convnet, memoryLimitMB: 1024 });
  await w.waitForPosted('status');
  const firstMaps = Date.now() - t1;
  rows.push(['webview: page load to ready', `${boot} ms`, '']);
  rows.push(['webview: model message to first maps (convnet)', `${firstMaps} ms`, '']);
  await w.page.locator('ll-app button', { hasText: 'Draw' }).click();
  // The preview's own capacity while drawing: the pad's input event is sent every 2 ms for 3 s (faster than any
  // run), and the runs that complete are counted; then the same on the CPU backend, switched as the user does.
  for (const backend of ['webgl', 'cpu']) {
    if (backend === 'cpu') {
      const mark = (await w.posted()).length;
      await w.page.locator('ll-app button', { hasText: 'Use CPU' }).click();
      await w.waitForPosted('status', mark);
    }
    const before = (await w.posted()).length;
    const seconds = await w.page.evaluate(async () => {
      const pad = document.querySelector('ll-app')!.shadowRoot!.querySelector('ll-pad')!;
      const t0 = performance.now();
      for (let i = 0; performance.now() - t0 < 3000; i++) {
        const values = new Float32Array(28 * 28);
        for (let k = 0; k < 40; k++) values[(i * 7 + k * 29) % values.length] = 1;
        pad.dispatchEvent(new CustomEvent('pad-input', { detail: values }));
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
      return (performance.now() - t0) / 1000;
    });
    await w.page.waitForTimeout(300);
    const statuses = (await w.posted()).slice(before).filter((m) => m.type === 'status') as { runMs: number }[];
    const perSecond = statuses.length / seconds;
    rows.push([
      `webview: maps redrawn per second while drawing (capacity), ${backend}`,
      perSecond.toFixed(1),
      perSecond >= 30 ? 'target >= 30/s: met' : 'target >= 30/s: MISSED',
    ]);
    rows.push([`webview: inference per redraw (median), ${backend}`, `${median(statuses.map((s) => s.runMs)).toFixed(1)} ms`, '']);
  }
  await w.page.close();

  // 2. and 3. The runner on each backend, side by side.
  const entry = join(__dirname, 'preview.entry.ts');
  const run = async (model: PreviewModel, backend: string, runs: number) => {
    const page = await openBundlePage(browser, entry);
    const r = (await page.evaluate(([m, b, n]) => (window as unknown as { bench(...a: unknown[]): Promise<unknown> }).bench(m, b, n), [
      model,
      backend,
      runs,
    ] as const)) as {
      backend: string;
      firstMs: number;
      medianMs: number | null;
      tensorBytes: number;
      gpuBytes: number | null;
      tensors: number;
      tensorsAfter: number;
      heap: number | null;
    };
    await page.close();
    return r;
  };
  const gl = await run(convnet, 'webgl', 30);
  const cpu = await run(convnet, 'cpu', 30);
  rows.push(['convnet run + paint all maps, webgl (median)', `${gl.medianMs!.toFixed(1)} ms`, `${(1000 / gl.medianMs!).toFixed(0)} runs/s`]);
  rows.push(['convnet run + paint all maps, cpu (median)', `${cpu.medianMs!.toFixed(1)} ms`, `${(1000 / cpu.medianMs!).toFixed(0)} runs/s`]);
  rows.push([
    '  webgl vs cpu',
    `${(gl.medianMs! / cpu.medianMs!).toFixed(2)}×`,
    gl.medianMs! < cpu.medianMs! ? 'webgl faster' : 'cpu faster (software WebGL here)',
  ]);
  rows.push(['convnet tensors before/after runs', `${gl.tensors} / ${gl.tensorsAfter}`, gl.tensors === gl.tensorsAfter ? 'no leak' : 'LEAK']);

  // 1,000 consecutive runs of the convnet, as while drawing: tensors must stay constant; heap growth is reported.
  {
    const page = await openBundlePage(browser, entry);
    const m = (await page.evaluate((p) => (window as unknown as { memoryRuns(...a: unknown[]): Promise<unknown> }).memoryRuns(p, 'webgl', 1000), convnet)) as {
      tensorsBefore: number;
      tensorsAfter: number;
      heapBefore: number;
      heapAfter: number;
      ms: number;
    };
    await page.close();
    rows.push([
      '1,000 consecutive convnet runs (webgl): tf.memory().numTensors',
      `${m.tensorsBefore} → ${m.tensorsAfter}`,
      m.tensorsBefore === m.tensorsAfter ? 'constant' : 'GREW',
    ]);
    rows.push([
      '  JS heap over those runs (no forced GC)',
      `${((m.heapAfter - m.heapBefore) / 1048576).toFixed(1)} MB`,
      `${(m.ms / 1000).toFixed(0)} s for 1,000 runs`,
    ]);
  }

  await trainingRows(browser, convnet, rows);

  const vggModel = analyze(VGG_CONV).models[0];
  const vgg = toPreviewModel(vggModel, 'bench#vgg');
  const v = await run(vgg, 'webgl', 2);
  rows.push([
    'VGG-16 conv stack 224×224×3: build + first maps (webgl)',
    `${(v.firstMs / 1000).toFixed(1)} s`,
    `${vggModel.layers.length} layers, ${(vggModel.totalParams! / 1e6).toFixed(1)} M params`,
  ]);
  rows.push(['  one more run + paint (webgl)', `${(v.medianMs! / 1000).toFixed(1)} s`, '']);
  rows.push(['  tensor memory (weights + maps)', `${(v.tensorBytes / 1048576).toFixed(0)} MB`, `estimate: ${(vgg.estimatedBytes! / 1048576).toFixed(0)} MB`]);
  if (v.heap !== null) rows.push(['  JS heap after run', `${(v.heap / 1048576).toFixed(0)} MB`, '']);

  // keras.applications.VGG16 at 224×224×3, as the preview first shows it (one layer at a time), on each backend.
  const vgg16Model = analyze('import keras\nbase = keras.applications.VGG16(weights=None, include_top=False, input_shape=(224, 224, 3))\n').models[0];
  const vgg16 = toPreviewModel(vgg16Model, 'bench#vgg16');
  for (const backend of ['webgl', 'cpu']) {
    const page = await openBundlePage(browser, entry);
    const r = (await page.evaluate(([m, b]) => (window as unknown as { progressive(...a: unknown[]): Promise<unknown> }).progressive(m, b), [
      vgg16,
      backend,
    ] as const)) as { backend: string; buildMs: number; firstMs: number | null; allMs: number; peakBytes: number; heap: number | null };
    await page.close();
    const first = r.firstMs === null ? NaN : r.firstMs / 1000;
    rows.push([
      `keras.applications VGG16 224×224×3 (no top), ${r.backend}: first maps`,
      `${first.toFixed(1)} s`,
      `${first < 5 ? 'target < 5 s: met' : 'target < 5 s: MISSED'} (build ${(r.buildMs / 1000).toFixed(1)} s)`,
    ]);
    rows.push([
      `  all ${vgg16.layers.length} rows' maps, ${r.backend}`,
      `${(r.allMs / 1000).toFixed(1)} s`,
      r.allMs < 15_000 ? 'target < 15 s: met' : 'target < 15 s: MISSED',
    ]);
    rows.push([
      `  peak tensor memory / JS heap, ${r.backend}`,
      `${(r.peakBytes / 1048576).toFixed(0)} MB`,
      r.heap === null ? '' : `heap ${(r.heap / 1048576).toFixed(0)} MB; estimate ${(vgg16.estimatedBytes! / 1048576).toFixed(0)} MB`,
    ]);
  }
  await browser.close();

  print(rows);
}

function print(rows: string[][]): void {
  const width = [Math.max(...rows.map((r) => r[0].length)), Math.max(...rows.map((r) => r[1].length))];
  console.log('\nLayerLens preview benchmark (headless Chromium, software WebGL)\n');
  for (const r of rows) console.log(`${r[0].padEnd(width[0])}  ${r[1].padStart(width[1])}  ${r[2]}`);
}

/**
 * The preview's kernels against the WASM backend before them: this many rounds (`--rounds N`), each one run of
 * each, alternated; with `--against DIR` (another checkout of LayerLens, as bench/compare.mjs takes), a run of that
 * checkout's preview kernels in each round as well, so that a change to them is measured against the same machine.
 */
const WASM_ROUNDS = Number(argument('rounds') ?? 3);
const AGAINST = argument('against');
/** The validation accuracy to reach on the held-out digits, and the most epochs to try. */
const TARGET_ACCURACY = 0.97;
const MAX_EPOCHS = 8;

/**
 * Training the book's convnet on the digits at batch size 64 (the batch size of the Keras-JAX figure), on each
 * backend the webview can use, side by side: samples per second after an untimed small batch (which compiles
 * WebGL's shaders, starts WASM), over a few timed batches (WebGL in software and the plain-JavaScript CPU backend
 * take seconds a batch: one batch each), with the ratio to the fastest and to Keras-JAX on this machine's CPU.
 * WASM runs with the preview's kernels and, alternated with them in the same run, with the kernels before them
 * (bench/wasmBaseline.ts); the median of each. Then the time the preview takes to reach 97% validation accuracy.
 */
async function trainingRows(browser: Awaited<ReturnType<typeof launch>>, convnet: PreviewModel, rows: string[][]): Promise<void> {
  const digits = readFileSync(join(__dirname, '..', 'dist', 'mnist.bin.gz')).toString('base64');
  const entry = join(__dirname, 'preview.entry.ts');
  type Features = { simd: boolean; sharedArrayBuffer: boolean; crossOriginIsolated: boolean };
  type BenchWindow = {
    prepareTraining(...a: unknown[]): Promise<string>;
    timedTraining(batches: number): Promise<{ samples: number; samplesPerSecond: number; wasmLoops?: boolean }>;
    timeToAccuracy(...a: unknown[]): Promise<TimeToAccuracy>;
    useWasmFrom(base: string, kernels: 'preview' | 'baseline'): void;
    wasmFeatures(): Promise<Features>;
  };
  let features: Features | null = null;
  let loops: boolean | undefined;
  const open = async (backend: string, kernels: 'preview' | 'baseline', from = entry) => {
    const page = await openBundlePage(browser, from);
    if (backend === 'wasm') {
      await page.evaluate(([base, k]) => (window as unknown as BenchWindow).useWasmFrom(base, k), [WASM_BASE, kernels] as const);
      features = await page.evaluate(() => (window as unknown as BenchWindow).wasmFeatures());
    }
    return page;
  };
  // Samples per second of the page's own CPU time as well as of the clock: on this shared machine the page may get
  // a fraction of a core, and its CPU time says what it would do with one to itself.
  const cpu = await browser.newBrowserCDPSession();
  const rendererSeconds = async () => {
    const { processInfo } = (await cpu.send('SystemInfo.getProcessInfo' as never)) as { processInfo: { type: string; id: number }[] };
    return processInfo.filter((p) => p.type === 'renderer').reduce((sum, p) => sum + cpuSeconds(p.id), 0);
  };
  const samplesPerSecond = async (backend: string, batches: number, kernels: 'preview' | 'baseline' = 'preview', from = entry) => {
    const page = await open(backend, kernels, from);
    await page.evaluate(([m, b, d]) => (window as unknown as BenchWindow).prepareTraining(m, b, d, 64), [convnet, backend, digits] as const);
    const c0 = await rendererSeconds();
    const r = await page.evaluate((n) => (window as unknown as BenchWindow).timedTraining(n), batches);
    const cpuSecondsUsed = (await rendererSeconds()) - c0;
    if (backend === 'wasm' && kernels === 'preview' && from === entry) loops = r.wasmLoops;
    await page.close();
    return { wall: r.samplesPerSecond, cpu: cpuSecondsUsed > 0 ? r.samples / cpuSecondsUsed : NaN, share: r.samplesPerSecond * (cpuSecondsUsed / r.samples) };
  };

  const before: Speed[] = [];
  const after: Speed[] = [];
  const other: Speed[] = [];
  const otherEntry = AGAINST ? resolve(AGAINST, 'bench', 'preview.entry.ts') : null;
  for (let round = 0; round < WASM_ROUNDS; round++) {
    before.push(await samplesPerSecond('wasm', 10, 'baseline'));
    after.push(await samplesPerSecond('wasm', 10));
    if (otherEntry) other.push(await samplesPerSecond('wasm', 10, 'preview', otherEntry));
  }
  const mid = (xs: Speed[]): Speed => ({ wall: median(xs.map((x) => x.wall)), cpu: median(xs.map((x) => x.cpu)), share: median(xs.map((x) => x.share)) });
  const results = [
    { name: "wasm, the preview's kernels", speed: mid(after), batches: `${WASM_ROUNDS} runs of 10 timed batches, median` },
    ...(AGAINST ? [{ name: `wasm, the preview's kernels in ${AGAINST}`, speed: mid(other), batches: `${WASM_ROUNDS} runs of 10, median` }] : []),
    { name: 'wasm, before them (bench/wasmBaseline.ts)', speed: mid(before), batches: `${WASM_ROUNDS} runs of 10, median` },
    { name: 'webgl', speed: await samplesPerSecond('webgl', 1), batches: '1 timed batch' },
    { name: 'cpu', speed: await samplesPerSecond('cpu', 1), batches: '1 timed batch' },
  ];
  const best = Math.max(...results.map((r) => r.speed.wall));
  for (const { name, speed, batches } of results) {
    const epoch = 9000 / speed.wall;
    rows.push([
      `train the convnet on the digits, batch 64, ${name} (${batches})`,
      `${speed.wall.toFixed(1)} samples/s`,
      `${(speed.wall / best).toFixed(3)}× the fastest; ${(speed.wall / KERAS_JAX_CPU_SAMPLES_PER_S).toFixed(3)}× Keras-JAX CPU; an epoch of 9,000: ${epoch < 120 ? `${epoch.toFixed(0)} s` : `${(epoch / 60).toFixed(0)} min`}`,
    ]);
    // WebGL draws in the GPU process (SwiftShader here), not the page's: its CPU time would flatter it.
    if (name.startsWith('wasm'))
      rows.push([
        `  per second of the page's CPU time (it had ${(speed.share * 100).toFixed(0)}% of a core)`,
        `${speed.cpu.toFixed(1)} samples/s`,
        `${(speed.cpu / KERAS_JAX_CPU_SAMPLES_PER_S).toFixed(3)}× Keras-JAX CPU`,
      ]);
  }
  const list = (xs: Speed[], key: 'wall' | 'cpu') => xs.map((x) => x[key].toFixed(0)).join(', ');
  rows.push([
    "  wasm: the preview's kernels against before them (alternated in this run)",
    `${(mid(after).wall / mid(before).wall).toFixed(2)}×`,
    `before ${list(before, 'wall')}; after ${list(after, 'wall')} samples/s (by CPU time: ${(mid(after).cpu / mid(before).cpu).toFixed(2)}×, before ${list(before, 'cpu')}; after ${list(after, 'cpu')})`,
  ]);
  if (AGAINST)
    rows.push([
      `  wasm: this checkout's kernels against ${AGAINST}'s (alternated in this run)`,
      `${(mid(after).wall / mid(other).wall).toFixed(2)}×`,
      `${AGAINST} ${list(other, 'wall')}; this ${list(after, 'wall')} samples/s (by CPU time: ${(mid(after).cpu / mid(other).cpu).toFixed(2)}×, ${AGAINST} ${list(other, 'cpu')}; this ${list(after, 'cpu')})`,
    ]);
  rows.push([
    '  Keras 3 on JAX, CPU, same model, batch 64 (measured once from the oracle, a constant)',
    `${KERAS_JAX_CPU_SAMPLES_PER_S} samples/s`,
    'aims: an epoch < 60 s on the fastest backend; >= 0.25× Keras-JAX CPU',
  ]);
  const f = features as Features | null;
  if (f)
    rows.push([
      '  WASM in this Chromium page',
      f.simd ? 'SIMD' : 'no SIMD',
      `SharedArrayBuffer ${f.sharedArrayBuffer ? 'yes' : 'no'}, cross-origin isolated ${f.crossOriginIsolated ? 'yes' : 'no'} (threads need both); LayerLens' WebAssembly loops ${loops === undefined ? 'unknown' : loops ? 'on' : 'off (no SIMD)'}`,
    ]);

  // Time to 97% on the held-out digits, trained as the preview trains the book's convnet (no compile/fit in the
  // example: LayerLens' defaults), on WASM with the preview's kernels.
  const source = example('mnist_convnet.py');
  const withTraining: PreviewModel = { ...convnet, training: readTraining(source, modelNamed(source, 'model')) };
  const page = await open('wasm', 'preview');
  const t = await page.evaluate(([m, d, target, epochs]) => (window as unknown as BenchWindow).timeToAccuracy(m, 'wasm', d, target, epochs), [
    withTraining,
    digits,
    TARGET_ACCURACY,
    MAX_EPOCHS,
  ] as const);
  await page.close();
  const s = t.settings;
  const accuracies = t.accuracies.map((a) => `${(a * 100).toFixed(1)}%`).join(', ');
  rows.push([
    `time to ${TARGET_ACCURACY * 100}% validation accuracy on the 1,000 held-out digits (${t.backend}; ${s.optimizer} at ${s.learningRate}, batch ${s.batchSize}, the preview's seed)`,
    t.reached ? `${t.reached.epochs} epoch${t.reached.epochs === 1 ? '' : 's'}, ${t.reached.seconds.toFixed(0)} s` : `not reached in ${MAX_EPOCHS} epochs`,
    `${t.reached ? `training alone ${t.reached.trainingSeconds.toFixed(0)} s (validation left out); ` : `${t.seconds.toFixed(0)} s; `}after each epoch: ${accuracies}; ${t.samplesPerSecond?.toFixed(0)} samples/s`,
  ]);
}

/** Samples per second of the clock and of the page's CPU time, and the share of a core the page had. */
interface Speed {
  wall: number;
  cpu: number;
  share: number;
}

/** A process's CPU time so far, user and system, in seconds (Linux: /proc/PID/stat, in clock ticks of 1/100 s). */
function cpuSeconds(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return NaN;
  }
}

interface TimeToAccuracy {
  backend: string;
  settings: { optimizer: string; learningRate: number; batchSize: number };
  reached: { epochs: number; trainingSeconds: number; seconds: number; accuracy: number } | null;
  accuracies: number[];
  samplesPerSecond: number | null;
  seconds: number;
}

/** The value after `--name` on the command line, if given. */
function argument(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? undefined : process.argv[i + 1];
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)] : NaN;
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
