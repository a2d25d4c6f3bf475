/**
 * A convolution's two gradients on tfjs' WASM backend, as products the backend computes fast (XNNPACK's GEMM and
 * convolution, SIMD) instead of plain loops. Measured on the book's convnet at batch 64 (README, Speed), the
 * backend's own Conv2DBackpropInput, a direct seven-deep loop, took 40% of a training step; and the backend has no
 * Conv2DBackpropFilter at all.
 *
 * Conv2DBackpropFilter, as one matrix product (im2col):
 *   dW[(i, j, c), o] = Σ_{n, y, x} xpadded[n, y·s + i, x·s + j, c] · dy[n, y, x, o] = (Pᵀ · dy)[(i, j, c), o]
 * The patches of x are written straight onto the heap, as Pᵀ [(i, j, c), (n, y, x)] (one row a run of x with its
 * channels first; by wasmLoops' patchRows, else a JavaScript loop) or as P [(n, y, x), (i, j, c)], and the product is formed as the WASM BatchMatMul hands it to
 * XNNPACK's GEMM (untransposed; its transposed forms are a plain loop): Pᵀ · dy, or dyᵀ · P transposed after.
 * XNNPACK packs the right-hand matrix on every call (it takes it for a layer's weights), so the smaller of dy and P
 * goes there: measured with a new dy each call, as in training, on the book's layers at batch 64 (Node, CPU time),
 * the first (1 channel in, 32 out) took 9–11 ms with P packed against 16–19 ms with dy, its second (32 in, 64 out)
 * 21 ms with dy packed against 32 ms with P, its third 3.0 against 3.5 ms.
 *
 * Conv2DBackpropInput, either as the convolution it is (dy convolved with the kernel turned by 180° and its
 * channels swapped) or as a product and a scatter (col2im), whichever is faster (`conv2DBackpropInput` says when).
 *
 * tfjs' gradient of conv2d refuses dilated kernels, so the forward convolution's dilation is always 1 here. Only
 * NHWC: the WASM backend's Conv2D refuses NCHW.
 */
import { backend_util, BatchMatMul, Conv2D, Reverse, Transpose } from '@tensorflow/tfjs-core';
import type { Conv2DBackpropFilterAttrs, Conv2DBackpropInputAttrs, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import { heapF32, reshaped, run, Scratch, type KernelArgs } from './wasmHeap';
import { wasmLoops, type WasmLoops } from './wasmLoops';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

function convInfo(
  xShape: number[],
  filterShape: number[],
  strides: Conv2DBackpropFilterAttrs['strides'],
  attrs: Conv2DBackpropFilterAttrs | Conv2DBackpropInputAttrs,
) {
  const info = backend_util.computeConv2DInfo(
    xShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
    false,
    backend_util.convertConv2DDataFormat(attrs.dataFormat),
  );
  if (info.dataFormat !== 'channelsLast') throw new Error(`convolution gradients on WASM: dataFormat ${attrs.dataFormat} is not supported, only NHWC`);
  return info;
}

type ConvInfo = ReturnType<typeof convInfo>;

export function conv2DBackpropFilter({ inputs, backend, attrs }: KernelArgs): TensorInfo {
  const { x, dy } = inputs;
  if (!x || !dy) throw new Error('Conv2DBackpropFilter needs x and dy');
  const a = attrs as unknown as Conv2DBackpropFilterAttrs;
  const info = convInfo(x.shape, a.filterShape, a.strides, a);
  const k = info.filterHeight * info.filterWidth * info.inChannels;
  const loops = wasmLoops(backend);
  if (loops && k <= FEW_TAPS && info.outChannels % 16 === 0) return byTaps(x, dy, info, backend, loops);
  // XNNPACK packs the right-hand matrix anew on every call: the smaller of dy [rows, o] and P [rows, k] goes there.
  return info.outChannels <= k ? patchesTimesDy(x, dy, info, backend) : dyTimesPatches(x, dy, info, backend);
}

/**
 * A kernel of at most this many taps (kh·kw·c: a first layer's 3×3 on one or three channels) gets its gradient
 * summed directly (wasmLoops' filterGradTaps): its product's right-hand matrix, P or dy, has a row per output pixel
 * of the batch and a handful of columns, and XNNPACK's packing of it cost more than the product. The book's first
 * layer at batch 64 (9 taps, 32 filters): 6.6 ms of CPU time as dyᵀ · P, now 2.2 (Node).
 */
const FEW_TAPS = 32;

function byTaps(x: TensorInfo, dy: TensorInfo, info: ConvInfo, backend: KernelArgs['backend'], loops: WasmLoops): TensorInfo {
  const { batchSize: n, inHeight: h, inWidth: w, inChannels: c, outHeight: oh, outWidth: ow, outChannels: o } = info;
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw } = info;
  const { top, left } = info.padInfo;
  const taps = kh * kw * c;
  const s = new Scratch(backend);
  try {
    // The sums as doubles (two float32's bytes each) and one image's block of float32.
    const sums = s.alloc([2 * taps * o]);
    const block = s.alloc([taps * o]);
    const out = (backend as BackendWasm).makeOutput([kh, kw, c, o], 'float32');
    // Views after the last allocation on the heap.
    const doubles = heapF32(backend, sums);
    doubles.fill(0);
    const at = (t: TensorInfo) => heapF32(backend, t).byteOffset;
    loops.filterGradTaps(at(x), at(dy), doubles.byteOffset, at(block), n, h, w, c, oh, ow, kh, kw, sh, sw, top, left, o);
    heapF32(backend, out).set(new Float64Array(doubles.buffer, doubles.byteOffset, taps * o));
    return out;
  } finally {
    s.free();
  }
}

/** dW = Pᵀ · dy, dy packed: Pᵀ [(i, j, c), (n, y, x)] written row by row from x with its channels first. */
function patchesTimesDy(x: TensorInfo, dy: TensorInfo, info: ConvInfo, backend: KernelArgs['backend']): TensorInfo {
  const { batchSize: n, inHeight: h, inWidth: w, inChannels: c, outHeight: oh, outWidth: ow, outChannels: o } = info;
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw } = info;
  const { top, left } = info.padInfo;
  const rows = n * oh * ow;
  const k = kh * kw * c;
  const s = new Scratch(backend);
  try {
    const xT = s.step(Transpose, { x }, { perm: [3, 0, 1, 2] });
    const patchesT = s.alloc([k, rows]);
    // Views after the last allocation on the heap.
    const p = heapF32(backend, patchesT);
    const xs = heapF32(backend, xT);
    const loops = wasmLoops(backend);
    let at = 0;
    for (let i = 0; i < kh; i++)
      for (let j = 0; j < kw; j++) {
        // The output columns whose pixel (x·sw + j - left) is inside the input: [first, last); padding on either side.
        const first = Math.min(ow, Math.max(0, Math.ceil((left - j) / sw)));
        const last = Math.max(first, Math.min(ow, Math.floor((w - 1 + left - j) / sw) + 1));
        if (loops) {
          loops.patchRows(p.byteOffset + 4 * at, xs.byteOffset, c * n, h, w, oh, ow, sh, sw, i - top, j - left, first, last);
          at += c * n * oh * ow;
          continue;
        }
        for (let ch = 0; ch < c; ch++)
          for (let b = 0; b < n; b++)
            for (let y = 0; y < oh; y++) {
              const iy = y * sh + i - top;
              const end = at + ow;
              if (iy >= 0 && iy < h) {
                // Inside the input: columns [first, last) of this row of Pᵀ; padding on either side.
                const row = ((ch * n + b) * h + iy) * w;
                while (at < end - ow + first) p[at++] = 0;
                for (let xo = first, ix = first * sw + j - left; xo < last; xo++, ix += sw) p[at++] = xs[row + ix];
              }
              while (at < end) p[at++] = 0;
            }
      }
    // The result, not freed with the scratch: [(i, j, c), o] is the kernel's layout.
    const dw = run(BatchMatMul, { a: patchesT, b: reshaped(dy, [rows, o]) }, backend, { transposeA: false, transposeB: false });
    return reshaped(dw, [kh, kw, c, o]);
  } finally {
    s.free();
  }
}

/** dW = (dyᵀ · P)ᵀ, P packed: P [(n, y, x), (i, j, c)] written pixel by pixel from x, dyᵀ by the backend's Transpose. */
function dyTimesPatches(x: TensorInfo, dy: TensorInfo, info: ConvInfo, backend: KernelArgs['backend']): TensorInfo {
  const { batchSize: n, inHeight: h, inWidth: w, inChannels: c, outHeight: oh, outWidth: ow, outChannels: o } = info;
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw } = info;
  const { top, left } = info.padInfo;
  const rows = n * oh * ow;
  const k = kh * kw * c;
  const s = new Scratch(backend);
  try {
    const patches = s.alloc([rows, k]);
    const dyT = s.step(Transpose, { x: reshaped(dy, [rows, o]) }, { perm: [1, 0] });
    // Views after the last allocation on the heap.
    const p = heapF32(backend, patches);
    const xs = heapF32(backend, x);
    let at = 0;
    for (let b = 0; b < n; b++)
      for (let y = 0; y < oh; y++)
        for (let xo = 0; xo < ow; xo++)
          for (let i = 0; i < kh; i++) {
            const iy = y * sh + i - top;
            for (let j = 0; j < kw; j++, at += c) {
              const ix = xo * sw + j - left;
              if (iy < 0 || iy >= h || ix < 0 || ix >= w) for (let ch = 0; ch < c; ch++) p[at + ch] = 0;
              else for (let ch = 0, from = ((b * h + iy) * w + ix) * c; ch < c; ch++) p[at + ch] = xs[from + ch];
            }
          }
    const dwT = s.step(BatchMatMul, { a: dyT, b: patches }, { transposeA: false, transposeB: false });
    // The result, not freed with the scratch.
    return reshaped(run(Transpose, { x: reshaped(dwT, [o, k]) }, backend, { perm: [1, 0] }), [kh, kw, c, o]);
  } finally {
    s.free();
  }
}

/**
 * Conv2DBackpropInput, the cheaper of two ways: as a convolution (XNNPACK's), which computes every input pixel
 * from a window of dy, and as a product and its scatter (col2im), which spends multiply-accumulates only on dy's
 * pixels: h·w against oh·ow of them. With LayerLens' WebAssembly scatter (wasmLoops.ts) the product always wins:
 * on the book's second layer at batch 64 (13×13 against 11×11) 9.9 ms of CPU time against the convolution's 13.3
 * (Node). Where SIMD is missing the scatter is JavaScript's, and the convolution wins while the two counts are close
 * (that layer), the product where the input has at least twice dy's pixels (its third layer, 5×5 against 3×3; any
 * stride of 2 or more), measured on this machine.
 */
export function conv2DBackpropInput({ inputs, backend, attrs }: KernelArgs): TensorInfo {
  const { dy, filter } = inputs;
  if (!dy || !filter) throw new Error('Conv2DBackpropInput needs dy and filter');
  const a = attrs as unknown as Conv2DBackpropInputAttrs;
  const info = convInfo(a.inputShape, filter.shape, a.strides, a);
  // With LayerLens' WebAssembly scatter (wasmLoops.ts) the product always wins: it spends no more multiplications.
  if (!wasmLoops(backend) && info.inHeight * info.inWidth < 2 * info.outHeight * info.outWidth) {
    const dx = asConvolution(dy, filter, info, backend);
    if (dx) return dx;
  }
  return asColumns(dy, filter, info, backend);
}

/**
 * dx as the convolution of dy (stride 1) with the kernel turned by 180° and its channels swapped, padded by
 * kh - 1 - top above and kh - 1 - bottom below (the same across); null where the forward convolution's padding
 * exceeds kh - 1 (explicit padding only). A stride of 2 or more always goes to the product (h·w ≥ 2·oh·ow).
 */
function asConvolution(dy: TensorInfo, filter: TensorInfo, info: ConvInfo, backend: KernelArgs['backend']): TensorInfo | null {
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw } = info;
  const { top, bottom, left, right } = info.padInfo;
  const pads = [kh - 1 - top, kh - 1 - bottom, kw - 1 - left, kw - 1 - right];
  if (sh !== 1 || sw !== 1 || pads.some((p) => p < 0)) return null;
  const s = new Scratch(backend);
  try {
    const swapped = s.step(Transpose, { x: filter }, { perm: [0, 1, 3, 2] });
    const turned = s.step(Reverse, { x: swapped }, { dims: [0, 1] });
    const conv = {
      strides: [1, 1],
      pad: [[0, 0], pads.slice(0, 2), pads.slice(2), [0, 0]],
      dataFormat: 'NHWC',
      dilations: [1, 1],
    } as unknown as NamedAttrMap;
    // The result, not freed with the scratch.
    return run(Conv2D, { x: dy, filter: turned }, backend, conv);
  } finally {
    s.free();
  }
}

/**
 * dx by col2im: the columns C = dy [(n, y, x), o] · Wᵀ [o, (i, j, c)] (XNNPACK's GEMM; Wᵀ, the small one, packed),
 * then each row of C added into the input pixels its window covers (by wasmLoops' addColumns, four channels at a
 * time, else a JavaScript loop).
 */
function asColumns(dy: TensorInfo, filter: TensorInfo, info: ConvInfo, backend: KernelArgs['backend']): TensorInfo {
  const { batchSize: n, inHeight: h, inWidth: w, inChannels: c, outHeight: oh, outWidth: ow, outChannels: o } = info;
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw } = info;
  const { top, left } = info.padInfo;
  const rows = n * oh * ow;
  const k = kh * kw * c;
  const s = new Scratch(backend);
  try {
    const filterT = s.step(Transpose, { x: reshaped(filter, [k, o]) }, { perm: [1, 0] });
    const cols = s.step(BatchMatMul, { a: reshaped(dy, [rows, o]), b: filterT }, { transposeA: false, transposeB: false });
    const out = (backend as BackendWasm).makeOutput([n, h, w, c], 'float32');
    const dx = heapF32(backend, out);
    const p = heapF32(backend, cols);
    dx.fill(0);
    const loops = wasmLoops(backend);
    if (loops) {
      loops.addColumns(dx.byteOffset, p.byteOffset, n, h, w, c, oh, ow, kh, kw, sh, sw, top, left);
      return out;
    }
    let at = 0;
    for (let b = 0; b < n; b++)
      for (let y = 0; y < oh; y++)
        for (let xo = 0; xo < ow; xo++)
          for (let i = 0; i < kh; i++) {
            const iy = y * sh + i - top;
            if (iy < 0 || iy >= h) {
              at += kw * c;
              continue;
            }
            for (let j = 0; j < kw; j++, at += c) {
              const ix = xo * sw + j - left;
              if (ix < 0 || ix >= w) continue;
              for (let ch = 0, to = ((b * h + iy) * w + ix) * c; ch < c; ch++) dx[to + ch] += p[at + ch];
            }
          }
    return out;
  } finally {
    s.free();
  }
}
