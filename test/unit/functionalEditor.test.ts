/**
 * Functional models in the editor (issue 11, "Editor"): what the core tells the editor about tensors and shared
 * layers' calls, and the pure logic behind the hints and hovers — which call is under the cursor, which tensor a
 * variable holds there, and the cards' text. The providers themselves run in test/integration/suites/functional.test.ts.
 */
import { strict as assert } from 'node:assert';
import { analyze, type ModelResult } from '../../src/core';
import { inboundMarkdown, modelMarkdownTable, tensorMarkdown } from '../../src/core/describe';
import { connectedTo } from '../../src/core/format';
import { graphCalls } from '../../src/core/tfjs/graph';
import { toTfjsModelConfig } from '../../src/core/tfjs/toTfjs';
import { groupAt, groupLayersByRange, hintLabel, layerCalls, rangeContains, type LayerGroup } from '../../src/providers/layerGroups';
import { allTensors, callAssigned, enclosingDef, tensorsAssignedAt, tensorsFeeding, tensorsReadAt, type PlacedTensor } from '../../src/providers/tensors';
import { example } from './support/fixtures';

const RESNET = example('functional_resnet.py');
const resnet = analyze(RESNET).models;

/** A residual model with a branch, a shared layer called on both, a loop and nested calls on one line. */
const BRANCH = `import keras
from keras import layers

inputs = keras.Input(shape=(32, 32, 3), name="img")
x = layers.Conv2D(16, 3, padding="same")(inputs)
shared = layers.Conv2D(16, 3, padding="same", name="shared")
a = shared(x)
b = layers.MaxPooling2D(2)(x)
c = shared(b)
a = layers.Conv2D(16, 1, strides=2)(a)
x = layers.concatenate([a, c])
for i in range(2):
    x = layers.Conv2D(8, 3)(x)
outputs = layers.Dense(10)(layers.GlobalAveragePooling2D()(x))
model = keras.Model(inputs, outputs)
`;
const branch = analyze(BRANCH).models;

const hint = (g: LayerGroup) => hintLabel(g, { params: false, maxLength: 43 });
const lineOf = (src: string) => (_cell: number | undefined, line: number) => src.split('\n')[line - 1];
const names = (ts: PlacedTensor[]) => ts.map((t) => `${t.tensor.name}@${t.tensor.range.start.line}:${t.tensor.layer}`);

describe('Functional models in the editor', () => {
  describe('the core: tensors and calls', () => {
    it("examples/functional_resnet.py is keras.io's toy ResNet: 223,242 parameters, Input row first", () => {
      assert.equal(resnet.length, 1);
      assert.equal(resnet[0].kind, 'functional');
      assert.equal(resnet[0].totalParams, 223242);
      assert.deepEqual(resnet[0].layers[0].range.start, { line: 7, column: 10 }, 'the Input row is the keras.Input( call');
      assert.deepEqual(resnet[0].diagnostics, []);
    });

    it('lists every variable bound to a tensor, with its layer and shape, in source order', () => {
      const t = resnet[0].tensors ?? [];
      assert.deepEqual(
        t.map((x) => [x.name, x.range.start.line, x.range.start.column, x.range.end.column, x.layer]),
        [
          ['inputs', 7, 1, 7, 'img'],
          ['x', 8, 1, 2, 'conv2d'],
          ['x', 9, 1, 2, 'conv2d_1'],
          ['block_1_output', 10, 1, 15, 'max_pooling2d'],
          ['x', 12, 1, 2, 'conv2d_2'],
          ['x', 13, 1, 2, 'conv2d_3'],
          ['block_2_output', 14, 1, 15, 'add'],
          ['x', 16, 1, 2, 'conv2d_4'],
          ['x', 17, 1, 2, 'conv2d_5'],
          ['block_3_output', 18, 1, 15, 'add_1'],
          ['x', 20, 1, 2, 'conv2d_6'],
          ['x', 21, 1, 2, 'global_average_pooling2d'],
          ['x', 22, 1, 2, 'dense'],
          ['x', 23, 1, 2, 'dropout'],
          ['outputs', 24, 1, 8, 'dense_1'],
        ],
      );
      assert.deepEqual(t.find((x) => x.name === 'block_1_output')?.shape, [null, 9, 9, 64]);
    });

    it('a shared layer: one row, each call with its place and shapes; inbound shapes per call', () => {
      const shared = branch[0].layers.find((l) => l.name === 'shared');
      assert.ok(shared);
      assert.deepEqual(
        shared.calls?.map((c) => [c.range.start.line, c.inputShape, c.outputShape]),
        [
          [7, [null, 32, 32, 16], [null, 32, 32, 16]],
          [9, [null, 16, 16, 16], [null, 16, 16, 16]],
        ],
      );
      assert.deepEqual(shared.inbound, [['conv2d'], ['max_pooling2d']]);
      // The concatenate takes the shared layer's second call: its shape, not the row's (the first call's).
      const concat = branch[0].layers.find((l) => l.type === 'Concatenate');
      assert.deepEqual(concat?.inbound, [['conv2d_1', 'shared']]);
      assert.deepEqual(concat?.inboundShapes, [
        [
          [null, 16, 16, 16],
          [null, 16, 16, 16],
        ],
      ]);
      assert.equal(branch[0].layers.filter((l) => l.calls).length, 1, 'only a shared layer lists its calls');
      // The variable of each call holds that call's output.
      assert.deepEqual(
        branch[0].tensors?.filter((t) => t.layer === 'shared').map((t) => [t.name, t.shape]),
        [
          ['a', [null, 32, 32, 16]],
          ['c', [null, 16, 16, 16]],
        ],
      );
    });

    it('a loop assigns one variable once per iteration; a block helper called twice, once per call', () => {
      assert.deepEqual(
        branch[0].tensors?.filter((t) => t.range.start.line === 13).map((t) => [t.layer, t.shape]),
        [
          ['conv2d_2', [null, 14, 14, 8]],
          ['conv2d_3', [null, 12, 12, 8]],
        ],
      );
      const helper = analyze(`import keras
from keras import layers

def block(x, filters):
    y = layers.Conv2D(filters, 3, padding="same")(x)
    return layers.add([x, y])

inputs = keras.Input(shape=(8, 8, 4))
x = block(inputs, 4)
x = block(x, 4)
model = keras.Model(inputs, x)
`).models[0];
      assert.deepEqual(
        helper.tensors?.map((t) => [t.name, t.range.start.line, t.layer]),
        [
          ['y', 5, 'conv2d'],
          ['y', 5, 'conv2d_1'],
          ['inputs', 8, 'input_layer'],
          ['x', 9, 'add'],
          ['x', 10, 'add_1'],
        ],
      );
    });

    it('tensors belong to their model: two models from one graph each list their own', () => {
      const two = analyze(`import keras
from keras import layers
inputs = keras.Input(shape=(4,))
h = layers.Dense(8)(inputs)
encoder = keras.Model(inputs, h)
out = layers.Dense(2)(h)
full = keras.Model(inputs, out)
`).models;
      assert.deepEqual(
        two.map((m) => m.tensors?.map((t) => t.name)),
        [
          ['inputs', 'h'],
          ['inputs', 'h', 'out'],
        ],
      );
    });

    it('a Sequential model has no tensors, calls or inbound', () => {
      const seq = analyze(example('mnist_convnet.py')).models[0];
      assert.equal(seq.tensors, undefined);
      assert.ok(seq.layers.every((l) => l.calls === undefined && l.inbound === undefined && l.inboundShapes === undefined));
    });

    it('the preview builds a Functional model from its graph: every call after the calls it takes, Inputs first', () => {
      assert.match(toTfjsModelConfig(resnet[0]).reason ?? '', /^A Functional model is not a tf.sequential/);
      const calls = graphCalls(resnet[0]);
      const name = (i: number) => resnet[0].layers[i].name;
      assert.deepEqual(
        calls.map((c) => `${name(c.layer)}(${c.inputs.map((i) => name(i.layer)).join(', ')})`),
        [
          'img()',
          'conv2d(img)',
          'conv2d_1(conv2d)',
          'max_pooling2d(conv2d_1)',
          'conv2d_2(max_pooling2d)',
          'conv2d_3(conv2d_2)',
          'add(conv2d_3, max_pooling2d)',
          'conv2d_4(add)',
          'conv2d_5(conv2d_4)',
          'add_1(conv2d_5, add)',
          'conv2d_6(add_1)',
          'global_average_pooling2d(conv2d_6)',
          'dense(global_average_pooling2d)',
          'dropout(dense)',
          'dense_1(dropout)',
        ],
      );
    });
  });

  describe('hints: one per layer call', () => {
    it('the toy ResNet: the Input line and every layer-call line, in order', () => {
      const groups = groupLayersByRange(resnet);
      assert.deepEqual(
        groups.map((g) => [g.range.start.line, hint(g)]),
        [
          [7, '(None, 32, 32, 3)'],
          [8, '(None, 30, 30, 32)'],
          [9, '(None, 28, 28, 64)'],
          [10, '(None, 9, 9, 64)'],
          [12, '(None, 9, 9, 64)'],
          [13, '(None, 9, 9, 64)'],
          [14, '(None, 9, 9, 64)'],
          [16, '(None, 9, 9, 64)'],
          [17, '(None, 9, 9, 64)'],
          [18, '(None, 9, 9, 64)'],
          [20, '(None, 7, 7, 64)'],
          [21, '(None, 64)'],
          [22, '(None, 256)'],
          [23, '(None, 256)'],
          [24, '(None, 10)'],
        ],
      );
    });

    it("each call of a shared layer gets its own hint with its own output; a loop's calls one hint", () => {
      const groups = groupLayersByRange(branch);
      const byLine = groups.map((g) => [g.range.start.line, g.range.start.column, hint(g)]);
      assert.deepEqual(
        byLine.filter(([line]) => line === 7 || line === 9),
        [
          [7, 5, '(None, 32, 32, 16)'],
          [9, 5, '(None, 16, 16, 16)'],
        ],
      );
      assert.deepEqual(
        byLine.filter(([line]) => line === 13),
        [[13, 9, '(None, 14, 14, 8) · (None, 12, 12, 8)']],
      );
      assert.deepEqual(
        byLine.filter(([line]) => line === 14),
        [
          [14, 28, '(None, 8)'],
          [14, 11, '(None, 10)'],
        ],
        'two calls on one line',
      );
      const second = groups.find((g) => g.range.start.line === 9);
      assert.equal(second?.members[0].call, 1);
      assert.equal(second?.members[0].layer.index, branch[0].layers.find((l) => l.name === 'shared')?.index, "the call keeps its row's index");
    });

    it('layerCalls: a layer called once is itself', () => {
      const dense = resnet[0].layers[12];
      assert.deepEqual(layerCalls(dense), [{ layer: dense }]);
    });
  });

  describe('the call and the tensor under the cursor', () => {
    const groups = groupLayersByRange(branch);
    const tensors = allTensors(branch);

    it('rangeContains counts the position just past the end, as VS Code does', () => {
      const r = { start: { line: 2, column: 3 }, end: { line: 2, column: 6 } };
      assert.deepEqual(
        [1, 2, 3, 6, 7].map((c) => rangeContains(r, 2, c)),
        [false, false, true, true, false],
      );
      assert.equal(rangeContains(r, 3, 1), false);
    });

    it('nested calls on one line: the innermost under the cursor', () => {
      assert.equal(groupAt(groups, 14, 30)?.members[0].layer.type, 'GlobalAveragePooling2D');
      assert.equal(groupAt(groups, 14, 15)?.members[0].layer.type, 'Dense');
      assert.equal(groupAt(groups, 14, 2), undefined);
    });

    it('the assigned variable takes the card of the call it is assigned (not for an alias)', () => {
      const assigned = tensorsAssignedAt(allTensors(resnet), 14, 3);
      assert.deepEqual(names(assigned), ['block_2_output@14:add']);
      assert.equal(callAssigned(groupLayersByRange(resnet), assigned)?.members[0].layer.name, 'add');
      const outputs = tensorsAssignedAt(tensors, 14, 1);
      assert.equal(callAssigned(groups, outputs)?.members[0].layer.type, 'Dense', 'the outer call of the line');
      const alias = analyze(
        'import keras\nfrom keras import layers\ni = keras.Input(shape=(3,))\nx = layers.Dense(2)(i)\ny = x\nm = keras.Model(i, y)\n',
      ).models;
      const y = tensorsAssignedAt(allTensors(alias), 5, 1);
      assert.deepEqual(names(y), ['y@5:dense']);
      assert.equal(callAssigned(groupLayersByRange(alias), y), undefined);
      assert.deepEqual(tensorsAssignedAt(tensors, 6, 1), [], '`shared = layers.Conv2D(...)` is a layer, not a tensor');
    });

    it('in a layer call, a variable is the tensor that feeds it: `x` in x = f(x) is the earlier x', () => {
      const rgroups = groupLayersByRange(resnet);
      const rtensors = allTensors(resnet);
      const add = groupAt(rgroups, 14, 30);
      assert.ok(add);
      assert.deepEqual(names(tensorsFeeding(rtensors, add, 'x')), ['x@13:conv2d_3']);
      assert.deepEqual(names(tensorsFeeding(rtensors, add, 'block_1_output')), ['block_1_output@10:max_pooling2d']);
      assert.deepEqual(names(tensorsFeeding(rtensors, add, 'layers')), []);
      const conv = groupAt(rgroups, 12, 60);
      assert.ok(conv);
      assert.deepEqual(names(tensorsFeeding(rtensors, conv, 'block_1_output')), ['block_1_output@10:max_pooling2d']);
      // In a loop: the first iteration reads the x before the loop, the second the first iteration's.
      const loop = groupAt(groups, 13, 30);
      assert.ok(loop);
      assert.deepEqual(names(tensorsFeeding(tensors, loop, 'x')), ['x@11:concatenate', 'x@13:conv2d_2']);
      // The shared layer's second call reads b.
      const second = groupAt(groups, 9, 12);
      assert.ok(second);
      assert.deepEqual(names(tensorsFeeding(tensors, second, 'b')), ['b@8:max_pooling2d']);
    });

    it('outside a layer call: the latest assignment above, in the same function', () => {
      const read = (src: string, ms: ModelResult[], name: string, line: number) => names(tensorsReadAt(allTensors(ms), name, { line }, lineOf(src)));
      assert.deepEqual(read(RESNET, resnet, 'inputs', 26), ['inputs@7:img']);
      assert.deepEqual(read(RESNET, resnet, 'outputs', 26), ['outputs@24:dense_1']);
      assert.deepEqual(read(RESNET, resnet, 'x', 26), ['x@23:dropout']);
      assert.deepEqual(read(RESNET, resnet, 'x', 7), [], 'nothing assigned above');
      const src = `import keras
from keras import layers
inputs = keras.Input(shape=(8, 8, 4))
x = layers.Conv2D(4, 3, padding="same")(inputs)

def block(x):
    y = layers.Conv2D(4, 3, padding="same")(x)
    print(x, y)
    return layers.add([x, y])

x = block(x)
model = keras.Model(inputs, x)
`;
      const ms = analyze(src).models;
      assert.deepEqual(read(src, ms, 'x', 8), [], "inside block, x is its parameter, not the module's x");
      assert.deepEqual(read(src, ms, 'y', 8), ['y@7:conv2d_1']);
      assert.deepEqual(read(src, ms, 'y', 12), [], 'y is local to block');
      assert.deepEqual(read(src, ms, 'x', 12), ['x@11:add']);
    });

    it('enclosingDef: the def whose body holds a line, through nested blocks', () => {
      const src = 'import keras\n\ndef f(a):\n    if a:\n        b = 1\n\n    # note\n    return b\n\nc = 2\nclass K:\n    def g(self):\n        return 1\n';
      const text = (l: number) => src.split('\n')[l - 1];
      assert.deepEqual(
        [1, 3, 5, 8, 10, 12, 13].map((l) => enclosingDef(l, text)),
        [0, 0, 3, 3, 0, 0, 12],
      );
    });
  });

  describe('the cards', () => {
    const model = branch[0];
    const layer = (name: string) => {
      const l = model.layers.find((x) => x.name === name);
      assert.ok(l, name);
      return l;
    };

    it('a layer: where its input comes from; an Input: whose input it is', () => {
      assert.deepEqual(inboundMarkdown(model, layer('max_pooling2d')), ['**Input from:** `conv2d` (`Conv2D`)']);
      assert.deepEqual(inboundMarkdown(model, layer('img')), ['**Input** of the model `model`.']);
      assert.deepEqual(
        inboundMarkdown(analyze(example('mnist_convnet.py')).models[0], analyze(example('mnist_convnet.py')).models[0].layers[1]),
        [],
        'nothing for a Sequential layer',
      );
    });

    it('a merge layer lists its inputs with their shapes', () => {
      assert.deepEqual(inboundMarkdown(model, layer('concatenate')), [
        '**Inputs (2):**',
        '',
        '- `conv2d_1` (`Conv2D`) `(None, 16, 16, 16)`',
        '- `shared` (`Conv2D`) `(None, 16, 16, 16)`',
      ]);
      const add = resnet[0].layers.find((l) => l.name === 'add');
      assert.ok(add);
      assert.deepEqual(inboundMarkdown(resnet[0], add), [
        '**Inputs (2):**',
        '',
        '- `conv2d_3` (`Conv2D`) `(None, 9, 9, 64)`',
        '- `max_pooling2d` (`MaxPooling2D`) `(None, 9, 9, 64)`',
      ]);
    });

    it('a shared layer says which call it is', () => {
      assert.deepEqual(inboundMarkdown(model, layer('shared'), 1), [
        '**Shared layer:** called 2 times, its weights counted once; this is call 2 of 2.  ',
        '**Input from:** `max_pooling2d` (`MaxPooling2D`)',
      ]);
    });

    it('a tensor: its shape and its layer; several: one line each', () => {
      const t = allTensors(resnet).filter((x) => x.tensor.name === 'block_1_output');
      assert.deepEqual(tensorMarkdown(t), [
        '**`block_1_output`** · `(None, 9, 9, 64)`',
        '',
        'A Keras tensor: the output of `max_pooling2d` (`MaxPooling2D`), assigned at line 10.',
      ]);
      const loop = allTensors(branch).filter((x) => x.tensor.range.start.line === 13);
      assert.deepEqual(tensorMarkdown(loop), [
        '**`x`** · 2 Keras tensors: this code runs more than once (a loop, or a function called more than once)',
        '',
        '- `(None, 14, 14, 8)`, the output of `conv2d_2` (`Conv2D`) (line 13)',
        '- `(None, 12, 12, 8)`, the output of `conv2d_3` (`Conv2D`) (line 13)',
      ]);
      assert.deepEqual(tensorMarkdown([]), []);
    });

    it("the model's table has Keras' Connected to column for a Functional model only", () => {
      const table = modelMarkdownTable(resnet[0]);
      assert.equal(table[2], '| Layer (type) | Output shape | Params | RF | Connected to |');
      assert.ok(table.includes('| add (Add) | (None, 9, 9, 64) | 0 | 19×19 | conv2d_3[0][0], max_pooling2d[0][0] |'));
      assert.ok(table.includes('| img (InputLayer) | (None, 32, 32, 3) | 0 | — | - |'));
      assert.equal(modelMarkdownTable(analyze(example('mnist_convnet.py')).models[0])[2], '| Layer (type) | Output shape | Params | RF |');
      assert.equal(connectedTo(layer('shared')), 'conv2d[0][0], max_pooling2d[0][0]');
    });

    // Keras 3.15 printed these "Connected to" cells for the same code (the node index is the call's: `dense[1][0]`
    // is the shared Dense's second output), with statements joined by semicolons as people write short scripts.
    it("Connected to names the call of a shared layer or model whose output is taken, as Keras' node index", () => {
      const shared = analyze(`import keras
from keras import layers
a = keras.Input((8,)); b = keras.Input((8,))
d = layers.Dense(4)
x = d(a); y = d(b)
inner = keras.Sequential([layers.Dense(4)])
z = layers.add([x, y])
z2 = inner(z)
z3 = inner(z2)
m = keras.Model([a, b], layers.concatenate([z, z3]))
`).models.find((mm) => mm.name === 'm');
      assert.ok(shared);
      assert.deepEqual(
        shared.layers.map((l) => [l.name, connectedTo(l), l.outputShape]),
        [
          ['input_layer', '-', [null, 8]],
          ['input_layer_1', '-', [null, 8]],
          ['dense', 'input_layer[0][0], input_layer_1[0][0]', [null, 4]],
          ['add', 'dense[0][0], dense[1][0]', [null, 4]],
          ['inner', 'add[0][0], inner[0][0]', [null, 4]],
          ['concatenate', 'add[0][0], inner[1][0]', [null, 8]],
        ],
      );
      assert.equal(shared.totalParams, 56);
      const nested = analyze(`import keras
from keras import layers
i = keras.Input((4,))
inner = keras.Model(i, layers.Dense(4)(i))
s = keras.Sequential([keras.Input((4,)), layers.Dense(4)])
a = keras.Input((4,))
z = inner(a)
z = inner(z)
z = s(z)
z = s(z)
m = keras.Model(a, z)
`).models.find((mm) => mm.name === 'm');
      assert.deepEqual(nested?.layers.map(connectedTo), ['-', 'input_layer[0][0], inner[0][0]', 'inner[1][0], s[0][0]']);
    });
  });
});
