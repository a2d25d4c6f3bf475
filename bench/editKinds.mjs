// The edits people make most, timed as the editor runs them: each one is followed by a re-analysis of the whole text
// with the cache warm (issue 19: a keystroke's p95 under 5 ms for every kind of edit, on each bench file).
//
//   enter    Enter at the end of a layer's line: a new, indented, empty line inside the model;
//   delete   deleting a blank line between two top-level statements before a model;
//   comment  typing a comment line (`# …`) above a layer's line, whole, as a paste of one line;
//   paste    pasting a block of ordinary code (a function of eleven lines) before a model's statement;
//   imports  typing a comment line just below the file's imports (every statement group runs them: the same place
//            each time, whatever the model);
//   top      typing a comment line at the top of the file, above its imports (as in its docstring);
//   import   an import line added below the others (`import numpy as np`, whole, as a paste of one line; another
//            import each time, in turn);
//   typing   a comment line typed key by key after a layer's line (Enter, then each character: each keystroke one
//            analysis, none undone in between, as a person types);
// and the undo of each (the editor hands back the earlier text: the typed line undone at once), timed as its own kind.
// An undo gives back the text of the version before the last, whose analysis is kept (src/core/analyze.ts `undone`):
// every kind but typing is timed as an edit followed by its undo, and typing shows edits that follow one another.
//
// Every kind moves every statement after it: the lines of every model after the edit change. Each result is checked:
// every model is found, at its line after the edit, and nothing else, and the undo gives back the first result's lines.

const PASTED = [
  '',
  'def summarize_batch(batch, keys=("loss", "accuracy")):',
  '    """Averages of the given keys over a batch of logs."""',
  '    totals = {k: 0.0 for k in keys}',
  '    for entry in batch:',
  '        for k in keys:',
  '            totals[k] += float(entry.get(k, 0.0))',
  '    n = max(len(batch), 1)',
  '    return {k: v / n for k, v in totals.items()}',
  '',
  '',
].join('\n');

/** The import lines the `import` kind adds, in turn (`import numpy as np` first): modules the bench files do not use. */
const IMPORTS = ['import numpy as np', 'import pandas as pd', 'import matplotlib.pyplot as plt', 'from pathlib import Path', 'import random', 'import math'];

/** 1-based line of each offset of `text`, by binary search over its line starts (bench/run.mjs uses it too). */
export function lineOf(text) {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return (offset) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
}

/** The offset of the start of the line holding `offset`. */
const lineStart = (text, offset) => text.lastIndexOf('\n', offset - 1) + 1;

/** The start of the line after the last `import` / `from` line of the file's first 60 lines (0 when there is none). */
function belowImports(text) {
  let at = 0;
  let below = 0;
  for (let line = 0; line < 60 && at < text.length; line++) {
    const end = text.indexOf('\n', at);
    if (end < 0) break;
    if (/^(?:import|from)\s/.test(text.slice(at, end))) below = end + 1;
    at = end + 1;
  }
  return below;
}

/** The edit of each kind at one model: where it goes and what it inserts or removes. */
function editAt(kind, text, model, lineStartOf, i) {
  const editLine = lineStart(text, model.editOffset);
  const indent = /^[ \t]*/.exec(text.slice(editLine, editLine + 200))[0];
  const modelLine = lineStartOf(model.line);
  switch (kind) {
    case 'enter': {
      const end = text.indexOf('\n', model.editOffset);
      return { at: end, remove: 0, insert: `\n${indent}` };
    }
    case 'typing':
      // Enter (the editor indents the new line), then each character.
      return { at: text.indexOf('\n', model.editOffset), remove: 0, insert: `\n${indent}# wider? ${i}`, first: 1 + indent.length };
    case 'comment':
      return { at: editLine, remove: 0, insert: `${indent}# wider here? try 128 units\n` };
    case 'imports':
      return { at: belowImports(text), remove: 0, insert: `# the data: 28x28 grey digits, run ${i}\n` };
    case 'top':
      return { at: 0, remove: 0, insert: `# Experiments with small convnets, take ${i}.\n` };
    case 'import':
      return { at: belowImports(text), remove: 0, insert: `${IMPORTS[i % IMPORTS.length]}\n` };
    case 'paste':
    case 'delete': {
      // The closest empty line before the model's first line whose next line starts a top-level statement (column 0):
      // it lies between two statements of the module, not inside a function.
      let at = modelLine;
      let blank = -1;
      while (at > 0 && blank < 0) {
        const prev = lineStart(text, at - 1);
        if (at - 1 === prev && /[^\s#]/.test(text[at] ?? '')) blank = prev;
        at = prev;
      }
      if (blank < 0) return null;
      return kind === 'delete' ? { at: blank, remove: 1, insert: '' } : { at: blank, remove: 0, insert: PASTED };
    }
  }
  return null;
}

/** The 1-based lines of the models in `result`, sorted, as one string (a model made in a loop counts once per run). */
const modelLines = (result) =>
  result.models
    .map((m) => m.line)
    .sort((a, b) => a - b)
    .join(',');

/**
 * Times `edits` edits of each kind (each at another model, spread over the file from its middle) and their undos on
 * `source`, with `analyze` warm. `models` are the generator's. Returns times per kind, `undo` included, and the first
 * edit after the file was opened (`opened`, one time); a stale or wrong result goes to `fail`.
 */
export function timeEditKinds({ analyze: analyzeOnly, clearParseCache, flat, rowsExtent }, label, source, models, edits, fail) {
  // Timed as the editor uses it: the analysis, then the rows of the models in view (the 60 lines around the edit),
  // which the inlay hints and the lenses in view read. The rows of a model an edit moved are moved when first read
  // (src/core/keras/movedResults.ts): reading them here keeps that cost in the time.
  let viewLine = 1;
  const analyze = (text, options) => {
    const result = analyzeOnly(text, options);
    if (rowsExtent)
      for (const m of result.models) {
        const extent = rowsExtent(m);
        if (extent && extent.first.line <= viewLine + 30 && extent.last.line >= viewLine - 30) void (m.layers.length + (m.tensors?.length ?? 0));
      }
    return result;
  };
  const times = { enter: [], delete: [], comment: [], paste: [], imports: [], top: [], import: [], typing: [], undo: [] };
  clearParseCache();
  const fileName = `${label}.py`;
  const first = analyze(source, { fileName });
  const firstLines = modelLines(first);
  // The first edit after a file is opened runs every statement group once (a file opened runs as one program; from the
  // first edit on it runs in groups, which later edits keep): about a cold analysis, paid once per file, timed on its
  // own (`opened`) rather than as the first edit of the first kind. A blank line added at the end, then undone.
  let s = performance.now();
  analyze(flat(`${source}\n`), { fileName });
  const opened = performance.now() - s;
  analyze(source, { fileName });
  const starts = [0];
  for (let i = source.indexOf('\n'); i >= 0; i = source.indexOf('\n', i + 1)) starts.push(i + 1);
  const lineStartOf = (line) => starts[line - 1];
  const n = models.length;
  const mid = n >> 1;
  const lineAt = lineOf(source);
  for (const kind of ['enter', 'delete', 'comment', 'paste', 'imports', 'top', 'import', 'typing']) {
    for (let i = 0; i < edits && n > 0; i++) {
      const model = models[(mid + (n >= edits ? Math.floor((i * n) / edits) : i)) % n];
      const e = editAt(kind, source, model, lineStartOf, i);
      if (!e) continue;
      viewLine = lineAt(e.at);
      // Typing: the text after each keystroke, the line typed so far (every other kind: the edit at once).
      let r;
      for (let k = e.first ?? e.insert.length; k <= e.insert.length; k++) {
        const edited = flat(source.slice(0, e.at) + e.insert.slice(0, k) + source.slice(e.at + e.remove));
        s = performance.now();
        r = analyze(edited, { fileName });
        times[kind].push(performance.now() - s);
      }
      // The lines of the models after the edit moved by the lines it added or removed.
      const editLine = lineAt(e.at);
      const added = (e.insert.match(/\n/g) ?? []).length - (source.slice(e.at, e.at + e.remove).match(/\n/g) ?? []).length;
      const atEnd = kind === 'enter' || kind === 'typing' ? 1 : 0; // Enter at a line's end: that line's model stays where it was.
      const want = firstLines
        .split(',')
        .map(Number)
        .map((line) => (line > editLine - 1 + atEnd ? line + added : line))
        .join(',');
      if (modelLines(r) !== want) fail(`${label}: after ${kind} at line ${editLine}, the models are at lines that do not match the edit (stale result?)`);
      s = performance.now();
      const back = analyze(source, { fileName });
      times.undo.push(performance.now() - s);
      if (modelLines(back) !== firstLines) fail(`${label}: after undoing ${kind} at line ${editLine}, the models are not where they were`);
    }
  }
  return { ...times, opened: [opened] };
}
