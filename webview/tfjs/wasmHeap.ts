/**
 * What the preview's WASM training kernels share: running one of the WASM backend's own kernels on backend data,
 * and reading or writing a tensor's memory on the WebAssembly heap in place (no copy out to JavaScript and back).
 */
import { getKernel } from '@tensorflow/tfjs-core';
import type { DataType, KernelBackend, KernelFunc, NamedAttrMap, NamedTensorInfoMap, TensorInfo } from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

export const BACKEND = 'wasm';

/** A kernel's arguments, as the engine passes them. */
export interface KernelArgs {
  inputs: NamedTensorInfoMap;
  backend: KernelBackend;
  attrs?: NamedAttrMap;
}

/** Runs one of the WASM backend's kernels (or `func`, a kernel this preview replaced) on backend data, as its kernels call each other. */
export function run(name: string, inputs: NamedTensorInfoMap, backend: KernelBackend, attrs: NamedAttrMap, func?: KernelFunc): TensorInfo {
  const kernel = func ?? getKernel(name, BACKEND)?.kernelFunc;
  if (!kernel) throw new Error(`the WASM backend has no ${name} kernel`);
  return kernel({ inputs, backend, attrs }) as TensorInfo;
}

/**
 * Steps that make intermediate tensors, each freed when the kernel ends (`free`), whatever it returns. The kernel's
 * own result is made with `backend.makeOutput` or `run`, never through `step`.
 */
export class Scratch {
  private readonly made: TensorInfo[] = [];
  constructor(readonly backend: KernelBackend) {}

  step(name: string, inputs: NamedTensorInfoMap, attrs: NamedAttrMap = {}, func?: KernelFunc): TensorInfo {
    return this.keep(run(name, inputs, this.backend, attrs, func));
  }

  /** A tensor of `shape` on the heap, its values not yet set. */
  alloc(shape: number[], dtype: DataType = 'float32'): TensorInfo {
    return this.keep((this.backend as BackendWasm).makeOutput(shape, dtype));
  }

  keep(t: TensorInfo): TensorInfo {
    this.made.push(t);
    return t;
  }

  free(): void {
    for (const t of this.made) this.backend.disposeData(t.dataId);
  }
}

/**
 * A float32 tensor's values as a view on the WebAssembly heap. Take views only after the last allocation: a heap
 * that grows detaches the views made before.
 */
export function heapF32(backend: KernelBackend, t: TensorInfo): Float32Array {
  return (backend as BackendWasm).typedArrayFromHeap(t) as Float32Array;
}

/** The same data seen with another shape (as the WASM backend's Reshape does, without a copy or a new reference). */
export function reshaped(t: TensorInfo, shape: number[]): TensorInfo {
  return { dataId: t.dataId, shape, dtype: t.dtype };
}
