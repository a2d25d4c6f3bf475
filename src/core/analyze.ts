/**
 * The single entry point of the analysis: Python source (or a notebook's cells) in, models with their
 * layers' shapes, parameters, MACs, receptive fields and diagnostics out. It never throws.
 *
 * Speed: the source is cut into top-level statements; only those that can make or change a model
 * (they import, name `Sequential` or an alias of it, or call `.add(`, `.build(`, `.pop(`) are walked. Any
 * other statement is parsed only when a name it defines is needed (a constant such as `IMG = 28`). Parse
 * trees are cached by statement text, and each file's last chunking is kept, so after a keystroke only the
 * edited statement is chunked and parsed again.
 *
 * Every such shortcut must give what the reference analysis gives (`reference: true`, analyzeReference): a plain
 * walk of the whole file, which test/unit/reference.test.ts compares it with.
 */
import type { Tree } from '@lezer/common';
import { clearCallsCache } from './python/calls';
import { chunkInfo, classMethods, clearChunkCache, readChunk, type ChunkInfo } from './keras/chunkInfo';
import { chunkSource, commonEnds, rechunk, type Chunk } from './python/chunks';
import { syntaxErrors, withoutFollowUps } from './python/syntaxErrors';
import { joinCells, NotebookFormatError, readNotebook, SourceText } from './python/sourceText';
import { ambientChunks, clearGroupCaches, interpret, runWhole, type GroupRecord, type PreviousRun } from './keras/groups';
import { wordsOf } from './python/words';
import { clearTextFacts, mayMutate, mutatedExpressions, textFacts, walkCallers, walkMutations, type TextFacts } from './walkedStatements';
import { clearApplicationCaches } from './keras/applications';
import type { EditShift } from './keras/movedResults';
import { clearAttributeSites } from './python/functions';
import type { Program } from './keras/interpreter';
import { chooseVersion, clearOldModules, DEFAULT_KERAS_VERSION, keras2ModuleNotes } from './keras/versions';
import { clearSymbolCaches } from './keras/symbols';
import { clearSnakeCases } from './layers/rule';
import type { AnalysisResult, AnalyzeOptions, CellSource, Diagnostic, KerasVersion, KerasVersionChoice, Range } from './types';

const CONFLICT_MARKER = /^(<{7}|={7}|>{7})(?=[ \t\r\n]|$)[^\n]*/gm;

/** What the last analysis of a file left for the next: its text and chunks, and its groups' runs. */
interface Version {
  source: SourceText;
  /** The Keras version it was analysed for: a version analysed for another is not reused. */
  kerasVersion: KerasVersion;
  chunks: Chunk[];
  /** Per chunk: its text facts and whether it touches a model by itself, with the aliases of Sequential they assumed. */
  statements?: { facts: TextFacts[]; touches: boolean[]; aliasKey: string };
  run?: {
    records: GroupRecord[];
    ambientKey: string;
    walked: boolean[];
    ambient: boolean[];
    chunkNames: string[][];
    definitions: Map<string, number[]>;
    wordGroups: Int32Array | null;
  };
  /** What the analysis gave. */
  result?: AnalysisResult;
  /** It ran in statement groups (an edit's analysis does; a file just opened runs as one program, see interpret). */
  grouped?: boolean;
  /**
   * The version analysed before it, kept one edit long (its own `before` dropped): an undo, or a character typed and
   * deleted, hands back that text, whose result is then given again at once (see `undone`).
   */
  before?: Version;
}

/**
 * Analyses the successive versions of one document: each analysis reuses what the previous one left (its statements,
 * their facts, its groups' runs), so that an edit re-chunks, re-scans and re-runs only what it touched. One per open
 * document, disposed when it closes (the extension's AnalysisCache); `analyze(text, { fileName })` keeps one per file
 * name for the last few files. Caches keyed by a statement's text alone (parse trees, facts, words) are shared.
 */
export class Analyzer {
  analyze(text: string, kerasVersion: KerasVersionChoice = DEFAULT_KERAS_VERSION): AnalysisResult {
    const run = (version: KerasVersion) => {
      try {
        return analyzeFile(text, this, version);
      } catch (e) {
        return failure(e);
      }
    };
    // 'auto' first tries the version this document's last analysis chose (keras/versions.ts).
    return kerasVersion === 'auto' ? chooseVersion(run, lastVersions.get(this)?.kerasVersion) : run(kerasVersion);
  }

  /** Forgets the last version: the next analysis is a cold one. */
  dispose(): void {
    lastVersions.delete(this);
  }
}

/** Each live Analyzer's last analysed version. */
const lastVersions = new Map<Analyzer, Version>();

/** The Analyzers of `analyze(text, { fileName })`, the most recently used last. */
const byFileName = new Map<string, Analyzer>();
const FILE_NAMES_KEPT = 16;

function analyzerFor(fileName: string): Analyzer {
  let analyzer = byFileName.get(fileName);
  if (analyzer) byFileName.delete(fileName);
  else {
    analyzer = new Analyzer();
    if (byFileName.size >= FILE_NAMES_KEPT) {
      const [oldest, gone] = byFileName.entries().next().value as [string, Analyzer];
      byFileName.delete(oldest);
      gone.dispose();
    }
  }
  byFileName.set(fileName, analyzer);
  return analyzer;
}

/** Forgets every cached parse and chunking (benchmarks use it to time a cold analysis). */
export function clearParseCache(): void {
  clearChunkCache();
  clearCallsCache();
  clearGroupCaches();
  clearTextFacts();
  clearApplicationCaches();
  clearAttributeSites();
  clearOldModules();
  clearSymbolCaches();
  clearSnakeCases();
  lastVersions.clear();
  byFileName.clear();
}

/** A file prepared for analysis, with how its statements map to the previous version's. */
interface Prepared {
  source: SourceText;
  chunks: Chunk[];
  /** Whose version this is: its previous version is reused, and this one kept for the next. */
  owner?: Analyzer;
  kerasVersion: KerasVersion;
  edit?: { previous: Version; oldToNew: Int32Array; ends: { prefix: number; suffix: number } };
}

/** A plain file's text and chunks, reusing the previous version's where the edit left them alone. */
function prepareFile(text: string, owner: Analyzer | undefined, kerasVersion: KerasVersion): Prepared {
  const last = owner && lastVersions.get(owner);
  // A version analysed for another Keras (the setting changed) has other numbers: start afresh.
  const prev = last && last.kerasVersion === kerasVersion ? last : undefined;
  if (!prev) {
    const source = new SourceText(text);
    return { source, chunks: chunkSource(text).chunks, owner, kerasVersion };
  }
  const ends = commonEnds(prev.source.text, text);
  const source = new SourceText(text, undefined, { source: prev.source, ...ends });
  const chunks = rechunk({ text: prev.source.text, chunks: prev.chunks }, text, ends).chunks;
  return {
    source,
    chunks,
    owner,
    kerasVersion,
    edit: { previous: prev, oldToNew: alignChunks(prev.chunks, chunks, prev.source.text.length, text.length, ends), ends },
  };
}

/** Old chunk index → index of the same statement (same text, moved by the edit's length change) in the new chunks, or -1. */
function alignChunks(old: Chunk[], now: Chunk[], oldLength: number, newLength: number, { prefix, suffix }: { prefix: number; suffix: number }): Int32Array {
  const map = new Int32Array(old.length).fill(-1);
  const oldEditEnd = oldLength - suffix;
  const shift = now.length - old.length;
  const delta = newLength - oldLength;
  old.forEach((c, i) => {
    // Before the edit a statement keeps its index and offsets; after it, both move.
    const before = c.end <= prefix;
    if (!before && c.start < oldEditEnd) return;
    const j = before ? i : i + shift;
    const n = now[j];
    if (n && n.text === c.text && n.start === (before ? c.start : c.start + delta)) map[i] = j;
  });
  return map;
}

function prepareCells(source: SourceText, kerasVersion: KerasVersion): Prepared {
  return {
    source,
    kerasVersion,
    chunks: chunkSource(
      source.text,
      source.segments.map((s) => [s.start, s.end]),
    ).chunks,
  };
}

/** How the edit since the previous analysis maps its groups' runs onto this one, if there is one to use. */
function previousRun(prepared: Prepared, walked: boolean[], ambient: boolean[]): PreviousRun | null {
  const edit = prepared.edit;
  const run = edit?.previous.run;
  if (!edit || !run) return null;
  const { previous, oldToNew, ends } = edit;
  // A changed statement that is walked reaches other groups only by what it binds when run, which the groups' check
  // of what they read and bind sees. One that is not walked reaches them through the names it defines (read lazily),
  // the lists it changes (`blocks.append(...)`, replayed), and a call of a model (walked because of it).
  const changedNames = new Set<string>();
  const changedLazy: string[] = [];
  const add = (text: string, isWalked: boolean) => {
    if (isWalked) return;
    changedLazy.push(text);
    for (const n of textFacts(text).names) changedNames.add(n);
    // A change in place reaches a group through the names in what it changes (`blocks`, `cfg["layers"]`).
    if (mayMutate(text)) for (const e of mutatedExpressions(text)) for (const w of wordsOf(e)) changedNames.add(w);
  };
  // Import-only statements run in every group, kept or not: one the edit changed (typed, removed, added) reaches a
  // group through the names in it that the group read (`import numpy as np`: `np`, `numpy`); a star import, or an
  // import-only status that changed without its text, through any name (no group is kept). Their code, as
  // interpret's key of them reads it (what trails a statement's code is no part of it).
  const importsBefore: string[] = [];
  const importsAfter: string[] = [];
  let anyName = false;
  const hit = new Uint8Array(prepared.chunks.length);
  const changedOld: number[] = [];
  const changedNew: number[] = [];
  previous.chunks.forEach((c, i) => {
    const j = oldToNew[i];
    if (j < 0) {
      add(c.text, run.walked[i]);
      if (run.ambient[i]) importsBefore.push(c.text.trimEnd());
      changedOld.push(i);
    } else {
      hit[j] = 1;
      if (run.walked[i] !== walked[j] || run.ambient[i] !== ambient[j]) add(c.text, false);
      if (run.ambient[i] !== ambient[j]) anyName = true;
    }
  });
  prepared.chunks.forEach((c, j) => {
    if (hit[j]) return;
    add(c.text, walked[j]);
    if (ambient[j]) importsAfter.push(c.text.trimEnd());
    changedNew.push(j);
  });
  // An import whose code the edit left as it was (the one above a line typed, whose text ran to it) reaches no group,
  // unless the edit moved it past another (the later binding of a name wins): then every group may read otherwise.
  const unmatched = new Map<string, number>();
  for (const text of importsBefore) unmatched.set(text, (unmatched.get(text) ?? 0) + 1);
  const edited: string[] = [];
  const keptAfter: string[] = [];
  const keptBefore: string[] = [];
  takeCounted(importsAfter, unmatched, keptAfter, edited);
  // What is left counted is what the edit removed or changed.
  takeCounted(importsBefore, unmatched, edited, keptBefore);
  if (keptBefore.some((text, k) => text !== keptAfter[k])) anyName = true;
  const importsEdited = edited.length > 0;
  for (const text of edited) {
    if (text.includes('*')) anyName = true;
    for (const w of wordsOf(text)) changedNames.add(w);
  }
  // An edited statement stays in the group it was in (as the next version of it, where as many statements changed
  // as were there): otherwise its group would run split, find that it touches, and run again merged.
  const successor = Int32Array.from(oldToNew);
  if (changedOld.length === changedNew.length) changedOld.forEach((i, k) => (successor[i] = changedNew[k]));
  const sameWords = sameWordGroups(run, walked, ambient, { previous: previous.chunks, now: prepared.chunks, changedOld, changedNew });
  const oldText = previous.source.text;
  return {
    records: run.records,
    ambientKey: run.ambientKey,
    importsEdited: importsEdited && !anyName,
    oldToNew,
    successor,
    changedNames,
    changedLazy,
    lineDelta: prepared.source.lineIndex(prepared.source.text.length) - previous.source.lineIndex(oldText.length),
    shift: editShift(previous.source, prepared.source, oldText.length - ends.suffix, prepared.source.text.length - ends.suffix),
    shiftsAfter: new Map(),
    wordGroups: sameWords ? run.wordGroups : null,
    editStart: ends.prefix,
    oldEditEnd: oldText.length - ends.suffix,
    delta: prepared.source.text.length - oldText.length,
  };
}

/** Each of `texts` goes to `counted` while `counts` has it (taking one each time), else to `others`. */
function takeCounted(texts: string[], counts: Map<string, number>, counted: string[], others: string[]): void {
  for (const text of texts) {
    const left = counts.get(text) ?? 0;
    if (left > 0) {
      counts.set(text, left - 1);
      counted.push(text);
    } else others.push(text);
  }
}

/** Where the edited text ended before and after the edit, in a one-segment source (a notebook's lines count per cell). */
function editShift(before: SourceText, after: SourceText, oldEnd: number, newEnd: number): EditShift | null {
  if (before.segments.length !== 1 || after.segments.length !== 1 || before.segments[0].cell !== undefined || after.segments[0].cell !== undefined) return null;
  return { oldEnd: before.position(oldEnd), newEnd: after.position(newEnd) };
}

/**
 * Whether the groups that names and words make (see `interpret`) are the same as in the previous run: every statement
 * at the same index with the same walked and import-only status, and each one the edit changed, where it counts
 * (walked, not import-only), binding the same names and holding the same words.
 */
function sameWordGroups(
  run: NonNullable<Version['run']>,
  walked: boolean[],
  ambient: boolean[],
  { previous, now, changedOld, changedNew }: { previous: Chunk[]; now: Chunk[]; changedOld: number[]; changedNew: number[] },
): boolean {
  if (!run.wordGroups || previous.length !== now.length || changedOld.length !== changedNew.length) return false;
  for (let i = 0; i < now.length; i++) if (run.walked[i] !== walked[i] || run.ambient[i] !== ambient[i]) return false;
  const sameSet = (a: readonly string[], b: readonly string[]) => {
    if (a === b) return true;
    const set = new Set(a);
    return set.size === new Set(b).size && b.every((x) => set.has(x));
  };
  return changedOld.every((i, k) => {
    if (changedNew[k] !== i) return false;
    if (!walked[i] || ambient[i]) return true;
    const before = previous[i].text;
    const after = now[i].text;
    return sameSet(textFacts(before).names, textFacts(after).names) && sameSet(wordsOf(before), wordsOf(after));
  });
}

/**
 * Top-level chunks by the names they bind. An edit that leaves every statement binding the same names in the same
 * place (most keystrokes) keeps the previous index; the names of an unchanged statement are the same array (cached
 * by text), so the check is mostly a comparison of references.
 */
function definitionsIndex(chunkNames: string[][], previous?: { chunkNames: string[][]; definitions: Map<string, number[]> }): Map<string, number[]> {
  if (previous && previous.chunkNames.length === chunkNames.length) {
    let same = true;
    for (let i = 0; i < chunkNames.length && same; i++) {
      const names = chunkNames[i];
      const was = previous.chunkNames[i];
      if (names === was) continue;
      same = names.length === was.length;
      for (let k = 0; k < names.length && same; k++) same = names[k] === was[k];
    }
    if (same) return previous.definitions;
  }
  const definitions = new Map<string, number[]>();
  chunkNames.forEach((names, index) => {
    for (const name of names) {
      const list = definitions.get(name);
      if (list) list.push(index);
      else definitions.set(name, [index]);
    }
  });
  return definitions;
}

/**
 * Each statement's text facts, and whether it touches a model by itself (before walkCallers): a cheap text test
 * first, then its syntax (strings and comments never count). A statement the edit left as it was takes both from
 * the previous version (where the file's aliases of Sequential are the same): a keystroke looks up one statement
 * instead of every statement of the file in the caches.
 */
function statementFacts(prepared: Prepared): { facts: TextFacts[]; touches: boolean[]; aliasKey: string } {
  const { chunks, edit } = prepared;
  const previous = edit?.previous.statements;
  const facts = new Array<TextFacts>(chunks.length);
  if (previous)
    edit.oldToNew.forEach((j, i) => {
      if (j >= 0) facts[j] = previous.facts[i];
    });
  for (let j = 0; j < chunks.length; j++) facts[j] ??= textFacts(chunks[j].text);
  const aliases = new Set<string>();
  for (let j = 0; j < facts.length; j++) if (facts[j].sequentialAliases.length) for (const a of facts[j].sequentialAliases) aliases.add(a);
  const aliasKey = [...aliases].join('|');
  const aliasPattern = aliases.size ? new RegExp(`\\b(?:${aliasKey})\\s*\\(`) : null;
  const touches = new Array<boolean>(chunks.length);
  if (previous && previous.aliasKey === aliasKey)
    edit.oldToNew.forEach((j, i) => {
      if (j >= 0) touches[j] = previous.touches[i];
    });
  for (let j = 0; j < chunks.length; j++) {
    if (touches[j] !== undefined) continue;
    const text = chunks[j].text;
    touches[j] = false;
    if (!facts[j].mayTouchModels && !(aliasPattern !== null && aliasPattern.test(text))) continue;
    const info = chunkInfo(text);
    touches[j] = info.touchesModels;
    for (const a of aliases) if (info.calledNames.has(a)) touches[j] = true;
  }
  return { facts, touches, aliasKey };
}

/**
 * The indices of the previous version's statements that the edit changed, where it left the number of statements
 * (each changed one is then at the same index); null where there is no previous version or the number changed.
 */
function changedStatements(prepared: Prepared): number[] | null {
  const { edit, chunks } = prepared;
  if (!edit || edit.previous.chunks.length !== chunks.length) return null;
  const changed: number[] = [];
  for (let i = 0; i < edit.oldToNew.length; i++) if (edit.oldToNew[i] < 0) changed.push(i);
  return changed;
}

/**
 * The previous version's walked statements, where the edit cannot have changed them (most keystrokes): it changed
 * only statements that touch a model by themselves, before and after, and bind the same names as before. Such a
 * statement is walked either way; the passes that walk more (walkCallers, walkMutations) read of it only its names
 * and whether it defines a function, and of every other statement what the edit left as it was.
 */
function walkedAsBefore(prepared: Prepared, changed: number[] | null, facts: TextFacts[], touches: boolean[]): boolean[] | null {
  const { edit, chunks } = prepared;
  const run = edit?.previous.run;
  const before = edit?.previous.statements;
  if (!edit || !run || !before || !changed) return null;
  for (const i of changed) {
    if (!before.touches[i] || !touches[i]) return null;
    const was = before.facts[i];
    const now = facts[i];
    if (was.definesCallable !== now.definesCallable || was.names.length !== now.names.length || was.names.some((n, k) => n !== now.names[k])) return null;
    // A class's methods decide which calls walkCallers walks (`holder.grow()`): the same ones, in the same order.
    if (now.definesCallable) {
      const had = (was.methods ??= classMethods(edit.previous.chunks[i].text, true));
      const has = (now.methods ??= classMethods(chunks[i].text, true));
      if (had.length !== has.length || had.some((m, k) => m !== has[k])) return null;
    }
  }
  return run.walked;
}

function analyzeSource(prepared: Prepared): AnalysisResult {
  const { source, chunks } = prepared;
  const { facts, touches, aliasKey } = statementFacts(prepared);
  const changed = changedStatements(prepared);
  const walked = walkedAsBefore(prepared, changed, facts, touches) ?? touches.slice();
  const chunkNames = facts.map((f) => f.names);
  if (walked !== prepared.edit?.previous.run?.walked) {
    walkCallers(chunks, walked, facts);
    walkMutations(chunks, walked, facts);
  }
  const definitions = definitionsIndex(chunkNames, prepared.edit?.previous.run);
  const program: Program = {
    source,
    chunks,
    walked,
    kerasVersion: prepared.kerasVersion,
    definitions,
    chunkNames,
    tree: (index): Tree => chunkInfo(chunks[index].text).tree,
  };
  const before = prepared.edit?.previous.run;
  // The same walked statements as before (walkedAsBefore): only the changed ones can have become imports or stopped being.
  const ambient = ambientChunks(program, changed && before && walked === before.walked ? { ambient: before.ambient, changed } : undefined);
  // A file opened (no previous version) runs as one program: no slower than before groups. From the first edit on,
  // it runs in groups, whose runs the next edit can keep (the first edit pays for them: about a cold analysis).
  const run = interpret(program, ambient, previousRun(prepared, walked, ambient), prepared.edit !== undefined);
  const version: Version | undefined = prepared.owner && {
    source,
    kerasVersion: prepared.kerasVersion,
    chunks,
    statements: { facts, touches, aliasKey },
    run: { records: run.records, ambientKey: run.ambientKey, walked, ambient: run.ambient, chunkNames, definitions, wordGroups: run.wordGroups },
    grouped: prepared.edit !== undefined,
  };
  if (prepared.owner && version) {
    const last = lastVersions.get(prepared.owner);
    if (last) {
      last.before = undefined;
      version.before = last;
    }
    lastVersions.set(prepared.owner, version);
  }

  // Both kinds of conflict marker must be there: without `<<<<<<<` and `>>>>>>>` in the statements' texts (every line
  // that is not blank or a comment is in one; asked of each text once, not of the whole file on each keystroke), the
  // line-by-line scan is skipped.
  const conflict = facts.some((f) => f.conflictMarkers & 1) && facts.some((f) => f.conflictMarkers & 2);
  const result = withFileDiagnostics(
    run,
    fileDiagnostics(
      source,
      chunks,
      (i) => {
        if (!walked[i]) return null;
        // Null (no error) is an answer too: `??=` would ask again.
        if (facts[i].syntaxError === undefined) facts[i].syntaxError = chunkInfo(chunks[i].text).syntaxError;
        return facts[i].syntaxError ?? null;
      },
      conflict,
      prepared.kerasVersion,
      (i) => facts[i].mayImport,
    ),
  );
  if (version) version.result = result;
  return result;
}

/**
 * The result for `text` where it is the text of the owner's last version, or of the version before it (an undo, or a
 * character typed and deleted: the editor hands back the earlier text), analysed for the same Keras. For the one
 * before: that version becomes the last
 * again, the last its `before` (a redo is as quick), and its result is given again, the same objects. Else undefined.
 * The text is compared whole (lengths first): an undo gives back exactly the earlier text, and another text of the
 * same length differs somewhere. Not a version that ran as one program (the file as opened): the next edit from it
 * would run every group, where one from the last version keeps them.
 */
function undone(owner: Analyzer | undefined, text: string, kerasVersion: KerasVersion): AnalysisResult | undefined {
  const last = owner && lastVersions.get(owner);
  // The text analysed last, again (the editor asks again without an edit): its result.
  if (last?.result && last.kerasVersion === kerasVersion && last.source.text === text) return last.result;
  const before = last?.before;
  if (!owner || !last || !before?.result || !before.grouped || before.kerasVersion !== kerasVersion || before.source.text !== text) return undefined;
  before.before = last;
  last.before = undefined;
  lastVersions.set(owner, before);
  return before.result;
}

/** A plain file's analysis: the previous version's again (an undo), or one that reuses what that version left. */
function analyzeFile(text: string, owner: Analyzer | undefined, kerasVersion: KerasVersion): AnalysisResult {
  return undone(owner, text, kerasVersion) ?? analyzeSource(prepareFile(text, owner, kerasVersion));
}

/**
 * The reference analysis (`reference: true`): a plain walk of the whole file, which the fast paths above must agree
 * with (the differential test, test/unit/reference.test.ts). Every statement is parsed afresh and walked, in order,
 * in one run: none is skipped or read lazily, no text test decides anything, there are no groups, nothing of an
 * earlier analysis is reused, and no cache is read or written.
 */
function analyzeReference(source: SourceText, kerasVersion: KerasVersion): AnalysisResult {
  const chunks = chunkSource(
    source.text,
    source.segments.map((s) => [s.start, s.end]),
  ).chunks;
  const infos = chunks.map((c) => readChunk(c.text));
  const program: Program = {
    source,
    chunks,
    kerasVersion,
    walked: chunks.map(() => true),
    // Every statement is walked: no name is looked up in statements that are not.
    definitions: new Map(),
    chunkNames: chunks.map(() => []),
    tree: (index) => infos[index].tree,
    reference: true,
  };
  const run = runWhole(program);
  return withFileDiagnostics(
    run,
    fileDiagnostics(source, chunks, (i) => infos[i].syntaxError, true, kerasVersion),
  );
}

/**
 * The file's syntax errors (see `syntaxErrors`: its brackets', and `syntaxError(i)`, null where a statement is not
 * checked), with the ranges of the statements they break, and its version-control conflict markers where
 * `conflictPossible`.
 */
function fileDiagnostics(
  source: SourceText,
  chunks: Chunk[],
  syntaxError: (index: number) => ChunkInfo['syntaxError'],
  conflictPossible: boolean,
  kerasVersion: KerasVersion,
  /** Whether statement `i` may import (its cached text facts, on a keystroke); every statement is read without it. */
  mayImport?: (index: number) => boolean,
): { diagnostics: Diagnostic[]; broken: Range[] } {
  const { diagnostics, broken } = syntaxErrors(source, chunks, syntaxError);
  // Imports of Keras 1/2 module paths: code valid in Keras 2 only, said whichever version is chosen.
  diagnostics.push(...keras2ModuleNotes(source, mayImport ? chunks.filter((_c, i) => mayImport(i)) : chunks, kerasVersion));
  // Version-control conflict markers: Python cannot run the file, even where no model statement holds one. Both
  // ends must be there (a lone `=======` line is more likely a heading's underline in a docstring).
  const markers = conflictPossible ? [...source.text.matchAll(CONFLICT_MARKER)] : [];
  if (markers.some((m) => m[1][0] === '<') && markers.some((m) => m[1][0] === '>'))
    for (const m of markers)
      diagnostics.push({
        severity: 'error',
        code: 'syntax-error',
        message: `a merge conflict marker (\`${m[1].slice(0, 1).repeat(7)}\`): Python cannot run the file until the conflict is resolved`,
        range: source.range(m.index ?? 0, (m.index ?? 0) + m[0].trimEnd().length),
      });
  return { diagnostics, broken };
}

/** A run's models and notes after the file's own diagnostics, less what a broken statement would add (see `withoutFollowUps`). */
function withFileDiagnostics(
  run: { models: AnalysisResult['models']; notes: Diagnostic[] },
  file: { diagnostics: Diagnostic[]; broken: Range[] },
): AnalysisResult {
  const diagnostics = [...file.diagnostics, ...withoutFollowUps(run.notes, file.broken)];
  if (file.broken.length === 0) return { models: run.models, diagnostics };
  return { models: run.models.map((m) => ({ ...m, diagnostics: withoutFollowUps(m.diagnostics, file.broken) })), diagnostics };
}

function failure(e: unknown): AnalysisResult {
  const range = { start: { line: 1, column: 1 }, end: { line: 1, column: 1 } };
  const message = e instanceof NotebookFormatError ? e.message : `LayerLens failed on this file: ${(e as Error)?.message ?? String(e)}`;
  const diagnostic: Diagnostic = { severity: 'error', code: e instanceof NotebookFormatError ? 'notebook-format' : 'internal-error', message, range };
  // The stack goes to the extension's output channel with the report; not enumerable, so --json leaves it out.
  if (e instanceof Error && e.stack && !(e instanceof NotebookFormatError)) Object.defineProperty(diagnostic, 'stack', { value: e.stack, enumerable: false });
  return { models: [], diagnostics: [diagnostic] };
}

/**
 * Analyses Python source, or a notebook's JSON when `options.notebook` is set or the file name ends in .ipynb. With
 * `options.reference`, as the reference analysis (a plain walk of the whole file, see analyzeReference). With a
 * `fileName`, an edit of the file's previous version reuses what that analysis left (an editor's keystrokes); without
 * one, nothing of an earlier call is reused: the same text gives the same result whatever was analysed before.
 */
export function analyze(source: string, options: AnalyzeOptions = {}): AnalysisResult {
  const notebook = options.notebook ?? options.fileName?.toLowerCase().endsWith('.ipynb') ?? false;
  const choice = options.kerasVersion ?? DEFAULT_KERAS_VERSION;
  const owner = options.fileName === undefined || options.reference || notebook ? undefined : analyzerFor(options.fileName);
  const run = (version: KerasVersion) => {
    try {
      if (options.reference) return analyzeReference(notebook ? joinCells(readNotebook(source)) : new SourceText(source), version);
      if (notebook) return analyzeSource(prepareCells(joinCells(readNotebook(source)), version));
      return analyzeFile(source, owner, version);
    } catch (e) {
      return failure(e);
    }
  };
  return choice === 'auto' ? chooseVersion(run, owner && lastVersions.get(owner)?.kerasVersion) : run(choice);
}

/** Analyses a notebook's code cells, in order, as one program; ranges carry the cell index. */
export function analyzeCells(cells: CellSource[], options: Pick<AnalyzeOptions, 'kerasVersion'> = {}): AnalysisResult {
  const run = (version: KerasVersion) => {
    try {
      return analyzeSource(prepareCells(joinCells(cells), version));
    } catch (e) {
      return failure(e);
    }
  };
  const choice = options.kerasVersion ?? DEFAULT_KERAS_VERSION;
  return choice === 'auto' ? chooseVersion(run) : run(choice);
}
