/**
 * What the analysis needs to know about one top-level statement, computed once per statement text and
 * cached: its parse tree, whether it can make or change a model, and its syntax errors.
 */
import { parser } from '@lezer/python';
import type { SyntaxNode, Tree } from '@lezer/common';
import { CodeReader, isDigit, isNameChar, withoutDecorators } from '../python/lexical';
import { APPLICATIONS, isApplication } from '../applications';

export interface ChunkInfo {
  tree: Tree;
  /**
   * It imports something, or names `Sequential`, or uses `.add` / `.build` / `.pop` / `.trainable` other than on an
   * attribute of `self` — in code, not in strings or comments.
   */
  touchesModels: boolean;
  /** Plain names called in it (`S(...)`), to find aliases of Sequential. */
  calledNames: Set<string>;
  /** Names called as a method of something (`b.build(3)`: `build`), to find calls of the file's classes' methods. */
  calledMethods: Set<string>;
  /** The first syntax error, in offsets of the chunk's text. */
  syntaxError: { from: number; to: number; snippet: string } | null;
}

/** Attributes of a model or layer whose use changes what LayerLens shows (`.trainable = False` freezes weights). */
const MODEL_METHODS = new Set(['add', 'build', 'pop', 'trainable']);
/** Names that make a model LayerLens does not analyse: their statements are walked so that they say so. */
const UNANALYSED_MODEL_NAMES = new Set(['Model', 'Functional', 'load_model', 'from_preset', 'applications']);
/** `import Sequential as S` (its `as` may follow on the next line, inside an import's brackets), read at a `Sequential`. */
const IMPORT_ALIAS = /Sequential\s+as\s+([A-Za-z_]\w*)/y;
/** `S = keras.Sequential` as a statement of its own (after a `;` or a backslash too), in the lines that end at a `Sequential`. */
const ASSIGNED_ALIAS = /(?:^|;)[ \t]*([A-Za-z_]\w*)\s*=(?:\s|\\\r?\n)*[\w.]*\bSequential[ \t]*(?:#.*)?(?=;|$)/gm;

/**
 * Names a statement makes other names for Sequential (`import Sequential as S`, `S = keras.Sequential`), from its text
 * alone. Each alias holds the word `Sequential`: the patterns are tried where it is written (a docstring mentions it
 * in many statements), on its line and the lines a backslash joins to it, not at every line of the statement.
 */
export function sequentialAliases(text: string): string[] {
  const aliases: string[] = [];
  let linesDone = 0;
  for (let at = text.indexOf('Sequential'); at >= 0; at = text.indexOf('Sequential', at + 10)) {
    if (at > 0 && isNameChar(text.charCodeAt(at - 1))) continue;
    IMPORT_ALIAS.lastIndex = at;
    const imported = IMPORT_ALIAS.exec(text);
    if (imported) aliases.push(imported[1]);
    let end = text.indexOf('\n', at);
    if (end < 0) end = text.length;
    if (end <= linesDone) continue;
    let start = text.lastIndexOf('\n', at - 1) + 1;
    // Lines a backslash continues into this one belong to its statement.
    while (start > linesDone && /\\\r?$/.test(text.slice(Math.max(0, start - 3), start - 1))) start = text.lastIndexOf('\n', start - 2) + 1;
    for (const m of text.slice(start, end).matchAll(ASSIGNED_ALIAS)) aliases.push(m[1]);
    linesDone = end;
  }
  return aliases;
}

/**
 * `self.seen.add(key)`, `self.stack.pop()`: a method of an attribute of `self` is a set's, a list's or a dict's far
 * more often than a model's, and the analysis does not follow a model through an instance's attributes from one
 * method to another (a class that makes its model, `self.model = Sequential(...)`, names Sequential and is walked
 * for that). Such a call alone does not make a statement worth parsing and running: this is what precedes its `.`.
 */
const SELF_ATTRIBUTE_BEFORE = /\bself\s*\.\s*[A-Za-z_]\w*\s*$/;

/**
 * The text test on a statement's code: its strings left out (a docstring's mention counts for nothing), and `self.x.add(`.
 * Asked of each statement's text, then again of each class statement's (classDefs): the answers are kept by text.
 */
export function codeMayTouchModels(text: string): boolean {
  let may = mayTouchCache.get(text);
  if (may === undefined) {
    may = mentionInCode(text);
    if (mayTouchCache.size >= CACHE_LIMIT) mayTouchCache.clear();
    mayTouchCache.set(text, may);
  }
  return may;
}

/**
 * Whether a mention (MENTIONS) is in code: not in a string other than an f-string, nor a method of an attribute of
 * `self`. The mentions are found first and the strings read only up to the last of them.
 */
function mentionInCode(text: string): boolean {
  const reader = new CodeReader(text);
  MENTIONS.lastIndex = 0;
  for (let m = MENTIONS.exec(text); m; m = MENTIONS.exec(text)) {
    const at = m.index;
    if (!reader.inCode(at)) MENTIONS.lastIndex = reader.at;
    else if (!(m[0].charCodeAt(0) === 46 /* . */ && SELF_ATTRIBUTE_BEFORE.test(text.slice(Math.max(0, at - 80), at)))) return true;
  }
  return false;
}

const mayTouchCache = new Map<string, boolean>();

/** `obj.attr.<method>` where obj is `self`: the member expression `node` (a PropertyName) belongs to. */
function onSelfAttribute(node: SyntaxNode, text: string): boolean {
  const object = node.parent?.name === 'MemberExpression' ? node.parent.firstChild : null;
  if (object?.name !== 'MemberExpression') return false;
  const root = object.firstChild;
  return root?.name === 'VariableName' && text.slice(root.from, root.to) === 'self';
}

/**
 * The methods of a class statement whose call can change what LayerLens shows, from its text: every method of a
 * class that may touch a model, else those that change the instance (`self.units *= 2`, `self.blocks.append(...)`,
 * or call such a method on `self`). A statement calling one is walked (analyze.ts `walkCallers`). Python's own
 * (`__init__`, `__call__`) are left out: no statement calls them by name. A method of a class that changes nothing
 * (`summary(self)` that formats rows) is left out too: calling it changes no number, and walking every statement that
 * calls a method so named would cost a keystroke for nothing.
 */
export function classMethods(text: string, touchesModels?: boolean): string[] {
  const defs = classDefs(text);
  if (!defs) return [];
  return (touchesModels ?? codeMayTouchModels(withoutDecorators(text))) ? defs.methods : changingMethods(defs);
}

/** What a class statement's text says of its methods (null for another statement): read once per text. */
export interface ClassDefs {
  name: string;
  /** Every function defined in it, at any depth (`def` after a line break and indentation), in order, once each. */
  defs: string[];
  /** Those not Python's own (`__init__`): what a statement may call by name. */
  methods: string[];
  /** Whether its text may touch a model (codeMayTouchModels, decorators included): its methods may make one. */
  mayTouchModels: boolean;
  /** Each def's name and text up to the next def. */
  bodies: { name: string; body: string }[];
  /** Of the methods, those that change the instance, or call such a method on `self`: found when first asked. */
  changing?: string[];
}

const classDefsCache = new Map<string, ClassDefs | null>();

export function classDefs(text: string): ClassDefs | null {
  let found = classDefsCache.get(text);
  if (found !== undefined) return found;
  const head = withoutDecorators(text);
  const name = CLASS_NAME.exec(head)?.[1];
  found = null;
  if (name) {
    const matches = methodDefs(head);
    const bodies = matches.map((m, i) => ({ name: m.name, body: head.slice(m.at, matches[i + 1]?.at ?? head.length) }));
    const defs = [...new Set(bodies.map((d) => d.name))];
    found = { name, defs, methods: defs.filter(isOwnMethod), mayTouchModels: codeMayTouchModels(text), bodies };
  }
  if (classDefsCache.size >= CACHE_LIMIT) classDefsCache.clear();
  classDefsCache.set(text, found);
  return found;
}

const isOwnMethod = (name: string) => !name.startsWith('__');

/** The methods that change the instance (`self.units *= 2`, `self.blocks.append(...)`), or call such a method on `self`. */
function changingMethods(defs: ClassDefs): string[] {
  if (defs.changing) return defs.changing;
  const changing = new Set(defs.bodies.filter((d) => CHANGES_SELF.test(d.body)).map((d) => d.name));
  for (let grown = changing.size > 0; grown;) {
    grown = false;
    for (const d of defs.bodies)
      if (!changing.has(d.name) && [...changing].some((n) => callsOnSelf(d.body, n))) {
        changing.add(d.name);
        grown = true;
      }
  }
  return (defs.changing = [...changing].filter(isOwnMethod));
}

const CLASS_NAME = /^class\s+([A-Za-z_]\w*)/;

/** `self.name(` in `body`, spaces allowed around the dot. */
function callsOnSelf(body: string, name: string): boolean {
  for (let at = body.indexOf(name); at >= 0; at = body.indexOf(name, at + 1)) {
    if (!/^\s*\(/.test(body.slice(at + name.length, at + name.length + 20)) || /\w/.test(body[at + name.length] ?? '')) continue;
    if (/\bself\s*\.\s*$/.test(body.slice(Math.max(0, at - 40), at))) return true;
  }
  return false;
}
/**
 * Each `def` that starts an indented line (`async def` too: `\n[ \t]+(?:async[ \t]+)?def[ \t]+([A-Za-z_]\w*)`), with
 * where its line break is: found from each `def` written, not by a pattern tried at every line of the class.
 */
function methodDefs(text: string): { name: string; at: number }[] {
  const found: { name: string; at: number }[] = [];
  for (let at = text.indexOf('def'); at >= 0; at = text.indexOf('def', at + 3)) {
    let end = at + 3;
    if (!isBlank(text.charCodeAt(end))) continue;
    while (isBlank(text.charCodeAt(end))) end++;
    const start = end;
    if (!isNameStart(text.charCodeAt(end))) continue;
    while (isNameStart(text.charCodeAt(end)) || isDigit(text.charCodeAt(end))) end++;
    let before = blanksBefore(text, at);
    if (before === at) continue;
    if (text.charCodeAt(before - 1) !== 10 && text.startsWith('async', before - 5)) {
      const asyncAt = blanksBefore(text, before - 5);
      if (asyncAt < before - 5) before = asyncAt;
    }
    if (text.charCodeAt(before - 1) === 10 /* \n */) found.push({ name: text.slice(start, end), at: before - 1 });
  }
  return found;
}

const isBlank = (c: number) => c === 32 || c === 9;
const isNameStart = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;

/** Where the spaces and tabs just before `at` start. */
function blanksBefore(text: string, at: number): number {
  while (at > 0 && isBlank(text.charCodeAt(at - 1))) at--;
  return at;
}
/** Code that changes what `self` holds: an attribute set (also augmented, or an item of it), one changed in place, `setattr`. */
const CHANGES_SELF =
  /\bself\s*\.\s*[A-Za-z_]\w*\s*(?:\[[^\]\n]*\]\s*)?(?:[-+*/%@&|^]|\*\*|\/\/|<<|>>)?=(?!=)|\bself\s*\.\s*[A-Za-z_]\w*\s*\.\s*(?:append|extend|insert|pop|add|update|remove|clear|setdefault|discard)\s*\(|\bsetattr\s*\(/;

/** What any statement that touches models mentions (in strings and comments too: codeMayTouchModels looks where). */
const MENTIONS = new RegExp(
  `Sequential|Model\\b|Functional|load_model|from_preset|applications|import|\\.\\s*(?:add|build|pop)\\s*\\(|\\.\\s*trainable\\b|\\b(?:${APPLICATIONS.join('|')})\\b`,
  'g',
);

const cache = new Map<string, ChunkInfo>();
const CACHE_LIMIT = 20000;

/** Forgets every cached statement (benchmarks use it to time a cold analysis). */
export function clearChunkCache(): void {
  cache.clear();
  classDefsCache.clear();
  mayTouchCache.clear();
}

/** A statement's facts, cached by its text. */
export function chunkInfo(text: string): ChunkInfo {
  const hit = cache.get(text);
  if (hit) return hit;
  if (cache.size >= CACHE_LIMIT) cache.clear();
  const info = readChunk(text);
  cache.set(text, info);
  return info;
}

/** A statement's facts, parsed afresh (the reference analysis reads no cache). */
export function readChunk(text: string): ChunkInfo {
  const tree = parser.parse(text);
  let touchesModels = false;
  const calledNames = new Set<string>();
  const calledMethods = new Set<string>();
  let syntaxError: ChunkInfo['syntaxError'] = null;
  tree.iterate({
    enter: (n) => {
      if (n.type.isError) {
        if (!syntaxError) syntaxError = { from: n.from, to: n.to, snippet: text.slice(n.from, n.to).trim() };
        return;
      }
      switch (n.name) {
        case 'ImportStatement':
          touchesModels = true;
          return;
        case 'VariableName':
        case 'PropertyName': {
          const name = text.slice(n.from, n.to);
          if (name === 'Sequential' || UNANALYSED_MODEL_NAMES.has(name) || isApplication(name)) touchesModels = true;
          else if (n.name === 'PropertyName' && MODEL_METHODS.has(name) && !onSelfAttribute(n.node, text)) touchesModels = true;
          if (n.name !== 'VariableName') {
            const member = n.node.parent;
            if (member?.name === 'MemberExpression' && member.parent?.name === 'CallExpression' && member.prevSibling === null) calledMethods.add(name);
            return;
          }
          const node = n.node;
          const parent = node.parent;
          if (parent?.name === 'CallExpression' && node.prevSibling === null) calledNames.add(name);
          // A class's bases count as called: creating the subclass runs a base's `__init__`.
          else if ((parent?.name === 'ArgList' || parent?.name === 'ParenthesizedExpression') && isClassBase(parent)) calledNames.add(name);
          return;
        }
        default:
          return;
      }
    },
  });
  return { tree, touchesModels, calledNames, calledMethods, syntaxError };
}

/** Whether a name whose parent is `parent` is a class's base (`class Fast(Trainer):`, `class Fast((Trainer)):`). */
function isClassBase(parent: SyntaxNode): boolean {
  let p: SyntaxNode | null = parent;
  while (p?.name === 'ParenthesizedExpression') p = p.parent;
  return p?.name === 'ArgList' && p.parent?.name === 'ClassDefinition';
}
