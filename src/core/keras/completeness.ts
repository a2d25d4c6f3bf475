/**
 * "Never a wrong number" has a second half: a model whose numbers are not all known must say so loudly enough
 * that CI (`layerlens summary --fail-on warning`) and the user notice. Each unknown already has its own diagnostic
 * where it arises (information or warning); the model gets one warning that names the first of them.
 */
import type { Diagnostic, ModelResult } from '../types';

/** Diagnostics that say where a number of the model became unknown. */
const UNKNOWN_SOURCES = new Set([
  'unresolved-value',
  'missing-input-shape',
  'unknown-layer',
  'lambda-layer',
  'custom-layer',
  'conditional-layer',
  'evaluation-limit',
  'not-a-layer',
  'misplaced-input',
  'flatten-unknown',
  'vocabulary-from-data',
  'unevaluated-call',
]);

export const INCOMPLETE_MODEL = 'incomplete-model';

/** The model with an `incomplete-model` warning added when some of its numbers are unknown (and no error explains that). */
export function warnIfIncomplete(model: ModelResult): ModelResult {
  const unknownRow = model.layers.find((l) => l.outputShape === null || l.params === null);
  if (!unknownRow && model.totalParams !== null) return model;
  // An error says more than this warning would: the model is wrong, not only partly unknown.
  if (model.diagnostics.some((d) => d.severity === 'error')) return model;
  const first = earliest(model.diagnostics.filter((d) => UNKNOWN_SOURCES.has(d.code)));
  const where = first
    ? `the first unknown is at ${place(first)}: ${firstSentence(first.message)}`
    : unknownRow
      ? `the first unknown is \`${unknownRow.name}\` (${unknownRow.type}) at ${place(unknownRow)}`
      : 'its totals are unknown';
  const diagnostic: Diagnostic = {
    severity: 'warning',
    code: INCOMPLETE_MODEL,
    message: `Not every number of \`${model.name}\` is known, so its totals are not shown; ${where}`,
    range: model.range,
  };
  return { ...model, diagnostics: [...model.diagnostics, diagnostic] };
}

function earliest(diagnostics: Diagnostic[]): Diagnostic | undefined {
  let best: Diagnostic | undefined;
  for (const d of diagnostics) if (!best || before(d, best)) best = d;
  return best;
}

function before(a: Diagnostic, b: Diagnostic): boolean {
  const ca = a.range.cell ?? 0;
  const cb = b.range.cell ?? 0;
  if (ca !== cb) return ca < cb;
  const s = a.range.start;
  const t = b.range.start;
  return s.line < t.line || (s.line === t.line && s.column < t.column);
}

function place(x: { range: Diagnostic['range'] }): string {
  const cell = x.range.cell !== undefined ? `cell ${x.range.cell + 1}, ` : '';
  return `${cell}line ${x.range.start.line}`;
}

/** The message up to its first sentence's end (outside backticks), for a shorter echo of it. */
function firstSentence(message: string): string {
  let inCode = false;
  for (let i = 0; i < message.length; i++) {
    if (message[i] === '`') inCode = !inCode;
    else if (!inCode && message[i] === '.' && (i + 1 === message.length || message[i + 1] === ' ')) return message.slice(0, i + 1);
  }
  return message;
}
