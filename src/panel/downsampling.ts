/**
 * The seed's §16–18 as a what-if: at a pooling layer, the same model with max pooling, average pooling or a
 * stride-2 convolution in its place. Each variant is the user's source with that one call replaced, analysed by
 * the core like any source, so its shapes, parameters and receptive fields are the core's. The document is
 * never edited.
 */
import { analyze, analyzeCells, pyRepr, type LayerResult, type ModelResult, type PyPlain } from '../core';
import type { DownsamplingVariant } from '../protocol';
import { POOLING, toPreviewModel } from './previewModel';

/** Python source of a tuple or value from a layer config (plain JSON). */
const py = (v: unknown) => pyRepr(v as PyPlain);

/** The calls that can stand in for a pooling layer: its class written the way the source writes it. */
export function replacements(layer: LayerResult, callText: string): { label: string; code: string }[] {
  const m = POOLING.exec(layer.type);
  if (!m) return [];
  const rank = m[2];
  const prefix = /^([\w.]*?)\w+\s*\(/.exec(callText)?.[1] ?? '';
  const pool = layer.config.pool_size;
  const strides = layer.config.strides ?? pool;
  const padding = layer.config.padding ?? 'valid';
  const window = `pool_size=${py(pool)}, strides=${py(strides)}, padding=${py(padding)}`;
  const channels = layer.inputShape?.[layer.inputShape.length - 1];
  const variants = [
    { label: 'Max pooling', code: `${prefix}MaxPooling${rank}D(${window})` },
    { label: 'Average pooling', code: `${prefix}AveragePooling${rank}D(${window})` },
  ];
  if (typeof channels === 'number')
    variants.push({
      label: 'Strided convolution',
      code: `${prefix}Conv${rank}D(${channels}, kernel_size=${py(pool)}, strides=${py(strides)}, padding=${py(padding)})`,
    });
  return variants;
}

/** Where `Class(args)` ends in `Class(args)(x)`: past the parenthesis that closes the first argument list (strings skipped). */
export function constructorEnd(call: string): number {
  let depth = 0;
  let quote: string | null = null;
  for (let i = 0; i < call.length; i++) {
    const ch = call[i];
    if (quote) {
      if (ch === '\\') i++;
      else if (ch === quote) quote = null;
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '(') depth++;
    else if (ch === ')' && --depth === 0) return i + 1;
  }
  return call.length;
}

/** Replaces [from, to) of `text` (offsets) with `code`. */
function splice(text: string, from: number, to: number, code: string): string {
  return text.slice(0, from) + code + text.slice(to);
}

export interface SourceForWhatIf {
  /** The file's text, or the notebook's code cells. */
  text?: string;
  cells?: { index: number; text: string }[];
  /** Offsets of the layer call in the file, or in its cell. */
  from: number;
  to: number;
  cell?: number;
  fileName?: string;
}

/**
 * Each variant of the model, analysed, for the preview. `modelIndex` is the model's place among the models of the
 * source's analysis: replacing one layer call makes the same models in the same order, so the variant is the model
 * at that place. (Its name and line do not tell it apart: two models named `ms` from one comprehension share both,
 * and in a notebook lines are counted per cell.) Without it, the first model of that name and `Sequential(` call.
 */
export function downsamplingVariants(
  model: ModelResult,
  layer: LayerResult,
  source: SourceForWhatIf,
  keyBase: string,
  modelIndex?: number,
): DownsamplingVariant[] {
  const text = source.text;
  const written = source.cells ? source.cells.find((c) => c.index === source.cell)?.text.slice(source.from, source.to) : text?.slice(source.from, source.to);
  if (written === undefined) return [];
  // In a Functional model the layer's range is its call on a tensor, `layers.MaxPooling2D(3)(x)`: only the
  // constructor, up to its closing parenthesis, is replaced.
  const callText = written.slice(0, constructorEnd(written));
  source = { ...source, to: source.from + callText.length };
  return replacements(layer, callText).flatMap(({ label, code }) => {
    const result = source.cells
      ? analyzeCells(source.cells.map((c) => (c.index === source.cell ? { ...c, text: splice(c.text, source.from, source.to, code) } : c)))
      : analyze(splice(text ?? '', source.from, source.to, code), { fileName: `${source.fileName ?? 'source'}#what-if` });
    const at = modelIndex === undefined ? undefined : result.models[modelIndex];
    const variant =
      modelIndex === undefined ? result.models.find((m) => m.name === model.name && m.line === model.line) : at?.name === model.name ? at : undefined;
    return variant ? [{ label, code, model: toPreviewModel(variant, `${keyBase}#${label}`) }] : [];
  });
}
