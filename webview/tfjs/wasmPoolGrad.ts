/**
 * MaxPoolGrad on tfjs' WASM backend, written in JavaScript over the WebAssembly heap: each window's gradient goes
 * to its largest input, the first in row-major order where several are equal (as tfjs' CPU backend decides; after a
 * ReLU, windows of equal zeros are common). The backend's own kernel visits every input pixel and, for each, every
 * window that may hold it; on the book's convnet at batch 64 it took about 12% of a training step, this one pass
 * over the windows a fraction of that (README, Speed).
 */
import { backend_util } from '@tensorflow/tfjs-core';
import type { MaxPoolGradAttrs, TensorInfo } from '@tensorflow/tfjs-core';
import { heapF32, type KernelArgs } from './wasmHeap';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

export function maxPoolGrad({ inputs, backend, attrs }: KernelArgs): TensorInfo {
  const { dy, input } = inputs;
  if (!dy || !input) throw new Error('MaxPoolGrad needs dy and input');
  const { filterSize, strides, pad, dimRoundingMode } = attrs as unknown as MaxPoolGradAttrs;
  const info = backend_util.computePool2DInfo(input.shape as [number, number, number, number], filterSize, strides, 1, pad, dimRoundingMode);
  const { batchSize: n, inHeight: h, inWidth: w, inChannels: c, outHeight: oh, outWidth: ow, strideHeight: sh, strideWidth: sw } = info;
  const { effectiveFilterHeight: fh, effectiveFilterWidth: fw } = info;
  const { top, left } = info.padInfo;
  const out = (backend as BackendWasm).makeOutput(input.shape, 'float32');
  // Views after the allocation.
  const dx = heapF32(backend, out);
  const x = heapF32(backend, input);
  const g = heapF32(backend, dy);
  dx.fill(0);
  let at = 0;
  for (let b = 0; b < n; b++)
    for (let y = 0; y < oh; y++) {
      const y0 = Math.max(0, y * sh - top);
      const y1 = Math.min(h, y * sh - top + fh);
      for (let xo = 0; xo < ow; xo++, at += c) {
        const x0 = Math.max(0, xo * sw - left);
        const x1 = Math.min(w, xo * sw - left + fw);
        if (y1 - y0 === 2 && x1 - x0 === 2) {
          // A whole 2×2 window (MaxPooling2D's default), unrolled: a third faster here than the loop below.
          const base = ((b * h + y0) * w + x0) * c;
          for (let ch = 0; ch < c; ch++) {
            const i0 = base + ch;
            const i1 = i0 + c;
            const i2 = i0 + w * c;
            const i3 = i2 + c;
            // As the loop below: -Infinity first, so that a window of NaNs gets no gradient.
            let most = -Infinity;
            let where = -1;
            if (x[i0] > most) {
              most = x[i0];
              where = i0;
            }
            if (x[i1] > most) {
              most = x[i1];
              where = i1;
            }
            if (x[i2] > most) {
              most = x[i2];
              where = i2;
            }
            if (x[i3] > most) where = i3;
            if (where >= 0) dx[where] += g[at + ch];
          }
          continue;
        }
        for (let ch = 0; ch < c; ch++) {
          let most = -Infinity;
          let where = -1;
          for (let iy = y0; iy < y1; iy++)
            for (let ix = x0, i = ((b * h + iy) * w + x0) * c + ch; ix < x1; ix++, i += c) {
              const v = x[i];
              if (v > most) {
                most = v;
                where = i;
              }
            }
          if (where >= 0) dx[where] += g[at + ch];
        }
      }
    }
  return out;
}
