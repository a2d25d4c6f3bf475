/**
 * Reads the parsed chunks of a program the way Python would run them, as far as that can be known without
 * running anything: imports and aliases, constants, and every `Sequential` model with the layers given to
 * it or added later.
 *
 * Control flow the source decides is followed: an `if` whose condition is known takes its branch, a `for`
 * over a known iterable is unrolled with each iteration's values (`break`/`continue` included), a `while`
 * with known conditions too, all within a bound. Each call of a function defined in the file runs its body
 * with that call's arguments, so each call site builds its own model; a function nothing calls is run once
 * with its defaults, so its model is still shown. Values are looked up in the function first, then in the
 * module.
 */
import type { SyntaxNode, Tree } from '@lezer/common';
import type { KerasVersion } from '../types';
import { ruleFor } from '../layers/catalogue';
import { Args } from '../layers/rule';
import { readLegacyArguments } from '../layers/legacy';
import { OPERATIONS, OPS_FUNCTIONS } from '../layers/merge';
import { CalledNames } from '../python/calls';
import { chunkToSource, type Chunk } from '../python/chunks';
import { parseNumber, parseString } from '../python/literals';
import { arith, builtin, callMethod, compare, equal, iterate, MAX_SEQUENCE, unknownLengthWhy } from '../python/operators';
import type { SourceText } from '../python/sourceText';
import {
  cannotResolve,
  NONE,
  truthOf,
  unknown,
  type AddedLayer,
  type CustomTrace,
  type FunctionalBuilder,
  type FunctionDefinition,
  type GraphNode,
  type LayerCall,
  type ModelBuilder,
  type Value,
} from '../python/values';
import { kerasOrder, runFunctional, type FunctionalGraph, type TensorBinding } from './graph';
import { BUILTINS, canonicalPath, classifySymbol, conventionalBinding, TENSOR_MAKER } from './symbols';
import { ApplicationError, buildApplication } from './applications';
import { tensorFunction } from './tensorFunctions';
import { callOp, ELLIPSIS, getItemOp, preprocessInput, sliceItem, tensorOpFor, type OpHost } from './tensorOps';
import { MATMUL } from '../layers/ops';
import { libraryCall } from '../python/library';
import { toSnakeCase } from '../layers/rule';
import { lookupVocabularySize } from '../layers/preprocessing';
import { attributesSetByMethods, classAttribute, defines, isGraphInit, isSuperInit, superInitCalls, type Instance, type LocalClass } from './objects';

/** What the interpreter needs from the program: its text, chunks, their trees, and an index of top-level names. */
export interface Program {
  source: SourceText;
  chunks: Chunk[];
  /** Chunks that are walked statement by statement; the others are only read when a name defined there is needed. */
  walked: boolean[];
  tree(chunkIndex: number): Tree;
  /** Top-level chunks that bind a name (assignment, def, class), in source order. */
  definitions: Map<string, number[]>;
  /** The names each chunk binds at top level (the inverse of `definitions`). */
  chunkNames: string[][];
  /** The reference analysis (every chunk walked): nothing is cached across analyses, keras.applications' builds included. */
  reference?: boolean;
  /** The Keras version the numbers are for (keras/versions.ts); Keras 3 where not given. */
  kerasVersion?: KerasVersion;
}

interface Binding {
  value: Value;
  at: number;
}

/**
 * What a run of part of a program read and bound at module level (see `Usage` in analyze's groups): module names
 * looked up (found or not), names bound, and lazily found values another part could share and change.
 */
export interface Usage {
  reads: Set<string>;
  binds: Set<string>;
}

/** The module's variables, noting reads and (changed) bindings while `usage` is set. */
class TrackedVars extends Map<string, Binding> {
  usage: Usage | null = null;
  /** Bindings are noted (a scratch copy of the module, for a lazy definition, only notes reads). */
  notesBinds = true;
  override get(name: string): Binding | undefined {
    this.usage?.reads.add(name);
    return super.get(name);
  }
  override has(name: string): boolean {
    this.usage?.reads.add(name);
    return super.has(name);
  }
  override set(name: string, binding: Binding): this {
    if (this.usage && this.notesBinds && super.get(name) !== binding) this.usage.binds.add(name);
    return super.set(name, binding);
  }
  /** A read that is no part of the program's meaning (the run loop's own bookkeeping). */
  peek(name: string): Binding | undefined {
    return super.get(name);
  }
}

class Scope {
  readonly vars: Map<string, Binding>;
  /** `from m import *` modules, with where each was imported. */
  readonly stars: { path: string; at: number }[] = [];
  /** In a function's scope: what a `return` under a condition LayerLens cannot decide gave, used if no other return comes. */
  uncertainReturn: Value | null = null;
  constructor(
    readonly parent: Scope | null,
    readonly functionName?: string,
    tracked = false,
  ) {
    this.vars = tracked ? new TrackedVars() : new Map();
  }
}

/** Per chunk: the chunk and its text, so node offsets can be turned into source offsets. */
interface Cursor {
  chunk: Chunk;
  text: string;
}

const EXPRESSION_STATEMENTS = new Set(['ExpressionStatement', 'ReturnStatement']);
/** A list's methods that change it in place. */
const LIST_MUTATORS = new Set(['append', 'extend', 'insert', 'pop', 'remove', 'clear', 'sort', 'reverse']);

/** How a statement ended: normally (null), or by `break`, `continue` or `return` (with its value). */
type Signal = null | 'break' | 'continue' | { returned: Value };

/** Bounds that keep a pathological program from stalling the editor. */
const MAX_LOOP_ITERATIONS = 1_000;
const MAX_STATEMENTS = 50_000;
const MAX_CALL_DEPTH = 24;
/** Models a file may make: a loop or recursion making one per iteration stops here (a file of a few hundred model functions is ordinary). */
const MAX_MODELS = 2_000;
/** Layer calls on tensors (Functional graph nodes) a file may make. */
const MAX_GRAPH_NODES = 10_000;
/** Models one loop may make (one per iteration of a sweep): past this the loop is left uncertain. */
const MAX_MODELS_PER_LOOP = 50;

/** Whether counts summed over the separate runs of a program's groups stay under every file-wide bound. */
export function underFileBounds(statements: number, models: number, graphNodes: number): boolean {
  return statements < MAX_STATEMENTS && models < MAX_MODELS && graphNodes < MAX_GRAPH_NODES;
}

/** Methods a layer subclass may override that change what LayerLens computes from the parent's rules. */
const SHAPE_CHANGING_METHODS = new Set(['__init__', 'build', 'compute_output_shape']);

/** Notes that belong to no model (a loop left unrolled because of the bounds). */
export interface FileNote {
  code: string;
  severity: 'error' | 'warning' | 'information';
  message: string;
  from: number;
  to: number;
}

/** The part of a program one run walks: its own walked statements, and the import-only ones. */
export interface Group {
  members(chunkIndex: number): boolean;
  ambient(chunkIndex: number): boolean;
  /** Its own and the import-only statements' indices, ascending. */
  order: number[];
  /**
   * The first statement in [from, to) that is not walked and defines one of `models` or has `name(` in its text for
   * one of them, or -1. (It may answer one that does neither; `runChunk` decides.)
   */
  candidates(from: number, to: number, models: CalledNames): number;
}

/** Statements that may bind a name on some paths and not on others. */
const CONDITIONAL_BINDERS = new Set(['IfStatement', 'ForStatement', 'WhileStatement', 'TryStatement', 'WithStatement']);

function mayNotBind(top: SyntaxNode): boolean {
  for (let n = top.firstChild; n; n = n.nextSibling) if (CONDITIONAL_BINDERS.has(n.name)) return true;
  return false;
}

/** A value no statement can change: numbers, strings, names of library symbols, tuples of them. */
function immutable(v: Value): boolean {
  switch (v.kind) {
    case 'number':
    case 'string':
    case 'bool':
    case 'none':
    case 'symbol':
    case 'unknown':
      return true;
    case 'seq':
      return v.tuple && v.items.every(immutable);
    default:
      return false;
  }
}

export class Interpreter {
  readonly models: ModelBuilder[] = [];
  readonly notes: FileNote[] = [];
  private readonly module = new Scope(null, undefined, true);
  /**
   * Set for a run of one group of a program's statements (see analyze's groups): what it read and bound at module
   * level, so that the caller can check that no other group could see or change it.
   */
  readonly usage: Usage | null;
  /** A statement of the group (not an import-only one) added a `from x import *`: every group could see it. */
  starFromGroup = false;
  /** Functions defined while walking, in order: those nothing called are run with their defaults at the end. */
  private readonly functions: Extract<Value, { kind: 'local' }>[] = [];
  private statements = 0;
  private callDepth = 0;
  private lazyDepth = 0;
  /**
   * Start of the top-level statement running (walked, or read lazily): what it reads lazily must come before it, and
   * a function it calls sees the module's names as they are then, as in Python, not as they are where the function
   * is written (a helper defined after it).
   */
  private now = Infinity;
  /** The function being run with its defaults because nothing calls it. */
  private runningDefaults: string | null = null;
  /** Set when an `hp.Int(...)`-like call gave Keras Tuner's first value (see hyperParameter). */
  private tunerDefaults = false;
  private cur!: Cursor;
  /** The control flow LayerLens cannot decide around the current statement: its keyword, and why it is undecided. */
  private conditional: { keyword: string; why?: string }[] = [];
  /** The calls of the file's functions being run, innermost last (a layer notes the innermost: `LayerCall.via`). */
  private callSites: { function: string; from: number; to: number }[] = [];
  /** Per such control flow, innermost last: the lists changed in it, with how many items were certain before. */
  private uncertainMutations: Map<Extract<Value, { kind: 'seq' }>, number>[] = [];
  /** Name of the assignment target whose value is being evaluated: names a new model. */
  private pendingName: string | null = null;
  private statementFrom = 0;
  private readonly lazyCache = new Map<string, Binding | null>();
  /** Lists read lazily (by `chunk:name`): the statement from which their later changes are still to replay, and the scope those run in. */
  private readonly replays = new Map<string, { name: string; next: number; scope: Scope }>();
  private readonly lazyInProgress = new Set<string>();

  /**
   * `library`: the program is an architecture of keras.applications (src/core/applications), run for a user's
   * call: its `raise ValueError(...)` are Keras' errors for the call's arguments.
   */
  constructor(
    private readonly program: Program,
    private readonly library = false,
    private readonly group: Group | null = null,
  ) {
    this.usage = group ? { reads: new Set(), binds: new Set() } : null;
  }

  /** Statements run so far (with modelCount and graphNodes: the file-wide bounds a group's run counts towards). */
  get statementCount(): number {
    return this.statements;
  }

  get graphNodes(): number {
    return this.nodeCount;
  }

  private get moduleVars(): TrackedVars {
    return this.module.vars as TrackedVars;
  }

  /** The nodes this interpreter made (kept for a library run, whose nodes are placed at the user's call). */
  readonly createdNodes = new Set<GraphNode>();

  /** The class whose body a scope is (its methods' closure): for `super()` in them, and `self` of a method run alone. */
  private readonly classScopes = new WeakMap<Scope, LocalClass>();
  /** Instances of the file's classes, by their layer call (`cfg = Cfg()`) and by the value that is `self` in their methods. */
  private readonly instances = new WeakMap<object, Instance>();
  /** Instances whose `__init__` runs, innermost last: what `super().__init__(inputs, outputs)` builds is theirs. */
  private readonly constructing: Instance[] = [];
  /** Classes whose bases are all known and define neither `__bool__` nor `__len__`: their instances are true. */
  private readonly plainClasses = new WeakSet<LocalClass>();
  /** Attributes that methods other than `__init__` set on `self`, per class (with its bases'): unknown when read. */
  private readonly methodSet = new WeakMap<LocalClass, Set<string>>();
  /** Attributes the `__init__` of a class (or of its bases) sets on `self`. */
  private readonly initSet = new WeakMap<LocalClass, Set<string>>();
  /** Each layer's calls on tensors, in order: `layer.output`, `base.get_layer(name).output`. */
  private readonly layerNodes = new WeakMap<LayerCall, GraphNode[]>();
  /** A Sequential model as a graph (`base.input`, `base.output`), made once for its layers so far. */
  private readonly sequentialGraphs = new WeakMap<ModelBuilder, { count: number; input: GraphNode; output: GraphNode }>();

  /** Calls a function of the module after `run()`: how an architecture of keras.applications is built. */
  callModuleFunction(name: string, positional: Value[], keywords: Map<string, Value>): Value {
    const fn = this.module.vars.get(name)?.value;
    if (fn?.kind !== 'local' || !fn.definition) return unknown(name, 0, 0, `\`${name}\` is not defined`);
    return this.runFunction(fn, positional, keywords, null);
  }

  run(): void {
    // A script's `if __name__ == '__main__':` block runs, as when the file is run.
    this.bind(this.module, '__name__', { kind: 'string', value: '__main__' }, 0);
    this.moduleVars.usage = this.usage;
    if (!this.group) this.program.chunks.forEach((_chunk, index) => this.runChunk(index));
    else {
      // A group's own and import-only statements, in order; between them, only statements that define or call a
      // name the module holds a model in can run (asked again after each one that does: it may bind another).
      const order = this.group.order;
      for (let k = 0; k <= order.length; k++) {
        const end = k < order.length ? order[k] : this.program.chunks.length;
        for (let pos = k > 0 ? order[k - 1] + 1 : 0; pos < end && this.moduleModels.size > 0;) {
          const next = this.group.candidates(pos, end, this.moduleModels);
          if (next < 0) break;
          this.runChunk(next);
          pos = next + 1;
        }
        if (k < order.length) this.runChunk(end);
      }
    }
    this.now = Infinity;
    if (!this.library) this.runUncalledFunctions();
    // Models in source order; several calls of one function keep the order of the calls.
    this.models.sort((a, b) => a.from - b.from);
  }

  /** Runs one top-level statement if it is walked (by this group), or re-binds or calls a model. */
  private runChunk(index: number): void {
    const chunk = this.program.chunks[index];
    const walked = this.program.walked[index];
    // A group runs its own walked statements and the import-only ones (every group runs those; what they bind is
    // no group's), not another group's.
    const ambient = this.group !== null && walked && this.group.ambient(index);
    if (this.group && walked && !ambient && !this.group.members(index)) return;
    // Only a model bound at module level makes a statement that is not walked run (re-binding or calling it).
    if (!walked && this.moduleModels.size === 0) return;
    // A statement that re-binds a model's variable ends that model, even if it mentions nothing of Keras.
    const rebindsModel = this.program.chunkNames[index].some((n) => this.moduleVars.peek(n)?.value.kind === 'model');
    // `model(np.zeros((1, 28, 28, 1)))` builds a model: a statement calling a model's variable is walked too.
    const callsModel = !walked && this.moduleModels.calledIn(chunk.text);
    if (!walked && !rebindsModel && !callsModel) return;
    if (rebindsModel) this.rebinding.add(index);
    const tree = this.program.tree(index);
    this.cur = { chunk, text: chunk.text };
    this.now = chunk.start;
    const stars = this.module.stars.length;
    this.moduleVars.usage = ambient ? null : this.usage;
    this.execBlock(tree.topNode, this.module);
    this.moduleVars.usage = this.usage;
    if (!ambient && this.module.stars.length !== stars) this.starFromGroup = true;
  }

  /** `raise ValueError(message)` in an architecture's Python: the message, as Keras words it, for the user's call. */
  private raise(node: SyntaxNode, scope: Scope): never {
    const args = node.getChild('CallExpression')?.getChild('ArgList');
    const first = args ? this.elements(args)[0] : undefined;
    const message = first ? this.evalExpr(first, scope) : null;
    throw new ApplicationError(message?.kind === 'string' ? message.value : 'Keras rejects these arguments');
  }

  /**
   * A function nothing in the file calls still shows its model: its body runs once with the defaults. Last defined
   * first: a helper is usually defined before the function that calls it, which then calls it with real arguments,
   * so the helper does not also run alone with parameters it has no value for.
   */
  private runUncalledFunctions(): void {
    /** Models each function built with its defaults, to name where the file passes it on (one scan for all). */
    const byDefaults: { fn: Extract<Value, { kind: 'local' }>; made: ModelBuilder[] }[] = [];
    for (let i = this.functions.length - 1; i >= 0; i--) {
      const fn = this.functions[i];
      if (!fn.definition || fn.definition.calls > 0) continue;
      // The bounds hold here too: a file that already made this much is not run further.
      if (this.modelCount() >= MAX_MODELS || this.statements >= MAX_STATEMENTS) break;
      const before = this.models.length;
      const saved = this.runningDefaults;
      this.runningDefaults = fn.name;
      this.tunerDefaults = false;
      // The `__init__` of a keras.Model subclass nothing instantiates: its model, as an instance made with the defaults.
      const cls = fn.name === '__init__' ? this.classScopes.get(fn.definition.closure as Scope) : undefined;
      if (cls?.modelBase?.functionalInit) {
        const at = chunkToSource(fn.definition.chunk, fn.definition.node.from);
        const self = unknown('self', at, at, `it is an instance of \`${cls.name}\``);
        const record: Instance = { cls, attributes: new Map(), depth: 0, self };
        this.instances.set(self, record);
        this.constructing.push(record);
        try {
          this.runFunction(fn, [self], new Map(), null);
        } finally {
          this.constructing.pop();
        }
        if (record.functional) record.functional.model.builtBy ??= { function: cls.name, call: null, ...(this.tunerDefaults ? { tuner: true as const } : {}) };
      } else this.runFunction(fn, [], new Map(), null);
      this.runningDefaults = saved;
      const made = this.models.slice(before);
      const tuner = this.tunerDefaults ? { tuner: true as const } : {};
      for (const m of made) m.builtBy ??= { function: fn.name, call: null, ...tuner };
      if (made.length) byDefaults.push({ fn, made });
    }
    const passed = this.passedOn(byDefaults.map((d) => d.fn));
    for (const { fn, made } of byDefaults) {
      const at = passed.get(fn);
      if (at) for (const m of made) if (m.builtBy && !m.builtBy.call) m.builtBy.passed = at;
    }
  }

  /**
   * Where the file names a function it never calls (`kt.RandomSearch(build_model, ...)`, `callbacks=[make]`): the
   * code it is passed to calls it with arguments LayerLens cannot see, so the model shown uses its defaults.
   */
  private passedOn(fns: Extract<Value, { kind: 'local' }>[]): Map<Extract<Value, { kind: 'local' }>, { from: number; to: number }> {
    const found = new Map<Extract<Value, { kind: 'local' }>, { from: number; to: number }>();
    // A method (`__init__`, `build`) is reached through `self.` or its class, never passed on by its bare name.
    const wanted = new Map<string, Extract<Value, { kind: 'local' }>>();
    // (A function without parameters builds the same model whoever calls it: no defaults stand in for anything.)
    for (const fn of fns)
      if (fn.definition && (fn.definition.closure as Scope).parent === null && fn.definition.node.getChild('ParamList')?.getChild('VariableName'))
        wanted.set(fn.name, fn);
    if (wanted.size === 0) return found;
    const text = this.program.source.text;
    /** Whether the name at `at` is a mention outside its definition, not called there, not in a comment. */
    const mention = (fn: Extract<Value, { kind: 'local' }>, at: number): boolean => {
      const def = fn.definition as FunctionDefinition;
      const end = at + fn.name.length;
      if (at > 0 && /[\w.]/.test(text[at - 1])) return false;
      if (end < text.length && /\w/.test(text[end])) return false;
      if (at >= chunkToSource(def.chunk, def.node.from) && at < chunkToSource(def.chunk, def.node.to)) return false;
      if (/^[ \t]*\(/.test(text.slice(end, end + 40))) return false;
      return !/^\s*#/.test(text.slice(text.lastIndexOf('\n', at) + 1, at));
    };
    // One pass for all: a regular expression of the wanted names (V8 scans for their first characters natively,
    // several times faster than reading each identifier of the file in JavaScript, and faster than indexOf per name).
    const names = new RegExp(`(?<![\\w.])(?:${[...wanted.keys()].join('|')})(?!\\w)`, 'g');
    for (let m = names.exec(text); m && wanted.size > 0; m = names.exec(text)) {
      const fn = wanted.get(m[0]);
      if (fn && mention(fn, m.index)) {
        found.set(fn, { from: m.index, to: m.index + m[0].length });
        wanted.delete(fn.name);
      }
    }
    return found;
  }

  /**
   * `hp.Int('units', min_value=32, max_value=512, step=32)` and friends: the value Keras Tuner gives first, its
   * `default=` or else the first of the range or list (Int and Float: `min_value`; Choice: `values[0]`; Boolean:
   * False; Fixed: `value`). The model is then the search's first, as the tuner's `search_space_summary` builds it.
   */
  private hyperParameter(method: string, node: SyntaxNode, args: ParsedArgs): Value {
    const arg = (name: string, position: number) => args.keywords.get(name)?.value ?? args.positional[position]?.value;
    const given = args.keywords.get('default')?.value;
    const value =
      given && given.kind !== 'none'
        ? given
        : method === 'Int' || method === 'Float'
          ? arg('min_value', 1)
          : method === 'Choice'
            ? (() => {
                const values = arg('values', 1);
                const items = values ? iterate(values) : null;
                return items?.[0];
              })()
            : method === 'Boolean'
              ? ({ kind: 'bool', value: false } as Value)
              : arg('value', 1);
    this.tunerDefaults = true;
    return value ?? this.unknownNode(node, `LayerLens cannot tell the first value Keras Tuner gives \`hp.${method}\` here`);
  }

  // ---- positions -------------------------------------------------------------------------------

  private abs(local: number): number {
    return chunkToSource(this.cur.chunk, local);
  }

  private text(node: SyntaxNode): string {
    return this.cur.text.slice(node.from, node.to);
  }

  private unknownNode(node: SyntaxNode, why?: string): Value {
    return unknown(this.text(node), this.abs(node.from), this.abs(node.to), why);
  }

  // ---- statements ------------------------------------------------------------------------------

  private execBlock(block: SyntaxNode, scope: Scope): Signal {
    for (let n = block.firstChild; n; n = n.nextSibling) {
      const signal = this.execStatement(n, scope);
      if (signal) return signal;
    }
    return null;
  }

  private execStatement(node: SyntaxNode, scope: Scope): Signal {
    this.statementFrom = this.abs(node.from);
    this.statements++;
    switch (node.name) {
      case 'ImportStatement':
        this.execImport(node, scope);
        return null;
      case 'AssignStatement':
        this.execAssign(node, scope);
        return null;
      case 'UpdateStatement':
        this.execUpdate(node, scope);
        return null;
      case 'FunctionDefinition':
        this.execFunction(node, scope);
        return null;
      case 'ClassDefinition':
        this.execClass(node, scope);
        return null;
      case 'DecoratedStatement':
        for (let c = node.firstChild; c; c = c.nextSibling) if (c.name !== 'Decorator') this.execStatement(c, scope);
        return null;
      case 'IfStatement':
        return this.execIf(node, scope);
      case 'ForStatement':
        return this.execFor(node, scope);
      case 'WhileStatement':
        return this.execWhile(node, scope);
      case 'RaiseStatement':
        // Only where the arguments decide it: a raise under a condition LayerLens cannot decide may not happen.
        if (this.library && this.conditional.length === 0) this.raise(node, scope);
        return null;
      case 'BreakStatement':
        return 'break';
      case 'ContinueStatement':
        return 'continue';
      case 'WithStatement':
      case 'TryStatement': {
        let signal: Signal = null;
        for (let c = node.firstChild; c; c = c.nextSibling) if (c.name === 'Body' && !signal) signal = this.execBlock(c, scope);
        return signal;
      }
      case 'Body':
      // `a = f(x); b = g(a)`: statements on one line, separated by semicolons.
      case 'StatementGroup':
        return this.execBlock(node, scope);
      case 'ReturnStatement': {
        const values = this.elements(node).filter((c) => c.name !== 'return' && !c.type.isError);
        if (values.length === 0) return { returned: NONE };
        this.pendingName = scope.functionName ?? null;
        const value =
          values.length === 1 ? this.evalExpr(values[0], scope) : { kind: 'seq' as const, items: values.map((v) => this.evalExpr(v, scope)), tuple: true };
        this.pendingName = null;
        return { returned: value };
      }
      default:
        if (EXPRESSION_STATEMENTS.has(node.name) || node.type.isError) {
          for (let c = node.firstChild; c; c = c.nextSibling) if (!c.type.isError || c.firstChild) this.evalExpr(c, scope);
        }
        return null;
    }
  }

  /**
   * Code whose running cannot be decided (an unknown condition, an unknown iterable): each branch (a list of
   * bodies run in turn) runs once from the same state, and a layer added there is marked conditional. A name the
   * branches leave with different values (or that a branch may skip, unless the branches are `exhaustive`, as an
   * `if` with an `else` is) becomes unknown, naming the condition: never the last branch's value as a guess.
   * A `return` there is kept in case no other return comes.
   */
  private execUncertain(keyword: string, why: string | undefined, branches: SyntaxNode[][], exhaustive: boolean, scope: Scope, before?: () => void): void {
    this.conditional.push({ keyword, why });
    this.uncertainLog.push({ keyword, why });
    const start = new Map(scope.vars);
    const outcomes: Map<string, Binding>[] = [];
    const mutated = new Map<Extract<Value, { kind: 'seq' }>, number>();
    this.uncertainMutations.push(mutated);
    try {
      for (const bodies of branches) {
        this.restoreVars(scope, start);
        before?.();
        for (const body of bodies) {
          const signal = this.execBlock(body, scope);
          if (signal && signal !== 'break' && signal !== 'continue') scope.uncertainReturn ??= signal.returned;
          if (signal) break;
        }
        outcomes.push(new Map(scope.vars));
      }
    } finally {
      this.conditional.pop();
      this.uncertainMutations.pop();
    }
    this.markUncertainLists(mutated, start, scope, keyword, why);
    if (!exhaustive) outcomes.push(start);
    const merged = new Map<string, Binding>();
    const names = new Set(outcomes.flatMap((o) => [...o.keys()]));
    for (const name of names) {
      const bindings = outcomes.map((o) => o.get(name));
      const first = bindings[0];
      const same = first && bindings.every((b) => b && (b.value === first.value || equal(b.value, first.value) === true));
      if (same) merged.set(name, first);
      else {
        const at = bindings.find((b) => b)?.at ?? 0;
        const reason = `it is set under \`${keyword}\`${why ? ` (${why})` : ''}, so its value depends on how the code runs`;
        merged.set(name, { value: unknown(name, at, at + name.length, reason), at });
      }
    }
    this.restoreVars(scope, merged);
  }

  /**
   * Lists that existed before code LayerLens cannot decide and were changed in it (`names.append(d)` in a loop over
   * `os.listdir(...)`): their length is no longer known, only their items from before it. A list made in that code
   * is left alone: each run of it makes its own.
   */
  private markUncertainLists(
    mutated: Map<Extract<Value, { kind: 'seq' }>, number>,
    start: Map<string, Binding>,
    scope: Scope,
    keyword: string,
    why: string | undefined,
  ): void {
    if (mutated.size === 0) return;
    const existing = new Set<Value>();
    const note = (v: Value, depth: number): void => {
      if (existing.has(v)) return;
      existing.add(v);
      if (depth === 0) return;
      if (v.kind === 'seq') for (const item of v.items) note(item, depth - 1);
      else if (v.kind === 'dict') for (const item of v.entries.values()) note(item, depth - 1);
    };
    for (const b of start.values()) note(b.value, 2);
    for (let s = scope.parent; s; s = s.parent) for (const b of s.vars.values()) note(b.value, 2);
    const what = `it is changed under \`${keyword}\`${why ? ` (${why})` : ''}`;
    for (const [list, lengthBefore] of mutated) {
      if (!existing.has(list)) continue;
      const known = Math.min(lengthBefore, list.unknownLength?.known ?? lengthBefore);
      list.unknownLength = { known, end: Math.max(list.items.length, list.unknownLength?.end ?? 0), what, keyword, why };
    }
  }

  /** A list about to change in place: under control flow LayerLens cannot decide, noted with its certain items. */
  private noteListChange(list: Value): void {
    if (list.kind !== 'seq' || list.tuple) return;
    for (const mutated of this.uncertainMutations) if (!mutated.has(list)) mutated.set(list, list.unknownLength?.known ?? list.items.length);
  }

  private restoreVars(scope: Scope, vars: Map<string, Binding>): void {
    const usage = scope === this.module ? this.moduleVars.usage : null;
    if (usage) {
      // Only the names whose binding this changes are bound here (the others are put back as they were).
      const module = this.moduleVars;
      for (const [k, v] of vars) if (module.peek(k) !== v) usage.binds.add(k);
      for (const k of module.keys()) if (!vars.has(k)) usage.binds.add(k);
      module.usage = null;
    }
    scope.vars.clear();
    for (const [k, v] of vars) scope.vars.set(k, v);
    if (usage) this.moduleVars.usage = usage;
    if (scope === this.module) {
      this.moduleModels.clear();
      for (const [k, v] of vars) if (v.value.kind === 'model') this.moduleModels.add(k);
    }
  }

  /** `if`/`elif`/`else`: the branch a known condition picks; from the first unknown condition on, every branch left may run. */
  private execIf(node: SyntaxNode, scope: Scope): Signal {
    const parts: SyntaxNode[] = [];
    for (let c = node.firstChild; c; c = c.nextSibling) if (!c.type.isError) parts.push(c);
    for (let i = 0; i < parts.length; i++) {
      const kw = parts[i].name;
      if (kw === 'else') return parts[i + 1]?.name === 'Body' ? this.execBlock(parts[i + 1], scope) : null;
      if (kw !== 'if' && kw !== 'elif') continue;
      const cond = parts[i + 1];
      const body = parts[i + 2];
      if (!cond || cond.name === 'Body' || body?.name !== 'Body') continue;
      const truth = truthOf(this.evalExpr(cond, scope));
      if (truth === true) return this.execBlock(body, scope);
      if (truth === false) continue;
      const rest = parts.slice(i + 2).filter((p) => p.name === 'Body');
      this.execUncertain(
        this.text(parts[i]),
        this.undecided(cond),
        rest.map((b) => [b]),
        parts.some((p) => p.name === 'else'),
        scope,
      );
      return null;
    }
    return null;
  }

  /** `for targets in iterable:` unrolled over a known iterable, each iteration with its own values. */
  private execFor(node: SyntaxNode, scope: Scope): Signal {
    const targets: SyntaxNode[] = [];
    const iterables: SyntaxNode[] = [];
    const bodies: SyntaxNode[] = [];
    let part: 'targets' | 'iter' | 'rest' = 'targets';
    for (let c = node.firstChild; c; c = c.nextSibling) {
      if (c.name === 'for' || c.name === 'async' || c.name === ',' || c.type.isError) continue;
      if (c.name === 'in' && part === 'targets') part = 'iter';
      else if (c.name === 'Body') {
        part = 'rest';
        bodies.push(c);
      } else if (part === 'targets') targets.push(c);
      else if (part === 'iter') iterables.push(c);
    }
    const [body, elseBody] = bodies;
    if (!body) return null;
    const iterable =
      iterables.length === 1 ? this.evalExpr(iterables[0], scope) : { kind: 'seq' as const, items: iterables.map((n) => this.evalExpr(n, scope)), tuple: true };
    const items = iterate(iterable);
    const keyword = 'for';
    if (!items) {
      // The loop variable takes values LayerLens cannot know; the body runs once, uncertain.
      const why = iterables.length === 1 ? this.describeUnknown(iterables[0], iterable) : undefined;
      this.execUncertain(keyword, why, [bodies], false, scope, () => this.bindTargets(targets, null, scope, 'it is a loop variable'));
      return null;
    }
    const modelsBefore = this.modelCount();
    for (let i = 0; i < items.length; i++) {
      if (this.overBudget(node, i, modelsBefore)) {
        this.execUncertain(keyword, 'the loop runs past the bounds LayerLens follows', [[body]], false, scope, () =>
          this.bindTargets(targets, null, scope, 'it is a loop variable'),
        );
        return null;
      }
      this.bindTargets(targets, items[i], scope, 'it is a loop variable');
      const signal = this.execBlock(body, scope);
      if (signal === 'break') return null;
      if (signal && signal !== 'continue') return signal;
    }
    return elseBody ? this.execBlock(elseBody, scope) : null;
  }

  /** `while cond:` unrolled while its condition is known to hold, within the bounds. */
  private execWhile(node: SyntaxNode, scope: Scope): Signal {
    const cond = node.firstChild?.nextSibling;
    const bodies = node.getChildren('Body');
    const [body, elseBody] = bodies;
    if (!cond || !body || cond.name === 'Body') return null;
    const modelsBefore = this.modelCount();
    for (let i = 0; ; i++) {
      const truth = truthOf(this.evalExpr(cond, scope));
      if (truth === false) return elseBody ? this.execBlock(elseBody, scope) : null;
      if (truth === null || this.overBudget(node, i, modelsBefore)) {
        this.execUncertain('while', truth === null ? this.undecided(cond) : 'the loop runs past the bounds LayerLens follows', [bodies], false, scope);
        return null;
      }
      const signal = this.execBlock(body, scope);
      if (signal === 'break') return null;
      if (signal && signal !== 'continue') return signal;
    }
  }

  /** Why a condition is undecided, for the diagnostic on the layers under it: its text. */
  private undecided(cond: SyntaxNode): string {
    return `\`${this.text(cond).replace(/\s+/g, ' ').slice(0, 60)}\` is not known`;
  }

  /** Why an iterable is not known: its text, and the reason its value gave. */
  private describeUnknown(node: SyntaxNode, value: Value): string {
    const text = this.text(node).replace(/\s+/g, ' ').slice(0, 60);
    return value.kind === 'unknown' && value.why !== 'it cannot be resolved statically' ? `\`${text}\`: ${value.why}` : `\`${text}\` is not known`;
  }

  /** Past the bounds on iterations or statements: says so once per loop, and the loop is left uncertain. */
  private overBudget(node: SyntaxNode, iteration: number, modelsBefore: number): boolean {
    const tooMany = iteration >= MAX_LOOP_ITERATIONS;
    const loopModels = this.modelCount() - modelsBefore >= MAX_MODELS_PER_LOOP;
    const tooManyModels = this.modelCount() >= MAX_MODELS;
    const tooManyNodes = this.nodeCount >= MAX_GRAPH_NODES;
    if (!tooMany && !loopModels && !tooManyModels && !tooManyNodes && this.statements < MAX_STATEMENTS) return false;
    const what = tooMany
      ? `${MAX_LOOP_ITERATIONS.toLocaleString('en-US')} iterations`
      : loopModels
        ? `it made ${MAX_MODELS_PER_LOOP} models`
        : tooManyModels
          ? `${MAX_MODELS.toLocaleString('en-US')} models in this file`
          : tooManyNodes
            ? `${MAX_GRAPH_NODES.toLocaleString('en-US')} layer calls in this file`
            : `${MAX_STATEMENTS.toLocaleString('en-US')} statements in this file`;
    this.limitNote(node, `LayerLens stopped following this loop after ${what}; what the rest of it does is unknown.`);
    return true;
  }

  /** A model LayerLens sees but does not analyse says so at its line, rather than showing nothing. */
  private notAnalysed(node: SyntaxNode, message: string): void {
    const from = this.abs(node.from);
    if (this.notes.some((n) => n.code === 'not-analysed' && n.from === from)) return;
    // A warning, not information: a model with no numbers at all is the least known of all (`--fail-on warning` fails).
    this.notes.push({ code: 'not-analysed', severity: 'warning', message, from, to: this.abs(node.to) });
  }

  /** Says once, at the loop or call, that LayerLens stopped evaluating there (the bounds that keep the editor responsive). */
  private limitNote(node: SyntaxNode, message: string): void {
    const from = this.abs(node.from);
    if (this.notes.some((n) => n.code === 'evaluation-limit' && n.from === from)) return;
    this.notes.push({ code: 'evaluation-limit', severity: 'warning', message, from, to: this.abs(node.firstChild?.to ?? node.to) });
  }

  /** Binds `for` or comprehension targets (`i`, `i, (a, b)`, `[x, y]`) to an item; null binds them unknown. */
  private bindTargets(targets: SyntaxNode[], item: Value | null, scope: Scope, why: string): void {
    if (targets.length === 1) return this.bindPattern(targets[0], item, scope, why);
    const items = item && item.kind === 'seq' && item.items.length === targets.length ? item.items : null;
    targets.forEach((t, i) => this.bindPattern(t, items ? items[i] : null, scope, why));
  }

  private bindPattern(target: SyntaxNode, value: Value | null, scope: Scope, why: string): void {
    if (target.name === 'VariableName') {
      this.bind(scope, this.text(target), value ?? this.unknownNode(target, why), this.abs(target.from));
    } else if (target.name === 'TupleExpression' || target.name === 'ArrayExpression' || target.name === 'ParenthesizedExpression') {
      this.bindTargets(this.elements(target), value, scope, why);
    }
  }

  private execImport(node: SyntaxNode, scope: Scope): void {
    const parts: { name: string; node: SyntaxNode }[] = [];
    let isFrom = false;
    let modulePath = '';
    let afterImport = false;
    let pendingDotted: string[] = [];
    let alias = false;
    const at = this.abs(node.from);
    const flushImport = (asName?: string) => {
      if (pendingDotted.length === 0) return;
      const path = pendingDotted.join('.');
      if (isFrom) this.bind(scope, asName ?? pendingDotted[0], { kind: 'symbol', path: canonicalPath(`${modulePath}.${path}`) }, at);
      else if (asName) this.bind(scope, asName, { kind: 'symbol', path: canonicalPath(path) }, at);
      else this.bind(scope, pendingDotted[0], { kind: 'symbol', path: canonicalPath(pendingDotted[0]) }, at);
      pendingDotted = [];
    };
    for (let c = node.firstChild; c; c = c.nextSibling) {
      const t = this.text(c);
      if (c.name === 'from') isFrom = true;
      else if (c.name === 'import') {
        afterImport = true;
        modulePath = parts.map((p) => p.name).join('.');
      } else if (c.name === 'VariableName') {
        if (!afterImport && isFrom) parts.push({ name: t, node: c });
        else if (alias) {
          flushImport(t);
          alias = false;
        } else {
          if (pendingDotted.length && !(c.prevSibling && c.prevSibling.name === '.')) flushImport();
          pendingDotted.push(t);
        }
      } else if (c.name === 'as') alias = true;
      else if (c.name === ',') flushImport();
      else if (c.name === '*' && isFrom) scope.stars.push({ path: canonicalPath(modulePath), at: this.abs(c.from) });
    }
    flushImport();
  }

  private execAssign(node: SyntaxNode, scope: Scope): void {
    // `a = b = value`, `a, b = value`, `a: T = value`: the value follows the last `=`; the targets come
    // before it. Anything after the value only exists in broken code, where the parser recovered.
    const children: SyntaxNode[] = [];
    for (let c = node.firstChild; c; c = c.nextSibling) children.push(c);
    const lastOp = children.map((c) => c.name).lastIndexOf('AssignOp');
    if (lastOp < 0) return;
    // `a = X, Y` has a bare tuple after the `=`: one value node per item.
    const valueNodes = children.slice(lastOp + 1).filter((c) => c.name !== ',' && !c.type.isError);
    const valueNode = valueNodes[0];
    if (!valueNode) return;
    const firstOp = children.findIndex((c) => c.name === 'AssignOp' || c.name === 'TypeDef');
    const targets = children.slice(0, lastOp).filter((c) => c.name === 'VariableName' || c.name === 'MemberExpression');
    const tupleTarget = children.slice(0, firstOp).some((c) => c.name === ',');
    // `a, b = X, Y` (or `= (X, Y)`, `= [X, Y]`): each item is assigned as if alone, so a model built there takes its target's name.
    const items = valueNodes.length > 1 ? valueNodes : ['TupleExpression', 'ArrayExpression'].includes(valueNode.name) ? this.elements(valueNode) : null;
    const plainTargets = children.slice(0, firstOp).every((c) => c.name === 'VariableName' || c.name === 'MemberExpression' || c.name === ',');
    if (tupleTarget && items && plainTargets && items.length === targets.length) {
      targets.forEach((t, i) => {
        this.pendingName = this.text(t);
        const value = this.evalExpr(items[i], scope);
        this.pendingName = null;
        this.assignTarget(t, value, scope);
      });
      return;
    }
    const first = targets[0];
    this.pendingName = first && !tupleTarget && valueNodes.length === 1 ? this.text(first) : null;
    const value =
      valueNodes.length > 1 ? { kind: 'seq' as const, items: valueNodes.map((n) => this.evalExpr(n, scope)), tuple: true } : this.evalExpr(valueNode, scope);
    this.pendingName = null;
    if (tupleTarget) {
      targets.forEach((t, i) => {
        // `out, h, c = layers.LSTM(8, return_state=True)(x)`: a layer's several outputs, each a tensor of the graph.
        const item = value.kind === 'seq' ? value.items[i] : value.kind === 'symbolic' ? this.unpackedOutput(value, i) : undefined;
        this.assignTarget(t, item ?? this.unknownNode(valueNode), scope);
      });
    } else for (const t of targets) this.assignTarget(t, value, scope);
  }

  private assignTarget(target: SyntaxNode, value: Value, scope: Scope): void {
    if (target.name !== 'VariableName' && target.name !== 'MemberExpression') return;
    // `layer.trainable = False`, `model.layers[0].trainable = False`, `conv_base.trainable = False`: freezing after construction.
    if (target.name === 'MemberExpression' && target.lastChild?.name === 'PropertyName' && this.text(target.lastChild) === 'trainable' && target.firstChild) {
      const owner = this.evalExpr(target.firstChild, scope);
      // Under control flow LayerLens cannot decide, the assignment may not run: the layer's state is unknown.
      const undecided = this.conditional[this.conditional.length - 1];
      const state = undecided
        ? this.unknownNode(target, `it is set under \`${undecided.keyword}\`${undecided.why ? ` (${undecided.why})` : ''}, so whether it runs is not known`)
        : value;
      if (owner.kind === 'layer') owner.layer.args.set('trainable', state);
      else if (owner.kind === 'model' || owner.kind === 'functional') this.setTrainable(owner.model, state, new Set());
      if (owner.kind === 'layer' || owner.kind === 'model' || owner.kind === 'functional') return;
    }
    if (target.name === 'MemberExpression') this.setAttribute(target, value, scope);
    const name = this.text(target);
    const previous = this.lookupLocal(name, scope);
    if (previous && previous.kind === 'model' && !(value.kind === 'model' && value.model === previous.model)) {
      previous.model.notes.push({
        code: 'model-reassigned',
        severity: 'information',
        message: `\`${name}\` is re-assigned here; layers added to \`${name}\` after this line are not part of this model.`,
        from: this.abs(target.from),
        to: this.abs(target.to),
      });
    }
    this.noteTensor(name, target, value);
    this.bind(scope, name, value, this.abs(target.from));
  }

  /**
   * `model.trainable = False`: as Keras' setter, every layer of the model too, so that a model built on its tensors
   * (`keras.Model(inputs, head(base.output))`) counts the base's layers as frozen, and a later `layer.trainable = True`
   * (fine-tuning) unfreezes that one.
   */
  private setTrainable(model: ModelBuilder | FunctionalBuilder, value: Value, seen: Set<object>): void {
    if (seen.has(model)) return;
    seen.add(model);
    model.trainable = value;
    const each = (layer: GraphNode['layer']) => {
      if ('type' in layer) {
        if (layer.type !== 'InputLayer' && !layer.operation) layer.args.set('trainable', value);
      } else this.setTrainable(layer, value, seen);
    };
    if ('layers' in model) {
      for (const entry of model.layers)
        if (entry.value.kind === 'layer') each(entry.value.layer);
        else if (entry.value.kind === 'model' || entry.value.kind === 'functional') each(entry.value.model);
      return;
    }
    const visited = new Set<GraphNode>();
    const stack = [...model.outputs];
    for (let n = stack.pop(); n; n = stack.pop()) {
      if (visited.has(n) || model.inputs.includes(n)) continue;
      visited.add(n);
      each(n.layer);
      stack.push(...n.inputs);
    }
  }

  private execUpdate(node: SyntaxNode, scope: Scope): void {
    const target = node.firstChild;
    const op = node.getChild('UpdateOp');
    const valueNode = node.lastChild;
    if (!target || !op || !valueNode || target.name !== 'VariableName') return;
    const name = this.text(target);
    const left = this.lookup(name, scope, this.abs(target.from), target);
    const right = this.evalExpr(valueNode, scope);
    // A list's `+=` extends that list in place, as Python's does: every name for it sees the items, a list read
    // lazily (whose later changes are replayed on it) included. Under a condition LayerLens cannot decide, the list's
    // length is unknown after it (its items from before stay known), as for `.extend`.
    if (this.text(op) === '+=' && left.kind === 'seq' && !left.tuple && iterate(right) !== null) {
      this.noteListChange(left);
      callMethod(left, 'extend', [right]);
      this.bind(scope, name, left, this.abs(target.from));
      return;
    }
    this.bind(scope, name, this.arith(this.text(op).slice(0, -1), left, right, node), this.abs(target.from));
  }

  /** A `def` binds its function; the body runs when it is called (or, if nothing calls it, once with its defaults). */
  private execFunction(node: SyntaxNode, scope: Scope): void {
    const nameNode = node.getChild('VariableName');
    const name = nameNode ? this.text(nameNode) : '<function>';
    const defaults = new Map<string, Value>();
    for (const p of this.parameters(node)) if (p.defaultNode) defaults.set(p.name, this.evalExpr(p.defaultNode, scope));
    const fn: Extract<Value, { kind: 'local' }> = {
      kind: 'local',
      what: 'function',
      name,
      definition: { node, chunk: this.cur.chunk, closure: scope, defaults, calls: 0, walked: this.lazyDepth === 0 },
    };
    this.bind(scope, name, fn, this.abs(node.from));
    if (fn.definition?.walked && node.getChild('Body')) this.functions.push(fn);
  }

  /** A function's or lambda's parameters, in order: `*args` and `**kwargs` marked, `/` and a bare `*` skipped. */
  private parameters(node: SyntaxNode): { name: string; node: SyntaxNode; defaultNode: SyntaxNode | null; star: '' | '*' | '**'; keywordOnly: boolean }[] {
    const out: ReturnType<Interpreter['parameters']> = [];
    const params = node.getChild('ParamList');
    let star: '' | '*' | '**' = '';
    let keywordOnly = false;
    for (let c = params?.firstChild ?? null; c; c = c.nextSibling) {
      if (c.name === '*' || c.name === '**') {
        star = c.name;
        if (c.name === '*') keywordOnly = true;
        continue;
      }
      if (c.name !== 'VariableName') continue;
      let next = c.nextSibling;
      if (next?.name === 'TypeDef') next = next.nextSibling;
      const defaultNode = next?.name === 'AssignOp' ? next.nextSibling : null;
      out.push({
        name: this.text(c),
        node: c,
        defaultNode: defaultNode && !defaultNode.type.isError ? defaultNode : null,
        star,
        keywordOnly: keywordOnly && star === '',
      });
      star = '';
      if (defaultNode) c = defaultNode; // the default is an expression, not another parameter
    }
    return out;
  }

  /** A lambda's scope with its parameters at their defaults (a lambda's body is evaluated once, as written). */
  private parameterScope(node: SyntaxNode, scope: Scope, name: string): Scope {
    const fnScope = new Scope(scope, name);
    for (const p of this.parameters(node)) {
      const value = p.defaultNode ? this.evalExpr(p.defaultNode, scope) : this.unknownNode(p.node, `it is a parameter of \`${name}\` without a default`);
      this.bind(fnScope, p.name, value, this.abs(p.node.from));
    }
    return fnScope;
  }

  /**
   * Runs a function's body with the call's arguments bound to its parameters (Python's rules: positional, then
   * keywords, `*args`, `**kwargs`, defaults for the rest) and gives what it returns.
   */
  private runFunction(fn: Extract<Value, { kind: 'local' }>, positional: Value[], keywords: Map<string, Value>, unknownArgs: SyntaxNode | null): Value {
    const def = fn.definition as FunctionDefinition;
    const body = def.node.getChild('Body');
    if (!body) return NONE;
    const savedCursor = this.cur;
    this.cur = { chunk: def.chunk, text: def.chunk.text };
    const fnScope = new Scope(def.closure as Scope, fn.name);
    const rest = [...positional];
    const unusedKeywords = new Map(keywords);
    const params = this.parameters(def.node);
    for (const p of params) {
      let value: Value | undefined;
      if (p.star === '*') value = { kind: 'seq', items: rest.splice(0), tuple: true };
      else if (p.star === '**') value = { kind: 'dict', entries: new Map([...unusedKeywords].map(([k, v]) => [k, v])) };
      else {
        value = !p.keywordOnly && rest.length ? rest.shift() : unusedKeywords.get(p.name);
        unusedKeywords.delete(p.name);
      }
      // A Keras Tuner model-building function (`def build_model(hp)`) run as the tuner runs it first: `hp` holds
      // the search space's defaults.
      if (value === undefined && p.name === 'hp' && !def.defaults.has('hp') && this.runningDefaults) value = { kind: 'symbol', path: HYPERPARAMETERS };
      if (value === undefined && unknownArgs)
        value = unknown(this.text(p.node), this.abs(p.node.from), this.abs(p.node.to), 'it may be set by *args or **kwargs');
      // `self` of a method nothing in the file calls (run with its defaults): an instance of its class, whose
      // constants (`self.UNITS`) are known. (Not for a decorated one: `@staticmethod` takes no `self`.)
      if (value === undefined && p === params[0] && this.runningDefaults && !def.defaults.has(p.name) && def.node.parent?.name !== 'DecoratedStatement') {
        const cls = this.classScopes.get(def.closure as Scope);
        if (cls) {
          const self = unknown(
            this.text(p.node),
            this.abs(p.node.from),
            this.abs(p.node.to),
            `it is an instance of \`${cls.name}\` (nothing in this file calls \`${fn.name}\`)`,
          );
          this.instances.set(self, { cls, attributes: new Map(), depth: this.conditional.length, self });
          value = self;
        }
      }
      value ??=
        def.defaults.get(p.name) ??
        this.unknownNode(
          p.node,
          this.runningDefaults
            ? `it is a parameter of \`${fn.name}\` without a default, and nothing in this file calls \`${fn.name}\``
            : 'no argument is given for it',
        );
      this.bind(fnScope, p.name, value, this.abs(p.node.from));
    }
    const saved = { pending: this.pendingName, from: this.statementFrom };
    this.pendingName = null;
    this.callDepth++;
    let signal: Signal;
    try {
      signal = this.execBlock(body, fnScope);
    } finally {
      this.callDepth--;
      this.cur = savedCursor;
      this.pendingName = saved.pending;
      this.statementFrom = saved.from;
    }
    if (signal && signal !== 'break' && signal !== 'continue') return signal.returned;
    return fnScope.uncertainReturn ?? NONE;
  }

  /** `f(...)` of a function defined in the file: its body runs with these arguments; a model it builds is this call's. */
  private callFunction(fn: Extract<Value, { kind: 'local' }>, node: SyntaxNode, argList: SyntaxNode | null, scope: Scope, parsed?: ParsedArgs): Value {
    const def = fn.definition as FunctionDefinition;
    const limit =
      this.callDepth >= MAX_CALL_DEPTH
        ? `its calls go deeper than LayerLens follows (${MAX_CALL_DEPTH} calls)`
        : this.statements >= MAX_STATEMENTS
          ? `the file runs more than ${MAX_STATEMENTS.toLocaleString('en-US')} statements, more than LayerLens follows`
          : this.modelCount() >= MAX_MODELS || this.nodeCount >= MAX_GRAPH_NODES
            ? `the file has made ${MAX_MODELS.toLocaleString('en-US')} models or ${MAX_GRAPH_NODES.toLocaleString('en-US')} layer calls, more than LayerLens follows`
            : null;
    if (limit) {
      this.limitNote(node, `LayerLens stopped following calls here: ${limit}; what this call returns is unknown.`);
      return this.unknownNode(node, limit);
    }
    const { positional, keywords, starArgs, starKwargs } = parsed ?? this.parseArgs(argList, scope);
    def.calls++;
    const target = this.pendingName;
    const before = this.models.length;
    const call = { from: this.abs(node.from), to: this.abs(node.to) };
    this.callSites.push({ function: fn.name, ...call });
    let value: Value;
    try {
      value = this.runFunction(
        fn,
        positional.map((p) => p.value),
        new Map([...keywords].map(([k, v]) => [k, v.value])),
        starArgs || starKwargs ? argList : null,
      );
    } finally {
      this.callSites.pop();
    }
    for (const m of this.models.slice(before)) m.builtBy ??= { function: fn.name, call: this.runningDefaults ? null : call };
    // `m2 = build_model(...)`: the model this call built is named after the call's variable.
    if (value.kind === 'model' && target && !value.model.explicitName && this.models.indexOf(value.model) >= before) value.model.name = target;
    return value;
  }

  private execClass(node: SyntaxNode, scope: Scope): void {
    const nameNode = node.getChild('VariableName');
    const name = nameNode ? this.text(nameNode) : '<class>';
    const cls: Extract<Value, { kind: 'local' }> = { kind: 'local', what: 'class', name };
    this.bind(scope, name, cls, this.abs(node.from));
    // Bases are evaluated as expressions (`(keras.Model)` is keras.Model); keyword arguments (metaclass=) are not bases.
    const argList = node.getChild('ArgList');
    const baseNodes = argList
      ? this.elements(argList).filter(
          (c) => c.name !== 'AssignOp' && c.nextSibling?.name !== 'AssignOp' && c.prevSibling?.name !== 'AssignOp' && !c.type.isError,
        )
      : [];
    const baseValues = baseNodes.map((b) => this.evalExpr(b, scope));
    const kerasModel = baseValues.some((v) => v.kind === 'symbol' && /^keras\.(?:models\.)?Model$/.test(v.path));
    const localBases = baseValues.filter((v): v is LocalClass => v.kind === 'local' && v.what === 'class');
    if (localBases.length) cls.bases = localBases;
    const body = node.getChild('Body');
    // A subclass of a Keras layer (`class StandardizedConv2D(layers.Conv2D)`) keeps its parent's rules unless it overrides how its shape or weights are made.
    const overrides: string[] = [];
    for (let c = body?.firstChild ?? null; c; c = c.nextSibling) {
      const def = c.name === 'DecoratedStatement' ? c.getChild('FunctionDefinition') : c.name === 'FunctionDefinition' ? c : null;
      const defName = def?.getChild('VariableName');
      if (defName) overrides.push(this.text(defName));
    }
    for (const v of baseValues) {
      const parent = v.kind === 'symbol' ? classifySymbol(v.path) : null;
      const type = parent?.kind === 'layer' ? parent.type : v.kind === 'local' ? v.layerBase?.type : undefined;
      if (type) cls.layerBase = { type, overrides: [...overrides, ...(v.kind === 'local' ? (v.layerBase?.overrides ?? []) : [])] };
    }
    // A subclass of `keras.layers.Layer` itself (`class Sampling(layers.Layer)`): its `call()` may be followed.
    if (!cls.layerBase && baseValues.some((v) => (v.kind === 'symbol' && CUSTOM_LAYER_BASE.test(v.path)) || (v.kind === 'local' && v.customLayer)))
      cls.customLayer = true;
    const classScope = new Scope(scope, name);
    this.classScopes.set(classScope, cls);
    this.classRanges.set(cls, { from: this.abs(node.from), to: this.abs(node.to) });
    if (body) this.execBlock(body, classScope);
    cls.attributes = new Map([...classScope.vars].map(([k, b]) => [k, b.value]));
    const init = classScope.vars.get('__init__')?.value;
    if (init?.kind === 'local' && init.definition) cls.init = init;
    else for (const v of baseValues) if (v.kind === 'local' && v.init) cls.init ??= v.init;
    // What methods may set on `self`: a base's methods too, and a base's `__init__` where this class has its own
    // (`super().__init__(...)` of a plain class is not followed, so what the base's sets is not known).
    const { methods: setByMethods, init: setByInit } = attributesSetByMethods(body, (n) => this.text(n));
    const ownInit = init?.kind === 'local' && init.definition !== undefined;
    for (const base of localBases) {
      for (const a of this.methodSet.get(base) ?? []) setByMethods.add(a);
      if (ownInit) for (const a of this.initSet.get(base) ?? []) setByMethods.add(a);
      for (const a of this.initSet.get(base) ?? []) setByInit.add(a);
    }
    this.methodSet.set(cls, setByMethods);
    this.initSet.set(cls, setByInit);
    // Bases all known (the file's classes, Keras' classes, `object`) and no `__bool__` / `__len__`: instances are true.
    const knownBase = (v: Value, n: SyntaxNode) =>
      (v.kind === 'local' && this.plainClasses.has(v)) || (v.kind === 'symbol' && v.path.startsWith('keras.')) || this.text(n) === 'object';
    if (baseValues.every((v, i) => knownBase(v, baseNodes[i])) && !defines(cls, '__bool__') && !defines(cls, '__len__')) this.plainClasses.add(cls);
    if (kerasModel || localBases.some((b) => b.modelBase)) this.modelClass(cls, kerasModel, localBases, nameNode, body);
  }

  /**
   * A `keras.Model` subclass: its instances are Functional models when its `__init__` hands Keras a graph
   * (`super().__init__(inputs, outputs, **kwargs)`), or when it has no `__init__` (`Custom(inputs, outputs)` of a
   * class that overrides only `train_step`). One that wires its layers in `call()` gets a `not-analysed` note.
   */
  private modelClass(cls: LocalClass, kerasModel: boolean, localBases: LocalClass[], nameNode: SyntaxNode | null, body: SyntaxNode | null): void {
    const text = (n: SyntaxNode) => this.text(n);
    let ownInit: SyntaxNode | null = null;
    for (let c = body?.firstChild ?? null; c; c = c.nextSibling) {
      const def = c.name === 'DecoratedStatement' ? c.getChild('FunctionDefinition') : c.name === 'FunctionDefinition' ? c : null;
      const defName = def?.getChild('VariableName');
      if (def && defName && text(defName) === '__init__') ownInit = def;
    }
    const definesCall = defines(cls, 'call');
    const inherited = localBases.some((b) => b.modelBase?.functionalInit);
    const calls = ownInit ? superInitCalls(ownInit, text) : [];
    // A `**kwargs` passed on may carry `inputs=` and `outputs=` (`Custom(inputs=x, outputs=y)`), unless `call()` is the model.
    const functionalInit = ownInit
      ? calls.some((c) => isGraphInit(c.positional, c.keywords) || (c.star && !definesCall)) || (inherited && calls.length > 0)
      : inherited || (!cls.init && !definesCall);
    cls.modelBase = { functionalInit };
    if (kerasModel && nameNode && !functionalInit)
      this.notAnalysed(
        nameNode,
        `\`${cls.name}\` subclasses keras.Model: its layers are wired in \`call()\`, Python that LayerLens does not run, so LayerLens shows no shapes or parameters for it.`,
      );
  }

  /**
   * `Trainer(data, latent_dim=16)`: the class's `__init__` runs with this call's arguments (the instance is `self`),
   * so a model it builds is this call's, not one built with the defaults.
   */
  private instantiate(cls: Extract<Value, { kind: 'local' }>, node: SyntaxNode, parsed: ParsedArgs): Instance {
    const self = unknown('self', this.abs(node.from), this.abs(node.to), `it is an instance of \`${cls.name}\``);
    const record: Instance = { cls, attributes: new Map(), depth: this.conditional.length, self };
    this.instances.set(self, record);
    const init = cls.init;
    if (!init?.definition) return record;
    init.definition.calls++;
    const before = this.models.length;
    const call = { from: this.abs(node.from), to: this.abs(node.to) };
    this.callSites.push({ function: cls.name, ...call });
    this.constructing.push(record);
    try {
      this.runFunction(
        init,
        [self, ...parsed.positional.map((p) => p.value)],
        new Map([...parsed.keywords].map(([k, v]) => [k, v.value])),
        parsed.starArgs || parsed.starKwargs ? node : null,
      );
    } finally {
      this.callSites.pop();
      this.constructing.pop();
    }
    // A Sequential a custom layer makes in `__init__` (a transformer block's feed-forward part) is one of its
    // sublayers, summed into its row, not a model of the file.
    if (cls.customLayer) this.models.splice(before);
    for (const m of this.models.slice(before)) m.builtBy ??= { function: cls.name, call: this.runningDefaults ? null : call };
    return record;
  }

  /**
   * `Net(5)` of a `keras.Model` subclass: the Functional model its `__init__` hands Keras, named as Keras names it
   * (the class in snake case, unless `name=` reaches Keras); of one without `__init__`, `keras.Model(...)` itself.
   */
  private instantiateModel(cls: LocalClass, node: SyntaxNode, calleeNode: SyntaxNode, parsed: ParsedArgs, scope: Scope): Value {
    if (!cls.init) return this.makeFunctional(node, calleeNode, null, scope, parsed, toSnakeCase(cls.name));
    if (this.callDepth >= MAX_CALL_DEPTH) return this.unknownNode(node, `its calls go deeper than LayerLens follows (${MAX_CALL_DEPTH} calls)`);
    const record = this.instantiate(cls, node, parsed);
    if (record.functional) return record.functional;
    if (!record.tried && cls.modelBase?.functionalInit)
      this.notAnalysed(
        calleeNode,
        `\`${cls.name}(...)\` subclasses keras.Model, and its \`__init__\` handed Keras no inputs and outputs LayerLens could follow here, so LayerLens shows no shapes or parameters for it.`,
      );
    return this.unknownNode(node, 'it is a model LayerLens does not analyse');
  }

  /**
   * `super().__init__(...)` in a method of a `keras.Model` subclass, while an instance is made: the next class's
   * `__init__` (a class of the file) runs for the same instance, or Keras' own makes the Functional model of
   * `inputs` and `outputs`. Null where this is not such a call (a layer's `super().__init__(**kwargs)`).
   */
  private superInit(node: SyntaxNode, calleeNode: SyntaxNode, argList: SyntaxNode | null, scope: Scope): Value | null {
    let cls: LocalClass | undefined;
    for (let s: Scope | null = scope; s && !cls; s = s.parent) cls = this.classScopes.get(s);
    const record = this.constructing[this.constructing.length - 1];
    if (!cls?.modelBase || !record) return null;
    const parsed = this.parseArgs(argList, scope);
    const next = (cls.bases ?? []).find((b) => b.init?.definition);
    if (next?.init) {
      this.runFunction(
        next.init,
        [record.self, ...parsed.positional.map((p) => p.value)],
        new Map([...parsed.keywords].map(([k, v]) => [k, v.value])),
        parsed.starArgs || parsed.starKwargs ? node : null,
      );
      return NONE;
    }
    if (!isGraphInit(parsed.positional.length, [...parsed.keywords.keys()])) return NONE;
    record.tried = true;
    const made = this.makeFunctional(node, calleeNode, null, scope, parsed, toSnakeCase(record.cls.name));
    if (made.kind === 'functional') record.functional = made;
    return NONE;
  }

  /** `Cls(...)` with its arguments evaluated: a Model subclass's model, else an instance (a layer, for LayerLens). */
  private instantiateClass(cls: LocalClass, node: SyntaxNode, calleeNode: SyntaxNode, argList: SyntaxNode | null, parsed: ParsedArgs, scope: Scope): Value {
    if (cls.modelBase?.functionalInit) return this.instantiateModel(cls, node, calleeNode, parsed, scope);
    const record = this.callDepth < MAX_CALL_DEPTH ? this.instantiate(cls, node, parsed) : undefined;
    const value = cls.layerBase
      ? this.makeSubclassLayer(cls, cls.layerBase, node, calleeNode, argList, scope, parsed)
      : this.makeLayer(cls.name, 'custom', node, calleeNode, argList, scope, undefined, undefined, parsed);
    if (value.kind === 'layer' && record) {
      this.instances.set(value.layer, record);
      if (this.plainClasses.has(cls)) value.layer.truthy = true;
      const layer = value.layer;
      if (cls.customLayer && !cls.layerBase && classAttribute(cls, 'call')?.kind === 'local')
        layer.custom = (shapes, form) => this.traceCustom(layer, record, shapes, form);
    }
    return value;
  }

  /** `Sub(...)` of a class subclassing a Keras layer: the parent's layer, shown under the subclass's name, when its overrides keep the parent's shape and weights. */
  private makeSubclassLayer(
    cls: Extract<Value, { kind: 'local' }>,
    base: { type: string; overrides: string[] },
    node: SyntaxNode,
    calleeNode: SyntaxNode,
    argList: SyntaxNode | null,
    scope: Scope,
    parsed?: ParsedArgs,
  ): Value {
    const changing = base.overrides.filter((o) => SHAPE_CHANGING_METHODS.has(o));
    if (changing.length) {
      const value = this.makeLayer(cls.name, 'custom', node, calleeNode, argList, scope, undefined, undefined, parsed);
      if (value.kind === 'layer')
        value.layer.customWhy = `\`${cls.name}\` subclasses ${base.type} but overrides ${changing.map((o) => `\`${o}\``).join(' and ')}, which can change its shape or weights: LayerLens does not run that code, so shapes after it are unknown.`;
      return value;
    }
    const value = this.makeLayer(base.type, 'keras', node, calleeNode, argList, scope, undefined, undefined, parsed);
    if (value.kind === 'layer') {
      value.layer.subclass = cls.name;
      const kept = base.overrides.length ? `overrides only ${base.overrides.map((o) => `\`${o}\``).join(', ')}` : 'overrides nothing';
      (value.layer.notes ??= []).push({
        severity: 'information',
        code: 'subclassed-layer',
        message: `\`${cls.name}\` subclasses ${base.type} and ${kept}: LayerLens uses ${base.type}'s shape and parameter rules.`,
        from: this.abs(calleeNode.from),
        to: this.abs(calleeNode.to),
      });
    }
    return value;
  }

  // ---- names -----------------------------------------------------------------------------------

  /** Module-level names bound to a model, for the cheap test of which statements may call one. */
  private readonly moduleModels = new CalledNames();

  private bind(scope: Scope, name: string, value: Value, at: number): void {
    scope.vars.set(name, { value, at });
    if (scope === this.module) {
      if (value.kind === 'model') this.moduleModels.add(name);
      else this.moduleModels.delete(name);
    }
  }

  private lookupLocal(name: string, scope: Scope): Value | undefined {
    return scope.vars.get(name)?.value;
  }

  private lookup(name: string, scope: Scope, at: number, node: SyntaxNode | null): Value {
    for (let s: Scope | null = scope; s; s = s.parent) {
      if (s.parent === null) return this.lookupGlobal(name, s, at, node);
      const b = s.vars.get(name);
      if (b) return b.value;
    }
    return this.lookupGlobal(name, this.module, at, node);
  }

  /** A module-level name: the latest binding before `at`, walked or found through the definitions index. */
  private lookupGlobal(name: string, module: Scope, at: number, node: SyntaxNode | null): Value {
    const walked = module.vars.get(name);
    // The latest definition before now, unless a walked binding comes after it. One that did not bind the name on the
    // path it took (`if not b: m = 5`) leaves the binding before it.
    const lazy = this.lazyBinding(name, Math.max(at, this.now), walked);
    if (lazy) {
      const { binding, chunk: lazyChunk } = lazy;
      const value = binding.value;
      // A lazily found value is made once per run and shared by every later reader: a list, a layer or a function
      // one group reads may be changed by another (`CANDIDATES.append(m)`), so such a read counts as a binding.
      if (this.usage && !immutable(value)) this.usage.binds.add(name);
      if (walked && walked.value.kind === 'model') {
        walked.value.model.notes.push({
          code: 'model-reassigned',
          severity: 'information',
          message: `\`${name}\` is re-assigned at line ${this.program.source.position(this.program.chunks[lazyChunk].start).line}; layers added after that are not part of this model.`,
          from: this.program.chunks[lazyChunk].start,
          to: this.program.chunks[lazyChunk].start + name.length,
        });
      }
      return value;
    }
    if (walked) return walked.value;
    for (const star of module.stars) {
      const path = `${star.path}.${name}`;
      if (classifySymbol(path).kind !== 'other') return { kind: 'symbol', path };
    }
    const conventional = conventionalBinding(name);
    if (conventional) return { kind: 'symbol', path: conventional };
    if (BUILTINS.has(name)) return { kind: 'symbol', path: `builtins.${name}` };
    if (name === 'None') return NONE;
    return node ? this.unknownNode(node, 'it is not defined in this file') : unknown(name, at, at + name.length, 'it is not defined in this file');
  }

  /**
   * The latest binding of `name` before `time` by a statement that is not walked (run lazily), unless `walked` comes
   * after it. One that did not bind the name on the path it took (`if not b: m = 5`) leaves the binding before it.
   */
  private lazyBinding(name: string, time: number, walked: Binding | undefined): { binding: Binding; chunk: number } | null {
    for (let before = time; ;) {
      const chunk = this.latestDefinition(name, before);
      if (chunk === undefined || (walked && this.program.chunks[chunk].start <= walked.at)) return null;
      const binding = this.lazyValue(name, chunk);
      if (binding) {
        this.replayMutations(`${chunk}:${name}`, time);
        return { binding, chunk };
      }
      before = this.program.chunks[chunk].start;
    }
  }

  private latestDefinition(name: string, at: number): number | undefined {
    const list = this.program.definitions.get(name);
    if (!list) return undefined;
    let best: number | undefined;
    for (const idx of list) {
      if (this.program.walked[idx] || this.isModelRebinding(idx)) continue;
      // A definition in a statement that ends before `at` (`x = f(x)` reads the `x` of an earlier statement, not its own).
      if (this.program.chunks[idx].end <= at) best = idx;
    }
    return best;
  }

  private readonly rebinding = new Set<number>();

  private isModelRebinding(chunkIndex: number): boolean {
    return this.rebinding.has(chunkIndex);
  }

  /** Evaluates the top-level definition of `name` in a chunk that is not walked; null where it did not bind the name. */
  private lazyValue(name: string, chunkIndex: number): Binding | null {
    const key = `${chunkIndex}:${name}`;
    const cached = this.lazyCache.get(key);
    if (cached !== undefined) return cached;
    const chunk = this.program.chunks[chunkIndex];
    if (this.lazyInProgress.has(key))
      return { value: unknown(name, chunk.start, chunk.start + name.length, 'its definition refers to itself'), at: chunk.start };
    this.lazyInProgress.add(key);
    this.lazyDepth++;
    const saved = { cur: this.cur, pending: this.pendingName, from: this.statementFrom, now: this.now, context: this.enterModuleStatement() };
    this.cur = { chunk, text: chunk.text };
    this.now = chunk.start;
    const scratch = new Scope(null, undefined, true);
    // The copy of the module is read as the module is (its reads are the group's); what the definition binds is not.
    (scratch.vars as TrackedVars).notesBinds = false;
    this.starsBefore(chunk.start, scratch);
    // Module names resolve through the module as usual, `name` too: `x = f(x)` reads the `x` bound before this
    // statement, walked or not (lookupGlobal compares where each was bound).
    for (const [k, v] of this.module.vars) scratch.vars.set(k, v);
    const names = this.program.chunkNames[chunkIndex];
    const top = this.program.tree(chunkIndex).topNode;
    // An `if` or a loop may bind a name on some paths only, leaving the value before it on the others: the names it
    // binds start with their values before it (read lazily where no walked statement bound them).
    if (mayNotBind(top))
      for (const n of names) {
        const current = (scratch.vars as TrackedVars).peek(n);
        if (current && current.at < chunk.start) continue;
        const earlier = this.lazyBinding(n, chunk.start, undefined);
        if (earlier) scratch.vars.set(n, earlier.binding);
      }
    const befores = new Map(names.map((n) => [n, scratch.vars.get(n)]));
    (scratch.vars as TrackedVars).usage = this.usage;
    const before = scratch.vars.get(name);
    try {
      for (let n = top.firstChild; n; n = n.nextSibling) this.execStatement(n, scratch);
    } finally {
      this.cur = saved.cur;
      this.pendingName = saved.pending;
      this.statementFrom = saved.from;
      this.leaveModuleStatement(saved.context);
      this.now = saved.now;
      this.lazyInProgress.delete(key);
      this.lazyDepth--;
    }
    // The statement's other names (`x = d(a); y = d(b)`, `a = b = f()`) are kept from this run: running it again
    // for each would call its layers again.
    for (const n of names) {
      const other = scratch.vars.get(n);
      if (n !== name && other && other !== befores.get(n)) this.lazyCache.set(`${chunkIndex}:${n}`, other);
    }
    const bound = scratch.vars.get(name);
    const binding = bound && bound !== before ? bound : null;
    this.lazyCache.set(key, binding);
    if (binding?.value.kind === 'seq' && !binding.value.tuple) this.replays.set(key, { name, next: chunkIndex + 1, scope: scratch });
    return binding;
  }

  /** A copy of the module run lazily has the module's star imports before `at` (one after it is not there yet). */
  private starsBefore(at: number, scope: Scope): void {
    scope.stars.length = 0;
    for (const star of this.module.stars) if (star.at < at) scope.stars.push(star);
  }

  /**
   * `blocks = []` then, in statements of their own, `blocks.append(...)` / `extend` / `insert` / `+=`: when the
   * list is read (at `time`), the later statements before the read that are not walked and change it run too (in
   * order), so it holds what they put in. Walked statements change it as they run.
   */
  private replayMutations(key: string, time: number): void {
    const replay = this.replays.get(key);
    if (!replay) return;
    const { name, scope } = replay;
    // The scope is the module as the list's definition saw it: walked statements since have bound more.
    for (const [k, v] of this.module.vars) {
      const own = (scope.vars as TrackedVars).peek(k);
      if (!own || v.at > own.at) scope.vars.set(k, v);
    }
    const pattern = new RegExp(`(?:^|[^\\w.])${name}\\s*(?:\\.\\s*(?:append|extend|insert)\\s*\\(|\\+=)`);
    const saved = { cur: this.cur, now: this.now, context: this.enterModuleStatement() };
    this.lazyDepth++;
    try {
      // Up to the statement reading it: a change after that comes later (another read replays it).
      while (replay.next < this.program.chunks.length && this.program.chunks[replay.next].end <= time) {
        const i = replay.next++;
        const chunk = this.program.chunks[i];
        // A statement binding the name again (`blocks = ...`, `blocks += ...`) starts a value of its own, which replays
        // the changes after it.
        if (this.program.chunkNames[i].includes(name)) {
          this.replays.delete(key);
          break;
        }
        if (this.program.walked[i] || !chunk.text.includes(name) || !pattern.test(chunk.text)) continue;
        this.cur = { chunk, text: chunk.text };
        this.now = chunk.start;
        this.starsBefore(chunk.start, scope);
        const top = this.program.tree(i).topNode;
        for (let n = top.firstChild; n; n = n.nextSibling) this.execStatement(n, scope);
      }
    } finally {
      this.cur = saved.cur;
      this.now = saved.now;
      this.leaveModuleStatement(saved.context);
      this.lazyDepth--;
    }
  }

  /**
   * A top-level statement read lazily, in the middle of other code, runs as a plain walk runs it: outside the control
   * flow and the calls of the code that needed it (its layers are no call's; its lists change under no `if`).
   */
  private enterModuleStatement(): {
    conditional: Interpreter['conditional'];
    callSites: Interpreter['callSites'];
    mutations: Interpreter['uncertainMutations'];
  } {
    const context = { conditional: this.conditional, callSites: this.callSites, mutations: this.uncertainMutations };
    this.conditional = [];
    this.callSites = [];
    this.uncertainMutations = [];
    return context;
  }

  private leaveModuleStatement(context: ReturnType<Interpreter['enterModuleStatement']>): void {
    this.conditional = context.conditional;
    this.callSites = context.callSites;
    this.uncertainMutations = context.mutations;
  }

  // ---- expressions -----------------------------------------------------------------------------

  evalExpr(node: SyntaxNode, scope: Scope): Value {
    switch (node.name) {
      case 'Number': {
        const n = parseNumber(this.text(node));
        return n ? { kind: 'number', ...n } : this.unknownNode(node, 'it is a complex number');
      }
      case 'String': {
        const s = parseString(this.text(node));
        return s === null ? this.unknownNode(node) : { kind: 'string', value: s };
      }
      case 'ContinuedString': {
        let out = '';
        for (let c = node.firstChild; c; c = c.nextSibling) {
          const v = this.evalExpr(c, scope);
          if (v.kind !== 'string') return this.unknownNode(node, 'it is a formatted string');
          out += v.value;
        }
        return { kind: 'string', value: out };
      }
      case 'FormatString':
        return this.evalFormatString(node, scope);
      case 'Boolean':
        return { kind: 'bool', value: this.text(node) === 'True' };
      case 'None':
        return NONE;
      case 'VariableName':
        return this.lookup(this.text(node), scope, this.abs(node.from), node);
      case 'ParenthesizedExpression': {
        const inner = node.firstChild?.nextSibling;
        return inner && inner.name !== ')' ? this.evalExpr(inner, scope) : this.unknownNode(node);
      }
      case 'TupleExpression':
      case 'ArrayExpression':
      case 'SetExpression':
        return { kind: 'seq', items: this.evalItems(node, scope), tuple: node.name === 'TupleExpression' };
      case 'DictionaryExpression':
        return this.evalDict(node, scope);
      case 'UnaryExpression':
        return this.evalUnary(node, scope);
      case 'BinaryExpression':
        return this.evalBinary(node, scope);
      case 'MemberExpression':
        return this.evalMember(node, scope);
      case 'CallExpression':
        return this.evalCall(node, scope);
      case 'LambdaExpression': {
        // Its body is evaluated once, as a function's is, so a model a lambda builds is shown.
        const body = node.lastChild;
        if (body && body.name !== ':' && !body.type.isError) this.evalExpr(body, this.parameterScope(node, scope, this.pendingName ?? 'lambda'));
        return this.unknownNode(node, 'it is a lambda');
      }
      case 'ConditionalExpression':
        return this.evalConditional(node, scope);
      case 'NamedExpression': {
        // `(m := keras.Sequential(...))` binds like an assignment.
        const target = node.firstChild;
        const valueNode = target?.nextSibling?.nextSibling;
        if (!target || target.name !== 'VariableName' || !valueNode) return this.unknownNode(node);
        const saved = this.pendingName;
        this.pendingName = this.text(target);
        const value = this.evalExpr(valueNode, scope);
        this.pendingName = saved;
        this.assignTarget(target, value, scope);
        return value;
      }
      case 'ArrayComprehensionExpression':
      case 'SetComprehensionExpression':
      case 'DictionaryComprehensionExpression':
      case 'ComprehensionExpression':
        return this.evalComprehension(node, scope);
      default:
        return this.unknownNode(node);
    }
  }

  /**
   * `a if cond else b`: the branch a known condition picks. Otherwise both branches are evaluated, so a model
   * built in either is shown, and the value is unknown.
   */
  private evalConditional(node: SyntaxNode, scope: Scope): Value {
    const [yes, cond, no] = this.elements(node).filter((c) => c.name !== 'if' && c.name !== 'else');
    if (!yes || !cond || !no) return this.unknownNode(node);
    const truth = truthOf(this.evalExpr(cond, scope));
    if (truth !== null) return this.evalExpr(truth ? yes : no, scope);
    this.evalExpr(yes, scope);
    this.evalExpr(no, scope);
    return this.unknownNode(node, 'it depends on a condition LayerLens cannot evaluate');
  }

  /** A tuple's, list's or set's items, with `*spread` of a known iterable unpacked in place. */
  private evalItems(node: SyntaxNode, scope: Scope): Value[] {
    const items: Value[] = [];
    for (let c = node.firstChild; c; c = c.nextSibling) {
      if (['(', ')', '[', ']', '{', '}', ','].includes(c.name) || c.type.isError) continue;
      if (c.name === '*' && c.nextSibling) {
        c = c.nextSibling;
        const spread = this.evalExpr(c, scope);
        const inner = iterate(spread);
        if (inner) items.push(...inner);
        else items.push(spread.kind === 'unknown' ? spread : this.unknownNode(c));
        continue;
      }
      items.push(this.evalExpr(c, scope));
    }
    return items;
  }

  /**
   * A comprehension over known iterables gives its items, each element evaluated with its own loop values
   * (`[layers.Dense(8) for _ in range(2)]` is two layers). Over an unknown iterable the element is evaluated
   * once, its loop variables unknown, so a model built per item is shown once; the collection is unknown.
   */
  private evalComprehension(node: SyntaxNode, scope: Scope): Value {
    const parts = this.elements(node).filter((c) => c.name !== '{' && c.name !== '}' && !c.type.isError);
    const firstFor = parts.findIndex((c) => c.name === 'for');
    if (firstFor < 0) return this.unknownNode(node);
    const element = parts.slice(0, firstFor).filter((c) => c.name !== ':' && c.name !== 'async');
    // Clauses: `for targets in iterable` and `if condition`, in order.
    const clauses: ({ kind: 'for'; targets: SyntaxNode[]; iterable: SyntaxNode } | { kind: 'if'; cond: SyntaxNode })[] = [];
    for (let i = firstFor; i < parts.length; i++) {
      if (parts[i].name === 'for') {
        const targets: SyntaxNode[] = [];
        let j = i + 1;
        for (; j < parts.length && parts[j].name !== 'in'; j++) targets.push(parts[j]);
        if (!parts[j + 1]) return this.unknownNode(node);
        clauses.push({ kind: 'for', targets, iterable: parts[j + 1] });
        i = j + 1;
      } else if (parts[i].name === 'if' && parts[i + 1]) {
        clauses.push({ kind: 'if', cond: parts[i + 1] });
        i++;
      }
    }
    const inner = new Scope(scope, scope.functionName);
    const items: Value[] = [];
    let known = true;
    const run = (k: number): void => {
      if (!known) return;
      if (k === clauses.length) {
        const values = element.map((e) => this.evalExpr(e, inner));
        items.push(values.length === 2 ? { kind: 'seq', items: values, tuple: true } : (values[0] ?? NONE));
        if (items.length > MAX_SEQUENCE) known = false;
        return;
      }
      const clause = clauses[k];
      if (clause.kind === 'if') {
        const truth = truthOf(this.evalExpr(clause.cond, inner));
        if (truth === null) known = false;
        else if (truth) run(k + 1);
        return;
      }
      const values = iterate(this.evalExpr(clause.iterable, inner));
      if (!values) {
        known = false;
        return;
      }
      for (const v of values) {
        if (++this.statements >= MAX_STATEMENTS) {
          known = false;
          return;
        }
        this.bindTargets(clause.targets, v, inner, 'it is a loop variable');
        run(k + 1);
        if (!known) return;
      }
    };
    run(0);
    if (known) {
      if (node.name === 'DictionaryComprehensionExpression') {
        const entries = new Map<string, Value>();
        for (const item of items) {
          if (item.kind !== 'seq' || item.items[0]?.kind !== 'string') return this.unknownNode(node);
          entries.set(item.items[0].value, item.items[1]);
        }
        return { kind: 'dict', entries };
      }
      return { kind: 'seq', items, tuple: node.name === 'ComprehensionExpression' };
    }
    // Unknown: the element once, with every loop variable unknown.
    for (const clause of clauses) if (clause.kind === 'for') this.bindTargets(clause.targets, null, inner, 'it is a loop variable');
    for (const e of element) this.evalExpr(e, inner);
    return this.unknownNode(node, 'it is a comprehension over values LayerLens cannot know');
  }

  /** Arguments of a call LayerLens does not evaluate may still build a model: `train(keras.Sequential([...]))`. */
  private evalArgsForModels(argList: SyntaxNode | null, scope: Scope): void {
    if (!argList) return;
    const saved = this.pendingName;
    this.pendingName = null;
    // Only an argument with a call in it can build a model; names and literals are left alone.
    for (let c = argList.firstChild; c; c = c.nextSibling)
      if (!c.type.isError && c.name !== 'VariableName' && this.text(c).includes('(')) this.evalExpr(c, scope);
    this.pendingName = saved;
  }

  /** Element nodes of a tuple, list or argument list (punctuation skipped). */
  private elements(node: SyntaxNode): SyntaxNode[] {
    const out: SyntaxNode[] = [];
    for (let c = node.firstChild; c; c = c.nextSibling) if (!['(', ')', '[', ']', ','].includes(c.name)) out.push(c);
    return out;
  }

  private evalDict(node: SyntaxNode, scope: Scope): Value {
    const entries = new Map<string, Value>();
    const items = this.elements(node).filter((c) => c.name !== '{' && c.name !== '}' && c.name !== ':');
    for (let i = 0; i + 1 < items.length; i += 2) {
      const k = this.evalExpr(items[i], scope);
      if (k.kind !== 'string') return this.unknownNode(node);
      entries.set(k.value, this.evalExpr(items[i + 1], scope));
    }
    return { kind: 'dict', entries };
  }

  // ---- Functional graphs -----------------------------------------------------------------------

  private nodeCount = 0;

  /** Sequential and Functional models made so far, for the bounds. */
  modelCount(): number {
    return this.models.length + this.functionals.length;
  }
  /** The node of each `keras.Input(...)`, made when it is first used as a tensor. */
  private readonly inputNodes = new Map<LayerCall, GraphNode>();
  readonly functionals: FunctionalBuilder[] = [];
  /** Every assignment of a Keras tensor to a variable, in the order they ran: the models' `tensors` (see TensorBinding). */
  private readonly tensorBindings: TensorBinding[] = [];

  /** Records `name = <Keras tensor>`: a layer's output, or a `keras.Input(...)`. */
  private noteTensor(name: string, target: SyntaxNode, value: Value): void {
    const tensor = value.kind === 'symbolic' ? value.node : value.kind === 'layer' && value.layer.type === 'InputLayer' ? value.layer : null;
    if (tensor && target.name === 'VariableName') this.tensorBindings.push({ name, from: this.abs(target.from), to: this.abs(target.to), tensor });
  }

  /** A node; `from`/`to` are source offsets of the call. */
  private newNode(layer: GraphNode['layer'], inputs: (GraphNode | Value)[], from: number, to: number): GraphNode {
    const nodes = inputs.map((i) => ('id' in i ? i : (this.asNode(i) as GraphNode)));
    const node: GraphNode = { id: this.nodeCount++, layer, inputs: nodes, from, to };
    // Which output of each input (`initial_state=[h, c]`: an LSTM's second and third).
    const outputs = inputs.map((i) => ('kind' in i && i.kind === 'symbolic' ? (i.output ?? 0) : 0));
    if (outputs.some((o) => o > 0)) node.inputOutputs = outputs;
    if (this.library) this.createdNodes.add(node);
    if ('type' in layer) {
      const calls = this.layerNodes.get(layer);
      if (calls) calls.push(node);
      else this.layerNodes.set(layer, [node]);
    }
    return node;
  }

  /** A Keras tensor: a layer's output, or a `keras.Input(...)` (an InputLayer call, so that it also works as a Sequential's first element). */
  private asNode(v: Value): GraphNode | null {
    if (v.kind === 'symbolic') return v.node;
    if (v.kind === 'layer' && v.layer.type === 'InputLayer') {
      let node = this.inputNodes.get(v.layer);
      if (!node) this.inputNodes.set(v.layer, (node = this.newNode(v.layer, [], v.layer.from, v.layer.to)));
      return node;
    }
    return null;
  }

  /**
   * `layer(x)`, `layer([x, y])` or `mha(q, v)` (`separate`): a new node when every input is a Keras tensor, or
   * some are and the others are unknown values (`add([x, foo(x)])`: the node's output is unknown, and the
   * analysis says which value); else the result is unknown.
   */
  private callLayerOnTensors(layer: LayerCall, input: Value | undefined, call: SyntaxNode, separate = false, keywordTensors: Value[] = []): Value {
    const values = input?.kind === 'seq' ? input.items : input ? [input] : [];
    const nodes = values.map((v) => this.asNode(v));
    const known = values.filter((_v, i) => nodes[i] !== null);
    const unknown = values.filter((v, i): v is Value & { kind: 'unknown' } => !nodes[i] && v.kind === 'unknown');
    if (known.length === 0 || known.length + unknown.length < values.length)
      return this.unknownNode(call, 'it is a layer called on something that is not a Keras tensor LayerLens can follow');
    const node = this.newNode(layer, [...known, ...keywordTensors], this.abs(call.from), this.abs(call.to));
    if (keywordTensors.length) node.keywordInputs = keywordTensors.length;
    if (separate || input?.kind === 'seq') node.called = { form: separate ? 'arguments' : input?.kind === 'seq' && input.tuple ? 'tuple' : 'list', unknown };
    // A custom layer's `call()` is followed here, for these inputs' shapes, so that what it reads is read while the file runs.
    if (layer.custom) this.tensorShape(node, call);
    return { kind: 'symbolic', node };
  }

  /**
   * `x + y`, `x * 0.5`, `-x`, `ops.add(x, y)` with a Keras tensor among the operands: a node of an operation that
   * Keras prints as a row (`add (Add)`), on the tensors among them; null when no operand is a Keras tensor.
   */
  private tensorOperation(type: string, operands: Value[], node: SyntaxNode): Value | null {
    const tensors = operands.map((v) => this.asNode(v));
    if (!tensors.some((t) => t)) return null;
    // An unknown operand (`x * scale`, `x + pos(x)`) leaves the result unknown, as a node, so that the model is still analysed.
    const unknown = operands.filter((v, i): v is Value & { kind: 'unknown' } => !tensors[i] && v.kind === 'unknown');
    if (operands.some((v, i) => !tensors[i] && v.kind !== 'number' && v.kind !== 'bool' && v.kind !== 'unknown'))
      return this.unknownNode(node, 'it is arithmetic on a Keras tensor and a value LayerLens cannot follow');
    const [from, to] = [this.abs(node.from), this.abs(node.to)];
    const call = operationCall(type, 'keras', from, to);
    const made = this.newNode(
      call,
      operands.filter((_v, i) => tensors[i] !== null),
      from,
      to,
    );
    if (unknown.length) made.called = { form: 'arguments', unknown };
    return { kind: 'symbolic', node: made };
  }

  private readonly shapes = new Map<GraphNode, Value>();

  /** A Keras tensor's static shape: the graph that makes it, run up to it (once per tensor). */
  private tensorShape(tensor: GraphNode, at: SyntaxNode, output = 0): Value {
    const cached = output === 0 ? this.shapes.get(tensor) : undefined;
    if (cached) return cached;
    const inputs = new Set<GraphNode>();
    const seen = new Set<GraphNode>();
    const stack = [tensor];
    for (let n = stack.pop(); n; n = stack.pop()) {
      if (seen.has(n)) continue;
      seen.add(n);
      if (n.inputs.length === 0) inputs.add(n);
      stack.push(...n.inputs);
    }
    const graph = {
      name: '',
      explicitName: false,
      inputs: [...inputs],
      outputs: [tensor],
      outputIndices: [output],
      from: tensor.from,
      to: tensor.to,
      notes: [],
    };
    const given = new Map([...inputs].flatMap((n) => (this.constants.has(n) ? [[n, this.constants.get(n) as (number | null)[]] as const] : [])));
    const [shape] = runFunctional(graph, this.program.source, this.program.kerasVersion, given.size ? given : undefined).outputs;
    const value: Value = shape
      ? {
          kind: 'seq',
          items: shape.map((d) =>
            d === null
              ? NONE
              : Number.isNaN(d)
                ? this.unknownNode(at, 'LayerLens could not work out this dimension')
                : { kind: 'number', value: d, isInt: true },
          ),
          tuple: true,
        }
      : this.unknownNode(at, "LayerLens could not work out this tensor's shape");
    if (output === 0) this.shapes.set(tensor, value);
    return value;
  }

  /**
   * An architecture's interpreter given the user's tensor (`input_tensor=inputs`): its shape as the user's file
   * gives it (the architecture's Python reads `input_tensor.shape`, and its own text cannot place the user's Input).
   */
  knowShape(tensor: GraphNode, shape: Value): void {
    this.shapes.set(tensor, shape);
  }

  /** The tensors of `inputs=` / `outputs=`: one, a list or tuple, or a dict's values; null when any is not a Keras tensor. */
  private tensorsOf(v: Value | undefined): { nodes: GraphNode[]; outputs: number[] } | { failed: Value | undefined } {
    if (!v) return { failed: v };
    // A list whose length is unknown (grown in a loop LayerLens cannot count) is no known list of tensors.
    if (v.kind === 'seq' && v.unknownLength) return { failed: v };
    const items = v.kind === 'seq' ? v.items : v.kind === 'dict' ? [...v.entries.values()] : [v];
    const nodes = items.map((x) => this.asNode(x));
    if (!nodes.length) return { failed: v };
    const failed = items.findIndex((_x, i) => !nodes[i]);
    if (failed >= 0) return { failed: items[failed] };
    return { nodes: nodes as GraphNode[], outputs: items.map((x) => (x.kind === 'symbolic' ? (x.output ?? 0) : 0)) };
  }

  /** `keras.Model(inputs, outputs, name=)`: a Functional model, when its inputs and outputs are Keras tensors LayerLens followed. */
  private makeFunctional(
    node: SyntaxNode,
    calleeNode: SyntaxNode,
    argList: SyntaxNode | null,
    scope: Scope,
    parsed?: ParsedArgs,
    /** The name Keras gives it without `name=`: a Model subclass's, in snake case (`Net` → `net`). */
    kerasName?: string,
  ): Value {
    const { positional, keywords } = parsed ?? this.parseArgs(argList, scope);
    const inputs = this.tensorsOf((keywords.get('inputs') ?? positional[0])?.value);
    const outputs = this.tensorsOf((keywords.get('outputs') ?? positional[1])?.value);
    if ('failed' in inputs || 'failed' in outputs) {
      const failed = 'failed' in inputs ? inputs.failed : 'failed' in outputs ? outputs.failed : undefined;
      // The value that could not be followed, by name: where to look, or what to give a `# layerlens:` hint for.
      const which = !failed
        ? ''
        : failed.kind === 'unknown'
          ? `: \`${failed.text}\` (${failed.why})`
          : `: ${'failed' in inputs ? 'an input' : 'an output'} is not a Keras tensor`;
      const what =
        argList && (positional.length || keywords.size)
          ? `a Functional model whose ${'failed' in inputs ? 'inputs' : 'outputs'} LayerLens could not follow${which}`
          : 'a model built without inputs and outputs (a subclass, or one built later)';
      this.notAnalysed(calleeNode, `\`${this.text(calleeNode)}(...)\` makes ${what}, so LayerLens shows no shapes or parameters for it.`);
      return this.unknownNode(node, 'it is a model LayerLens does not analyse');
    }
    const nameArg = keywords.get('name')?.value;
    const model: FunctionalGraph = {
      name: nameArg?.kind === 'string' ? nameArg.value : (kerasName ?? this.pendingName ?? scope.functionName ?? 'functional'),
      explicitName: nameArg?.kind === 'string' || kerasName !== undefined,
      inputs: inputs.nodes,
      outputs: outputs.nodes,
      from: this.abs(node.from),
      to: this.abs(node.to),
      notes: [],
      tensors: this.tensorBindings,
    };
    if (outputs.outputs.some((o) => o > 0)) model.outputIndices = outputs.outputs;
    this.functionals.push(model);
    return { kind: 'functional', model };
  }

  /** `VGG16(include_top=False, input_shape=(150, 150, 3))`: the architecture's own graph, built for these arguments. */
  private makeApplication(architecture: string, node: SyntaxNode, calleeNode: SyntaxNode, argList: SyntaxNode | null, scope: Scope): Value {
    const { positional, keywords, starArgs, starKwargs } = this.parseArgs(argList, scope);
    if (starArgs || starKwargs) return this.unknownNode(node, `its arguments to \`${architecture}\` come from *args or **kwargs`);
    const at = { from: this.abs(node.from), to: this.abs(node.to) };
    // A tensor given (`input_tensor=inputs`) is passed as the user's own node, with its shape, so that the
    // architecture's graph starts at it: `keras.Model(inputs, head(app.output))` is then connected, as in Keras.
    const given = new Map<GraphNode, Value>();
    const pass = (v: Value): Value => {
      const tensor = this.asNode(v);
      if (!tensor) return v;
      given.set(tensor, this.tensorShape(tensor, node, v.kind === 'symbolic' ? (v.output ?? 0) : 0));
      return v.kind === 'symbolic' ? v : { kind: 'symbolic', node: tensor };
    };
    const built = buildApplication(
      architecture,
      positional.map((p) => pass(p.value)),
      new Map([...keywords].map(([k, v]) => [k, pass(v.value)])),
      at,
      (program) => {
        const library = new Interpreter(program, true);
        for (const [tensor, shape] of given) library.knowShape(tensor, shape);
        return library;
      },
      this.program.reference,
    );
    if ('error' in built) {
      this.notes.push({ severity: 'error', code: 'keras-error', message: built.error, from: this.abs(calleeNode.from), to: this.abs(calleeNode.to) });
      return this.unknownNode(node, `Keras rejects these arguments to \`${architecture}\``);
    }
    if ('why' in built) return this.unknownNode(node, built.why);
    this.functionals.push(built.model);
    return { kind: 'functional', model: built.model };
  }

  /** `f"block{i}_conv"` with known values and no format spec or conversion (names of layers in loops). */
  private evalFormatString(node: SyntaxNode, scope: Scope): Value {
    const text = this.text(node);
    const prefix = /^[A-Za-z]*/.exec(text)?.[0] ?? '';
    const quote = text.startsWith(text[prefix.length].repeat(3), prefix.length) ? 3 : 1;
    if (/r/i.test(prefix)) return this.unknownNode(node, 'it is a formatted string');
    const literal = (from: number, to: number) => text.slice(from, to).replace(/\{\{/g, '{').replace(/\}\}/g, '}');
    let out = '';
    let at = prefix.length + quote;
    for (let c = node.firstChild; c; c = c.nextSibling) {
      if (c.name !== 'FormatReplacement') continue;
      const piece = literal(at, c.from - node.from);
      if (piece.includes('\\') || c.getChild('FormatSpec') || c.getChild('FormatConversion')) return this.unknownNode(node, 'it is a formatted string');
      const expr = c.firstChild?.nextSibling;
      const value = expr && expr.name !== '}' ? this.evalExpr(expr, scope) : null;
      if (!value || value.kind === 'unknown') return value ?? this.unknownNode(node, 'it is a formatted string');
      if (value.kind === 'string') out += piece + value.value;
      else if (value.kind === 'number' && value.isInt) out += piece + String(value.value);
      else return this.unknownNode(node, 'it is a formatted string');
      at = c.to - node.from;
    }
    const tail = literal(at, text.length - quote);
    if (tail.includes('\\')) return this.unknownNode(node, 'it is a formatted string');
    return { kind: 'string', value: out + tail };
  }

  private evalBinary(node: SyntaxNode, scope: Scope): Value {
    const l = node.firstChild;
    const r = node.lastChild;
    if (!l || !r || l.from === r.from) return this.unknownNode(node);
    // The operator: `+`, `<`, `and`, or the two words of `not in` / `is not`.
    const ops: string[] = [];
    for (let c = l.nextSibling; c && c.from < r.from; c = c.nextSibling) ops.push(this.text(c));
    const op = ops.join(' ');
    if (op === 'and' || op === 'or') return this.evalJunction(node, op, scope, (left) => this.evalExpr(left, scope));
    const a = this.evalExpr(l, scope);
    const b = this.evalExpr(r, scope);
    if (node.getChild('ArithOp')) return this.arith(op, a, b, node);
    if (a.kind === 'unknown') return a;
    if (b.kind === 'unknown') return b;
    const truth = compare(op, a, b);
    return truth === null ? this.unknownNode(node) : { kind: 'bool', value: truth };
  }

  /** `and` / `or` when that is the operator of a binary expression. */
  private junction(node: SyntaxNode): 'and' | 'or' | null {
    const op = node.firstChild?.nextSibling;
    const text = op ? this.text(op) : '';
    return text === 'and' || text === 'or' ? text : null;
  }

  /** `left and right`, `left or right` with Python's short circuit: the right side only when the left does not decide. */
  private evalJunction(node: SyntaxNode, op: 'and' | 'or', scope: Scope, evalLeft: (left: SyntaxNode) => Value): Value {
    const l = node.firstChild;
    const r = node.lastChild;
    if (!l || !r || l.from === r.from) return this.unknownNode(node);
    const left = evalLeft(l);
    const truth = truthOf(left);
    if (truth === null) return this.unknownNode(node);
    if ((op === 'and' && !truth) || (op === 'or' && truth)) return left;
    return this.evalExpr(r, scope);
  }

  /** `not x`, where `x` is the leftmost operand of a junction `not` was parsed over (see evalUnary). */
  private evalNot(operand: SyntaxNode, at: SyntaxNode, scope: Scope): Value {
    const junction = operand.name === 'BinaryExpression' ? this.junction(operand) : null;
    if (junction) return this.evalJunction(operand, junction, scope, (left) => this.evalNot(left, at, scope));
    const v = this.evalExpr(operand, scope);
    if (v.kind === 'unknown') return v;
    const truth = truthOf(v);
    return truth === null ? this.unknownNode(at) : { kind: 'bool', value: !truth };
  }

  private evalUnary(node: SyntaxNode, scope: Scope): Value {
    const op = node.firstChild;
    const operand = node.lastChild;
    if (!op || !operand || op.from === operand.from) return this.unknownNode(node);
    const t = this.text(op);
    // `not a and b` is `(not a) and b` in Python; lezer-python parses it as `not (a and b)`.
    const junction = t === 'not' && operand.name === 'BinaryExpression' ? this.junction(operand) : null;
    if (junction) return this.evalJunction(operand, junction, scope, (left) => this.evalNot(left, node, scope));
    const v = this.evalExpr(operand, scope);
    if (v.kind === 'unknown') return v;
    if (t === 'not') {
      const truth = truthOf(v);
      return truth === null ? this.unknownNode(node) : { kind: 'bool', value: !truth };
    }
    if (t === '-') {
      const operation = this.tensorOperation('Negative', [v], node);
      if (operation) return operation;
    }
    if (v.kind !== 'number') return this.unknownNode(node);
    if (t === '-') return { kind: 'number', value: -v.value, isInt: v.isInt };
    if (t === '+') return v;
    return this.unknownNode(node);
  }

  private arith(op: string, a: Value, b: Value, node: SyntaxNode): Value {
    if (op === '@') {
      const site = { from: this.abs(node.from), to: this.abs(node.to), calleeFrom: this.abs(node.from), calleeTo: this.abs(node.to) };
      const product = callOp(this.opHost, MATMUL, { positional: [{ value: a }, { value: b }], keywords: new Map(), starArgs: false, starKwargs: false }, site);
      if (product) return product;
    }
    const operation = OPERATIONS[op] ? this.tensorOperation(OPERATIONS[op], [a, b], node) : null;
    if (operation) return operation;
    if (a.kind === 'unknown') return a;
    if (b.kind === 'unknown') return b;
    const result = arith(op, a, b);
    return typeof result === 'string' ? this.unknownNode(node, result === 'it cannot be resolved statically' ? undefined : result) : result;
  }

  private evalMember(node: SyntaxNode, scope: Scope): Value {
    const objNode = node.firstChild;
    if (!objNode) return this.unknownNode(node);
    const open = objNode.nextSibling;
    if (open?.name === '[') return this.evalSubscript(node, objNode, scope);
    const prop = node.getChild('PropertyName');
    if (!prop) return this.unknownNode(node);
    const obj = this.evalExpr(objNode, scope);
    const name = this.text(prop);
    if (obj.kind === 'symbol') return { kind: 'symbol', path: canonicalPath(`${obj.path}.${name}`) };
    // `x.shape` of a Keras tensor: its static shape, batch included, as Keras gives it (`(None, 112, 112, 32)`).
    const tensor = name === 'shape' ? this.asNode(obj) : null;
    if (tensor) return this.tensorShape(tensor, node, obj.kind === 'symbolic' ? (obj.output ?? 0) : 0);
    // A Functional model's tensors (`base.output`, as code built on a pretrained base reads it).
    if (obj.kind === 'functional' && (name === 'output' || name === 'input'))
      return name === 'output' ? modelOutput(obj.model, 0) : { kind: 'symbolic', node: obj.model.inputs[0] };
    if (obj.kind === 'functional' && (name === 'outputs' || name === 'inputs'))
      return {
        kind: 'seq',
        items: name === 'outputs' ? obj.model.outputs.map((_n, i) => modelOutput(obj.model, i)) : obj.model.inputs.map((n) => ({ kind: 'symbolic', node: n })),
        tuple: false,
      };
    // `model.layers`: a new list of its layers so far, as Keras returns it (without its InputLayer, as Keras leaves it out).
    if (obj.kind === 'model' && name === 'layers')
      return {
        kind: 'seq',
        items: obj.model.layers.map((e) => e.value).filter((v, i) => !(i === 0 && v.kind === 'layer' && v.layer.type === 'InputLayer')),
        tuple: false,
      };
    // A Sequential model's tensors (`base.input`, `base.output`): its layers as a graph, from its Input.
    if (obj.kind === 'model' && MODEL_TENSORS.has(name)) return this.sequentialTensor(obj.model, name, node);
    if ((obj.kind === 'model' || obj.kind === 'functional') && name === 'get_layer') return { kind: 'bound', self: obj, method: name };
    if (obj.kind === 'functional' && name === 'layers') return this.functionalLayers(obj.model, node);
    if (obj.kind === 'model') return { kind: 'method', model: obj.model, method: name };
    if (obj.kind === 'seq' || obj.kind === 'dict') return { kind: 'bound', self: obj, method: name };
    if (obj.kind === 'unknown') {
      // `self.model` and other attribute targets are bound by their full text.
      const local = this.lookupAttribute(this.text(node), scope);
      if (local) return local;
    }
    // An attribute of an instance of the file's classes (`cfg.UNITS`, `self.UNITS`) or of such a class (`Cfg.UNITS`).
    const record = obj.kind === 'layer' || obj.kind === 'unknown' ? this.instances.get(obj.kind === 'layer' ? obj.layer : obj) : undefined;
    if (record) {
      const found = this.instanceAttribute(record, name, node, obj.kind === 'unknown');
      if (found) return found;
    }
    if (obj.kind === 'local' && obj.what === 'class') {
      const outside = this.setOutside(obj, name);
      if (outside !== null) return this.unknownNode(node, `it is set at line ${this.program.source.position(outside).line}, outside \`${obj.name}\``);
      const found = classAttribute(obj, name);
      if (found) return found;
    }
    if (obj.kind === 'layer') {
      // `layer.output` / `layer.input` of a layer called once on Keras tensors (`base.get_layer(name).output`).
      if (name === 'output' || name === 'input') return this.layerTensor(obj.layer, name, node);
      // `layer.name` of a layer given `name=` (keras.applications name every layer): `if layer.name == "block5_conv1":`.
      const given = name === 'name' ? obj.layer.args.get('name') : undefined;
      if (given?.kind === 'string') return given;
      if (name === 'vocabulary_size' && obj.layer.origin === 'keras' && VOCABULARY_LAYERS.has(obj.layer.type))
        return { kind: 'bound', self: obj, method: name };
    }
    return this.unknownNode(node);
  }

  /**
   * `obj.name` of an instance: what was set on it (`self.units = units`; set where LayerLens cannot decide whether it
   * runs: unknown), else its class's (with its bases'). A name one of the class's methods sets on `self` is unknown:
   * LayerLens does not follow methods called through an instance, so it cannot tell whether one ran. A method read
   * through an instance is not followed either.
   */
  private instanceAttribute(record: Instance, name: string, node: SyntaxNode, self: boolean): Value | undefined {
    // Set outside the class (`cfg.units = 9`, in a function or a statement the analysis may read lazily): unknown.
    const outside = this.setOutside(record.cls, name);
    if (outside !== null) return this.unknownNode(node, `it is set at line ${this.program.source.position(outside).line}, outside \`${record.cls.name}\``);
    const set = record.attributes.get(name);
    if (set) return set;
    const found = classAttribute(record.cls, name);
    if (!found) return undefined;
    const changing = this.methodSet.get(record.cls);
    if ((changing?.has(name) || changing?.has('*')) && !(found.kind === 'local' && found.what === 'function'))
      return this.unknownNode(node, `a method of \`${record.cls.name}\` sets it, and LayerLens does not follow methods called through an instance`);
    // A method called on `self` in the class's methods is bound to it: `self.build_generator()` runs with `self` (not
    // a decorated one: `@staticmethod`, `@property`). One called on an instance from outside is not followed.
    if (found.kind === 'local' && found.what === 'function')
      return self && found.definition && found.definition.node.parent?.name !== 'DecoratedStatement'
        ? { kind: 'partial', fn: found, positional: [record.self], keywords: new Map() }
        : this.unknownNode(node, 'it is a method, and LayerLens follows methods only where the class calls them on `self`');
    return found;
  }

  /** Where the file sets `.name` of something (`x.name = ...`, `x.name += ...`) outside the class and its bases; null if nowhere. */
  private setOutside(cls: LocalClass, name: string): number | null {
    const ranges: { from: number; to: number }[] = [];
    const collect = (c: LocalClass) => {
      const r = this.classRanges.get(c);
      if (r && !ranges.includes(r)) ranges.push(r);
      for (const b of c.bases ?? []) collect(b);
    };
    collect(cls);
    let sites = this.attributeSites.get(name);
    if (!sites) {
      // Each statement's sites are found once per its text (cached): a keystroke's group run asks again.
      sites = [];
      for (const chunk of this.program.chunks) {
        // A statement not read before is read only if it holds the name (or `setattr`): a cold analysis asks few names.
        const found = attributeSetsCache.get(chunk.text) ?? (chunk.text.includes(name) || chunk.text.includes('setattr') ? attributeSetsIn(chunk.text) : null);
        if (!found) continue;
        for (const at of found.names.get(name) ?? []) sites.push(chunkToSource(chunk, at));
        for (const at of found.setattr) sites.push(chunkToSource(chunk, at));
      }
      this.attributeSites.set(name, sites);
    }
    return sites.find((at) => !ranges.some((r) => at >= r.from && at < r.to)) ?? null;
  }

  /** Per attribute name, where the file's text sets it (see setOutside). */
  private readonly attributeSites = new Map<string, number[]>();

  /** Where each class of the file is written (its `class` statement). */
  private readonly classRanges = new WeakMap<LocalClass, { from: number; to: number }>();

  /**
   * A Functional model's `layers`, in Keras 3's order (as its summary lists them: the Inputs first), without the
   * operations on tensors (`x + y`), which Keras does not list: `for layer in base_model.layers[:100]: layer.trainable
   * = False`. Unknown where the graph holds a call LayerLens does not evaluate (Keras 2 lists those as layers).
   */
  private functionalLayers(model: FunctionalBuilder, node: SyntaxNode): Value {
    const order = kerasOrder(model);
    if (order.some((l) => 'type' in l && l.unknownCall))
      return this.unknownNode(node, 'the model holds a call LayerLens does not evaluate, which Keras 2 lists as a layer and Keras 3 does not');
    const items: Value[] = [];
    for (const layer of order)
      if (!('type' in layer)) items.push('layers' in layer ? { kind: 'model', model: layer } : { kind: 'functional', model: layer });
      else if (!layer.operation) items.push({ kind: 'layer', layer });
    return { kind: 'seq', items, tuple: false };
  }

  /** `obj.name = value` where `obj` is an instance of the file's classes or such a class: noted on it, for later reads. */
  private setAttribute(target: SyntaxNode, value: Value, scope: Scope): void {
    const ownerNode = target.firstChild;
    const prop = target.lastChild;
    if (ownerNode?.name !== 'VariableName' || prop?.name !== 'PropertyName') return;
    const owner = this.lookup(this.text(ownerNode), scope, this.abs(ownerNode.from), ownerNode);
    const record = owner.kind === 'layer' || owner.kind === 'unknown' ? this.instances.get(owner.kind === 'layer' ? owner.layer : owner) : undefined;
    const attributes = record ? record.attributes : owner.kind === 'local' && owner.what === 'class' ? (owner.attributes ??= new Map()) : null;
    if (!attributes) return;
    const name = this.text(prop);
    // Set under control flow LayerLens cannot decide (deeper than where the instance was made): on some paths only.
    const undecided = this.conditional.slice(record ? record.depth : 0);
    if (undecided.length) {
      const { keyword, why } = undecided[undecided.length - 1];
      attributes.set(name, this.unknownNode(target, `it is set under \`${keyword}\`${why ? ` (${why})` : ''}, so its value depends on how the code runs`));
    } else attributes.set(name, value);
  }

  /** `layer.output` / `layer.input` of a layer called once on Keras tensors (Keras refuses them for a layer called several times). */
  private layerTensor(layer: LayerCall, name: 'output' | 'input', node: SyntaxNode): Value {
    const nodes = this.layerNodes.get(layer) ?? [];
    if (nodes.length !== 1)
      return this.unknownNode(
        node,
        nodes.length ? `the layer is called ${nodes.length} times, so it has several ${name}s` : 'the layer is not called on a Keras tensor LayerLens followed',
      );
    const [made] = nodes;
    if (name === 'output' || made.inputs.length === 0) return { kind: 'symbolic', node: made };
    if (made.inputs.length - (made.keywordInputs ?? 0) !== 1) return this.unknownNode(node, 'the layer is called on several tensors');
    const output = made.inputOutputs?.[0];
    return output ? { kind: 'symbolic', node: made.inputs[0], output } : { kind: 'symbolic', node: made.inputs[0] };
  }

  /**
   * A Sequential model's `input`, `output`, `inputs` or `outputs`: its layers called in turn from its Input, as
   * Keras builds a Sequential model with an input (`keras.Input(...)` first, or `input_shape=` on its first layer, or
   * `model.build(...)`). Made once for the layers it has, so that a model built on it (`keras.Model(base.input,
   * head(base.output))`) has the base's layers as its own rows, as Keras shows them.
   */
  private sequentialTensor(model: ModelBuilder, name: string, node: SyntaxNode): Value {
    const graph = this.sequentialGraph(model, node);
    if (!('input' in graph)) return graph;
    const tensor: Value = { kind: 'symbolic', node: name.startsWith('input') ? graph.input : graph.output };
    return name.endsWith('s') ? { kind: 'seq', items: [tensor], tuple: false } : tensor;
  }

  private sequentialGraph(model: ModelBuilder, node: SyntaxNode): { input: GraphNode; output: GraphNode } | Value {
    const cached = this.sequentialGraphs.get(model);
    if (cached && cached.count === model.layers.length) return cached;
    const entries = model.layers;
    const unsure = entries.find((e) => e.conditional);
    if (unsure)
      return this.unknownNode(node, `a layer of \`${model.name}\` is added under \`${unsure.conditionalKeyword ?? 'if'}\`, so its graph is not known`);
    const first = entries[0]?.value;
    let input: GraphNode | null = first ? this.asNode(first) : null;
    let rest = input ? entries.slice(1) : entries;
    if (!input) {
      const declared = this.sequentialInput(model, first);
      if (!declared) return this.unknownNode(node, `\`${model.name}\` has no input yet: Keras builds a Sequential model without an Input at its first call`);
      input = this.newNode(declared, [], declared.from, declared.to);
      rest = entries;
    }
    let output = input;
    for (const entry of rest) {
      const v = entry.value;
      if (v.kind === 'layer' && v.layer.type !== 'InputLayer') output = this.newNode(v.layer, [output], entry.from, entry.to);
      else if (v.kind === 'model' || v.kind === 'functional') output = this.newNode(v.model, [output], entry.from, entry.to);
      else return this.unknownNode(node, `\`${model.name}\` has a layer LayerLens cannot follow as a graph`);
    }
    const graph = { count: entries.length, input, output };
    this.sequentialGraphs.set(model, graph);
    return graph;
  }

  /** The InputLayer Keras makes for a Sequential model whose first layer declares its input (`input_shape=`), or that `build()` built. */
  private sequentialInput(model: ModelBuilder, first: Value | undefined): LayerCall | null {
    const shape = (v: Value | undefined, batch: boolean): Value | null =>
      v && v.kind === 'seq' ? v : v && v.kind === 'number' && !batch ? { kind: 'seq', items: [v], tuple: true } : null;
    const args = new Map<string, Value>();
    const layer = first?.kind === 'layer' ? first.layer : null;
    const built = model.build ? shape(model.build.value, true) : null;
    const given = layer ? (shape(layer.args.get('input_shape'), false) ?? shape(layer.args.get('input_dim'), false)) : null;
    const batchGiven = layer ? shape(layer.args.get('batch_input_shape'), true) : null;
    if (batchGiven || built) args.set('batch_shape', (batchGiven ?? built) as Value);
    else if (given) args.set('shape', given);
    else return null;
    const at = layer ?? model;
    return {
      type: 'InputLayer',
      origin: 'keras',
      args,
      extraPositional: 0,
      hasStarKwargs: false,
      from: at.from,
      to: at.to,
      calleeFrom: at.from,
      calleeTo: at.to,
    };
  }

  private lookupAttribute(text: string, scope: Scope): Value | undefined {
    for (let s: Scope | null = scope; s; s = s.parent) {
      const b = s.vars.get(text);
      if (b) return b.value;
    }
    return undefined;
  }

  private evalSubscript(node: SyntaxNode, objNode: SyntaxNode, scope: Scope): Value {
    const obj = this.evalExpr(objNode, scope);
    const sliced = this.sliceTensor(obj, node, objNode, scope);
    if (sliced) return sliced;
    const inside: SyntaxNode[] = [];
    let colon = false;
    for (let c = objNode.nextSibling?.nextSibling ?? null; c && c.name !== ']'; c = c.nextSibling) {
      if (c.name === ':') colon = true;
      else inside.push(c);
    }
    if (obj.kind === 'dict' && !colon && inside.length === 1) {
      const key = this.evalExpr(inside[0], scope);
      if (key.kind !== 'string') return this.unknownNode(node);
      return obj.entries.get(key.value) ?? this.unknownNode(node, `the dict has no key '${key.value}'`);
    }
    // A string indexes and slices as the sequence of its characters (`"abcdefg"[j]`); a layer's several outputs
    // as their list (`states = LSTM(8, return_state=True)(x)[1:]`).
    const str = obj.kind === 'string' ? obj : null;
    const several = obj.kind === 'symbolic' && obj.output === undefined ? this.severalOutputs(obj.node) : null;
    const seq: Value = str ? { kind: 'seq', items: [...str.value].map((c) => ({ kind: 'string', value: c })), tuple: true } : (several ?? obj);
    if (seq.kind !== 'seq') return this.unknownNode(node);
    if (!colon && inside.length === 1) {
      const i = this.evalExpr(inside[0], scope);
      if (i.kind !== 'number' || !i.isInt) return this.unknownNode(node);
      // Of a list whose length is unknown, only its certain items, counted from the start.
      if (seq.unknownLength && (i.value < 0 || i.value >= seq.unknownLength.known)) return this.unknownNode(node, unknownLengthWhy(seq.unknownLength));
      const idx = i.value < 0 ? seq.items.length + i.value : i.value;
      return seq.items[idx] ?? this.unknownNode(node, 'the index is out of range');
    }
    if (colon && inside.length <= 2) {
      // Only simple `a[i:]`, `a[:j]`, `a[i:j]` slices.
      const bounds = this.sliceBounds(objNode, scope);
      if (!bounds) return this.unknownNode(node);
      // Of a list whose length is unknown, only a slice of its certain items (`names[:2]`, counted from the start).
      const [lo, hi] = bounds;
      if (seq.unknownLength && !((lo === null || lo >= 0) && hi !== null && hi >= 0 && hi <= seq.unknownLength.known))
        return this.unknownNode(node, unknownLengthWhy(seq.unknownLength));
      const n = seq.items.length;
      const norm = (v: number | null, d: number) => (v === null ? d : v < 0 ? Math.max(0, n + v) : Math.min(n, v));
      const items = seq.items.slice(norm(bounds[0], 0), norm(bounds[1], n));
      if (str) return { kind: 'string', value: items.map((c) => (c as { value: string }).value).join('') };
      return { kind: 'seq', items, tuple: seq.tuple };
    }
    return this.unknownNode(node);
  }

  /**
   * `x[:, -1, :]`, `x[..., 0]`, `x[:, None]` on a Keras tensor of one output: Keras 3's GetItem (tensorOps.ts), each
   * item of the key evaluated (an index, a slice's bounds, `...`, `None`). Null where `obj` is no such tensor: a
   * layer's several outputs, or the result of a call LayerLens does not know (it may be a list).
   */
  private sliceTensor(obj: Value, node: SyntaxNode, objNode: SyntaxNode, scope: Scope): Value | null {
    const tensor = this.asNode(obj);
    if (!tensor || (obj.kind === 'symbolic' && obj.output === undefined && this.severalOutputs(tensor))) return null;
    const layer = tensor.layer;
    if (!('type' in layer) || (layer.origin !== 'keras' && layer.type !== 'InputLayer') || (layer.unknownCall && !layer.unknownCall.keepsShape)) return null;
    const groups: SyntaxNode[][] = [[]];
    for (let c = objNode.nextSibling?.nextSibling ?? null; c && c.name !== ']'; c = c.nextSibling)
      if (c.name === ',') groups.push([]);
      else groups[groups.length - 1].push(c);
    if (groups.length > 1 && !groups[groups.length - 1].length) groups.pop(); // `x[0,]`
    const key = groups.map((g): Value => {
      if (g.length === 1 && g[0].name === 'Ellipsis') return ELLIPSIS;
      if (!g.some((c) => c.name === ':')) return g.length === 1 ? this.evalExpr(g[0], scope) : this.unknownNode(node);
      const bounds: Value[] = [NONE, NONE, NONE];
      let side = 0;
      for (const c of g)
        if (c.name === ':') side++;
        else if (side < 3) bounds[side] = this.evalExpr(c, scope);
      return sliceItem(bounds[0], bounds[1], bounds[2]);
    });
    const site = { from: this.abs(node.from), to: this.abs(node.to), calleeFrom: this.abs(node.from), calleeTo: this.abs(node.to) };
    return getItemOp(this.opHost, obj, key, site);
  }

  /** What tensorOps needs of the interpreter: its Keras tensors, and making a node. */
  private readonly opHost: OpHost = {
    asNode: (v) => this.asNode(v),
    node: (call, inputs, called) => {
      const node = this.newNode(call, inputs, call.from, call.to);
      if (called) node.called = called;
      return { kind: 'symbolic', node };
    },
  };

  /**
   * `layers.Lambda(lambda t: t[:, -1, :])`, `Lambda(fn)` with `def fn(x): ...`: the function run once on a
   * placeholder tensor, so that the layer's output follows its input through the operations it applies (propagate
   * runs them for each input); where the function does something else (calls a layer, uses another tensor, returns
   * no tensor), why, for the layer's warning.
   */
  private traceLambda(layer: LayerCall, argList: SyntaxNode | null, scope: Scope): void {
    let fnNode: SyntaxNode | null = null;
    for (let c = argList?.firstChild ?? null; c && !fnNode; c = c.nextSibling)
      if (c.name === 'VariableName' && c.nextSibling?.name === 'AssignOp') {
        if (this.text(c) === 'function') fnNode = c.nextSibling.nextSibling;
        c = c.nextSibling.nextSibling ?? c;
      } else if (c.name !== '(' && c.name !== ',' && c.name !== ')' && !c.type.isError) fnNode = c;
    if (!fnNode || fnNode.name === '*' || fnNode.name === '**') return;
    const [from, to] = [this.abs(fnNode.from), this.abs(fnNode.to)];
    const fail = (why: string): void => void (layer.traced = { why, from, to });
    const placeholder = this.newNode(operationCall('LambdaInput', 'keras', from, to), [], from, to);
    const input: Value = { kind: 'symbolic', node: placeholder };
    let out: Value;
    if (this.callDepth >= MAX_CALL_DEPTH) return fail(`its calls go deeper than LayerLens follows (${MAX_CALL_DEPTH} calls)`);
    if (fnNode.name === 'LambdaExpression') {
      const body = fnNode.lastChild;
      if (!body || body.name === ':' || body.type.isError) return fail('its body cannot be read');
      const fnScope = new Scope(scope, 'lambda');
      this.parameters(fnNode).forEach((p, i) =>
        this.bind(
          fnScope,
          p.name,
          i === 0 ? input : p.defaultNode ? this.evalExpr(p.defaultNode, scope) : this.unknownNode(p.node, 'it is a parameter of a lambda without a default'),
          this.abs(p.node.from),
        ),
      );
      this.callDepth++;
      try {
        out = this.evalExpr(body, fnScope);
      } finally {
        this.callDepth--;
      }
    } else {
      const fn = this.evalExpr(fnNode, scope);
      if (fn.kind !== 'local' || fn.what !== 'function' || !fn.definition) return fail('it is not a function of this file or a lambda');
      out = this.runFunction(fn, [input], new Map(), null);
    }
    const result = this.asNode(out);
    if (!result) return fail(out.kind === 'unknown' ? cannotResolve(out) : 'it does not return one Keras tensor');
    // Only operations between the placeholder and the result: a layer called inside a Lambda, or a tensor it takes
    // from outside, is not what Keras' Lambda row shows.
    const seen = new Set<GraphNode>();
    for (const stack = [result]; stack.length;) {
      const n = stack.pop() as GraphNode;
      if (n === placeholder || seen.has(n)) continue;
      seen.add(n);
      if (!('type' in n.layer) || !n.layer.operation || !n.inputs.length)
        return fail(n.inputs.length ? 'it calls a layer or a model' : 'it uses a tensor other than its input');
      stack.push(...n.inputs);
    }
    layer.traced = { input: placeholder, output: result, index: out.kind === 'symbolic' ? (out.output ?? 0) : 0 };
  }

  /** Tensors a custom layer's code makes without inputs (its placeholders, weights, `tf.range`, noise), with their shapes. */
  private readonly constants = new Map<GraphNode, (number | null)[]>();
  /** Every undecided branch or loop, in order: a custom layer's `call()` that takes one is not followed. */
  private readonly uncertainLog: { keyword: string; why?: string }[] = [];
  /** The custom layers whose `build` / `call` run now (innermost last). */
  private readonly tracing: Instance[] = [];
  /** Each custom layer's traces, by its inputs' shapes and how it is called. */
  private readonly customTraces = new WeakMap<LayerCall, Map<string, CustomTrace | null>>();

  /**
   * `Sampling()([z_mean, z_log_var])`, `TransformerBlock(...)(x)`: the custom layer's `build` (once, with the input's
   * shape, as Keras runs it at the first call) and `call` run on placeholders of these shapes, so that its row has
   * the shape `call` returns and the weights its sublayers, `add_weight` and `tf.Variable` make (issue 21 §4).
   */
  private traceCustom(layer: LayerCall, record: Instance, shapes: (number | null)[][], form: 'one' | 'list' | 'tuple' | 'arguments'): CustomTrace | null {
    const key = `${form}:${JSON.stringify(shapes.map((s) => s.map((d) => (d !== null && Number.isNaN(d) ? 'nan' : d))))}`;
    let cache = this.customTraces.get(layer);
    if (!cache) this.customTraces.set(layer, (cache = new Map()));
    if (cache.has(key)) return cache.get(key) ?? null;
    cache.set(key, null);
    const trace = this.runCustomTrace(layer, record, shapes, form);
    cache.set(key, trace);
    return trace;
  }

  private runCustomTrace(layer: LayerCall, record: Instance, shapes: (number | null)[][], form: 'one' | 'list' | 'tuple' | 'arguments'): CustomTrace {
    const cls = record.cls;
    const [from, to] = [layer.calleeFrom, layer.calleeTo];
    const shapeValue: Value =
      form === 'one' || form === 'arguments' ? shapeAsValue(shapes[0]) : { kind: 'seq', items: shapes.map(shapeAsValue), tuple: form === 'tuple' };
    const fail = (why: string): CustomTrace => {
      const declared = this.declaredShape(record, shapeValue);
      return { why, from, to, ...(declared ? { declared } : {}) };
    };
    const callFn = classAttribute(cls, 'call');
    if (callFn?.kind !== 'local' || !callFn.definition) return fail('its `call` is not a method LayerLens can read');
    if (this.callDepth >= MAX_CALL_DEPTH) return fail(`its calls go deeper than LayerLens follows (${MAX_CALL_DEPTH} calls)`);
    const mark = this.uncertainLog.length;
    const placeholders = shapes.map((shape) => {
      const n = this.newNode(operationCall('CustomInput', 'keras', from, to), [], from, to);
      this.constants.set(n, shape);
      return n;
    });
    const tensors: Value[] = placeholders.map((node) => ({ kind: 'symbolic', node }));
    const args: Value[] = form === 'one' ? tensors.slice(0, 1) : form === 'arguments' ? tensors : [{ kind: 'seq', items: tensors, tuple: form === 'tuple' }];
    let out: Value;
    this.tracing.push(record);
    try {
      const build = classAttribute(cls, 'build');
      if (!record.built && build?.kind === 'local' && build.definition) {
        record.built = true;
        build.definition.calls++;
        this.runFunction(build, [record.self, shapeValue], new Map(), null);
      }
      callFn.definition.calls++;
      out = this.runFunction(callFn, [record.self, ...args], new Map(), null);
    } finally {
      this.tracing.pop();
    }
    const branch = this.uncertainLog[mark];
    if (branch)
      return fail(
        `it takes \`${branch.keyword}\` on something LayerLens cannot decide${branch.why ? ` (${branch.why})` : ''}, so its output depends on how it runs`,
      );
    if (out.kind === 'seq' && out.items.length > 1 && out.items.every((i) => this.asNode(i))) return fail('its `call` returns several tensors');
    const result = this.asNode(out);
    if (!result) return fail(out.kind === 'unknown' ? cannotResolve(out) : 'its `call` does not return a Keras tensor');
    const given = new Map<GraphNode, (number | null)[]>();
    const seen = new Set<GraphNode>();
    for (const stack = [result]; stack.length;) {
      const n = stack.pop() as GraphNode;
      if (seen.has(n)) continue;
      seen.add(n);
      if (n.inputs.length === 0) {
        const shape = this.constants.get(n);
        if (!shape) return fail('its `call` uses a Keras tensor other than its inputs');
        given.set(n, shape);
      }
      stack.push(...n.inputs);
    }
    const weights = (record.weights ?? []).map((w) => {
      const dims = dimsOf(w.shape);
      const t = w.trainable;
      return {
        params: dims ? dims.reduce<number>((a, d) => a * (d ?? NaN), 1) : NaN,
        trainable: t === undefined || t.kind === 'none' ? true : t.kind === 'bool' ? t.value : t.kind === 'number' ? t.value !== 0 : null,
      };
    });
    return { inputs: placeholders, output: result, index: out.kind === 'symbolic' ? (out.output ?? 0) : 0, given, weights };
  }

  /** `compute_output_shape(self, input_shape)` of a custom layer, where it returns a shape LayerLens knows in full. */
  private declaredShape(record: Instance, shapeValue: Value): (number | null)[] | null {
    const fn = classAttribute(record.cls, 'compute_output_shape');
    if (fn?.kind !== 'local' || !fn.definition || this.callDepth >= MAX_CALL_DEPTH) return null;
    const mark = this.uncertainLog.length;
    fn.definition.calls++;
    const out = this.runFunction(fn, [record.self, shapeValue], new Map(), null);
    const dims = out.kind === 'seq' ? dimsOf(out) : null;
    return this.uncertainLog.length === mark && dims && !dims.some((d) => d !== null && Number.isNaN(d)) ? dims : null;
  }

  /** A tensor a custom layer's code makes without inputs (a weight, `tf.range(10)`, noise of a known shape). */
  private constantNode(dims: (number | null)[], node: SyntaxNode): Value {
    const [from, to] = [this.abs(node.from), this.abs(node.to)];
    const made = this.newNode(operationCall('Constant', 'keras', from, to), [], from, to);
    this.constants.set(made, dims);
    return { kind: 'symbolic', node: made };
  }

  /** `self.add_weight(shape=(input_shape[-1], self.units), trainable=True)` in a custom layer: a weight of the instance. */
  private addWeight(node: SyntaxNode, calleeNode: SyntaxNode, argList: SyntaxNode | null, scope: Scope): Value | null {
    if (calleeNode.name !== 'MemberExpression') return null;
    // Asked of every call: the node's last child is its property, without getChild's array.
    const prop = calleeNode.lastChild;
    const objNode = calleeNode.firstChild;
    if (prop?.name !== 'PropertyName' || !objNode || objNode.name !== 'VariableName' || !WEIGHT_METHODS.has(this.text(prop))) return null;
    const owner = this.evalExpr(objNode, scope);
    const record = owner.kind === 'unknown' || owner.kind === 'layer' ? this.instances.get(owner.kind === 'layer' ? owner.layer : owner) : undefined;
    if (!record?.cls.customLayer) return null;
    const { positional, keywords } = this.parseArgs(argList, scope);
    // Keras 2's `add_weight(name, shape, ...)`, Keras 3's `add_weight(shape, initializer, ...)`; no shape: a scalar.
    const first = positional[0]?.value;
    const shape: Value = keywords.get('shape')?.value ?? (first?.kind === 'string' ? positional[1]?.value : first) ?? { kind: 'seq', items: [], tuple: true };
    (record.weights ??= []).push({ shape, trainable: keywords.get('trainable')?.value });
    const dims = dimsOf(shape);
    return dims ? this.constantNode(dims, node) : this.unknownNode(node, 'it is a weight whose shape LayerLens cannot work out');
  }

  /**
   * Calls a custom layer's code makes: `tf.Variable(...)` (a weight of the layer being made or built), and, inside
   * its `build` / `call`, `tf.shape(x)` / `ops.shape(x)` (the static shape), noise and constants of a known shape
   * (`tf.random.normal(shape=...)`, `keras.random.normal`, `tf.zeros`), and `tf.range` / `ops.arange`.
   */
  private customLayerCall(path: string, args: ParsedArgs, node: SyntaxNode, scope: Scope): Value | null {
    const arg = (name: string, i: number) => args.keywords.get(name) ?? args.positional[i];
    if (VARIABLE.test(path)) {
      const owner = this.tracing[this.tracing.length - 1] ?? this.constructing[this.constructing.length - 1];
      if (!owner?.cls.customLayer) return null;
      const init = arg('initial_value', 0);
      const tensor = init ? this.asNode(init.value) : null;
      let shape: Value | undefined =
        tensor && this.constants.has(tensor)
          ? shapeAsValue(this.constants.get(tensor) as (number | null)[])
          : init?.value.kind === 'tensor'
            ? init.value.shape
            : undefined;
      // `tf.Variable(initial_value=w_init(shape=(input_dim, units)))`: the shape its initializer is called with.
      let initNode: SyntaxNode | null | undefined = init?.node;
      while (initNode?.name === 'ParenthesizedExpression') initNode = initNode.firstChild?.nextSibling;
      if (!shape && initNode?.name === 'CallExpression')
        for (let c = initNode.getChild('ArgList')?.firstChild ?? null; c; c = c.nextSibling)
          if (c.name === 'VariableName' && this.text(c) === 'shape' && c.nextSibling?.name === 'AssignOp' && c.nextSibling.nextSibling)
            shape = this.evalExpr(c.nextSibling.nextSibling, scope);
      shape ??= this.unknownNode(init?.node ?? node, "it is a variable's initial value whose shape LayerLens cannot work out");
      (owner.weights ??= []).push({ shape, trainable: args.keywords.get('trainable')?.value });
      const dims = dimsOf(shape);
      return dims ? this.constantNode(dims, node) : this.unknownNode(node, 'it is a variable whose shape LayerLens cannot work out');
    }
    if (!this.tracing.length) return null;
    if (STATIC_SHAPE.test(path)) {
      const x = arg('x', 0)?.value;
      const tensor = x ? this.asNode(x) : null;
      return tensor ? this.tensorShape(tensor, node, x?.kind === 'symbolic' ? (x.output ?? 0) : 0) : null;
    }
    if (CONSTANT_MAKER.test(path)) {
      const dims = dimsOf(arg('shape', 0)?.value);
      return dims ? this.constantNode(dims, node) : null;
    }
    if (RANGE.test(path)) {
      const tf = path.startsWith('tensorflow');
      const [startArg, limitArg, deltaArg] = [arg('start', 0), arg(tf ? 'limit' : 'stop', 1), arg(tf ? 'delta' : 'step', 2)];
      const num = (v: Value | undefined, fallback: number) => (v === undefined ? fallback : v.kind === 'number' ? v.value : NaN);
      let [start, limit] = [num(startArg?.value, 0), num(limitArg?.value, NaN)];
      if (!limitArg || limitArg.value.kind === 'none') [start, limit] = [0, start];
      const delta = num(deltaArg?.value, 1);
      const n = Number.isNaN(start + limit + delta) || delta === 0 ? NaN : Math.max(0, Math.ceil((limit - start) / delta));
      return this.constantNode([n], node);
    }
    return null;
  }

  private sliceBounds(objNode: SyntaxNode, scope: Scope): [number | null, number | null] | null {
    const bounds: [number | null, number | null] = [null, null];
    let side = 0;
    for (let c = objNode.nextSibling?.nextSibling ?? null; c && c.name !== ']'; c = c.nextSibling) {
      if (c.name === ':') {
        side++;
        if (side > 1) return null;
        continue;
      }
      const v = this.evalExpr(c, scope);
      if (v.kind !== 'number' || !v.isInt) return null;
      bounds[side] = v.value;
    }
    return bounds;
  }

  // ---- calls -----------------------------------------------------------------------------------

  private parseArgs(argList: SyntaxNode | null, scope: Scope): ParsedArgs {
    const positional: { value: Value; node: SyntaxNode }[] = [];
    const keywords = new Map<string, { value: Value; node: SyntaxNode }>();
    let starArgs = false;
    let starKwargs = false;
    if (argList) {
      for (let c = argList.firstChild; c; c = c.nextSibling) {
        if (c.name === '(' || c.name === ')' || c.name === ',') continue;
        if (c.name === '*' || c.name === '**') {
          const star = c.name;
          c = c.nextSibling;
          if (!c) break;
          const spread = this.evalExpr(c, scope);
          // `*args` of a known sequence and `**kwargs` of a known dict are arguments like any other.
          const items = star === '*' ? iterate(spread) : null;
          if (items) for (const value of items) positional.push({ value, node: c });
          else if (star === '**' && spread.kind === 'dict') for (const [k, value] of spread.entries) keywords.set(k, { value, node: c });
          else if (star === '*') starArgs = true;
          else starKwargs = true;
          continue;
        }
        if (c.name === 'VariableName' && c.nextSibling?.name === 'AssignOp') {
          const key = this.text(c);
          const valueNode = c.nextSibling.nextSibling;
          c = c.nextSibling;
          if (!valueNode || valueNode.name === ',' || valueNode.name === ')') {
            keywords.set(key, { value: this.unknownNode(c, 'the argument has no value yet'), node: c });
            continue;
          }
          keywords.set(key, { value: this.evalExpr(valueNode, scope), node: valueNode });
          c = valueNode;
          continue;
        }
        if (c.type.isError) continue;
        positional.push({ value: this.evalExpr(c, scope), node: c });
      }
    }
    return { positional, keywords, starArgs, starKwargs };
  }

  private evalCall(node: SyntaxNode, scope: Scope): Value {
    const calleeNode = node.firstChild;
    if (!calleeNode) return this.unknownNode(node);
    // A call's argument list is its last child (getChild would allocate an array and a cursor, on every call).
    const last = node.lastChild;
    const argList = last?.name === 'ArgList' ? last : null;
    if (this.constructing.length && isSuperInit(calleeNode, (n) => this.text(n))) {
      const done = this.superInit(node, calleeNode, argList, scope);
      if (done) return done;
    }
    const weight = this.addWeight(node, calleeNode, argList, scope);
    if (weight) return weight;
    const callee = this.evalExpr(calleeNode, scope);
    if (callee.kind === 'method') return this.callModelMethod(callee.model, callee.method, node, argList, scope);
    if (callee.kind === 'bound' && (callee.self.kind === 'layer' || callee.self.kind === 'model' || callee.self.kind === 'functional'))
      return this.objectMethod(callee.self, callee.method, node, argList, scope);
    if (callee.kind === 'bound') {
      if (LIST_MUTATORS.has(callee.method)) this.noteListChange(callee.self);
      const result = callMethod(
        callee.self,
        callee.method,
        this.parseArgs(argList, scope).positional.map((p) => p.value),
      );
      return typeof result === 'string' ? this.unknownNode(node, result) : result;
    }
    if (callee.kind === 'symbol') {
      if (callee.path.startsWith('builtins.')) {
        const { positional, keywords } = this.parseArgs(argList, scope);
        const result = builtin(
          callee.path.slice(9),
          positional.map((p) => p.value),
          new Map([...keywords].map(([k, v]) => [k, v.value])),
        );
        return typeof result === 'string' ? this.unknownNode(node, result) : result;
      }
      const sym = classifySymbol(callee.path);
      switch (sym.kind) {
        case 'sequential':
          return this.makeModel(node, argList, scope);
        case 'input':
          return this.makeLayer('InputLayer', 'keras', node, calleeNode, argList, scope, sym.type === 'Input' ? INPUT_SIGNATURE : INPUT_LAYER_SIGNATURE);
        case 'layer':
          return this.makeLayer(sym.type, 'keras', node, calleeNode, argList, scope, undefined, callee.path);
        case 'opaque-layer': {
          const made = this.makeLayer(sym.type, 'unknown', node, calleeNode, argList, scope);
          if (sym.type === 'Lambda' && made.kind === 'layer') this.traceLambda(made.layer, argList, scope);
          return made;
        }
        case 'unknown-layer':
          return this.makeLayer(sym.type, 'keras-unknown', node, calleeNode, argList, scope);
        case 'functional':
          return this.makeFunctional(node, calleeNode, argList, scope);
        case 'application':
          return this.makeApplication(sym.name, node, calleeNode, argList, scope);
        case 'merge-function': {
          // `layers.concatenate([x, y], axis=1)`: the layer, called at once on the list.
          // The arguments are evaluated once: the list of tensors first, then the layer's own arguments.
          const { positional, keywords } = this.parseArgs(argList, scope);
          const layer = this.makeLayer(sym.type, 'keras', node, calleeNode, null, scope);
          if (layer.kind !== 'layer') return layer;
          const signature = ruleFor(sym.type)?.signature ?? [];
          positional.slice(1).forEach((p, i) => signature[i] && layer.layer.args.set(signature[i], p.value));
          for (const [k, v] of keywords) if (k !== 'inputs') layer.layer.args.set(k, v.value);
          return this.callLayerOnTensors(layer.layer, positional[0]?.value, node);
        }
        case 'unanalysed-model':
          this.notAnalysed(calleeNode, `${sym.what}, so LayerLens shows no shapes or parameters for it.`);
          this.evalArgsForModels(argList, scope);
          return this.unknownNode(node, 'it is a model LayerLens does not analyse');
        default: {
          const args = this.argumentsOfUnevaluated(argList, scope);
          const { positional, keywords } = args;
          const opsFunction = /^keras\.ops(?:\.numpy)?\.(\w+)$/.exec(callee.path);
          if (opsFunction && OPS_FUNCTIONS[opsFunction[1]]) {
            const operation = this.tensorOperation(
              OPS_FUNCTIONS[opsFunction[1]],
              positional.map((p) => p.value),
              node,
            );
            if (operation) return operation;
          }
          const made = this.customLayerCall(callee.path, args, node, scope);
          if (made) return made;
          // `tf.expand_dims(x, -1)`, `ops.mean(x, axis=1)`, `preprocess_input(inputs)`: operations LayerLens evaluates (tensorOps.ts).
          const site = { from: this.abs(node.from), to: this.abs(node.to), calleeFrom: this.abs(calleeNode.from), calleeTo: this.abs(calleeNode.to) };
          const op = tensorOpFor(callee.path, this.text(calleeNode).replace(/\s+/g, ''));
          const evaluated = op ? callOp(this.opHost, op, args, site) : preprocessInput(this.opHost, callee.path, args, site);
          if (evaluated) return evaluated;
          if (callee.path === 'keras.backend.epsilon') return { kind: 'number', value: 1e-7, isInt: false };
          if (callee.path === HYPERPARAMETERS) return callee;
          if (callee.path === 'functools.partial') return this.makePartial(node, args);
          // `np.prod(shape)`, `math.prod(x.shape[1:])`: on values LayerLens knows (a Keras tensor is left to unevaluatedCall).
          if (!args.positional.some((p) => this.tensorsIn(p.value).length)) {
            const computed = libraryCall(
              callee.path,
              positional.map((p) => p.value),
              new Map([...keywords].map(([k, v]) => [k, v.value])),
            );
            if (computed !== null) return typeof computed === 'string' ? this.unknownNode(node, computed) : computed;
          }
          const hyper = HYPERPARAMETER_METHOD.exec(callee.path);
          if (hyper) return this.hyperParameter(hyper[1], node, this.parseArgs(argList, scope));
          const maker = TENSOR_MAKER.exec(callee.path);
          if (maker) {
            const sides = maker[1] === 'rand' || maker[1] === 'randn';
            const shape = sides
              ? { kind: 'seq' as const, items: positional.map((p) => p.value), tuple: true }
              : (keywords.get('shape') ?? keywords.get('size') ?? positional[0])?.value;
            if (shape && shape.kind === 'seq') return { kind: 'tensor', shape };
          }
          return this.unevaluatedCall(node, calleeNode, callee.path, args);
        }
      }
    }
    // `layers.Dense(4)(x)`: a node of a Functional graph.
    if (callee.kind === 'layer') {
      const { positional, keywords } = this.parseArgs(argList, scope);
      // A layer whose call takes several tensors as arguments (`mha(query, value)`, `mha(query=q, value=v, key=k)`).
      const names = callee.layer.origin === 'keras' ? ruleFor(callee.layer.type)?.callInputs : undefined;
      if (names) {
        const given = names.map((n, i) => keywords.get(n) ?? positional[i]).filter((a) => a !== undefined);
        const rest = this.keywordTensors(keywords, new Set(names));
        this.noteUnfollowedTensors(callee.layer, keywords);
        return this.callLayerOnTensors(callee.layer, { kind: 'seq', items: given.map((a) => a.value), tuple: false }, node, true, rest);
      }
      // Keras' graph takes every tensor argument, as its node's inputs: positional ones (`CTCLayer()(labels, x)`) and
      // keyword ones (`lstm(x, initial_state=[h, c])`, `mask=`), which the layer's shape does not come from.
      const first = positional[0] ?? keywords.get('inputs');
      const more = positional.slice(1).filter((p) => this.asNode(p.value));
      const rest = this.keywordTensors(keywords, new Set(['inputs']));
      this.noteUnfollowedTensors(callee.layer, keywords);
      if (first && more.length)
        return this.callLayerOnTensors(callee.layer, { kind: 'seq', items: [first, ...more].map((a) => a.value), tuple: false }, node, true, rest);
      return this.callLayerOnTensors(callee.layer, first?.value, node, false, rest);
    }
    // `model(ops.ones((1, 4)))` builds the model for that input, batch size included, as Keras shows it; a
    // Sequential called on a Keras tensor is one layer of a Functional graph.
    if (callee.kind === 'model') {
      const { positional, keywords } = this.parseArgs(argList, scope);
      const input = positional[0] ?? keywords.get('inputs');
      const tensor = input ? this.asNode(input.value) : null;
      if (input && tensor) return { kind: 'symbolic', node: this.newNode(callee.model, [input.value], this.abs(node.from), this.abs(node.to)) };
      if (input?.value.kind === 'tensor' && !callee.model.build)
        callee.model.build = { value: input.value.shape, from: this.abs(input.node.from), to: this.abs(input.node.to) };
      return this.unknownNode(node, 'it is the output of a model');
    }
    // A Functional model called on a Keras tensor (`base(x)`, `conv_base(inputs)`): one node of the outer graph.
    if (callee.kind === 'functional') {
      const { positional, keywords } = this.parseArgs(argList, scope);
      const input = positional[0] ?? keywords.get('inputs');
      const tensor = input ? this.asNode(input.value) : null;
      if (input && tensor) return { kind: 'symbolic', node: this.newNode(callee.model, [input.value], this.abs(node.from), this.abs(node.to)) };
      return this.unknownNode(node, 'it is the output of a model');
    }
    if (callee.kind === 'local' && callee.what === 'class') {
      // The arguments are evaluated once, for `__init__` and for the layer the call may make.
      const parsed = this.parseArgs(argList, scope);
      return this.instantiateClass(callee, node, calleeNode, argList, parsed, scope);
    }
    if (callee.kind === 'local' && callee.definition) return this.callFunction(callee, node, argList, scope);
    if (callee.kind === 'partial') return this.callPartial(callee, node, calleeNode, argList, scope);
    if (callee.kind === 'unknown' && calleeNode.name === 'VariableName' && /^[A-Z]/.test(this.text(calleeNode)))
      // An undefined class-like name used as a layer: probably a layer LayerLens does not know.
      return this.makeLayer(this.text(calleeNode), 'unknown', node, calleeNode, argList, scope);
    return this.unevaluatedCall(node, calleeNode, null, this.argumentsOfUnevaluated(argList, scope));
  }

  /** `functools.partial(fn, *args, **kwargs)`: a partial of a partial is one, with the arguments of both. */
  private makePartial(node: SyntaxNode, args: ParsedArgs): Value {
    const [fn, ...given] = args.positional.map((p) => p.value);
    if (!fn) return this.unknownNode(node, 'it is given no function');
    if (args.starArgs || args.starKwargs) return this.unknownNode(node, 'its arguments come from *args or **kwargs LayerLens cannot follow');
    const keywords = new Map([...args.keywords].map(([k, v]) => [k, v.value]));
    if (fn.kind === 'partial')
      return { kind: 'partial', fn: fn.fn, positional: [...fn.positional, ...given], keywords: new Map([...fn.keywords, ...keywords]) };
    return { kind: 'partial', fn, positional: given, keywords };
  }

  /**
   * A partial called: its function with the partial's arguments first, then the call's (a keyword of the call
   * overrides the partial's): `Conv = partial(layers.Conv2D, kernel_size=3, padding="same")`, then `Conv(32)` is a
   * Conv2D. A layer, a class or a function of the file, or a library function on tensors.
   */
  private callPartial(partial: Value & { kind: 'partial' }, node: SyntaxNode, calleeNode: SyntaxNode, argList: SyntaxNode | null, scope: Scope): Value {
    const own = this.parseArgs(argList, scope);
    const parsed: ParsedArgs = {
      positional: [...partial.positional.map((value) => ({ value, node: calleeNode })), ...own.positional],
      keywords: new Map([
        ...[...partial.keywords].map(([k, value]): [string, { value: Value; node: SyntaxNode }] => [k, { value, node: calleeNode }]),
        ...own.keywords,
      ]),
      starArgs: own.starArgs,
      starKwargs: own.starKwargs,
    };
    const fn = partial.fn;
    if (fn.kind === 'symbol') {
      const sym = classifySymbol(fn.path);
      if (sym.kind === 'layer') return this.makeLayer(sym.type, 'keras', node, calleeNode, argList, scope, undefined, fn.path, parsed);
      if (sym.kind === 'unknown-layer') return this.makeLayer(sym.type, 'keras-unknown', node, calleeNode, argList, scope, undefined, undefined, parsed);
      if (sym.kind === 'opaque-layer') return this.makeLayer(sym.type, 'unknown', node, calleeNode, argList, scope, undefined, undefined, parsed);
      if (sym.kind === 'input')
        return this.makeLayer(
          'InputLayer',
          'keras',
          node,
          calleeNode,
          argList,
          scope,
          sym.type === 'Input' ? INPUT_SIGNATURE : INPUT_LAYER_SIGNATURE,
          undefined,
          parsed,
        );
      if (sym.kind === 'other') return this.unevaluatedCall(node, calleeNode, fn.path, parsed);
    }
    if (fn.kind === 'local' && fn.what === 'class') return this.instantiateClass(fn, node, calleeNode, argList, parsed, scope);
    if (fn.kind === 'local' && fn.definition) return this.callFunction(fn, node, argList, scope, parsed);
    if (fn.kind === 'layer' || fn.kind === 'model' || fn.kind === 'functional')
      return this.unknownNode(node, 'it is a partial of a layer or model object, which LayerLens does not follow');
    return this.unevaluatedCall(node, calleeNode, null, parsed);
  }

  /** A method of a layer or a model LayerLens evaluates: `lookup.vocabulary_size()`, `base.get_layer(name)`. */
  private objectMethod(self: Value, method: string, node: SyntaxNode, argList: SyntaxNode | null, scope: Scope): Value {
    const { positional, keywords } = this.parseArgs(argList, scope);
    if (self.kind === 'layer' && method === 'vocabulary_size') {
      // `set_vocabulary(...)` anywhere in the file may have changed it (as text: the statement may be one the analysis
      // does not read). `adapt()` cannot: Keras refuses it on a layer given `vocabulary=`.
      if (/\bset_vocabulary\s*\(/.test(this.program.source.text))
        return this.unknownNode(node, 'the file calls `set_vocabulary(...)`, which can change the vocabulary, and LayerLens does not follow it');
      const size = lookupVocabularySize(self.layer);
      return typeof size === 'string' ? this.unknownNode(node, size) : { kind: 'number', value: size, isInt: true };
    }
    if ((self.kind === 'model' || self.kind === 'functional') && method === 'get_layer') {
      // A Sequential model's layers get their calls (`.output`) from its graph, where it has one.
      if (self.kind === 'model') this.sequentialGraph(self.model, node);
      const name = (keywords.get('name') ?? positional[0])?.value;
      if (name?.kind !== 'string') return name?.kind === 'unknown' ? name : this.unknownNode(node, 'LayerLens finds a layer by its name only');
      const layer = this.layerNamed(self, name.value);
      return layer
        ? { kind: 'layer', layer }
        : this.unknownNode(node, `LayerLens finds no layer given \`name="${name.value}"\` in this model (it finds layers by the \`name=\` they were given)`);
    }
    return this.unknownNode(node, 'it is a call LayerLens does not evaluate');
  }

  /** The layer of a model given `name=` (as keras.applications name theirs): `base.get_layer("block_13_expand_relu")`. */
  private layerNamed(model: Value & { kind: 'model' | 'functional' }, name: string): LayerCall | null {
    const named = (call: LayerCall) => {
      const n = call.args.get('name');
      return n?.kind === 'string' && n.value === name;
    };
    if (model.kind === 'model') {
      for (const e of model.model.layers) if (e.value.kind === 'layer' && named(e.value.layer)) return e.value.layer;
      return null;
    }
    const visited = new Set<GraphNode>();
    const stack = [...model.model.outputs];
    let found: LayerCall | null = null;
    for (let n = stack.pop(); n; n = stack.pop()) {
      if (visited.has(n)) continue;
      visited.add(n);
      if ('type' in n.layer && (found ? n.layer === found : named(n.layer))) {
        found = n.layer;
        // Its calls in this graph, so that `.output` finds them (an architecture's nodes were made by its own run).
        const calls = this.layerNodes.get(found) ?? [];
        if (!calls.includes(n)) this.layerNodes.set(found, [...calls, n]);
      }
      stack.push(...n.inputs);
    }
    return found;
  }

  /**
   * The arguments of a call LayerLens does not evaluate, every one evaluated once: they may build a model
   * (`train(keras.Sequential([...]))`, named by its own variable, not the call's) or be Keras tensors.
   */
  private argumentsOfUnevaluated(argList: SyntaxNode | null, scope: Scope): ReturnType<Interpreter['parseArgs']> {
    const saved = this.pendingName;
    this.pendingName = null;
    const args = this.parseArgs(argList, scope);
    this.pendingName = saved;
    return args;
  }

  /**
   * A call LayerLens does not evaluate (`tf.nn.swish(x)`, `preprocess_input(inputs)`, `mystery(y)`): on Keras
   * tensors, a node of the graph whose inputs are those tensors and whose output is unknown, or its input's shape
   * where the function is known to keep it; so the layers around it keep their rows and the model is not lost.
   * On no tensor, an unknown value. `path`: the callee's canonical path, null when the callee itself is unknown.
   */
  private unevaluatedCall(node: SyntaxNode, calleeNode: SyntaxNode, path: string | null, args: ReturnType<Interpreter['parseArgs']>): Value {
    const tensors = [...args.positional.flatMap((p) => this.tensorsIn(p.value)), ...this.keywordTensors(args.keywords, new Set())];
    if (!tensors.length) return this.unknownNode(node, 'it is a call LayerLens does not evaluate');
    // `K.int_shape(x)` is `x.shape`, not a tensor.
    const first = this.asNode(tensors[0]);
    if (path === 'keras.backend.int_shape' && first) return this.tensorShape(first, node, tensors[0].kind === 'symbolic' ? (tensors[0].output ?? 0) : 0);
    const [from, to] = [this.abs(node.from), this.abs(node.to)];
    const call: LayerCall = {
      ...operationCall(this.text(calleeNode).replace(/\s+/g, ''), 'unknown', from, to),
      calleeFrom: this.abs(calleeNode.from),
      calleeTo: this.abs(calleeNode.to),
      unknownCall: { text: this.text(node).replace(/\s+/g, ' '), ...tensorFunction(path) },
    };
    return { kind: 'symbolic', node: this.newNode(call, tensors, from, to) };
  }

  /**
   * A value LayerLens could not follow given where Keras takes tensors (`initial_state=states`): if it is one, the
   * layers that make it are missing from the graph shown, which the note says, naming the value.
   */
  private noteUnfollowedTensors(layer: LayerCall, keywords: Map<string, { value: Value }>): void {
    for (const [key, { value }] of keywords) {
      if (!TENSOR_KEYWORDS.has(key)) continue;
      const unfollowed = (value.kind === 'seq' ? value.items : [value]).find((v) => v.kind === 'unknown');
      if (unfollowed?.kind !== 'unknown') continue;
      (layer.notes ??= []).push({
        severity: 'information',
        code: 'unresolved-value',
        message: `${cannotResolve(unfollowed)}: if \`${key}=\` is given a tensor there, the layers that make it are not shown in this model.`,
        from: unfollowed.from,
        to: unfollowed.to,
      });
    }
  }

  /**
   * Output `i` of a tensor being unpacked (`a, b = call(x)`): of a layer known to return several, or of one whose
   * outputs LayerLens does not know anyway (a custom layer, a call it does not evaluate: their shapes stay unknown);
   * a Keras layer that returns one tensor cannot be unpacked (Keras refuses to iterate it), so that is unknown.
   */
  private unpackedOutput(value: Value & { kind: 'symbolic' }, i: number): Value | undefined {
    if (value.output !== undefined) return undefined;
    const several = this.severalOutputs(value.node);
    if (several?.kind === 'seq') return several.items[i];
    const layer = value.node.layer;
    const opaque = 'type' in layer && (layer.unknownCall ? !layer.unknownCall.keepsShape : layer.origin === 'custom' || layer.origin === 'unknown');
    return opaque ? { ...value, output: i } : undefined;
  }

  /** The outputs of a layer's call that returns several (`LSTM(8, return_state=True)`), as a list; null for one output. */
  private severalOutputs(node: GraphNode): Value | null {
    const call = 'type' in node.layer ? node.layer : null;
    const rule = call?.origin === 'keras' ? ruleFor(call.type) : undefined;
    if (!call || !rule?.outputCount) return null;
    let count = 1;
    try {
      count = rule.outputCount(new Args(rule, call));
    } catch {
      return null;
    }
    return count > 1 ? { kind: 'seq', items: Array.from({ length: count }, (_x, output) => ({ kind: 'symbolic', node, output })), tuple: false } : null;
  }

  /** The Keras tensors in a value: itself, or the items of a list, tuple or dict (as Keras flattens a call's arguments). */
  private tensorsIn(v: Value): Value[] {
    if (v.kind === 'seq') return v.items.flatMap((x) => this.tensorsIn(x));
    if (v.kind === 'dict') return [...v.entries.keys()].sort().flatMap((k) => this.tensorsIn(v.entries.get(k) as Value));
    return this.asNode(v) ? [v] : [];
  }

  /** The Keras tensors among a call's keyword arguments but `except`, in Keras' order (by keyword: it flattens a dict so). */
  private keywordTensors(keywords: Map<string, { value: Value }>, except: Set<string>): Value[] {
    return [...keywords.keys()]
      .filter((k) => !except.has(k))
      .sort()
      .flatMap((k) => this.tensorsIn((keywords.get(k) as { value: Value }).value));
  }

  private makeLayer(
    type: string,
    origin: LayerCall['origin'],
    node: SyntaxNode,
    calleeNode: SyntaxNode,
    argList: SyntaxNode | null,
    scope: Scope,
    signature?: string[],
    /** The canonical path the class was reached by (`keras.layers.convolutional.Conv2D`), which can date the code. */
    path?: string,
    /** The call's arguments, when the caller evaluated them already. */
    parsed: ParsedArgs = this.parseArgs(argList, scope),
  ): Value {
    const { starArgs, starKwargs } = parsed;
    const rule = origin === 'keras' ? ruleFor(type) : undefined;
    const names = signature ?? rule?.signature ?? [];
    // Keras 1/2 spellings (`border_mode=`, `Convolution2D(32, 3, 3)`) read as Keras 2 reads them, with a note.
    const positionalValues = parsed.positional.map((p) => p.value);
    const keywordValues = new Map([...parsed.keywords].map(([k, v]) => [k, v.value]));
    const written = this.text(calleeNode).split('.').pop() ?? type;
    const legacy = origin === 'keras' ? readLegacyArguments(written, path ?? '', names, rule, positionalValues, keywordValues) : [];
    const args = new Map<string, Value>();
    let extraPositional = 0;
    positionalValues.forEach((value, i) => {
      const at = parsed.positional[Math.min(i, parsed.positional.length - 1)].node;
      if (i < names.length) args.set(names[i], starArgs ? this.unknownNode(at, 'it follows *args') : value);
      else extraPositional++;
    });
    for (const [k, v] of keywordValues) args.set(k, v);
    if (starArgs && argList)
      for (const n of names.slice(positionalValues.length)) if (!args.has(n)) args.set(n, this.unknownNode(argList, 'it may be set by *args'));
    const notes = legacy
      .map((n) => {
        const at = typeof n.at === 'number' ? parsed.positional[n.at]?.node : (parsed.keywords.get(n.at)?.node.prevSibling?.prevSibling ?? null);
        return {
          severity: 'information' as const,
          code: 'legacy-spelling',
          message: n.message,
          from: this.abs((at ?? calleeNode).from),
          to: this.abs((at ?? calleeNode).to),
        };
      })
      .sort((a, b) => a.from - b.from);
    const layer: LayerCall = {
      type,
      origin,
      args,
      extraPositional,
      hasStarKwargs: starKwargs,
      from: this.abs(node.from),
      to: this.abs(node.to),
      calleeFrom: this.abs(calleeNode.from),
      calleeTo: this.abs(calleeNode.to),
      statementFrom: this.statementFrom,
    };
    // (An architecture of keras.applications runs in its own text: its calls are no places in the user's file.)
    const via = this.library ? undefined : this.callSites[this.callSites.length - 1];
    if (via) layer.via = via;
    if (notes.length) layer.notes = notes;
    return { kind: 'layer', layer };
  }

  private makeModel(node: SyntaxNode, argList: SyntaxNode | null, scope: Scope): Value {
    const { positional, keywords } = this.parseArgs(argList, scope);
    const nameArg = keywords.get('name')?.value;
    const model: ModelBuilder = {
      name: nameArg?.kind === 'string' ? nameArg.value : (this.pendingName ?? scope.functionName ?? 'sequential'),
      explicitName: nameArg?.kind === 'string',
      from: this.abs(node.from),
      to: this.abs(node.to),
      layers: [],
      statementFrom: this.statementFrom,
      conditionalDepth: this.conditional.length,
      notes: [],
    };
    const layersArg = keywords.get('layers') ?? positional[0];
    if (layersArg) {
      const listNode = layersArg.node;
      if ((listNode.name === 'ArrayExpression' || listNode.name === 'TupleExpression') && layersArg.value.kind === 'seq') {
        const elementNodes = this.elements(listNode);
        layersArg.value.items.forEach((item, i) => this.addLayer(model, item, elementNodes[i] ?? listNode));
      } else if (layersArg.value.kind === 'seq') {
        const unsure = layersArg.value.unknownLength;
        layersArg.value.items.forEach((item, i) => this.addLayer(model, item, listNode, unsure && i >= unsure.known && i < unsure.end ? unsure : undefined));
      } else if (layersArg.value.kind !== 'none') {
        this.addLayer(model, layersArg.value, listNode);
      }
    }
    this.models.push(model);
    return { kind: 'model', model };
  }

  /** `uncertain`: the layer comes from a list past its certain items (added to it under that control flow). */
  private addLayer(model: ModelBuilder, value: Value, node: SyntaxNode, uncertain?: { keyword: string; why?: string }): void {
    const from = value.kind === 'layer' ? value.layer.from : this.abs(node.from);
    const to = value.kind === 'layer' ? value.layer.to : this.abs(node.to);
    const entry: AddedLayer = { value, from, to, conditional: this.conditional.length > model.conditionalDepth };
    if (uncertain) {
      entry.conditional = true;
      entry.conditionalKeyword = uncertain.keyword;
      entry.conditionalWhy = uncertain.why;
    } else if (entry.conditional) {
      const innermost = this.conditional[this.conditional.length - 1];
      entry.conditionalKeyword = innermost.keyword;
      entry.conditionalWhy = innermost.why;
    }
    model.layers.push(entry);
  }

  private callModelMethod(model: ModelBuilder, method: string, node: SyntaxNode, argList: SyntaxNode | null, scope: Scope): Value {
    const { positional, keywords } = this.parseArgs(argList, scope);
    switch (method) {
      case 'add': {
        const arg = positional[0] ?? keywords.get('layer');
        if (arg) this.addLayer(model, arg.value, arg.node);
        return NONE;
      }
      case 'pop':
        model.layers.pop();
        return NONE;
      case 'build': {
        const arg = positional[0] ?? keywords.get('input_shape');
        if (arg) model.build = { value: arg.value, from: this.abs(arg.node.from), to: this.abs(arg.node.to) };
        return NONE;
      }
      default:
        return this.unknownNode(node, 'it is a call LayerLens does not evaluate');
    }
  }
}

/** Keras Tuner's search space (`hp` in a model-building function; `kt.HyperParameters()`), and its methods that give a value. */
/** `keras.layers.Layer` (or `keras.Layer`): a class subclassing it is a custom layer whose `call()` may be followed. */
const CUSTOM_LAYER_BASE = /^keras(?:\.layers)?(?:\.(?:engine\.)?base_layer)?\.Layer$/;
const WEIGHT_METHODS = new Set(['add_weight', 'add_variable']);

/**
 * Where a statement's text sets an attribute (`x.name = ...`, `x.name += ...`; `self.w = ...` is the instance's own,
 * left out), by name, and where it calls `setattr(`: offsets in the text, cached by text.
 */
function attributeSetsIn(text: string): { names: Map<string, number[]>; setattr: number[] } {
  let found = attributeSetsCache.get(text);
  if (!found) {
    found = { names: new Map(), setattr: [] };
    if (text.includes('=') || text.includes('setattr')) {
      ATTRIBUTE_SET.lastIndex = 0;
      for (let m = ATTRIBUTE_SET.exec(text); m; m = ATTRIBUTE_SET.exec(text)) {
        if (m[1] === undefined) found.setattr.push(m.index);
        else {
          const list = found.names.get(m[1]);
          if (list) list.push(m.index);
          else found.names.set(m[1], [m.index]);
        }
      }
    }
    if (attributeSetsCache.size >= 20000) attributeSetsCache.clear();
    attributeSetsCache.set(text, found);
  }
  return found;
}
const attributeSetsCache = new Map<string, { names: Map<string, number[]>; setattr: number[] }>();

/** Forgets the statements' attribute sites (a cold analysis, as `clearParseCache` asks). */
export function clearAttributeSites(): void {
  attributeSetsCache.clear();
}
const ATTRIBUTE_SET = /(?<!(?<![\w.])self\s*)\.\s*([A-Za-z_]\w*)\s*(?:\*\*|\/\/|>>|<<|[-+*/%@&|^])?=(?!=)|\bsetattr\s*\(/g;
const VARIABLE = /^(?:tensorflow|keras)\.Variable$/;
const STATIC_SHAPE = /^(?:tensorflow|keras\.ops|keras\.backend)\.(?:shape|int_shape)$/;
const CONSTANT_MAKER =
  /^(?:tensorflow\.random\.(?:normal|uniform|truncated_normal)|keras\.random\.(?:normal|uniform|truncated_normal)|keras\.backend\.random_(?:normal|uniform)|tensorflow\.(?:zeros|ones)|keras\.ops\.(?:zeros|ones))$/;
const RANGE = /^(?:tensorflow\.range|keras\.ops(?:\.numpy)?\.arange)$/;

/** A shape as Python sees it: a tuple, None for an open dimension, unknown for one LayerLens could not work out. */
function shapeAsValue(shape: (number | null)[]): Value {
  return {
    kind: 'seq',
    items: shape.map((d): Value =>
      d === null
        ? NONE
        : Number.isNaN(d)
          ? unknown('dimension', 0, 0, 'LayerLens could not work out this dimension')
          : { kind: 'number', value: d, isInt: true },
    ),
    tuple: true,
  };
}

/** A shape value's dimensions (an int is one): None an open one, NaN one not known; null where it is no shape. */
function dimsOf(v: Value | undefined): (number | null)[] | null {
  if (v?.kind === 'number' && v.isInt) return [v.value];
  if (v?.kind !== 'seq' || v.unknownLength) return null;
  return v.items.map((d) => (d.kind === 'number' && d.isInt ? d.value : d.kind === 'none' ? null : NaN));
}

const HYPERPARAMETERS = 'keras_tuner.HyperParameters';
const HYPERPARAMETER_METHOD = /^keras_tuner\.HyperParameters\.(Int|Float|Choice|Boolean|Fixed)$/;

/** A call's arguments, evaluated: positional, keyword, and whether `*args` / `**kwargs` hid some. */
interface ParsedArgs {
  positional: { value: Value; node: SyntaxNode }[];
  keywords: Map<string, { value: Value; node: SyntaxNode }>;
  starArgs: boolean;
  starKwargs: boolean;
}

/** A Functional model's output tensor `i` (which output of its node, for a layer that returns several). */
function modelOutput(model: FunctionalBuilder, i: number): Value {
  const output = model.outputIndices?.[i];
  return output ? { kind: 'symbolic', node: model.outputs[i], output } : { kind: 'symbolic', node: model.outputs[i] };
}

/** A model's tensors, as attributes (`base.output`). */
const MODEL_TENSORS = new Set(['input', 'output', 'inputs', 'outputs']);

/** Layers with `vocabulary_size()`. */
const VOCABULARY_LAYERS = new Set(['StringLookup', 'IntegerLookup', 'TextVectorization']);

/** Keyword arguments of a layer's call that Keras takes as tensors (graph edges). */
const TENSOR_KEYWORDS = new Set(['initial_state', 'mask', 'constants', 'attention_mask', 'query_mask', 'value_mask', 'key_mask']);

/** `keras.Input(shape, batch_size, dtype, sparse, batch_shape, name, tensor)`. */
const INPUT_SIGNATURE = ['shape', 'batch_size', 'dtype', 'sparse', 'batch_shape', 'name', 'tensor'];
/** `InputLayer(input_shape, batch_size, dtype, input_tensor, sparse, name)` (Keras 2; Keras 3 calls the first `shape`). */
const INPUT_LAYER_SIGNATURE = ['shape', 'batch_size', 'dtype', 'input_tensor', 'sparse', 'name'];

/** An operation on Keras tensors (`x + y`, a library call on a tensor) as a layer call: a row Keras prints, no layer. */
function operationCall(type: string, origin: LayerCall['origin'], from: number, to: number): LayerCall {
  return { type, origin, operation: true, args: new Map(), extraPositional: 0, hasStarKwargs: false, from, to, calleeFrom: from, calleeTo: to };
}
