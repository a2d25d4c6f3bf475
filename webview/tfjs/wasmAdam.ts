/**
 * Adam's update on tfjs' WASM backend as one pass over each variable (wasmLoops' adam, four values at a time), in
 * place of tfjs' dozen kernels per variable (two products and a sum for each moment, the bias corrections, a square
 * root, a quotient…), each of which costs the engine more than its arithmetic on a small model's weights: on the
 * book's convnet (93,322 weights in 10 variables) an update took 1.6 ms of CPU time, now 0.5 (Node). (The same
 * pass in JavaScript took 2.1 ms: JavaScript has no vectors, and each step is rounded to float32 on its own.)
 *
 * The values are those of tfjs' own update, bit for bit: every step rounded to float32, as each of tfjs' kernels
 * rounds its result, in the same order (test/unit/wasmKernels.test.ts compares them). The state is tfjs' own (the
 * same slots, named as tfjs names them), so getWeights/setWeights and a copy of it (train/optimizerState.ts) work
 * as for tfjs' Adam. On another backend, or without LayerLens' WebAssembly loops, tfjs' own update runs.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { BACKEND, heapF32, Scratch } from './wasmHeap';
import { wasmLoops } from './wasmLoops';

type Slot = { originalName: string; variable: tf.Variable };
type Gradients = Parameters<tf.AdamOptimizer['applyGradients']>[0];
type Named = { name: string; tensor: tf.Tensor };

/** The fields of tfjs' AdamOptimizer that hold its settings and state (private in its typings). */
interface AdamFields {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  accBeta1: tf.Variable;
  accBeta2: tf.Variable;
  accumulatedFirstMoment: Slot[];
  accumulatedSecondMoment: Slot[];
  incrementIterations(): void;
}

const f = Math.fround;

export class WasmAdamOptimizer extends tf.AdamOptimizer {
  override applyGradients(variableGradients: Gradients): void {
    const list: Named[] = Array.isArray(variableGradients)
      ? variableGradients
      : Object.keys(variableGradients).map((name) => ({ name, tensor: variableGradients[name] }));
    const backend = tf.backend();
    const loops = tf.getBackend() === BACKEND ? wasmLoops(backend) : null;
    const float32 = ({ name, tensor }: Named) => !tensor || (tensor.dtype === 'float32' && tf.engine().registeredVariables[name]?.dtype === 'float32');
    if (!loops || !list.every(float32)) return super.applyGradients(variableGradients);
    const o = this as unknown as AdamFields;
    tf.tidy(() => {
      // tfjs: sub(1, accBeta), a float32 scalar; its scalars (beta1, 1 - beta1, …) become float32 tensors.
      const constants = [
        o.beta1,
        1 - o.beta1,
        o.beta2,
        1 - o.beta2,
        1 - o.accBeta1.dataSync()[0],
        1 - o.accBeta2.dataSync()[0],
        o.epsilon,
        -o.learningRate,
      ].map(f);
      list.forEach(({ name, tensor: gradient }, i) => {
        const value = tf.engine().registeredVariables[name];
        o.accumulatedFirstMoment[i] ??= { originalName: `${name}/m`, variable: tf.tidy(() => tf.zerosLike(value).variable(false)) };
        o.accumulatedSecondMoment[i] ??= { originalName: `${name}/v`, variable: tf.tidy(() => tf.zerosLike(value).variable(false)) };
        if (gradient == null) return;
        const m = o.accumulatedFirstMoment[i].variable;
        const v = o.accumulatedSecondMoment[i].variable;
        const outputs = [0, 1, 2].map(() => (backend as unknown as BackendWasm).makeOutput(value.shape, 'float32'));
        const s = new Scratch(backend);
        try {
          const scalars = s.alloc([constants.length]);
          // Views after the last allocation on the heap.
          heapF32(backend, scalars).set(constants);
          const [newValue, newM, newV] = outputs.map((t) => heapF32(backend, t));
          const [ws, ms, vs, gs] = [value, m, v, gradient].map((t) => heapF32(backend, t));
          const vectors = gs.length - (gs.length % 4);
          const at = (a: Float32Array) => a.byteOffset;
          loops.adam(at(ws), at(ms), at(vs), at(gs), at(newValue), at(newM), at(newV), vectors, at(heapF32(backend, scalars)));
          // The last few values (fewer than 4), in JavaScript, rounded as the loop rounds them.
          const [b1, c1, b2, c2, correction1, correction2, epsilon, step] = constants;
          for (let k = vectors; k < gs.length; k++) {
            const g = gs[k];
            const m1 = f(f(ms[k] * b1) + f(g * c1));
            const v1 = f(f(vs[k] * b2) + f(f(g * g) * c2));
            newM[k] = m1;
            newV[k] = v1;
            newValue[k] = f(f(f(f(m1 / correction1) / f(f(Math.sqrt(f(v1 / correction2))) + epsilon)) * step) + ws[k]);
          }
        } finally {
          s.free();
        }
        const [wt, mt, vt] = outputs.map((t) => tf.engine().makeTensorFromTensorInfo(t));
        m.assign(mt);
        v.assign(vt);
        value.assign(wt);
      });
      o.accBeta1.assign(tf.mul(o.accBeta1, o.beta1));
      o.accBeta2.assign(tf.mul(o.accBeta2, o.beta2));
    });
    o.incrementIterations();
  }
}
