/**
 * What the Python evaluator (python/evaluator.ts and the classes built on it) works with: the program it reads, its
 * scopes and their bindings, how a statement ends, and the bounds that keep a pathological program from stalling
 * the editor.
 */
import type { SyntaxNode, Tree } from '@lezer/common';
import type { CalledNames } from './calls';
import type { Chunk } from './chunks';
import type { SourceText } from './sourceText';
import type { Value } from './values';

/** What the evaluator needs from the program: its text, chunks, their trees, and an index of top-level names. */
export interface PythonProgram {
  source: SourceText;
  chunks: Chunk[];
  /** Chunks that are walked statement by statement; the others are only read when a name defined there is needed. */
  walked: boolean[];
  tree(chunkIndex: number): Tree;
  /** Top-level chunks that bind a name (assignment, def, class), in source order. */
  definitions: Map<string, number[]>;
  /** The names each chunk binds at top level (the inverse of `definitions`). */
  chunkNames: string[][];
}

export interface Binding {
  value: Value;
  at: number;
}

/**
 * What a run of part of a program read and bound at module level (see `Usage` in analyze's groups): module names
 * looked up (found or not), names bound, and lazily found values another part could share and change.
 */
export interface Usage {
  reads: Set<string>;
  binds: Set<string>;
  /**
   * Lazily found module names the run only appended to (`CANDIDATES.append(model)` as a statement of its own): it
   * changed them but read nothing of them, so another run that did the same is no part of it (only a run reading
   * or binding the name is).
   */
  appends: Set<string>;
}

/** The module's variables, noting reads and (changed) bindings while `usage` is set. */
export class TrackedVars extends Map<string, Binding> {
  usage: Usage | null = null;
  /** Bindings are noted (a scratch copy of the module, for a lazy definition, only notes reads). */
  notesBinds = true;
  override get(name: string): Binding | undefined {
    this.usage?.reads.add(name);
    return super.get(name);
  }
  override has(name: string): boolean {
    this.usage?.reads.add(name);
    return super.has(name);
  }
  override set(name: string, binding: Binding): this {
    if (this.usage && this.notesBinds && super.get(name) !== binding) this.usage.binds.add(name);
    return super.set(name, binding);
  }
  /** A read that is no part of the program's meaning (the run loop's own bookkeeping). */
  peek(name: string): Binding | undefined {
    return super.get(name);
  }
}

export class Scope {
  readonly vars: Map<string, Binding>;
  /** `from m import *` modules, with where each was imported. */
  readonly stars: { path: string; at: number }[] = [];
  /** In a function's scope: what a `return` under a condition LayerLens cannot decide gave, used if no other return comes. */
  uncertainReturn: Value | null = null;
  constructor(
    readonly parent: Scope | null,
    readonly functionName?: string,
    tracked = false,
  ) {
    this.vars = tracked ? new TrackedVars() : new Map();
  }
}

/** Per chunk: the chunk and its text, so node offsets can be turned into source offsets. */
export interface Cursor {
  chunk: Chunk;
  text: string;
}

/** How a statement ended: normally (null), or by `break`, `continue` or `return` (with its value). */
export type Signal = null | 'break' | 'continue' | { returned: Value };

/** Bounds that keep a pathological program from stalling the editor. */
export const MAX_LOOP_ITERATIONS = 1_000;
export const MAX_STATEMENTS = 50_000;
export const MAX_CALL_DEPTH = 24;

/** Notes that belong to no model (a loop left unrolled because of the bounds). */
export interface FileNote {
  code: string;
  severity: 'error' | 'warning' | 'information';
  message: string;
  from: number;
  to: number;
}

/** The part of a program one run walks: its own walked statements, and the import-only ones. */
export interface Group {
  members(chunkIndex: number): boolean;
  ambient(chunkIndex: number): boolean;
  /** Its own and the import-only statements' indices, ascending. */
  order: number[];
  /**
   * The first statement in [from, to) that is not walked and defines one of `watched` or has `name(` in its text for
   * one of them, or -1. (It may answer one that does neither; `runChunk` decides.)
   */
  candidates(from: number, to: number, watched: CalledNames): number;
}

/** A call's arguments, evaluated: positional, keyword, and whether `*args` / `**kwargs` hid some. */
export interface ParsedArgs {
  positional: { value: Value; node: SyntaxNode }[];
  keywords: Map<string, { value: Value; node: SyntaxNode }>;
  starArgs: boolean;
  starKwargs: boolean;
}

/** Where a call is, for the host: the call, its callee and argument list, and the scope it is evaluated in. */
export interface CallSite {
  node: SyntaxNode;
  calleeNode: SyntaxNode;
  argList: SyntaxNode | null;
  scope: Scope;
}

/** Statements that may bind a name on some paths and not on others. */
const CONDITIONAL_BINDERS = new Set(['IfStatement', 'ForStatement', 'WhileStatement', 'TryStatement', 'WithStatement']);

export function mayNotBind(top: SyntaxNode): boolean {
  for (let n = top.firstChild; n; n = n.nextSibling) if (CONDITIONAL_BINDERS.has(n.name)) return true;
  return false;
}

/** A value no statement can change: numbers, strings, names of library symbols, tuples of them. */
export function immutable(v: Value): boolean {
  switch (v.kind) {
    case 'number':
    case 'string':
    case 'bool':
    case 'none':
    case 'symbol':
    case 'unknown':
      return true;
    case 'seq':
      return v.tuple && v.items.every(immutable);
    default:
      return false;
  }
}
