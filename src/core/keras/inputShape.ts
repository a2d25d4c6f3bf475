/**
 * Where a model's input shape comes from, in this order: a leading `Input`/`InputLayer`; the first layer's
 * `batch_input_shape`, `input_shape`, `input_dim` or `input_length`; `model.build(...)`; a
 * `# layerlens: input_shape=(...)` comment on the line above the model. Several that disagree get a warning.
 */
import type { InternalShape } from '../layers/rule';
import { shapeRepr } from '../layers/rule';
import type { SourceText } from '../python/sourceText';
import { cannotResolve, type Value } from '../python/values';
import type { LayerCall, ModelBuilder } from './values';
import type { Severity } from '../types';

type Report = (severity: Severity, code: string, message: string, from: number, to: number) => void;

interface Candidate {
  shape: InternalShape | null;
  label: string;
  from: number;
  to: number;
}

export interface InputShape {
  shape: InternalShape | null;
  /** The first entry was an Input/InputLayer that only gave the shape. */
  consumedFirst: boolean;
}

/** A shape value (without or with the batch dimension) as internal dims; null when its rank is unknown. */
function dims(value: Value | undefined, report: Report, label: string): InternalShape | null {
  if (!value) return null;
  if (value.kind === 'number') return [value.value];
  if (value.kind !== 'seq') {
    if (value.kind === 'unknown')
      report('information', 'unresolved-value', `${cannotResolve(value)}: the input shape given by ${label} is unknown.`, value.from, value.to);
    return null;
  }
  return value.items.map((v) => {
    if (v.kind === 'number') return v.value;
    if (v.kind === 'none') return null;
    if (v.kind === 'unknown') report('information', 'unresolved-value', `${cannotResolve(v)}: that input dimension is unknown.`, v.from, v.to);
    return NaN;
  });
}

function batchOf(args: Map<string, Value>, report: Report): number | null {
  const b = args.get('batch_size');
  if (b?.kind === 'unknown') report('information', 'unresolved-value', `${cannotResolve(b)}: the batch size is unknown.`, b.from, b.to);
  return b && b.kind === 'number' ? b.value : null;
}

/** The shape, batch included, of a `keras.Input(...)` / `InputLayer(...)` call. */
export function inputLayerShape(call: LayerCall, report: Report): InternalShape | null {
  const a = call.args;
  const batchShape = a.get('batch_shape') ?? a.get('batch_input_shape');
  return batchShape ? dims(batchShape, report, 'Input') : withBatch(dims(a.get('shape'), report, 'Input'), batchOf(a, report));
}

export function findInputShape(model: ModelBuilder, source: SourceText, outerReport: Report): InputShape {
  const candidates: Candidate[] = [];
  // Notes on each candidate wait until one is chosen: an unresolved shape given before a complete one (a
  // `# layerlens:` comment for `Input(shape=X_train.shape[1:])`) is replaced by it, not reported as unknown.
  const pending: Parameters<Report>[] = [];
  const report: Report = (...note) => void pending.push(note);
  let consumedFirst = false;
  const first = model.layers[0]?.value;
  if (first && first.kind === 'layer' && first.layer.type === 'InputLayer') {
    consumedFirst = true;
    candidates.push({ shape: inputLayerShape(first.layer, report), label: 'Input', from: first.layer.from, to: first.layer.to });
  } else if (first && first.kind === 'functional') {
    // A Functional model first (`Sequential([conv_base, layers.Flatten(), ...])`, as in the book) gives its Input's shape.
    const input = first.model.inputs.length === 1 ? first.model.inputs[0].layer : null;
    if (input && 'type' in input && input.type === 'InputLayer')
      candidates.push({
        shape: inputLayerShape(input, () => undefined),
        label: `the model \`${first.model.name}\``,
        from: first.model.from,
        to: first.model.to,
      });
  } else if (first && first.kind === 'model') {
    // A nested Sequential that knows its input (`data_augmentation` with `input_shape=` on its first layer) gives it to the outer model, as Keras does.
    const nested = findInputShape(first.model, source, () => undefined);
    if (nested.shape) candidates.push({ shape: nested.shape, label: `the nested model \`${first.model.name}\``, from: first.model.from, to: first.model.to });
  } else if (first && first.kind === 'layer') {
    const a = first.layer.args;
    const range = { from: first.layer.from, to: first.layer.to };
    if (a.has('batch_input_shape'))
      candidates.push({ shape: dims(a.get('batch_input_shape'), report, 'batch_input_shape'), label: 'batch_input_shape', ...range });
    else if (a.has('input_shape'))
      candidates.push({ shape: withBatch(dims(a.get('input_shape'), report, 'input_shape'), batchOf(a, report)), label: 'input_shape', ...range });
    // Embedding's own first argument is also called input_dim (the vocabulary size), not an input shape.
    else if (a.has('input_dim') && first.layer.type !== 'Embedding')
      candidates.push({ shape: withBatch(dims(a.get('input_dim'), report, 'input_dim'), batchOf(a, report)), label: 'input_dim', ...range });
    else if (a.has('input_length'))
      candidates.push({ shape: withBatch(dims(a.get('input_length'), report, 'input_length'), null), label: 'input_length', ...range });
    // Keras 2's Embedding declares its input as (None, None) when nothing else does; the book's models rely on it.
    else if (first.layer.type === 'Embedding' && first.layer.origin === 'keras' && !model.build && !commentShape(model, source))
      candidates.push({ shape: [null, null], label: 'Embedding', ...range });
  }
  if (model.build) candidates.push({ shape: dims(model.build.value, report, 'model.build'), label: 'model.build', from: model.build.from, to: model.build.to });
  const comment = commentShape(model, source);
  if (comment) candidates.push({ shape: withBatch(comment.shape, null), label: 'the layerlens comment', from: comment.from, to: comment.to });

  if (candidates.length === 0) {
    for (const note of pending) outerReport(...note);
    outerReport(
      'information',
      'missing-input-shape',
      'No input shape: the layers show only the parameters that do not depend on it. Give the first layer `input_shape=`, start with `keras.Input(shape=...)`, call `model.build(...)`, or write `# layerlens: input_shape=(...)` on the line above the model.',
      model.from,
      model.to,
    );
    return { shape: null, consumedFirst };
  }
  const complete = candidates.find((c) => c.shape !== null && c.shape.every((d) => !Number.isNaN(d as number)));
  const chosen = complete ?? candidates[0];
  if (chosen === candidates[0]) for (const note of pending) outerReport(...note);
  else {
    const given = candidates[0];
    const unresolved = pending.find((n) => n[1] === 'unresolved-value');
    const what = unresolved ? `\`${source.text.slice(unresolved[3], unresolved[4])}\`` : `the input shape given by ${given.label}`;
    outerReport(
      'information',
      'input-shape-from-fallback',
      `Cannot resolve ${what} statically; LayerLens uses the input shape ${shapeRepr(chosen.shape)} from ${chosen.label}.`,
      unresolved?.[3] ?? given.from,
      unresolved?.[4] ?? given.to,
    );
  }
  for (const other of candidates.slice(1)) {
    if (other !== chosen && !sameShape(chosen.shape, other.shape))
      outerReport(
        'warning',
        'input-shape-conflict',
        `The input shape is given twice and they disagree: ${shapeRepr(chosen.shape)} by ${chosen.label}, ${shapeRepr(other.shape)} here. LayerLens uses the first.`,
        other.from,
        other.to,
      );
  }
  return { shape: chosen.shape, consumedFirst };
}

function withBatch(shape: InternalShape | null, batch: number | null): InternalShape | null {
  return shape ? [batch, ...shape] : null;
}

function sameShape(a: InternalShape | null, b: InternalShape | null): boolean {
  if (!a || !b) return true;
  return a.length === b.length && a.every((d, i) => i === 0 || d === b[i] || Number.isNaN(d as number) || Number.isNaN(b[i] as number));
}

const COMMENT = /#\s*layerlens:\s*input_shape\s*=\s*\(([^)]*)\)/;

/** `# layerlens: input_shape=(28, 28, 1)` on the line above the statement that makes the model. */
function commentShape(model: ModelBuilder, source: SourceText): { shape: InternalShape; from: number; to: number } | null {
  const line = source.lineIndex(model.statementFrom);
  for (let l = line - 1; l >= 0 && l >= line - 1; l--) {
    const text = source.lineText(l);
    const m = COMMENT.exec(text);
    if (!m) continue;
    const shape = m[1]
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s.length > 0)
      .map((s) => (s === 'None' ? null : /^\d+$/.test(s) ? Number(s) : NaN));
    const start = source.lineStart(l) + m.index;
    return { shape, from: start, to: start + m[0].length };
  }
  return null;
}
