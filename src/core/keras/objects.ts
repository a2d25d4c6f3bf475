/**
 * Objects of the user's classes, as far as the source decides them (issue 21 §5–6): class constants read through
 * the class or an instance (`cfg.UNITS`, `self.UNITS`), attributes an instance was given (`self.units = units`),
 * the truth of an instance, and which `keras.Model` subclasses hand Keras a graph in `__init__`
 * (`super().__init__(inputs, outputs)`), so that each instance is a Functional model.
 */
import type { SyntaxNode } from '@lezer/common';
import type { Value } from '../python/values';

export type LocalClass = Value & { kind: 'local' };

/** An instance of a class of the file: its class and the attributes set on it so far (`self.units = units`). */
export interface Instance {
  cls: LocalClass;
  attributes: Map<string, Value>;
  /** How deep in undecided control flow it was made: an attribute set deeper is set on some paths only. */
  depth: number;
  /** For an instance of a `keras.Model` subclass: the Functional model its `__init__` handed to Keras. */
  functional?: Value & { kind: 'functional' };
  /** Its `__init__` handed Keras inputs and outputs (whether or not LayerLens could follow them). */
  tried?: boolean;
  /** The value that stands for it as `self` in its methods. */
  self: Value;
  /** For a custom layer: the weights `self.add_weight(...)` and `tf.Variable(...)` made for it so far. */
  weights?: { shape: Value; trainable: Value | undefined }[];
  /** For a custom layer: its `build()` has run (Keras runs it once, at the first call). */
  built?: boolean;
}

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

/**
 * `super().__init__(inputs, outputs)` (or `super(Net, self).__init__(...)`, `keras.Model.__init__(self, ...)`) in a
 * `keras.Model` subclass's `__init__`: the arguments Keras' `functional_init_arguments` reads as a graph (two
 * positional, or one and `outputs=`, or `inputs=` and `outputs=`).
 */
export function isGraphInit(positional: number, keywords: string[]): boolean {
  return positional === 2 || (positional === 1 && keywords.includes('outputs')) || (keywords.includes('inputs') && keywords.includes('outputs'));
}

/** `super().__init__` or `super(Cls, self).__init__`: the callee of a call, syntactically. */
export function isSuperInit(callee: SyntaxNode, text: (n: SyntaxNode) => string): boolean {
  if (callee.name !== 'MemberExpression') return false;
  const prop = callee.getChild('PropertyName');
  const obj = callee.firstChild;
  if (!prop || text(prop) !== '__init__' || obj?.name !== 'CallExpression') return false;
  const fn = obj.firstChild;
  return fn?.name === 'VariableName' && text(fn) === 'super';
}

/**
 * The calls of `super().__init__(...)` in a function's body, syntactically: each one's count of plain positional
 * arguments, its keyword names, and whether it passes `*args` or `**kwargs` on.
 */
export function superInitCalls(def: SyntaxNode, text: (n: SyntaxNode) => string): { positional: number; keywords: string[]; star: boolean }[] {
  const out: { positional: number; keywords: string[]; star: boolean }[] = [];
  const visit = (node: SyntaxNode): void => {
    const callee = node.name === 'CallExpression' ? node.firstChild : null;
    if (callee && isSuperInit(callee, text)) {
      let positional = 0;
      let star = false;
      const keywords: string[] = [];
      const args = node.getChild('ArgList');
      for (let c = args?.firstChild ?? null; c; c = c.nextSibling) {
        if (['(', ')', ','].includes(c.name)) continue;
        if (c.name === '*' || c.name === '**') {
          star = true;
          c = c.nextSibling;
          if (!c) break;
          continue;
        }
        if (c.name === 'VariableName' && c.nextSibling?.name === 'AssignOp') {
          keywords.push(text(c));
          c = c.nextSibling.nextSibling ?? c.nextSibling;
          continue;
        }
        positional++;
      }
      out.push({ positional, keywords, star });
    }
    for (let c = node.firstChild; c; c = c.nextSibling) visit(c);
  };
  visit(def);
  return out;
}
