/**
 * Python's functions and classes: a `def` binds its function and each call runs its body with that call's arguments
 * (`runFunction`); a `class` binds its class, and calling it runs `__init__` for a new instance (`instantiate`),
 * whose attributes are read back as the source decides them.
 */
import type { SyntaxNode } from '@lezer/common';
import { chunkToSource } from './chunks';
import { attributesSetByMethods, classAttribute, defines, type Instance, type LocalClass } from './objects';
import { MAX_CALL_DEPTH, MAX_STATEMENTS, Scope, type ParsedArgs, type Signal } from './scope';
import { NONE, unknown, type FunctionDefinition, type Value } from './values';
import { StatementEvaluator } from './statements';
import type { LocalFunction } from './module';

export abstract class FunctionEvaluator extends StatementEvaluator {
  /** A `def` binds its function; the body runs when it is called (or, if nothing calls it, once with its defaults). */
  protected execFunction(node: SyntaxNode, scope: Scope): void {
    const nameNode = node.getChild('VariableName');
    const name = nameNode ? this.text(nameNode) : '<function>';
    const defaults = new Map<string, Value>();
    for (const p of this.parameters(node)) if (p.defaultNode) defaults.set(p.name, this.evalExpr(p.defaultNode, scope));
    const fn: LocalFunction = {
      kind: 'local',
      what: 'function',
      name,
      definition: { node, chunk: this.cur.chunk, closure: scope, defaults, calls: 0, walked: this.lazyDepth === 0 },
    };
    this.bind(scope, name, fn, this.abs(node.from));
    if (fn.definition?.walked && node.getChild('Body')) this.functions.push(fn);
  }

  /** A function's or lambda's parameters, in order: `*args` and `**kwargs` marked, `/` and a bare `*` skipped. */
  protected parameters(node: SyntaxNode): { name: string; node: SyntaxNode; defaultNode: SyntaxNode | null; star: '' | '*' | '**'; keywordOnly: boolean }[] {
    const out: ReturnType<FunctionEvaluator['parameters']> = [];
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
  protected parameterScope(node: SyntaxNode, scope: Scope, name: string): Scope {
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
  protected runFunction(fn: LocalFunction, positional: Value[], keywords: Map<string, Value>, unknownArgs: SyntaxNode | null): Value {
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
      if (value === undefined && !def.defaults.has(p.name) && this.runningDefaults) value = this.defaultArgument(p.name);
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
  protected callFunction(fn: LocalFunction, node: SyntaxNode, argList: SyntaxNode | null, scope: Scope, parsed?: ParsedArgs): Value {
    const def = fn.definition as FunctionDefinition;
    const limit =
      this.callDepth >= MAX_CALL_DEPTH
        ? `its calls go deeper than LayerLens follows (${MAX_CALL_DEPTH} calls)`
        : this.statements >= MAX_STATEMENTS
          ? `the file runs more than ${MAX_STATEMENTS.toLocaleString('en-US')} statements, more than LayerLens follows`
          : this.callLimit();
    if (limit) {
      this.limitNote(node, `LayerLens stopped following calls here: ${limit}; what this call returns is unknown.`);
      return this.unknownNode(node, limit);
    }
    const { positional, keywords, starArgs, starKwargs } = parsed ?? this.parseArgs(argList, scope);
    def.calls++;
    const target = this.pendingName;
    const mark = this.callMark();
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
    this.callMade(mark, { function: fn.name, call, value, target });
    return value;
  }

  protected execClass(node: SyntaxNode, scope: Scope): void {
    const nameNode = node.getChild('VariableName');
    const name = nameNode ? this.text(nameNode) : '<class>';
    const cls: LocalFunction = { kind: 'local', what: 'class', name };
    this.bind(scope, name, cls, this.abs(node.from));
    // Bases are evaluated as expressions (`(keras.Model)` is keras.Model); keyword arguments (metaclass=) are not bases.
    const argList = node.getChild('ArgList');
    const baseNodes = argList
      ? this.elements(argList).filter(
          (c) => c.name !== 'AssignOp' && c.nextSibling?.name !== 'AssignOp' && c.prevSibling?.name !== 'AssignOp' && !c.type.isError,
        )
      : [];
    const baseValues = baseNodes.map((b) => this.evalExpr(b, scope));
    const localBases = baseValues.filter((v): v is LocalClass => v.kind === 'local' && v.what === 'class');
    if (localBases.length) cls.bases = localBases;
    const body = node.getChild('Body');
    this.classHeader(cls, baseValues, body);
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
    // Bases all known (the file's classes, the host's classes, `object`) and no `__bool__` / `__len__`: instances are true.
    const knownBase = (v: Value, n: SyntaxNode) =>
      (v.kind === 'local' && this.plainClasses.has(v)) || (v.kind === 'symbol' && this.knownClass(v.path)) || this.text(n) === 'object';
    if (baseValues.every((v, i) => knownBase(v, baseNodes[i])) && !defines(cls, '__bool__') && !defines(cls, '__len__')) this.plainClasses.add(cls);
    this.classDefined(cls, baseValues, localBases, nameNode, body);
  }

  /**
   * `Trainer(data, latent_dim=16)`: the class's `__init__` runs with this call's arguments (the instance is `self`),
   * so a model it builds is this call's, not one built with the defaults.
   */
  protected instantiate(cls: LocalFunction, node: SyntaxNode, parsed: ParsedArgs): Instance {
    const self = unknown('self', this.abs(node.from), this.abs(node.to), `it is an instance of \`${cls.name}\``);
    const record: Instance = { cls, attributes: new Map(), depth: this.conditional.length, self };
    this.instances.set(self, record);
    const init = cls.init;
    if (!init?.definition) return record;
    init.definition.calls++;
    const mark = this.callMark();
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
    this.callMade(mark, { function: cls.name, call, cls });
    return record;
  }

  /**
   * `obj.name` of an instance: what was set on it (`self.units = units`; set where LayerLens cannot decide whether it
   * runs: unknown), else its class's (with its bases'). A name one of the class's methods sets on `self`, and no method
   * that ran has set yet, is unknown: a method may run where LayerLens cannot see it (a callback a library calls).
   * A method read through an instance is bound to it (`boundMethod`).
   */
  protected instanceAttribute(record: Instance, name: string, node: SyntaxNode, self: boolean): Value | undefined {
    // Set outside the class (`cfg.units = 9`, in a function or a statement the analysis may read lazily): unknown.
    const outside = this.setOutside(record.cls, name);
    if (outside !== null) return this.unknownNode(node, `it is set at line ${this.program.source.position(outside).line}, outside \`${record.cls.name}\``);
    const set = record.attributes.get(name);
    if (set) return set;
    const found = classAttribute(record.cls, name);
    if (!found) return undefined;
    if (found.kind === 'local' && found.what === 'function') return this.boundMethod(found, record, node, self);
    const changing = this.methodSet.get(record.cls);
    if (changing?.has(name) || changing?.has('*'))
      return this.unknownNode(node, `a method of \`${record.cls.name}\` sets it, and LayerLens cannot tell whether that method ran first`);
    return found;
  }

  /**
   * A method read through an instance, as Python binds it: a plain one gets the instance as `self`, so that
   * `b.build(3)`, `self.builder.build(3)` and `Builder(16).build(3)` run `build` with that instance and that call's
   * arguments (each call builds its own model); a `@staticmethod` is its function, a `@classmethod` gets the class.
   * Another decorator (`@property`, a library's) is not applied, so its value is unknown. Outside the class's own
   * methods, only where the host follows the class's methods (not a Keras layer's, whose `build` and `call` Keras runs).
   */
  private boundMethod(fn: LocalFunction, record: Instance, node: SyntaxNode, self: boolean): Value {
    const kind = methodKind(fn);
    if (kind === 'static') return fn;
    if (kind === 'class') return { kind: 'partial', fn, positional: [record.cls], keywords: new Map() };
    if (kind === 'decorated') return this.unknownNode(node, 'it is a method with a decorator, which LayerLens does not apply');
    if (!self && !this.followsMethods(record.cls))
      return this.unknownNode(node, `it is a method of a Keras class, which LayerLens follows only where \`${record.cls.name}\` calls it on \`self\``);
    // A statement group that calls a method is run with the one whose class's method would otherwise run alone.
    if (!self) this.usage?.reads.add(methodUsage(fn.name, this.classScopes.get(fn.definition?.closure as Scope) ?? record.cls));
    return { kind: 'partial', fn, positional: [record.self], keywords: new Map() };
  }

  /** `Factory.create` of a class: a `@classmethod` gets the class as its first argument; anything else is as written. */
  protected classMember(cls: LocalClass, found: Value): Value {
    if (found.kind === 'local' && found.what === 'function' && methodKind(found) === 'class')
      return { kind: 'partial', fn: found, positional: [cls], keywords: new Map() };
    return found;
  }

  /** Where the file sets `.name` of something (`x.name = ...`, `x.name += ...`) outside the class and its bases; null if nowhere. */
  protected setOutside(cls: LocalClass, name: string): number | null {
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

  /** `obj.name = value` where `obj` is an instance of the file's classes or such a class: noted on it, for later reads. */
  protected setAttribute(target: SyntaxNode, value: Value, scope: Scope): void {
    const ownerNode = target.firstChild;
    const prop = target.lastChild;
    if (ownerNode?.name !== 'VariableName' || prop?.name !== 'PropertyName') return;
    const owner = this.lookup(this.text(ownerNode), scope, this.abs(ownerNode.from), ownerNode);
    const record = this.instanceOf(owner);
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

  /** The record of an instance of the file's classes a value stands for (`self`, or the host's object for it). */
  protected instanceOf(v: Value): Instance | undefined {
    const key = v.kind === 'unknown' ? v : this.instanceKey(v);
    return key ? this.instances.get(key) : undefined;
  }

  // ---- what the levels above and the host give ------------------------------------------------

  protected abstract parseArgs(argList: SyntaxNode | null, scope: Scope): ParsedArgs;

  /** Host: the value of parameter `name` of a function run with its defaults that has none (Keras Tuner's `hp`). */
  protected abstract defaultArgument(name: string): Value | undefined;
  /** Host: past one of its file-wide bounds (models, layer calls): why calls are no longer followed; else null. */
  protected abstract callLimit(): string | null;
  /** Host: a mark, before a call of the file's function or class, of what it made so far (models). */
  protected abstract callMark(): number;
  /** Host: that call returned (`value`, assigned to `target`), or `cls` was instantiated: what it made since `mark` is the call's. */
  protected abstract callMade(
    mark: number,
    made: { function: string; call: { from: number; to: number }; value?: Value; target?: string | null; cls?: LocalClass },
  ): void;
  /** Host: a class's bases are evaluated, before its body runs (a subclass of a Keras layer). */
  protected abstract classHeader(cls: LocalClass, bases: Value[], body: SyntaxNode | null): void;
  /** Host: a class is defined (a `keras.Model` subclass). */
  protected abstract classDefined(cls: LocalClass, bases: Value[], localBases: LocalClass[], nameNode: SyntaxNode | null, body: SyntaxNode | null): void;
  /** Host: whether a library class at `path` is known to define neither `__bool__` nor `__len__` (its instances are true). */
  protected abstract knownClass(path: string): boolean;
  /** Host: whether methods of the class called on its instances from outside it are followed (not a Keras layer's). */
  protected abstract followsMethods(cls: LocalClass): boolean;
  /** Host: the object that stands for an instance of the file's classes in one of its values (a layer's call). */
  protected abstract instanceKey(v: Value): object | undefined;
}

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

/**
 * The names under which a statement group's run notes that it calls a method, or runs one with its defaults (no
 * Python name starts with a dot): two such groups are run together, as one run of the file would run them, so that a
 * method called in one is not also run alone with its defaults in the other. A method of a class LayerLens knows is
 * noted with that class (`.Manager.push`: another class's `push` is another method); a call on an object LayerLens
 * cannot follow notes every class of the file that defines a method of that name (keras/modelClasses.ts).
 */
export function methodUsage(name: string, cls: { name: string }): string {
  return `.${cls.name}.${name}`;
}

/**
 * How a method binds: a plain `def`, `@staticmethod`, `@classmethod`, or another decorator (not applied). The
 * decorators are read from the method's own statement (the text is its chunk's, which may not be the current one).
 */
function methodKind(fn: LocalFunction): 'plain' | 'static' | 'class' | 'decorated' {
  const def = fn.definition;
  const parent = def?.node.parent;
  if (!def || parent?.name !== 'DecoratedStatement') return 'plain';
  const decorators: string[] = [];
  for (let c = parent.firstChild; c; c = c.nextSibling)
    if (c.name === 'Decorator') decorators.push(def.chunk.text.slice(c.from, c.to).replace(/^@\s*|\s+$/g, ''));
  if (decorators.length !== 1) return 'decorated';
  return decorators[0] === 'staticmethod' ? 'static' : decorators[0] === 'classmethod' ? 'class' : 'decorated';
}
