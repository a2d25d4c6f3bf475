/**
 * `layerlens summary` over a repository, as CI runs it: several files and quoted globs in one command, each file's
 * summary, one exit status for all. The built dist/cli.js in a child process, in a folder laid out as projects are.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { EXAMPLES } from './support/fixtures';
import { expandBraces, globFiles } from '../../src/glob';

const CLI = join(__dirname, '..', '..', 'dist', 'cli.js');

/** A project: two model files under models/, a training script without a model, a file with a warning, dotfiles. */
function project(): string {
  const root = mkdtempSync(join(tmpdir(), 'layerlens-files-'));
  const files: Record<string, string> = {
    'models/cnn.py': readFileSync(join(EXAMPLES, 'mnist_convnet.py'), 'utf8'),
    'models/text/ranker.py': [
      'from tensorflow import keras',
      'from tensorflow.keras import layers',
      '',
      'title_input = keras.Input(shape=(None,), name="title")',
      'body_input = keras.Input(shape=(None,), name="body")',
      'tags_input = keras.Input(shape=(12,), name="tags")',
      'title_features = layers.LSTM(128)(layers.Embedding(10000, 64)(title_input))',
      'body_features = layers.LSTM(32)(layers.Embedding(10000, 64)(body_input))',
      'x = layers.concatenate([title_features, body_features, tags_input])',
      'priority_pred = layers.Dense(1, name="priority")(x)',
      'model = keras.Model(inputs=[title_input, body_input, tags_input], outputs=priority_pred)',
      '',
    ].join('\n'),
    'train.py': 'import numpy as np\n\nx = np.zeros((8, 4))\nprint(x.shape)\n',
    'legacy.py': readFileSync(join(EXAMPLES, 'mnist_convnet_no_pooling.py'), 'utf8'),
    'models/.hidden.py': 'this is not python (\n',
    '.venv/lib/site.py': 'this is not python (\n',
  };
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, name)), { recursive: true });
    writeFileSync(join(root, name), text);
  }
  return root;
}

function cli(cwd: string, ...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', cwd });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('CLI: layerlens summary over several files and globs', () => {
  const root = project();

  it("a quoted glob and a file: each file's summary under its name, in order, the glob's matches sorted", () => {
    const r = cli(root, 'summary', 'models/**/*.py', 'train.py');
    assert.equal(r.code, 0);
    assert.equal(r.err, '');
    const headings = r.out.split('\n').filter((l) => l.startsWith('==> '));
    assert.deepEqual(headings, ['==> models/cnn.py <==', '==> models/text/ranker.py <==', '==> train.py <=='], 'no dotfile, no .venv');
    const [, cnn, ranker, train] = r.out.split(/^==> .* <==$/m);
    assert.match(cnn, /Total params: 93,322 /);
    assert.match(ranker, /^Model: "model" {2}\(line 11, inputs title \(None, None\), body \(None, None\), tags \(None, 12\), Keras 3\)$/m);
    assert.equal(train.trim(), 'train.py: no model found');
    assert.match(r.out, /<==\n[^]*\n\n==> models\/text/, 'a blank line between files');
  });

  it('--fail-on: one exit status for all, a line for each failing file and one counting them', () => {
    const r = cli(root, 'summary', '*.py', 'models/*.py', '--fail-on', 'warning');
    assert.equal(r.code, 1);
    assert.equal(r.err, 'layerlens: legacy.py: 1 warning (--fail-on warning)\nlayerlens: 1 of 3 files fail (--fail-on warning)\n');
    assert.deepEqual(
      r.out.split('\n').filter((l) => l.startsWith('==> ')),
      ['==> legacy.py <==', '==> train.py <==', '==> models/cnn.py <=='],
    );
    assert.equal(cli(root, 'summary', 'models/**/*.py', 'train.py', '--fail-on', 'warning').code, 0);
    assert.equal(cli(root, 'summary', '*.py', '--fail-on=error').code, 0);
  });

  it('a glob that matches nothing, or a missing file: exit 2 (a typo must not pass CI), the other files still summarised', () => {
    for (const [arg, message] of [
      ['model/**/*.py', 'layerlens: model/**/*.py: no file matches'],
      ['missing.py', 'layerlens: cannot read missing.py: no such file'],
    ]) {
      const r = cli(root, 'summary', arg, 'models/cnn.py', '--fail-on', 'warning');
      assert.equal(r.code, 2, arg);
      assert.equal(r.err, `${message}\n`);
      assert.match(r.out, /^==> models\/cnn\.py <==\nModel: "model"/);
    }
    // 2 wins over 1: a failing file and an unreadable one.
    assert.equal(cli(root, 'summary', 'legacy.py', 'missing.py', '--fail-on', 'warning').code, 2);
  });

  it('--json: one array of the per-file objects for several files or a glob; one object for one FILE, as before', () => {
    const r = cli(root, 'summary', '--json', 'models/**/*.py', 'train.py');
    assert.equal(r.code, 0);
    const files = JSON.parse(r.out) as { file: string; models: { name: string; totalParams: number }[] }[];
    assert.deepEqual(
      files.map((f) => [f.file, f.models.length]),
      [
        ['models/cnn.py', 1],
        ['models/text/ranker.py', 1],
        ['train.py', 0],
      ],
    );
    assert.equal(files[0].models[0].totalParams, 93322);
    assert.ok(Array.isArray(JSON.parse(cli(root, 'summary', '--json', 'models/c*.py').out)), 'a glob matching one file: still an array');
    assert.equal(JSON.parse(cli(root, 'summary', '--json', 'models/cnn.py').out).file, 'models/cnn.py');
  });

  it('--markdown: a section per file', () => {
    const r = cli(root, 'summary', '--markdown', 'models/*.py', 'legacy.py');
    assert.equal(r.code, 0);
    assert.deepEqual(
      r.out.split('\n').filter((l) => l.startsWith('## ')),
      ['## models/cnn.py', '## legacy.py'],
    );
    assert.match(r.out, /## legacy\.py\n\n### Model `model_no_max_pool` \(legacy\.py:6, Keras 3\)[^]*### Diagnostics\n\n- legacy\.py:\d+:\d+: warning: /);
  });

  it('an absolute glob gives absolute paths; a brace group spans folders; ./ is kept as written', () => {
    const abs = cli(root, 'summary', `${root}/models/**/*.py`);
    assert.deepEqual(
      abs.out.split('\n').filter((l) => l.startsWith('==> ')),
      [`==> ${root}/models/cnn.py <==`, `==> ${root}/models/text/ranker.py <==`],
    );
    const braces = cli(root, 'summary', './{models/text,models}/*.py');
    assert.deepEqual(
      braces.out.split('\n').filter((l) => l.startsWith('==> ')),
      ['==> ./models/cnn.py <==', '==> ./models/text/ranker.py <=='],
    );
  });

  it('--help: several files and globs, Functional models and keras.applications, one exit status', () => {
    const r = cli(root, '--help');
    assert.equal(r.code, 0);
    assert.match(r.out, /^usage: layerlens summary FILE\.\.\. /m);
    assert.match(r.out, /Functional models/);
    assert.match(r.out, /keras\.applications/);
    assert.match(r.out, /glob/);
    assert.match(r.out, /one for all the files/);
  });

  it('bad arguments (parsed by node:util parseArgs): exit 2, one line in our words', () => {
    for (const [args, pattern] of [
      [['summary'], /expected: summary FILE\.\.\./],
      [['summary', 'x.py', '--json=yes'], /'--json' does not take an argument/],
      [['summary', 'x.py', '-x'], /unknown option -x/],
      [['sumary', 'x.py'], /expected: summary FILE\.\.\./],
    ] as const) {
      const r = cli(root, ...args);
      assert.equal(r.code, 2, args.join(' '));
      assert.equal(r.out, '');
      assert.match(r.err, pattern);
      assert.equal(r.err.trim().split('\n').length, 1);
    }
  });
});

describe('glob expansion (src/glob.ts)', () => {
  const root = project();

  it('brace groups expand as a shell expands them, nested and across folders; a group without a comma is literal', () => {
    assert.deepEqual(expandBraces('a{b,c{d,e}}f'), ['abf', 'acdf', 'acef']);
    assert.deepEqual(expandBraces('{models/text,.}/*.py'), ['models/text/*.py', './*.py']);
    assert.deepEqual(expandBraces('x{y}z'), ['x{y}z']);
  });

  it('*, ?, [..] and [!..] match within a name; ** any depth; names starting with a dot only when the pattern says so', () => {
    const at = (p: string) => globFiles(`${root}/${p}`).map((f) => f.slice(root.length + 1));
    assert.deepEqual(at('*.py'), ['legacy.py', 'train.py']);
    assert.deepEqual(at('?????.py'), ['train.py']);
    assert.deepEqual(at('[lt]*.py'), ['legacy.py', 'train.py']);
    assert.deepEqual(at('[!l]*.py'), ['train.py']);
    assert.deepEqual(at('**/*.py'), ['legacy.py', 'models/cnn.py', 'models/text/ranker.py', 'train.py']);
    assert.deepEqual(at('models/.*.py'), ['models/.hidden.py']);
    assert.deepEqual(at('.venv/**/*.py'), ['.venv/lib/site.py']);
    assert.deepEqual(at('nothing/**/*.py'), []);
  });

  it('a symbolic link back up the tree is not walked by ** (no endless loop)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'layerlens-loop-'));
    mkdirSync(join(dir, 'a'));
    writeFileSync(join(dir, 'a', 'm.py'), 'x = 1\n');
    symlinkSync(dir, join(dir, 'a', 'up'));
    assert.deepEqual(globFiles(`${dir}/**/*.py`), [`${dir}/a/m.py`]);
  });
});
