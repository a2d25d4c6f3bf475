/**
 * Python's statements, as far as the source decides them: imports, assignments, `if`, `for` and `while` unrolled
 * where their conditions and iterables are known, and run once as uncertain where they are not (`execUncertain`).
 */
import type { SyntaxNode } from '@lezer/common';
import { ModuleEvaluator } from './module';
import { callMethod, equal, iterate } from './operators';
import { MAX_LOOP_ITERATIONS, MAX_STATEMENTS, type Binding, type Scope, type Signal } from './scope';
import { NONE, unknown, type Value } from './values';

/** A statement that is an expression (a call), or a `return`. */
const EXPRESSION_STATEMENTS = new Set(['ExpressionStatement', 'ReturnStatement']);
const APPENDS = new Set(['append', 'extend', 'insert']);

/**
 * `names.append(x)` (or `.extend`, `.insert`) as a statement of its own, on a plain name: where the name is written
 * (offset in `text`), else -1. Its value is changed, and nothing of it is read (the call gives None).
 */
function appendedName(statement: SyntaxNode, text: string): number {
  const call = statement.name === 'ExpressionStatement' ? statement.firstChild : null;
  if (call?.name !== 'CallExpression' || call.nextSibling) return -1;
  const member = call.firstChild;
  const object = member?.name === 'MemberExpression' ? member.firstChild : null;
  const method = member?.lastChild;
  if (object?.name !== 'VariableName' || object.nextSibling?.name !== '.' || method?.name !== 'PropertyName') return -1;
  return APPENDS.has(text.slice(method.from, method.to)) ? object.from : -1;
}

export abstract class StatementEvaluator extends ModuleEvaluator {
  protected execBlock(block: SyntaxNode, scope: Scope): Signal {
    for (let n = block.firstChild; n; n = n.nextSibling) {
      const signal = this.execStatement(n, scope);
      if (signal) return signal;
    }
    return null;
  }

  protected execStatement(node: SyntaxNode, scope: Scope): Signal {
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
          const appended = this.usage ? appendedName(node, this.cur.text) : -1;
          this.appendedAt = appended >= 0 ? this.abs(appended) : -1;
          for (let c = node.firstChild; c; c = c.nextSibling) if (!c.type.isError || c.firstChild) this.evalExpr(c, scope);
          this.appendedAt = -1;
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
  protected noteListChange(list: Value): void {
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
      this.watched.clear();
      for (const [k, v] of vars) if (this.watches(v.value)) this.watched.add(k);
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
      const truth = this.truth(this.evalExpr(cond, scope));
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
    const mark = this.loopMark();
    for (let i = 0; i < items.length; i++) {
      if (this.overBudget(node, i, mark)) {
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
    const mark = this.loopMark();
    for (let i = 0; ; i++) {
      const truth = this.truth(this.evalExpr(cond, scope));
      if (truth === false) return elseBody ? this.execBlock(elseBody, scope) : null;
      if (truth === null || this.overBudget(node, i, mark)) {
        this.execUncertain('while', truth === null ? this.undecided(cond) : 'the loop runs past the bounds LayerLens follows', [bodies], false, scope);
        return null;
      }
      const signal = this.execBlock(body, scope);
      if (signal === 'break') return null;
      if (signal && signal !== 'continue') return signal;
    }
  }

  /** Why a condition is undecided, for the diagnostic on the layers under it: its text. */
  protected undecided(cond: SyntaxNode): string {
    return `\`${this.text(cond).replace(/\s+/g, ' ').slice(0, 60)}\` is not known`;
  }

  /** Why an iterable is not known: its text, and the reason its value gave. */
  private describeUnknown(node: SyntaxNode, value: Value): string {
    const text = this.text(node).replace(/\s+/g, ' ').slice(0, 60);
    return value.kind === 'unknown' && value.why !== 'it cannot be resolved statically' ? `\`${text}\`: ${value.why}` : `\`${text}\` is not known`;
  }

  /** Past the bounds on iterations or statements: says so once per loop, and the loop is left uncertain. */
  private overBudget(node: SyntaxNode, iteration: number, mark: number): boolean {
    const tooMany = iteration >= MAX_LOOP_ITERATIONS;
    const hostLimit = tooMany ? null : this.loopLimit(mark);
    if (!tooMany && !hostLimit && this.statements < MAX_STATEMENTS) return false;
    const what = tooMany
      ? `${MAX_LOOP_ITERATIONS.toLocaleString('en-US')} iterations`
      : (hostLimit ?? `${MAX_STATEMENTS.toLocaleString('en-US')} statements in this file`);
    this.limitNote(node, `LayerLens stopped following this loop after ${what}; what the rest of it does is unknown.`);
    return true;
  }

  /** Binds `for` or comprehension targets (`i`, `i, (a, b)`, `[x, y]`) to an item; null binds them unknown. */
  protected bindTargets(targets: SyntaxNode[], item: Value | null, scope: Scope, why: string): void {
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
      if (isFrom) this.bind(scope, asName ?? pendingDotted[0], { kind: 'symbol', path: this.canonical(`${modulePath}.${path}`) }, at);
      else if (asName) this.bind(scope, asName, { kind: 'symbol', path: this.canonical(path) }, at);
      else this.bind(scope, pendingDotted[0], { kind: 'symbol', path: this.canonical(pendingDotted[0]) }, at);
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
      else if (c.name === '*' && isFrom) scope.stars.push({ path: this.canonical(modulePath), at: this.abs(c.from) });
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
        const item = value.kind === 'seq' ? value.items[i] : this.unpackHost(value, i);
        this.assignTarget(t, item ?? this.unknownNode(valueNode), scope);
      });
    } else for (const t of targets) this.assignTarget(t, value, scope);
  }

  protected assignTarget(target: SyntaxNode, value: Value, scope: Scope): void {
    if (target.name !== 'VariableName' && target.name !== 'MemberExpression') return;
    // An attribute of a host's object (`layer.trainable = False`) is the host's.
    if (target.name === 'MemberExpression' && this.setHostAttribute(target, value, scope)) return;
    if (target.name === 'MemberExpression') this.setAttribute(target, value, scope);
    const name = this.text(target);
    const previous = this.lookupLocal(name, scope);
    if (previous) this.rebound(name, previous, value, { from: this.abs(target.from), to: this.abs(target.to) });
    this.assigned(name, target, value);
    this.bind(scope, name, value, this.abs(target.from));
  }

  private execUpdate(node: SyntaxNode, scope: Scope): void {
    const target = node.firstChild;
    const op = node.getChild('UpdateOp');
    const valueNode = node.lastChild;
    if (!target || !op || !valueNode) return;
    // `self.units *= 2`: the attribute read, then set as an assignment sets it (a list's `+=` extends it in place).
    if (target.name === 'MemberExpression') {
      const left = this.evalExpr(target, scope);
      const right = this.evalExpr(valueNode, scope);
      if (this.text(op) === '+=' && left.kind === 'seq' && !left.tuple && iterate(right) !== null) {
        this.noteListChange(left);
        callMethod(left, 'extend', [right]);
        this.assignTarget(target, left, scope);
      } else this.assignTarget(target, this.arith(this.text(op).slice(0, -1), left, right, node), scope);
      return;
    }
    if (target.name !== 'VariableName') return;
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

  /** `raise ValueError(message)` in a library's code (`library`): the message, for the host to report at the user's call. */
  protected raise(node: SyntaxNode, scope: Scope): never {
    const args = node.getChild('CallExpression')?.getChild('ArgList');
    const first = args ? this.elements(args)[0] : undefined;
    const message = first ? this.evalExpr(first, scope) : null;
    return this.raised(message?.kind === 'string' ? message.value : null);
  }

  // ---- what the levels above and the host give ------------------------------------------------

  protected abstract arith(op: string, a: Value, b: Value, node: SyntaxNode): Value;
  protected abstract setAttribute(target: SyntaxNode, value: Value, scope: Scope): void;
  protected abstract execFunction(node: SyntaxNode, scope: Scope): void;
  protected abstract execClass(node: SyntaxNode, scope: Scope): void;

  /** Host: a library's `raise` with this message (null: not a string): an error of the user's call. */
  protected abstract raised(message: string | null): never;
  /** Host: a mark, before a loop, of what it counts towards its bounds (models made). */
  protected abstract loopMark(): number;
  /** Host: past one of its bounds since `mark` (a loop making too many models): what, as a phrase; else null. */
  protected abstract loopLimit(mark: number): string | null;
  /** Host: item `i` of one of its objects unpacked (`out, h, c = lstm(x)`); undefined where it cannot be. */
  protected abstract unpackHost(value: Value, i: number): Value | undefined;
  /** Host: `obj.name = value` where that is its object's (`layer.trainable = False`): true when it took it. */
  protected abstract setHostAttribute(target: SyntaxNode, value: Value, scope: Scope): boolean;
  /** Host: `name = value` was assigned at `target` (a Keras tensor, noted with its variable's name). */
  protected abstract assigned(name: string, target: SyntaxNode, value: Value): void;
}
