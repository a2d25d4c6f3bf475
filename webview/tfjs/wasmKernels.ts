/**
 * What tfjs' WASM backend lacks, or does slowly, to train the preview's models. Measured on the book's convnet at
 * batch 64 (`npx tsx bench/preview.ts --training`, README's Speed), tfjs-backend-wasm 4.22:
 * - Conv2DBackpropFilter, the gradient of a convolution with respect to its kernel, is missing (`model.fit` of any
 *   Conv2D stopped with "Kernel 'Conv2DBackpropFilter' not registered for backend 'wasm'");
 * - Conv2DBackpropInput is a direct loop, 40% of a step; MaxPoolGrad visits every window of every pixel, 12%;
 * - BatchMatMul sends only its untransposed form to XNNPACK, and a Dense layer's gradients are the transposed ones;
 * - Sum over a tensor's leading axes (a bias's gradient) transposes the whole tensor first;
 * - Identity (tf.clone, which the gradients call on every activation) and Cast to the same type (a ReLU's gradient
 *   casts its float mask to float) copy the values, where the CPU backend shares them: tensors never change in place;
 *   and its Cast of numbers to bool copies bytes (-2 became 254).
 * The kernels below replace those, for the WASM backend only, with the backend's own fast kernels (XNNPACK's
 * convolution and GEMM) or one pass over the WebAssembly heap (LayerLens' own WebAssembly loops, wasmLoops.ts, where
 * WebAssembly has SIMD; JavaScript otherwise); where a case falls outside what they do, the backend's own kernel
 * runs. Each equals tfjs' CPU backend's result (test/unit/wasmKernels.test.ts).
 */
import {
  BatchMatMul,
  Cast,
  Identity,
  Conv2DBackpropFilter,
  Conv2DBackpropInput,
  getKernel,
  MaxPoolGrad,
  registerKernel,
  Sum,
  Transpose,
  unregisterKernel,
  util,
} from '@tensorflow/tfjs-core';
import type { BatchMatMulAttrs, CastAttrs, KernelConfig, KernelFunc, SumAttrs, TensorInfo } from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { conv2DBackpropFilter, conv2DBackpropInput } from './wasmConvGrads';
import { maxPoolGrad } from './wasmPoolGrad';
import { BACKEND, heapF32, reshaped, Scratch, type KernelArgs } from './wasmHeap';
import { wasmLoops } from './wasmLoops';
import { registerWasmReluGradient } from './wasmReluGrad';

/** Marks the kernels registered here, so that registering twice keeps the backend's originals underneath. */
const REPLACED = Symbol('layerlens replaced');

/**
 * Registers the kernels above for the WASM backend (once; after `@tensorflow/tfjs-backend-wasm` is imported, before
 * or after the backend starts). A replaced kernel keeps the original's setup, which binds its WebAssembly function.
 */
export function registerWasmTrainingKernels(): void {
  if (!getKernel(Conv2DBackpropFilter, BACKEND))
    registerKernel({ kernelName: Conv2DBackpropFilter, backendName: BACKEND, kernelFunc: conv2DBackpropFilter as never });
  replace(Conv2DBackpropInput, () => conv2DBackpropInput as never);
  replace(MaxPoolGrad, () => maxPoolGrad as never);
  replace(BatchMatMul, untransposedMatMul);
  replace(Sum, leadingAxesSum);
  replace(Identity, sharedIdentity);
  replace(Cast, sameTypeCast);
  registerWasmReluGradient();
}

function replace(name: string, make: (own: KernelFunc) => KernelFunc | ((args: KernelArgs) => TensorInfo)): void {
  const own = getKernel(name, BACKEND) as (KernelConfig & { [REPLACED]?: true }) | undefined;
  if (!own || own[REPLACED]) return;
  unregisterKernel(name, BACKEND);
  registerKernel({ ...own, kernelFunc: make(own.kernelFunc) as KernelFunc, [REPLACED]: true } as KernelConfig);
}

/**
 * BatchMatMul with a transposed operand as the untransposed product of the operand transposed first (by the
 * backend's Transpose): the WASM backend hands only `a · b` with one batch to XNNPACK's GEMM, and runs every other
 * form as a plain blocked loop. Batched products go to the backend's own kernel.
 */
function untransposedMatMul(own: KernelFunc): KernelFunc {
  return (({ inputs, backend, attrs }: KernelArgs) => {
    const { a, b } = inputs;
    const { transposeA, transposeB } = attrs as unknown as BatchMatMulAttrs;
    const single = (t: TensorInfo) => t.shape.length >= 2 && util.sizeFromShape(t.shape.slice(0, -2)) === 1;
    if (!a || !b || (!transposeA && !transposeB) || !single(a) || !single(b) || a.dtype !== 'float32' || b.dtype !== 'float32')
      return own({ inputs, backend, attrs: attrs ?? {} });
    const s = new Scratch(backend);
    try {
      const flat = (t: TensorInfo, transposed: boolean) => {
        const [r, c] = t.shape.slice(-2);
        return transposed ? s.step(Transpose, { x: reshaped(t, [r, c]) }, { perm: [1, 0] }) : reshaped(t, [r, c]);
      };
      const product = own({
        inputs: { a: flat(a, transposeA), b: flat(b, transposeB) },
        backend,
        attrs: { ...attrs, transposeA: false, transposeB: false },
      }) as TensorInfo;
      const rank = Math.max(a.shape.length, b.shape.length);
      return reshaped(product, [...Array<number>(rank - 2).fill(1), ...product.shape.slice(-2)]);
    } finally {
      s.free();
    }
  }) as KernelFunc;
}

/**
 * Sum of float32 values over a tensor's leading axes (the gradient of a bias added to every pixel of a batch) in
 * one pass over the heap, summing whole rows into a row of doubles (wasmLoops' sumRows, two at a time: the book's
 * first bias gradient at batch 64 in 0.4 ms of CPU time, against 1.6 in this JavaScript); the backend's own kernel
 * transposes the tensor to put those axes last first. Other sums go to the backend's kernel.
 */
function leadingAxesSum(own: KernelFunc): KernelFunc {
  return (({ inputs, backend, attrs }: KernelArgs) => {
    const { x } = inputs;
    const { axis, keepDims } = attrs as unknown as SumAttrs;
    const axes = x ? util.parseAxisParam(axis, x.shape).sort((p, q) => p - q) : [];
    const leading = axes.length > 0 && axes.every((a, i) => a === i);
    if (!x || x.dtype !== 'float32' || !leading || axes.length === x.shape.length) return own({ inputs, backend, attrs: attrs ?? {} });
    const rows = util.sizeFromShape(x.shape.slice(0, axes.length));
    const inner = x.shape.slice(axes.length);
    const width = util.sizeFromShape(inner);
    const out = (backend as BackendWasm).makeOutput(keepDims ? [...axes.map(() => 1), ...inner] : inner, 'float32');
    const loops = width % 2 === 0 ? wasmLoops(backend) : null;
    if (loops) {
      // LayerLens' WebAssembly loop, two doubles at a time, into zeros on the heap (the sums' bytes: 2 float32 each).
      const s = new Scratch(backend);
      try {
        const doubles = s.alloc([2 * width]);
        // Views after the last allocation on the heap.
        const bytes = heapF32(backend, doubles);
        bytes.fill(0);
        loops.sumRows(heapF32(backend, x).byteOffset, bytes.byteOffset, rows, width);
        heapF32(backend, out).set(new Float64Array(bytes.buffer, bytes.byteOffset, width));
      } finally {
        s.free();
      }
      return out;
    }
    const sums = new Float64Array(width);
    const values = heapF32(backend, x);
    // Four rows at a time: a quarter of the writes to `sums`, which cost more than the additions.
    let r = 0;
    for (const w2 = 2 * width, w3 = 3 * width; r + 4 <= rows; r += 4)
      for (let k = 0, at = r * width; k < width; k++, at++) sums[k] += values[at] + values[at + width] + (values[at + w2] + values[at + w3]);
    for (; r < rows; r++) for (let k = 0, at = r * width; k < width; k++, at++) sums[k] += values[at];
    heapF32(backend, out).set(sums);
    return out;
  }) as KernelFunc;
}

/** Identity as the CPU backend's: one more reference to the same values (strings, which the heap does not hold, to the backend's kernel). */
function sharedIdentity(own: KernelFunc): KernelFunc {
  return (({ inputs, backend, attrs }: KernelArgs) => {
    const { x } = inputs;
    if (!x || x.dtype === 'string') return own({ inputs, backend, attrs: attrs ?? {} });
    backend.incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  }) as KernelFunc;
}

/**
 * Cast as the CPU backend's: to the type a tensor already has, the same values shared; numbers to bool, whether
 * each is not 0 (the backend's own kernel copies the bytes over, so -2 became 254); any other cast, the backend's.
 */
function sameTypeCast(own: KernelFunc): KernelFunc {
  return (({ inputs, backend, attrs }: KernelArgs) => {
    const { x } = inputs;
    const { dtype } = attrs as unknown as CastAttrs;
    if (!x || dtype === 'string' || x.dtype === 'string') return own({ inputs, backend, attrs: attrs ?? {} });
    if (x.dtype === dtype) {
      backend.incRef(x.dataId);
      return { dataId: x.dataId, shape: x.shape, dtype };
    }
    if (dtype !== 'bool') return own({ inputs, backend, attrs: attrs ?? {} });
    const out = (backend as BackendWasm).makeOutput(x.shape, 'bool');
    const values = (backend as BackendWasm).typedArrayFromHeap(x);
    const truth = (backend as BackendWasm).typedArrayFromHeap(out);
    for (let i = 0; i < values.length; i++) truth[i] = values[i] !== 0 ? 1 : 0;
    return out;
  }) as KernelFunc;
}
