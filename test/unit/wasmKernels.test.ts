/**
 * The kernels the preview adds to tfjs' WASM backend, or replaces there, to train (webview/tfjs/wasmKernels.ts):
 * each result equals tfjs' CPU backend's, for the cases the kernel handles itself and for those it hands back to the
 * backend's own kernel. A convolution's gradients with respect to its kernel (Conv2DBackpropFilter) and its input
 * (Conv2DBackpropInput) for strides 1 to 3, valid and same padding, non-square kernels and the book's layers (the
 * first at batch 64); max pooling's gradient (MaxPoolGrad) with overlapping windows, padding, ties (a ReLU's zeros)
 * and NaNs; matrix products with either operand transposed (BatchMatMul); sums over leading axes (Sum); a clone and
 * a cast to the same type that share their values (Identity, Cast). And the book's convnet trains on WASM in Node
 * (the loss falls) with as many tensors after each epoch as before.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-layers';
import { registerWasmTrainingKernels } from '../../webview/tfjs/wasmKernels';
import { useWasmLoops, wasmLoops } from '../../webview/tfjs/wasmLoops';
import { WasmAdamOptimizer, WasmRmsPropOptimizer } from '../../webview/tfjs/wasmOptimizers';
import { RELU_GRAD } from '../../webview/tfjs/wasmReluGrad';
import { ModelRunner } from '../../webview/tfjs/runner';
import { Trainer } from '../../webview/train/trainer';
import { decodeDigits, gunzip } from '../../webview/train/digits';
import { toPreviewModel } from '../../src/panel/previewModel';
import { example, modelNamed } from './support/fixtures';

describe("tfjs' WASM backend: the training kernels the preview adds or replaces", () => {
  // Registered here, not when mocha loads the files: the WASM backend outranks the CPU one, and a test that never
  // sets a backend would otherwise get it. Removed again afterwards, the CPU backend set.
  before(async () => {
    await import('@tensorflow/tfjs-backend-wasm');
    registerWasmTrainingKernels();
    assert.ok(await tf.setBackend('wasm'));
  });
  after(async () => {
    await tf.setBackend('cpu');
    tf.removeBackend('wasm');
  });

  type Shape4 = [number, number, number, number];

  /** `f` on the CPU backend and on WASM, the largest difference relative to 1 + |CPU's value|, and the shapes. */
  async function compare(f: () => tf.Tensor, tolerance = 1e-3): Promise<void> {
    const on = async (backend: string) => {
      await tf.setBackend(backend);
      const t = f();
      const result = { shape: t.shape, values: t.dataSync().slice() };
      t.dispose();
      return result;
    };
    const cpu = await on('cpu');
    const wasm = await on('wasm');
    assert.deepEqual(wasm.shape, cpu.shape);
    assert.equal(wasm.values.length, cpu.values.length);
    let worst = 0;
    cpu.values.forEach((c, i) => (worst = Math.max(worst, Math.abs(wasm.values[i] - c) / (1 + Math.abs(c)))));
    assert.ok(worst < tolerance, `largest relative difference ${worst}`);
    // Both backends ran: the values are not all zero (a kernel that wrote nothing would pass a comparison of zeros).
    assert.ok(cpu.values.some((v) => v !== 0));
  }

  /** Runs `check` with LayerLens' WebAssembly loops on or off (off: the kernels' JavaScript, as where SIMD is missing). */
  async function withLoops(on: boolean, check: () => Promise<void>): Promise<void> {
    useWasmLoops(on);
    try {
      await check();
    } finally {
      useWasmLoops(true);
    }
  }
  const jsOnly = (on: boolean) => (on ? '' : ' (JavaScript only)');

  const convCases: [string, Shape4, Shape4, number, 'valid' | 'same'][] = [
    ['stride 1, valid', [2, 8, 8, 3], [3, 3, 3, 4], 1, 'valid'],
    ['stride 1, same', [2, 8, 7, 3], [3, 3, 3, 4], 1, 'same'],
    ['stride 2, valid (the stride does not divide the size)', [2, 9, 9, 3], [3, 3, 3, 4], 2, 'valid'],
    ['stride 2, same', [2, 9, 9, 3], [3, 3, 3, 4], 2, 'same'],
    ['stride 2, same, an even size', [2, 8, 8, 3], [3, 3, 3, 4], 2, 'same'],
    ['stride 3, same, a 5×2 kernel on a 10×7 input', [3, 10, 7, 2], [5, 2, 2, 3], 3, 'same'],
    ['a 1×1 kernel', [2, 5, 5, 6], [1, 1, 6, 4], 1, 'valid'],
    // More output channels than patch values (2·2·2 = 8 < 16): the kernel's gradient as dyᵀ · P.
    ['stride 2, same, 16 filters of 2×2×2', [2, 9, 9, 2], [2, 2, 2, 16], 2, 'same'],
    ['stride 1, same, 16 filters of 3×1×2', [2, 6, 5, 2], [3, 1, 2, 16], 1, 'same'],
    ["the book's first convolution, batch 64", [64, 28, 28, 1], [3, 3, 1, 32], 1, 'valid'],
    // At batch 4: the CPU backend takes a minute for the second at batch 64.
    ["the book's second convolution, batch 4", [4, 13, 13, 32], [3, 3, 32, 64], 1, 'valid'],
    ["the book's third convolution, batch 4", [4, 5, 5, 64], [3, 3, 64, 64], 1, 'valid'],
  ];
  for (const loops of [true, false])
    for (const [what, xShape, kShape, stride, pad] of convCases) {
      const loss = (x: tf.Tensor, k: tf.Tensor) => tf.sum(tf.square(tf.conv2d(x as tf.Tensor4D, k as tf.Tensor4D, stride, pad)));
      const inputs = () => [tf.randomNormal(xShape, 0, 1, 'float32', 1), tf.randomNormal(kShape, 0, 1, 'float32', 2)];
      it(`Conv2DBackpropFilter equals the CPU backend's: ${what}${jsOnly(loops)}`, () =>
        withLoops(loops, () =>
          compare(() => {
            const [x, k] = inputs();
            return tf.tidy(() => tf.grad((kernel: tf.Tensor) => loss(x, kernel))(k));
          }),
        ));
      it(`Conv2DBackpropInput equals the CPU backend's: ${what}${jsOnly(loops)}`, () =>
        withLoops(loops, () =>
          compare(() => {
            const [x, k] = inputs();
            return tf.tidy(() => tf.grad((input: tf.Tensor) => loss(input, k))(x));
          }),
        ));
    }

  it("Conv2DBackpropInput with padding wider than the kernel (explicit; not as a convolution) equals the CPU backend's", () =>
    compare(() =>
      tf.conv2dTranspose(
        tf.randomNormal([2, 5, 2, 4], 0, 1, 'float32', 3) as tf.Tensor4D,
        tf.randomNormal([3, 3, 2, 4], 0, 1, 'float32', 4) as tf.Tensor4D,
        [2, 4, 4, 2],
        1,
        // conv2dTranspose's padding is the forward convolution's: 3 above, more than the kernel's 3 - 1, so that
        // the forward convolution of a 4×4 input gives the 5×2 taken here.
        [
          [0, 0],
          [3, 0],
          [0, 0],
          [0, 0],
        ] as never,
      ),
    ));

  const poolCases: [string, Shape4, [number, number], number, 'valid' | 'same'][] = [
    ['2×2, stride 2', [2, 8, 8, 3], [2, 2], 2, 'valid'],
    ['2×2, stride 2, an odd size (the last row and column unused)', [2, 9, 7, 3], [2, 2], 2, 'valid'],
    ['2×2, stride 2, an odd size, 8 channels (the WebAssembly loop)', [2, 9, 7, 8], [2, 2], 2, 'valid'],
    ['3×3, stride 2, same (windows overlap, padding)', [2, 9, 9, 3], [3, 3], 2, 'same'],
    ['3×2, stride 1, same', [2, 6, 5, 4], [3, 2], 1, 'same'],
    ["the book's first pooling, batch 64", [64, 26, 26, 32], [2, 2], 2, 'valid'],
  ];
  for (const loops of [true, false])
    for (const [what, xShape, size, stride, pad] of poolCases) {
      it(`MaxPoolGrad equals the CPU backend's: ${what}${jsOnly(loops)}`, () =>
        withLoops(loops, () =>
          compare(() => {
            const x = tf.randomNormal(xShape, 0, 1, 'float32', 5);
            const dy = tf.randomNormal(tf.maxPool(x as tf.Tensor4D, size, stride, pad).shape, 0, 1, 'float32', 6);
            return tf.tidy(() => tf.grad((input: tf.Tensor) => tf.sum(tf.mul(tf.maxPool(input as tf.Tensor4D, size, stride, pad), dy)))(x));
          }),
        ));
      it(`MaxPoolGrad equals the CPU backend's after a ReLU (ties of zeros go to the first): ${what}${jsOnly(loops)}`, () =>
        withLoops(loops, () =>
          compare(() => {
            const x = tf.randomNormal(xShape, 0, 1, 'float32', 7);
            const dy = tf.randomNormal(tf.maxPool(x as tf.Tensor4D, size, stride, pad).shape, 0, 1, 'float32', 8);
            return tf.tidy(() =>
              tf.grad((input: tf.Tensor) => tf.sum(tf.mul(tf.maxPool(tf.relu(input) as tf.Tensor4D, size, stride, pad), dy)))(
                // Whole windows of negative values: equal zeros after the ReLU.
                tf.sub(x, 1),
              ),
            );
          }),
        ));
    }

  it("LayerLens' WebAssembly loops compile here (with SIMD) and share the backend's heap, so the cases below run them", async () => {
    await tf.setBackend('wasm');
    assert.ok(wasmLoops(tf.backend()), 'the loops, not the JavaScript fallback');
  });

  // With the loops on, four channels and more, in fours, go to LayerLens' WebAssembly loop; others to JavaScript.
  for (const loops of [true, false])
    for (const channels of [2, 4])
      it(`MaxPoolGrad equals the CPU backend's where the input has NaNs and -Infinity (a window of them gets no gradient), ${channels} channels${jsOnly(loops)}`, () =>
        withLoops(loops, () =>
          compare(() => {
            const values = tf.randomNormal([1, 4, 4, channels], 0, 1, 'float32', 14).dataSync().slice();
            const set = (channel: number, pixels: [number, number, number][]) => pixels.forEach(([y, x, v]) => (values[(y * 4 + x) * channels + channel] = v));
            // Channel 0's first window all NaN; channel 1's NaN but one value.
            set(0, [
              [0, 0, NaN],
              [0, 1, NaN],
              [1, 0, NaN],
              [1, 1, NaN],
            ]);
            set(1, [
              [0, 0, NaN],
              [1, 0, NaN],
              [1, 1, NaN],
            ]);
            if (channels === 4) {
              // Channel 2's first window all -Infinity, its second a NaN, -Infinity and +Infinity; channel 3's first NaN
              // then two equal values.
              set(2, [
                [0, 0, -Infinity],
                [0, 1, -Infinity],
                [1, 0, -Infinity],
                [1, 1, -Infinity],
                [0, 2, NaN],
                [0, 3, -Infinity],
                [1, 3, Infinity],
              ]);
              set(3, [
                [0, 0, NaN],
                [0, 1, 2],
                [1, 0, 2],
                [1, 1, 1],
              ]);
            }
            const input = tf.tensor(values, [1, 4, 4, channels]);
            const dy = tf.randomNormal([1, 2, 2, channels], 0, 1, 'float32', 15);
            return tf.tidy(() => tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.maxPool(t as tf.Tensor4D, 2, 2, 'valid'), dy)))(input));
          }),
        ));

  const matMulCases: [string, number[], number[], boolean, boolean][] = [
    ['a · b', [5, 7], [7, 3], false, false],
    ['aᵀ · b', [7, 5], [7, 3], true, false],
    ['a · bᵀ', [5, 7], [3, 7], false, true],
    ['aᵀ · bᵀ', [7, 5], [3, 7], true, true],
    ['aᵀ · b with one batch', [1, 7, 5], [1, 7, 3], true, false],
    ['a · bᵀ batched (the backend kernel)', [2, 5, 7], [2, 3, 7], false, true],
    ["a Dense layer's gradients (576 → 64, batch 64): xᵀ · dy", [64, 576], [64, 64], true, false],
    ["a Dense layer's gradients (576 → 64, batch 64): dy · Wᵀ", [64, 64], [576, 64], false, true],
  ];
  for (const [what, aShape, bShape, ta, tb] of matMulCases)
    it(`BatchMatMul equals the CPU backend's: ${what}`, () =>
      compare(() => tf.matMul(tf.randomNormal(aShape, 0, 1, 'float32', 9), tf.randomNormal(bShape, 0, 1, 'float32', 10), ta, tb)));

  const sumCases: [string, number[], number[], boolean][] = [
    ["a bias's gradient: the leading three axes", [4, 5, 6, 7], [0, 1, 2], false],
    ['the leading two axes, kept', [4, 5, 6, 7], [1, 0], true],
    ['the first axis, as a negative one', [4, 3], [-2], false],
    ['rows not a multiple of four (15)', [3, 5, 2], [0, 1], false],
    ['an odd width (the JavaScript loop)', [6, 5, 3], [0, 1], false],
    ["the book's first bias gradient", [64, 26, 26, 32], [0, 1, 2], false],
    ['inner axes (the backend kernel)', [4, 5, 6], [1, 2], false],
    ['every axis (the backend kernel)', [4, 5], [0, 1], false],
  ];
  for (const loops of [true, false])
    for (const [what, shape, axes, keep] of sumCases)
      it(`Sum equals the CPU backend's: ${what}${jsOnly(loops)}`, () =>
        withLoops(loops, () => compare(() => tf.sum(tf.randomNormal(shape, 0, 1, 'float32', 11), axes, keep), 1e-5)));

  it('Identity (tf.clone) shares the values, which outlive the original', async () => {
    await tf.setBackend('wasm');
    const x = tf.tensor([1, 2, 3, 4], [2, 2]);
    const before = tf.memory().numDataBuffers;
    const y = tf.clone(x);
    assert.equal(tf.memory().numDataBuffers, before, 'no copy: the same data');
    x.dispose();
    assert.deepEqual(Array.from(y.dataSync()), [1, 2, 3, 4]);
    assert.deepEqual(y.shape, [2, 2]);
    y.dispose();
  });

  it('Cast to the same type shares the values; to another type it converts them (to bool: not 0, as on the CPU backend)', async () => {
    await tf.setBackend('wasm');
    const x = tf.tensor([1.5, -2, 0, 3.25]);
    const before = tf.memory().numDataBuffers;
    const same = tf.cast(x, 'float32');
    assert.equal(tf.memory().numDataBuffers, before, 'no copy: the same data');
    const whole = tf.cast(x, 'int32');
    const truth = tf.cast(x, 'bool');
    x.dispose();
    assert.deepEqual(Array.from(same.dataSync()), [1.5, -2, 0, 3.25]);
    assert.deepEqual(Array.from(whole.dataSync()), [1, -2, 0, 3]);
    assert.deepEqual(Array.from(truth.dataSync()), [1, 1, 0, 1]);
    tf.dispose([same, whole, truth]);
  });

  it('registering again changes nothing (the replaced kernels keep the originals underneath)', async () => {
    registerWasmTrainingKernels();
    await compare(() => tf.matMul(tf.randomNormal([6, 4], 0, 1, 'float32', 12), tf.randomNormal([6, 3], 0, 1, 'float32', 13), true, false));
  });

  for (const loops of [true, false])
    it(`a ReLU's gradient (one pass on WASM) equals the CPU backend's exactly, NaN, zeros and infinities included${jsOnly(loops)}`, () =>
      withLoops(loops, async () => {
        // 2·3·5·7 = 210 values: not a multiple of 4, so the loop's last values are JavaScript's.
        const shape = [2, 3, 5, 7];
        const special = [NaN, 0, -0, 1e-30, -1e-30, Infinity, -Infinity, 3, -3];
        const x = tf
          .randomNormal(shape, 0, 1, 'float32', 30)
          .dataSync()
          .map((v, i) => (i < special.length ? special[i] : v));
        // dy: infinities and a NaN where x is negative or zero, where 0 · ∞ is NaN.
        const dy = tf
          .randomNormal(shape, 0, 1, 'float32', 31)
          .dataSync()
          .map((v, i) => (i === 1 ? Infinity : i === 4 ? NaN : i === 6 ? -Infinity : v));
        const on = async (backend: string) => {
          await tf.setBackend(backend);
          const g = tf.tidy(() => tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.relu(t), tf.tensor(dy, shape))))(tf.tensor(x, shape)));
          const values = Array.from(g.dataSync());
          g.dispose();
          return values;
        };
        const cpu = await on('cpu');
        const wasm = await on('wasm');
        assert.equal(wasm.length, cpu.length);
        wasm.forEach((v, i) => assert.ok(Object.is(v, cpu[i]) || (Number.isNaN(v) && Number.isNaN(cpu[i])), `[${i}]: ${v} against ${cpu[i]}`));
        assert.ok(cpu.some((v) => v !== 0 && Number.isFinite(v)));
        // With the loops, WASM runs the one pass in place of Step and its product.
        const kernels = (await tf.profile(() => tf.grad((t: tf.Tensor) => tf.sum(tf.relu(t)))(tf.tensor(x, shape)))).kernels.map((k) => k.name);
        assert.equal(kernels.includes(RELU_GRAD), loops, kernels.join(', '));
        assert.equal(kernels.includes('Step'), !loops, kernels.join(', '));
      }));

  const optimizers: [string, () => tf.Optimizer, () => tf.Optimizer][] = [
    ['Adam', () => tf.train.adam(0.01, 0.9, 0.999, 1e-7), () => new WasmAdamOptimizer(0.01, 0.9, 0.999, 1e-7)],
    ['RMSprop', () => tf.train.rmsprop(0.01, 0.9, 0, 1e-7), () => new WasmRmsPropOptimizer(0.01, 0.9, 0, 1e-7)],
    ['RMSprop with momentum', () => tf.train.rmsprop(0.01, 0.9, 0.5, 1e-7), () => new WasmRmsPropOptimizer(0.01, 0.9, 0.5, 1e-7)],
  ];
  for (const [what, tfjs, fused] of optimizers)
    it(`${what}'s update in one pass per variable equals tfjs' bit for bit on WASM, its state too, and the CPU backend's within 1e-6, step after step`, async () => {
      // Sizes with and without a remainder of four (the loop takes four values at a time, JavaScript the rest).
      const shapes = [[3, 3, 2, 4], [5], [7, 5]];
      const steps = 5;
      // The variables after `steps` updates with the same gradients, and the optimizer's state (tfjs' layout).
      const train = async (backend: string, label: string, make: () => tf.Optimizer) => {
        await tf.setBackend(backend);
        const variables = shapes.map((s, i) => tf.variable(tf.randomNormal(s, 0, 1, 'float32', 20 + i), true, `${what}-${label}-${i}`));
        const optimizer = make();
        for (let step = 0; step < steps; step++) {
          // Seeds from 1: tfjs draws an unseeded sequence for a seed of 0.
          const grads = variables.map((v, i) => ({ name: v.name, tensor: tf.randomNormal(v.shape, 0, 1 + step, 'float32', 100 * step + i + 1) }));
          optimizer.applyGradients(grads);
          tf.dispose(grads.map((g) => g.tensor));
        }
        const values = variables.map((v) => Array.from(v.dataSync()));
        const state = await optimizer.getWeights();
        const stateValues = state.map((w) => Array.from(w.tensor.dataSync()));
        tf.dispose(state.map((w) => w.tensor));
        optimizer.dispose();
        tf.dispose(variables);
        return { values, stateValues };
      };
      const onCpu = await train('cpu', 'cpu', tfjs);
      const onWasm = await train('wasm', 'wasm', tfjs);
      const ours = await train('wasm', 'fused', fused);
      assert.deepEqual(ours.values, onWasm.values);
      assert.deepEqual(ours.stateValues, onWasm.stateValues);
      ours.values.forEach((vs, i) =>
        vs.forEach((v, k) => assert.ok(Math.abs(v - onCpu.values[i][k]) < 1e-6, `variable ${i}[${k}]: ${v} against ${onCpu.values[i][k]}`)),
      );
      // tfjs' layout: the step count, then each variable's two slots.
      assert.equal(ours.stateValues.length, 1 + 2 * shapes.length);
      assert.deepEqual(ours.stateValues[0], [steps]);
      // Without the loops, tfjs' own update runs: the same values.
      await withLoops(false, async () => assert.deepEqual((await train('wasm', 'unfused', fused)).values, onWasm.values));
    });

  it("trains the book's convnet on WASM: the loss falls, and no tensor is left behind after an epoch", async () => {
    await tf.setBackend('wasm');
    const digits = decodeDigits(await gunzip(new Uint8Array(readFileSync(join(__dirname, '..', '..', 'dist', 'mnist.bin.gz')))));
    const model = toPreviewModel(modelNamed(example('mnist_convnet.py'), 'model'), 'k');
    const runner = new ModelRunner();
    runner.build(model);
    const tensors: number[] = [];
    const trainer = new Trainer({
      model: runner.trainingModel()!,
      inputShape: [28, 28, 1],
      digits,
      settings: { optimizer: 'adam', learningRate: 0.001, momentum: 0, logits: false, batchSize: 64, epochs: 2 },
      seed: 1,
      trainSamples: 640,
      validationSamples: 200,
      now: () => performance.now(),
      yieldToPage: () => Promise.resolve(),
      onProgress: () => {},
      onEpoch: () => tensors.push(tf.memory().numTensors),
    });
    assert.equal(await trainer.run(), 'done');
    const losses = trainer.batches.map((b) => b.loss);
    assert.ok(Math.abs(losses[0] - Math.log(10)) < 0.5, `first loss ${losses[0]}`);
    const last = losses.slice(-5).reduce((a, b) => a + b, 0) / 5;
    assert.ok(last < losses[0] - 0.5, `the last 5 batches' mean loss ${last}, the first ${losses[0]}`);
    assert.equal(tensors.length, 2);
    assert.equal(tensors[0], tensors[1], 'as many tensors after each epoch');
    trainer.dispose();
    runner.dispose();
  });
});
