// Bundled into the benchmark page: the webview's runner and colour mapping, timed on one backend or the other.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-webgl';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { registerWasmTrainingKernels } from '../webview/tfjs/wasmKernels';
import { wasmLoops } from '../webview/tfjs/wasmLoops';
import { registerBaselineWasmKernels } from './wasmBaseline';
import { TRAINING_SEED } from '../webview/app/training';
import { trainingPlan } from '../webview/train/fit';
import type { PreviewModel } from '../src/protocol';
import { colormapTable, paintChannel } from '../webview/render/colormap';
import { inputGeometry, patternPlane, toChannels } from '../webview/tfjs/inputs';
import { ModelRunner } from '../webview/tfjs/runner';
import { decodeDigits, gunzip } from '../webview/train/digits';
import { Trainer } from '../webview/train/trainer';

/** Paints every channel of every map, as the webview does, into scratch pixel buffers. */
function paintAll(maps: { shape: number[]; values: Float32Array }[]): void {
  const table = colormapTable('viridis');
  for (const m of maps) {
    if (m.shape.length !== 3) continue;
    const [h, w, c] = m.shape;
    const out = new Uint8ClampedArray(h * w * 4);
    for (let ch = 0; ch < c; ch++) {
      let lo = Infinity;
      let hi = -Infinity;
      for (let i = 0; i < h * w; i++) {
        const v = m.values[i * c + ch];
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
      paintChannel(m.values, h * w, c, ch, lo, hi, table, out);
    }
  }
}

/**
 * The WASM backend as the webview sets it up (webview/main.ts): binaries from `base`, one thread, the preview's
 * training kernels; or, for `baseline`, the kernels as they were before them (bench/wasmBaseline.ts).
 */
(window as unknown as Record<string, unknown>).useWasmFrom = (base: string, kernels: 'preview' | 'baseline' = 'preview') => {
  setWasmPaths(base);
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  if (kernels === 'baseline') registerBaselineWasmKernels();
  else registerWasmTrainingKernels();
};

/** What the WASM backend can use in this page: SIMD, threads, cross-origin isolation. */
(window as unknown as Record<string, unknown>).wasmFeatures = async () => ({
  simd: await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'),
  sharedArrayBuffer: typeof SharedArrayBuffer === 'function',
  crossOriginIsolated: (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true,
});

(window as unknown as Record<string, unknown>).bench = async (model: PreviewModel, backend: string, runs: number) => {
  await tf.setBackend(backend);
  const g = inputGeometry(model.inputShape)!;
  const input = toChannels(patternPlane('digit', g.height, g.width), g);
  const shape = [g.height, g.width, g.channels];
  const t0 = performance.now();
  const runner = new ModelRunner();
  runner.build(model);
  const first = runner.run(input, shape);
  paintAll(first);
  const firstMs = performance.now() - t0;
  const mem = tf.memory() as { numBytes: number; numBytesInGPU?: number; numTensors: number };
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    input[i % input.length] = (i % 7) / 7;
    const s = performance.now();
    paintAll(runner.run(input, shape));
    times.push(performance.now() - s);
  }
  const tensorsAfter = tf.memory().numTensors;
  runner.dispose();
  times.sort((a, b) => a - b);
  const heap = (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? null;
  return {
    backend: tf.getBackend(),
    firstMs,
    medianMs: times[Math.floor(times.length / 2)] ?? null,
    tensorBytes: mem.numBytes,
    gpuBytes: mem.numBytesInGPU ?? null,
    tensors: mem.numTensors,
    tensorsAfter,
    heap,
  };
};

/** Runs the model `n` times on one backend, as the webview does on each input change; tensors and heap around them. */
(window as unknown as Record<string, unknown>).memoryRuns = async (model: PreviewModel, backend: string, n: number) => {
  await tf.setBackend(backend);
  const g = inputGeometry(model.inputShape)!;
  const input = toChannels(patternPlane('noise', g.height, g.width), g);
  const shape = [g.height, g.width, g.channels];
  const runner = new ModelRunner();
  runner.build(model);
  paintAll(runner.run(input, shape));
  const heap = () => (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? NaN;
  const tensorsBefore = tf.memory().numTensors;
  const heapBefore = heap();
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    input[i % input.length] = (i % 11) / 11;
    paintAll(runner.run(input, shape));
  }
  const ms = performance.now() - t0;
  const result = { tensorsBefore, tensorsAfter: tf.memory().numTensors, heapBefore, heapAfter: heap(), ms };
  runner.dispose();
  return result;
};

/**
 * A large model as the preview first shows it: built, then run one layer at a time with each map painted as it
 * arrives (runProgressive). Times to the first convolution's maps and to all maps, and memory at the end.
 */
(window as unknown as Record<string, unknown>).progressive = async (model: PreviewModel, backend: string) => {
  await tf.setBackend(backend);
  const g = inputGeometry(model.inputShape)!;
  const input = toChannels(patternPlane('digit', g.height, g.width), g);
  const t0 = performance.now();
  const runner = new ModelRunner();
  runner.build(model);
  const buildMs = performance.now() - t0;
  let firstMs: number | null = null;
  let peakBytes = 0;
  await runner.runProgressive(
    input,
    [g.height, g.width, g.channels],
    (m) => {
      paintAll([m]);
      if (firstMs === null && m.shape.length === 3 && model.layers[m.index].type !== 'InputLayer') firstMs = performance.now() - t0;
      peakBytes = Math.max(peakBytes, tf.memory().numBytes);
    },
    () => false,
  );
  const allMs = performance.now() - t0;
  const heap = (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? null;
  runner.dispose();
  return { backend: tf.getBackend(), buildMs, firstMs, allMs, peakBytes, heap };
};

/** The model being trained for `timedTraining`, built and warmed by `prepareTraining`. */
let training: { runner: ModelRunner; trainer: (trainSamples: number, size: number) => Trainer; batchSize: number } | null = null;

/**
 * Training speed, in two steps so that the page's CPU time can be read around the timed part alone: the model
 * built for the bundled digits (given as the gzipped file's base64), Adam as the preview trains, and a first small
 * batch, not timed, which compiles the backend's kernels (WebGL's shaders).
 */
(window as unknown as Record<string, unknown>).prepareTraining = async (model: PreviewModel, backend: string, digitsBase64: string, batchSize: number) => {
  await tf.setBackend(backend);
  const bytes = Uint8Array.from(atob(digitsBase64), (c) => c.charCodeAt(0));
  const digits = decodeDigits(await gunzip(bytes));
  const runner = new ModelRunner();
  runner.build(model);
  const trainModel = runner.trainingModel()!;
  const inputShape = (model.inputShape ?? []).slice(1) as number[];
  const trainer = (trainSamples: number, size: number) =>
    new Trainer({
      model: trainModel,
      inputShape,
      digits,
      settings: { optimizer: 'adam', learningRate: 0.001, momentum: 0, logits: false, batchSize: size, epochs: 1 },
      seed: 1,
      trainSamples,
      validationSamples: 1,
      now: () => performance.now(),
      yieldToPage: () => Promise.resolve(),
      onProgress: () => {},
    });
  const warm = trainer(8, 8);
  await warm.run();
  warm.dispose();
  training = { runner, trainer, batchSize };
  return tf.getBackend();
};

/** Then `batches` batches, timed: training steps only (no validation, no drawing). */
(window as unknown as Record<string, unknown>).timedTraining = async (batches: number) => {
  const { runner, trainer, batchSize } = training!;
  const timed = trainer(batchSize * batches, batchSize);
  await timed.run();
  timed.dispose();
  runner.dispose();
  training = null;
  const loops = tf.getBackend() === 'wasm' ? wasmLoops(tf.backend()) !== null : undefined;
  return { samples: timed.seen, samplesPerSecond: timed.samplesPerSecond, loss: timed.batches.map((b) => b.loss), wasmLoops: loops };
};

/**
 * How long the model takes to reach `target` validation accuracy on all the held-out digits, checked at each
 * epoch's end as the preview does, trained as the preview trains it: the plan from the source's compile/fit
 * (`setup`, the core's reading; its defaults where the source says nothing), the preview's seed, no drawing. At
 * most `maxEpochs` epochs. Seconds of training alone (validation left out) and of the whole run.
 */
(window as unknown as Record<string, unknown>).timeToAccuracy = async (
  model: PreviewModel,
  backend: string,
  digitsBase64: string,
  target: number,
  maxEpochs: number,
) => {
  await tf.setBackend(backend);
  const bytes = Uint8Array.from(atob(digitsBase64), (c) => c.charCodeAt(0));
  const digits = decodeDigits(await gunzip(bytes));
  const runner = new ModelRunner();
  runner.build(model);
  const plan = trainingPlan(model, model.training!);
  const t0 = performance.now();
  let reached: { epochs: number; trainingSeconds: number; seconds: number; accuracy: number } | null = null;
  const trainer: Trainer = new Trainer({
    model: runner.trainingModel()!,
    inputShape: (model.inputShape ?? []).slice(1) as number[],
    digits,
    settings: { ...plan.settings, epochs: maxEpochs },
    seed: TRAINING_SEED,
    now: () => performance.now(),
    yieldToPage: () => Promise.resolve(),
    onProgress: () => {},
    onEpoch: (epoch) => {
      const accuracy = trainer.epochValidation[epoch].accuracy;
      if (reached || accuracy < target) return;
      reached = { epochs: epoch + 1, trainingSeconds: trainer.trainingMs / 1000, seconds: (performance.now() - t0) / 1000, accuracy };
      trainer.stop();
    },
  });
  await trainer.run();
  const result = {
    backend: tf.getBackend(),
    settings: plan.settings,
    reached,
    accuracies: trainer.epochValidation.map((v) => v.accuracy),
    samplesPerSecond: trainer.samplesPerSecond,
    seconds: (performance.now() - t0) / 1000,
  };
  trainer.dispose();
  runner.dispose();
  return result;
};
