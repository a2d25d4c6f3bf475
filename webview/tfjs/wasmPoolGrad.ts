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
import { wasmLoops } from './wasmLoops';
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
  const pairs = fh === 2 && fw === 2 && sh === 2 && sw === 2 && top === 0 && left === 0;
  const loops = pairs && c % 4 === 0 ? wasmLoops(backend) : null;
  if (loops) loops.maxPoolGrad2x2(x.byteOffset, g.byteOffset, dx.byteOffset, n, h, w, c, oh, ow);
  else if (pairs) pairsGrad(x, g, dx, n, h, w, c, oh, ow);
  else
    for (let b = 0, at = 0; b < n; b++)
      for (let y = 0; y < oh; y++) {
        const y0 = Math.max(0, y * sh - top);
        const y1 = Math.min(h, y * sh - top + fh);
        for (let xo = 0; xo < ow; xo++, at += c) {
          const x0 = Math.max(0, xo * sw - left);
          const x1 = Math.min(w, xo * sw - left + fw);
          for (let ch = 0; ch < c; ch++) windowGrad(x, dx, g[at + ch], ((b * h + y0) * w + x0) * c + ch, y1 - y0, x1 - x0, w * c, c);
        }
      }
  return out;
}

/**
 * MaxPooling2D's default, 2×2 windows with a stride of 2 and no padding (the input's odd last row or column in no
 * window), without a branch on the values: which of four is largest is a coin toss to the processor, and its wrong
 * guesses cost more than the rest of the loop (this form takes 40% of the time of `windowGrad`'s loop here).
 */
function pairsGrad(x: Float32Array, g: Float32Array, dx: Float32Array, n: number, h: number, w: number, c: number, oh: number, ow: number): void {
  const row = w * c;
  for (let b = 0, at = 0; b < n; b++)
    for (let y = 0; y < oh; y++) {
      const top = (b * h + 2 * y) * row;
      for (let xo = 0; xo < ow; xo++) {
        // The window's four pixels: p and p + c in its top row, q and q + c below.
        const p = top + 2 * xo * c;
        const q = p + row;
        for (let ch = 0; ch < c; ch++, at++) {
          const a0 = x[p + ch];
          const a1 = x[p + c + ch];
          const a2 = x[q + ch];
          const a3 = x[q + c + ch];
          pick[0] = a0;
          pick[1] = a1;
          pick[2] = a2;
          pick[3] = a3;
          // The larger of each row's two (the first where equal), then the larger of those (the top one where equal).
          const upper = +(a1 > a0);
          const lower = +(a3 > a2) + 2;
          const k = upper + +(pick[lower] > pick[upper]) * (lower - upper);
          // A NaN or a -Infinity in the window (the sum is not above -Infinity; one test for both): `windowGrad`,
          // which skips NaNs and gives a window of NaNs or of -Infinity no gradient.
          const sum = a0 + a1 + a2 + a3;
          if (!(sum > -Infinity)) {
            windowGrad(x, dx, g[at], p + ch, 2, 2, row, c);
            continue;
          }
          pick[4] = 0;
          pick[5] = 0;
          pick[6] = 0;
          pick[7] = 0;
          pick[4 + k] = g[at];
          // Windows do not overlap: each pixel's gradient is written once.
          dx[p + ch] = pick[4];
          dx[p + c + ch] = pick[5];
          dx[q + ch] = pick[6];
          dx[q + c + ch] = pick[7];
        }
      }
    }
}

/** A window's four values, then its four gradients (one of them the window's, the others 0). */
const pick = new Float32Array(8);

/**
 * One window of `rows` × `cols` pixels from `first` (rows `rowStep` apart, pixels `step`): its gradient `dy` to its
 * largest value, the first in row-major order where several are equal; -Infinity first, so that a window of NaNs
 * (or of -Infinity) gets no gradient, as on tfjs' CPU backend.
 */
function windowGrad(x: Float32Array, dx: Float32Array, dy: number, first: number, rows: number, cols: number, rowStep: number, step: number): void {
  let most = -Infinity;
  let where = -1;
  for (let r = 0, row = first; r < rows; r++, row += rowStep)
    for (let q = 0, i = row; q < cols; q++, i += step) {
      const v = x[i];
      if (v > most) {
        most = v;
        where = i;
      }
    }
  if (where >= 0) dx[where] += dy;
}
