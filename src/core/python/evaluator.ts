/**
 * The Python evaluator: an abstract interpreter over `Value` that reads a program the way Python would run it, as far
 * as that can be known without running anything. Imports and aliases, constants, functions and classes of the file,
 * control flow the source decides (an `if` whose condition is known takes its branch, a `for` over a known iterable
 * is unrolled), each call of a function of the file with that call's arguments; what it cannot know is an explicit
 * `unknown` that says why, never a guess.
 *
 * The levels, each in its own file: module.ts (the module's names, lazy reads), statements.ts, functions.ts
 * (functions and classes) and this one (expressions and calls). It knows nothing of Keras. Its host implements the
 * protocol of abstract methods, here and in those files, marked "Host:": calls, attributes got and set, indexing,
 * unpacking and operators on the host's objects (`isHostValue`), their truth, and a few points where the host
 * watches the program run (`callMade`, `classDefined`, `assigned`). keras/interpreter.ts is the host for Keras.
 */
import type { SyntaxNode } from '@lezer/common';
import { FunctionEvaluator } from './functions';
import { classAttribute } from './objects';
import { arith, builtin, callMethod, compare, iterate, MAX_SEQUENCE, unknownLengthWhy } from './operators';
import { parseNumber, parseString } from './literals';
import { MAX_STATEMENTS, Scope, type CallSite, type ParsedArgs } from './scope';
import { isHostValue, NONE, type Value } from './values';

/** A list's methods that change it in place. */
const LIST_MUTATORS = new Set(['append', 'extend', 'insert', 'pop', 'remove', 'clear', 'sort', 'reverse']);

export abstract class Evaluator extends FunctionEvaluator {
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
    const truth = this.truth(this.evalExpr(cond, scope));
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
        const truth = this.truth(this.evalExpr(clause.cond, inner));
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
    const truth = this.truth(left);
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
    const truth = this.truth(v);
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
      const truth = this.truth(v);
      return truth === null ? this.unknownNode(node) : { kind: 'bool', value: !truth };
    }
    const hosted = this.unaryHost(t, v, node);
    if (hosted) return hosted;
    if (v.kind !== 'number') return this.unknownNode(node);
    if (t === '-') return { kind: 'number', value: -v.value, isInt: v.isInt };
    if (t === '+') return v;
    return this.unknownNode(node);
  }

  protected arith(op: string, a: Value, b: Value, node: SyntaxNode): Value {
    const hosted = this.binaryHost(op, a, b, node);
    if (hosted) return hosted;
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
    if (obj.kind === 'symbol') return { kind: 'symbol', path: this.canonical(`${obj.path}.${name}`) };
    const hosted = this.attributeOf(obj, name, node);
    if (hosted) return hosted;
    if (obj.kind === 'seq' || obj.kind === 'dict') return { kind: 'bound', self: obj, method: name };
    if (obj.kind === 'unknown') {
      // `self.model` and other attribute targets are bound by their full text.
      const local = this.lookupAttribute(this.text(node), scope);
      if (local) return local;
    }
    // An attribute of an instance of the file's classes (`cfg.UNITS`, `self.UNITS`) or of such a class (`Cfg.UNITS`).
    const record = this.instanceOf(obj);
    if (record) {
      const found = this.instanceAttribute(record, name, node, obj.kind === 'unknown');
      if (found) return found;
    }
    if (obj.kind === 'local' && obj.what === 'class') {
      const outside = this.setOutside(obj, name);
      if (outside !== null) return this.unknownNode(node, `it is set at line ${this.program.source.position(outside).line}, outside \`${obj.name}\``);
      const found = classAttribute(obj, name);
      if (found) return this.classMember(obj, found);
    }
    return this.attributeAfter(obj, name, node) ?? this.unknownNode(node);
  }

  private evalSubscript(node: SyntaxNode, objNode: SyntaxNode, scope: Scope): Value {
    const obj = this.evalExpr(objNode, scope);
    const sliced = this.indexHost(obj, node, objNode, scope);
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
    const several = isHostValue(obj) ? this.sequenceOf(obj) : null;
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

  protected parseArgs(argList: SyntaxNode | null, scope: Scope): ParsedArgs {
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
    const site: CallSite = { node, calleeNode, argList, scope };
    const early = this.beforeCall(site);
    if (early) return early;
    const callee = this.evalExpr(calleeNode, scope);
    // A method of a list or dict (`blocks.append(x)`); one of a host's object is the host's.
    if (callee.kind === 'bound' && !isHostValue(callee.self)) {
      if (LIST_MUTATORS.has(callee.method)) this.noteListChange(callee.self);
      const result = callMethod(
        callee.self,
        callee.method,
        this.parseArgs(argList, scope).positional.map((p) => p.value),
      );
      return typeof result === 'string' ? this.unknownNode(node, result) : result;
    }
    if (callee.kind === 'symbol' && callee.path.startsWith('builtins.')) {
      const { positional, keywords } = this.parseArgs(argList, scope);
      const result = builtin(
        callee.path.slice(9),
        positional.map((p) => p.value),
        new Map([...keywords].map(([k, v]) => [k, v.value])),
      );
      return typeof result === 'string' ? this.unknownNode(node, result) : result;
    }
    if (callee.kind === 'local' && callee.what === 'function' && callee.definition) return this.callFunction(callee, node, argList, scope);
    if (callee.kind === 'partial') return this.callPartial(callee, site);
    return this.callHost(callee, site);
  }

  /** `functools.partial(fn, *args, **kwargs)`: a partial of a partial is one, with the arguments of both. */
  protected makePartial(node: SyntaxNode, args: ParsedArgs): Value {
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
   * Conv2D. A function of the file runs here; anything else is the host's (a layer, a class of the file).
   */
  private callPartial(partial: Value & { kind: 'partial' }, site: CallSite): Value {
    const { calleeNode, argList, scope } = site;
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
    if (fn.kind === 'local' && fn.what === 'function' && fn.definition) return this.callFunction(fn, site.node, argList, scope, parsed);
    return this.callPartialHost(fn, site, parsed);
  }

  // ---- the host's protocol for its objects ----------------------------------------------------

  /** Host: `op` of one of its objects and a value (`x + 1`, `x @ w`), or null where it is no operation of its own. */
  protected abstract binaryHost(op: string, a: Value, b: Value, node: SyntaxNode): Value | null;
  /** Host: a unary operator (`-x`) on one of its objects, or null. */
  protected abstract unaryHost(op: string, v: Value, node: SyntaxNode): Value | null;
  /** Host: `obj.name` where that is its own (a tensor's `shape`, a model's `layers`), read before Python's attributes. */
  protected abstract attributeOf(obj: Value, name: string, node: SyntaxNode): Value | undefined;
  /** Host: `obj.name` of one of its objects that Python's attributes did not give (a layer's `output`). */
  protected abstract attributeAfter(obj: Value, name: string, node: SyntaxNode): Value | undefined;
  /** Host: `obj[...]` where that is its own (a Keras tensor sliced), or null. */
  protected abstract indexHost(obj: Value, node: SyntaxNode, objNode: SyntaxNode, scope: Scope): Value | null;
  /** Host: one of its objects as a sequence to index (a layer's several outputs), or null. */
  protected abstract sequenceOf(obj: Value): Value | null;
  /** Host: a call it takes before its callee is evaluated (`super().__init__(...)` of a model, `self.add_weight(...)`), or null. */
  protected abstract beforeCall(site: CallSite): Value | null;
  /** Host: a call of anything but a list's method, a builtin, a function of the file or a partial: its result (unknown if it cannot tell). */
  protected abstract callHost(callee: Value, site: CallSite): Value;
  /** Host: a partial of anything but a function of the file, called with these merged arguments. */
  protected abstract callPartialHost(fn: Value, site: CallSite, parsed: ParsedArgs): Value;
}
