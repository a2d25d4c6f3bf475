/**
 * The kernel the preview adds to tfjs' WASM backend so that it can train convolutions (webview/tfjs/wasmKernels.ts:
 * Conv2DBackpropFilter, as one convolution of the backend's own): the kernel's gradient equals tfjs' CPU backend's
 * for strides 1 to 3, valid and same padding, non-square kernels and the book's first layer at batch 64; and the
 * book's convnet trains on WASM in Node (the loss falls) with as many tensors after each epoch as before.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-layers';
import { registerWasmTrainingKernels } from '../../webview/tfjs/wasmKernels';
import { ModelRunner } from '../../webview/tfjs/runner';
import { Trainer } from '../../webview/train/trainer';
import { decodeDigits, gunzip } from '../../webview/train/digits';
import { toPreviewModel } from '../../src/panel/previewModel';
import { example, modelNamed } from './support/fixtures';

describe("tfjs' WASM backend: the training kernel the preview adds", () => {
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
  const cases: [string, Shape4, Shape4, number, 'valid' | 'same'][] = [
    ['stride 1, valid', [2, 8, 8, 3], [3, 3, 3, 4], 1, 'valid'],
    ['stride 2, valid (the stride does not divide the size)', [2, 9, 9, 3], [3, 3, 3, 4], 2, 'valid'],
    ['stride 2, same', [2, 9, 9, 3], [3, 3, 3, 4], 2, 'same'],
    ['stride 3, same, a 5×2 kernel on a 10×7 input', [3, 10, 7, 2], [5, 2, 2, 3], 3, 'same'],
    ["the book's first convolution, batch 64", [64, 28, 28, 1], [3, 3, 1, 32], 1, 'valid'],
  ];
  for (const [what, xShape, kShape, stride, pad] of cases)
    it(`Conv2DBackpropFilter equals the CPU backend's: ${what}`, async () => {
      const x = tf.randomNormal(xShape, 0, 1, 'float32', 1) as tf.Tensor4D;
      const k = tf.randomNormal(kShape, 0, 1, 'float32', 2) as tf.Tensor4D;
      const grad = async (backend: string) => {
        await tf.setBackend(backend);
        const g = tf.grad((kernel: tf.Tensor) => tf.sum(tf.square(tf.conv2d(x, kernel as tf.Tensor4D, stride, pad))))(k);
        const values = g.dataSync().slice();
        assert.deepEqual(g.shape, kShape);
        g.dispose();
        return values;
      };
      const cpu = await grad('cpu');
      const wasm = await grad('wasm');
      let worst = 0;
      cpu.forEach((c, i) => (worst = Math.max(worst, Math.abs(wasm[i] - c) / (1 + Math.abs(c)))));
      assert.ok(worst < 1e-3, `largest relative difference ${worst}`);
      x.dispose();
      k.dispose();
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
