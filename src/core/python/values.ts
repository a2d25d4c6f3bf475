import type { SyntaxNode } from '@lezer/common';
import type { Chunk } from './chunks';

/**
 * Values of the small, static Python evaluator: what an expression is known to be without running it.
 * `unknown` carries the expression's text and offsets, so a rule that needs it can say which
 * expression could not be resolved — never a guess.
 */

export type Value =
  | { kind: 'number'; value: number; isInt: boolean }
  | { kind: 'string'; value: string }
  | { kind: 'bool'; value: boolean }
  | { kind: 'none' }
  /**
   * A list or tuple. `unknownLength`: a list changed where LayerLens cannot tell how often (`.append` in a loop over
   * something unknown, under an undecided `if`): only its first `known` items are certain; `items` holds what one
   * run of that code gave, so its length is never read as a fact.
   */
  | { kind: 'seq'; items: Value[]; tuple: boolean; unknownLength?: UnknownLength }
  | { kind: 'dict'; entries: Map<string, Value> }
  /** A module, class or function reached through imports, by its canonical dotted path (`keras.layers.Conv2D`). */
  | { kind: 'symbol'; path: string }
  /** A class or function defined in the user's file. */
  | ({
      kind: 'local';
      what: 'class' | 'function';
      name: string;
      /** A function's definition, so that each call runs its body with that call's arguments. */
      definition?: FunctionDefinition;
      /** A class's `__init__` (its own or inherited from a class in the file): each instantiation runs it with the call's arguments. */
      init?: Value & { kind: 'local' };
      /** A class's own attributes, as its body bound them (`UNITS = 7`, its methods), read through the class or an instance. */
      attributes?: Map<string, Value>;
      /** A class's bases that are classes of the file, in order: where an attribute it lacks is looked up next. */
      bases?: (Value & { kind: 'local' })[];
    } & LocalClassFacts)
  /** `functools.partial(fn, *args, **kwargs)`: calling it calls `fn` with these arguments first. */
  | { kind: 'partial'; fn: Value; positional: Value[]; keywords: Map<string, Value> }
  /** An array made with a literal shape (`np.zeros((1, 28, 28, 1))`, `ops.ones((1, 4))`): what calling a model on it builds. */
  | { kind: 'tensor'; shape: Value }
  /** A method of a value (`blocks.append`): mutating ones of a list or dict change that value in place. */
  | { kind: 'bound'; self: Value; method: string }
  | { kind: 'unknown'; text: string; from: number; to: number; why: string }
  /** Objects of the evaluator's host (keras/values.ts adds Keras layers, tensors and models). */
  | HostValues[keyof HostValues];

/**
 * The host's kinds of value, by kind: empty here. A host adds its own with TypeScript's module augmentation
 * (`declare module '../python/values' { interface HostValues { layer: {...} } }`), so that this evaluator never names
 * them and hands each to the host's protocol (python/evaluator.ts).
 */
export interface HostValues {}

/** What the host knows about a class of the file (keras/values.ts: its Keras base): empty here. */
export interface LocalClassFacts {}

/** The kinds this evaluator knows itself; any other is a host's. */
const PYTHON_KINDS = new Set(['number', 'string', 'bool', 'none', 'seq', 'dict', 'symbol', 'local', 'partial', 'tensor', 'bound', 'unknown']);

/** Whether a value is one of the host's objects (a Keras layer, tensor or model), not a Python value. */
export function isHostValue(v: Value): boolean {
  return !PYTHON_KINDS.has(v.kind);
}

/** Why a list's length is unknown, and how many of its first items are certain. */
export interface UnknownLength {
  known: number;
  /** `items[known..end)` are what one run of that code added; items after them were added later, surely (at unknown places). */
  end: number;
  /** What changed it, as a phrase: "it is changed under `for` (`os.listdir(d)` is not known)". */
  what: string;
  /** The control flow that changed it (`for`, `if`, `while`) and why it is undecided: a layer taken from the list past `known` is conditional on it. */
  keyword: string;
  why?: string;
}

/** A `def` as the interpreter keeps it: where its body is, the scope it closes over, its defaults, its calls. */
export interface FunctionDefinition {
  node: SyntaxNode;
  chunk: Chunk;
  /** The defining scope (the interpreter's own type; opaque here). */
  closure: unknown;
  /** Default values, evaluated once where the function is defined, as Python does. */
  defaults: Map<string, Value>;
  /** Calls evaluated so far; a function nothing calls is run once with its defaults. */
  calls: number;
  /** Defined while walking the program (not while resolving a name lazily). */
  walked: boolean;
}

export const NONE: Value = { kind: 'none' };

/** Python's truthiness of a value LayerLens knows (False, 0, None, '' and empty sequences are false); null when it cannot tell. */
export function truthOf(v: Value, host?: (v: Value) => boolean | null): boolean | null {
  switch (v.kind) {
    case 'bool':
      return v.value;
    case 'number':
      return v.value !== 0;
    case 'none':
      return false;
    case 'string':
      return v.value !== '';
    case 'seq':
      return v.unknownLength ? (v.unknownLength.known > 0 ? true : null) : v.items.length > 0;
    case 'dict':
      return v.entries.size > 0;
    // Objects that define neither `__bool__` nor `__len__` are true: a class or function, a partial. A host's object
    // (a Keras layer or model) is its host's to tell (`host`).
    case 'partial':
      return true;
    case 'local':
      return v.what === 'function' || v.what === 'class' ? true : null;
    default:
      return isHostValue(v) && host ? host(v) : null;
  }
}

/** "Cannot resolve `x` statically (why)", without repeating the default reason. */
export function cannotResolve(v: { text: string; why: string }): string {
  return v.why === DEFAULT_WHY ? `Cannot resolve \`${v.text}\` statically` : `Cannot resolve \`${v.text}\` statically (${v.why})`;
}

const DEFAULT_WHY = 'it cannot be resolved statically';

export function unknown(text: string, from: number, to: number, why = DEFAULT_WHY): Value {
  return { kind: 'unknown', text, from, to, why };
}

export function num(value: number): Value {
  return { kind: 'number', value, isInt: Number.isInteger(value) };
}

/** Converts a value to plain JSON for configs: tuples become arrays, unknowns become null. */
export function toJson(v: Value, host?: (v: Value) => unknown): unknown {
  switch (v.kind) {
    case 'number':
    case 'string':
    case 'bool':
      return v.value;
    case 'none':
      return null;
    case 'seq':
      return v.items.map((x) => toJson(x, host));
    case 'dict':
      return Object.fromEntries([...v.entries].map(([k, x]) => [k, toJson(x, host)]));
    case 'symbol':
      return v.path.split('.').pop();
    case 'local':
      return v.name;
    default:
      return isHostValue(v) && host ? host(v) : null;
  }
}
