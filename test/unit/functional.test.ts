/**
 * Functional models (issue 11): the analysis of `keras.Model(inputs, outputs)` against tfjs-layers' own Functional
 * models (`tf.model({inputs, outputs})`), built from the same architecture through tfjs' API — never from the
 * analysis. A seeded generator writes random residual and branching models in several source styles; every
 * layer's output shape and parameters must agree, by name.
 */
import { strict as assert } from 'node:assert';
import type { LayerResult, ModelResult } from '../../src/core';
import { analyze } from './support/metamorphic';
import { int, pick, rng } from './support/random';
import { tfjs } from './support/tfjsOracle';
import { toPreviewModel } from '../../src/panel/previewModel';
import { ModelRunner } from '../../webview/tfjs/runner';

type Tf = ReturnType<typeof tfjs>;
type SymbolicTensor = import('@tensorflow/tfjs').SymbolicTensor;

/** One generated model: its Python source, and a function building the same model in tfjs. */
interface Generated {
  source: string;
  build(tf: Tf): import('@tensorflow/tfjs').LayersModel;
}

/** Every layer of the analysis against the tfjs model's layer of the same name. */
function compare(model: ModelResult, tfModel: import('@tensorflow/tfjs').LayersModel): string[] {
  const out: string[] = [];
  const byName = new Map(model.layers.map((l) => [l.name, l] as [string, LayerResult]));
  for (const layer of tfModel.layers) {
    const ours = byName.get(layer.name);
    if (!ours) {
      out.push(`tfjs has ${layer.name} (${layer.getClassName()}), the analysis does not`);
      continue;
    }
    const shape = JSON.stringify(layer.outputShape);
    if (JSON.stringify(ours.outputShape) !== shape && !(Array.isArray(layer.outputShape[0]) && ours.outputShape === null))
      out.push(`${layer.name}: output ${JSON.stringify(ours.outputShape)} vs tfjs ${shape}`);
    if (ours.params !== layer.countParams()) out.push(`${layer.name}: params ${ours.params} vs tfjs ${layer.countParams()}`);
  }
  if (model.layers.length !== tfModel.layers.length) out.push(`${model.layers.length} rows vs ${tfModel.layers.length} tfjs layers`);
  if (model.totalParams !== tfModel.countParams()) out.push(`total ${model.totalParams} vs tfjs ${tfModel.countParams()}`);
  return out;
}

const HEAD = 'import keras\nfrom keras import layers\n';

/** A random model of residual blocks, branches joined by Concatenate, and a shared layer, written in one of several styles. */
function generate(seed: number): Generated {
  const r = rng(seed);
  const image = r() < 0.7;
  const side = int(r, 12, 24);
  const channels = pick(r, [1, 3, 8]);
  const style = pick(r, ['inline', 'named', 'helper', 'functions'] as const);
  const lines: string[] = [];
  const ops: ((tf: Tf, t: Map<string, SymbolicTensor>) => void)[] = [];
  let n = 0;
  const name = (kind: string) => `${kind}_${n++}`;
  const shape = image ? [side, side, channels] : [side * 4];
  lines.push(`inputs = keras.Input(shape=(${shape.join(', ')}${shape.length === 1 ? ',' : ''}), name="input")`, 'x = inputs');
  ops.push((tf, t) => {
    const input = tf.input({ shape, name: 'input' });
    t.set('input', input);
    t.set('x', input);
  });
  let width = image ? channels : shape[0];
  const conv = (filters: number, kernel: number, varName: string, from: string) => {
    const nm = name('conv');
    lines.push(
      style === 'named'
        ? `${nm} = layers.Conv2D(${filters}, ${kernel}, padding="same", activation="relu", name="${nm}")\n${varName} = ${nm}(${from})`
        : `${varName} = layers.Conv2D(${filters}, ${kernel}, padding="same", activation="relu", name="${nm}")(${from})`,
    );
    ops.push((tf, t) =>
      t.set(varName, tf.layers.conv2d({ filters, kernelSize: kernel, padding: 'same', activation: 'relu', name: nm }).apply(t.get(from)!) as SymbolicTensor),
    );
  };
  const dense = (units: number, varName: string, from: string) => {
    const nm = name('dense');
    lines.push(`${varName} = layers.Dense(${units}, activation="relu", name="${nm}")(${from})`);
    ops.push((tf, t) => t.set(varName, tf.layers.dense({ units, activation: 'relu', name: nm }).apply(t.get(from)!) as SymbolicTensor));
  };
  const layerOf = image ? conv : (units: number, _k: number, v: string, f: string) => dense(units, v, f);
  const blocks = int(r, 1, 4);
  for (let b = 0; b < blocks; b++) {
    const kind = pick(r, ['residual', 'branch', 'plain', 'shared'] as const);
    if (kind === 'residual') {
      // The skip needs the same width: project first when it differs.
      if (width !== 8) {
        layerOf(8, 1, 'x', 'x');
        width = 8;
      }
      layerOf(8, 3, 'y', 'x');
      layerOf(8, 3, 'y', 'y');
      const nm = name('add');
      lines.push(r() < 0.5 ? `x = layers.add([y, x], name="${nm}")` : `x = layers.Add(name="${nm}")([y, x])`);
      ops.push((tf, t) => t.set('x', tf.layers.add({ name: nm }).apply([t.get('y')!, t.get('x')!]) as SymbolicTensor));
    } else if (kind === 'branch') {
      const a = int(r, 2, 6);
      const b2 = int(r, 2, 6);
      layerOf(a, 1, 'left', 'x');
      layerOf(b2, 3, 'right', 'x');
      const nm = name('concat');
      lines.push(r() < 0.5 ? `x = layers.concatenate([left, right], name="${nm}")` : `x = layers.Concatenate(axis=-1, name="${nm}")([left, right])`);
      ops.push((tf, t) => t.set('x', tf.layers.concatenate({ axis: -1, name: nm }).apply([t.get('left')!, t.get('right')!]) as SymbolicTensor));
      width = a + b2;
    } else if (kind === 'shared') {
      // One layer object called twice: its weights once; the two calls added.
      const nm = name('shared');
      const w = width;
      const ctor = image ? `layers.Conv2D(${w}, 3, padding="same", name="${nm}")` : `layers.Dense(${w}, name="${nm}")`;
      lines.push(`shared = ${ctor}`, `x = layers.Add(name="${nm}_sum")([shared(x), shared(x)])`);
      ops.push((tf, t) => {
        const layer = image ? tf.layers.conv2d({ filters: w, kernelSize: 3, padding: 'same', name: nm }) : tf.layers.dense({ units: w, name: nm });
        const x = t.get('x')!;
        t.set('x', tf.layers.add({ name: `${nm}_sum` }).apply([layer.apply(x) as SymbolicTensor, layer.apply(x) as SymbolicTensor]) as SymbolicTensor);
      });
    } else {
      const w = int(r, 2, 12);
      layerOf(w, pick(r, [1, 3]), 'x', 'x');
      width = w;
    }
  }
  const head = name('head');
  if (image) {
    lines.push(`x = layers.GlobalAveragePooling2D(name="${head}_pool")(x)`);
    ops.push((tf, t) => t.set('x', tf.layers.globalAveragePooling2d({ name: `${head}_pool` }).apply(t.get('x')!) as SymbolicTensor));
  }
  const classes = int(r, 2, 10);
  lines.push(
    `outputs = layers.Dense(${classes}, activation="softmax", name="${head}")(x)`,
    `model = keras.Model(inputs=inputs, outputs=outputs, name="generated")`,
  );
  ops.push((tf, t) => t.set('out', tf.layers.dense({ units: classes, activation: 'softmax', name: head }).apply(t.get('x')!) as SymbolicTensor));
  let body = lines.join('\n');
  if (style === 'functions') {
    // The same graph written inside a builder function that is called.
    body = `def build():\n${body
      .split('\n')
      .map((l) => `    ${l}`)
      .join('\n')}\n    return model\n\nmodel = build()`;
  }
  return {
    source: `${HEAD}${body}\n`,
    build(tf) {
      const t = new Map<string, SymbolicTensor>();
      for (const op of ops) op(tf, t);
      return tf.model({ inputs: t.get('input')!, outputs: t.get('out')! });
    },
  };
}

describe('Functional models against tfjs-layers', () => {
  it("keras.io's toy ResNet: 223,242 parameters as printed, and every layer as tfjs builds it", () => {
    const src = `${HEAD}inputs = keras.Input(shape=(32, 32, 3), name="img")
x = layers.Conv2D(32, 3, activation="relu")(inputs)
x = layers.Conv2D(64, 3, activation="relu")(x)
block_1_output = layers.MaxPooling2D(3)(x)

x = layers.Conv2D(64, 3, activation="relu", padding="same")(block_1_output)
x = layers.Conv2D(64, 3, activation="relu", padding="same")(x)
block_2_output = layers.add([x, block_1_output])

x = layers.Conv2D(64, 3, activation="relu", padding="same")(block_2_output)
x = layers.Conv2D(64, 3, activation="relu", padding="same")(x)
block_3_output = layers.add([x, block_2_output])

x = layers.Conv2D(64, 3, activation="relu")(block_3_output)
x = layers.GlobalAveragePooling2D()(x)
x = layers.Dense(256, activation="relu")(x)
x = layers.Dropout(0.5)(x)
outputs = layers.Dense(10)(x)

model = keras.Model(inputs, outputs, name="toy_resnet")
`;
    const [m] = analyze(src).models;
    assert.equal(m.kind, 'functional');
    assert.equal(m.totalParams, 223242);
    assert.deepEqual(m.layers.map((l) => l.name).slice(0, 8), ['img', 'conv2d', 'conv2d_1', 'max_pooling2d', 'conv2d_2', 'conv2d_3', 'add', 'conv2d_4']);
    assert.deepEqual(m.layers[6].inbound, [['conv2d_3', 'max_pooling2d']]);
    assert.deepEqual(m.layers[6].outputShape, [null, 9, 9, 64]);
    // The add's window is the union of its branches': the deeper branch's 19×19 covers the skip's 7×7.
    assert.deepEqual(m.layers[6].receptiveField?.size, [19, 19]);
  });

  it('two inputs, a shared embedding-free tower, two outputs (keras.io multi-input style)', () => {
    const src = `${HEAD}title = keras.Input(shape=(10,), name="title")
body = keras.Input(shape=(20,), name="body")
tags = keras.Input(shape=(12,), name="tags")
x = layers.concatenate([layers.Dense(8, name="t")(title), layers.Dense(8, name="b")(body), tags], name="joined")
priority = layers.Dense(1, name="priority")(x)
department = layers.Dense(4, name="department")(x)
model = keras.Model(inputs=[title, body, tags], outputs={"priority": priority, "department": department})
`;
    const [m] = analyze(src).models;
    const tf = tfjs();
    const ti = tf.input({ shape: [10], name: 'title' });
    const bi = tf.input({ shape: [20], name: 'body' });
    const gi = tf.input({ shape: [12], name: 'tags' });
    const x = tf.layers
      .concatenate({ name: 'joined' })
      .apply([
        tf.layers.dense({ units: 8, name: 't' }).apply(ti) as SymbolicTensor,
        tf.layers.dense({ units: 8, name: 'b' }).apply(bi) as SymbolicTensor,
        gi,
      ]) as SymbolicTensor;
    const tm = tf.model({
      inputs: [ti, bi, gi],
      outputs: [
        tf.layers.dense({ units: 1, name: 'priority' }).apply(x) as SymbolicTensor,
        tf.layers.dense({ units: 4, name: 'department' }).apply(x) as SymbolicTensor,
      ],
    });
    assert.deepEqual(compare(m, tm), []);
    assert.deepEqual(m.layers.find((l) => l.name === 'joined')?.outputShape, [null, 28]);
  });

  for (const [op, a, b, expected] of [
    ['Add', '(4, 3)', '(4, 3)', [null, 4, 3]],
    ['Subtract', '(5,)', '(5,)', [null, 5]],
    ['Multiply', '(4, 1)', '(4, 6)', [null, 4, 6]],
    ['Average', '(1, 6)', '(4, 6)', [null, 4, 6]],
    ['Maximum', '(7,)', '(7,)', [null, 7]],
    ['Minimum', '(2, 2, 3)', '(2, 2, 3)', [null, 2, 2, 3]],
  ] as const) {
    it(`${op} on ${a} and ${b}: Keras' broadcasting, as tfjs computes it`, () => {
      const src = `${HEAD}a = keras.Input(shape=${a})\nb = keras.Input(shape=${b})\nout = layers.${op}()([a, b])\nmodel = keras.Model([a, b], out)\n`;
      const [m] = analyze(src).models;
      assert.deepEqual(m.layers[2].outputShape, expected);
      assert.equal(m.layers[2].macs, 0);
      const tf = tfjs();
      const parse = (s: string) =>
        s
          .replace(/[()]/g, '')
          .split(',')
          .filter((d) => d.trim())
          .map(Number);
      const ta = tf.input({ shape: parse(a) });
      const tb = tf.input({ shape: parse(b) });
      // tfjs-layers has no Subtract layer; the others are checked against it.
      const make = (tf.layers as unknown as Record<string, (() => import('@tensorflow/tfjs').layers.Layer) | undefined>)[
        op.charAt(0).toLowerCase() + op.slice(1)
      ];
      if (make) assert.deepEqual((make().apply([ta, tb]) as SymbolicTensor).shape, expected);
    });
  }

  it("incompatible shapes are an error at the merge, in Keras' words; the layers before keep their shapes", () => {
    const src = `${HEAD}a = keras.Input(shape=(4,))\nb = keras.Input(shape=(5,))\nx = layers.Dense(3)(a)\nout = layers.add([x, b])\nmodel = keras.Model([a, b], out)\n`;
    const [m] = analyze(src).models;
    const d = m.diagnostics.find((x) => x.code === 'incompatible-shapes');
    assert.ok(d, JSON.stringify(m.diagnostics));
    assert.match(d.message, /Inputs have incompatible shapes\. Received shapes \(3,\) and \(5,\)/);
    assert.equal(d.range.start.line, 6);
    assert.deepEqual(m.layers.find((l) => l.type === 'Dense')?.outputShape, [null, 3]);
    const tf = tfjs();
    assert.throws(() => tf.layers.add().apply([tf.layers.dense({ units: 3 }).apply(tf.input({ shape: [4] })) as SymbolicTensor, tf.input({ shape: [5] })]));
  });

  it('Concatenate on mismatched shapes, and a graph whose output does not depend on a declared input', () => {
    const bad = analyze(`${HEAD}a = keras.Input(shape=(4, 4, 3))\nb = keras.Input(shape=(5, 5, 3))\nmodel = keras.Model([a, b], layers.concatenate([a, b]))\n`)
      .models[0];
    assert.match(
      bad.diagnostics.map((d) => d.message).join('\n'),
      /A `Concatenate` layer requires inputs with matching shapes except for the concatenation axis/,
    );
    const disconnected = analyze(`${HEAD}a = keras.Input(shape=(4,))\nb = keras.Input(shape=(4,))\nmodel = keras.Model(a, layers.Dense(2)(b))\n`).models[0];
    assert.ok(disconnected.diagnostics.some((d) => d.code === 'graph-disconnected'));
  });

  it('a merge or attention layer on a tensor LayerLens cannot follow is unknown, with only the diagnostic that names the unknown', () => {
    const cases: { tensors: string; call: string; expect: { code: string; line: number; message?: RegExp }[] }[] = [
      // A call LayerLens does not evaluate, on a tensor: the model is still analysed; the call is named, the merge unknown.
      {
        tensors: 'y = foo(a)',
        call: 'out = layers.add([a, y])',
        expect: [{ code: 'unevaluated-call', line: 4, message: /^`foo\(a\)` is a call LayerLens does not evaluate: its output's shape is unknown/ }],
      },
      { tensors: 'y = foo(a)', call: 'out = layers.Concatenate()([y, a])', expect: [{ code: 'unevaluated-call', line: 4 }] },
      { tensors: 'y = foo(a)', call: 'out = layers.Subtract()((a, y))', expect: [{ code: 'unevaluated-call', line: 4 }] },
      { tensors: 'y = foo(a)', call: 'out = layers.MultiHeadAttention(2, 4)(a, y)', expect: [{ code: 'unevaluated-call', line: 4 }] },
      // An unresolved value (no tensor in it) among the list: named at the merge.
      {
        tensors: 'y = foo(1)',
        call: 'out = layers.add([a, y])',
        expect: [{ code: 'unresolved-value', line: 4, message: /^Cannot resolve `foo\(1\)` statically .*: shapes after it are unknown\.$/ }],
      },
      // An unknown layer's output: its own warning, nothing at the merge.
      { tensors: 'y = layers.Foo()(a)', call: 'out = layers.add([a, y])', expect: [{ code: 'unknown-layer', line: 4 }] },
      { tensors: 'y = layers.Foo()(a)', call: 'out = layers.Dot(axes=1)([a, y])', expect: [{ code: 'unknown-layer', line: 4 }] },
      { tensors: 'y = layers.Lambda(lambda t: foo(t))(a)', call: 'out = layers.Attention()([a, y])', expect: [{ code: 'lambda-layer', line: 4 }] },
      { tensors: 'y = layers.Foo()(a)', call: 'out = a + y', expect: [{ code: 'unknown-layer', line: 4 }] },
      // Arithmetic with an unknown operand: a row of its own, unknown, not a model LayerLens gives up on.
      { tensors: 'y = foo(a)', call: 'out = a * y', expect: [{ code: 'unevaluated-call', line: 4 }] },
      {
        tensors: 'y = 1',
        call: 'out = a * scale',
        expect: [{ code: 'unresolved-value', line: 5, message: /^Cannot resolve `scale` statically .*: shapes after it are unknown\.$/ }],
      },
    ];
    for (const c of cases) {
      const src = `${HEAD}a = keras.Input(shape=(4, 8))\n${c.tensors}\n${c.call}\nz = layers.Dense(3)(out)\nmodel = keras.Model(a, z)\n`;
      const result = analyze(src);
      assert.equal(result.models.length, 1, src);
      const [m] = result.models;
      const got = [...result.diagnostics, ...m.diagnostics].map((d) => ({ code: d.code, line: d.range.start.line, message: d.message }));
      // Besides the one that names the unknown, only the model's own warning that not all of it is known.
      assert.deepEqual(
        got.filter((d) => d.code === 'incomplete-model').map((d) => d.line),
        [7],
        src,
      );
      assert.deepEqual(
        got.filter(({ code }) => code !== 'incomplete-model').map(({ code, line }) => ({ code, line })),
        c.expect.map(({ code, line }) => ({ code, line })),
        `${src}\n${JSON.stringify(got)}`,
      );
      c.expect.forEach((e, i) => e.message && assert.match(got[i].message, e.message));
      // Everything from the merge on is unknown; the Input keeps its shape.
      const merge = m.layers.find((l) => l.range.start.line === 5);
      assert.ok(merge, src);
      assert.equal(merge.outputShape, null, src);
      assert.deepEqual(m.layers[0].outputShape, [null, 4, 8]);
      assert.equal(m.layers.at(-1)?.outputShape, null);
      assert.equal(m.totalParams, null);
    }
    // The same merge on known tensors has its shape: the unknown, not the merge, made it unknown above.
    const known = analyze(`${HEAD}a = keras.Input(shape=(4, 8))\ny = layers.Dense(8)(a)\nout = layers.add([a, y])\nmodel = keras.Model(a, out)\n`).models[0];
    assert.deepEqual(known.layers.at(-1)?.outputShape, [null, 4, 8]);
    assert.deepEqual(known.diagnostics, []);
  });

  it('a layer called twice is one row, its weights counted once, each call listed', () => {
    const src = `${HEAD}a = keras.Input(shape=(6,))\nb = keras.Input(shape=(6,))\nshared = layers.Dense(4, name="shared")\nout = layers.concatenate([shared(a), shared(b)])\nmodel = keras.Model([a, b], out)\n`;
    const [m] = analyze(src).models;
    const row = m.layers.find((l) => l.name === 'shared');
    assert.ok(row);
    assert.equal(row.params, 28);
    assert.deepEqual(row.inbound, [['input_layer'], ['input_layer_1']]);
    assert.equal(row.macs, 2 * 24);
    assert.equal(m.totalParams, 28);
  });

  it('a residual block helper called in a loop, and a Sequential used as a layer', () => {
    const src = `${HEAD}def residual_block(x, filters):
    y = layers.Conv2D(filters, 3, padding="same", activation="relu")(x)
    y = layers.Conv2D(filters, 3, padding="same")(y)
    return layers.add([x, y])

stem = keras.Sequential([layers.Conv2D(16, 3, padding="same")], name="stem")
inputs = keras.Input(shape=(16, 16, 3))
x = stem(inputs)
for _ in range(3):
    x = residual_block(x, 16)
model = keras.Model(inputs, layers.GlobalAveragePooling2D()(x))
`;
    const [m] = analyze(src).models.filter((x) => x.kind === 'functional');
    assert.equal(m.layers.filter((l) => l.type === 'Add').length, 3);
    assert.equal(m.totalParams, 9 * 3 * 16 + 16 + 3 * 2 * (9 * 16 * 16 + 16));
    assert.deepEqual(m.layers.find((l) => l.name === 'stem')?.outputShape, [null, 16, 16, 16]);
  });

  it('500 seeded random residual and branching models in four source styles agree with tfjs, layer by layer', function () {
    this.timeout(300_000);
    const tf = tfjs();
    const bad: string[] = [];
    for (let seed = 1; seed <= 500; seed++) {
      const g = generate(seed);
      const models = analyze(g.source).models.filter((m) => m.kind === 'functional');
      let tm;
      try {
        tm = g.build(tf);
      } catch (e) {
        bad.push(`seed ${seed}: tfjs refused the generated model: ${(e as Error).message}\n${g.source}`);
        continue;
      }
      const problems = models.length === 1 ? compare(models[0], tm) : [`${models.length} functional models found`];
      if (problems.length) bad.push(`seed ${seed}: ${problems.join('; ')}\n${g.source}`);
      tm.dispose();
    }
    assert.deepEqual(bad.slice(0, 3), []);
  });

  it("the preview builds each of those models from its graph (tf.model) and runs it: every row's map has the core's shape, and tfjs' parameters are the core's", function () {
    this.timeout(300_000);
    tfjs();
    const bad: string[] = [];
    for (let seed = 1; seed <= 500; seed++) {
      const g = generate(seed);
      const model = analyze(g.source).models.find((m) => m.kind === 'functional');
      if (!model?.inputShape) {
        bad.push(`seed ${seed}: no Functional model with an input shape`);
        continue;
      }
      const preview = toPreviewModel(model, `seed${seed}`);
      const runner = new ModelRunner();
      try {
        const built = runner.build(preview);
        const inputShape = model.inputShape.slice(1) as number[];
        const maps = runner.run(new Float32Array(inputShape.reduce((a, b) => a * b, 1)).fill(0.5), inputShape);
        const shapes = new Map(maps.map((m) => [m.index, JSON.stringify([null, ...m.shape])]));
        const problems = [
          ...(built.stopReason ? [`stopped: ${built.stopReason}`] : []),
          ...model.layers
            .filter((l) => shapes.get(l.index) !== JSON.stringify(l.outputShape))
            .map((l) => `${l.name}: map ${shapes.get(l.index)} vs ${JSON.stringify(l.outputShape)}`),
          ...(runner.paramCount() === model.totalParams ? [] : [`params ${runner.paramCount()} vs ${model.totalParams}`]),
        ];
        if (problems.length) bad.push(`seed ${seed}: ${problems.join('; ')}\n${g.source}`);
      } finally {
        runner.dispose();
      }
    }
    assert.deepEqual(bad.slice(0, 3), []);
  });
});
