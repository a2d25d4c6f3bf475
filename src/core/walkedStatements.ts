/**
 * Which top-level statements a run walks, read from their texts: each statement's text facts (cached by text: the
 * cheap test of whether it may touch a model, the names it binds, whether it defines a function or a class), and the
 * two passes that walk more than the statements that touch a model by themselves: a statement calling a function or
 * class of the file that makes a model (walkCallers), and one changing in place a list a walked statement binds
 * (walkMutations). analyze.ts decides with them; the reference analysis walks every statement without them.
 */
import { callHeads } from './python/calls';
import { chunkInfo, classMethods, codeMayTouchModels, sequentialAliases, type ChunkInfo } from './keras/chunkInfo';
import type { Chunk } from './python/chunks';
import { CodeReader, isDigit, isNameChar, withoutDecorators } from './python/lexical';

/** `def name` and `class name` at the start of a statement, after its decorators (see `withoutDecorators`). */
const DEFINES = [/^(?:async\s+)?def\s+([A-Za-z_]\w*)/, /^class\s+([A-Za-z_]\w*)/];
/** `name = `, `a, b = `, `(a, b) = `, `name: T = ` at the start of a statement. */
const ASSIGNED = /^(\(?[A-Za-z_]\w*(?:\s*,\s*[A-Za-z_]\w*)*\s*,?\s*\)?)\s*(?::[^=\n]*)?=(?!=)\s*/;
/** `name += `, `name //= ` and the other augmented assignments at the start of a statement: they bind `name` too. */
const AUGMENTED = /^([A-Za-z_]\w*)\s*(?:[-+*/%@&|^]|\/\/|\*\*|<<|>>)=/;
/** What replayMutations looks for after a list's definition: `.append(`, `.extend(`, `.insert(`, `+=`. */
const MUTATION = /\.\s*(?:append|extend|insert)\s*\(|\+=/;

/**
 * Whether MUTATION may match: its words, looked for instead of the pattern (tried at every character, it is far
 * slower), the methods among the names before a `(` (callHeads, which walkCallers reads of the same statements).
 * mutatedExpressions then finds each match.
 */
export function mayMutate(text: string): boolean {
  return text.includes('+=') || callHeads(text).some(isMutatingMethod);
}

function isMutatingMethod(head: string): boolean {
  return head === 'append' || head === 'extend' || head === 'insert';
}
const COMPOUND = /^(?:if|try|for|while|with|async)\b/;
/** Inside a block: an assignment (augmented too) at the start of any line or after a `;` (`a = 1; b = 2`), or a `for` loop's targets. */
const ASSIGNED_IN_BLOCK =
  /(?:^|;)[ \t]*(?:for\s+)?(\(?[A-Za-z_]\w*(?:\s*,\s*[A-Za-z_]\w*)*\s*,?\s*\)?)\s*(?:(?::[^=\n]*)?=(?!=)|(?:[-+*/%@&|^]|\/\/|\*\*|<<|>>)=|\s+in\b)/gm;

/**
 * What the text alone says about a statement, without parsing it: whether it may touch a model (the cheap test),
 * the other names it makes for `Sequential`, the names it binds, and more. Cached by text: a keystroke leaves every
 * other statement's text (the same string) as it was, and these regular expressions over the whole file took about
 * a third of a re-analysis.
 */
export interface TextFacts {
  mayTouchModels: boolean;
  /** Names it makes other names for Sequential (read from the text: no parse needed). */
  sequentialAliases: string[];
  names: string[];
  /** It defines a function or a class (`def`, `class`, decorated or not): calling it runs code that may build a model. */
  definesCallable: boolean;
  /** Bits: 1 if it holds `<<<<<<<`, 2 if `>>>>>>>` (a version-control conflict's markers). */
  conflictMarkers: number;
  /** It holds `import`: it may import a Keras 1/2 module path (keras2ModuleNotes reads only such statements). */
  mayImport: boolean;
  /** The distinct names written just before a `(` (spaces between allowed), asked for by walkCallers. */
  callHeads?: string[];
  /** The names it changes in place (`names.append(`, `.extend(`, `.insert(`, `names +=`), asked for by walkMutations; none for a `def`. */
  mutated?: string[];
  /** A class statement's bases, as names (`class Fast(Trainer):`: `Trainer`), asked for by walkCallers. */
  bases?: string[];
  /** A class statement's methods (`holder.grow()` runs `grow`), and those that change its instance, asked for by walkCallers. */
  methods?: string[];
  changing?: string[];
  /** What the parser says is wrong with it (`chunkInfo(text).syntaxError`), asked of walked statements on each analysis. */
  syntaxError?: ChunkInfo['syntaxError'];
}
const factsCache = new Map<string, TextFacts>();
const FACTS_LIMIT = 20000;

/** Forgets the statements' text facts (clearParseCache: a cold analysis). */
export function clearTextFacts(): void {
  factsCache.clear();
}

export function textFacts(text: string): TextFacts {
  let facts = factsCache.get(text);
  if (!facts) {
    if (factsCache.size >= FACTS_LIMIT) factsCache.clear();
    facts = {
      mayTouchModels: codeMayTouchModels(text),
      sequentialAliases: sequentialAliases(text),
      names: definedNames(text),
      definesCallable: DEFINES.some((re) => re.test(withoutDecorators(text))),
      conflictMarkers: (text.includes('<<<<<<<') ? 1 : 0) | (text.includes('>>>>>>>') ? 2 : 0),
      mayImport: text.includes('import'),
      // The facts found when first asked, there from the start: every statement's facts of one shape, whichever were
      // asked in which order (objects that grow fields in different orders make the passes over them polymorphic).
      callHeads: undefined,
      mutated: undefined,
      bases: undefined,
      methods: undefined,
      changing: undefined,
      syntaxError: undefined,
    };
    factsCache.set(text, facts);
  }
  return facts;
}

/** Names a top-level statement binds, read from its text without parsing it. */
function definedNames(text: string): string[] {
  const head = withoutDecorators(text);
  for (const re of DEFINES) {
    const m = re.exec(head);
    if (m) return [m[1]];
  }
  // `if`/`try`/`for`/`while`/`with` blocks bind what is assigned anywhere inside them (and a `for`'s targets).
  if (COMPOUND.test(text)) return [...new Set([...text.matchAll(ASSIGNED_IN_BLOCK)].flatMap((m) => splitTargets(m[1])))];
  const names: string[] = [];
  // `a = f(x); b = g(a)`: each statement of a line binds its own (a `;` inside a string only adds a name to look at).
  for (const statement of text.includes(';') ? text.split(/;[ \t]*/) : [text]) {
    let rest = statement;
    for (let m = ASSIGNED.exec(rest); m; m = ASSIGNED.exec(rest)) {
      names.push(...splitTargets(m[1]));
      rest = rest.slice(m[0].length);
    }
    const augmented = rest === statement ? AUGMENTED.exec(statement) : null;
    if (augmented) names.push(augmented[1]);
  }
  return names;
}

/** `a`, `a, b`, `(a, b)` → the names. */
function splitTargets(targets: string): string[] {
  return targets.split(/[\s,()]+/).filter((n) => /^[A-Za-z_]\w*$/.test(n));
}

/**
 * A statement that calls a function whose body makes or changes a model makes one too (each call builds its
 * own): it is walked, and so, in turn, is a function that makes such a call. The cheap test is on the names written
 * just before a `(` (cached per statement), the sure one on the names its syntax tree calls.
 */
export function walkCallers(chunks: Chunk[], walked: boolean[], facts: TextFacts[]): void {
  // Plain loops, not array methods with closures: this runs over every statement on every keystroke, and what it
  // allocates brings the next minor collection nearer (one of the pauses a keystroke's p95 meets).
  let builders = new Set<string>();
  for (let i = 0; i < facts.length; i++) if (walked[i] && facts[i].definesCallable) for (const n of facts[i].names) builders.add(n);
  // A call of a method (`b.build(3)`, `holder.grow()`) runs it with that instance: a statement calling a method of a
  // walked class (which may make a model), or one that changes its instance (`cfg.double()`), is walked too; a class
  // walked in a round adds its methods for the next.
  let methods = new Set<string>();
  for (let i = 0; i < facts.length; i++)
    if (facts[i].definesCallable)
      for (const m of walked[i]
        ? (facts[i].methods ??= classMethods(chunks[i].text, true))
        : (facts[i].changing ??= classMethods(chunks[i].text, facts[i].mayTouchModels)))
        methods.add(m);
  while (builders.size > 0 || methods.size > 0) {
    const found = new Set<string>();
    const foundMethods = new Set<string>();
    for (let i = 0; i < chunks.length; i++) {
      if (walked[i]) continue;
      const heads = (facts[i].callHeads ??= callHeads(chunks[i].text));
      let mentions = false;
      // (A class's own methods are no call of it: `def push(` and a docstring's `manager.push(`.)
      const own = facts[i].definesCallable ? (facts[i].methods ??= classMethods(chunks[i].text, true)) : undefined;
      for (let k = 0; k < heads.length && !mentions; k++)
        mentions = builders.has(heads[k]) || (methods.has(heads[k]) && !own?.includes(heads[k]) && callsMethod(chunks[i].text, heads[k]));
      // `class Fast(Trainer):` is a builder too: creating it runs Trainer's `__init__`.
      if (!mentions && facts[i].definesCallable) {
        const bases = (facts[i].bases ??= classBases(chunks[i].text));
        for (let k = 0; k < bases.length && !mentions; k++) mentions = builders.has(bases[k]);
      }
      if (!mentions) continue;
      const info = chunkInfo(chunks[i].text);
      if (!callsAnyOf(info.calledNames, builders) && !callsAnyOf(info.calledMethods, methods)) continue;
      walked[i] = true;
      if (facts[i].definesCallable) {
        for (const n of facts[i].names) found.add(n);
        for (const m of (facts[i].methods ??= classMethods(chunks[i].text, true))) foundMethods.add(m);
      }
    }
    builders = found;
    methods = foundMethods;
  }
}

/** Python's whitespace between a name and `.append` or `+=` (a newline only inside brackets, which is where it is). */
function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13 || c === 12;
}

const MUTATIONS = new RegExp(MUTATION.source, 'g');

/**
 * What each change in place in `text` changes (`.append(`, `.extend(`, `.insert(`, `+=`): the expression before it,
 * `names`, `self.blocks`, `config["layers"]`. Each change is found by its literal text and its expression read
 * backwards (names, dots and brackets): a pattern that starts at the name would be tried at every character.
 */
export function mutatedExpressions(text: string): string[] {
  const found: string[] = [];
  MUTATIONS.lastIndex = 0;
  for (let m = MUTATIONS.exec(text); m; m = MUTATIONS.exec(text)) {
    let end = m.index;
    while (end > 0 && isSpace(text.charCodeAt(end - 1))) end--;
    let start = end;
    for (;;) {
      const c = text.charCodeAt(start - 1);
      if (c === 93 /* ] */ || c === 41 /* ) */) {
        const open = c === 93 ? 91 : 40;
        let depth = 0;
        let k = start - 1;
        for (; k >= 0; k--) {
          const d = text.charCodeAt(k);
          if (d === c) depth++;
          else if (d === open && --depth === 0) break;
        }
        if (k < 0) break;
        start = k;
      } else if (isNameChar(c)) {
        while (start > 0 && isNameChar(text.charCodeAt(start - 1))) start--;
        if (text.charCodeAt(start - 1) !== 46 /* . */) break;
        start--;
      } else break;
    }
    if (start < end && !isDigit(text.charCodeAt(start))) found.push(text.slice(start, end));
  }
  return found;
}

const BARE_NAME = /^[A-Za-z_]\w*$/;

/** `names.append(`, `names +=`…: the plain names changed in place (not `self.names`, not `names[0]`). */
function mutatedNames(text: string): string[] {
  return mutatedExpressions(text).filter((e) => BARE_NAME.test(e));
}

/**
 * A list a walked statement binds (`from keras import layers; names = []`, `names, model = [], Sequential()`) is
 * changed by a later statement only if that one runs too: the lazy read of a name replays such statements, but a
 * walked binding is not read lazily. So a statement that changes a name some earlier walked statement binds is
 * walked (`for f in os.listdir(d): names.append(f)` makes the list's length unknown, not 0).
 */
export function walkMutations(chunks: Chunk[], walked: boolean[], facts: TextFacts[]): void {
  let bound: Set<string> | null = null;
  for (let i = 0; i < chunks.length; i++) {
    if (!walked[i]) {
      if (bound === null) continue;
      const text = chunks[i].text;
      // A function's changes run where it is called (walking its `def` only binds its name): none are the def's.
      const changed = (facts[i].mutated ??=
        !(facts[i].definesCallable && DEFINES[0].test(withoutDecorators(text))) && mayMutate(text) ? mutatedNames(text) : []);
      for (let k = 0; k < changed.length && !walked[i]; k++) walked[i] = bound.has(changed[k]);
      if (!walked[i]) continue;
    }
    for (const n of facts[i].names) (bound ??= new Set()).add(n);
  }
}

/** A class's bases, after its decorators (see `withoutDecorators`). */
const CLASS_BASES = /^class\s+[A-Za-z_]\w*\s*\(([^)]*)\)/;

function classBases(text: string): string[] {
  const bases = CLASS_BASES.exec(withoutDecorators(text));
  return bases ? bases[1].split(',').map((base) => base.replace(/[\s()]/g, '')) : [];
}

/**
 * Whether `text` has `.name(` in code (a method call; the class's own `def name(` is none, and a docstring's example
 * `manager.push(x)` is no call either), as a cheap test before parsing.
 */
function callsMethod(text: string, name: string): boolean {
  let reader: CodeReader | undefined;
  for (let at = text.indexOf(name); at >= 0; at = text.indexOf(name, at + 1)) {
    let before = at - 1;
    while (before >= 0 && isSpace(text.charCodeAt(before))) before--;
    if (text.charCodeAt(before) === 46 /* . */ && (reader ??= new CodeReader(text)).inCode(at)) return true;
  }
  return false;
}

function callsAnyOf(called: Set<string>, names: Set<string>): boolean {
  for (const name of called) if (names.has(name)) return true;
  return false;
}
