/** The lookup from a Keras class name (or alias) to its rule. Filled by `catalogue.ts`. */
import type { Rule } from './rule';

const rules = new Map<string, Rule>();

export function registerRules(list: Rule[]): void {
  for (const rule of list) {
    rules.set(rule.type, rule);
    for (const alias of rule.aliases ?? []) rules.set(alias, rule);
  }
}

export function ruleFor(className: string): Rule | undefined {
  return rules.get(className);
}

export function allRules(): Rule[] {
  return [...new Set(rules.values())];
}

/** Every class name and alias the catalogue knows. */
export function layerNames(): IterableIterator<string> {
  return rules.keys();
}
