/**
 * One home per layer (issue 9): every rule of the catalogue says how tfjs builds its layer or why it cannot, and
 * the README's "### Layers" list names exactly the catalogue's layers. The list names each layer once, by its
 * class (`rule.type`); aliases Keras exports for the same class (MaxPool2D, Convolution2D) are not listed, and
 * the test fails if one is. Remarks in parentheses are ignored. Shorthands are expanded: `Conv1D/2D/3D`, `Conv1D/2D/3DTranspose`,
 * `GlobalMax/AveragePooling1D/2D/3D`.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { allRules } from '../../src/core/layers/catalogue';

/** `A1D/2D/3DB` → A1DB, A2DB, A3DB; `GlobalMax/AveragePooling` → GlobalMaxPooling, GlobalAveragePooling. */
function expand(item: string): string[] {
  const m = /(\dD|[A-Z][a-z]+)((?:\/(?:\dD|[A-Z][a-z]+))+)/.exec(item);
  if (!m) return [item];
  const alternatives = [m[1], ...m[2].split('/').slice(1)];
  return alternatives.flatMap((alt) => expand(item.slice(0, m.index) + alt + item.slice(m.index + m[0].length)));
}

/** The layer names of the README's "### Layers" paragraph: from the heading to the dash that ends the list. */
function readmeLayers(): string[] {
  const readme = readFileSync(join(__dirname, '../../README.md'), 'utf8');
  const section = /^### Layers\n+([\s\S]*?) —/m.exec(readme);
  assert.ok(section, 'README.md has a "### Layers" section whose list ends with " —"');
  return section[1]
    .replace(/\s*\([^)]*\)/g, '') // a remark in parentheses: `Concatenate (Functional models)`
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .flatMap(expand);
}

describe('layer catalogue', () => {
  it('every rule maps its layer to tfjs or states why tfjs cannot build it', () => {
    const missing = allRules()
      .filter((r) => typeof r.tfjs !== 'function' && !(r.tfjs && typeof r.tfjs.unsupported === 'string' && r.tfjs.unsupported.length > 10))
      .map((r) => r.type);
    assert.deepEqual(missing, [], 'rules without a tfjs mapping or a stated refusal');
  });

  it('the expansion of the README’s shorthands', () => {
    assert.deepEqual(expand('Conv1D/2D/3DTranspose'), ['Conv1DTranspose', 'Conv2DTranspose', 'Conv3DTranspose']);
    assert.deepEqual(expand('GlobalMax/AveragePooling1D/2D'), ['GlobalMaxPooling1D', 'GlobalMaxPooling2D', 'GlobalAveragePooling1D', 'GlobalAveragePooling2D']);
    assert.deepEqual(expand('Dense'), ['Dense']);
  });

  it('the README’s "### Layers" list names exactly the catalogue’s layers, each once, without aliases', () => {
    const listed = readmeLayers();
    const types = new Set(allRules().map((r) => r.type));
    const aliases = new Set(allRules().flatMap((r) => r.aliases ?? []));
    const twice = listed.filter((t, i) => listed.indexOf(t) !== i);
    const notInCatalogue = listed.filter((t) => !types.has(t)).map((t) => (aliases.has(t) ? `${t} (an alias: list its class)` : t));
    const notInReadme = [...types].filter((t) => !listed.includes(t));
    assert.deepEqual({ notInReadme, notInCatalogue, twice }, { notInReadme: [], notInCatalogue: [], twice: [] });
  });
});
