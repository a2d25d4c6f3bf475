/**
 * What tfjs' WASM backend lacks to train the preview's models: Conv2DBackpropFilter, the gradient of a convolution
 * with respect to its kernel (tfjs-backend-wasm 4.22 has Conv2D and Conv2DBackpropInput but not this one, so
 * `model.fit` of any Conv2D stops with "Kernel 'Conv2DBackpropFilter' not registered for backend 'wasm'").
 *
 * It is made of the backend's own kernels (XNNPACK's convolution, transposes, a slice), as one convolution:
 *   dW[i, j, c, o] = Σ_{n, y, x} xpadded[n, y·s + i, x·s + j, c] · dy[n, y, x, o]
 * which is Conv2D of x transposed to [c, H, W, n] (channels as the batch, the batch as channels), with dy
 * transposed to [y, x, n, o] as the kernel, dilated by the forward convolution's stride, on x padded as the
 * forward convolution padded it; its output [c, kh', kw', o] is cut to the kernel's size (kh' > kh where the
 * stride does not divide the padded size) and transposed to [kh, kw, c, o]. tfjs' gradient of conv2d refuses
 * dilated kernels, so the forward convolution's dilation is always 1 here.
 */
import { backend_util, Conv2D, Conv2DBackpropFilter, getKernel, registerKernel, Slice, Transpose } from '@tensorflow/tfjs-core';
import type { Conv2DBackpropFilterAttrs, KernelBackend, NamedAttrMap, NamedTensorInfoMap, TensorInfo } from '@tensorflow/tfjs-core';

const BACKEND = 'wasm';

/** Runs one of the WASM backend's own kernels on backend data (TensorInfo), as its kernels call each other. */
function run(name: string, inputs: NamedTensorInfoMap, backend: KernelBackend, attrs: NamedAttrMap): TensorInfo {
  const kernel = getKernel(name, BACKEND);
  if (!kernel) throw new Error(`the WASM backend has no ${name} kernel`);
  return kernel.kernelFunc({ inputs, backend, attrs }) as TensorInfo;
}

function conv2DBackpropFilter({ inputs, backend, attrs }: { inputs: NamedTensorInfoMap; backend: KernelBackend; attrs?: NamedAttrMap }): TensorInfo {
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
  if (info.dataFormat !== 'channelsLast') throw new Error(`Conv2DBackpropFilter on WASM: dataFormat ${dataFormat} is not supported, only NHWC`);
  const [kh, kw, cin, cout] = filterShape;
  const made: TensorInfo[] = [];
  const step = (name: string, given: NamedTensorInfoMap, a: NamedAttrMap) => {
    const out = run(name, given, backend, a);
    made.push(out);
    return out;
  };
  try {
    const xT = step(Transpose, { x }, { perm: [3, 1, 2, 0] });
    const dyT = step(Transpose, { x: dy }, { perm: [1, 2, 0, 3] });
    const { top, bottom, left, right } = info.padInfo;
    const full = step(Conv2D, { x: xT, filter: dyT }, {
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
    const cut = full.shape[1] === kh && full.shape[2] === kw ? full : step(Slice, { x: full }, { begin: [0, 0, 0, 0], size: [cin, kh, kw, cout] });
    // The result is returned, not freed with the steps.
    return run(Transpose, { x: cut }, backend, { perm: [1, 2, 0, 3] });
  } finally {
    for (const t of made) backend.disposeData(t.dataId);
  }
}

/** Registers the kernels above for the WASM backend (once; before or after it starts). */
export function registerWasmTrainingKernels(): void {
  if (getKernel(Conv2DBackpropFilter, BACKEND)) return;
  registerKernel({ kernelName: Conv2DBackpropFilter, backendName: BACKEND, kernelFunc: conv2DBackpropFilter as never });
}
