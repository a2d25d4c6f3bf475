/**
 * A ReLU's gradient on tfjs' WASM backend as one pass (wasmLoops' reluGrad, four values at a time) instead of
 * tfjs' two, step(x) and then its product with dy, each a full pass over the activation: on the book's convnet at
 * batch 64 the two took about 5% of a training step (README, Speed).
 *
 * The gradient is tfjs-core's, chosen per backend: tfjs registers one gradient per kernel for every backend, so
 * LayerLens registers Relu's again, and it computes tfjs' own mul(dy, cast(step(x))) unless it runs on WASM with
 * the loops, where the fused kernel gives the same values (test/unit/wasmKernels.test.ts). The fused kernel has no
 * gradient of its own: a second derivative through a ReLU on WASM is not supported (LayerLens takes none).
 */
import { engine, getBackend, mul, cast, step, Relu, registerGradient, registerKernel, getKernel, util } from '@tensorflow/tfjs-core';
import type { KernelFunc, Tensor, TensorInfo } from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { BACKEND, heapF32, type KernelArgs } from './wasmHeap';
import { wasmLoops } from './wasmLoops';

/** The fused kernel's name (LayerLens' own: tfjs has no kernel for a ReLU's gradient). */
export const RELU_GRAD = 'LayerLensReluGrad';

/** Registers the fused kernel for WASM and Relu's gradient that uses it there (once or more: the same). */
export function registerWasmReluGradient(): void {
  if (!getKernel(RELU_GRAD, BACKEND)) registerKernel({ kernelName: RELU_GRAD, backendName: BACKEND, kernelFunc: reluGrad as unknown as KernelFunc });
  registerGradient({
    kernelName: Relu,
    inputsToSave: ['x'],
    gradFunc: (dy: Tensor | Tensor[], saved: Tensor[]) => {
      const [x] = saved;
      const g = dy as Tensor;
      const fused = getBackend() === BACKEND && x.dtype === 'float32' && g.dtype === 'float32' && util.arraysEqual(x.shape, g.shape);
      return { x: () => (fused && wasmLoops(engine().backend) ? (engine().runKernel(RELU_GRAD, { dy: g, x }) as Tensor) : mul(g, cast(step(x), 'float32'))) };
    },
  });
}

function reluGrad({ inputs, backend }: KernelArgs): TensorInfo {
  const { dy, x } = inputs;
  if (!dy || !x) throw new Error(`${RELU_GRAD} needs dy and x`);
  const out = (backend as BackendWasm).makeOutput(x.shape, 'float32');
  // Views after the allocation.
  const [g, xs, dx] = [dy, x, out].map((t) => heapF32(backend, t));
  const loops = wasmLoops(backend);
  const vectors = loops ? xs.length - (xs.length % 4) : 0;
  loops?.reluGrad(g.byteOffset, xs.byteOffset, dx.byteOffset, vectors);
  // The last few values (all of them without the loops), as the loop computes them.
  for (let k = vectors; k < xs.length; k++) dx[k] = g[k] * (xs[k] > 0 ? 1 : xs[k] !== xs[k] ? NaN : 0);
  return out;
}
