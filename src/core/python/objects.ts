/**
 * Objects of the user's classes, as far as the source decides them (issue 21 §5–6): class constants read through
 * the class or an instance (`cfg.UNITS`, `self.UNITS`), attributes an instance was given (`self.units = units`),
 * and the truth of an instance. (Which `keras.Model` subclasses hand Keras a graph: keras/objects.ts.)
 */
import type { SyntaxNode } from '@lezer/common';
import type { Value } from './values';

export type LocalClass = Value & { kind: 'local' };

/** An instance of a class of the file: its class and the attributes set on it so far (`self.units = units`). */
export interface Instance extends InstanceFacts {
  cls: LocalClass;
  attributes: Map<string, Value>;
  /** How deep in undecided control flow it was made: an attribute set deeper is set on some paths only. */
  depth: number;
  /** The value that stands for it as `self` in its methods. */
  self: Value;
}

/** What the host records on an instance (keras/objects.ts: the model a `keras.Model` subclass made): empty here. */
export interface InstanceFacts {}

/** A class's attribute, its own or its bases' (Python's order for single inheritance; depth first for several). */
export function classAttribute(cls: LocalClass, name: string, seen = new Set<LocalClass>()): Value | undefined {
  if (seen.has(cls)) return undefined;
  seen.add(cls);
  const own = cls.attributes?.get(name);
  if (own) return own;
  for (const base of cls.bases ?? []) {
    const found = classAttribute(base, name, seen);
    if (found) return found;
  }
  return undefined;
}

/**
 * Attributes a class's methods set on `self` (`self.units = 8`): those of methods other than `__init__` (they may
 * change whenever one runs), and those of `__init__` (`'*'`: every name, where a method calls `setattr`).
 */
export function attributesSetByMethods(body: SyntaxNode | null, text: (n: SyntaxNode) => string): { methods: Set<string>; init: Set<string> } {
  const methods = new Set<string>();
  const init = new Set<string>();
  for (let c = body?.firstChild ?? null; c; c = c.nextSibling) {
    const def = c.name === 'DecoratedStatement' ? c.getChild('FunctionDefinition') : c.name === 'FunctionDefinition' ? c : null;
    const name = def?.getChild('VariableName');
    if (!def || !name) continue;
    const self = def.getChild('ParamList')?.getChild('VariableName');
    if (!self) continue;
    const out = text(name) === '__init__' ? init : methods;
    const pattern = new RegExp(`(?<![\\w.])${text(self)}\\s*\\.\\s*(\\w+)\\s*(?:\\*\\*|//|>>|<<|[-+*/%@&|^])?=(?!=)`, 'g');
    for (const m of text(def).matchAll(pattern)) out.add(m[1]);
    if (/\bsetattr\s*\(/.test(text(def))) out.add('*');
  }
  return { methods, init };
}

/** Whether the class, or a class of the file it inherits from, defines `name` (`__bool__`, `__len__`). */
export function defines(cls: LocalClass, name: string): boolean {
  return classAttribute(cls, name) !== undefined;
}
