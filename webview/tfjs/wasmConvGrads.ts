/**
 * A convolution's two gradients on tfjs' WASM backend, as products the backend computes fast (XNNPACK's GEMM and
 * convolution, SIMD) instead of plain loops. Measured on the book's convnet at batch 64 (README, Speed), the
 * backend's own Conv2DBackpropInput, a direct seven-deep loop, took 40% of a training step; and the backend has no
 * Conv2DBackpropFilter at all.
 *
 * Conv2DBackpropFilter, as one matrix product (im2col):
 *   dW[(i, j, c), o] = Σ_{n, y, x} xpadded[n, y·s + i, x·s + j, c] · dy[n, y, x, o] = (Pᵀ · dy)[(i, j, c), o]
 * The patches of x are written straight onto the heap as Pᵀ [(i, j, c), (n, y, x)], one row of Pᵀ a run of x
 * with its channels first, and dy is already [(n, y, x), o]: `Pᵀ · dy` is the form the WASM BatchMatMul sends to
 * XNNPACK's GEMM (its transposed forms are a plain loop), and the product is the kernel's layout [kh, kw, c, o].
 * XNNPACK packs the right-hand matrix on every call (it takes it for a layer's weights): dy is the smaller one
 * here (the book's convnet: 64 output channels against 288 patch values); P · dy the other way round measured
 * two to three times slower.
 *
 * Conv2DBackpropInput, as the convolution it is: dy, with s - 1 zeros between its pixels where the stride s > 1,
 * convolved with the kernel turned by 180° and its in and out channels swapped ([kh, kw, o, c]), padded by
 * kh - 1 - top above and by what makes the output the input's height below (the same across). Where the forward
 * convolution's padding exceeds kh - 1 (explicit padding only), the backend's own kernel runs instead.
 *
 * tfjs' gradient of conv2d refuses dilated kernels, so the forward convolution's dilation is always 1 here. Only
 * NHWC: the WASM backend's Conv2D refuses NCHW.
 */
import { backend_util, BatchMatMul, Conv2D, Reverse, Transpose } from '@tensorflow/tfjs-core';
import type { Conv2DBackpropFilterAttrs, Conv2DBackpropInputAttrs, KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import { heapF32, reshaped, run, Scratch, type KernelArgs } from './wasmHeap';

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

export function conv2DBackpropFilter({ inputs, backend, attrs }: KernelArgs): TensorInfo {
  const { x, dy } = inputs;
  if (!x || !dy) throw new Error('Conv2DBackpropFilter needs x and dy');
  const a = attrs as unknown as Conv2DBackpropFilterAttrs;
  const info = convInfo(x.shape, a.filterShape, a.strides, a);
  const { batchSize: n, inHeight: h, inWidth: w, inChannels: c, outHeight: oh, outWidth: ow, outChannels: o } = info;
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw } = info;
  const { top, left } = info.padInfo;
  const rows = n * oh * ow;
  const k = kh * kw * c;
  const s = new Scratch(backend);
  try {
    // Pᵀ [(i, j, c), (n, y, x)], read row by row from x with its channels first.
    const xT = s.step(Transpose, { x }, { perm: [3, 0, 1, 2] });
    const patchesT = s.alloc([k, rows]);
    // Views after the last allocation on the heap.
    const p = heapF32(backend, patchesT);
    const xs = heapF32(backend, xT);
    let at = 0;
    for (let i = 0; i < kh; i++)
      for (let j = 0; j < kw; j++)
        for (let ch = 0; ch < c; ch++)
          for (let b = 0; b < n; b++)
            for (let y = 0; y < oh; y++) {
              const iy = y * sh + i - top;
              if (iy < 0 || iy >= h) {
                for (let xo = 0; xo < ow; xo++) p[at++] = 0;
                continue;
              }
              const row = ((ch * n + b) * h + iy) * w;
              for (let xo = 0, ix = j - left; xo < ow; xo++, ix += sw) p[at++] = ix < 0 || ix >= w ? 0 : xs[row + ix];
            }
    // The result, not freed with the scratch: [(i, j, c), o] is the kernel's layout.
    const dw = run(BatchMatMul, { a: patchesT, b: reshaped(dy, [rows, o]) }, backend, { transposeA: false, transposeB: false });
    return reshaped(dw, [kh, kw, c, o]);
  } finally {
    s.free();
  }
}

/** Conv2DBackpropInput as a convolution; `own` is the backend's kernel, for padding wider than the kernel. */
export function conv2DBackpropInput(own: KernelFunc) {
  return ({ inputs, backend, attrs }: KernelArgs): TensorInfo => {
    const { dy, filter } = inputs;
    if (!dy || !filter) throw new Error('Conv2DBackpropInput needs dy and filter');
    const a = attrs as unknown as Conv2DBackpropInputAttrs;
    const info = convInfo(a.inputShape, filter.shape, a.strides, a);
    const { batchSize: n, inHeight: h, inWidth: w, outHeight: oh, outWidth: ow, outChannels: o } = info;
    const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw } = info;
    // dy spread out by the stride: (oh - 1)·sh + 1 rows.
    const dh = (oh - 1) * sh + 1;
    const dw = (ow - 1) * sw + 1;
    const top = kh - 1 - info.padInfo.top;
    const left = kw - 1 - info.padInfo.left;
    const bottom = h + kh - 1 - dh - top;
    const right = w + kw - 1 - dw - left;
    if (top < 0 || left < 0 || bottom < 0 || right < 0 || n * oh * ow === 0) return own({ inputs, backend, attrs: attrs ?? {} }) as TensorInfo;
    const s = new Scratch(backend);
    try {
      const swapped = s.step(Transpose, { x: filter }, { perm: [0, 1, 3, 2] });
      const turned = s.step(Reverse, { x: swapped }, { dims: [0, 1] });
      let spread = dy;
      if (sh > 1 || sw > 1) {
        spread = s.alloc([n, dh, dw, o]);
        const out = heapF32(backend, spread);
        const src = heapF32(backend, dy);
        out.fill(0);
        for (let b = 0; b < n; b++)
          for (let y = 0; y < oh; y++)
            for (let x = 0; x < ow; x++) {
              const from = ((b * oh + y) * ow + x) * o;
              out.set(src.subarray(from, from + o), ((b * dh + y * sh) * dw + x * sw) * o);
            }
      }
      const conv = {
        strides: [1, 1],
        pad: [
          [0, 0],
          [top, bottom],
          [left, right],
          [0, 0],
        ],
        dataFormat: 'NHWC',
        dilations: [1, 1],
      } as unknown as NamedAttrMap;
      // The result, not freed with the scratch.
      return run(Conv2D, { x: spread, filter: turned }, backend, conv);
    } finally {
      s.free();
    }
  };
}
