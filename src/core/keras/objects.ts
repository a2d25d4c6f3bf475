/**
 * Which `keras.Model` subclasses hand Keras a graph in `__init__` (`super().__init__(inputs, outputs)`), so that each
 * instance is a Functional model (issue 21 §5), and what Keras records on an instance of the file's classes.
 */
import type { SyntaxNode } from '@lezer/common';
import type { Value } from '../python/values';

declare module '../python/objects' {
  interface InstanceFacts {
    /** For an instance of a `keras.Model` subclass: the Functional model its `__init__` handed to Keras. */
    functional?: Value & { kind: 'functional' };
    /** Its `__init__` handed Keras inputs and outputs (whether or not LayerLens could follow them). */
    tried?: boolean;
    /** For a custom layer: the weights `self.add_weight(...)` and `tf.Variable(...)` made for it so far. */
    weights?: { shape: Value; trainable: Value | undefined }[];
    /** For a custom layer: its `build()` has run (Keras runs it once, at the first call). */
    built?: boolean;
  }
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
