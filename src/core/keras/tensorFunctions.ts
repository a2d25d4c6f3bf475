/**
 * Library functions LayerLens does not evaluate, called on Keras tensors (`tf.nn.swish(x)`,
 * `keras.applications.mobilenet_v2.preprocess_input(inputs)`, `keras.ops.tile(x, ...)`): their output is a tensor of
 * the graph all the same. What is known of one without evaluating it: whether it returns its input's shape (an
 * elementwise function) and whether it can make weights (a library's plain functions cannot).
 */
import { ELEMENTWISE_FUNCTIONS } from '../layers/ops';

/** Namespaces of plain functions: none of them makes a layer or a weight (`tf.keras` is read as `keras`). */
const WEIGHTLESS_NAMESPACE = /^(?:tensorflow|numpy|jax|keras\.ops|keras\.activations|keras\.backend)\./;

/** Namespaces whose functions named in ELEMENTWISE_FUNCTIONS (layers/ops.ts) are elementwise (`tf.nn.relu`, `keras.ops.sigmoid`). */
const ELEMENTWISE_NAMESPACE = /^(?:tensorflow(?:\.nn|\.math)?|keras\.ops(?:\.nn|\.numpy)?|keras\.activations|keras\.backend)\.(\w+)$/;

/** `keras.applications.<family>.preprocess_input`: scales or reorders channels, keeping the shape. */
const PREPROCESS_INPUT = /^keras\.applications\.\w+\.preprocess_input$/;

/** What LayerLens knows of a function by its canonical path (`tensorflow.nn.swish`); null: an unknown callee. */
export function tensorFunction(path: string | null): { keepsShape: boolean; weightless: boolean } {
  if (!path) return { keepsShape: false, weightless: false };
  if (PREPROCESS_INPUT.test(path)) return { keepsShape: true, weightless: true };
  const elementwise = ELEMENTWISE_NAMESPACE.exec(path);
  return { keepsShape: !!elementwise && ELEMENTWISE_FUNCTIONS.has(elementwise[1]), weightless: WEIGHTLESS_NAMESPACE.test(path) };
}
