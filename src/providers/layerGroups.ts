/**
 * One source line can make several layers: a `for` loop runs a layer call once per iteration, and each call of a
 * function defined in the file builds a model of its own from the same lines. The editor shows such layers
 * together, at their shared call: one inlay hint listing the outputs in order, one hover with a row each.
 * Pure text logic, no `vscode`, so that the unit tests can run it.
 */
import { formatCount, formatField, formatShape, type LayerResult, type ModelResult, type Range } from '../core';

/** A layer with the model it belongs to (its index in the analysis' `models`). */
export interface PlacedLayer {
  model: ModelResult;
  modelIndex: number;
  /** For a shared layer's call (see `calls`): the layer with that call's range and shapes. */
  layer: LayerResult;
  /** A Functional model's shared layer: which of its calls this is (0-based). */
  call?: number;
}

/** The layers one call in the source made: in model order, then in each model's layer order (iteration order). */
export interface LayerGroup {
  key: string;
  range: Range;
  members: PlacedLayer[];
}

/** A range as a string, equal for equal ranges (cell included). */
export function rangeKey(r: Range): string {
  return `${r.cell ?? ''}:${r.start.line}:${r.start.column}-${r.end.line}:${r.end.column}`;
}

/**
 * A layer as each of its calls: itself, or for a Functional model's shared layer (one row, several calls), the layer
 * once per call with that call's range and shapes, so that every call gets its hint and its hover.
 */
export function layerCalls(layer: LayerResult): { layer: LayerResult; call?: number }[] {
  if (!layer.calls || layer.calls.length < 2) return [{ layer }];
  return layer.calls.map((c, call) => ({
    layer: call === 0 ? layer : { ...layer, range: c.range, inputShape: c.inputShape, outputShape: c.outputShape },
    call,
  }));
}

/**
 * Layers grouped by their call's range (those of keras.applications models left out), groups in order of first appearance. `keep` filters layers (e.g. this
 * document's); a shared layer's calls are kept or not one by one.
 */
export function groupLayersByRange(models: ModelResult[], keep: (l: LayerResult) => boolean = () => true): LayerGroup[] {
  const groups = new Map<string, LayerGroup>();
  models.forEach((model, modelIndex) => {
    // A keras.applications model's layers are all at its call: the editor shows the model there as one thing.
    if (model.application) return;
    for (const row of model.layers)
      for (const { layer, call } of layerCalls(row)) {
        if (!keep(layer)) continue;
        const key = rangeKey(layer.range);
        let g = groups.get(key);
        if (!g) groups.set(key, (g = { key, range: layer.range, members: [] }));
        g.members.push(call === undefined ? { model, modelIndex, layer } : { model, modelIndex, layer, call });
      }
  });
  return [...groups.values()];
}

/** Whether a range contains a 1-based position, as VS Code's Range.contains does (the position just past the end included). */
export function rangeContains(r: Range, line: number, column: number): boolean {
  if (line < r.start.line || line > r.end.line) return false;
  if (line === r.start.line && column < r.start.column) return false;
  return !(line === r.end.line && column > r.end.column);
}

/**
 * The layer call at a 1-based position: where calls nest (`layers.Dense(10)(layers.Flatten()(x))` in a Functional
 * model) the innermost; else the first group containing it, as for Sequential models.
 */
export function groupAt(groups: LayerGroup[], line: number, column: number): LayerGroup | undefined {
  const hits = groups.filter((g) => rangeContains(g.range, line, column));
  const functional = hits.filter((g) => g.members.some((m) => m.model.kind === 'functional'));
  if (!functional.length) return hits[0];
  const size = (r: Range) => (r.end.line - r.start.line) * 1e6 + (r.end.column - r.start.column);
  return functional.reduce((best, g) => (size(g.range) < size(best.range) ? g : best));
}

/** The members of a group model by model, each with its layers in order. */
export function byModel(group: LayerGroup): { model: ModelResult; modelIndex: number; layers: LayerResult[] }[] {
  const out: { model: ModelResult; modelIndex: number; layers: LayerResult[] }[] = [];
  for (const m of group.members) {
    const last = out[out.length - 1];
    if (last && last.modelIndex === m.modelIndex) last.layers.push(m.layer);
    else out.push({ model: m.model, modelIndex: m.modelIndex, layers: [m.layer] });
  }
  return out;
}

const SEP = ' · ';

/**
 * Items joined with ` · `, shortened when there are more than `maxItems` or the text would exceed `maxLength`
 * (0: no limit): the first items that fit (at most maxItems − 1), ` … `, the last item and the count,
 * e.g. `(None, 512) · (None, 256) … (None, 32) ×5`. Never fewer than the first and the last item. Items all alike
 * are one with the count: `(None, 64) ×3`.
 */
export function shortenList(items: string[], maxLength: number, maxItems = 4): string {
  const n = items.length;
  if (n > 1 && items.every((x) => x === items[0])) return `${items[0]} ×${n}`;
  const full = items.join(SEP);
  if (n <= 2) return full;
  const fits = (s: string) => maxLength <= 0 || s.length <= maxLength;
  if (n <= maxItems && fits(full)) return full;
  const tail = ` … ${items[n - 1]} ×${n}`;
  for (let k = Math.min(maxItems - 1, n - 2); k >= 1; k--) {
    const s = items.slice(0, k).join(SEP) + tail;
    if (fits(s)) return s;
  }
  return items[0] + tail;
}

export interface HintOptions {
  /** Add the parameter count (of all the layers listed, when several). */
  params: boolean;
  /** VS Code's `editor.inlayHints.maximumLength` (0: no limit): longer hints are cut by the editor, so we shorten first. */
  maxLength: number;
}

/** One label part per distinct list of outputs (and parameters, if shown): the models that give it (by name) and its layers. */
function distinctOutputs(group: LayerGroup, params: boolean): { names: string[]; layers: LayerResult[] }[] {
  const out: { names: string[]; layers: LayerResult[]; sig: string }[] = [];
  for (const { model, layers } of byModel(group)) {
    const sig = layers.map((l) => `${formatShape(l.outputShape)}${params ? ` ${l.params}` : ''}`).join('|');
    const same = out.find((o) => o.sig === sig);
    if (same) {
      if (!same.names.includes(model.name)) same.names.push(model.name);
    } else out.push({ names: [model.name], layers, sig });
  }
  return out;
}

function sumParams(layers: LayerResult[]): number | null {
  let total = 0;
  for (const l of layers) {
    if (l.params === null) return null;
    total += l.params;
  }
  return total;
}

/** The outputs of some layers as one label: shapes in order (shortened to `budget`), then the parameters if asked. */
function outputsLabel(layers: LayerResult[], budget: number, params: boolean): string {
  const total = params ? sumParams(layers) : null;
  const suffix = total === null ? '' : `${SEP}${formatCount(total)} params`;
  // A layer that may run any number of times (`conditional-layer`) says so: `(None, 16) ×?`.
  const shapes = layers.map((l) => `${formatShape(l.outputShape)}${l.timesUnknown ? ' ×?' : ''}`);
  return shortenList(shapes, budget <= 0 ? 0 : Math.max(1, budget - suffix.length)) + suffix;
}

/**
 * The inlay hint of a group: one layer gives `(None, 11, 11, 64)`; a loop's layers give their outputs in order,
 * `(None, 32, 32, 32) · (None, 16, 16, 64) · (None, 8, 8, 128)` (shortened to fit, see shortenList). Where several
 * models share the line (a function called more than once) and their outputs differ, each list is named by its
 * models: `small: (None, 5) | big: (None, 10)`; equal lists are shown once. When that is too long for the editor,
 * the lists that fit come first, then `+N more` (the tooltip and the hover have them all).
 */
export function hintLabel(group: LayerGroup, opts: HintOptions): string {
  const parts = distinctOutputs(group, opts.params);
  if (parts.length === 1) return outputsLabel(parts[0].layers, opts.maxLength, opts.params);
  const fits = (s: string) => opts.maxLength <= 0 || s.length <= opts.maxLength;
  const named = (p: { names: string[]; layers: LayerResult[] }, budget: number) => {
    const head = `${p.names.join(', ')}: `;
    return head + outputsLabel(p.layers, budget <= 0 ? 0 : Math.max(1, budget - head.length), opts.params);
  };
  const full = parts.map((p) => named(p, 0)).join(' | ');
  if (fits(full)) return full;
  const short = parts.map((p) => named(p, 1));
  if (fits(short.join(' | '))) return short.join(' | ');
  let label = short[0];
  let shown = 1;
  while (shown < short.length && fits(`${label} | ${short[shown]} | +${short.length - shown - 1} more`)) label += ` | ${short[shown++]}`;
  return shown < short.length ? `${label} | +${short.length - shown} more` : label;
}

/** A hover or tooltip lists at most this many layers (a loop may run up to 1,000 times): the first ones and the last. */
export const MAX_ROWS = 16;

/** The first max − 3 items, one standing for the k left out, and the last 2; all of them when they are few. */
export function elide<T>(items: T[], max: number, gap: (k: number) => T): T[] {
  if (items.length <= max) return items;
  const head = Math.max(1, max - 3);
  return [...items.slice(0, head), gap(items.length - head - 2), ...items.slice(-2)];
}

/** The hint's tooltip: every layer of the group on a line of its own, with its model where there are several. */
export function hintTooltip(group: LayerGroup): string {
  const models = byModel(group);
  const lines: string[] = [];
  for (const { model, layers } of models) {
    if (models.length > 1) lines.push(`${model.name}:`);
    layers.forEach((l, i) =>
      lines.push(`${models.length > 1 ? '  ' : ''}${layers.length > 1 ? `${i + 1}. ` : ''}${l.name} (${l.type}) → ${formatShape(l.outputShape)}`),
    );
  }
  return elide(lines, MAX_ROWS, (k) => `  … ${k} more`).join('\n');
}

/** A code span that survives a Markdown table cell (`|` escaped, backticks fenced). */
export function codeSpan(text: string): string {
  const t = text.replace(/\|/g, '\\|');
  return t.includes('`') ? `\`\` ${t} \`\`` : `\`${t}\``;
}

/** A call's source on one line, cut to `max` characters: `build_model((64, 64, 3), num_classes=5)`. */
export function oneLine(source: string, max = 60): string {
  const s = source.replace(/\s+/g, ' ').replace(/\(\s/g, '(').replace(/\s\)/g, ')').trim();
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

/** `line 28`, or `line 3 of cell 2` in a notebook (cells counted from 1, as VS Code shows them). */
export function whereText(r: Range): string {
  return `line ${r.start.line}${r.cell !== undefined ? ` of cell ${r.cell + 1}` : ''}`;
}

/**
 * Which call built a model, in words, or undefined for a model no function of the file builds:
 * `` `build_model((64, 64, 3), num_classes=5)` at line 28 → model `small` ``. `callSource` is the call's text.
 */
export function builtByText(model: ModelResult, callSource: string | undefined): string | undefined {
  const by = model.builtBy;
  if (!by) return undefined;
  if (!by.call) return defaultsNote(model);
  return `${codeSpan(oneLine(callSource ?? `${by.function}(…)`))} at ${whereText(by.call)} → model ${codeSpan(model.name)}`;
}

/** A sentence for the hover: `Built by … → model `small`.`, or for a function nothing calls, the defaults note. */
export function builtBySentence(model: ModelResult, callSource: string | undefined): string | undefined {
  if (!model.builtBy) return undefined;
  return model.builtBy.call ? `Built by ${builtByText(model, callSource)}.` : defaultsNote(model);
}

/** For a model of a function nothing in the file calls. */
export function defaultsNote(model: ModelResult): string | undefined {
  const by = model.builtBy;
  if (!by || by.call) return undefined;
  const passed = by.passed ? ` It is passed on at ${whereText(by.passed)}, to code that calls it with arguments LayerLens cannot see.` : '';
  const calledOn = by.calledOn ? ` It is called at ${whereText(by.calledOn)} on an object LayerLens cannot follow.` : '';
  const tuner = by.tuner
    ? " Its `hp` values are the search space's first (each `default=`, else the least or first value), as Keras Tuner builds its first model."
    : '';
  const nothing = by.calledOn ? 'nothing LayerLens follows calls it' : 'nothing in this file calls it';
  return `The numbers use the defaults of ${codeSpan(by.function)}'s parameters: ${nothing}.${passed}${calledOn}${tuner}`;
}

/** The "Built by" cell of a model's rows: its call, or the defaults it was built with, or just its name. */
function builtByCell(model: ModelResult, callSource: string | undefined): string {
  const by = model.builtBy;
  if (by && !by.call) return `model ${codeSpan(model.name)}, with the defaults of ${codeSpan(by.function)}`;
  return builtByText(model, callSource) ?? `model ${codeSpan(model.name)}`;
}

export interface GroupHoverOptions {
  /** The source text of a model's `builtBy.call`, if it can be read. */
  callSource(model: ModelResult): string | undefined;
  /** A link to preview a layer (Markdown), or the plain name. */
  layerLink(p: PlacedLayer): string;
}

/**
 * The hover on a call that made several layers: a headline, one table row per layer (iteration or call) with its
 * index, shapes, parameters and receptive field, and which call built it where functions did.
 */
export function groupMarkdown(group: LayerGroup, opts: GroupHoverOptions): string[] {
  const models = byModel(group);
  const types = [...new Set(group.members.map((m) => m.layer.type))].map((t) => `\`${t}\``).join(', ');
  const n = group.members.length;
  const fn = [...new Set(models.map((m) => m.model.builtBy?.function).filter((f): f is string => !!f))];
  const withCalls = models.length > 1 || models.some((m) => m.model.builtBy?.call);
  const repeated = models.filter((m) => m.layers.length > 1);
  // Several layers of one model from this line: a loop ran it, or the function it is in was called more than once.
  const vias = repeated.flatMap((m) => m.layers.map((l) => l.via));
  const callLines = [...new Set(vias.map((v) => (v ? whereText(v.call) : '')))];
  const calledAgain = repeated.length > 0 && callLines.length > 1 && !callLines.includes('');
  const calledWhat = `\`${vias[0]?.function ?? 'its function'}\``;
  const how = [
    calledAgain
      ? `${calledWhat} is called ${callLines.length === 2 ? 'twice' : `${callLines.length} times`} (${callLines.join(', ')})`
      : repeated.length
        ? 'a loop runs this call once per iteration'
        : '',
    models.length > 1 ? `${fn.length ? fn.map((f) => `\`${f}\``).join(', ') : 'the file'} builds one model per call` : '',
  ]
    .filter(Boolean)
    .join('; ');
  const lines = [`${types} · this line makes **${n} layers**${how ? ` (${how})` : ''}`, ''];
  const head = ['#', ...(withCalls ? ['Built by'] : []), 'Layer', 'Input → output', 'Params', 'RF'];
  lines.push(`| ${head.join(' | ')} |`, `|${head.map((h) => (h === '#' || h === 'Params' || h === 'RF' ? '---:' : '---')).join('|')}|`);
  const rows: string[] = [];
  for (const { model, modelIndex, layers } of models) {
    const by = withCalls ? builtByCell(model, opts.callSource(model)) : undefined;
    layers.forEach((layer, i) => {
      const index = layers.length > 1 && models.length > 1 ? `${rows.length + 1} (iteration ${i + 1})` : String(rows.length + 1);
      const shapes = `\`${formatShape(layer.inputShape)}\` → \`${formatShape(layer.outputShape)}\``;
      const cells = [
        index,
        ...(by !== undefined ? [by] : []),
        opts.layerLink({ model, modelIndex, layer }),
        shapes,
        formatCount(layer.params),
        formatField(layer.receptiveField),
      ];
      rows.push(`| ${cells.join(' | ')} |`);
    });
  }
  lines.push(...elide(rows, MAX_ROWS, (k) => `| … | ${k} more: see the model summary |${' |'.repeat(head.length - 2)}`));
  for (const { model } of models) {
    const note = defaultsNote(model);
    if (note && !lines.includes(note)) lines.push('', note);
  }
  return lines;
}
