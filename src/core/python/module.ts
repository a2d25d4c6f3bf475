/**
 * The base of the Python evaluator: a program's top-level statements, run in order (or one group's of them), and the
 * module's names, looked up as Python would, a statement that is not walked being read lazily where one of its names
 * is needed. The statements (python/statements.ts), functions and classes (python/functions.ts) and expressions
 * (python/evaluator.ts) build on it. It knows nothing of Keras: what it does not know itself goes to its host through
 * the abstract methods below and in python/evaluator.ts (keras/interpreter.ts implements them).
 */
import type { SyntaxNode } from '@lezer/common';
import { CalledNames } from './calls';
import { chunkToSource } from './chunks';
import type { Instance, LocalClass } from './objects';
import { BUILTINS } from './operators';
import {
  immutable,
  mayNotBind,
  Scope,
  TrackedVars,
  type Binding,
  type Cursor,
  type FileNote,
  type Group,
  type PythonProgram,
  type Signal,
  type Usage,
} from './scope';
import { NONE, truthOf, unknown, type Value } from './values';

export abstract class ModuleEvaluator {
  readonly notes: FileNote[] = [];

  protected readonly module = new Scope(null, undefined, true);

  /**
   * Set for a run of one group of a program's statements (see analyze's groups): what it read and bound at module
   * level, so that the caller can check that no other group could see or change it.
   */
  readonly usage: Usage | null;

  /** A statement of the group (not an import-only one) added a `from x import *`: every group could see it. */
  starFromGroup = false;

  /** Functions defined while walking, in order: those nothing called are run with their defaults at the end. */
  protected readonly functions: Extract<Value, { kind: 'local' }>[] = [];

  protected statements = 0;

  protected callDepth = 0;

  protected lazyDepth = 0;

  /**
   * Start of the top-level statement running (walked, or read lazily): what it reads lazily must come before it, and
   * a function it calls sees the module's names as they are then, as in Python, not as they are where the function
   * is written (a helper defined after it).
   */
  protected now = Infinity;

  /** The function being run with its defaults because nothing calls it. */
  protected runningDefaults: string | null = null;

  protected cur!: Cursor;

  /** The control flow LayerLens cannot decide around the current statement: its keyword, and why it is undecided. */
  protected conditional: { keyword: string; why?: string }[] = [];

  /** The calls of the file's functions being run, innermost last (a layer notes the innermost: `LayerCall.via`). */
  protected callSites: { function: string; from: number; to: number }[] = [];

  /** Per such control flow, innermost last: the lists changed in it, with how many items were certain before. */
  protected uncertainMutations: Map<Extract<Value, { kind: 'seq' }>, number>[] = [];

  /** Name of the assignment target whose value is being evaluated: names a new model. */
  protected pendingName: string | null = null;

  protected statementFrom = 0;
  /**
   * Where (source offset) the name a statement of its own appends to is written (`CANDIDATES` in
   * `CANDIDATES.append(m)`): its lookup notes an append, not a read (see `Usage.appends`); -1 when none.
   */
  protected appendedAt = -1;

  private readonly lazyCache = new Map<string, Binding | null>();

  /** Lists read lazily (by `chunk:name`): the statement from which their later changes are still to replay, and the scope those run in. */
  protected readonly replays = new Map<string, { name: string; next: number; scope: Scope }>();

  private readonly lazyInProgress = new Set<string>();

  /** Every undecided branch or loop, in order: a custom layer's `call()` that takes one is not followed. */
  protected readonly uncertainLog: { keyword: string; why?: string }[] = [];

  /**
   * `library`: the program is a library's code run for a user's call (an architecture of keras.applications): its
   * `raise ValueError(...)` are errors for the call's arguments (see `raised`).
   */
  constructor(
    protected readonly program: PythonProgram,
    protected readonly library = false,
    protected readonly group: Group | null = null,
  ) {
    this.usage = group ? { reads: new Set(), binds: new Set(), appends: new Set() } : null;
  }

  /** Statements run so far (with modelCount and graphNodes: the file-wide bounds a group's run counts towards). */
  get statementCount(): number {
    return this.statements;
  }

  protected get moduleVars(): TrackedVars {
    return this.module.vars as TrackedVars;
  }

  /** The class whose body a scope is (its methods' closure): for `super()` in them, and `self` of a method run alone. */
  protected readonly classScopes = new WeakMap<Scope, LocalClass>();

  /** Instances of the file's classes, by their layer call (`cfg = Cfg()`) and by the value that is `self` in their methods. */
  protected readonly instances = new WeakMap<object, Instance>();

  /** Instances whose `__init__` runs, innermost last: what `super().__init__(inputs, outputs)` builds is theirs. */
  protected readonly constructing: Instance[] = [];

  /** Classes whose bases are all known and define neither `__bool__` nor `__len__`: their instances are true. */
  protected readonly plainClasses = new WeakSet<LocalClass>();

  /** Attributes that methods other than `__init__` set on `self`, per class (with its bases'): unknown when read. */
  protected readonly methodSet = new WeakMap<LocalClass, Set<string>>();

  /** Attributes the `__init__` of a class (or of its bases) sets on `self`. */
  protected readonly initSet = new WeakMap<LocalClass, Set<string>>();

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
      // name the module holds a watched value in (a model) can run (asked again after each one that does: it may bind another).
      const order = this.group.order;
      for (let k = 0; k <= order.length; k++) {
        const end = k < order.length ? order[k] : this.program.chunks.length;
        for (let pos = k > 0 ? order[k - 1] + 1 : 0; pos < end && this.watched.size > 0;) {
          const next = this.group.candidates(pos, end, this.watched);
          if (next < 0) break;
          this.runChunk(next);
          pos = next + 1;
        }
        if (k < order.length) this.runChunk(end);
      }
    }
    this.now = Infinity;
    this.afterRun();
  }

  /** Runs one top-level statement if it is walked (by this group), or re-binds or calls a watched value (a model). */
  private runChunk(index: number): void {
    const chunk = this.program.chunks[index];
    const walked = this.program.walked[index];
    // A group runs its own walked statements and the import-only ones (every group runs those; what they bind is
    // no group's), not another group's.
    const ambient = this.group !== null && walked && this.group.ambient(index);
    if (this.group && walked && !ambient && !this.group.members(index)) return;
    // Only a watched value (a model) bound at module level makes a statement that is not walked run (re-binding or calling it).
    if (!walked && this.watched.size === 0) return;
    // A statement that re-binds a model's variable ends that model, even if it mentions nothing of Keras.
    const rebindsModel = this.program.chunkNames[index].some((n) => {
      const bound = this.moduleVars.peek(n);
      return bound !== undefined && this.watches(bound.value);
    });
    // `model(np.zeros((1, 28, 28, 1)))` builds a model: a statement calling a model's variable is walked too.
    const callsModel = !walked && this.watched.calledIn(chunk.text);
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

  protected abs(local: number): number {
    return chunkToSource(this.cur.chunk, local);
  }

  protected text(node: SyntaxNode): string {
    return this.cur.text.slice(node.from, node.to);
  }

  protected unknownNode(node: SyntaxNode, why?: string): Value {
    return unknown(this.text(node), this.abs(node.from), this.abs(node.to), why);
  }

  // ---- statements ------------------------------------------------------------------------------

  /** Says once, at the loop or call, that LayerLens stopped evaluating there (the bounds that keep the editor responsive). */
  protected limitNote(node: SyntaxNode, message: string): void {
    const from = this.abs(node.from);
    if (this.notes.some((n) => n.code === 'evaluation-limit' && n.from === from)) return;
    this.notes.push({ code: 'evaluation-limit', severity: 'warning', message, from, to: this.abs(node.firstChild?.to ?? node.to) });
  }

  /** Module-level names bound to a value the host watches (a model), for the cheap test of which statements may call one. */
  protected readonly watched = new CalledNames();

  protected bind(scope: Scope, name: string, value: Value, at: number): void {
    scope.vars.set(name, { value, at });
    if (scope === this.module) {
      if (this.watches(value)) this.watched.add(name);
      else this.watched.delete(name);
    }
  }

  protected lookupLocal(name: string, scope: Scope): Value | undefined {
    return scope.vars.get(name)?.value;
  }

  protected lookup(name: string, scope: Scope, at: number, node: SyntaxNode | null): Value {
    for (let s: Scope | null = scope; s; s = s.parent) {
      if (s.parent === null) return this.lookupGlobal(name, s, at, node);
      const b = s.vars.get(name);
      if (b) return b.value;
    }
    return this.lookupGlobal(name, this.module, at, node);
  }

  /** A module-level name: the latest binding before `at`, walked or found through the definitions index. */
  private lookupGlobal(name: string, module: Scope, at: number, node: SyntaxNode | null): Value {
    const usage = this.usage;
    if (!usage || !node || this.appendedAt < 0 || this.abs(node.from) !== this.appendedAt) return this.lookupModuleName(name, module, at, node, false);
    // The list a statement appends to is noted as appended to, not read or bound (see Usage.appends); what its lazy
    // definition reads, and any other name, is noted as usual.
    this.appendedAt = -1;
    const read = usage.reads.has(name);
    const value = this.lookupModuleName(name, module, at, node, true);
    if (!read) usage.reads.delete(name);
    usage.appends.add(name);
    return value;
  }

  private lookupModuleName(name: string, module: Scope, at: number, node: SyntaxNode | null, appending: boolean): Value {
    const walked = module.vars.get(name);
    // The latest definition before now, unless a walked binding comes after it. One that did not bind the name on the
    // path it took (`if not b: m = 5`) leaves the binding before it.
    const lazy = this.lazyBinding(name, Math.max(at, this.now), walked);
    if (lazy) {
      const { binding, chunk: lazyChunk } = lazy;
      const value = binding.value;
      // A lazily found value is made once per run and shared by every later reader: a list, a layer or a function
      // one group reads may be changed by another (`CANDIDATES.append(m)`), so such a read counts as a binding.
      if (this.usage && !immutable(value) && !appending) this.usage.binds.add(name);
      if (walked) {
        const start = this.program.chunks[lazyChunk].start;
        this.rebound(name, walked.value, null, { from: start, to: start + name.length, line: this.program.source.position(start).line });
      }
      return value;
    }
    if (walked) return walked.value;
    for (const star of module.stars) {
      const path = `${star.path}.${name}`;
      if (this.starBinding(path)) return { kind: 'symbol', path };
    }
    const conventional = this.conventional(name);
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
  protected replayMutations(key: string, time: number): void {
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
    conditional: ModuleEvaluator['conditional'];
    callSites: ModuleEvaluator['callSites'];
    mutations: ModuleEvaluator['uncertainMutations'];
  } {
    const context = { conditional: this.conditional, callSites: this.callSites, mutations: this.uncertainMutations };
    this.conditional = [];
    this.callSites = [];
    this.uncertainMutations = [];
    return context;
  }

  private leaveModuleStatement(context: ReturnType<ModuleEvaluator['enterModuleStatement']>): void {
    this.conditional = context.conditional;
    this.callSites = context.callSites;
    this.uncertainMutations = context.mutations;
  }

  // ---- expressions -----------------------------------------------------------------------------

  /** Element nodes of a tuple, list or argument list (punctuation skipped). */
  protected elements(node: SyntaxNode): SyntaxNode[] {
    const out: SyntaxNode[] = [];
    for (let c = node.firstChild; c; c = c.nextSibling) if (!['(', ')', '[', ']', ','].includes(c.name)) out.push(c);
    return out;
  }

  protected lookupAttribute(text: string, scope: Scope): Value | undefined {
    for (let s: Scope | null = scope; s; s = s.parent) {
      const b = s.vars.get(text);
      if (b) return b.value;
    }
    return undefined;
  }

  // ---- what the levels above and the host give ------------------------------------------------

  abstract evalExpr(node: SyntaxNode, scope: Scope): Value;
  protected abstract execStatement(node: SyntaxNode, scope: Scope): Signal;
  protected abstract execBlock(block: SyntaxNode, scope: Scope): Signal;
  protected abstract runFunction(fn: LocalFunction, positional: Value[], keywords: Map<string, Value>, unknownArgs: SyntaxNode | null): Value;

  /** Host: a value whose module-level name makes a statement that is not walked run where it re-binds or calls it (a model). */
  protected abstract watches(value: Value): boolean;
  /** Host: after the program ran (functions nothing called, run with their defaults). */
  protected abstract afterRun(): void;
  /** Host: the canonical dotted path of an imported name (`tensorflow.keras.layers` is `keras.layers`). */
  protected abstract canonical(path: string): string;
  /** Host: whether `from module import *` brings in this path (a name the host knows there). */
  protected abstract starBinding(path: string): boolean;
  /** Host: the library a conventional name stands for where the file does not import it (`np`, `tf`), or null. */
  protected abstract conventional(name: string): string | null;
  /** Host: `name`, bound to `previous`, is bound again (`next`; null: by a statement read lazily, at `line`). */
  protected abstract rebound(name: string, previous: Value, next: Value | null, at: { from: number; to: number; line?: number }): void;
  /** Host: Python's truth of one of its objects (null: not known). */
  protected abstract hostTruth(v: Value): boolean | null;

  /** Python's truth of a value, the host's objects included; null when it cannot tell. */
  protected truth(v: Value): boolean | null {
    return truthOf(v, (x) => this.hostTruth(x));
  }
}

/** A function defined in the file. */
export type LocalFunction = Extract<Value, { kind: 'local' }>;
