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

/** A call to replace: offsets in the file, or in cell `cell` of a notebook. */
interface Edit {
  cell?: number;
  from: number;
  to: number;
}

/** `text` with each edit's range replaced by its code (edits at distinct places). */
function spliceAll(text: string, edits: (Edit & { code: string })[]): string {
  let out = text;
  for (const e of [...edits].sort((a, b) => b.from - a.from)) out = splice(out, e.from, e.to, e.code);
  return out;
}

/** Offset of a 1-based line and column in `text`. */
function offsetOf(text: string, line: number, column: number): number {
  let at = 0;
  for (let l = 1; l < line; l++) {
    const next = text.indexOf('\n', at);
    if (next < 0) return text.length;
    at = next + 1;
  }
  return at + column - 1;
}

/**
 * Where every pooling layer of the model is constructed (its constructor call, once per call in the source: a call
 * in a loop makes several layers), in the source the what-if edits: "no downsampling at all" replaces each.
 */
function poolingCalls(model: ModelResult, source: SourceForWhatIf): Edit[] {
  const edits = new Map<string, Edit>();
  for (const l of model.layers) {
    if (!POOLING.test(l.type)) continue;
    const text = source.cells ? source.cells.find((c) => c.index === l.range.cell)?.text : source.text;
    if (text === undefined) return [];
    const from = offsetOf(text, l.range.start.line, l.range.start.column);
    const to = offsetOf(text, l.range.end.line, l.range.end.column);
    const call = text.slice(from, to);
    // Only a call of the class itself can be replaced (`pool(x)` with a layer made elsewhere cannot).
    if (!/Pooling[123]D\s*\(/.test(call)) return [];
    edits.set(`${l.range.cell ?? ''}:${from}`, { cell: l.range.cell, from, to: from + constructorEnd(call) });
  }
  return [...edits.values()];
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
  const here: Edit = { cell: source.cell, from: source.from, to: source.to };
  const variants = replacements(layer, callText).map((r) => ({ ...r, edits: [{ ...here, code: r.code }] }));
  const prefix = /^([\w.]*?)\w+\s*\(/.exec(callText)?.[1] ?? '';
  const everyPooling = model.application ? [] : poolingCalls(model, source);
  if (everyPooling.length > 0)
    variants.push({ label: 'No downsampling', code: `${prefix}Identity()`, edits: everyPooling.map((e) => ({ ...e, code: `${prefix}Identity()` })) });
  return variants.flatMap(({ label, code, edits }) => {
    const result = source.cells
      ? analyzeCells(
          source.cells.map((c) => ({
            ...c,
            text: spliceAll(
              c.text,
              edits.filter((e) => e.cell === c.index),
            ),
          })),
          { kerasVersion: model.kerasVersion },
        )
      : analyze(spliceAll(text ?? '', edits), { fileName: `${source.fileName ?? 'source'}#what-if`, kerasVersion: model.kerasVersion });
    const at = modelIndex === undefined ? undefined : result.models[modelIndex];
    const variant =
      modelIndex === undefined ? result.models.find((m) => m.name === model.name && m.line === model.line) : at?.name === model.name ? at : undefined;
    return variant ? [{ label, code, model: toPreviewModel(variant, `${keyBase}#${label}`) }] : [];
  });
}
