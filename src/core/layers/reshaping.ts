/** ZeroPadding, Cropping and UpSampling in 1, 2 and 3 dimensions. */
import type { TfjsUnsupported } from '../tfjs/toTfjs';
import { LayerError, dataFormat, pyRepr, requireInput, shapeRepr, spatialAxes, type LayerContext, type PyDefault, type Rule } from './rule';

/** Keras' normalisation of padding/cropping arguments to one (before, after) pair per spatial axis. */
function pairs(ctx: LayerContext, name: string, rank: number): [number, number][] {
  const v = ctx.args.plain(name);
  const asNum = (x: PyDefault | undefined) => (typeof x === 'number' ? x : NaN);
  if (typeof v === 'number') return new Array(rank).fill([v, v]);
  if (Array.isArray(v)) {
    if (rank === 1 && v.length === 2 && !Array.isArray(v[0])) return [[asNum(v[0]), asNum(v[1])]];
    if (v.length === rank) return v.map((item) => (Array.isArray(item) ? [asNum(item[0]), asNum(item[1])] : [asNum(item), asNum(item)]) as [number, number]);
  }
  throw new LayerError('invalid-argument', `\`${name}\` should have ${rank === 1 ? 'two elements' : `${rank} elements`}. Received: ${name}=${pyRepr(v)}.`);
}

/** tfjs has the 2D forms of ZeroPadding, Cropping and UpSampling only. */
function only2D(type: string): TfjsUnsupported {
  return { unsupported: `tfjs has ${type.replace(/[13]D$/, '2D')} only, no ${type}.` };
}

function paddingRule(type: string, rank: number, crop: boolean): Rule {
  const arg = crop ? 'cropping' : 'padding';
  const def: PyDefault = crop ? (rank === 1 ? [1, 1] : new Array(rank).fill([0, 0])) : rank === 1 ? 1 : new Array(rank).fill(1);
  return {
    type,
    signature: rank === 1 ? [arg] : [arg, 'data_format'],
    defaults: rank === 1 ? { [arg]: def } : { [arg]: def, data_format: null },
    tuples: { [arg]: rank === 1 ? { n: 2 } : { n: rank, pairs: true } },
    inputSpec: { ndim: rank + 2 },
    outputShape(ctx) {
      const input = requireInput(ctx);
      const p = pairs(ctx, arg, rank);
      const out = input.slice();
      spatialAxes(input.length, dataFormat(ctx.args)).forEach((axis, i) => {
        const d = input[axis];
        if (d === null) return;
        const o = crop ? d - p[i][0] - p[i][1] : d + p[i][0] + p[i][1];
        if (crop && o <= 0)
          throw new LayerError(
            'negative-dimension',
            `\`cropping\` parameter of \`${type}\` layer must be smaller than the input shape. Received: inputs.shape=${shapeRepr(input)}, and cropping=${pyRepr(p as never)}`,
          );
        out[axis] = o;
      });
      return out;
    },
    receptiveField(ctx) {
      const p = pairs(ctx, arg, rank);
      return { kernel: p.map(() => 1), stride: p.map(() => 1), dilation: p.map(() => 1), padBefore: p.map(([b]) => (crop ? -b : b)) };
    },
    tfjs:
      rank !== 2
        ? only2D(type)
        : crop
          ? (r) => {
              const format = r.dataFormat();
              const input = r.spec.inputShape;
              // tfjs subtracts the cropping from a None dimension as if it were 0.
              if (input && (format === 'channelsFirst' ? input.slice(2) : input.slice(1, -1)).some((d) => d === null))
                r.refuse('tfjs’ Cropping2D cannot crop a dimension of unknown size (None).');
              return { className: 'Cropping2D', config: { cropping: r.pairs('cropping', 2), dataFormat: format } };
            }
          : (r) => ({ className: 'ZeroPadding2D', config: { padding: r.pairs('padding', 2), dataFormat: r.dataFormat() } }),
  };
}

function upSampling(rank: number): Rule {
  return {
    type: `UpSampling${rank}D`,
    signature: rank === 1 ? ['size'] : rank === 2 ? ['size', 'data_format', 'interpolation'] : ['size', 'data_format'],
    defaults: rank === 1 ? { size: 2 } : rank === 2 ? { size: [2, 2], data_format: null, interpolation: 'nearest' } : { size: [2, 2, 2], data_format: null },
    tuples: rank === 1 ? undefined : { size: { n: rank } }, // Keras keeps UpSampling1D's size an int
    inputSpec: { ndim: rank + 2 },
    outputShape(ctx) {
      const input = requireInput(ctx);
      const size = ctx.args.ints('size', rank);
      const out = input.slice();
      spatialAxes(input.length, dataFormat(ctx.args)).forEach((axis, i) => {
        const d = input[axis];
        out[axis] = d === null ? null : d * size[i];
      });
      return out;
    },
    receptiveField: () => null, // a fractional jump: neighbouring outputs share input pixels
    tfjs:
      rank !== 2
        ? only2D(`UpSampling${rank}D`)
        : (r) => {
            const interpolation = r.str('interpolation') ?? 'nearest';
            if (interpolation !== 'nearest' && interpolation !== 'bilinear') r.refuse(`tfjs’ UpSampling2D has no interpolation="${interpolation}".`);
            return { className: 'UpSampling2D', config: { size: r.ints('size', 2), dataFormat: r.dataFormat(), interpolation } };
          },
  };
}

export const reshapingRules: Rule[] = [1, 2, 3].flatMap((r) => [
  paddingRule(`ZeroPadding${r}D`, r, false),
  paddingRule(`Cropping${r}D`, r, true),
  upSampling(r),
]);
