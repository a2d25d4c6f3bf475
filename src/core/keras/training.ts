/**
 * How the source trains a model: the optimizer, learning rate, loss and metrics of its `compile(...)`, and the
 * epochs and batch size of its `fit(...)`, read from the calls' arguments without running Python. The preview
 * trains with them; what the source does not say is Keras' default where the source calls the method (a
 * `compile()` without an optimizer is RMSprop, a `fit()` without a batch size is 32), else LayerLens' own default
 * (Adam at 1e-3, one epoch of batches of 64), and says so. An argument that cannot be read is named in `notes` and
 * the default stands in for it, never a guess.
 *
 * The calls are found on the name the model is bound to (`model = keras.Sequential(...)`, then `model.compile(`),
 * in the same function body or at module level after it, up to the next assignment to that name; for a model a
 * function builds, also on the name the function's result is bound to (`net = build_model()`, then `net.fit(`).
 */
import type { SyntaxNode } from '@lezer/common';
import { chunkInfo } from './chunkInfo';
import { chunkSource, chunkToSource, type Chunk } from '../python/chunks';
import { parseNumber, parseString } from '../python/literals';
import { joinCells, SourceText } from '../python/sourceText';
import type { CellSource, ModelResult, Position, Range } from '../types';

export interface TrainingSetup {
  /** Keras' name of the optimizer, lower case (`adam`, `rmsprop`, `sgd`…). */
  optimizer: string;
  learningRate: number;
  /** SGD's momentum (0 unless the source sets it). */
  momentum: number;
  /** Keras' name of the loss (`sparse_categorical_crossentropy`), null when the source names none: the trainer picks one from the head. */
  loss: string | null;
  /** The loss takes logits (`from_logits=True`), not probabilities. */
  fromLogits: boolean;
  metrics: string[];
  epochs: number;
  batchSize: number;
  /** Which of the settings above are defaults rather than read from the source (`optimizer`, `learningRate`, `epochs`…). */
  defaults: string[];
  /** Where the calls are, when there are some. */
  compile: Range | null;
  fit: Range | null;
  /** Arguments that could not be read, each with the default used instead. */
  notes: string[];
}

/** Keras 3's default learning rate per optimizer (keras.optimizers.*). */
const DEFAULT_RATES: Record<string, number> = {
  sgd: 0.01,
  rmsprop: 0.001,
  adam: 0.001,
  adamw: 0.001,
  adamax: 0.001,
  adagrad: 0.001,
  adadelta: 0.001,
  nadam: 0.001,
  ftrl: 0.001,
  lion: 0.001,
  lamb: 0.001,
};
/** Keras' class names of optimizers, by their lower-case identifiers (`RMSprop` → `rmsprop`). */
const OPTIMIZER_CLASSES = new Map(
  ['SGD', 'RMSprop', 'Adam', 'AdamW', 'Adamax', 'Adagrad', 'Adadelta', 'Nadam', 'Ftrl', 'Lion', 'Lamb'].map((c) => [c, c.toLowerCase()]),
);
/** Spellings Keras accepts for the same loss or metric. */
const ALIASES: Record<string, string> = {
  mse: 'mean_squared_error',
  mae: 'mean_absolute_error',
  acc: 'accuracy',
};

/** When the source says nothing: LayerLens' defaults (no compile or fit call), or Keras' (a call that leaves the argument out). */
const NO_COMPILE = { optimizer: 'adam' };
const KERAS_COMPILE = { optimizer: 'rmsprop' };
const NO_FIT = { epochs: 1, batchSize: 64 };
const KERAS_FIT = { epochs: 1, batchSize: 32 };

/** Keras' positional order of the arguments read here. */
const COMPILE_PARAMS = ['optimizer', 'loss', 'loss_weights', 'metrics'];
const FIT_PARAMS = ['x', 'y', 'batch_size', 'epochs'];

/** A readable value of an argument: a number, a string, a list of them, or a call of a class with its arguments. */
type Read =
  | { kind: 'number'; value: number }
  | { kind: 'string'; value: string }
  | { kind: 'bool'; value: boolean }
  | { kind: 'none' }
  | { kind: 'list'; items: Read[] }
  | { kind: 'call'; callee: string; args: Args }
  | { kind: 'unknown'; text: string };

interface Args {
  positional: Read[];
  keywords: Map<string, Read>;
}

/** The source as the analysis reads it, with its top-level statements. */
interface Program {
  source: SourceText;
  chunks: Chunk[];
}

/** How `model` is trained in `input` (a file's text or a notebook's code cells), as far as the source says. */
export function readTraining(input: string | CellSource[], model: ModelResult): TrainingSetup {
  const source = typeof input === 'string' ? new SourceText(input) : joinCells(input);
  const program: Program = {
    source,
    chunks: chunkSource(
      source.text,
      source.segments.map((s) => [s.start, s.end]),
    ).chunks,
  };
  try {
    return readCalls(program, model);
  } catch (e) {
    // Like the analysis, this never throws: the defaults stand, and the note says why.
    const fallback = setup(program, null, null);
    fallback.notes.push(`LayerLens could not read this model's compile/fit (${(e as Error).message}): the defaults are used.`);
    return fallback;
  }
}

function readCalls(program: Program, model: ModelResult): TrainingSetup {
  const calls: { compile: Call | null; fit: Call | null } = { compile: null, fit: null };
  const bindings = [bindingAt(program, model.range.start, model.range.cell)];
  if (model.builtBy?.call) bindings.push(bindingAt(program, model.builtBy.call.start, model.builtBy.call.cell));
  for (const b of bindings) {
    if (!b) continue;
    for (const call of methodCalls(program, b)) {
      if (call.method === 'compile' && !calls.compile) calls.compile = call;
      if (call.method === 'fit' && !calls.fit) calls.fit = call;
    }
  }
  return setup(program, calls.compile, calls.fit);
}

/** A call `name.compile(...)` or `name.fit(...)`: its arguments, and where it is (offsets in the source). */
interface Call {
  method: 'compile' | 'fit';
  node: SyntaxNode;
  chunk: Chunk;
}

/** A name bound to the model, and where: the statement's chunk, the assignment's node, and the body it is in (null at module level). */
interface Binding {
  name: string;
  chunk: number;
  assignment: SyntaxNode;
  body: SyntaxNode | null;
}

function offsetOf(source: SourceText, at: Position, cell: number | undefined): number {
  const segment = cell === undefined ? source.segments[0] : source.segments.find((s) => s.cell === cell);
  if (!segment) return -1;
  const line = source.lineIndex(segment.start) + at.line - 1;
  return source.lineStart(line) + at.column - 1;
}

/** The chunk's own offset of a source offset (past any closers the chunker inserted before it). */
function toLocal(chunk: Chunk, offset: number): number {
  let local = offset - chunk.start;
  for (const ins of chunk.insertions) if (ins.at <= offset) local += ins.length;
  return local;
}

/** The plain name that the expression at `at` is assigned to (`model = keras.Sequential(...)`), if it is one. */
function bindingAt(program: Program, at: Position, cell: number | undefined): Binding | null {
  const offset = offsetOf(program.source, at, cell);
  const chunkIndex = program.chunks.findIndex((c) => c.start <= offset && offset < c.end);
  if (chunkIndex < 0) return null;
  const chunk = program.chunks[chunkIndex];
  for (let n: SyntaxNode | null = chunkInfo(chunk.text).tree.resolveInner(toLocal(chunk, offset), 1); n; n = n.parent) {
    if (n.name === 'FunctionDefinition' || n.name === 'ClassDefinition' || n.name === 'Script') return null;
    if (n.name !== 'AssignStatement') continue;
    const target = n.firstChild;
    if (target?.name !== 'VariableName' || target.nextSibling?.name !== 'AssignOp') return null;
    let body: SyntaxNode | null = null;
    for (let p = n.parent; p && !body; p = p.parent) if (p.name === 'Body' && p.parent?.name === 'FunctionDefinition') body = p;
    return { name: chunk.text.slice(target.from, target.to), chunk: chunkIndex, assignment: n, body };
  }
  return null;
}

/**
 * The `compile` and `fit` calls on the bound name after the binding, in order: in its function's body, or at module
 * level in the statements that follow (not inside other functions), up to the next assignment to the name.
 */
function methodCalls(program: Program, b: Binding): Call[] {
  const found: Call[] = [];
  const scan = (root: SyntaxNode, chunk: Chunk, after: number): boolean => {
    let rebound = false;
    const cursor = root.cursor();
    const visit = (): void => {
      do {
        const n = cursor.node;
        if (n.to <= after) continue;
        if (n.from >= after && n.name === 'AssignStatement' && assigns(n, chunk.text, b.name)) {
          rebound = true;
          return;
        }
        if (n.from >= after && n.name === 'CallExpression') {
          const method = calledMethod(n, chunk.text, b.name);
          if (method) found.push({ method, node: n, chunk });
        }
        // Another function's body has its own names (at module level: the model's name there is another variable).
        if ((n.name === 'FunctionDefinition' || n.name === 'ClassDefinition') && n !== root && !(n.from <= b.assignment.from && b.assignment.to <= n.to))
          continue;
        if (cursor.firstChild()) {
          visit();
          cursor.parent();
          if (rebound) return;
        }
      } while (cursor.nextSibling());
    };
    if (cursor.firstChild()) visit();
    return rebound;
  };
  const first = program.chunks[b.chunk];
  if (b.body) {
    scan(b.body, first, b.assignment.to);
    return found;
  }
  if (scan(chunkInfo(first.text).tree.topNode, first, b.assignment.to)) return found;
  for (let i = b.chunk + 1; i < program.chunks.length; i++) {
    const chunk = program.chunks[i];
    if (!chunk.text.includes(b.name)) continue;
    if (scan(chunkInfo(chunk.text).tree.topNode, chunk, 0)) break;
  }
  return found;
}

function assigns(n: SyntaxNode, text: string, name: string): boolean {
  const target = n.firstChild;
  return target?.name === 'VariableName' && target.nextSibling?.name === 'AssignOp' && text.slice(target.from, target.to) === name;
}

function calledMethod(n: SyntaxNode, text: string, name: string): Call['method'] | null {
  const callee = n.firstChild;
  if (callee?.name !== 'MemberExpression') return null;
  const object = callee.firstChild;
  const property = callee.lastChild;
  if (object?.name !== 'VariableName' || property?.name !== 'PropertyName' || text.slice(object.from, object.to) !== name) return null;
  const method = text.slice(property.from, property.to);
  return method === 'compile' || method === 'fit' ? method : null;
}

/** Reads an expression: literals, lists, calls, and names bound to literals before `at` (in the body, then at module level). */
function readExpr(n: SyntaxNode, text: string, resolve: (name: string) => Read | null): Read {
  const raw = text.slice(n.from, n.to);
  switch (n.name) {
    case 'Number': {
      const v = parseNumber(raw);
      return v ? { kind: 'number', value: v.value } : { kind: 'unknown', text: raw };
    }
    case 'String': {
      const v = parseString(raw);
      return v === null ? { kind: 'unknown', text: raw } : { kind: 'string', value: v };
    }
    case 'Boolean':
      return { kind: 'bool', value: raw === 'True' };
    case 'None':
      return { kind: 'none' };
    case 'UnaryExpression': {
      const operand = n.lastChild ? readExpr(n.lastChild, text, resolve) : null;
      if (operand?.kind === 'number' && (raw.startsWith('-') || raw.startsWith('+')))
        return { kind: 'number', value: raw.startsWith('-') ? -operand.value : operand.value };
      return { kind: 'unknown', text: raw };
    }
    case 'ArrayExpression':
    case 'TupleExpression': {
      const items: Read[] = [];
      for (let c = n.firstChild; c; c = c.nextSibling) if (!['[', ']', '(', ')', ','].includes(c.name)) items.push(readExpr(c, text, resolve));
      return { kind: 'list', items };
    }
    case 'VariableName':
      return resolve(raw) ?? { kind: 'unknown', text: raw };
    case 'CallExpression': {
      const callee = n.firstChild;
      const name = callee?.name === 'MemberExpression' ? callee.lastChild : callee;
      if (!name || !['PropertyName', 'VariableName'].includes(name.name)) return { kind: 'unknown', text: raw };
      return { kind: 'call', callee: text.slice(name.from, name.to), args: readArgs(n.getChild('ArgList'), text, resolve) };
    }
    default:
      return { kind: 'unknown', text: raw };
  }
}

function readArgs(argList: SyntaxNode | null, text: string, resolve: (name: string) => Read | null): Args {
  const args: Args = { positional: [], keywords: new Map() };
  for (let c = argList?.firstChild ?? null; c; c = c.nextSibling) {
    if (['(', ')', ','].includes(c.name) || c.type.isError) continue;
    if (c.name === '*' || c.name === '**') {
      // Spread arguments hide which ones are given: those not written out stay as they are.
      c = c.nextSibling;
      if (!c) break;
      continue;
    }
    if (c.name === 'VariableName' && c.nextSibling?.name === 'AssignOp') {
      const key = text.slice(c.from, c.to);
      const value = c.nextSibling.nextSibling;
      if (value && value.name !== ',' && value.name !== ')') {
        args.keywords.set(key, readExpr(value, text, resolve));
        c = value;
      } else c = c.nextSibling;
      continue;
    }
    args.positional.push(readExpr(c, text, resolve));
  }
  return args;
}

/** An argument by keyword, or by its place among Keras' positional parameters. */
function argument(args: Args, params: string[], name: string): Read | undefined {
  return args.keywords.get(name) ?? args.positional[params.indexOf(name)];
}

/**
 * Finds `name = <literal>` before the call: the last such assignment in the call's function body, else at module
 * level before the call's statement. Anything else bound to the name (a computation, a parameter) is not read.
 */
function resolverFor(program: Program, call: Call): (name: string) => Read | null {
  return (name) => {
    const chunkIndex = program.chunks.indexOf(call.chunk);
    let body: SyntaxNode | null = null;
    for (let p = call.node.parent; p && !body; p = p.parent) if (p.name === 'Body' && p.parent?.name === 'FunctionDefinition') body = p;
    const lastAssignment = (root: SyntaxNode, text: string, before: number): Read | null | undefined => {
      let value: Read | null | undefined;
      for (let c = root.firstChild; c && c.from < before; c = c.nextSibling)
        if (c.name === 'AssignStatement' && assigns(c, text, name)) {
          const v = c.lastChild;
          value = v && ['Number', 'String', 'Boolean', 'UnaryExpression'].includes(v.name) ? readExpr(v, text, () => null) : null;
        }
      return value;
    };
    if (body) {
      const local = lastAssignment(body, call.chunk.text, call.node.from);
      if (local !== undefined) return local;
      // A parameter of the function is whatever each call passes.
      const params = body.parent?.getChild('ParamList');
      for (let c = params?.firstChild ?? null; c; c = c.nextSibling) if (c.name === 'VariableName' && call.chunk.text.slice(c.from, c.to) === name) return null;
    }
    for (let i = chunkIndex - (body ? 0 : 1); i >= 0; i--) {
      const chunk = program.chunks[i];
      if (!chunk.text.includes(name)) continue;
      const found = lastAssignment(chunkInfo(chunk.text).tree.topNode, chunk.text, Infinity);
      if (found !== undefined) return found;
    }
    return null;
  };
}

const KEYWORD = /[a-z]/;

/** `SparseCategoricalCrossentropy` → `sparse_categorical_crossentropy`. */
function snake(className: string): string {
  return className.replace(/(?<=[a-z0-9])([A-Z])/g, '_$1').toLowerCase();
}

function setup(program: Program, compile: Call | null, fit: Call | null): TrainingSetup {
  const defaults: string[] = [];
  const notes: string[] = [];
  const rangeOf = (c: Call) => program.source.range(chunkToSource(c.chunk, c.node.from), chunkToSource(c.chunk, c.node.to));
  const argsOf = (c: Call) => readArgs(c.node.getChild('ArgList'), c.chunk.text, resolverFor(program, c));
  const compileArgs = compile ? argsOf(compile) : null;
  const fitArgs = fit ? argsOf(fit) : null;
  const unreadable = (what: string, r: Read, used: string) =>
    notes.push(`${what}=${r.kind === 'unknown' ? r.text : '(not a constant)'} could not be read: ${used} is used.`);

  // Optimizer and learning rate.
  let optimizer = compile ? KERAS_COMPILE.optimizer : NO_COMPILE.optimizer;
  let learningRate: number | null = null;
  let momentum = 0;
  const opt = compileArgs ? argument(compileArgs, COMPILE_PARAMS, 'optimizer') : undefined;
  if (opt?.kind === 'string' && opt.value.toLowerCase() in DEFAULT_RATES) optimizer = opt.value.toLowerCase();
  else if (opt?.kind === 'call' && OPTIMIZER_CLASSES.has(opt.callee)) {
    optimizer = OPTIMIZER_CLASSES.get(opt.callee) as string;
    const rate = opt.args.keywords.get('learning_rate') ?? opt.args.keywords.get('lr') ?? opt.args.positional[0];
    if (rate?.kind === 'number' && rate.value > 0) learningRate = rate.value;
    else if (rate) unreadable('learning_rate', rate, `${DEFAULT_RATES[optimizer]}, Keras' default for ${optimizer}`);
    const m = opt.args.keywords.get('momentum') ?? (optimizer === 'sgd' ? opt.args.positional[1] : undefined);
    if (m?.kind === 'number') momentum = m.value;
    else if (m) unreadable('momentum', m, '0');
  } else if (opt) {
    unreadable('optimizer', opt, `${optimizer}`);
    defaults.push('optimizer');
  } else defaults.push('optimizer');
  if (learningRate === null) {
    learningRate = DEFAULT_RATES[optimizer];
    defaults.push('learningRate');
  }

  // Loss and metrics.
  let loss: string | null = null;
  let fromLogits = false;
  const lossArg = compileArgs ? argument(compileArgs, COMPILE_PARAMS, 'loss') : undefined;
  if (lossArg?.kind === 'string') loss = ALIASES[lossArg.value] ?? lossArg.value;
  else if (lossArg?.kind === 'call' && KEYWORD.test(lossArg.callee)) {
    loss = ALIASES[snake(lossArg.callee)] ?? snake(lossArg.callee);
    const logits = lossArg.args.keywords.get('from_logits') ?? lossArg.args.positional[0];
    if (logits?.kind === 'bool') fromLogits = logits.value;
    else if (logits) unreadable('from_logits', logits, 'False');
  } else if (lossArg) unreadable('loss', lossArg, "a crossentropy chosen from the model's last layer");
  if (loss === null) defaults.push('loss');
  const metricsArg = compileArgs ? argument(compileArgs, COMPILE_PARAMS, 'metrics') : undefined;
  const metrics: string[] = [];
  if (metricsArg?.kind === 'list')
    for (const m of metricsArg.items) {
      if (m.kind === 'string') metrics.push(ALIASES[m.value] ?? m.value);
      else if (m.kind === 'call') metrics.push(snake(m.callee));
    }
  if (!metricsArg) defaults.push('metrics');

  // Epochs and batch size.
  const fitDefaults = fit ? KERAS_FIT : NO_FIT;
  const count = (name: 'epochs' | 'batch_size', key: 'epochs' | 'batchSize'): number => {
    const r = fitArgs ? argument(fitArgs, FIT_PARAMS, name) : undefined;
    if (r?.kind === 'number' && Number.isInteger(r.value) && r.value > 0) return r.value;
    if (r?.kind === 'number') notes.push(`${name}=${r.value} is not a positive whole number: ${fitDefaults[key]} is used.`);
    else if (r && r.kind !== 'none') unreadable(name, r, `${fitDefaults[key]}`);
    defaults.push(key);
    return fitDefaults[key];
  };
  const epochs = count('epochs', 'epochs');
  const batchSize = count('batch_size', 'batchSize');

  return {
    optimizer,
    learningRate,
    momentum,
    loss,
    fromLogits,
    metrics,
    epochs,
    batchSize,
    defaults,
    compile: compile ? rangeOf(compile) : null,
    fit: fit ? rangeOf(fit) : null,
    notes,
  };
}
