/**
 * `EinsumDense(equation, output_shape, activation=None, bias_axes=None)`: a Dense layer written as an einsum of the
 * input with a kernel, as Keras 3's `_analyze_einsum_string` reads it. The output is the batch, then
 * `output_shape` as written (a None there stays None, as in Keras), with the axes an ellipsis (`...`) stands for;
 * the kernel has, for each letter of its spec, the output's size where the output has the letter, else the
 * input's; the bias has the output's sizes from the first of `bias_axes` on, 1 where an axis is not a bias axis.
 */
import { LayerError, noTfjs, pyRepr, requireInput, type Dim, type InternalShape, type LayerContext, type ParamPart, type Rule } from './rule';
import { definedWeight } from './norm';

interface Einsum {
  output: InternalShape;
  kernel: Dim[];
  bias: Dim[] | null;
  /** The size of each letter of the equation, for the MACs. */
  sizes: Map<string, Dim>;
  /** The input's axes the ellipsis stands for, batch excluded. */
  elidedDims: Dim[];
}

function analyse(ctx: LayerContext): Einsum {
  const equation = ctx.args.str('equation');
  const input = requireInput(ctx);
  const dotted = equation.replace(/\.\.\./g, '0');
  const forms: [RegExp, boolean][] = [
    [/^([a-zA-Z]+),([a-zA-Z]+)->([a-zA-Z]+)/, false],
    [/^0([a-zA-Z]+),([a-zA-Z]+)->0([a-zA-Z]+)/, true],
    [/^([a-zA-Z]{2,})0,([a-zA-Z]+)->([a-zA-Z]+)0/, false],
  ];
  const found = forms.map(([re, left]) => [re.exec(dotted), left] as const).find(([m]) => m);
  if (!found)
    throw new LayerError(
      'invalid-argument',
      `Invalid einsum equation '${equation}'. Equations must be in the form [X],[Y]->[Z], ...[X],[Y]->...[Z], or [X]...,[Y]->[Z]....`,
    );
  const [match, left] = found as [RegExpExecArray, boolean];
  const [, inSpec, weightSpec, outSpec] = match;
  const elided = input.length - inSpec.length;
  const written = ctx.args.plain('output_shape');
  const out: Dim[] = (Array.isArray(written) ? written : [written]).map((d) => (d === null ? null : typeof d === 'number' ? d : NaN));
  out.unshift(input[0]);
  const elidedDims: Dim[] = [];
  if (elided > 0 && left) for (let i = 1; i < elided; i++) (out.splice(1, 0, input[i]), elidedDims.push(input[i]));
  else if (elided > 0) for (let i = input.length - elided; i < input.length; i++) (out.push(input[i]), elidedDims.push(input[i]));
  // Keras' maps: with a left ellipsis, the letters come after the elided axes, in the input and in the output.
  const inIndex = (c: string) => [...inSpec].indexOf(c) + (left ? elided : 0);
  const outIndex = (c: string) => [...outSpec].indexOf(c) + (left ? elided : 0);
  for (const c of inSpec) {
    if (!outSpec.includes(c)) continue;
    const i = input[inIndex(c)];
    const o = out[outIndex(c)];
    if (o !== null && o !== i)
      throw new LayerError(
        'invalid-argument',
        `Input shape and output shape do not match at shared dimension '${c}'. Input shape is ${pyRepr(i)}, and output shape is ${pyRepr(o)}.`,
      );
  }
  for (const c of outSpec)
    if (!inSpec.includes(c) && !weightSpec.includes(c))
      throw new LayerError(
        'invalid-argument',
        `Dimension '${c}' was specified in the output '${outSpec}' but has no corresponding dim in the input spec '${inSpec}' or weight spec '${outSpec}'`,
      );
  const sizes = new Map<string, Dim>();
  // A letter the input has is the input's size (the written output may say None there).
  for (const c of outSpec) sizes.set(c, out[outIndex(c)]);
  for (const c of inSpec) sizes.set(c, input[inIndex(c)]);
  const kernel = [...weightSpec].map((c) => {
    if (outSpec.includes(c)) return out[outIndex(c)];
    if (inSpec.includes(c)) return input[inIndex(c)];
    throw new LayerError(
      'invalid-argument',
      `Weight dimension '${c}' did not have a match in either the input spec '${inSpec}' or the output spec '${outSpec}'. For this layer, the weight must be fully specified.`,
    );
  });
  let bias: Dim[] | null = null;
  const biasAxes = ctx.args.plain('bias_axes');
  if (typeof biasAxes === 'string') {
    for (const c of biasAxes)
      if (!outSpec.includes(c))
        throw new LayerError('invalid-argument', `Bias dimension '${c}' was requested, but is not part of the output spec '${outSpec}'`);
    const first = Math.min(...[...biasAxes].map((c) => outSpec.indexOf(c)));
    bias = [...outSpec.slice(first)].map((c) => (biasAxes.includes(c) ? out[outIndex(c)] : 1));
    if (!left) for (let i = 0; i < elided; i++) bias.push(1);
  }
  return { output: out, kernel, bias, sizes, elidedDims };
}

export const einsumDense: Rule = {
  type: 'EinsumDense',
  signature: ['equation', 'output_shape', 'activation', 'bias_axes'],
  defaults: { activation: null, bias_axes: null },
  initializers: ['kernel_initializer'],
  outputShape: (ctx) => analyse(ctx).output,
  params(ctx) {
    const { kernel, bias } = analyse(ctx);
    const parts: ParamPart[] = [{ label: 'kernel', factors: definedWeight(ctx, 'EinsumDense', 'kernel', kernel), trainable: true }];
    if (bias) parts.push({ label: 'bias', factors: definedWeight(ctx, 'EinsumDense', 'bias', bias), trainable: true });
    return parts;
  },
  // One product for every combination of the equation's letters (the batch's excepted) and of the elided axes.
  macs(ctx) {
    const { sizes, elidedDims } = analyse(ctx);
    const equation = ctx.args.str('equation');
    const batchLetter = /^[a-zA-Z]/.test(equation) ? equation[0] : null;
    let n = 1;
    for (const [c, d] of sizes) if (c !== batchLetter) n *= d ?? NaN;
    for (const d of elidedDims) n *= d ?? NaN;
    return n;
  },
  receptiveField: () => null,
  tfjs: noTfjs('EinsumDense'),
};
