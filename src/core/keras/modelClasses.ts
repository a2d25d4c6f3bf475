/**
 * The file's classes and functions as Keras sees them, for the Keras host (keras/interpreter.ts): subclasses of a
 * Keras layer, custom layers (`keras.layers.Layer` subclasses, followed by customLayers.ts), `keras.Model` subclasses
 * whose `__init__` hands Keras a graph (issue 21 §5), and functions nothing calls, run with their defaults so their
 * models are still shown (a Keras Tuner `hp` with the search space's first values).
 */
import type { SyntaxNode } from '@lezer/common';
import { toSnakeCase } from '../layers/rule';
import { callHeadsOnce } from '../python/calls';
import { chunkToSource, type Chunk } from '../python/chunks';
import { methodUsage } from '../python/functions';
import { classAttribute, defines, type Instance, type LocalClass } from '../python/objects';
import { iterate } from '../python/operators';
import { MAX_CALL_DEPTH, MAX_STATEMENTS, type ParsedArgs, type Scope } from '../python/scope';
import { NONE, unknown, type FunctionDefinition, type Value } from '../python/values';
import { CustomLayers } from './customLayers';
import { isGraphInit, superInitCalls } from './objects';
import { classDefs, codeMayTouchModels, type ClassDefs } from './chunkInfo';
import { classifySymbol } from './symbols';
import { MAX_MODELS } from './tensorGraph';
import type { LayerCall, ModelBuilder } from './values';

export abstract class ModelClasses extends CustomLayers {
  /** `obj.name(...)` calls whose object LayerLens could not follow, in the order they ran (see callHost). */
  protected readonly unfollowedMethodCalls: { name: string; from: number; to: number }[] = [];

  /** Set when an `hp.Int(...)`-like call gave Keras Tuner's first value (see hyperParameter). */
  private tunerDefaults = false;

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
  protected superInit(node: SyntaxNode, calleeNode: SyntaxNode, argList: SyntaxNode | null, scope: Scope): Value | null {
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
  protected instantiateClass(cls: LocalClass, node: SyntaxNode, calleeNode: SyntaxNode, argList: SyntaxNode | null, parsed: ParsedArgs, scope: Scope): Value {
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

  /**
   * A function nothing in the file calls still shows its model: its body runs once with the defaults. Last defined
   * first: a helper is usually defined before the function that calls it, which then calls it with real arguments,
   * so the helper does not also run alone with parameters it has no value for.
   */
  private runUncalledFunctions(): void {
    /** Models each function built with its defaults, to name where the file passes it on (one scan for all). */
    const byDefaults: { fn: Extract<Value, { kind: 'local' }>; made: ModelBuilder[] }[] = [];
    // The methods of every class of the file that may make a model, not only of this run's classes: a group's run
    // decides as the whole file's does.
    const callables = new Set(this.functions.map((f) => f.name).concat(this.classNames));
    for (const m of modelMethods(this.program.chunks)) callables.add(m);
    for (let i = this.functions.length - 1; i >= 0; i--) {
      const fn = this.functions[i];
      if (!fn.definition || fn.definition.calls > 0 || !mayBuildModels(fn.definition, callables)) continue;
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
      } else {
        // Noted as the class's method: a call of it through an instance, or on an object LayerLens cannot follow
        // (which may be any class's of that name), reads that (runs of other classes' methods of the name stay apart).
        const owner = this.classScopes.get(fn.definition.closure as Scope);
        if (owner) this.usage?.binds.add(methodUsage(fn.name, owner));
        this.runFunction(fn, [], new Map(), null);
      }
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
      // A method the file calls on an object LayerLens could not follow (`make_builder().build_model()`): that call.
      const method = this.classScopes.has(fn.definition?.closure as Scope) ? this.unfollowedMethodCalls.find((c) => c.name === fn.name) : undefined;
      if (method) for (const m of made) if (m.builtBy && !m.builtBy.call) m.builtBy.calledOn = { from: method.from, to: method.to };
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
  protected hyperParameter(method: string, node: SyntaxNode, args: ParsedArgs): Value {
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

  // ---- the evaluator's hooks for classes and calls --------------------------------------------

  /** The names of the file's classes, for the calls a function nothing calls may make (runUncalledFunctions). */
  private readonly classNames: string[] = [];

  /** A subclass of a Keras layer keeps its parent's rules unless it overrides how its shape or weights are made; one of `keras.layers.Layer` itself is a custom layer. */
  protected classHeader(cls: LocalClass, bases: Value[], body: SyntaxNode | null): void {
    this.classNames.push(cls.name);
    // A subclass of a Keras layer (`class StandardizedConv2D(layers.Conv2D)`) keeps its parent's rules unless it overrides how its shape or weights are made.
    const overrides: string[] = [];
    for (let c = body?.firstChild ?? null; c; c = c.nextSibling) {
      const def = c.name === 'DecoratedStatement' ? c.getChild('FunctionDefinition') : c.name === 'FunctionDefinition' ? c : null;
      const defName = def?.getChild('VariableName');
      if (defName) overrides.push(this.text(defName));
    }
    for (const v of bases) {
      const parent = v.kind === 'symbol' ? classifySymbol(v.path) : null;
      const type = parent?.kind === 'layer' ? parent.type : v.kind === 'local' ? v.layerBase?.type : undefined;
      if (type) cls.layerBase = { type, overrides: [...overrides, ...(v.kind === 'local' ? (v.layerBase?.overrides ?? []) : [])] };
    }
    // A subclass of `keras.layers.Layer` itself (`class Sampling(layers.Layer)`): its `call()` may be followed.
    if (!cls.layerBase && bases.some((v) => (v.kind === 'symbol' && CUSTOM_LAYER_BASE.test(v.path)) || (v.kind === 'local' && v.customLayer)))
      cls.customLayer = true;
  }

  protected classDefined(cls: LocalClass, bases: Value[], localBases: LocalClass[], nameNode: SyntaxNode | null, body: SyntaxNode | null): void {
    const kerasModel = bases.some((v) => v.kind === 'symbol' && /^keras\.(?:models\.)?Model$/.test(v.path));
    if (kerasModel || localBases.some((b) => b.modelBase)) this.modelClass(cls, kerasModel, localBases, nameNode, body);
  }

  /** Keras' classes define neither `__bool__` nor `__len__`. */
  protected knownClass(path: string): boolean {
    return path.startsWith('keras.');
  }

  /** Methods called from outside the class are followed for plain classes, not for Keras layers and models (Keras runs `build` and `call`). */
  protected followsMethods(cls: LocalClass): boolean {
    return !cls.customLayer && !cls.layerBase && !cls.modelBase;
  }

  /** An instance of the file's classes is a layer call (`Cfg()`), by which its record is found. */
  protected instanceKey(v: Value): object | undefined {
    return v.kind === 'layer' ? v.layer : undefined;
  }

  protected callMark(): number {
    return this.models.length;
  }

  /** The models a call made are its own (`builtBy`); `m2 = build_model(...)`: the model it returns is named after the call's variable. */
  protected callMade(
    mark: number,
    made: { function: string; call: { from: number; to: number }; value?: Value; target?: string | null; cls?: LocalClass },
  ): void {
    // A Sequential a custom layer makes in `__init__` (a transformer block's feed-forward part) is one of its
    // sublayers, summed into its row, not a model of the file.
    if (made.cls?.customLayer) this.models.splice(mark);
    for (const m of this.models.slice(mark)) m.builtBy ??= { function: made.function, call: this.runningDefaults ? null : made.call };
    const { value, target } = made;
    if (value?.kind === 'model' && target && !value.model.explicitName && this.models.indexOf(value.model) >= mark) value.model.name = target;
  }

  /** A Keras Tuner model-building function (`def build_model(hp)`) run as the tuner runs it first: `hp` holds the search space's defaults. */
  protected defaultArgument(name: string): Value | undefined {
    return name === 'hp' ? { kind: 'symbol', path: HYPERPARAMETERS } : undefined;
  }

  /** Functions nothing called run with their defaults; the models in source order (several calls of one function keep the order of the calls). */
  protected afterRun(): void {
    if (!this.library) this.runUncalledFunctions();
    this.models.sort((a, b) => a.from - b.from);
  }

  protected abstract makeLayer(
    type: string,
    origin: LayerCall['origin'],
    node: SyntaxNode,
    calleeNode: SyntaxNode,
    argList: SyntaxNode | null,
    scope: Scope,
    signature?: string[],
    path?: string,
    parsed?: ParsedArgs,
  ): Value;
}

/** Methods a layer subclass may override that change what LayerLens computes from the parent's rules. */
const SHAPE_CHANGING_METHODS = new Set(['__init__', 'build', 'compute_output_shape']);

/** `keras.layers.Layer` (or `keras.Layer`): a class subclassing it is a custom layer whose `call()` may be followed. */
const CUSTOM_LAYER_BASE = /^keras(?:\.layers)?(?:\.(?:engine\.)?base_layer)?\.Layer$/;

/** Keras Tuner's search space (`hp` in a model-building function; `kt.HyperParameters()`), and its methods that give a value. */
export const HYPERPARAMETERS = 'keras_tuner.HyperParameters';
export const HYPERPARAMETER_METHOD = /^keras_tuner\.HyperParameters\.(Int|Float|Choice|Boolean|Fixed)$/;

/**
 * Whether running a function nothing calls, with its defaults, may show a model: its text may touch one (the test
 * statements pass to be walked), or it calls a function or class of the file (which then runs with this call's
 * arguments, not alone with its defaults). Any other function is not run: in Python it never runs, and running it
 * here would only follow code no model depends on (a trainer's `for epoch in range(self.epochs)`).
 */
function mayBuildModels(def: FunctionDefinition, callables: Set<string>): boolean {
  const text = def.chunk.text.slice(def.node.from, def.node.to);
  if (codeMayTouchModels(text)) return true;
  // Its body only: the `def name(` line is no call.
  const body = def.node.lastChild;
  return body !== null && callHeadsOnce(def.chunk.text.slice(body.from, def.node.to)).some((name) => callables.has(name));
}

/** Per program (its chunks), what its top-level class statements define (chunkInfo's classDefs). */
const fileClassesCache = new WeakMap<readonly Chunk[], ClassDefs[]>();

function fileClasses(chunks: readonly Chunk[]): ClassDefs[] {
  let classes = fileClassesCache.get(chunks);
  if (!classes) {
    classes = [];
    for (const chunk of chunks) {
      const defs = chunk.text.startsWith('class') || chunk.text.startsWith('@') ? classDefs(chunk.text) : null;
      if (defs) classes.push(defs);
    }
    fileClassesCache.set(chunks, classes);
  }
  return classes;
}

/** Per program, the methods of its classes that may make a model: asked by every group's run. */
const modelMethodsCache = new WeakMap<readonly Chunk[], Set<string>>();

function modelMethods(chunks: readonly Chunk[]): Set<string> {
  let found = modelMethodsCache.get(chunks);
  if (!found) {
    found = new Set(fileClasses(chunks).flatMap((c) => (c.mayTouchModels ? c.methods : [])));
    modelMethodsCache.set(chunks, found);
  }
  return found;
}

/** Per program, the classes of the file by the methods they define (see methodOwners). */
const methodOwnersCache = new WeakMap<readonly Chunk[], Map<string, string[]>>();

/**
 * The top-level classes of the program that define a method of each name: a call of `obj.name()` on an object
 * LayerLens cannot follow may be a call of any of theirs (`.name` of each is what such a call notes it reads).
 */
export function methodOwners(chunks: readonly Chunk[]): Map<string, string[]> {
  let owners = methodOwnersCache.get(chunks);
  if (!owners) {
    owners = new Map();
    for (const c of fileClasses(chunks))
      for (const m of c.defs) {
        const named = owners.get(m);
        if (named) named.push(c.name);
        else owners.set(m, [c.name]);
      }
    methodOwnersCache.set(chunks, owners);
  }
  return owners;
}
