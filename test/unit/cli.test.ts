/** The CLI as CI runs it: the built dist/cli.js in a child process, its stdout, stderr and exit code. */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXAMPLES } from './support/fixtures';
import { readErrorMessage } from '../../src/cli';

const CLI = join(__dirname, '..', '..', 'dist', 'cli.js');

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('CLI: layerlens summary', () => {
  const dir = mkdtempSync(join(tmpdir(), 'layerlens-cli-'));

  it('prints a Keras-like table with receptive field and MACs columns and a footer', () => {
    const r = cli('summary', join(EXAMPLES, 'mnist_convnet.py'));
    assert.equal(r.code, 0);
    assert.equal(r.err, '');
    assert.match(r.out, /Layer \(type\)\s+Output Shape\s+Param #\s+Receptive field\s+MACs/);
    assert.match(r.out, /conv2d_2 \(Conv2D\)\s+\(None, 3, 3, 64\)\s+36,928\s+18×18\s+331,776/);
    assert.match(r.out, /Total params: 93,322 \(364\.54 KB\)/);
    assert.match(r.out, /Trainable params: 93,322/);
    assert.match(r.out, /Non-trainable params: 0/);
    assert.match(r.out, /Total MACs: 2,794,240/);
    assert.match(r.out, /Activation memory per sample: /);
  });

  it('--json follows the documented schema', () => {
    const r = cli('summary', join(EXAMPLES, 'mnist_convnet.py'), '--json');
    assert.equal(r.code, 0);
    const json = JSON.parse(r.out);
    assert.equal(json.file, join(EXAMPLES, 'mnist_convnet.py'));
    const m = json.models[0];
    assert.equal(m.name, 'model');
    assert.equal(m.line, 5);
    assert.deepEqual(m.inputShape, [null, 28, 28, 1]);
    assert.deepEqual(
      { ...m.layers[0], config: undefined, paramsBreakdown: undefined },
      {
        index: 0,
        type: 'Conv2D',
        name: 'conv2d',
        range: { start: { line: 6, column: 11 }, end: { line: 6, column: 80 } },
        inputShape: [null, 28, 28, 1],
        outputShape: [null, 26, 26, 32],
        params: 320,
        trainableParams: 320,
        nonTrainableParams: 0,
        macs: 194688,
        receptiveField: { size: [3, 3], jump: [1, 1], offset: [0, 0] },
        config: undefined,
        paramsBreakdown: undefined,
      },
    );
    assert.equal(m.totalParams, 93322);
    assert.equal(m.trainableParams, 93322);
    assert.equal(m.nonTrainableParams, 0);
    assert.equal(m.macs, 2794240);
    assert.deepEqual(m.diagnostics, []);
  });

  it('--json config: every tuple argument as Keras normalises it in its constructor (an int written becomes a tuple)', () => {
    const file = join(dir, 'tuples.py');
    writeFileSync(
      file,
      [
        'from keras import layers, models',
        'a = models.Sequential([layers.Conv1D(4, 3, input_shape=(20, 2)), layers.MaxPooling1D(2), layers.AveragePooling1D(3, strides=1),',
        '    layers.UpSampling1D(3), layers.ZeroPadding1D(2), layers.Cropping1D(1)])',
        "b = models.Sequential([layers.Conv2D(32, 3, activation='relu', input_shape=(28, 28, 1)), layers.MaxPooling2D(2),",
        '    layers.AveragePooling2D((2, 3), strides=1), layers.UpSampling2D(2), layers.ZeroPadding2D(1), layers.ZeroPadding2D((1, 2)),',
        '    layers.ZeroPadding2D(((1, 2), (3, 4))), layers.Cropping2D(2), layers.Cropping2D(((1, 0), 2)), layers.Conv2D(8, (3, 1), strides=2),',
        '    layers.Conv2DTranspose(4, 3, strides=2, output_padding=1), layers.Conv2DTranspose(4, 3), layers.DepthwiseConv2D(3, dilation_rate=2),',
        '    layers.SeparableConv2D(4, 3)])',
        'c = models.Sequential([layers.Conv3D(4, 3, strides=2, input_shape=(16, 16, 16, 1)), layers.MaxPooling3D(2), layers.AveragePooling3D(1, strides=(1, 1, 1)),',
        '    layers.UpSampling3D(2), layers.ZeroPadding3D(1), layers.Cropping3D(1)])',
        'd = models.Sequential([layers.TimeDistributed(layers.Conv2D(4, 3), input_shape=(5, 8, 8, 1))])',
      ].join('\n'),
    );
    const r = cli('summary', file, '--json');
    assert.equal(r.code, 0);
    const json = JSON.parse(r.out);
    const configs = (i: number, ...keys: string[]) =>
      json.models[i].layers.map((l: { type: string; config: Record<string, unknown> }) => [
        l.type,
        ...keys.filter((k) => k in l.config).map((k) => [k, l.config[k]]),
      ]);
    const keys = ['kernel_size', 'strides', 'dilation_rate', 'output_padding', 'pool_size', 'size', 'padding', 'cropping'];
    assert.deepEqual(configs(0, ...keys), [
      ['Conv1D', ['kernel_size', [3]], ['strides', [1]], ['dilation_rate', [1]], ['padding', 'valid']],
      ['MaxPooling1D', ['strides', null], ['pool_size', [2]], ['padding', 'valid']], // None: the pool size, as Keras reads it
      ['AveragePooling1D', ['strides', [1]], ['pool_size', [3]], ['padding', 'valid']],
      ['UpSampling1D', ['size', 3]], // Keras keeps UpSampling1D's size an int
      ['ZeroPadding1D', ['padding', [2, 2]]],
      ['Cropping1D', ['cropping', [1, 1]]],
    ]);
    assert.deepEqual(configs(1, ...keys), [
      ['Conv2D', ['kernel_size', [3, 3]], ['strides', [1, 1]], ['dilation_rate', [1, 1]], ['padding', 'valid']],
      ['MaxPooling2D', ['strides', null], ['pool_size', [2, 2]], ['padding', 'valid']],
      ['AveragePooling2D', ['strides', [1, 1]], ['pool_size', [2, 3]], ['padding', 'valid']],
      ['UpSampling2D', ['size', [2, 2]]],
      [
        'ZeroPadding2D',
        [
          'padding',
          [
            [1, 1],
            [1, 1],
          ],
        ],
      ],
      [
        'ZeroPadding2D',
        [
          'padding',
          [
            [1, 1],
            [2, 2],
          ],
        ],
      ],
      [
        'ZeroPadding2D',
        [
          'padding',
          [
            [1, 2],
            [3, 4],
          ],
        ],
      ],
      [
        'Cropping2D',
        [
          'cropping',
          [
            [2, 2],
            [2, 2],
          ],
        ],
      ],
      [
        'Cropping2D',
        [
          'cropping',
          [
            [1, 0],
            [2, 2],
          ],
        ],
      ],
      ['Conv2D', ['kernel_size', [3, 1]], ['strides', [2, 2]], ['dilation_rate', [1, 1]], ['padding', 'valid']],
      ['Conv2DTranspose', ['kernel_size', [3, 3]], ['strides', [2, 2]], ['dilation_rate', [1, 1]], ['output_padding', [1, 1]], ['padding', 'valid']],
      ['Conv2DTranspose', ['kernel_size', [3, 3]], ['strides', [1, 1]], ['dilation_rate', [1, 1]], ['output_padding', null], ['padding', 'valid']],
      ['DepthwiseConv2D', ['kernel_size', [3, 3]], ['strides', [1, 1]], ['dilation_rate', [2, 2]], ['padding', 'valid']],
      ['SeparableConv2D', ['kernel_size', [3, 3]], ['strides', [1, 1]], ['dilation_rate', [1, 1]], ['padding', 'valid']],
    ]);
    assert.deepEqual(configs(2, ...keys), [
      ['Conv3D', ['kernel_size', [3, 3, 3]], ['strides', [2, 2, 2]], ['dilation_rate', [1, 1, 1]], ['padding', 'valid']],
      ['MaxPooling3D', ['strides', null], ['pool_size', [2, 2, 2]], ['padding', 'valid']],
      ['AveragePooling3D', ['strides', [1, 1, 1]], ['pool_size', [1, 1, 1]], ['padding', 'valid']],
      ['UpSampling3D', ['size', [2, 2, 2]]],
      [
        'ZeroPadding3D',
        [
          'padding',
          [
            [1, 1],
            [1, 1],
            [1, 1],
          ],
        ],
      ],
      [
        'Cropping3D',
        [
          'cropping',
          [
            [1, 1],
            [1, 1],
            [1, 1],
          ],
        ],
      ],
    ]);
    const inner = json.models[3].layers[0].inner;
    assert.deepEqual(
      [inner.config.kernel_size, inner.config.strides],
      [
        [3, 3],
        [1, 1],
      ],
    );
    for (const m of json.models) assert.deepEqual(m.diagnostics, [], m.name);
    assert.deepEqual(json.models[1].layers.at(-1).outputShape, [null, 22, 26, 4]);
  });

  it('--markdown gives a table a pull request can show', () => {
    const r = cli('summary', join(EXAMPLES, 'mnist_convnet_no_pooling.py'), '--markdown');
    assert.equal(r.code, 0);
    assert.match(r.out, /^### Model `model_no_max_pool`/m);
    assert.match(r.out, /\| 4 \| dense \(Dense\) \| \(None, 512\) \| 15,860,224 \| — \| 15,859,712 \|/);
    assert.match(r.out, /- Total params: 15,921,098/);
    assert.match(r.out, /large-dense/);
  });

  it('a file with no model, and one with diagnostics, exit 0', () => {
    const none = join(dir, 'none.py');
    writeFileSync(none, 'print("hello")\n');
    const r = cli('summary', none);
    assert.equal(r.code, 0);
    assert.match(r.out, /no model found/);
    const bad = join(dir, 'bad.py');
    writeFileSync(bad, 'from keras import layers, models\nm = models.Sequential([layers.Dense(3, input_shape=(4,)), layers.Conv2D(2, 3)])\n');
    const b = cli('summary', bad);
    assert.equal(b.code, 0);
    assert.match(b.out, /bad\.py:2:\d+: error: Input 0 of layer "conv2d" is incompatible/);
  });

  it('reads notebooks', () => {
    const nb = join(dir, 'book.ipynb');
    writeFileSync(
      nb,
      JSON.stringify({
        cells: [
          { cell_type: 'code', source: 'from keras import layers, models\nm = models.Sequential()' },
          { cell_type: 'code', source: 'm.add(layers.Dense(2, input_shape=(3,)))' },
        ],
      }),
    );
    const r = cli('summary', nb, '--json');
    assert.equal(r.code, 0);
    const layer = JSON.parse(r.out).models[0].layers[0];
    assert.equal(layer.params, 8);
    assert.equal(layer.range.cell, 1);
  });

  /** A markdown cell, an import cell and a model cell: the model is in the third cell, as VS Code counts ("Cell 3 of 3"). */
  function threeCellNotebook(name: string): string {
    const nb = join(dir, name);
    const model = [
      'x = 1',
      '',
      '',
      'model = keras.Sequential([',
      "    layers.Conv2D(32, 3, activation='relu', input_shape=(28, 28, 1)),",
      '    layers.Conv2D(8, 30),',
      '])',
    ].join('\n');
    writeFileSync(
      nb,
      JSON.stringify({
        cells: [
          { cell_type: 'markdown', source: '# A model' },
          { cell_type: 'code', source: 'from tensorflow import keras\nfrom keras import layers' },
          { cell_type: 'code', source: model },
        ],
        nbformat: 4,
      }),
    );
    return nb;
  }

  it('notebook positions count cells from 1, as VS Code shows them: FILE:cell N:LINE:COL, and the model header names its cell', () => {
    const nb = threeCellNotebook('mine.ipynb');
    const r = cli('summary', nb);
    assert.equal(r.code, 0);
    assert.match(r.out, /^Model: "model"  \(cell 3, line 4, input \(None, 28, 28, 1\), Keras 3\)$/m);
    assert.match(r.out, /^.*mine\.ipynb:cell 3:6:5: error: Computed output size would be zero or negative\..*\[negative-dimension\]$/m);
    assert.doesNotMatch(r.out, /cell \d+, \d+:\d+/);
    const md = cli('summary', nb, '--markdown');
    assert.match(md.out, /^### Model `model` \(.*mine\.ipynb:cell 3:4, Keras 3\)$/m);
    assert.match(md.out, /^- .*mine\.ipynb:cell 3:6:5: error: Computed output size/m);
    // JSON keeps the cell's index in the notebook's `cells` array, counted from 0 (README: JSON schema).
    const json = JSON.parse(cli('summary', nb, '--json').out);
    assert.equal(json.models[0].range.cell, 2);
    assert.equal(json.models[0].layers[1].range.cell, 2);
    assert.equal(json.models[0].diagnostics[0].range.cell, 2);
  });

  it('a .py file has no cell in its positions', () => {
    const r = cli('summary', join(EXAMPLES, 'mnist_convnet.py'));
    assert.match(r.out, /^Model: "model"  \(line 5, input \(None, 28, 28, 1\), Keras 3\)$/m);
  });

  /** A syntax error (line 2) before three models with an error, a warning and an information. */
  function mixedFile(): string {
    const file = join(dir, 'order.py');
    writeFileSync(
      file,
      [
        'from keras import layers, models',
        'def broken(:',
        '    pass',
        'a = models.Sequential([layers.Dense(3, input_shape=(4,)), layers.Conv2D(2, 3)])',
        'b = models.Sequential([layers.Flatten(input_shape=(None, 4)), layers.Dense(2)])',
        'c = models.Sequential([layers.Dense(3)])',
        '',
      ].join('\n'),
    );
    return file;
  }
  // Model `c` has no input shape (information), so its numbers are unknown (the model's warning, at the same place).
  const EXPECTED_ORDER = ['2:11: error', '4:59: error', '5:24: warning', '5:63: error', '6:5: information', '6:5: warning'];

  it('diagnostics: all of them together after the model tables, in source order, the syntax error first', () => {
    const file = mixedFile();
    const r = cli('summary', file);
    assert.equal(r.code, 0);
    const lines = r.out.trimEnd().split('\n');
    const isDiagnostic = (l: string) => /^.*order\.py:\d+:\d+: (error|warning|information): /.test(l);
    const first = lines.findIndex(isDiagnostic);
    assert.deepEqual(
      lines.slice(first).map((l) => /order\.py:(\d+:\d+: \w+)/.exec(l)?.[1]),
      EXPECTED_ORDER,
      'one block at the end, nothing else in it',
    );
    assert.ok(
      lines.slice(0, first).some((l) => l.startsWith('Model: "c"')),
      'after every model table',
    );
    assert.equal(lines[first - 1], '', 'a blank line before the block');
    assert.ok(lines.slice(0, first).every((l) => !isDiagnostic(l)));
  });

  it('--markdown: the same diagnostics, in the same order, as one list after the model tables', () => {
    const r = cli('summary', mixedFile(), '--markdown');
    assert.equal(r.code, 0);
    const [tables, list] = r.out.split(/^### Diagnostics$/m);
    assert.ok(list, r.out);
    assert.match(tables, /^### Model `c`/m);
    assert.doesNotMatch(tables, /: (error|warning|information): /);
    const items = list.trim().split('\n');
    assert.deepEqual(
      items.map((l) => /^- .*order\.py:(\d+:\d+: \w+)/.exec(l)?.[1]),
      EXPECTED_ORDER,
    );
  });

  it('diagnostics in a notebook are sorted by cell, then line and column', () => {
    const nb = join(dir, 'cells.ipynb');
    const cells = [
      'from keras import layers, models\n\n\n\ndef broken(:\n    pass',
      'm = models.Sequential([layers.Dense(3, input_shape=(4,)),\n    layers.Conv2D(2, 3)])',
    ];
    writeFileSync(nb, JSON.stringify({ cells: cells.map((source) => ({ cell_type: 'code', source })), nbformat: 4 }));
    const r = cli('summary', nb);
    const positions = r.out.split('\n').flatMap((l) => /cells\.ipynb:(cell \d+:\d+:\d+): (\w+)/.exec(l)?.slice(1, 3).join(' ') ?? []);
    assert.deepEqual(positions, ['cell 1:5:11 error', 'cell 2:2:5 error']);
  });

  describe('--fail-on error|warning', () => {
    const info = join(dir, 'info.py');
    const syntax = join(dir, 'syntax.py');
    before(() => {
      // Information only (a Keras 1 spelling), every number known. (A model without an input shape is a warning now.)
      writeFileSync(info, 'from keras import layers, models\nc = models.Sequential([layers.Dense(output_dim=3, input_dim=4)])\n');
      writeFileSync(syntax, 'def broken(:\n    pass\n');
    });
    const warnings = join(EXAMPLES, 'mnist_convnet_no_pooling.py');
    const clean = join(EXAMPLES, 'mnist_convnet.py');

    it('exit 1 when a diagnostic of that severity or worse is found, the output written all the same', () => {
      for (const [file, level, code, count] of [
        [mixedFile(), 'error', 1, '3 errors'],
        [mixedFile(), 'warning', 1, '3 errors and 2 warnings'],
        [warnings, 'error', 0, ''],
        [warnings, 'warning', 1, '1 warning'],
        [info, 'error', 0, ''],
        [info, 'warning', 0, ''],
        [clean, 'warning', 0, ''],
        [syntax, 'error', 1, '1 error'], // a syntax error belongs to no model; it counts too
      ] as const) {
        for (const format of [[], ['--json'], ['--markdown']]) {
          const r = cli('summary', file, ...format, '--fail-on', level);
          assert.equal(r.code, code, `${file} --fail-on ${level} ${format.join(' ')}`);
          assert.equal(r.err, code ? `layerlens: ${file}: ${count} (--fail-on ${level})\n` : '');
          if (format[0] === '--json') JSON.parse(r.out);
          else assert.match(r.out, /Total params|no model found/);
        }
      }
      assert.equal(cli('summary', warnings, '--fail-on=warning').code, 1, '--fail-on=LEVEL works too');
      assert.equal(cli('summary', '--fail-on', 'error', mixedFile()).code, 1, 'before the file too');
    });

    it('without the flag a file with errors still exits 0', () => {
      assert.equal(cli('summary', mixedFile()).code, 0);
      assert.equal(cli('summary', mixedFile(), '--json').code, 0);
    });

    for (const args of [['--fail-on', 'fatal'], ['--fail-on=information'], ['--fail-on'], ['--fail-on', '--json']]) {
      it(`${args.join(' ')}: exit 2 with a usage line`, () => {
        const r = cli('summary', clean, ...args);
        assert.equal(r.code, 2);
        assert.equal(r.out, '');
        assert.equal(r.err.trim().split('\n').length, 1);
        assert.match(
          r.err,
          /--fail-on takes error or warning.*usage: layerlens summary FILE\.\.\. \[--json \| --markdown\] \[--expand-nested\] \[--fail-on error\|warning\]/,
        );
      });
    }

    it('--help names the option and the exit codes', () => {
      const r = cli('--help');
      assert.equal(r.code, 0);
      assert.match(
        r.out,
        /^usage: layerlens summary FILE\.\.\. \[--json \| --markdown\] \[--expand-nested\] \[--fail-on error\|warning\] \[--keras auto\|3\|2\]$/m,
      );
      assert.match(r.out, /--fail-on/);
      assert.match(r.out, /exit (status|code)/i);
      assert.match(r.out, /\b1\b.*--fail-on|--fail-on.*\b1\b/);
      assert.match(r.out, /--expand-nested/);
    });
  });

  it('a notebook with no code cells: exit 0, no model, one line on stderr saying so', () => {
    const nb = join(dir, 'notes.ipynb');
    writeFileSync(nb, JSON.stringify({ cells: [{ cell_type: 'markdown', source: '# Notes\nkeras.Sequential' }], nbformat: 4 }));
    for (const format of [[], ['--json']]) {
      const r = cli('summary', nb, ...format);
      assert.equal(r.code, 0);
      assert.equal(r.err.trim(), `layerlens: ${nb}: the notebook has no code cells`);
      if (format.length) assert.deepEqual(JSON.parse(r.out).models, []);
      else assert.match(r.out, /no model found/);
    }
  });

  for (const [what, args, pattern] of [
    ['no arguments', [], /expected: summary FILE/],
    ['an unknown option', ['summary', 'x.py', '--yaml'], /unknown option --yaml/],
    ['both formats', ['summary', 'x.py', '--json', '--markdown'], /choose one of --json and --markdown/],
    ['a missing file', ['summary', join(dir, 'missing.py')], /cannot read .*missing\.py: no such file/],
    ['a directory', ['summary', dir], /it is a directory/],
  ] as const) {
    it(`${what}: exit 2 with one line on stderr`, () => {
      const r = cli(...args);
      assert.equal(r.code, 2);
      assert.equal(r.out, '');
      assert.match(r.err, pattern);
      assert.equal(r.err.trim().split('\n').length, 1);
    });
  }

  it('a binary file, a 50 MB file and invalid notebook JSON: exit 2, one line, nothing written', () => {
    const bin = join(dir, 'weights.py');
    writeFileSync(bin, Buffer.from([0x89, 0x48, 0x44, 0x46, 0, 0, 1, 2, 3]));
    const big = join(dir, 'big.py');
    writeFileSync(big, Buffer.alloc(50 * 1024 * 1024, 0x20));
    const nb = join(dir, 'broken.ipynb');
    writeFileSync(nb, '{"cells": [');
    const files = readdirSync(dir).sort();
    for (const [file, pattern] of [
      [bin, /binary file/],
      [big, /50\.0 MB, over the 20 MB limit/],
      [nb, /not a valid notebook: the file is not JSON/],
    ] as const) {
      const r = cli('summary', file);
      assert.equal(r.code, 2, file);
      assert.equal(r.out, '');
      assert.match(r.err, pattern);
      assert.equal(r.err.trim().split('\n').length, 1);
    }
    assert.deepEqual(readdirSync(dir).sort(), files, 'the CLI wrote nothing');
  });

  describe('a file that cannot be read: "no such file" is told from "permission denied"', () => {
    const errno = (code: string) => Object.assign(new Error(`${code}: some system message, open 'x.py'`), { code });

    it('the message for each error the file system gives', () => {
      assert.equal(readErrorMessage('x.py', errno('ENOENT')), 'layerlens: cannot read x.py: no such file');
      assert.equal(readErrorMessage('d/x.py', errno('ENOTDIR')), 'layerlens: cannot read d/x.py: no such file (a part of its path is a file, not a folder)');
      assert.equal(readErrorMessage('x.py', errno('EACCES')), 'layerlens: cannot read x.py: permission denied');
      assert.equal(readErrorMessage('x.py', errno('EPERM')), 'layerlens: cannot read x.py: permission denied');
      assert.equal(readErrorMessage('x.py', errno('ELOOP')), 'layerlens: cannot read x.py: too many symbolic links (a link that points to itself?)');
      assert.equal(readErrorMessage('x.py', errno('EIO')), "layerlens: cannot read x.py: EIO: some system message, open 'x.py'");
      assert.equal(readErrorMessage('x.py', new Error('strange')), 'layerlens: cannot read x.py: strange');
    });

    it('a file under a file: exit 2, no such file', () => {
      const file = join(dir, 'plain.py');
      writeFileSync(file, 'x = 1\n');
      const r = cli('summary', join(file, 'inner.py'));
      assert.equal(r.code, 2);
      assert.match(r.err, /cannot read .*plain\.py\/inner\.py: no such file \(a part of its path is a file, not a folder\)\n$/);
    });

    it('a file without read permission (chmod 000): exit 2, permission denied', function () {
      // root reads any file whatever its mode (and searches any folder), so there this cannot be made to fail:
      // the mapping is tested above instead.
      if (process.getuid?.() === 0) {
        this.test!.title += ' — skipped: running as root, which reads a file whatever its mode';
        this.skip();
      }
      const file = join(dir, 'secret.py');
      writeFileSync(file, 'x = 1\n');
      chmodSync(file, 0o000);
      try {
        const r = cli('summary', file);
        assert.equal(r.code, 2);
        assert.equal(r.out, '');
        assert.equal(r.err, `layerlens: cannot read ${file}: permission denied\n`);
      } finally {
        chmodSync(file, 0o644);
      }
    });
  });
});
