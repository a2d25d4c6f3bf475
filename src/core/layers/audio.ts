/**
 * Keras 3's audio preprocessing layers, as their compute_output_shape and build give them: STFTSpectrogram and
 * MelSpectrogram.
 */
import { LayerError, dataFormat, ndimError, noTfjs, pyRepr, requireInput, type Dim, type LayerContext, type ParamPart, type Rule } from './rule';
import { windowOutputLength } from './spatial';

const STFT_MODES = ['log', 'magnitude', 'psd', 'real', 'imag', 'angle', 'stft'];

/** The constructor's checks, and the lengths it derives: the frame step (half a frame) and the FFT length (a power of two). */
function stftSettings(args: Parameters<Rule['outputShape']>[0]['args']) {
  const frame = args.int('frame_length');
  const stepArg = args.plain('frame_step');
  const fftArg = args.plain('fft_length');
  const step = typeof stepArg === 'number' ? stepArg : null;
  const fft = typeof fftArg === 'number' ? fftArg : null;
  if (step !== null && (step > frame || step < 1))
    throw new LayerError(
      'invalid-argument',
      `\`frame_step\` should be a positive integer not greater than \`frame_length\`. Received frame_step=${step}, frame_length=${frame}`,
    );
  if (fft !== null && fft < frame)
    throw new LayerError('invalid-argument', `\`fft_length\` should be not less than \`frame_length\`. Received fft_length=${fft}, frame_length=${frame}`);
  const mode = args.str('mode');
  if (!STFT_MODES.includes(mode))
    throw new LayerError('invalid-argument', `Output mode is invalid, it must be one of ${STFT_MODES.join(', ')}. Received: mode=${mode}`);
  const padding = args.str('padding');
  if (padding !== 'valid' && padding !== 'same')
    throw new LayerError('invalid-argument', `Padding is invalid, it should be 'valid', 'same'. Received: padding=${padding}`);
  return { frame, step: step ?? Math.floor(frame / 2), fft: fft ?? 2 ** Math.ceil(Math.log2(frame)), mode, padding: padding as 'valid' | 'same' };
}

/** The windows' weights: `real_kernel` and `imag_kernel`, the one a `real` or `imag` mode does not use left out. */
function stftKernels(ctx: LayerContext): ParamPart[] {
  const s = stftSettings(ctx.args);
  const shape = [s.frame, 1, Math.floor(s.fft / 2) + 1];
  const parts: ParamPart[] = [];
  if (s.mode !== 'imag') parts.push({ label: 'real_kernel', factors: shape, trainable: true });
  if (s.mode !== 'real') parts.push({ label: 'imag_kernel', factors: shape, trainable: true });
  return parts;
}

/**
 * `STFTSpectrogram(mode='log', frame_length=256, frame_step=None, fft_length=None, …)` on `(batch, time, channels)`:
 * a 1D convolution of the signal with `frame_length`-long windows at `frame_step`, with fft_length // 2 + 1
 * frequencies per channel (twice that in `stft` mode, real and imaginary). Its weights are those windows: a
 * `real_kernel` and an `imag_kernel` of (frame_length, 1, fft_length // 2 + 1), the one a `real` or `imag` mode
 * does not use left out.
 */
const stftSpectrogram: Rule = {
  type: 'STFTSpectrogram',
  signature: ['mode', 'frame_length', 'frame_step', 'fft_length', 'window', 'periodic', 'scaling', 'padding', 'expand_dims', 'data_format'],
  defaults: {
    mode: 'log',
    frame_length: 256,
    frame_step: null,
    fft_length: null,
    window: 'hann',
    periodic: false,
    scaling: 'density',
    padding: 'valid',
    expand_dims: false,
    data_format: null,
  },
  outputShape(ctx) {
    const s = stftSettings(ctx.args);
    const input = requireInput(ctx);
    if (input.length !== 3) throw ndimError(ctx, 3);
    const first = dataFormat(ctx.args) === 'channels_first';
    const channels = first ? input[1] : input[2];
    const freq = (Math.floor(s.fft / 2) + 1) * (s.mode === 'stft' ? 2 : 1);
    const time = windowOutputLength(first ? input[2] : input[1], s.frame, s.step, 1, s.padding);
    const all: Dim = channels === null ? null : freq * channels;
    if (ctx.args.bool('expand_dims')) return first ? [input[0], channels, time, freq] : [input[0], time, freq, channels];
    return first ? [input[0], all, time] : [input[0], time, all];
  },
  params: stftKernels,
  // Each kernel is a 1D convolution of each channel: frames × frame_length × frequencies, per channel and kernel.
  macs(ctx, output) {
    const parts = stftKernels(ctx);
    const input = requireInput(ctx);
    const first = dataFormat(ctx.args) === 'channels_first';
    const channels = (first ? input[1] : input[2]) ?? NaN;
    const frames = (first ? output[2] : output[1]) ?? NaN;
    return frames * channels * parts.reduce((n, p) => n + p.factors.reduce((a, b) => a * b, 1), 0);
  },
  receptiveField: () => null,
  tfjs: noTfjs('STFTSpectrogram'),
};

/**
 * `MelSpectrogram(fft_length=2048, sequence_stride=512, sequence_length=None, …, num_mel_bins=128)` on
 * `(batch, time)`: `(batch, num_mel_bins, (time + sequence_stride + 1) // sequence_stride)`, Keras' own count of the
 * frames. No weights.
 */
const melSpectrogram: Rule = {
  type: 'MelSpectrogram',
  signature: [
    'fft_length',
    'sequence_stride',
    'sequence_length',
    'window',
    'sampling_rate',
    'num_mel_bins',
    'min_freq',
    'max_freq',
    'power_to_db',
    'top_db',
    'mag_exp',
    'min_power',
    'ref_power',
  ],
  defaults: {
    fft_length: 2048,
    sequence_stride: 512,
    sequence_length: null,
    window: 'hann',
    sampling_rate: 16000,
    num_mel_bins: 128,
    min_freq: 20.0,
    max_freq: null,
    power_to_db: true,
    top_db: 80.0,
    mag_exp: 2.0,
    min_power: 1e-10,
    ref_power: 1.0,
  },
  outputShape(ctx) {
    const fft = ctx.args.int('fft_length');
    const lengthArg = ctx.args.plain('sequence_length');
    const length = typeof lengthArg === 'number' && lengthArg !== 0 ? lengthArg : fft;
    if (fft < length)
      throw new LayerError(
        'invalid-argument',
        `\`fft_length\` must be greater than or equal to   \`sequence_length\`. Received: \`sequence_length\`=${pyRepr(length)}, \`fft_length\`=${pyRepr(fft)}.`,
      );
    const input = requireInput(ctx);
    const stride = ctx.args.int('sequence_stride');
    const bins = ctx.args.int('num_mel_bins');
    const frames = (t: Dim): Dim => (t === null ? null : Math.floor((t + stride + 1) / stride));
    return input.length === 1 ? [bins, frames(input[0])] : [input[0], bins, frames(input[1])];
  },
  receptiveField: () => null,
  tfjs: noTfjs('MelSpectrogram'),
};

export const audioRules: Rule[] = [stftSpectrogram, melSpectrogram];
