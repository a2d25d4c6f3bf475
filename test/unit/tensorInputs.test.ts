/**
 * Issue 18, for Functional graphs: every tensor input counts (positional, keyword such as `initial_state=`, a
 * layer's several outputs), and an unknown stays local (a call LayerLens does not evaluate, on a tensor, is a
 * tensor of unknown shape, or of its input's shape where the function is elementwise, named by a diagnostic; the
 * model and every row stay). Truth: tfjs-layers builds the same models through its own API (shapes, parameters,
 * each node's inbound layers and tensor indices), and the applications' rows for `input_shape=` (checked against
 * Keras 3 at other sizes in applications.test.ts).
 */
import { strict as assert } from 'node:assert';
import { analyze as analyzeOnce, type ModelResult } from '../../src/core';
import { connectedTo } from '../../src/core/format';
import { graphCalls } from '../../src/core/tfjs/graph';
import { analyze } from './support/metamorphic';
import { tfjs } from './support/tfjsOracle';

type LayersModel = import('@tensorflow/tfjs').LayersModel;
type SymbolicTensor = import('@tensorflow/tfjs').SymbolicTensor;

/** Every tfjs layer against the row of the same name: output shape(s), parameters, inbound layers and tensor indices. */
function differences(model: ModelResult, tf: LayersModel): string[] {
  const out: string[] = [];
  const rows = new Map(model.layers.map((l) => [l.name, l]));
  for (const layer of tf.layers) {
    const row = rows.get(layer.name);
    if (!row) {
      out.push(`tfjs has ${layer.name}, the analysis does not`);
      continue;
    }
    const theirs = JSON.stringify(layer.outputShape);
    const ours = JSON.stringify(Array.isArray(layer.outputShape[0]) ? row.outputShapes : row.outputShape);
    if (ours !== theirs) out.push(`${layer.name}: output ${ours}, tfjs ${theirs}`);
    if (row.params !== layer.countParams()) out.push(`${layer.name}: params ${row.params}, tfjs ${layer.countParams()}`);
    const node = layer.inboundNodes.find((n) => n.inboundLayers.length > 0);
    if (node) {
      const inbound = node.inboundLayers.map((l, i) => `${l.name}[${node.nodeIndices[i]}][${node.tensorIndices[i]}]`).join(', ');
      if (connectedTo(row) !== inbound) out.push(`${layer.name}: connected to ${connectedTo(row)}, tfjs ${inbound}`);
    }
  }
  if (model.layers.length !== tf.layers.length) out.push(`${model.layers.length} rows, tfjs ${tf.layers.length} layers`);
  if (model.totalParams !== tf.countParams()) out.push(`total ${model.totalParams}, tfjs ${tf.countParams()}`);
  return out;
}

/** tfjs' orthogonal initializer of a 256-unit recurrent kernel takes minutes on the CPU; the weights' values change no count. */
const FAST = { recurrentInitializer: 'glorotUniform' } as const;

/** A char-level encoder-decoder as keras.io's seq2seq example writes it, with token embeddings. */
const SEQ2SEQ = `import keras
from keras import layers

num_encoder_tokens = 71
num_decoder_tokens = 93
latent_dim = 256

encoder_inputs = keras.Input(shape=(None,))
enc_emb = layers.Embedding(num_encoder_tokens, 64)(encoder_inputs)
encoder_outputs, state_h, state_c = layers.LSTM(latent_dim, return_state=True)(enc_emb)
encoder_states = [state_h, state_c]

decoder_inputs = keras.Input(shape=(None,))
dec_emb = layers.Embedding(num_decoder_tokens, 64)(decoder_inputs)
decoder_lstm = layers.LSTM(latent_dim, return_sequences=True, return_state=True)
decoder_outputs, _, _ = decoder_lstm(dec_emb, initial_state=encoder_states)
decoder_dense = layers.Dense(num_decoder_tokens, activation="softmax")
decoder_outputs = decoder_dense(decoder_outputs)

model = keras.Model([encoder_inputs, decoder_inputs], decoder_outputs)

encoder_model = keras.Model(encoder_inputs, encoder_states)
`;

describe('every tensor input counts (issue 18)', () => {
  it("an LSTM's states passed on as initial_state=[h, c] are inputs: the encoder's rows are in the model, as tfjs builds it", () => {
    const result = analyze(SEQ2SEQ);
    const [model, encoder] = result.models;
    const tf = tfjs();
    const encIn = tf.input({ shape: [null], name: 'input_layer' });
    const e = tf.layers.embedding({ inputDim: 71, outputDim: 64, name: 'embedding' }).apply(encIn) as SymbolicTensor;
    const [, h, c] = tf.layers.lstm({ units: 256, returnState: true, name: 'lstm', ...FAST }).apply(e) as SymbolicTensor[];
    const decIn = tf.input({ shape: [null], name: 'input_layer_1' });
    const d = tf.layers.embedding({ inputDim: 93, outputDim: 64, name: 'embedding_1' }).apply(decIn) as SymbolicTensor;
    const decoder = tf.layers.lstm({ units: 256, returnSequences: true, returnState: true, name: 'lstm_1', ...FAST });
    const [y] = decoder.apply(d, { initialState: [h, c] }) as SymbolicTensor[];
    const out = tf.layers.dense({ units: 93, activation: 'softmax', name: 'dense' }).apply(y) as SymbolicTensor;
    const truth = tf.model({ inputs: [encIn, decIn], outputs: out });
    assert.deepEqual(differences(model, truth), []);
    assert.equal(model.totalParams, truth.countParams());
    // Keras' "Connected to" lists the keyword tensors after the positional one, each with its tensor index.
    assert.equal(connectedTo(model.layers.find((l) => l.name === 'lstm_1') ?? model.layers[0]), 'embedding_1[0][0], lstm[0][1], lstm[0][2]');
    // Every input, in the order keras.Model was given them.
    assert.deepEqual(model.inputs, [
      { name: 'input_layer', shape: [null, null] },
      { name: 'input_layer_1', shape: [null, null] },
    ]);
    // The preview's graph leaves out a call with keyword tensors (tfjs' apply on a list reads them otherwise) and what follows.
    assert.deepEqual(
      graphCalls(model).map((c) => model.layers[c.layer].name),
      ['input_layer', 'input_layer_1', 'embedding', 'embedding_1', 'lstm'],
    );
    // The inference encoder returns the states: its outputs are the LSTM's second and third.
    const encoderTruth = tf.model({ inputs: encIn, outputs: [h, c] });
    assert.equal(encoder.totalParams, encoderTruth.countParams());
    assert.equal(encoder.layers.length, 3);
    assert.deepEqual(model.diagnostics, []);
  });

  it('states taken by unpacking, a decoder without return_state, and a GRU state: the same counts as tfjs', () => {
    const src = `import keras
from keras import layers

enc_in = keras.Input(shape=(12, 8))
_, h = layers.GRU(16, return_state=True, reset_after=False)(enc_in)
dec_in = keras.Input(shape=(5, 4))
y = layers.GRU(16, return_sequences=True, reset_after=False)(dec_in, initial_state=h)
out = layers.TimeDistributed(layers.Dense(3))(y)
model = keras.Model(inputs=[enc_in, dec_in], outputs=[out, h])
`;
    const [model] = analyze(src).models;
    const tf = tfjs();
    const encIn = tf.input({ shape: [12, 8], name: 'input_layer' });
    const [, h] = tf.layers.gru({ units: 16, returnState: true, resetAfter: false, name: 'gru', ...FAST } as never).apply(encIn) as SymbolicTensor[];
    const decIn = tf.input({ shape: [5, 4], name: 'input_layer_1' });
    const y = tf.layers.gru({ units: 16, returnSequences: true, name: 'gru_1', ...FAST }).apply(decIn, { initialState: [h] }) as SymbolicTensor;
    const out = tf.layers.timeDistributed({ layer: tf.layers.dense({ units: 3 }), name: 'time_distributed' }).apply(y) as SymbolicTensor;
    const truth = tf.model({ inputs: [encIn, decIn], outputs: [out, h] });
    assert.deepEqual(differences(model, truth), []);
  });

  it("states sliced from the layer's output list (enc[1:]) are its second and third outputs, as tfjs builds them", () => {
    const src = `import keras
from keras import layers

inp = keras.Input(shape=(5, 3))
enc = layers.LSTM(8, return_state=True)(inp)
states = enc[1:]
dec_in = keras.Input(shape=(4, 3))
y = layers.LSTM(8)(dec_in, initial_state=states)
model = keras.Model([inp, dec_in], y)
`;
    const [model] = analyze(src).models;
    const tf = tfjs();
    const inp = tf.input({ shape: [5, 3], name: 'input_layer' });
    const enc = tf.layers.lstm({ units: 8, returnState: true, name: 'lstm' }).apply(inp) as SymbolicTensor[];
    const decIn = tf.input({ shape: [4, 3], name: 'input_layer_1' });
    const y = tf.layers.lstm({ units: 8, name: 'lstm_1' }).apply(decIn, { initialState: enc.slice(1) }) as SymbolicTensor;
    assert.deepEqual(differences(model, tf.model({ inputs: [inp, decIn], outputs: y })), []);
  });

  it("a Bidirectional LSTM's forward and backward states (an encoder's last hidden states joined), as tfjs builds them", () => {
    const src = `import keras
from keras import layers

inp = keras.Input(shape=(5, 3))
out, fh, fc, bh, bc = layers.Bidirectional(layers.LSTM(8, return_state=True))(inp)
h = layers.Concatenate()([fh, bh])
model = keras.Model(inp, [out, h])
`;
    const result = analyze(src);
    const [model] = result.models;
    const tf = tfjs();
    const inp = tf.input({ shape: [5, 3], name: 'input_layer' });
    const lstm = tf.layers.lstm({ units: 8, returnState: true });
    const [out, fh, , bh] = tf.layers.bidirectional({ layer: lstm as never, name: 'bidirectional' }).apply(inp) as SymbolicTensor[];
    const h = tf.layers.concatenate({ name: 'concatenate' }).apply([fh, bh]) as SymbolicTensor;
    assert.deepEqual(differences(model, tf.model({ inputs: inp, outputs: [out, h] })), []);
    assert.deepEqual([...result.diagnostics, ...model.diagnostics], []);
  });

  it('an initial_state LayerLens cannot follow is named: the layers that make it may be missing', () => {
    const src = `import keras
from keras import layers
from encoders import make_states

dec_in = keras.Input(shape=(4, 3))
y = layers.LSTM(8)(dec_in, initial_state=make_states())
model = keras.Model(dec_in, y)
`;
    const [model] = analyze(src).models;
    const [note] = model.diagnostics;
    assert.equal(note.code, 'unresolved-value');
    assert.match(note.message, /^Cannot resolve `make_states\(\)` statically .*: if `initial_state=` is given a tensor there/);
    // The LSTM's own numbers do not depend on it.
    assert.equal(model.totalParams, 4 * 8 * (3 + 8 + 1));
  });

  it('a custom layer called with two tensors (a CTC loss endpoint) keeps both inputs and both branches', () => {
    const src = `import keras
from keras import layers


class CTCLayer(layers.Layer):
    def __init__(self, name=None):
        super().__init__(name=name)

    def call(self, y_true, y_pred):
        self.add_loss(keras.backend.ctc_batch_cost(y_true, y_pred, 1, 1))
        return y_pred


input_img = layers.Input(shape=(200, 50, 1), name="image", dtype="float32")
labels = layers.Input(name="label", shape=(None,), dtype="float32")
x = layers.Conv2D(32, (3, 3), activation="relu", padding="same", name="Conv1")(input_img)
x = layers.MaxPooling2D((2, 2), name="pool1")(x)
x = layers.Reshape(target_shape=(100, 25 * 32), name="reshape")(x)
x = layers.Dense(20, activation="softmax", name="dense2")(x)
output = CTCLayer(name="ctc_loss")(labels, x)
model = keras.Model(inputs=[input_img, labels], outputs=output, name="ocr_model_v1")
`;
    const [model] = analyze(src).models;
    const ctc = model.layers.find((l) => l.name === 'ctc_loss');
    assert.deepEqual(ctc?.inbound, [['label', 'dense2']]);
    assert.deepEqual(
      model.inputs?.map((i) => i.name),
      ['image', 'label'],
    );
    // The branch before the custom layer is exact, as tfjs builds it.
    const tf = tfjs();
    const img = tf.input({ shape: [200, 50, 1], name: 'image' });
    let t = tf.layers.conv2d({ filters: 32, kernelSize: 3, activation: 'relu', padding: 'same', name: 'Conv1' }).apply(img) as SymbolicTensor;
    t = tf.layers.maxPooling2d({ poolSize: 2, name: 'pool1' }).apply(t) as SymbolicTensor;
    t = tf.layers.reshape({ targetShape: [100, 800], name: 'reshape' }).apply(t) as SymbolicTensor;
    t = tf.layers.dense({ units: 20, activation: 'softmax', name: 'dense2' }).apply(t) as SymbolicTensor;
    const branch = differences(
      { ...model, layers: model.layers.filter((l) => l.name !== 'ctc_loss' && l.name !== 'label') },
      tf.model({ inputs: img, outputs: t }),
    );
    assert.deepEqual(
      branch.filter((d) => !d.startsWith('total')),
      [],
    );
    // Its call() is followed (issue 21 §4): it adds a loss and returns y_pred, with no weights of its own, as Keras
    // prints `ctc_loss (CTCLayer) (None, 100, 20) 0`; the model's total is the branch's, 320 + 16,020.
    assert.equal(ctc?.params, 0);
    assert.deepEqual(ctc?.outputShape, [null, 100, 20]);
    assert.equal(model.totalParams, 320 + 16_020);
  });
});

describe('an unknown stays local (issue 18)', () => {
  it("the transfer-learning tutorial's preprocess_input and tf.nn.swish: every row Keras 3 prints for them, exact numbers", () => {
    const src = `import keras
import tensorflow as tf

inputs = keras.Input(shape=(160, 160, 3))
x = keras.applications.mobilenet_v2.preprocess_input(inputs)
x = keras.layers.Conv2D(8, 3)(x)
x = tf.nn.swish(x)
x = keras.layers.GlobalAveragePooling2D()(x)
model = keras.Model(inputs, keras.layers.Dense(1)(x))
`;
    const [model] = analyze(src).models;
    const tf = tfjs();
    const input = tf.input({ shape: [160, 160, 3] });
    const conv = tf.layers.conv2d({ filters: 8, kernelSize: 3 }).apply(input) as SymbolicTensor;
    const pooled = tf.layers.globalAveragePooling2d({}).apply(conv) as SymbolicTensor;
    const truth = tf.model({ inputs: input, outputs: tf.layers.dense({ units: 1 }).apply(pooled) as SymbolicTensor });
    assert.equal(model.totalParams, truth.countParams());
    assert.deepEqual(
      model.layers.map((l) => [l.name, l.outputShape]),
      [
        ['input_layer', [null, 160, 160, 3]],
        ['true_divide', [null, 160, 160, 3]],
        ['subtract', [null, 160, 160, 3]],
        ['conv2d', [null, 158, 158, 8]],
        ['swish', [null, 158, 158, 8]],
        ['global_average_pooling2d', [null, 8]],
        ['dense', [null, 1]],
      ],
    );
    // Both are evaluated now (issue 21): nothing left to say about them.
    assert.deepEqual(model.diagnostics, []);
  });

  it('an op whose shape is unknown (tf.signal.rfft): the rows before it exact, the rows after it present and unknown, a warning naming it', () => {
    const src = `import keras
import tensorflow as tf
from keras import layers

inputs = keras.Input(shape=(10, 4))
x = layers.Dense(8)(inputs)
x = tf.signal.rfft(x)
x = layers.Dense(2)(x)
model = keras.Model(inputs, x)
`;
    const result = analyze(src);
    const [model] = result.models;
    assert.deepEqual(
      model.layers.map((l) => [l.name, l.outputShape, l.params]),
      [
        ['input_layer', [null, 10, 4], 0],
        ['dense', [null, 10, 8], 40],
        ['rfft', null, 0],
        ['dense_1', null, null],
      ],
    );
    assert.equal(model.totalParams, null);
    const [warning] = model.diagnostics;
    assert.equal(warning.severity, 'warning');
    assert.match(warning.message, /^`tf\.signal\.rfft\(x\)` is a call LayerLens does not evaluate/);
    assert.equal(warning.range.start.line, 7);
  });

  it("K.int_shape(x) in a squeeze-and-excitation block is the tensor's shape, as tfjs counts the block", () => {
    const src = `import keras
from keras import layers
from keras import backend as K

inputs = keras.Input(shape=(8, 8, 16))
filters = K.int_shape(inputs)[-1]
se = layers.GlobalAveragePooling2D()(inputs)
se = layers.Dense(filters // 4, activation="relu")(se)
se = layers.Dense(filters, activation="sigmoid")(se)
se = layers.Reshape((1, 1, filters))(se)
model = keras.Model(inputs, layers.multiply([inputs, se]))
`;
    const [model] = analyze(src).models;
    const tf = tfjs();
    const input = tf.input({ shape: [8, 8, 16] });
    let se = tf.layers.globalAveragePooling2d({}).apply(input) as SymbolicTensor;
    se = tf.layers.dense({ units: 4, activation: 'relu' }).apply(se) as SymbolicTensor;
    se = tf.layers.dense({ units: 16, activation: 'sigmoid' }).apply(se) as SymbolicTensor;
    se = tf.layers.reshape({ targetShape: [1, 1, 16] }).apply(se) as SymbolicTensor;
    const out = tf.layers.multiply().apply([input, se]) as SymbolicTensor;
    const truth = tf.model({ inputs: input, outputs: out });
    assert.equal(model.totalParams, truth.countParams());
    assert.deepEqual(model.layers.at(-1)?.outputShape, truth.outputs[0].shape);
  });

  it("a Concatenate with one input the analysis cannot follow keeps that input, its producer and its branch's Input", () => {
    const src = `import keras
from keras import layers
from helpers import positional_features

tokens = keras.Input(shape=(16,), name="tokens")
extra = keras.Input(shape=(8,), name="extra")
x = layers.Dense(4, name="proj")(tokens)
y = layers.Dense(3, name="side")(extra)
z = layers.Concatenate(name="joined")([x, positional_features(y)])
out = layers.Dense(1, name="score")(z)
model = keras.Model([tokens, extra], out)
`;
    const [model] = analyze(src).models;
    const names = model.layers.map((l) => l.name);
    for (const n of ['tokens', 'extra', 'proj', 'side', 'positional_features', 'joined', 'score']) assert.ok(names.includes(n), `${n} in ${names.join(', ')}`);
    const joined = model.layers.find((l) => l.name === 'joined');
    assert.deepEqual(joined?.inbound, [['proj', 'positional_features']]);
    assert.equal(joined?.outputShape, null);
    // What does not depend on the unknown is exact.
    assert.equal(model.layers.find((l) => l.name === 'side')?.params, 27);
    assert.equal(model.layers.find((l) => l.name === 'proj')?.params, 68);
    assert.ok(model.diagnostics.some((d) => d.code === 'unevaluated-call' && d.message.startsWith('`positional_features(y)`')));
  });

  it('MobileNetV2(input_tensor=inputs) under a head is connected, as Keras builds it, with the rows of input_shape=(96, 96, 3)', () => {
    for (const [side, architecture] of [
      [96, 'MobileNetV2'],
      [97, 'MobileNetV2'],
      [96, 'EfficientNetB0'],
    ] as const) {
      const src = `import keras
from keras import layers

inputs = keras.Input(shape=(${side}, ${side}, 3))
app = keras.applications.${architecture}(input_tensor=inputs, include_top=False, weights=None)
x = layers.GlobalAveragePooling2D()(app.output)
model = keras.Model(inputs, layers.Dense(2)(x))
`;
      const result = analyzeOnce(src);
      const model = result.models.find((m) => m.name === 'model');
      assert.ok(model, src);
      assert.deepEqual(
        model.diagnostics.filter((d) => d.severity !== 'information'),
        [],
        src,
      );
      const byShape = analyzeOnce(
        `import keras\n\nbase = keras.applications.${architecture}(input_shape=(${side}, ${side}, 3), include_top=False, weights=None)\n`,
      ).models[0];
      const rows = (m: ModelResult) => m.layers.filter((l) => l.type !== 'InputLayer').map((l) => [l.name, l.type, l.outputShape, l.params]);
      assert.deepEqual(rows(model).slice(0, -2), rows(byShape), `${architecture} at ${side}`);
      assert.equal(model.totalParams, (byShape.totalParams ?? NaN) + 1280 * 2 + 2, `${architecture} at ${side}`);
    }
  });
});
