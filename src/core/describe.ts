/**
 * Plain-language descriptions of a layer and a model, shared by hovers, code lenses, the summary view and
 * the webview so that they all say the same thing the same way. Markdown, no `vscode`.
 */
import { BYTES_PER_PARAM, connectedTo, formatBytes, formatCount, formatField, formatShape, inputsText } from './format';
import { sizeText } from './repr';
import type { LayerResult, ModelResult, ReceptiveField, TensorResult } from './types';

/** `3×3×32×64 kernel + 64 bias = 18,496`, with trainable / non-trainable when they differ. */
export function describeParams(layer: LayerResult): string {
  if (layer.params === null) return 'unknown';
  const total = formatCount(layer.params);
  const base = layer.paramsBreakdown ? `${layer.paramsBreakdown} = ${total}` : total;
  if (layer.nonTrainableParams) return `${base} (${formatCount(layer.trainableParams)} trainable, ${formatCount(layer.nonTrainableParams)} non-trainable)`;
  return base;
}

/** `8×8 (jump 2, offset 0)`. */
export function describeField(field: ReceptiveField | null): string {
  if (!field) return 'not defined here';
  const axis = (xs: (number | null)[]) => sizeText(xs.every((x) => x === xs[0]) ? [xs[0]] : xs);
  return `${formatField(field)} (jump ${axis(field.jump)}, offset ${axis(field.offset)})`;
}

/**
 * "a" or "an" before a number, by how it is spoken: "an 8", "an 11", "an 18", "an 80", "an 800", "an 8,000".
 * The words start with the number's leading group of three digits (8,000 is "eight thousand").
 */
export function articleFor(n: number | null): 'a' | 'an' {
  if (n === null || !Number.isFinite(n) || n < 1) return 'a';
  let lead = Math.floor(n);
  while (lead >= 1000) lead = Math.floor(lead / 1000);
  return lead === 8 || lead === 11 || lead === 18 || (lead >= 80 && lead <= 89) || (lead >= 800 && lead <= 899) ? 'an' : 'a';
}

/** One plain sentence on what the receptive field means for this layer. */
export function explainField(field: ReceptiveField | null): string {
  if (!field) return '';
  const jumps = field.jump.every((j) => j === field.jump[0]) ? [field.jump[0]] : field.jump;
  const apart = `${sizeText(jumps)} input ${jumps.length === 1 && jumps[0] === 1 ? 'pixel' : 'pixels'} apart`;
  return `Each unit of this layer sees ${articleFor(field.size[0])} ${formatField(field)} window of the input; neighbouring units are ${apart}.`;
}

export function outputBytes(layer: LayerResult): number | null {
  if (!layer.outputShape) return null;
  let n = 1;
  for (const d of layer.outputShape.slice(1)) {
    if (d === null) return null;
    n *= d;
  }
  return n * BYTES_PER_PARAM;
}

/**
 * The hover on one call of a layer, as Markdown lines (command links are added by the editor). A layer that joins
 * several tensors (a merge) shows all their shapes, as Keras gives its input shape: a list, `[(None, 128), (None, 32)]`.
 */
export function layerMarkdown(layer: LayerResult, call = 0): string[] {
  // A shared layer's call other than the first has shapes of its own (the row's are the first call's).
  const shapes = layer.calls?.[call] ?? layer;
  const joined = layer.inboundShapes?.[call] ?? [];
  const input = joined.length > 1 ? `[${joined.map((s) => formatShape(s)).join(', ')}]` : formatShape(shapes.inputShape);
  const lines = [`**${layer.name}** · \`${layer.type}\``, '', `\`${input}\` → \`${formatShape(shapes.outputShape)}\``, ''];
  lines.push(`**Parameters:** ${describeParams(layer)}  `);
  if (layer.receptiveField) lines.push(`**Receptive field:** ${describeField(layer.receptiveField)} — ${explainField(layer.receptiveField)}  `);
  lines.push(`**MACs:** ${formatCount(layer.macs)} · **Output:** ${formatBytes(outputBytes(layer))} per sample`);
  return lines;
}

/** `` `conv2d_3` (`Conv2D`) ``: a layer of the model, by name, with its type when the model has it. */
function layerRef(model: ModelResult, name: string): string {
  const type = model.layers.find((l) => l.name === name)?.type;
  return `\`${name}\`${type ? ` (\`${type}\`)` : ''}`;
}

/**
 * Functional models: which layers feed one call of a layer, for its hover: `**Input from:** …` for one input; for
 * several (a merge layer), each with its shape; for a shared layer, which call this is. Nothing for a Sequential's.
 */
export function inboundMarkdown(model: ModelResult, layer: LayerResult, call = 0): string[] {
  if (!layer.inbound) return [];
  // An Input row has no calls.
  if (layer.inbound.length === 0) return [`**Input** of the model \`${model.name}\`.`];
  const inbound = layer.inbound[call] ?? [];
  const lines: string[] = [];
  const calls = layer.inbound.length;
  if (calls > 1) lines.push(`**Shared layer:** called ${calls} times, its weights counted once; this is call ${call + 1} of ${calls}.  `);
  if (inbound.length === 1) lines.push(`**Input from:** ${layerRef(model, inbound[0])}`);
  else if (inbound.length > 1) {
    const shapes = layer.inboundShapes?.[call] ?? [];
    lines.push(`**Inputs (${inbound.length}):**`, '');
    inbound.forEach((name, i) => lines.push(`- ${layerRef(model, name)} \`${formatShape(shapes[i] ?? null)}\``));
  }
  return lines;
}

/**
 * The hover on a variable holding a Keras tensor: its shape and the layer it is the output of. Several where the
 * code ran more than once (a loop, a block helper called several times, a model per call): one line each.
 */
export function tensorMarkdown(tensors: { model: ModelResult; tensor: TensorResult }[]): string[] {
  if (tensors.length === 0) return [];
  const name = tensors[0].tensor.name;
  const where = (t: TensorResult) => `line ${t.range.start.line}${t.range.cell !== undefined ? ` of cell ${t.range.cell + 1}` : ''}`;
  if (tensors.length === 1) {
    const { model, tensor } = tensors[0];
    return [
      `**\`${name}\`** · \`${formatShape(tensor.shape)}\``,
      '',
      `A Keras tensor: the output of ${layerRef(model, tensor.layer)}, assigned at ${where(tensor)}.`,
    ];
  }
  const lines = [`**\`${name}\`** · ${tensors.length} Keras tensors: this code runs more than once (a loop, or a function called more than once)`, ''];
  const models = new Set(tensors.map((t) => t.model)).size;
  const item = ({ model, tensor }: { model: ModelResult; tensor: TensorResult }) =>
    `- \`${formatShape(tensor.shape)}\`, the output of ${layerRef(model, tensor.layer)} (${where(tensor)}${models > 1 ? `, model \`${model.name}\`` : ''})`;
  const shown =
    tensors.length > 16 ? [...tensors.slice(0, 13).map(item), `- … ${tensors.length - 15} more`, ...tensors.slice(-2).map(item)] : tensors.map(item);
  return [...lines, ...shown];
}

/** The largest receptive field in the model (its last spatial layer's). */
export function modelField(model: ModelResult): ReceptiveField | null {
  let field: ReceptiveField | null = null;
  for (const l of model.layers) if (l.receptiveField) field = l.receptiveField;
  return field;
}

/** `8 layers · 93,322 params (364.5 KB) · RF 18×18`. */
export function modelLensTitle(model: ModelResult): string {
  const parts = [`${model.layers.length} layer${model.layers.length === 1 ? '' : 's'}`];
  const kb = model.totalParams === null ? null : (model.totalParams * BYTES_PER_PARAM) / 1024;
  const size = kb === null ? '' : kb < 1024 ? ` (${kb.toFixed(1)} KB)` : ` (${(kb / 1024).toFixed(1)} MB)`;
  parts.push(`${formatCount(model.totalParams)} params${size}`);
  const field = modelField(model);
  if (field) parts.push(`RF ${formatField(field)}`);
  return parts.join(' · ');
}

/**
 * The hover on a `keras.applications` call (`VGG16(...)`): the architecture's input, output, totals and deepest
 * receptive field, then its stages — runs of layers at one spatial resolution, the hierarchy a convnet builds
 * (edges at full size, larger patterns as the map shrinks) — instead of hundreds of rows.
 */
export function applicationMarkdown(model: ModelResult): string[] {
  const last = model.layers[model.layers.length - 1];
  const field = modelField(model);
  const lines = [
    `**${model.name}** · \`${model.application}\` from keras.applications · ${model.layers.length} layers`,
    '',
    `\`${formatShape(model.inputShape)}\` → \`${formatShape(last?.outputShape ?? null)}\``,
    '',
    `**Parameters:** ${formatCount(model.totalParams)} (${formatCount(model.trainableParams)} trainable, ${formatCount(model.nonTrainableParams)} non-trainable)  `,
  ];
  if (field) lines.push(`**Receptive field:** ${describeField(field)} — ${explainField(field)}  `);
  lines.push(`**MACs:** ${formatCount(model.macs)} · **Activations:** ${formatBytes(model.activationBytes)} per sample`, '');
  const stages = stagesOf(model.layers);
  if (stages.length > 1) {
    lines.push('| Stage | Layers | Output | Params |', '|---|---:|---|---:|');
    for (const s of stages) lines.push(`| \`${s.first}\` … \`${s.last}\` | ${s.count} | \`${formatShape(s.output)}\` | ${formatCount(s.params)} |`);
  }
  return lines;
}

/** Consecutive layers whose outputs share a spatial size (all but batch and channels), with their parameters. */
function stagesOf(layers: LayerResult[]): { first: string; last: string; count: number; output: LayerResult['outputShape']; params: number | null }[] {
  const key = (l: LayerResult) => (l.outputShape && l.outputShape.length > 2 ? sizeText(l.outputShape.slice(1, -1)) : 'flat');
  const stages: ReturnType<typeof stagesOf> = [];
  let current = '';
  for (const l of layers) {
    const k = key(l);
    const s = stages[stages.length - 1];
    if (s && k === current) {
      s.last = l.name;
      s.count++;
      s.output = l.outputShape;
      s.params = s.params === null || l.params === null ? null : s.params + l.params;
    } else stages.push({ first: l.name, last: l.name, count: 1, output: l.outputShape, params: l.params });
    current = k;
  }
  return stages;
}

/** The model as a Markdown table, for the hover on the model and the copy command. */
export function modelMarkdownTable(model: ModelResult): string[] {
  // A Functional model's table says what each layer is connected to, as Keras' summary does.
  const functional = model.kind === 'functional';
  const lines = [
    `**${model.name}** · ${inputsText(model, (t) => `\`${t}\``)}`,
    '',
    `| Layer (type) | Output shape | Params | RF |${functional ? ' Connected to |' : ''}`,
    `|---|---|---:|---:|${functional ? '---|' : ''}`,
  ];
  for (const l of model.layers)
    lines.push(
      `| ${l.name} (${l.type}) | ${formatShape(l.outputShape)} | ${formatCount(l.params)} | ${formatField(l.receptiveField)} |${functional ? ` ${connectedTo(l)} |` : ''}`,
    );
  lines.push('', `Total params: **${formatCount(model.totalParams)}** · MACs: ${formatCount(model.macs)}`);
  return lines;
}
