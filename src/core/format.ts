/** Text renderings of an analysis: a Keras-like summary table, Markdown, and helpers the editor shares. */
import { shapeRepr, sizeText } from './repr';
import type { AnalysisResult, Diagnostic, LayerResult, ModelResult, Range, ReceptiveField, Shape } from './types';

export const BYTES_PER_PARAM = 4;

/** A shape as Keras prints it: `(None, 26, 26, 32)`; `?` when unknown (`shapeRepr`, by the name the editor uses). */
export const formatShape = shapeRepr;

/** 93322 → "93,322"; null → "?". */
export function formatCount(n: number | null): string {
  if (n === null) return '?';
  // Plain digit grouping: toLocaleString is slow enough to show up when typing in a large file.
  const [int, frac] = String(Math.abs(n)).split('.');
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${n < 0 ? '-' : ''}${grouped}${frac ? `.${frac}` : ''}`;
}

/** Bytes as Keras' `readable_memory_size` prints them: 373288 → "364.54 KB". */
export function formatBytes(bytes: number | null): string {
  if (bytes === null) return '?';
  const units = ['B', 'KB', 'MB', 'GB', 'TB', 'PB'];
  let size = bytes;
  for (const unit of units) {
    if (size / 1024 < 1) return `${size.toFixed(2)} ${unit}`;
    size /= 1024;
  }
  return `${size.toFixed(2)} PB`;
}

/** One input of a model: an Input layer's name (a Sequential's input has none) and its shape. */
export interface ModelInput {
  name: string | null;
  shape: Shape | null;
}

/**
 * Every input of a model: a Functional model's, in `keras.Model(inputs=...)`'s order (its Input rows where the result has no list); a Sequential's one input.
 * (A nested model's inputs are its own business: only the model's own rows count.)
 */
export function modelInputs(model: ModelResult): ModelInput[] {
  // A Functional model's own list, in `keras.Model(inputs=...)`'s order; else its Input rows, in the layers' order.
  if (model.inputs?.length) return model.inputs;
  if (model.kind !== 'functional') return [{ name: null, shape: model.inputShape }];
  const rows = model.layers.filter((l) => l.type === 'InputLayer' && l.inbound?.length === 0);
  return rows.length ? rows.map((l) => ({ name: l.name, shape: l.outputShape })) : [{ name: null, shape: model.inputShape }];
}

/** `input (None, 8)`; with several, each by name: `inputs title (None, None), tags (None, 12)`. */
export function inputsText(model: ModelResult, code: (text: string) => string = (t) => t): string {
  const inputs = modelInputs(model);
  if (inputs.length === 1) return `input ${code(formatShape(inputs[0].shape))}`;
  return `inputs ${inputs.map((i) => `${i.name} ${code(formatShape(i.shape))}`).join(', ')}`;
}

/** "18×18" for a square field, "3×5" otherwise; "?" when unknown, "—" where it is not defined. */
export function formatField(field: ReceptiveField | null): string {
  if (!field) return '—';
  return sizeText(field.size);
}

interface Column {
  title: string;
  width: number;
  cell(l: LayerResult): string;
}

const COLUMNS: Column[] = [
  { title: 'Layer (type)', width: 32, cell: (l) => `${l.name} (${l.type})${l.timesUnknown ? ' ×?' : ''}` },
  { title: 'Output Shape', width: 24, cell: (l) => (l.outputShapes ? `[${l.outputShapes.map(formatShape).join(', ')}]` : formatShape(l.outputShape)) },
  { title: 'Param #', width: 12, cell: (l) => formatCount(l.params) },
  { title: 'Receptive field', width: 17, cell: (l) => formatField(l.receptiveField) },
  { title: 'MACs', width: 14, cell: (l) => formatCount(l.macs) },
];

/** Keras' "Connected to" for a Functional model's layer: each call's inbound layers, `conv2d[0][0]` style; `-` for an Input. */
export function connectedTo(l: LayerResult): string {
  return (
    (l.inbound ?? []).flatMap((call, c) => call.map((name, i) => `${name}[${l.inboundCalls?.[c]?.[i] ?? 0}][${l.inboundTensors?.[c]?.[i] ?? 0}]`)).join(', ') ||
    '-'
  );
}

/** The columns for a model, each as wide as its widest cell (at least the classic width); Functional models add "Connected to". */
function columnsFor(model: ModelResult): Column[] {
  const base = model.kind === 'functional' ? [...COLUMNS, { title: 'Connected to', width: 24, cell: connectedTo }] : COLUMNS;
  return base.map((c) => ({ ...c, width: Math.max(c.width, ...model.layers.map((l) => c.cell(l).length + 2)) }));
}

function pad(text: string, width: number): string {
  return text.length >= width ? `${text} ` : text + ' '.repeat(width - text.length);
}

function footer(model: ModelResult): string[] {
  const bytes = (n: number | null) => (n === null ? '' : ` (${formatBytes(n * BYTES_PER_PARAM)})`);
  return [
    `Total params: ${formatCount(model.totalParams)}${bytes(model.totalParams)}`,
    `Trainable params: ${formatCount(model.trainableParams)}${bytes(model.trainableParams)}`,
    `Non-trainable params: ${formatCount(model.nonTrainableParams)}${bytes(model.nonTrainableParams)}`,
    `Total MACs: ${formatCount(model.macs)}`,
    `Activation memory per sample: ${formatBytes(model.activationBytes)}`,
  ];
}

/**
 * Where a range starts, as the CLI prints it: `LINE:COL`, or `cell N:LINE:COL` in a notebook, with cells
 * counted from 1 as VS Code shows them ("Cell 3 of 3"); `range.cell` is the 0-based index.
 */
export function positionText(range: Range): string {
  return `${range.cell !== undefined ? `cell ${range.cell + 1}:` : ''}${range.start.line}:${range.start.column}`;
}

/** `FILE:LINE:COL: severity: message [code]` (`FILE:cell N:LINE:COL` in a notebook). */
export function diagnosticLine(d: Diagnostic, file?: string): string {
  return `${file ? `${file}:` : ''}${positionText(d.range)}: ${d.severity}: ${d.message} [${d.code}]`;
}

/** Cell, then line, then column: the order a reader meets positions in the file. */
export function compareRanges(a: Range, b: Range): number {
  return (a.cell ?? -1) - (b.cell ?? -1) || a.start.line - b.start.line || a.start.column - b.start.column;
}

/**
 * Every diagnostic of an analysis, the models' and the file's (syntax errors), in source order; one reported
 * twice at the same place (by two models) once.
 */
export function sortedDiagnostics(result: AnalysisResult): Diagnostic[] {
  const seen = new Set<string>();
  const all = [...result.models.flatMap((m) => m.diagnostics), ...result.diagnostics].filter((d) => {
    const key = `${positionText(d.range)} ${d.severity} ${d.code} ${d.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return all.sort((a, b) => compareRanges(a.range, b.range));
}

export interface FormatOptions {
  /** List the model's diagnostics under its table (default); the CLI lists all of a file's together instead. */
  diagnostics?: boolean;
  /** Keras' `expand_nested`: a model used as a layer is followed by its own rows, indented. */
  expandNested?: boolean;
}

/** `, Keras 3`: the Keras version whose defaults and names the numbers follow, where the analysis says. */
function versionText(model: ModelResult): string {
  return model.kerasVersion ? `, ${kerasVersionText(model)}` : '';
}

/** `Keras 3`, or where 'auto' chose Keras 2 from a sign in the file, `Keras 2 (from line 3: keras.layers.convolutional)`. */
export function kerasVersionText(model: ModelResult): string {
  const from = model.kerasVersionFrom;
  if (!from) return `Keras ${model.kerasVersion}`;
  const cell = from.range.cell !== undefined ? `cell ${from.range.cell + 1}, ` : '';
  return `Keras ${model.kerasVersion} (from ${cell}line ${from.range.start.line}: ${from.sign})`;
}

/** A summary table in the style of Keras' `model.summary()`, with receptive field and MACs columns. */
export function formatTable(model: ModelResult, file?: string, options: FormatOptions = {}): string {
  const columns = columnsFor(model);
  const width = columns.reduce((s, c) => s + c.width, 0);
  const cell = model.range.cell !== undefined ? `cell ${model.range.cell + 1}, ` : '';
  const lines = [`Model: "${model.name}"  (${cell}line ${model.line}, ${inputsText(model)}${versionText(model)})`, '_'.repeat(width)];
  const origin = builtByLine(model);
  if (origin) lines.splice(1, 0, origin);
  lines.push(
    columns
      .map((c) => pad(c.title, c.width))
      .join('')
      .trimEnd(),
    '='.repeat(width),
  );
  const row = (l: LayerResult, depth: number) =>
    columns
      .map((c, i) => pad(i === 0 && depth ? `${'  '.repeat(depth - 1)}└ ${c.cell(l)}` : c.cell(l), c.width))
      .join('')
      .trimEnd();
  // With expandNested, a nested model's rows follow its own, indented (as Keras' `summary(expand_nested=True)`).
  const rowsOf = (l: LayerResult, depth: number): string[] => [
    row(l, depth),
    ...(options.expandNested && l.nested ? l.nested.flatMap((n) => rowsOf(n, depth + 1)) : []),
  ];
  model.layers.forEach((l, i) => {
    lines.push(...rowsOf(l, 0));
    lines.push(i === model.layers.length - 1 ? '='.repeat(width) : '_'.repeat(width));
  });
  if (model.layers.length === 0) lines.push('(no layers)', '='.repeat(width));
  lines.push(...footer(model));
  if (options.diagnostics !== false) for (const d of model.diagnostics) lines.push(diagnosticLine(d, file));
  return lines.join('\n');
}

/** The same summary as a Markdown table, for pull requests. */
export function formatMarkdown(model: ModelResult, file?: string, options: FormatOptions = {}): string {
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  const cell = model.range.cell !== undefined ? `cell ${model.range.cell + 1}:` : '';
  const columns = columnsFor(model);
  const lines = [
    `### Model \`${model.name}\`${file ? ` (${file}:${cell}${model.line}${versionText(model)})` : model.kerasVersion ? ` (${kerasVersionText(model)})` : ''}`,
    '',
  ];
  const origin = builtByLine(model);
  if (origin) lines.push(origin, '');
  lines.push(
    `| # | ${columns.map((c) => c.title).join(' | ')} |`,
    `|---:|${columns.map((c, i) => (i >= 2 && c.title !== 'Connected to' ? '---:' : '---')).join('|')}|`,
  );
  model.layers.forEach((l, i) => lines.push(`| ${i} | ${columns.map((c) => esc(c.cell(l))).join(' | ')} |`));
  lines.push('', ...footer(model).map((f) => `- ${f}`));
  if (options.diagnostics !== false && model.diagnostics.length) {
    lines.push('', '**Diagnostics**', '');
    for (const d of model.diagnostics) lines.push(`- ${esc(diagnosticLine(d))}`);
  }
  return lines.join('\n');
}

/** Under the header, for a model a function builds with its defaults: say so, as the editor does (the numbers may not be those of any real call). */
function builtByLine(model: ModelResult): string | null {
  const by = model.builtBy;
  if (!by || by.call) return null;
  const cellOf = (r: Range) => (r.cell !== undefined ? `cell ${r.cell + 1}, ` : '');
  const passed = by.passed ? `; it is passed on at ${cellOf(by.passed)}line ${by.passed.start.line}, to code LayerLens does not run` : '';
  const calledOn = by.calledOn ? `; it is called at ${cellOf(by.calledOn)}line ${by.calledOn.start.line} on an object LayerLens cannot follow` : '';
  const tuner = by.tuner ? "; hp.* values are Keras Tuner's first (default=, else the least or first)" : '';
  const nothing = by.calledOn ? 'nothing LayerLens follows calls it' : 'nothing in this file calls it';
  return `Built with the defaults of ${by.function}(): ${nothing}${passed}${calledOn}${tuner}.`;
}
