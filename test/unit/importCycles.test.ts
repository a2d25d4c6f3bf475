/**
 * Issue 19: no module of src/ or webview/ imports itself through others (type-only imports aside, which vanish
 * when compiled). The imports are read with TypeScript's own parser; a cycle is reported as the chain of files.
 */
import { strict as assert } from 'node:assert';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import * as ts from 'typescript';

const ROOT = join(__dirname, '..', '..');

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? tsFiles(path) : name.endsWith('.ts') && !name.endsWith('.d.ts') ? [path] : [];
  });
}

/** The files a module imports for their values: relative `import` and `export ... from`, not `import type` nor `{ type X }` alone. */
function valueImports(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest);
  const out: string[] = [];
  for (const s of source.statements) {
    let spec: ts.Expression | undefined;
    if (ts.isImportDeclaration(s)) {
      const clause = s.importClause;
      const bindings = clause?.namedBindings;
      const typesOnly =
        clause?.isTypeOnly ||
        (clause && !clause.name && bindings && ts.isNamedImports(bindings) && bindings.elements.length > 0 && bindings.elements.every((e) => e.isTypeOnly));
      if (!typesOnly) spec = s.moduleSpecifier;
    } else if (ts.isExportDeclaration(s) && s.moduleSpecifier && !s.isTypeOnly) {
      const named = s.exportClause && ts.isNamedExports(s.exportClause) ? s.exportClause.elements : undefined;
      if (!named || named.some((e) => !e.isTypeOnly)) spec = s.moduleSpecifier;
    }
    if (!spec || !ts.isStringLiteral(spec) || !spec.text.startsWith('.')) continue;
    const base = resolve(dirname(file), spec.text);
    const target = [`${base}.ts`, join(base, 'index.ts')].find((p) => existsSync(p));
    if (target) out.push(target);
  }
  return out;
}

/** Each cycle once, as the chain of files from a module back to itself (a depth-first walk's back edges). */
function cycles(files: string[]): string[][] {
  const graph = new Map(files.map((f) => [f, valueImports(f)]));
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const found: string[][] = [];
  const visit = (f: string): void => {
    state.set(f, 'open');
    stack.push(f);
    for (const g of graph.get(f) ?? []) {
      if (state.get(g) === 'open') found.push([...stack.slice(stack.indexOf(g)), g]);
      else if (!state.has(g)) visit(g);
    }
    stack.pop();
    state.set(f, 'done');
  };
  for (const f of files) if (!state.has(f)) visit(f);
  return found;
}

describe('imports', () => {
  it('no module of src/ or webview/ imports itself through others (type-only imports aside)', () => {
    const files = [...tsFiles(join(ROOT, 'src')), ...tsFiles(join(ROOT, 'webview'))];
    const found = cycles(files).map((c) => c.map((f) => relative(ROOT, f)).join(' → '));
    assert.deepEqual(found, []);
  });

  it('finds a cycle: two modules that import each other (as keras/graph.ts and keras/propagate.ts did), not one through a type-only import', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cycles-'));
    writeFileSync(join(dir, 'graph.ts'), "import { runLayer } from './propagate';\nexport const run = runLayer;\n");
    writeFileSync(join(dir, 'propagate.ts'), "import { run } from './graph';\nimport type { X } from './types';\nexport const runLayer = run;\n");
    writeFileSync(join(dir, 'types.ts'), "import { runLayer } from './propagate';\nexport type X = typeof runLayer;\n");
    const found = cycles(tsFiles(dir)).map((c) => c.map((f) => relative(dir, f)).join(' → '));
    rmSync(dir, { recursive: true });
    assert.deepEqual(found, ['graph.ts → propagate.ts → graph.ts']);
  });
});
