/**
 * An optimizer's state (its step count and slots: Adam's moments, RMSprop's mean squares…) copied to CPU memory and
 * given to a new optimizer of the same kind, so that training goes on, after the backend holding it was lost, with the
 * step it had reached (Adam's bias correction depends on it). tfjs' getWeights/setWeights do this for every optimizer
 * but Adamax, whose state is read from its fields here (tfjs 4 has no accessor for it).
 */
import * as tf from '@tensorflow/tfjs-core';

/** One tensor of the state, its values on the CPU. */
export interface SavedTensor {
  name: string;
  shape: number[];
  dtype: tf.DataType;
  values: Float32Array | Int32Array;
}

type Slot = { originalName: string; variable: tf.Variable };
type Named = { name: string; tensor: tf.Tensor };

/** The fields of tfjs' AdamaxOptimizer that hold its state. */
interface AdamaxFields {
  iterations_: number;
  beta1: number;
  iteration: tf.Variable;
  accBeta1: tf.Variable;
  accumulatedFirstMoment: Slot[];
  accumulatedWeightedInfNorm: Slot[];
}

/** The optimizer's state as tensors (to be read, then disposed with `disposeState`), in the order setWeights takes them. */
async function stateTensors(optimizer: tf.Optimizer): Promise<{ tensors: Named[]; made: tf.Tensor[] }> {
  if (isAdamax(optimizer)) {
    const o = optimizer as unknown as AdamaxFields;
    const iterations = tf.scalar(o.iterations_ ?? 0, 'int32');
    const slots = [...o.accumulatedFirstMoment, ...o.accumulatedWeightedInfNorm];
    return { tensors: [{ name: 'iter', tensor: iterations }, ...slots.map((s) => ({ name: s.originalName, tensor: s.variable }))], made: [iterations] };
  }
  const tensors = await optimizer.getWeights();
  // getWeights makes the step count's scalar; the slots are the optimizer's own variables.
  return { tensors, made: tensors.length ? [tensors[0].tensor] : [] };
}

/** Reads the optimizer's state into CPU memory (an asynchronous read, as WebGL prefers). */
export async function readOptimizerState(optimizer: tf.Optimizer): Promise<SavedTensor[]> {
  const { tensors, made } = await stateTensors(optimizer);
  try {
    const values = await Promise.all(tensors.map((t) => t.tensor.data()));
    return tensors.map((t, i) => ({ name: t.name, shape: t.tensor.shape.slice(), dtype: t.tensor.dtype, values: copy(values[i]) }));
  } finally {
    made.forEach((t) => t.dispose());
  }
}

/** Gives a new optimizer (of the kind the state was read from, with no step taken) that state, on the active backend. */
export async function writeOptimizerState(optimizer: tf.Optimizer, state: SavedTensor[]): Promise<void> {
  if (state.length === 0) return;
  const tensors = state.map((s) => ({ name: s.name, tensor: tf.tensor(s.values, s.shape, s.dtype) }));
  try {
    if (isAdamax(optimizer)) {
      const o = optimizer as unknown as AdamaxFields;
      const steps = state[0].values[0];
      const slots = tensors.slice(1);
      const half = slots.length / 2;
      const slot = (t: Named): Slot => ({ originalName: t.name, variable: t.tensor.variable(false) });
      o.iterations_ = steps;
      // Adamax's own step counter and beta1 to the power of the next step, as its applyGradients leaves them.
      tf.tidy(() => {
        o.iteration.assign(tf.scalar(steps));
        o.accBeta1.assign(tf.pow(tf.scalar(o.beta1), steps + 1));
      });
      o.accumulatedFirstMoment = slots.slice(0, half).map(slot);
      o.accumulatedWeightedInfNorm = slots.slice(half).map(slot);
      return;
    }
    await optimizer.setWeights(tensors);
  } finally {
    // setWeights makes variables of its own from these.
    tensors.forEach((t) => t.tensor.dispose());
  }
}

/** The values read back, as a copy of their own (the CPU backend's read gives its own storage). */
function copy(values: tf.TypedArray | string[] | Uint8Array[]): Float32Array | Int32Array {
  if (values instanceof Int32Array) return values.slice();
  return Float32Array.from(values as ArrayLike<number>);
}

/** tfjs' Optimizer answers `instanceof` by its methods (any optimizer is "an AdamaxOptimizer"): its class name says. */
function isAdamax(optimizer: tf.Optimizer): boolean {
  return optimizer.getClassName() === tf.AdamaxOptimizer.className;
}

/**
 * Frees the optimizer's tensors. tfjs' MomentumOptimizer.dispose leaves its parent SGD's learning-rate scalar (`c`)
 * behind, one tensor per optimizer made: freed here too.
 */
export function disposeOptimizer(optimizer: tf.Optimizer): void {
  optimizer.dispose();
  if (optimizer.getClassName() === tf.MomentumOptimizer.className) (optimizer as unknown as { c?: tf.Tensor }).c?.dispose();
}
