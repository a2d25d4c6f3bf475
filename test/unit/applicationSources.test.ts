/**
 * The Python of keras.applications (src/core/applications/*.py, issue 19 §4) is Python: every file, and every
 * architecture's text as LayerLens runs it (the prelude, then its family), has no syntax error by LayerLens' own
 * check (src/core/python/syntaxErrors.ts: CPython's bracket messages and the lezer parser's errors; CI has no
 * Python). Each file on disk is a family LayerLens runs, as its text, and names in `__all__` only what it defines.
 */
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { APPLICATIONS, FAMILY_SOURCES, PRELUDE_SOURCE, applicationSource, familyArchitectures } from '../../src/core/applications';
import { readChunk } from '../../src/core/keras/chunkInfo';
import { chunkSource } from '../../src/core/python/chunks';
import { SourceText } from '../../src/core/python/sourceText';
import { syntaxErrors } from '../../src/core/python/syntaxErrors';

const DIR = join(__dirname, '..', '..', 'src', 'core', 'applications');
const FILES = readdirSync(DIR)
  .filter((f) => f.endsWith('.py'))
  .sort();

/** The syntax errors of `text` as `line: message`, every statement checked (as the reference analysis checks them). */
function errorsOf(text: string): string[] {
  const source = new SourceText(text);
  const chunks = chunkSource(text).chunks;
  return syntaxErrors(source, chunks, (i) => readChunk(chunks[i].text).syntaxError).diagnostics.map((d) => `${d.range.start.line}: ${d.message}`);
}

describe('keras.applications as Python files', () => {
  it('finds the syntax errors it is asked to find (the check below could fail)', () => {
    assert.deepEqual(errorsOf('def f(x):\n    return layers.Dense(4(x)\n'), ["2: '(' was never closed"]);
    assert.equal(errorsOf('def f(x):\n    return x +\n').length, 1);
    assert.equal(errorsOf(PRELUDE_SOURCE.replace('def image_input(', 'def image_input(:')).length, 1);
  });

  for (const file of FILES) {
    it(`${file} has no syntax error`, () => {
      assert.deepEqual(errorsOf(readFileSync(join(DIR, file), 'utf8')), []);
    });
  }

  it('runs every family on disk, with the text of its file (the .py loader gives the file as it is)', () => {
    assert.deepEqual(
      FILES.filter((f) => f !== 'prelude.py'),
      Object.keys(FAMILY_SOURCES)
        .map((family) => `${family}.py`)
        .sort(),
    );
    for (const [family, text] of Object.entries(FAMILY_SOURCES)) assert.equal(text, readFileSync(join(DIR, `${family}.py`), 'utf8'), family);
    assert.equal(PRELUDE_SOURCE, readFileSync(join(DIR, 'prelude.py'), 'utf8'));
  });

  it("names in each family's __all__ the architectures it defines, and every one is known", () => {
    for (const [family, text] of Object.entries(FAMILY_SOURCES)) {
      const names = familyArchitectures(text);
      assert.ok(names.length > 0, `${family}.py has no __all__`);
      for (const name of names) assert.match(text, new RegExp(`^def ${name}\\(`, 'm'), `${family}.py: ${name} in __all__ is not defined`);
    }
    assert.equal(APPLICATIONS.length, 40, 'the 40 architectures of issue 12');
  });

  it('joins the prelude and each family into a text without syntax errors', () => {
    for (const architecture of APPLICATIONS) {
      const found = applicationSource(architecture);
      assert.ok(found, architecture);
      assert.deepEqual(errorsOf(found.text), [], architecture);
    }
  });
});
