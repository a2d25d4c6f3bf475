/**
 * Reads the parsed chunks of a program the way Python would run them, as far as that can be known without
 * running anything: imports and aliases, constants, and every `Sequential` model with the layers given to
 * it or added later. Functions are read where they are defined (their models are recorded once), and
 * values are looked up in the function first, then in the module.
 */
import type { SyntaxNode, Tree } from '@lezer/common';
import { ruleFor } from '../layers/catalogue';
import { chunkToSource, type Chunk } from '../python/chunks';
import { parseNumber, parseString } from '../python/literals';
import type { SourceText } from '../python/sourceText';
import { NONE, num, truthOf, unknown, type AddedLayer, type LayerCall, type ModelBuilder, type Value } from '../python/values';
import { BUILTINS, canonicalPath, classifySymbol, conventionalBinding } from './symbols';

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
}

interface Binding {
  value: Value;
  at: number;
}

class Scope {
  readonly vars = new Map<string, Binding>();
  readonly stars: string[] = [];
  /** In a function's scope: the model a `return` gave. */
  returnedModel: ModelBuilder | null = null;
  constructor(
    readonly parent: Scope | null,
    readonly functionName?: string,
  ) {}
}

/** Per chunk: the chunk and its text, so node offsets can be turned into source offsets. */
interface Cursor {
  chunk: Chunk;
  text: string;
}

const EXPRESSION_STATEMENTS = new Set(['ExpressionStatement', 'ReturnStatement']);

export class Interpreter {
  readonly models: ModelBuilder[] = [];
  private readonly module = new Scope(null);
  private cur!: Cursor;
  private conditional: string[] = [];
  /** Name of the assignment target whose value is being evaluated: names a new model. */
  private pendingName: string | null = null;
  private statementFrom = 0;
  private readonly lazyCache = new Map<string, Value>();
  private readonly lazyInProgress = new Set<string>();

  constructor(private readonly program: Program) {}

  run(): void {
    this.program.chunks.forEach((chunk, index) => {
      // A statement that re-binds a model's variable ends that model, even if it mentions nothing of Keras.
      const rebindsModel = this.program.chunkNames[index].some((n) => this.module.vars.get(n)?.value.kind === 'model');
      if (!this.program.walked[index] && !rebindsModel) return;
      if (rebindsModel) this.rebinding.add(index);
      const tree = this.program.tree(index);
      this.cur = { chunk, text: chunk.text };
      this.execBlock(tree.topNode, this.module);
    });
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

  private execBlock(block: SyntaxNode, scope: Scope): void {
    for (let n = block.firstChild; n; n = n.nextSibling) this.execStatement(n, scope);
  }

  private execStatement(node: SyntaxNode, scope: Scope): void {
    this.statementFrom = this.abs(node.from);
    switch (node.name) {
      case 'ImportStatement':
        return this.execImport(node, scope);
      case 'AssignStatement':
        return this.execAssign(node, scope);
      case 'UpdateStatement':
        return this.execUpdate(node, scope);
      case 'FunctionDefinition':
        return this.execFunction(node, scope);
      case 'ClassDefinition':
        return this.execClass(node, scope);
      case 'DecoratedStatement':
        for (let c = node.firstChild; c; c = c.nextSibling) if (c.name !== 'Decorator') this.execStatement(c, scope);
        return;
      case 'IfStatement':
      case 'ForStatement':
      case 'WhileStatement':
        return this.execConditional(node, scope);
      case 'WithStatement':
      case 'TryStatement':
      case 'Body':
        for (let c = node.firstChild; c; c = c.nextSibling) if (c.name === 'Body') this.execBlock(c, scope);
        if (node.name === 'Body') this.execBlock(node, scope);
        return;
      case 'ReturnStatement': {
        const expr = node.lastChild;
        if (expr && expr.name !== 'return') {
          this.pendingName = scope.functionName ?? null;
          const value = this.evalExpr(expr, scope);
          this.pendingName = null;
          if (value.kind === 'model') scope.returnedModel = value.model;
        }
        return;
      }
      default:
        if (EXPRESSION_STATEMENTS.has(node.name) || node.type.isError) {
          for (let c = node.firstChild; c; c = c.nextSibling) if (!c.type.isError || c.firstChild) this.evalExpr(c, scope);
        }
    }
  }

  private execConditional(node: SyntaxNode, scope: Scope): void {
    const keyword = node.firstChild ? this.text(node.firstChild) : 'if';
    if (node.name === 'ForStatement') {
      // The loop variable takes values LayerLens cannot know.
      for (let c = node.firstChild; c && c.name !== 'in'; c = c.nextSibling)
        if (c.name === 'VariableName') this.bind(scope, this.text(c), this.unknownNode(c, 'it is a loop variable'), this.abs(c.from));
    }
    // A condition can bind a name: `if (m := keras.Sequential(...)):`.
    for (let c = node.firstChild; c; c = c.nextSibling) if (c.name !== 'Body' && !c.type.isError && this.text(c).includes(':=')) this.evalExpr(c, scope);
    this.conditional.push(keyword);
    for (let c = node.firstChild; c; c = c.nextSibling) if (c.name === 'Body') this.execBlock(c, scope);
    this.conditional.pop();
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
      else if (c.name === '*' && isFrom) scope.stars.push(canonicalPath(modulePath));
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
    const value = valueNodes.length > 1 ? { kind: 'seq' as const, items: valueNodes.map((n) => this.evalExpr(n, scope)), tuple: true } : this.evalExpr(valueNode, scope);
    this.pendingName = null;
    if (tupleTarget) {
      targets.forEach((t, i) => {
        const item = value.kind === 'seq' ? value.items[i] : undefined;
        this.assignTarget(t, item ?? this.unknownNode(valueNode), scope);
      });
    } else for (const t of targets) this.assignTarget(t, value, scope);
  }

  private assignTarget(target: SyntaxNode, value: Value, scope: Scope): void {
    if (target.name !== 'VariableName' && target.name !== 'MemberExpression') return;
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
    this.bind(scope, name, value, this.abs(target.from));
  }

  private execUpdate(node: SyntaxNode, scope: Scope): void {
    const target = node.firstChild;
    const op = node.getChild('UpdateOp');
    const valueNode = node.lastChild;
    if (!target || !op || !valueNode || target.name !== 'VariableName') return;
    const name = this.text(target);
    const left = this.lookup(name, scope, this.abs(target.from), target);
    const right = this.evalExpr(valueNode, scope);
    this.bind(scope, name, this.arith(this.text(op).slice(0, -1), left, right, node), this.abs(target.from));
  }

  private execFunction(node: SyntaxNode, scope: Scope): void {
    const nameNode = node.getChild('VariableName');
    const name = nameNode ? this.text(nameNode) : '<function>';
    const fn: Extract<Value, { kind: 'local' }> = { kind: 'local', what: 'function', name, bases: [] };
    this.bind(scope, name, fn, this.abs(node.from));
    const fnScope = this.parameterScope(node, scope, name);
    const body = node.getChild('Body');
    if (!body) return;
    const saved = this.conditional;
    this.conditional = [];
    this.execBlock(body, fnScope);
    this.conditional = saved;
    if (fnScope.returnedModel) fn.returns = fnScope.returnedModel;
  }

  /** A function's or lambda's scope with its parameters bound. */
  private parameterScope(node: SyntaxNode, scope: Scope, name: string): Scope {
    const fnScope = new Scope(scope, name);
    const params = node.getChild('ParamList');
    for (let c = params?.firstChild ?? null; c; c = c.nextSibling) {
      if (c.name !== 'VariableName') continue;
      const defaultNode = c.nextSibling?.name === 'AssignOp' ? c.nextSibling.nextSibling : null;
      // A parameter takes its default, as when the function is called without arguments (README: Limits).
      const value = defaultNode ? this.evalExpr(defaultNode, scope) : this.unknownNode(c, `it is a parameter of \`${name}\` without a default`);
      this.bind(fnScope, this.text(c), value, this.abs(c.from));
      if (defaultNode) c = defaultNode; // the default is an expression, not another parameter
    }
    return fnScope;
  }

  private execClass(node: SyntaxNode, scope: Scope): void {
    const nameNode = node.getChild('VariableName');
    const name = nameNode ? this.text(nameNode) : '<class>';
    const bases = node.getChild('ArgList')?.getChildren('MemberExpression').map((b) => this.text(b)) ?? [];
    for (const v of node.getChild('ArgList')?.getChildren('VariableName') ?? []) bases.push(this.text(v));
    this.bind(scope, name, { kind: 'local', what: 'class', name, bases }, this.abs(node.from));
    const body = node.getChild('Body');
    if (body) this.execBlock(body, new Scope(scope, name));
  }

  // ---- names -----------------------------------------------------------------------------------

  private bind(scope: Scope, name: string, value: Value, at: number): void {
    scope.vars.set(name, { value, at });
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
    const lazyChunk = this.latestDefinition(name, at);
    if (lazyChunk !== undefined && (!walked || this.program.chunks[lazyChunk].start > walked.at)) {
      const value = this.lazyValue(name, lazyChunk);
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
      const path = `${star}.${name}`;
      if (classifySymbol(path).kind !== 'other') return { kind: 'symbol', path };
    }
    const conventional = conventionalBinding(name);
    if (conventional) return { kind: 'symbol', path: conventional };
    if (BUILTINS.has(name)) return { kind: 'symbol', path: `builtins.${name}` };
    if (name === 'None') return NONE;
    return node ? this.unknownNode(node, 'it is not defined in this file') : unknown(name, at, at + name.length, 'it is not defined in this file');
  }

  private latestDefinition(name: string, at: number): number | undefined {
    const list = this.program.definitions.get(name);
    if (!list) return undefined;
    let best: number | undefined;
    for (const idx of list) {
      if (this.program.walked[idx] || this.isModelRebinding(idx)) continue;
      if (this.program.chunks[idx].start < at) best = idx;
    }
    return best;
  }

  private readonly rebinding = new Set<number>();

  private isModelRebinding(chunkIndex: number): boolean {
    return this.rebinding.has(chunkIndex);
  }

  /** Evaluates the top-level definition of `name` in a chunk that is not walked. */
  private lazyValue(name: string, chunkIndex: number): Value {
    const key = `${chunkIndex}:${name}`;
    const cached = this.lazyCache.get(key);
    if (cached) return cached;
    const chunk = this.program.chunks[chunkIndex];
    if (this.lazyInProgress.has(key)) return unknown(name, chunk.start, chunk.start + name.length, 'its definition refers to itself');
    this.lazyInProgress.add(key);
    const saved = { cur: this.cur, pending: this.pendingName, from: this.statementFrom, cond: this.conditional };
    this.cur = { chunk, text: chunk.text };
    this.conditional = [];
    const scratch = new Scope(null);
    scratch.stars.push(...this.module.stars);
    // Module names other than `name` resolve through the module as usual.
    for (const [k, v] of this.module.vars) if (k !== name) scratch.vars.set(k, v);
    try {
      const top = this.program.tree(chunkIndex).topNode;
      for (let n = top.firstChild; n; n = n.nextSibling) this.execStatement(n, scratch);
    } finally {
      this.cur = saved.cur;
      this.pendingName = saved.pending;
      this.statementFrom = saved.from;
      this.conditional = saved.cond;
      this.lazyInProgress.delete(key);
    }
    const value = scratch.vars.get(name)?.value ?? unknown(name, chunk.start, chunk.start + name.length);
    this.lazyCache.set(key, value);
    return value;
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
        return this.unknownNode(node, 'it is a formatted string');
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
        return { kind: 'seq', items: this.elements(node).map((e) => this.evalExpr(e, scope)), tuple: node.name === 'TupleExpression' };
      case 'DictionaryExpression':
        return this.evalDict(node, scope);
      case 'UnaryExpression':
        return this.evalUnary(node, scope);
      case 'BinaryExpression': {
        const [l, op, r] = [node.firstChild, node.firstChild?.nextSibling, node.lastChild];
        if (!l || !op || !r || l === r) return this.unknownNode(node);
        if (op.name !== 'ArithOp') return this.unknownNode(node, 'LayerLens does not evaluate comparisons or logic');
        return this.arith(this.text(op), this.evalExpr(l, scope), this.evalExpr(r, scope), node);
      }
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

  /**
   * A comprehension's element is evaluated once, its loop variables unknown (as in a `for` statement), so a
   * model built per item is shown once. The collection itself is unknown.
   */
  private evalComprehension(node: SyntaxNode, scope: Scope): Value {
    const inner = new Scope(scope, scope.functionName);
    const parts = this.elements(node).filter((c) => c.name !== '{' && c.name !== '}');
    const firstFor = parts.findIndex((c) => c.name === 'for');
    if (firstFor < 0) return this.unknownNode(node);
    let inTargets = false;
    for (const c of parts.slice(firstFor)) {
      if (c.name === 'for') inTargets = true;
      else if (c.name === 'in') inTargets = false;
      else if (inTargets && c.name === 'VariableName') this.bind(inner, this.text(c), this.unknownNode(c, 'it is a loop variable'), this.abs(c.from));
    }
    for (const c of parts.slice(0, firstFor)) if (c.name !== ':') this.evalExpr(c, inner);
    return this.unknownNode(node, 'it is a comprehension');
  }

  /** Arguments of a call LayerLens does not evaluate may still build a model: `train(keras.Sequential([...]))`. */
  private evalArgsForModels(argList: SyntaxNode | null, scope: Scope): void {
    if (!argList) return;
    const saved = this.pendingName;
    this.pendingName = null;
    // Only an argument with a call in it can build a model; names and literals are left alone.
    for (let c = argList.firstChild; c; c = c.nextSibling) if (!c.type.isError && c.name !== 'VariableName' && this.text(c).includes('(')) this.evalExpr(c, scope);
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

  private evalUnary(node: SyntaxNode, scope: Scope): Value {
    const op = node.firstChild;
    const operand = node.lastChild;
    if (!op || !operand || op === operand) return this.unknownNode(node);
    const v = this.evalExpr(operand, scope);
    const t = this.text(op);
    if (v.kind === 'unknown') return v;
    if (t === 'not') return v.kind === 'bool' ? { kind: 'bool', value: !v.value } : this.unknownNode(node);
    if (v.kind !== 'number') return this.unknownNode(node);
    if (t === '-') return { kind: 'number', value: -v.value, isInt: v.isInt };
    if (t === '+') return v;
    return this.unknownNode(node);
  }

  private arith(op: string, a: Value, b: Value, node: SyntaxNode): Value {
    if (a.kind === 'unknown') return a;
    if (b.kind === 'unknown') return b;
    if (a.kind === 'seq' && b.kind === 'seq' && op === '+') return { kind: 'seq', items: [...a.items, ...b.items], tuple: a.tuple };
    if (a.kind === 'seq' && b.kind === 'number' && op === '*' && b.isInt) return { kind: 'seq', items: new Array(Math.max(0, b.value)).fill(a.items).flat(), tuple: a.tuple };
    const x = a.kind === 'number' ? a : a.kind === 'bool' ? num(Number(a.value)) : null;
    const y = b.kind === 'number' ? b : b.kind === 'bool' ? num(Number(b.value)) : null;
    if (a.kind === 'string' && b.kind === 'string' && op === '+') return { kind: 'string', value: a.value + b.value };
    if (!x || !y || x.kind !== 'number' || y.kind !== 'number') return this.unknownNode(node);
    const ints = x.isInt && y.isInt;
    switch (op) {
      case '+':
        return { kind: 'number', value: x.value + y.value, isInt: ints };
      case '-':
        return { kind: 'number', value: x.value - y.value, isInt: ints };
      case '*':
        return { kind: 'number', value: x.value * y.value, isInt: ints };
      case '/':
        return y.value === 0 ? this.unknownNode(node, 'it divides by zero') : { kind: 'number', value: x.value / y.value, isInt: false };
      case '//':
        return y.value === 0 ? this.unknownNode(node, 'it divides by zero') : { kind: 'number', value: Math.floor(x.value / y.value), isInt: ints };
      case '%':
        return y.value === 0 ? this.unknownNode(node, 'it divides by zero') : { kind: 'number', value: ((x.value % y.value) + y.value) % y.value, isInt: ints };
      case '**':
        return { kind: 'number', value: x.value ** y.value, isInt: ints && y.value >= 0 };
      default:
        return this.unknownNode(node);
    }
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
    if (obj.kind === 'model') return { kind: 'method', model: obj.model, method: name };
    if (obj.kind === 'unknown') {
      // `self.model` and other attribute targets are bound by their full text.
      const local = this.lookupAttribute(this.text(node), scope);
      if (local) return local;
    }
    return this.unknownNode(node);
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
    const inside: SyntaxNode[] = [];
    let colon = false;
    for (let c = objNode.nextSibling?.nextSibling ?? null; c && c.name !== ']'; c = c.nextSibling) {
      if (c.name === ':') colon = true;
      else inside.push(c);
    }
    if (obj.kind !== 'seq') return this.unknownNode(node);
    if (!colon && inside.length === 1) {
      const i = this.evalExpr(inside[0], scope);
      if (i.kind !== 'number' || !i.isInt) return this.unknownNode(node);
      const idx = i.value < 0 ? obj.items.length + i.value : i.value;
      return obj.items[idx] ?? this.unknownNode(node, 'the index is out of range');
    }
    if (colon && inside.length <= 2) {
      // Only simple `a[i:]`, `a[:j]`, `a[i:j]` slices.
      const bounds = this.sliceBounds(objNode, scope);
      if (!bounds) return this.unknownNode(node);
      const n = obj.items.length;
      const norm = (v: number | null, d: number) => (v === null ? d : v < 0 ? Math.max(0, n + v) : Math.min(n, v));
      return { kind: 'seq', items: obj.items.slice(norm(bounds[0], 0), norm(bounds[1], n)), tuple: obj.tuple };
    }
    return this.unknownNode(node);
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

  private parseArgs(argList: SyntaxNode | null, scope: Scope) {
    const positional: { value: Value; node: SyntaxNode }[] = [];
    const keywords = new Map<string, { value: Value; node: SyntaxNode }>();
    let starArgs = false;
    let starKwargs = false;
    if (argList) {
      for (let c = argList.firstChild; c; c = c.nextSibling) {
        if (c.name === '(' || c.name === ')' || c.name === ',') continue;
        if (c.name === '*' || c.name === '**') {
          if (c.name === '*') starArgs = true;
          else starKwargs = true;
          c = c.nextSibling;
          if (!c) break;
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
    const argList = node.getChild('ArgList');
    const callee = this.evalExpr(calleeNode, scope);
    if (callee.kind === 'method') return this.callMethod(callee.model, callee.method, node, argList, scope);
    if (callee.kind === 'symbol') {
      if (callee.path.startsWith('builtins.')) return this.callBuiltin(callee.path.slice(9), node, argList, scope);
      const sym = classifySymbol(callee.path);
      switch (sym.kind) {
        case 'sequential':
          return this.makeModel(node, argList, scope);
        case 'input':
          return this.makeLayer('InputLayer', 'keras', node, calleeNode, argList, scope, sym.type === 'Input' ? INPUT_SIGNATURE : INPUT_LAYER_SIGNATURE);
        case 'layer':
          return this.makeLayer(sym.type, 'keras', node, calleeNode, argList, scope);
        case 'opaque-layer':
          return this.makeLayer(sym.type, 'unknown', node, calleeNode, argList, scope);
        case 'unknown-layer':
          return this.makeLayer(sym.type, 'keras-unknown', node, calleeNode, argList, scope);
        default:
          this.evalArgsForModels(argList, scope);
          return this.unknownNode(node, 'it is a call LayerLens does not evaluate');
      }
    }
    if (callee.kind === 'local' && callee.what === 'class') return this.makeLayer(callee.name, 'custom', node, calleeNode, argList, scope);
    // `model = build_model()`: the model its body built, so that `model.add(...)` after the call extends it.
    if (callee.kind === 'local' && callee.returns) return { kind: 'model', model: callee.returns };
    if (callee.kind === 'unknown' && calleeNode.name === 'VariableName' && /^[A-Z]/.test(this.text(calleeNode)))
      // An undefined class-like name used as a layer: probably a layer LayerLens does not know.
      return this.makeLayer(this.text(calleeNode), 'unknown', node, calleeNode, argList, scope);
    this.evalArgsForModels(argList, scope);
    return this.unknownNode(node, 'it is a call LayerLens does not evaluate');
  }

  private callBuiltin(name: string, node: SyntaxNode, argList: SyntaxNode | null, scope: Scope): Value {
    const { positional } = this.parseArgs(argList, scope);
    const vals = positional.map((p) => p.value);
    const bad = vals.find((v) => v.kind === 'unknown');
    if (bad) return bad;
    const nums = (vs: Value[]) => (vs.every((v) => v.kind === 'number') ? (vs as { value: number; isInt: boolean }[]) : null);
    const seqArg = vals.length === 1 && vals[0].kind === 'seq' ? vals[0].items : vals;
    switch (name) {
      case 'int':
        return vals[0]?.kind === 'number' ? num(Math.trunc(vals[0].value)) : vals[0]?.kind === 'string' && /^\s*-?\d+\s*$/.test(vals[0].value) ? num(parseInt(vals[0].value, 10)) : this.unknownNode(node);
      case 'float':
        return vals[0]?.kind === 'number' ? { kind: 'number', value: vals[0].value, isInt: false } : this.unknownNode(node);
      case 'tuple':
      case 'list':
        return vals[0]?.kind === 'seq' ? { kind: 'seq', items: vals[0].items, tuple: name === 'tuple' } : this.unknownNode(node);
      case 'len':
        return vals[0]?.kind === 'seq' ? num(vals[0].items.length) : vals[0]?.kind === 'string' ? num(vals[0].value.length) : this.unknownNode(node);
      case 'abs':
        return vals[0]?.kind === 'number' ? { ...vals[0], value: Math.abs(vals[0].value) } : this.unknownNode(node);
      case 'round':
        return vals[0]?.kind === 'number' && vals.length === 1 ? num(Math.round(vals[0].value)) : this.unknownNode(node);
      case 'max':
      case 'min':
      case 'sum': {
        const ns = nums(seqArg);
        if (!ns || ns.length === 0) return this.unknownNode(node);
        const values = ns.map((n) => n.value);
        const value = name === 'max' ? Math.max(...values) : name === 'min' ? Math.min(...values) : values.reduce((a, b) => a + b, 0);
        return { kind: 'number', value, isInt: ns.every((n) => n.isInt) };
      }
      default:
        return this.unknownNode(node, 'it is a call LayerLens does not evaluate');
    }
  }

  private makeLayer(
    type: string,
    origin: LayerCall['origin'],
    node: SyntaxNode,
    calleeNode: SyntaxNode,
    argList: SyntaxNode | null,
    scope: Scope,
    signature?: string[],
  ): Value {
    const { positional, keywords, starArgs, starKwargs } = this.parseArgs(argList, scope);
    const names = signature ?? (origin === 'keras' ? (ruleFor(type)?.signature ?? []) : []);
    const args = new Map<string, Value>();
    let extraPositional = 0;
    positional.forEach((p, i) => {
      if (i < names.length) args.set(names[i], starArgs ? this.unknownNode(p.node, 'it follows *args') : p.value);
      else extraPositional++;
    });
    for (const [k, v] of keywords) args.set(KWARG_ALIASES[type]?.[k] ?? k, v.value);
    if (starArgs) for (const n of names.slice(positional.length)) if (!args.has(n)) args.set(n, this.unknownNode(argList!, 'it may be set by *args'));
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
    };
    return { kind: 'layer', layer };
  }

  private makeModel(node: SyntaxNode, argList: SyntaxNode | null, scope: Scope): Value {
    const { positional, keywords } = this.parseArgs(argList, scope);
    const nameArg = keywords.get('name')?.value;
    const model: ModelBuilder = {
      name: nameArg?.kind === 'string' ? nameArg.value : (this.pendingName ?? scope.functionName ?? 'sequential'),
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
        for (const item of layersArg.value.items) this.addLayer(model, item, listNode);
      } else if (layersArg.value.kind !== 'none') {
        this.addLayer(model, layersArg.value, listNode);
      }
    }
    this.models.push(model);
    return { kind: 'model', model };
  }

  private addLayer(model: ModelBuilder, value: Value, node: SyntaxNode): void {
    const from = value.kind === 'layer' ? value.layer.from : this.abs(node.from);
    const to = value.kind === 'layer' ? value.layer.to : this.abs(node.to);
    const entry: AddedLayer = { value, from, to, conditional: this.conditional.length > model.conditionalDepth };
    if (entry.conditional) entry.conditionalKeyword = this.conditional[this.conditional.length - 1];
    model.layers.push(entry);
  }

  private callMethod(model: ModelBuilder, method: string, node: SyntaxNode, argList: SyntaxNode | null, scope: Scope): Value {
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

/** `keras.Input(shape, batch_size, dtype, sparse, batch_shape, name, tensor)`. */
const INPUT_SIGNATURE = ['shape', 'batch_size', 'dtype', 'sparse', 'batch_shape', 'name', 'tensor'];
/** `InputLayer(input_shape, batch_size, dtype, input_tensor, sparse, name)` (Keras 2; Keras 3 calls the first `shape`). */
const INPUT_LAYER_SIGNATURE = ['shape', 'batch_size', 'dtype', 'input_tensor', 'sparse', 'name'];

/** Keyword names older Keras used for the same argument. */
const KWARG_ALIASES: Record<string, Record<string, string>> = {
  LeakyReLU: { alpha: 'negative_slope' },
  InputLayer: { input_shape: 'shape', batch_input_shape: 'batch_shape' },
};
