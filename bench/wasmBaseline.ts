/**
 * The WASM backend as the preview trained on it before its own kernels (webview/tfjs/wasmKernels.ts): the backend's
 * kernels, and the one it lacks, Conv2DBackpropFilter, as it was then — one convolution of the transposed input and
 * gradient. Kept for the benchmark only, so that one run times the two side by side on the same machine (two
 * runs minutes apart differ by more than the gain on this shared machine).
 *
 *   dW[i, j, c, o] = Σ_{n, y, x} xpadded[n, y·s + i, x·s + j, c] · dy[n, y, x, o]
 * is Conv2D of x transposed to [c, H, W, n] with dy transposed to [y, x, n, o] as the kernel, dilated by the
 * stride, cut to the kernel's size and transposed to [kh, kw, c, o].
 */
import { backend_util, Conv2D, Conv2DBackpropFilter, getKernel, registerKernel, Slice, Transpose } from '@tensorflow/tfjs-core';
import type { Conv2DBackpropFilterAttrs, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import { BACKEND, run, Scratch, type KernelArgs } from '../webview/tfjs/wasmHeap';

function conv2DBackpropFilter({ inputs, backend, attrs }: KernelArgs): TensorInfo {
  const { x, dy } = inputs;
  if (!x || !dy) throw new Error('Conv2DBackpropFilter needs x and dy');
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs as unknown as Conv2DBackpropFilterAttrs;
  const info = backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    filterShape,
    strides,
    1,
    pad,
    dimRoundingMode,
    false,
    backend_util.convertConv2DDataFormat(dataFormat),
  );
  const [kh, kw, cin, cout] = filterShape;
  const s = new Scratch(backend);
  try {
    const xT = s.step(Transpose, { x }, { perm: [3, 1, 2, 0] });
    const dyT = s.step(Transpose, { x: dy }, { perm: [1, 2, 0, 3] });
    const { top, bottom, left, right } = info.padInfo;
    const full = s.step(Conv2D, { x: xT, filter: dyT }, {
      strides: [1, 1],
      pad: [
        [0, 0],
        [top, bottom],
        [left, right],
        [0, 0],
      ],
      dataFormat: 'NHWC',
      dilations: [info.strideHeight, info.strideWidth],
    } as unknown as NamedAttrMap);
    const cut = full.shape[1] === kh && full.shape[2] === kw ? full : s.step(Slice, { x: full }, { begin: [0, 0, 0, 0], size: [cin, kh, kw, cout] });
    return run(Transpose, { x: cut }, backend, { perm: [1, 2, 0, 3] });
  } finally {
    s.free();
  }
}

/** Registers the baseline's Conv2DBackpropFilter (in a page where the preview's kernels are not registered). */
export function registerBaselineWasmKernels(): void {
  if (!getKernel(Conv2DBackpropFilter, BACKEND))
    registerKernel({ kernelName: Conv2DBackpropFilter, backendName: BACKEND, kernelFunc: conv2DBackpropFilter as never });
}
