/**
 * Interprets a program in groups of top-level statements that cannot see one another, so that after an edit only
 * the groups the edit can reach run again (issue 10: re-analysis after a keystroke in a large file).
 *
 * A group is a set of walked statements joined when one names what another binds (`cnn = Sequential()` and
 * `cnn.add(...)`; a builder and its call). Each group runs alone, on the whole program: its own walked statements
 * and the import-only ones (which every group runs; what they bind is no group's), with the statements that are not
 * walked read lazily as usual. The run notes which module names it read and bound. The groups' results, put
 * together, are what one run of the whole program gives when no group read or bound a name another group bound
 * (a lazily found list, layer or function counts as bound by each reader: it is shared and may be changed; a list a
 * group only appends to, `CANDIDATES.append(m)`, counts as appended to, which joins it to a group that reads or binds
 * the list but not to another that appends to it too), no two
 * groups made a model or note at the same place, no group added a star import, and the counts summed over the
 * groups stay under the file-wide bounds. Where groups do touch, they are merged and run again; where that does
 * not settle, the whole program runs once, as before.
 *
 * A group's result is kept with what it read, bound and looked at, and is reused after an edit that leaves all of
 * it alone: the same member statements, no changed statement naming anything it read or bound, the same import-only
 * statements; where the edit adds or removes lines, its results are moved to their new lines (in a notebook, where
 * lines count per cell, nothing it looked at may lie after the edit).
 */
import type { Diagnostic, ModelResult } from '../types';
import { callRuns, callsName, isIdentifier, type CalledNames } from '../python/calls';
import { chunkInfo } from './chunkInfo';
import { clearWordsCache, wordsOf } from '../python/words';
import { analyzeFunctional, analyzeModel } from './propagate';
import { Interpreter, underFileBounds, type Program } from './interpreter';
import { warnIfIncomplete } from './completeness';
import { movedDiagnostic, movedModel, type EditShift, type ShiftsAfter } from './movedResults';
import { DEFAULT_KERAS_VERSION } from './versions';

/** One group's run: what it made, and what it depends on. */
export interface GroupRecord {
  /** Chunk indices of its walked statements, ascending. */
  members: number[];
  reads: Set<string>;
  binds: Set<string>;
  /** Lists it only appended to (Usage.appends): another group appending to one too is no part of it. */
  appends: Set<string>;
  /** Largest end offset of a statement the run read (walked, read lazily, or an import). */
  lastTouched: number;
  statements: number;
  models: number;
  graphNodes: number;
  starFromGroup: boolean;
  /**
   * Models and file notes with the offset they sort by, in the order one whole run gives them; a model an edit moved
   * keeps how it was made and moved (see movedResults.ts).
   */
  results: { from: number; model: ModelResult }[];
  notes: { from: number; diagnostic: Diagnostic }[];
}

/** What the previous analysis of the same file left, and how the edit since maps its statements. */
export interface PreviousRun {
  records: GroupRecord[];
  ambientKey: string;
  /**
   * The edit changed import-only statements (typed one, removed one), none a star import, and nothing else of them:
   * their words are among `changedNames`, and the groups that read none of them are kept though `ambientKey` differs.
   */
  importsEdited: boolean;
  /** Old chunk index → new chunk index, or -1 where the edit changed the statement. */
  oldToNew: Int32Array;
  /** The same, with a changed statement mapped to its next version where that is clear: to keep groups together. */
  successor: Int32Array;
  /**
   * Names through which the statements the edit changed (old and new versions, and those whose walked or
   * import-only status changed) can reach a group other than by running: those they define when not walked, and
   * the names in what one changes in place (`blocks.append(...)`: `blocks`).
   */
  changedNames: Set<string>;
  /** The texts of those versions that are not walked (one may call a group's model, which walks it). */
  changedLazy: string[];
  /** Every name `callsName` finds called in one of `changedLazy` (each suffix of each run before a `(`), made on first use. */
  calledInChanged?: Set<string>;
  lineDelta: number;
  /** Where the edit ended, before and after it, for moving results' positions; null where they cannot be moved (notebooks). */
  shift: EditShift | null;
  /** Each list of shifts a kept model's rows waited on, with `shift` after it (see movedResults.ts), filled as models move. */
  shiftsAfter: ShiftsAfter;
  /**
   * The groups the statements' names and words made in the previous run (`Interpretation.wordGroups`), where the edit
   * left every statement's index, walked and import-only status, names and words as they were (most keystrokes):
   * building them is a pass over every word of every walked statement.
   */
  wordGroups: Int32Array | null;
  /** Old offsets where the edit starts and ends; length change. */
  editStart: number;
  oldEditEnd: number;
  delta: number;
}

export interface Interpretation {
  models: ModelResult[];
  notes: Diagnostic[];
  records: GroupRecord[];
  ambientKey: string;
  /** Per chunk: walked statements that are import statements only. */
  ambient: boolean[];
  /** The groups by names and words alone (a union's state), for the next edit to keep; null when run whole. */
  wordGroups: Int32Array | null;
}

const importOnlyCache = new Map<string, boolean>();
const CACHE_LIMIT = 20000;

export function clearGroupCaches(): void {
  clearWordsCache();
  importOnlyCache.clear();
}

function importOnly(text: string): boolean {
  let only = importOnlyCache.get(text);
  if (only === undefined) {
    if (importOnlyCache.size >= CACHE_LIMIT) importOnlyCache.clear();
    const top = chunkInfo(text).tree.topNode;
    only = top.firstChild !== null;
    for (let n = top.firstChild; n && only; n = n.nextSibling) if (n.name !== 'ImportStatement') only = false;
    importOnlyCache.set(text, only);
  }
  return only;
}

/**
 * Import-only walked statements, per chunk. Given the previous version's, for the same walked statements (a
 * keystroke), only the statements the edit changed are asked again.
 */
export function ambientChunks(program: Program, previous?: { ambient: boolean[]; changed: number[] }): boolean[] {
  if (previous && previous.changed.every((i) => previous.ambient[i] === (program.walked[i] && importOnly(program.chunks[i].text)))) return previous.ambient;
  return program.chunks.map((c, i) => program.walked[i] && importOnly(c.text));
}

/** Union-find over chunk indices. */
class Union {
  private readonly parent: Int32Array;
  /** Singletons of `size` indices, or a copy of another union's state (see `state`). */
  constructor(size: number, state?: Int32Array) {
    this.parent = state ? state.slice() : new Int32Array(size).map((_x, i) => i);
  }
  /** A copy of the current state, to start another union from. */
  state(): Int32Array {
    return this.parent.slice();
  }
  find(a: number): number {
    let root = a;
    while (this.parent[root] !== root) root = this.parent[root];
    while (this.parent[a] !== root) {
      const next = this.parent[a];
      this.parent[a] = root;
      a = next;
    }
    return root;
  }
  union(a: number, b: number): boolean {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra === rb) return false;
    if (ra < rb) this.parent[rb] = ra;
    else this.parent[ra] = rb;
    return true;
  }
}

/**
 * Finds the statements that are not walked but may run in a group because they define or call a name holding a
 * model. Scanning is cheap for one group (after an edit); for many (a cold analysis) an index of the names called in
 * the file, built once, keeps it from scanning the file once per group.
 */
class Candidates {
  private calls: { byRun: Map<string, number[]>; byTail: Map<string, string[]> } | null = null;
  constructor(
    private readonly program: Program,
    private readonly indexed: boolean,
  ) {}

  first(from: number, to: number, models: CalledNames): number {
    const { walked, chunkNames, chunks } = this.program;
    if (!this.indexed) {
      for (let i = from; i < to; i++) {
        if (walked[i]) continue;
        if (chunkNames[i].some((n) => models.has(n))) return i;
        if (models.calledIn(chunks[i].text)) return i;
      }
      return -1;
    }
    let best = -1;
    const consider = (list: number[] | undefined) => {
      if (!list) return;
      for (let k = firstAtLeast(list, from); k < list.length && list[k] < to && (best < 0 || list[k] < best); k++)
        if (!walked[list[k]]) {
          best = list[k];
          return;
        }
    };
    const calls = this.callIndex();
    for (const n of models) {
      consider(this.program.definitions.get(n));
      if (!isIdentifier(n)) {
        for (let i = from; i < to && (best < 0 || i < best); i++) if (!walked[i] && chunks[i].text.includes(`${n}(`)) best = i;
        continue;
      }
      const runs = n.length >= 3 ? (calls.byTail.get(n.slice(-3)) ?? []) : [...calls.byRun.keys()];
      for (const run of runs) if (run.endsWith(n)) consider(calls.byRun.get(run));
    }
    return best;
  }

  private callIndex(): NonNullable<Candidates['calls']> {
    if (this.calls) return this.calls;
    const byRun = new Map<string, number[]>();
    const byTail = new Map<string, string[]>();
    this.program.chunks.forEach((c, i) => {
      if (this.program.walked[i]) return;
      for (const run of callRuns(c.text)) {
        const list = byRun.get(run);
        if (list) list.push(i);
        else {
          byRun.set(run, [i]);
          // A name of three or more characters can only end a run that ends with its last three.
          if (run.length >= 3) {
            const tail = run.slice(-3);
            const same = byTail.get(tail);
            if (same) same.push(run);
            else byTail.set(tail, [run]);
          }
        }
      }
    });
    this.calls = { byRun, byTail };
    return this.calls;
  }
}

/** Index of the first element of the ascending `xs` at least `x`. */
function firstAtLeast(xs: number[], x: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (xs[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Runs one group (or, with `members` null, the whole program) and collects what it made and used. */
function runGroup(program: Program, members: number[] | null, ambient: boolean[], ambientOrder: number[] = [], candidates?: Candidates): GroupRecord {
  const memberSet = members ? new Set(members) : null;
  let lastTouched = 0;
  const watched: Program = {
    ...program,
    tree: (index) => {
      lastTouched = Math.max(lastTouched, program.chunks[index].end);
      return program.tree(index);
    },
  };
  const group =
    memberSet && members && candidates
      ? {
          members: (i: number) => memberSet.has(i),
          ambient: (i: number) => ambient[i],
          order: mergeSorted(members, ambientOrder),
          candidates: (from: number, to: number, models: CalledNames) => candidates.first(from, to, models),
        }
      : null;
  const interpreter = new Interpreter(watched, false, group);
  interpreter.run();
  const source = program.source;
  // The layer rules follow the Keras version the analysis is for (keras/versions.ts).
  const version = program.kerasVersion ?? DEFAULT_KERAS_VERSION;
  const results = [
    ...interpreter.models.map((m) => ({ from: m.from, make: () => warnIfIncomplete(analyzeModel(m, source, version)) })),
    ...interpreter.functionals.map((m) => ({ from: m.from, make: () => warnIfIncomplete(analyzeFunctional(m, source, version)) })),
  ]
    .sort((a, b) => a.from - b.from)
    .map((m) => ({ from: m.from, model: m.make() }));
  const notes = interpreter.notes
    .map((n) => ({ from: n.from, diagnostic: { severity: n.severity, code: n.code, message: n.message, range: source.range(n.from, n.to) } as Diagnostic }))
    .sort((a, b) => a.from - b.from);
  return {
    members: members ?? [],
    reads: interpreter.usage?.reads ?? new Set(),
    binds: interpreter.usage?.binds ?? new Set(),
    appends: interpreter.usage?.appends ?? new Set(),
    lastTouched,
    statements: interpreter.statementCount,
    models: interpreter.modelCount(),
    graphNodes: interpreter.graphNodes,
    starFromGroup: interpreter.starFromGroup,
    results,
    notes,
  };
}

function mergeSorted(a: number[], b: number[]): number[] {
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) out.push(j >= b.length || (i < a.length && a[i] < b[j]) ? a[i++] : b[j++]);
  return out;
}

/**
 * The names `callsName(text, name)` is true of for some text, for names of identifier characters: every suffix of the
 * runs before a `(` (a keystroke asks this of every group kept, with the names it bound: one set for all of them).
 */
function calledSuffixes(texts: string[]): Set<string> {
  const names = new Set<string>();
  for (const text of texts) for (const run of callRuns(text)) for (let k = 0; k < run.length; k++) names.add(run.slice(k));
  return names;
}

/** The previous record for these members, moved to the new offsets, if the edit left all it depends on alone. */
function reuse(members: number[], previous: PreviousRun, byFirst: Int32Array): GroupRecord | null {
  const old = byFirst[members[0]] >= 0 ? previous.records[byFirst[members[0]]] : undefined;
  if (!old || old.members.length !== members.length) return null;
  for (let k = 0; k < members.length; k++) if (previous.oldToNew[old.members[k]] !== members[k]) return null;
  // Where the edit added or removed lines before what the run looked at, its results' positions move with the edit
  // (see `movedModel`; in a notebook, whose lines count per cell, the group runs again).
  const moves = previous.lineDelta !== 0 && old.lastTouched > previous.editStart;
  if (moves && !previous.shift) return null;
  const shift = moves ? previous.shift : null;
  for (const w of previous.changedNames) if (old.reads.has(w) || old.binds.has(w) || old.appends.has(w)) return null;
  if (previous.changedLazy.length > 0) {
    const called = (previous.calledInChanged ??= calledSuffixes(previous.changedLazy));
    const calls = (b: string) => (isIdentifier(b) ? called.has(b) : previous.changedLazy.some((text) => callsName(text, b)));
    for (const b of old.binds) if (calls(b)) return null;
    for (const b of old.appends) if (calls(b)) return null;
  }
  const { oldEditEnd, delta } = previous;
  // Nothing it looked at lies after the edit (every result and note is in a statement it read): nothing moves.
  if ((delta === 0 || old.lastTouched < oldEditEnd) && !shift) {
    let same = true;
    for (let k = 0; k < members.length && same; k++) same = old.members[k] === members[k];
    return same ? old : keptRecord(old, members, old.lastTouched, old.results, old.notes);
  }
  const move = (from: number) => (from >= oldEditEnd ? from + delta : from);
  // Lists mapped, of their final length (an edit moves hundreds of groups: `push` onto `[]` makes room for 17 at once).
  let stays = true;
  const results = old.results.map((r) => {
    const model = shift ? movedModel(r.model, shift, previous.shiftsAfter) : r.model;
    stays &&= model !== null;
    return { from: move(r.from), model: model as ModelResult };
  });
  // Most groups have no notes: their empty list is kept.
  const notes =
    old.notes.length === 0
      ? old.notes
      : old.notes.map((n) => {
          const diagnostic = shift ? movedDiagnostic(n.diagnostic, shift) : n.diagnostic;
          stays &&= diagnostic !== null;
          return { from: move(n.from), diagnostic: diagnostic as Diagnostic };
        });
  // A message names a line: the group runs again.
  return stays ? keptRecord(old, members, move(old.lastTouched), results, notes) : null;
}

/**
 * A record kept from the previous run, its statements and results where the edit put them. Every field written out,
 * not spread: an edit that adds a line moves every group after it, hundreds of them, and a literal of one shape is
 * several times faster to make than a spread of one with fields replaced.
 */
function keptRecord(old: GroupRecord, members: number[], lastTouched: number, results: GroupRecord['results'], notes: GroupRecord['notes']): GroupRecord {
  return {
    members,
    reads: old.reads,
    binds: old.binds,
    appends: old.appends,
    lastTouched,
    statements: old.statements,
    models: old.models,
    graphNodes: old.graphNodes,
    starFromGroup: old.starFromGroup,
    results,
    notes,
  };
}

/**
 * Pairs of groups that touch: one read or bound what another bound, or both made something at one place. Groups
 * kept from the previous run or round did not touch one another then and hold what they held: only pairs with a
 * group that ran (`fresh`) can touch now. When few ran (a keystroke), the names each read or bound are looked up
 * among the binders of every group (a name or two per group), and each group's reads, results and notes are asked
 * about the few it bound and made; otherwise every group's names go into maps.
 */
function touching(records: GroupRecord[], union: Union, fresh: boolean[]): boolean {
  const ran = records.filter((_r, g) => fresh[g]);
  if (ran.length === 0) return false;
  if (ran.length > FEW_FRESH) return touchingAll(records, union);
  let merged = false;
  for (const f of ran) {
    const binds = [...f.binds];
    const appends = [...f.appends];
    const places = new Set<number>();
    for (const x of f.results) places.add(x.from);
    for (const x of f.notes) places.add(x.from);
    for (const r of records) {
      if (r === f) continue;
      // What it read or bound, a group bound or appended to; what it appended to, a group bound (asked name by name of
      // the other group's few bound and appended names: no map of every group's names on each keystroke).
      let touches = false;
      for (const name of r.binds) if (!touches) touches = f.reads.has(name) || f.binds.has(name) || f.appends.has(name);
      for (const name of r.appends) if (!touches) touches = f.reads.has(name) || f.binds.has(name);
      // What it bound or appended to, a group read.
      for (let k = 0; k < binds.length && !touches; k++) touches = r.reads.has(binds[k]);
      for (let k = 0; k < appends.length && !touches; k++) touches = r.reads.has(appends[k]);
      for (let k = 0; k < r.results.length && !touches; k++) touches = places.has(r.results[k].from);
      for (let k = 0; k < r.notes.length && !touches; k++) touches = places.has(r.notes[k].from);
      if (touches) merged = union.union(f.members[0], r.members[0]) || merged;
    }
  }
  return merged;
}

/** Groups that ran, up to which `touching` tests each against every group rather than building maps of all names. */
const FEW_FRESH = 4;

function touchingAll(records: GroupRecord[], union: Union): boolean {
  let merged = false;
  const binder = new Map<string, number>();
  const place = new Map<number, number>();
  records.forEach((r, g) => {
    for (const name of r.binds) {
      const other = binder.get(name);
      if (other === undefined) binder.set(name, g);
      else merged = union.union(r.members[0], records[other].members[0]) || merged;
    }
    const at = (from: number) => {
      const other = place.get(from);
      if (other === undefined) place.set(from, g);
      else if (other !== g) merged = union.union(r.members[0], records[other].members[0]) || merged;
    };
    for (const x of r.results) at(x.from);
    for (const x of r.notes) at(x.from);
  });
  // A list appended to by several groups joins none of them; a group binding or reading it joins them all.
  const appenders = new Map<string, GroupRecord[]>();
  records.forEach((r) => {
    for (const name of r.appends) {
      const other = binder.get(name);
      if (other !== undefined && records[other] !== r) merged = union.union(r.members[0], records[other].members[0]) || merged;
      const list = appenders.get(name);
      if (list) list.push(r);
      else appenders.set(name, [r]);
    }
  });
  records.forEach((r) => {
    for (const name of r.reads) {
      const other = binder.get(name);
      if (other !== undefined && records[other] !== r) merged = union.union(r.members[0], records[other].members[0]) || merged;
    }
    for (const name of [...r.reads, ...r.binds])
      for (const other of appenders.get(name) ?? []) if (other !== r) merged = union.union(r.members[0], other.members[0]) || merged;
  });
  return merged;
}

const MAX_ROUNDS = 4;

/** Runs `program` in groups (`grouped`) or whole; `ambient` is `ambientChunks(program)`. */
export function interpret(program: Program, ambient: boolean[], previous: PreviousRun | null, grouped: boolean): Interpretation {
  const { chunks, walked, chunkNames } = program;
  if (!grouped) return whole(program, ambient, '');
  const ambientParts: string[] = [];
  const ambientOrder: number[] = [];
  // Each import-only statement's code, in order: its text less what trails it (the blank lines and comments, blanked,
  // up to the next statement, which a line typed below the imports changes), and not its line (a line added above it
  // moves the groups' results, as for any other statement: it must not re-run every group).
  for (let i = 0; i < chunks.length; i++)
    if (ambient[i]) {
      ambientParts.push(chunks[i].text.trimEnd());
      ambientOrder.push(i);
    }
  const ambientKey = ambientParts.join('\u0000');
  const usable = previous && (previous.ambientKey === ambientKey || previous.importsEdited) ? previous : null;

  // Groups: walked statements joined by the names they bind and mention, and as the previous run found them.
  const own: number[] = [];
  for (let i = 0; i < chunks.length; i++) if (walked[i] && !ambient[i]) own.push(i);
  const union = new Union(chunks.length, previous?.wordGroups ?? undefined);
  if (!previous?.wordGroups) {
    const binders = new Map<string, number>();
    for (const i of own)
      for (const name of chunkNames[i]) {
        const first = binders.get(name);
        if (first === undefined) binders.set(name, i);
        else union.union(first, i);
      }
    for (const i of own)
      for (const w of wordsOf(chunks[i].text)) {
        const b = binders.get(w);
        if (b !== undefined) union.union(b, i);
      }
  }
  const wordGroups = union.state();
  // Index loops here and below: this runs once per keystroke over every group, not often enough to be optimised, and
  // an unoptimised for-of allocates an iterator result per element (minor collections are a keystroke's longest pauses).
  /** New chunk index → index of the previous record whose first member it is now, or -1. */
  const byFirst = new Int32Array(chunks.length).fill(-1);
  if (usable)
    for (let g = 0; g < usable.records.length; g++) {
      const r = usable.records[g];
      if (usable.oldToNew[r.members[0]] >= 0) byFirst[usable.oldToNew[r.members[0]]] = g;
      let first = -1;
      for (let k = 0; k < r.members.length; k++) {
        const now = usable.successor[r.members[k]];
        if (now < 0 || !walked[now] || ambient[now]) continue;
        if (first < 0) first = now;
        else union.union(first, now);
      }
    }

  const groupOfRoot = new Int32Array(chunks.length);
  // Each group's members, ascending: counted first, then put in order in one list, each group's a slice of it, of its
  // final length (hundreds of groups on each keystroke; `push` onto a list of one makes room for 17).
  const groupsOf = (): number[][] => {
    const sizes: number[] = [];
    groupOfRoot.fill(-1);
    for (let k = 0; k < own.length; k++) {
      const root = union.find(own[k]);
      if (groupOfRoot[root] >= 0) sizes[groupOfRoot[root]]++;
      else {
        groupOfRoot[root] = sizes.length;
        sizes.push(1);
      }
    }
    const starts = new Int32Array(sizes.length + 1);
    for (let g = 0; g < sizes.length; g++) starts[g + 1] = starts[g] + sizes[g];
    const filled = starts.slice(0, sizes.length);
    const ordered = own.slice();
    for (let k = 0; k < own.length; k++) ordered[filled[groupOfRoot[union.find(own[k])]]++] = own[k];
    return sizes.map((_n, g) => ordered.slice(starts[g], starts[g + 1]));
  };

  let done = new Map<number, GroupRecord>(); // by first member
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const groups = groupsOf();
    const kept = groups.map((members) => {
      const last = done.get(members[0]);
      if (last && last.members.length === members.length) return last;
      return usable && round === 0 ? reuse(members, usable, byFirst) : null;
    });
    const toRun = kept.filter((r) => r === null).length;
    const candidates = new Candidates(program, toRun > 2);
    const records = groups.map((members, g) => kept[g] ?? runGroup(program, members, ambient, ambientOrder, candidates));
    const fresh = kept.map((r) => r === null);
    if (!touching(records, union, fresh)) return settle(records, program, ambient, ambientKey, wordGroups);
    done = new Map(records.map((r) => [r.members[0], r]));
  }
  return whole(program, ambient, ambientKey);
}

/** The groups' results put together, or one run of the whole program where they cannot stand for it. */
function settle(records: GroupRecord[], program: Program, ambient: boolean[], ambientKey: string, wordGroups: Int32Array): Interpretation {
  let statements = 0;
  let models = 0;
  let nodes = 0;
  let star = false;
  for (let g = 0; g < records.length; g++) {
    statements += records[g].statements;
    models += records[g].models;
    nodes += records[g].graphNodes;
    star ||= records[g].starFromGroup;
  }
  if (star || !underFileBounds(statements, models, nodes)) return whole(program, ambient, ambientKey);
  const results = records.flatMap((r) => r.results).sort((a, b) => a.from - b.from);
  const notes = records.flatMap((r) => r.notes).sort((a, b) => a.from - b.from);
  return { models: results.map((r) => r.model), notes: notes.map((n) => n.diagnostic), records, ambientKey, ambient, wordGroups };
}

function whole(program: Program, ambient: boolean[], ambientKey: string): Interpretation {
  // Nothing is kept: the next analysis runs its groups afresh.
  return { ...runWhole(program), records: [], ambientKey, ambient, wordGroups: null };
}

/** One run of the whole program, in order, in no groups (as the reference analysis runs it). */
export function runWhole(program: Program): { models: ModelResult[]; notes: Diagnostic[] } {
  const all = runGroup(program, null, []);
  return { models: all.results.map((r) => r.model), notes: all.notes.map((n) => n.diagnostic) };
}
