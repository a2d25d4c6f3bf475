/**
 * Adam's and RMSprop's updates on tfjs' WASM backend as one pass over each variable (wasmLoops' adam and rmsprop,
 * four values at a time), in place of tfjs' dozen kernels per variable (products and sums for each slot, a square
 * root, a quotient…), each of which costs the engine more than its arithmetic on a small model's weights: on the
 * book's convnet (93,322 weights in 10 variables) Adam's update took 1.6 ms of CPU time, now 0.5, RMSprop's 1.4 ms,
 * now 0.4 (Node). (Adam's pass in JavaScript took 2.1 ms: JavaScript has no vectors, and each step is rounded to
 * float32 on its own.)
 *
 * The values are those of tfjs' own update, bit for bit: every step rounded to float32, as each of tfjs' kernels
 * rounds its result, in the same order (test/unit/wasmKernels.test.ts compares them). The state is tfjs' own (the
 * same slots, named as tfjs names them), so getWeights/setWeights and a copy of it (train/optimizerState.ts) work
 * as for tfjs' optimizers. On another backend, without LayerLens' WebAssembly loops, or for RMSprop's centered
 * form, tfjs' own update runs.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { BACKEND, heapF32, Scratch } from './wasmHeap';
import { wasmLoops, type WasmLoops } from './wasmLoops';

type Slot = { originalName: string; variable: tf.Variable };
type Gradients = Parameters<tf.AdamOptimizer['applyGradients']>[0];
type Named = { name: string; tensor: tf.Tensor };

const f = Math.fround;

/** The gradients as a list, and the loops where the fused update can run: on WASM, every tensor float32. */
function fusable(variableGradients: Gradients): { list: Named[]; loops: WasmLoops | null } {
  const list: Named[] = Array.isArray(variableGradients)
    ? variableGradients
    : Object.keys(variableGradients).map((name) => ({ name, tensor: variableGradients[name] }));
  const float32 = ({ name, tensor }: Named) => !tensor || (tensor.dtype === 'float32' && tf.engine().registeredVariables[name]?.dtype === 'float32');
  const loops = tf.getBackend() === BACKEND && list.every(float32) ? wasmLoops(tf.backend()) : null;
  return { list, loops };
}

/** A slot as tfjs makes it: zeros like the variable, not trainable, named `${name}/${suffix}`. */
function slot(slots: Slot[], i: number, name: string, suffix: string): tf.Variable {
  const value = tf.engine().registeredVariables[name];
  slots[i] ??= { originalName: `${name}/${suffix}`, variable: tf.tidy(() => tf.zerosLike(value).variable(false)) };
  return slots[i].variable;
}

/**
 * One variable's update: `update` is given the heap addresses of the variable, its two slots and its gradient, of
 * their three new values, the number of values it takes (a multiple of 4) and of `constants` (float32 on the heap);
 * `tail(k, …)` computes the last few values in JavaScript. Then the variable and its slots take the new values.
 */
function updateVariable(
  value: tf.Variable,
  slots: [tf.Variable, tf.Variable],
  gradient: tf.Tensor,
  constants: number[],
  update: (addresses: number[], vectors: number, constants: number) => void,
  tail: (k: number, arrays: Float32Array[]) => void,
): void {
  const backend = tf.backend();
  const outputs = [0, 1, 2].map(() => (backend as unknown as BackendWasm).makeOutput(value.shape, 'float32'));
  const s = new Scratch(backend);
  try {
    const scalars = s.alloc([constants.length]);
    // Views after the last allocation on the heap.
    const arrays = [value, ...slots, gradient, ...outputs, scalars].map((t) => heapF32(backend, t));
    arrays[7].set(constants);
    const count = arrays[3].length;
    const vectors = count - (count % 4);
    update(
      arrays.slice(0, 7).map((a) => a.byteOffset),
      vectors,
      arrays[7].byteOffset,
    );
    for (let k = vectors; k < count; k++) tail(k, arrays);
  } finally {
    s.free();
  }
  const [w, a, b] = outputs.map((t) => tf.engine().makeTensorFromTensorInfo(t));
  value.assign(w);
  slots[0].assign(a);
  slots[1].assign(b);
}

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

export class WasmAdamOptimizer extends tf.AdamOptimizer {
  override applyGradients(variableGradients: Gradients): void {
    const { list, loops } = fusable(variableGradients);
    if (!loops) return super.applyGradients(variableGradients);
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
      const [b1, c1, b2, c2, correction1, correction2, epsilon, step] = constants;
      list.forEach(({ name, tensor: gradient }, i) => {
        const m = slot(o.accumulatedFirstMoment, i, name, 'm');
        const v = slot(o.accumulatedSecondMoment, i, name, 'v');
        if (gradient == null) return;
        updateVariable(
          tf.engine().registeredVariables[name],
          [m, v],
          gradient,
          constants,
          (at, vectors, k) => loops.adam(at[0], at[1], at[2], at[3], at[4], at[5], at[6], vectors, k),
          // The loop's arithmetic, value by value.
          (k, [ws, ms, vs, gs, newValue, newM, newV]) => {
            const g = gs[k];
            const m1 = f(f(ms[k] * b1) + f(g * c1));
            const v1 = f(f(vs[k] * b2) + f(f(g * g) * c2));
            newM[k] = m1;
            newV[k] = v1;
            newValue[k] = f(f(f(f(m1 / correction1) / f(f(Math.sqrt(f(v1 / correction2))) + epsilon)) * step) + ws[k]);
          },
        );
      });
      o.accBeta1.assign(tf.mul(o.accBeta1, o.beta1));
      o.accBeta2.assign(tf.mul(o.accBeta2, o.beta2));
    });
    o.incrementIterations();
  }
}

/** The fields of tfjs' RMSPropOptimizer that hold its settings and state (private in its typings). */
interface RmsPropFields {
  learningRate: number;
  decay: number;
  momentum: number;
  epsilon: number;
  centered: boolean;
  accumulatedMeanSquares: Slot[];
  accumulatedMoments: Slot[];
  incrementIterations(): void;
}

export class WasmRmsPropOptimizer extends tf.RMSPropOptimizer {
  override applyGradients(variableGradients: Gradients): void {
    const o = this as unknown as RmsPropFields;
    const { list, loops } = fusable(variableGradients);
    if (!loops || o.centered) return super.applyGradients(variableGradients);
    const constants = [o.decay, 1 - o.decay, o.momentum, o.learningRate, o.epsilon].map(f);
    const [decay, oneMinusDecay, momentum, learningRate, epsilon] = constants;
    tf.tidy(() =>
      list.forEach(({ name, tensor: gradient }, i) => {
        const meanSquare = slot(o.accumulatedMeanSquares, i, name, 'rms');
        const moments = slot(o.accumulatedMoments, i, name, 'momentum');
        if (gradient == null) return;
        updateVariable(
          tf.engine().registeredVariables[name],
          [meanSquare, moments],
          gradient,
          constants,
          (at, vectors, k) => loops.rmsprop(at[0], at[1], at[2], at[3], at[4], at[5], at[6], vectors, k),
          // The loop's arithmetic, value by value.
          (k, [ws, squares, mos, gs, newValue, newSquares, newMoments]) => {
            const g = gs[k];
            const square = f(f(squares[k] * decay) + f(f(g * g) * oneMinusDecay));
            const moment = f(f(mos[k] * momentum) + f(f(g * learningRate) / f(Math.sqrt(f(square + epsilon)))));
            newSquares[k] = square;
            newMoments[k] = moment;
            newValue[k] = f(ws[k] - moment);
          },
        );
      }),
    );
    o.incrementIterations();
  }
}
