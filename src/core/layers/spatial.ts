/** Arithmetic shared by convolution and pooling rules, as in Keras' `operation_utils` and `conv_utils`. */
import { LayerError, shapeRepr, type Dim, type InternalShape } from './rule';

export type Padding = 'valid' | 'same' | 'causal';

export function checkPadding(padding: string, allowed: Padding[]): Padding {
  const p = padding.toLowerCase();
  if (!(allowed as string[]).includes(p))
    throw new LayerError('invalid-argument', `The \`padding\` argument must be one of ${allowed.map((a) => `"${a}"`).join(', ')}. Received: ${padding}`);
  return p as Padding;
}

/** Output length of a convolution or pooling window along one axis (None stays None). */
export function windowOutputLength(length: Dim, kernel: number, stride: number, dilation: number, padding: Padding): Dim {
  if (length === null) return null;
  if (padding === 'valid') return Math.floor((length - dilation * (kernel - 1) - 1) / stride) + 1;
  return Math.floor((length - 1) / stride) + 1;
}

/** Output length of a transposed convolution, as Keras' `deconv_output_length`. */
export function transposedOutputLength(length: Dim, kernel: number, stride: number, dilation: number, padding: Padding, outputPadding: number | null): Dim {
  if (length === null) return null;
  const k = kernel + (kernel - 1) * (dilation - 1);
  if (outputPadding === null || Number.isNaN(outputPadding)) {
    if (padding === 'valid') return length * stride + Math.max(k - stride, 0);
    return length * stride;
  }
  const pad = padding === 'same' ? Math.floor(k / 2) : 0;
  return (length - 1) * stride + k - 2 * pad + outputPadding;
}

/** Padding TensorFlow puts before the first input pixel ('same' puts the odd extra pixel after). */
export function padBefore(length: Dim, out: Dim, kernel: number, stride: number, dilation: number, padding: Padding): Dim {
  const k = (kernel - 1) * dilation + 1;
  if (padding === 'valid') return 0;
  if (padding === 'causal') return k - 1;
  if (stride === 1) return Math.floor((k - 1) / 2);
  if (length === null || out === null) return null;
  return Math.floor(Math.max((out - 1) * stride + k - length, 0) / 2);
}

/** Keras' check after computing a valid-padded output: zero or negative sizes are an error. */
export function checkPositive(out: Dim[], what: { input: InternalShape; detail: string }): void {
  if (out.some((d) => d !== null && !Number.isNaN(d) && d <= 0))
    throw new LayerError(
      'negative-dimension',
      `Computed output size would be zero or negative. Received \`inputs shape=${shapeRepr(what.input)}\`, ${what.detail}.`,
    );
}
