/**
 * Issue 21 §4: custom `Layer` subclasses whose `call()` LayerLens follows are one row, named as Keras names them
 * (the class in snake case), with the shape `call()` returns on the symbolic inputs and the weights Keras counts:
 * the sublayers `call()` uses (built with the shapes they are called on), `add_weight` and `tf.Variable`. Each case
 * follows an idiom of public Keras code: keras.io's VAE `Sampling` layer (tf.keras and Keras 3 spellings), a
 * depth-to-space layer written with reshape and transpose, a `ConvBlock` wrapping Conv2D + BatchNormalization +
 * ReLU that passes `**kwargs` on, keras.io's text-classification `TransformerBlock` and `TokenAndPositionEmbedding`,
 * the guide's `Linear` layer (`build(input_shape)` + `add_weight`, and the `tf.Variable` spelling), and PixelShuffle
 * layers calling `tf.nn.depth_to_space`. The truth is tfjs-layers built from the same sublayers, the catalogue's
 * own MultiHeadAttention rule (tfjs has none), and the summaries keras.io prints (VAE encoder: 69,076 parameters;
 * text classifier: token_and_position_embedding 646,400, transformer_block 10,656). Every case must equal the
 * reference analysis (a plain walk of the whole file, no cache).
 */
import { strict as assert } from 'node:assert';
import { analyze as analyzeCore, type AnalysisResult, type LayerResult, type ModelResult } from '../../src/core';
import { analyze, comparableModel } from './support/metamorphic';
import { tfjs } from './support/tfjsOracle';

type SymbolicTensor = import('@tensorflow/tfjs').SymbolicTensor;
type Layer = import('@tensorflow/tfjs').layers.Layer;

let fileKey = 0;

/** The analysis, checked against the reference analysis of the same text. */
function run(source: string): AnalysisResult {
  const result = analyze(source, { fileName: `custom-layers-${fileKey++}.py` });
  const reference = analyzeCore(source, { reference: true });
  assert.deepEqual(result.models.map(comparableModel), reference.models.map(comparableModel), 'the same models as the reference analysis');
  assert.deepEqual(
    result.diagnostics.map((d) => [d.code, d.message]),
    reference.diagnostics.map((d) => [d.code, d.message]),
    'the same file diagnostics as the reference analysis',
  );
  return result;
}

function only(result: AnalysisResult, name = 'model'): ModelResult {
  const models = result.models.filter((m) => m.name === name);
  assert.equal(models.length, 1, `one model named ${name}: ${result.models.map((m) => m.name).join(', ')}`);
  return models[0];
}

function row(model: ModelResult, name: string): LayerResult {
  const found = model.layers.find((l) => l.name === name);
  assert.ok(found, `a row ${name}: ${model.layers.map((l) => l.name).join(', ')}`);
  return found;
}

function warnings(model: ModelResult, code: string): string[] {
  return model.diagnostics.filter((d) => d.code === code).map((d) => d.message);
}

/** tfjs' layers applied in turn to an input of this shape (no batch): the output shape and the weights, split. */
function tfjsChain(shape: number[], make: (tf: ReturnType<typeof tfjs>) => Layer[]) {
  const tf = tfjs();
  const input = tf.input({ shape });
  const layers = make(tf);
  let x: SymbolicTensor = input;
  for (const l of layers) x = l.apply(x) as SymbolicTensor;
  const count = (ws: { shape: (number | null)[] }[]) => ws.reduce((a, w) => a + w.shape.reduce<number>((p, d) => p * (d ?? NaN), 1), 0);
  return {
    outputShape: x.shape,
    params: layers.reduce((a, l) => a + l.countParams(), 0),
    trainable: layers.reduce((a, l) => a + count(l.trainableWeights), 0),
    nonTrainable: layers.reduce((a, l) => a + count(l.nonTrainableWeights), 0),
  };
}

function numbers(l: LayerResult) {
  return { outputShape: l.outputShape, params: l.params, trainable: l.trainableParams, nonTrainable: l.nonTrainableParams };
}

const TF = 'import tensorflow as tf\nfrom tensorflow import keras\nfrom tensorflow.keras import layers\n';
const K3 = 'import keras\nfrom keras import layers, ops\n';

describe('custom Layer subclasses whose call() LayerLens follows (issue 21 §4)', function () {
  this.timeout(120000);

  describe("the VAE's sampling layer", () => {
    const encoder = (sampling: string, head: string) => `${head}
latent_dim = 2

${sampling}

encoder_inputs = keras.Input(shape=(28, 28, 1))
x = layers.Conv2D(32, 3, activation="relu", strides=2, padding="same")(encoder_inputs)
x = layers.Conv2D(64, 3, activation="relu", strides=2, padding="same")(x)
x = layers.Flatten()(x)
x = layers.Dense(16, activation="relu")(x)
z_mean = layers.Dense(latent_dim, name="z_mean")(x)
z_log_var = layers.Dense(latent_dim, name="z_log_var")(x)
z = Sampling()([z_mean, z_log_var])
encoder = keras.Model(encoder_inputs, [z_mean, z_log_var, z], name="encoder")
`;

    it('tf.keras: noise of tf.shape(z_mean), mean + exp(log-var / 2) × noise: (None, 2), no weights; the encoder as keras.io prints it', () => {
      const result = run(
        encoder(
          `class Sampling(layers.Layer):
    def call(self, inputs):
        z_mean, z_log_var = inputs
        eps = tf.random.normal(shape=tf.shape(z_mean))
        return z_mean + tf.exp(0.5 * z_log_var) * eps`,
          TF,
        ),
      );
      const model = only(result, 'encoder');
      assert.deepEqual(numbers(row(model, 'sampling')), { outputShape: [null, 2], params: 0, trainable: 0, nonTrainable: 0 });
      assert.equal(row(model, 'sampling').type, 'Sampling');
      assert.equal(model.totalParams, 69076);
      assert.deepEqual(warnings(model, 'custom-layer'), []);
      assert.deepEqual(warnings(model, 'incomplete-model'), []);
    });

    it('Keras 3: ops.shape(z_mean)[0] and [1], keras.random.normal(shape=(batch, dim), seed=...) with a SeedGenerator made in __init__', () => {
      const result = run(
        encoder(
          `class Sampling(layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.seed_generator = keras.random.SeedGenerator(1337)

    def call(self, inputs):
        z_mean, z_log_var = inputs
        batch = ops.shape(z_mean)[0]
        dim = ops.shape(z_mean)[1]
        epsilon = keras.random.normal(shape=(batch, dim), seed=self.seed_generator)
        return z_mean + ops.exp(0.5 * z_log_var) * epsilon`,
          K3,
        ),
      );
      const model = only(result, 'encoder');
      assert.deepEqual(numbers(row(model, 'sampling')), { outputShape: [null, 2], params: 0, trainable: 0, nonTrainable: 0 });
      assert.equal(model.totalParams, 69076);
    });
  });

  it('depth to space with reshape and transpose: the shape tfjs gives for the same reshape / permute / reshape, no weights', () => {
    const result = run(`${TF}
class DepthToSpace(layers.Layer):
    def __init__(self, block_size, **kwargs):
        super().__init__(**kwargs)
        self.block_size = block_size

    def call(self, x):
        b = self.block_size
        _, h, w, c = x.shape
        x = tf.reshape(x, (-1, h, w, b, b, c // (b * b)))
        x = tf.transpose(x, (0, 1, 3, 2, 4, 5))
        return tf.reshape(x, (-1, h * b, w * b, c // (b * b)))

inputs = keras.Input(shape=(12, 10, 36))
x = DepthToSpace(3)(inputs)
x = layers.Conv2D(8, 3)(x)
model = keras.Model(inputs, x)
`);
    const model = only(result);
    const want = tfjsChain([12, 10, 36], (tf) => [
      tf.layers.reshape({ targetShape: [12, 10, 3, 3, 4] }),
      tf.layers.permute({ dims: [1, 3, 2, 4, 5] }),
      tf.layers.reshape({ targetShape: [36, 30, 4] }),
    ]);
    assert.deepEqual(numbers(row(model, 'depth_to_space')), { outputShape: want.outputShape, params: 0, trainable: 0, nonTrainable: 0 });
    const conv = tfjsChain([36, 30, 4], (tf) => [tf.layers.conv2d({ filters: 8, kernelSize: 3 })]);
    assert.deepEqual(numbers(row(model, 'conv2d')), { outputShape: conv.outputShape, params: conv.params, trainable: conv.params, nonTrainable: 0 });
  });

  it('a ConvBlock wrapping Conv2D + BatchNormalization + ReLU, **kwargs passed on (name=): one row, the sum tfjs counts, BN statistics non-trainable', () => {
    const result = run(`${TF}
class ConvBlock(layers.Layer):
    def __init__(self, filters, kernel_size=3, **kwargs):
        super().__init__(**kwargs)
        self.conv = layers.Conv2D(filters, kernel_size, padding="same", use_bias=False)
        self.bn = layers.BatchNormalization()
        self.act = layers.ReLU()

    def call(self, x, training=None):
        x = self.conv(x)
        x = self.bn(x, training=training)
        return self.act(x)

inputs = keras.Input(shape=(32, 32, 3))
x = ConvBlock(16, name="stem")(inputs)
x = ConvBlock(32)(x)
x = ConvBlock(32, kernel_size=5)(x)
x = layers.GlobalAveragePooling2D()(x)
outputs = layers.Dense(10)(x)
model = keras.Model(inputs, outputs)
`);
    const model = only(result);
    assert.deepEqual(
      model.layers.map((l) => [l.name, l.type]),
      [
        ['input_layer', 'InputLayer'],
        ['stem', 'ConvBlock'],
        ['conv_block', 'ConvBlock'],
        ['conv_block_1', 'ConvBlock'],
        ['global_average_pooling2d', 'GlobalAveragePooling2D'],
        ['dense', 'Dense'],
      ],
    );
    const block = (channels: number, filters: number, kernel: number) =>
      tfjsChain([32, 32, channels], (tf) => [
        tf.layers.conv2d({ filters, kernelSize: kernel, padding: 'same', useBias: false }),
        tf.layers.batchNormalization(),
        tf.layers.reLU(),
      ]);
    for (const [name, want] of [
      ['stem', block(3, 16, 3)],
      ['conv_block', block(16, 32, 3)],
      ['conv_block_1', block(32, 32, 5)],
    ] as const)
      assert.deepEqual(
        numbers(row(model, name)),
        { outputShape: want.outputShape, params: want.params, trainable: want.trainable, nonTrainable: want.nonTrainable },
        name,
      );
    assert.deepEqual(warnings(model, 'custom-layer'), []);
  });

  describe("keras.io's text classification with a transformer", () => {
    const source = (embedding: string) => `${K3}
class TransformerBlock(layers.Layer):
    def __init__(self, embed_dim, num_heads, ff_dim, rate=0.1):
        super().__init__()
        self.att = layers.MultiHeadAttention(num_heads=num_heads, key_dim=embed_dim)
        self.ffn = keras.Sequential([layers.Dense(ff_dim, activation="relu"), layers.Dense(embed_dim)])
        self.layernorm1 = layers.LayerNormalization(epsilon=1e-6)
        self.layernorm2 = layers.LayerNormalization(epsilon=1e-6)
        self.dropout1 = layers.Dropout(rate)
        self.dropout2 = layers.Dropout(rate)

    def call(self, inputs, training=False):
        attn_output = self.att(inputs, inputs)
        attn_output = self.dropout1(attn_output, training=training)
        out1 = self.layernorm1(inputs + attn_output)
        ffn_output = self.ffn(out1)
        ffn_output = self.dropout2(ffn_output, training=training)
        return self.layernorm2(out1 + ffn_output)

${embedding}

vocab_size = 20000
maxlen = 200
embed_dim = 32
num_heads = 2
ff_dim = 32

inputs = layers.Input(shape=(maxlen,))
embedding_layer = TokenAndPositionEmbedding(maxlen, vocab_size, embed_dim)
x = embedding_layer(inputs)
transformer_block = TransformerBlock(embed_dim, num_heads, ff_dim)
x = transformer_block(x)
x = layers.GlobalAveragePooling1D()(x)
x = layers.Dropout(0.1)(x)
x = layers.Dense(20, activation="relu")(x)
x = layers.Dropout(0.1)(x)
outputs = layers.Dense(2, activation="softmax")(x)
model = keras.Model(inputs=inputs, outputs=outputs)
`;
    const keras3Embedding = `class TokenAndPositionEmbedding(layers.Layer):
    def __init__(self, maxlen, vocab_size, embed_dim):
        super().__init__()
        self.token_emb = layers.Embedding(input_dim=vocab_size, output_dim=embed_dim)
        self.pos_emb = layers.Embedding(input_dim=maxlen, output_dim=embed_dim)

    def call(self, x):
        maxlen = ops.shape(x)[-1]
        positions = ops.arange(start=0, stop=maxlen, step=1)
        positions = self.pos_emb(positions)
        x = self.token_emb(x)
        return x + positions`;

    it('the transformer block: MultiHeadAttention (the catalogue rule) + the FFN Sequential and two LayerNormalizations (tfjs), as keras.io prints it', () => {
      const model = only(run(source(keras3Embedding)));
      const mha = only(
        run(`${K3}
x = keras.Input(shape=(200, 32))
model = keras.Model(x, layers.MultiHeadAttention(num_heads=2, key_dim=32)(x, x))
`),
      ).layers[1];
      assert.equal(mha.type, 'MultiHeadAttention');
      const rest = tfjsChain([200, 32], (tf) => [
        tf.layers.dense({ units: 32, activation: 'relu' }),
        tf.layers.dense({ units: 32 }),
        tf.layers.layerNormalization({ epsilon: 1e-6 }),
        tf.layers.layerNormalization({ epsilon: 1e-6 }),
      ]);
      const block = row(model, 'transformer_block');
      assert.equal(block.type, 'TransformerBlock');
      assert.deepEqual(numbers(block), {
        outputShape: [null, 200, 32],
        params: (mha.params ?? NaN) + rest.params,
        trainable: (mha.params ?? NaN) + rest.params,
        nonTrainable: 0,
      });
      assert.equal(block.params, 10656);
      assert.equal(model.totalParams, 657758);
      // The FFN Sequential made in __init__ is a sublayer, not a model of the file.
      assert.deepEqual(
        run(source(keras3Embedding)).models.map((m) => m.name),
        ['model'],
      );
    });

    it('token and position embedding: Keras 3 (ops.shape(x)[-1], ops.arange) and tf.keras (tf.shape(x)[-1], tf.range) as tfjs counts the two Embeddings', () => {
      const tfEmbedding = `import tensorflow as tf

class TokenAndPositionEmbedding(layers.Layer):
    def __init__(self, maxlen, vocab_size, embed_dim):
        super().__init__()
        self.token_emb = layers.Embedding(input_dim=vocab_size, output_dim=embed_dim)
        self.pos_emb = layers.Embedding(input_dim=maxlen, output_dim=embed_dim)

    def call(self, x):
        maxlen = tf.shape(x)[-1]
        positions = tf.range(start=0, limit=maxlen, delta=1)
        positions = self.pos_emb(positions)
        x = self.token_emb(x)
        return x + positions`;
      const want =
        tfjsChain([200], (tf) => [tf.layers.embedding({ inputDim: 20000, outputDim: 32 })]).params +
        tfjsChain([200], (tf) => [tf.layers.embedding({ inputDim: 200, outputDim: 32 })]).params;
      for (const embedding of [keras3Embedding, tfEmbedding]) {
        const model = only(run(source(embedding)));
        assert.deepEqual(numbers(row(model, 'token_and_position_embedding')), { outputShape: [null, 200, 32], params: want, trainable: want, nonTrainable: 0 });
        assert.equal(want, 646400);
      }
    });
  });

  describe('weights of the layer itself', () => {
    it('build(input_shape) with add_weight(shape=(input_shape[-1], units)): the real input shape; trainable=False counted apart; as tfjs counts Dense', () => {
      const result = run(`${TF}
class Linear(layers.Layer):
    def __init__(self, units=32):
        super().__init__()
        self.units = units

    def build(self, input_shape):
        self.w = self.add_weight(shape=(input_shape[-1], self.units), initializer="random_normal", trainable=True)
        self.b = self.add_weight(shape=(self.units,), initializer="zeros", trainable=True)
        self.steps = self.add_weight(shape=(), initializer="zeros", trainable=False)

    def call(self, inputs):
        return tf.matmul(inputs, self.w) + self.b

inputs = keras.Input(shape=(20,))
x = Linear(8)(inputs)
x = Linear(3)(x)
model = keras.Model(inputs, x)

seq = keras.Sequential([keras.Input(shape=(5,)), Linear(6), layers.Dense(2)])
`);
      const model = only(result);
      for (const [name, inDim, units] of [
        ['linear', 20, 8],
        ['linear_1', 8, 3],
      ] as const) {
        const dense = tfjsChain([inDim], (tf) => [tf.layers.dense({ units })]);
        assert.deepEqual(
          numbers(row(model, name)),
          { outputShape: dense.outputShape, params: dense.params + 1, trainable: dense.params, nonTrainable: 1 },
          name,
        );
      }
      const seq = only(result, 'seq');
      const dense = tfjsChain([5], (tf) => [tf.layers.dense({ units: 6 })]);
      assert.deepEqual(numbers(seq.layers[0]), { outputShape: dense.outputShape, params: dense.params + 1, trainable: dense.params, nonTrainable: 1 });
      assert.deepEqual(seq.layers[1].outputShape, [null, 2]);
      assert.equal(seq.totalParams, dense.params + 1 + 14);
    });

    it('tf.Variable attributes made in __init__ (initial_value=initializer(shape=...)): trainable and non-trainable', () => {
      const model = only(
        run(`${TF}
class VarLinear(layers.Layer):
    def __init__(self, units=32, input_dim=32):
        super().__init__()
        w_init = tf.random_normal_initializer()
        self.w = tf.Variable(initial_value=w_init(shape=(input_dim, units), dtype="float32"), trainable=True)
        self.b = tf.Variable(initial_value=tf.zeros((units,)), trainable=False)

    def call(self, inputs):
        return tf.matmul(inputs, self.w) + self.b

inputs = keras.Input(shape=(4,))
model = keras.Model(inputs, VarLinear(16, 4)(inputs))
`),
      );
      assert.deepEqual(numbers(row(model, 'var_linear')), { outputShape: [null, 16], params: 80, trainable: 64, nonTrainable: 16 });
    });
  });

  describe('where call() cannot be followed: unknown, named, and local', () => {
    it('a branch on a tensor value: the custom-layer warning names the condition; compute_output_shape gives the shape, with a note; a branch that does not depend on it stays exact', () => {
      const model = only(
        run(`${TF}
class Gate(layers.Layer):
    def call(self, x):
        if tf.reduce_sum(x) > 0:
            return x
        return x * 2

class Head(layers.Layer):
    def call(self, x):
        if tf.reduce_mean(x) > 0:
            return x[:, :4]
        return x[:, 4:]

    def compute_output_shape(self, input_shape):
        return (input_shape[0], 4)

inputs = keras.Input(shape=(8,))
a = Gate()(inputs)
a = layers.Dense(3)(a)
b = Head()(inputs)
b = layers.Dense(5)(b)
c = layers.Dense(7)(inputs)
model = keras.Model(inputs, [a, b, c])
`),
      );
      assert.deepEqual(numbers(row(model, 'gate')), { outputShape: null, params: null, trainable: null, nonTrainable: null });
      assert.deepEqual(row(model, 'dense').outputShape, null);
      assert.equal(row(model, 'dense').params, null);
      assert.deepEqual(row(model, 'head').outputShape, [null, 4]);
      assert.equal(row(model, 'head').params, null);
      assert.deepEqual(numbers(row(model, 'dense_1')), { outputShape: [null, 5], params: 25, trainable: 25, nonTrainable: 0 });
      assert.deepEqual(numbers(row(model, 'dense_2')), { outputShape: [null, 7], params: 63, trainable: 63, nonTrainable: 0 });
      const messages = warnings(model, 'custom-layer');
      assert.equal(messages.length, 2, messages.join('\n'));
      assert.match(messages[0], /`Gate`.*`tf\.reduce_sum\(x\) > 0`.*Shapes after it are unknown/);
      assert.match(messages[1], /`Head`.*`tf\.reduce_mean\(x\) > 0`.*`compute_output_shape`/);
    });

    it('an op LayerLens does not evaluate (Upscale calling tf.image.resize): the warning names the call, the rows after it stay', () => {
      const model = only(
        run(`import keras
import tensorflow as tf

@keras.saving.register_keras_serializable()
class Upscale(keras.Layer):
    def call(self, x):
        return tf.image.resize(x, (32, 32))

inputs = keras.Input(shape=(16, 16, 12))
x = Upscale()(inputs)
x = keras.layers.Conv2D(4, 3, padding="same")(x)
model = keras.Model(inputs, x)
`),
      );
      assert.deepEqual(
        model.layers.map((l) => l.name),
        ['input_layer', 'upscale', 'conv2d'],
      );
      assert.equal(row(model, 'upscale').outputShape, null);
      const [message] = warnings(model, 'custom-layer');
      assert.match(message, /`Upscale`.*`tf\.image\.resize\(x, \(32, 32\)\)`/);
    });

    it("PixelShuffle calling tf.nn.depth_to_space (TF's shape function, test/fixtures/ops.json): exact, and the Conv2D after it", () => {
      const model = only(
        run(`import keras
import tensorflow as tf

@keras.saving.register_keras_serializable()
class PixelShuffle(keras.Layer):
    def call(self, x):
        return tf.nn.depth_to_space(x, 2)

inputs = keras.Input(shape=(16, 16, 12))
x = PixelShuffle()(inputs)
x = keras.layers.Conv2D(4, 3, padding="same")(x)
model = keras.Model(inputs, x)
`),
      );
      assert.deepEqual(numbers(row(model, 'pixel_shuffle')), { outputShape: [null, 32, 32, 3], params: 0, trainable: 0, nonTrainable: 0 });
      assert.deepEqual(numbers(row(model, 'conv2d')), { outputShape: [null, 32, 32, 4], params: 3 * 3 * 3 * 4 + 4, trainable: 112, nonTrainable: 0 });
      assert.deepEqual(warnings(model, 'custom-layer'), []);
    });

    it('a call() that uses a tensor from outside, or returns no tensor: unknown, with the custom-layer warning saying so', () => {
      const model = only(
        run(`${TF}
outside = keras.Input(shape=(4,))

class Leak(layers.Layer):
    def call(self, x):
        return x + outside

class Nothing(layers.Layer):
    def call(self, x):
        return None

inputs = keras.Input(shape=(4,))
a = Leak()(inputs)
b = Nothing()(inputs)
model = keras.Model(inputs, [a, b])
`),
      );
      const messages = warnings(model, 'custom-layer');
      assert.equal(messages.length, 2, messages.join('\n'));
      assert.match(messages[0], /`Leak`.*a Keras tensor other than its inputs/);
      assert.match(messages[1], /`Nothing`.*does not return a Keras tensor/);
      assert.equal(row(model, 'leak').outputShape, null);
    });
  });

  it('sublayers made in build(), a subclass of a custom layer, blocks made in a loop (numbered), trainable=False: as tfjs counts Dense + BatchNormalization', () => {
    const model = only(
      run(`${K3}
class Block(layers.Layer):
    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.units = units

    def build(self, input_shape):
        self.dense = layers.Dense(self.units)
        self.norm = layers.BatchNormalization()
        super().build(input_shape)

    def call(self, x):
        return self.norm(self.dense(x))

class Residual(Block):
    def call(self, x):
        return x + self.norm(self.dense(x))

inputs = keras.Input(shape=(8,))
x = inputs
for i in range(2):
    x = Block(8)(x)
x = Residual(8)(x)
x = Block(4, trainable=False)(x)
model = keras.Model(inputs, x)
`),
    );
    const want = (units: number) => tfjsChain([8], (tf) => [tf.layers.dense({ units }), tf.layers.batchNormalization()]);
    assert.deepEqual(
      model.layers.map((l) => [l.name, l.type]),
      [
        ['input_layer', 'InputLayer'],
        ['block', 'Block'],
        ['block_1', 'Block'],
        ['residual', 'Residual'],
        ['block_2', 'Block'],
      ],
    );
    for (const name of ['block', 'block_1', 'residual']) {
      const w = want(8);
      assert.deepEqual(numbers(row(model, name)), { outputShape: w.outputShape, params: w.params, trainable: w.trainable, nonTrainable: w.nonTrainable }, name);
    }
    const frozen = want(4);
    assert.deepEqual(numbers(row(model, 'block_2')), { outputShape: frozen.outputShape, params: frozen.params, trainable: 0, nonTrainable: frozen.params });
  });

  it('a custom layer called twice is one row, its weights counted once, as Keras shares it', () => {
    const model = only(
      run(`${TF}
class Proj(layers.Layer):
    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.dense = layers.Dense(units)

    def call(self, x):
        return self.dense(x)

a = keras.Input(shape=(6,))
b = keras.Input(shape=(6,))
shared = Proj(4)
model = keras.Model([a, b], layers.Concatenate()([shared(a), shared(b)]))
`),
    );
    const proj = row(model, 'proj');
    assert.equal(proj.params, 28);
    assert.equal(proj.calls?.length, 2);
    assert.deepEqual(row(model, 'concatenate').outputShape, [null, 8]);
    assert.equal(model.totalParams, 28);
  });
});
