/**
 * Differential test of the analysis core against tfjs-layers: each model below is analysed from its
 * Python source, rebuilt in tfjs from `toTfjsModelConfig`, and every layer's output shape and parameter
 * counts are compared with what tfjs computes (see support/tfjsOracle.ts). No expected number is written
 * here: tfjs is the oracle.
 */
import assert from 'node:assert/strict';
import { analyze } from './support/metamorphic';
import { allRules } from '../../src/core/layers/catalogue';
import { isUnsupported, toTfjs, toTfjsModelConfig } from '../../src/core/tfjs/toTfjs';
import type { ModelResult } from '../../src/core/types';
import { checkModel, tfjs, type CheckKind } from './support/tfjsOracle';

interface Case {
  name: string;
  source: string;
  /** Layer types expected to be compared other than directly (emulated, shape-only or skipped). */
  expect?: Partial<Record<Exclude<CheckKind, 'tfjs'>, string[]>>;
}

const HEADER = 'from tensorflow import keras\nfrom tensorflow.keras import layers\n';

/** A list-style model with the given input shape and layer lines. */
function seq(shape: string, ...lines: string[]): string {
  return `${HEADER}model = keras.Sequential([\n    keras.Input(shape=${shape}),\n${lines.map((l) => `    layers.${l},\n`).join('')}])\n`;
}

const CASES: Case[] = [
  // Dense and activations.
  {
    name: 'mlp',
    source: seq('(784,)', 'Dense(128, activation="relu")', 'Dropout(0.2)', 'Dense(64, "tanh", use_bias=False)', 'Dense(10, activation="softmax")'),
  },
  { name: 'dense on rank 3 and 4', source: seq('(5, 7)', 'Dense(8)', 'Dense(3, activation="sigmoid")', 'Reshape((5, 3, 1))', 'Dense(4, activation="elu")') },
  {
    name: 'activation functions',
    source: seq(
      '(12,)',
      'Activation("relu")',
      'Activation("softplus")',
      'Activation("selu")',
      'Activation("gelu")',
      'Activation("swish")',
      'Activation("silu")',
      'Activation("relu6")',
      'Activation("softsign")',
      'Activation("log_softmax")',
      'Activation("mish")',
      'Dense(4, activation="linear")',
    ),
  },
  {
    name: 'advanced activations',
    source: seq(
      '(6, 5, 4)',
      'ReLU()',
      'ReLU(max_value=6.0)',
      'ReLU(negative_slope=0.1)',
      'LeakyReLU()',
      'LeakyReLU(negative_slope=0.2)',
      'ELU()',
      'Softmax()',
      'Softmax(axis=1)',
      'ThresholdedReLU(theta=0.5)',
      'PReLU()',
      'PReLU(shared_axes=[1, 2])',
      'PReLU(shared_axes=1)',
    ),
    expect: { emulated: ['Softmax'] },
  },
  {
    name: 'identity-like layers',
    source: seq(
      '(8, 8, 3)',
      'Identity()',
      'ActivityRegularization(l1=0.01)',
      'GaussianNoise(0.1)',
      'GaussianDropout(0.1)',
      'AlphaDropout(0.1)',
      'Masking(mask_value=0.0)',
    ),
    expect: { emulated: ['ActivityRegularization'] },
  },

  // Convolutions.
  {
    name: 'conv2d: strides, dilation, same and valid',
    source: seq(
      '(32, 32, 3)',
      'Conv2D(16, 3)',
      'Conv2D(16, (3, 5), strides=2, padding="same")',
      'Conv2D(8, 3, dilation_rate=2, activation="relu")',
      'Conv2D(8, (1, 3), strides=(1, 2), padding="valid", use_bias=False)',
      'Conv2D(4, 2, strides=3, padding="same")',
    ),
  },
  {
    name: 'conv2d channels_first',
    source: seq(
      '(3, 28, 30)',
      'Conv2D(8, 3, data_format="channels_first")',
      'Conv2D(6, (3, 2), strides=2, padding="same", data_format="channels_first")',
      'MaxPooling2D(data_format="channels_first")',
      'GlobalAveragePooling2D(data_format="channels_first")',
    ),
  },
  {
    name: 'conv1d: causal, strides, dilation',
    source: seq(
      '(50, 6)',
      'Conv1D(16, 5)',
      'Conv1D(16, 3, padding="causal", dilation_rate=4)',
      'Conv1D(8, 4, strides=3, padding="same")',
      'Conv1D(8, 3, strides=2, activation="relu")',
      'GlobalMaxPooling1D()',
    ),
    expect: { emulated: ['Conv1D'] },
  },
  {
    name: 'conv1d channels_first',
    source: seq('(4, 40)', 'Conv1D(8, 3, data_format="channels_first")', 'Conv1D(8, 5, strides=2, padding="same", data_format="channels_first")'),
    expect: { emulated: ['Conv1D', 'Conv1D'] },
  },
  {
    name: 'channels_first 2d layers run',
    source: seq(
      '(3, 20, 18)',
      'SeparableConv2D(8, 3, depth_multiplier=2, data_format="channels_first")',
      'DepthwiseConv2D(3, strides=2, padding="same", data_format="channels_first")',
      'BatchNormalization(axis=1)',
      'AveragePooling2D(2, data_format="channels_first")',
      'ZeroPadding2D(1, data_format="channels_first")',
      'Conv2DTranspose(4, 3, strides=2, padding="same", data_format="channels_first")',
      'Flatten(data_format="channels_first")',
    ),
    expect: { emulated: ['SeparableConv2D'] },
  },
  {
    name: 'channels_first 3d layers run',
    source: seq(
      '(2, 6, 7, 8)',
      'Conv3DTranspose(3, 2, strides=2, data_format="channels_first")',
      'MaxPooling3D(data_format="channels_first")',
      'Conv3D(4, 3, padding="same", data_format="channels_first")',
      'Flatten()',
    ),
  },
  {
    name: 'conv3d',
    source: seq(
      '(10, 12, 14, 2)',
      'Conv3D(4, 3)',
      'Conv3D(4, (3, 2, 1), strides=(1, 2, 2), padding="same")',
      'Conv3D(2, 2, dilation_rate=2)',
      'MaxPooling3D()',
      'Flatten()',
    ),
  },
  {
    name: 'conv3d channels_first',
    source: seq('(2, 9, 10, 11)', 'Conv3D(3, 3, data_format="channels_first")', 'AveragePooling3D(pool_size=2, strides=1, data_format="channels_first")'),
  },
  {
    name: 'separable and depthwise 2d',
    source: seq(
      '(24, 24, 8)',
      'SeparableConv2D(16, 3)',
      'SeparableConv2D(16, 3, depth_multiplier=3, padding="same", strides=2)',
      'SeparableConv2D(8, (3, 1), dilation_rate=2, use_bias=False)',
      'DepthwiseConv2D(3)',
      'DepthwiseConv2D((3, 3), strides=2, depth_multiplier=2, padding="same")',
      'DepthwiseConv2D(kernel_size=2, use_bias=False)',
    ),
  },
  {
    name: 'separable and depthwise 1d',
    source: seq(
      '(30, 4)',
      'SeparableConv1D(8, 3)',
      'SeparableConv1D(8, 5, depth_multiplier=2, strides=2, padding="same")',
      'DepthwiseConv1D(3, depth_multiplier=3)',
      'DepthwiseConv1D(3, strides=2, padding="same", use_bias=False)',
    ),
    expect: { emulated: ['SeparableConv1D', 'SeparableConv1D', 'DepthwiseConv1D', 'DepthwiseConv1D'] },
  },
  {
    name: 'conv2d transpose',
    source: seq(
      '(7, 9, 16)',
      'Conv2DTranspose(8, 3)',
      'Conv2DTranspose(8, 3, strides=2, padding="same")',
      'Conv2DTranspose(4, (4, 3), strides=(2, 3), padding="valid")',
      'Conv2DTranspose(4, 3, strides=2, padding="same", output_padding=1)',
      'Conv2DTranspose(2, 2, strides=3, output_padding=(1, 1))',
    ),
  },
  {
    name: 'conv2d transpose channels_first',
    source: seq(
      '(6, 5, 5)',
      'Conv2DTranspose(3, 3, strides=2, data_format="channels_first")',
      'Conv2DTranspose(3, 2, strides=2, padding="same", data_format="channels_first")',
    ),
  },
  {
    name: 'conv3d transpose',
    source: seq(
      '(4, 5, 6, 3)',
      'Conv3DTranspose(4, 3)',
      'Conv3DTranspose(2, (2, 3, 3), strides=2, padding="same")',
      'Conv3DTranspose(2, 3, strides=(1, 2, 2), output_padding=(0, 1, 1), padding="same")',
    ),
  },
  {
    name: 'conv1d transpose',
    source: seq('(10, 4)', 'Conv1DTranspose(8, 3)', 'Conv1DTranspose(4, 3, strides=2, padding="same")', 'Conv1DTranspose(4, 3, strides=2, output_padding=1)'),
    expect: { emulated: ['Conv1DTranspose', 'Conv1DTranspose'], skipped: ['Conv1DTranspose'] },
  },
  { name: 'grouped convolution', source: seq('(16, 16, 8)', 'Conv2D(16, 3, groups=4)', 'Conv2D(4, 1)'), expect: { skipped: ['Conv2D'] } },

  // Pooling.
  {
    name: 'pooling 2d',
    source: seq(
      '(33, 31, 3)',
      'MaxPooling2D()',
      'AveragePooling2D(pool_size=(3, 2), strides=(2, 1))',
      'MaxPool2D(pool_size=3, strides=2, padding="same")',
      'AvgPool2D(2, padding="same")',
      'GlobalMaxPooling2D()',
    ),
  },
  {
    name: 'pooling 1d',
    source: seq('(41, 5)', 'MaxPooling1D()', 'AveragePooling1D(pool_size=3, strides=2, padding="same")', 'MaxPool1D(4, strides=1)', 'GlobalAveragePooling1D()'),
  },
  {
    name: 'pooling 1d channels_first',
    source: seq('(5, 41)', 'MaxPooling1D(3, data_format="channels_first")', 'GlobalAveragePooling1D(data_format="channels_first")'),
    expect: { emulated: ['MaxPooling1D', 'GlobalAveragePooling1D'] },
  },
  {
    name: 'pooling 3d',
    source: seq('(9, 10, 11, 2)', 'MaxPooling3D(pool_size=(2, 3, 2))', 'AveragePooling3D(2, strides=1, padding="same")', 'GlobalMaxPooling3D()'),
    expect: { emulated: ['GlobalMaxPooling3D'] },
  },
  {
    name: 'global pooling keepdims',
    source: seq('(8, 9, 4)', 'GlobalAveragePooling2D(keepdims=True)', 'Reshape((1, 4))', 'GlobalMaxPooling1D(keepdims=True)', 'Flatten()'),
    expect: { emulated: ['GlobalAveragePooling2D', 'GlobalMaxPooling1D'] },
  },
  {
    name: 'global pooling 3d keepdims',
    source: seq('(3, 4, 5, 6)', 'GlobalAveragePooling3D(keepdims=True)'),
    expect: { emulated: ['GlobalAveragePooling3D'] },
  },
  {
    name: 'global pooling 2d keepdims channels_first',
    source: seq('(6, 4, 5)', 'GlobalMaxPooling2D(data_format="channels_first", keepdims=True)'),
    expect: { emulated: ['GlobalMaxPooling2D'] },
  },

  // Padding, cropping, upsampling.
  {
    name: 'zero padding and cropping 2d',
    source: seq(
      '(20, 22, 3)',
      'ZeroPadding2D()',
      'ZeroPadding2D(padding=(2, 3))',
      'ZeroPadding2D(((1, 2), (3, 4)))',
      'Cropping2D(cropping=((2, 1), (0, 3)))',
      'Cropping2D(2)',
      'Cropping2D((1, 2))',
    ),
  },
  {
    name: 'zero padding, cropping, upsampling channels_first',
    source: seq(
      '(3, 10, 12)',
      'ZeroPadding2D((1, 2), data_format="channels_first")',
      'Cropping2D(((1, 0), (2, 2)), data_format="channels_first")',
      'UpSampling2D((2, 3), data_format="channels_first")',
    ),
  },
  { name: 'upsampling 2d', source: seq('(7, 5, 2)', 'UpSampling2D()', 'UpSampling2D(size=(3, 1), interpolation="bilinear")', 'UpSampling2D(2)') },
  {
    name: 'padding 1d and 3d',
    source: seq(
      '(10, 4)',
      'ZeroPadding1D()',
      'ZeroPadding1D(padding=(2, 5))',
      'Cropping1D()',
      'Cropping1D(cropping=(3, 0))',
      'UpSampling1D()',
      'UpSampling1D(size=3)',
    ),
    expect: { emulated: ['ZeroPadding1D', 'ZeroPadding1D', 'Cropping1D', 'Cropping1D', 'UpSampling1D', 'UpSampling1D'] },
  },
  {
    name: 'padding 3d',
    source: seq(
      '(4, 5, 6, 2)',
      'ZeroPadding3D()',
      'ZeroPadding3D(padding=(1, 2, 3))',
      'ZeroPadding3D(((0, 1), (2, 0), (1, 1)))',
      'Cropping3D(cropping=((1, 0), (2, 1), (0, 3)))',
      'Cropping3D(1)',
      'UpSampling3D()',
      'UpSampling3D(size=(1, 2, 3))',
    ),
    expect: { emulated: ['ZeroPadding3D', 'ZeroPadding3D', 'ZeroPadding3D', 'Cropping3D', 'Cropping3D', 'UpSampling3D', 'UpSampling3D'] },
  },
  {
    name: 'padding 3d channels_first',
    source: seq(
      '(2, 4, 5, 6)',
      'ZeroPadding3D(padding=(1, 2, 3), data_format="channels_first")',
      'Cropping3D(((1, 0), (0, 1), (2, 2)), data_format="channels_first")',
      'UpSampling3D((2, 1, 2), data_format="channels_first")',
    ),
    expect: { emulated: ['ZeroPadding3D', 'Cropping3D', 'UpSampling3D'] },
  },

  // Normalisation.
  {
    name: 'batch normalization',
    source: seq(
      '(16, 16, 3)',
      'Conv2D(8, 3)',
      'BatchNormalization()',
      'BatchNormalization(axis=1)',
      'BatchNormalization(center=False)',
      'BatchNormalization(scale=False, momentum=0.9, epsilon=1e-5)',
      'Flatten()',
      'BatchNormalization()',
    ),
  },
  { name: 'frozen layers', source: seq('(10,)', 'Dense(5, trainable=False)', 'BatchNormalization(trainable=False)', 'Dense(3)') },
  {
    name: 'frozen wrappers and wrapped layers',
    source: seq(
      '(5, 3)',
      'Bidirectional(LSTM(4, return_sequences=True, trainable=False))',
      'TimeDistributed(Dense(2, trainable=False))',
      'TimeDistributed(Dense(2), trainable=False)',
      'TimeDistributed(BatchNormalization(), trainable=False)',
      'Bidirectional(SimpleRNN(4), trainable=False)',
    ),
  },
  {
    name: 'layer normalization',
    source: seq(
      '(6, 7, 8)',
      'LayerNormalization()',
      'LayerNormalization(axis=1)',
      'LayerNormalization(axis=[1, 2])',
      'LayerNormalization(axis=(-1, -2), center=False)',
      'LayerNormalization(scale=False)',
    ),
  },

  // Reshaping.
  {
    name: 'reshape, permute, repeat, flatten',
    source: seq(
      '(4, 6, 2)',
      'Reshape((-1, 4))',
      'Permute((2, 1))',
      'Reshape((2, 2, -1))',
      'Permute((3, 1, 2))',
      'Flatten()',
      'RepeatVector(3)',
      'Reshape((-1,))',
      'Flatten()',
    ),
  },
  { name: 'flatten channels_first', source: seq('(3, 4, 5)', 'Flatten(data_format="channels_first")', 'Dense(2)') },

  // Preprocessing.
  {
    name: 'rescaling, resizing, center crop',
    source: seq(
      '(40, 50, 3)',
      'Rescaling(1.0 / 255)',
      'Rescaling(scale=2.0, offset=-1.0)',
      'Resizing(32, 30)',
      'CenterCrop(20, 24)',
      'Resizing(16, 16, interpolation="nearest")',
      'Conv2D(4, 3)',
    ),
    expect: { emulated: ['Resizing', 'CenterCrop', 'Resizing'] },
  },
  {
    name: 'random augmentation',
    source: seq('(32, 32, 3)', 'RandomFlip("horizontal")', 'RandomRotation(0.1)', 'RandomZoom(0.2)', 'RandomCrop(24, 20)', 'Conv2D(4, 3)'),
    expect: { emulated: ['RandomFlip', 'RandomRotation', 'RandomZoom', 'RandomCrop'] },
  },
  { name: 'category encoding', source: seq('(3,)', 'CategoryEncoding(num_tokens=10)', 'Dense(2)'), expect: { emulated: ['CategoryEncoding'] } },
  {
    name: 'category encoding one_hot',
    source: seq('(1,)', 'CategoryEncoding(6, output_mode="one_hot")', 'Dense(2)'),
    expect: { emulated: ['CategoryEncoding'] },
  },
  {
    // tfjs draws the new side on every call (test/unit/augmentation.test.ts runs it): nothing to compare it with.
    name: 'random height and width (tf.keras 2)',
    source: seq('(32, 32, 3)', 'RandomHeight(0.2)', 'RandomWidth((-0.1, 0.3))', 'Conv2D(4, 3)'),
    expect: { skipped: ['RandomHeight', 'RandomWidth'] },
  },
  { name: 'normalization layer', source: seq('(10,)', 'Normalization()', 'Dense(2)'), expect: { skipped: ['Normalization'] } },

  // Embedding and recurrent layers.
  { name: 'embedding', source: seq('(20,)', 'Embedding(1000, 16)', 'GlobalAveragePooling1D()', 'Dense(1, activation="sigmoid")') },
  { name: 'embedding with mask and rank 3 input', source: seq('(4, 5)', 'Embedding(input_dim=50, output_dim=3, mask_zero=True)', 'Reshape((20, 3))') },
  {
    name: 'recurrent layers',
    source: seq(
      '(25, 8)',
      'SimpleRNN(16, return_sequences=True)',
      'LSTM(12, return_sequences=True)',
      'GRU(10, reset_after=False, return_sequences=True)',
      'LSTM(6, activation="relu", use_bias=False, return_sequences=True)',
      'GRU(5, reset_after=False, go_backwards=True, return_sequences=True)',
      'SimpleRNN(4, use_bias=False)',
      'Dense(1)',
    ),
  },
  {
    name: 'gru with reset_after (Keras default)',
    source: seq('(25, 8)', 'GRU(10, return_sequences=True)', 'GRU(4)'),
    expect: { 'shape-only': ['GRU', 'GRU'] },
  },
  {
    name: 'bidirectional',
    source: seq(
      '(12, 6)',
      'Bidirectional(LSTM(8, return_sequences=True))',
      'Bidirectional(GRU(4, reset_after=False, return_sequences=True), merge_mode="sum")',
      'Bidirectional(SimpleRNN(5, return_sequences=True), merge_mode="mul")',
      'Bidirectional(layers.LSTM(3), merge_mode="ave")',
    ),
  },
  { name: 'bidirectional gru reset_after', source: seq('(12, 6)', 'Bidirectional(GRU(4))'), expect: { 'shape-only': ['Bidirectional'] } },
  {
    name: 'text classifier',
    source: seq(
      '(100,)',
      'Embedding(5000, 32)',
      'SpatialDropout1D(0.2)',
      'Conv1D(32, 5, activation="relu")',
      'MaxPooling1D(2)',
      'Bidirectional(LSTM(16))',
      'Dropout(0.5)',
      'Dense(1, activation="sigmoid")',
    ),
  },

  {
    name: 'conv lstm 2d',
    source: seq(
      '(4, 12, 12, 2)',
      'ConvLSTM2D(4, 3, return_sequences=True)',
      'ConvLSTM2D(3, (3, 3), strides=2, padding="same", use_bias=False)',
      'Flatten()',
      'Dense(2)',
    ),
  },

  // Wrappers.
  {
    name: 'time distributed',
    source: seq(
      '(5, 16, 16, 3)',
      'TimeDistributed(Conv2D(8, 3, activation="relu"))',
      'TimeDistributed(MaxPooling2D())',
      'TimeDistributed(BatchNormalization())',
      'TimeDistributed(Flatten())',
      'TimeDistributed(Dense(10))',
      'LSTM(4)',
    ),
  },
  {
    name: 'time distributed dense on rank 3',
    source: seq('(7, 9)', 'TimeDistributed(Dense(5))', 'TimeDistributed(Dropout(0.1))', 'TimeDistributed(Dense(2, activation="softmax"))'),
  },

  // Dropout family and masking.
  {
    name: 'dropout family',
    source: seq(
      '(10, 12, 3)',
      'Dropout(0.3)',
      'Dropout(0.3, noise_shape=(None, 1, 1, 3))',
      'SpatialDropout2D(0.2)',
      'Reshape((120, 3))',
      'SpatialDropout1D(0.1)',
      'Masking()',
    ),
    expect: { emulated: ['SpatialDropout2D'] },
  },
  { name: 'spatial dropout 3d', source: seq('(4, 5, 6, 2)', 'SpatialDropout3D(0.2)', 'Conv3D(2, 2)'), expect: { emulated: ['SpatialDropout3D'] } },

  // Input given other ways, and book style.
  {
    name: 'book style with input_shape and batch size',
    source: `${HEADER}model = keras.models.Sequential()\nmodel.add(layers.Conv2D(32, (3, 3), activation='relu', input_shape=(28, 28, 1), batch_size=8))\nmodel.add(layers.MaxPooling2D((2, 2)))\nmodel.add(layers.Conv2D(64, (3, 3), activation='relu'))\nmodel.add(layers.Flatten())\nmodel.add(layers.Dense(10))\n`,
  },
  { name: 'model.build', source: `${HEADER}model = keras.Sequential([layers.Dense(4), layers.Dense(2)])\nmodel.build((None, 7))\n` },
  { name: 'layerlens comment', source: `${HEADER}# layerlens: input_shape=(16, 3)\nmodel = keras.Sequential([layers.Conv1D(4, 3), layers.Flatten()])\n` },
];

function analyseOne(source: string): ModelResult {
  const result = analyze(source);
  assert.equal(result.models.length, 1, `expected one model in:\n${source}`);
  const model = result.models[0];
  const errors = [...result.diagnostics, ...model.diagnostics].filter((d) => d.severity === 'error');
  assert.deepEqual(
    errors.map((d) => d.message),
    [],
    `the core reports errors for:\n${source}`,
  );
  for (const layer of model.layers) assert.ok(layer.outputShape, `the core has no output shape for layer ${layer.index} ${layer.type} in:\n${source}`);
  return model;
}

describe('oracle: core vs tfjs-layers', function () {
  this.timeout(120000);
  const kinds = new Set<string>();

  before(() => {
    tfjs();
  });

  for (const c of CASES) {
    it(c.name, () => {
      const model = analyseOne(c.source);
      const report = checkModel(model, { run: true });
      const context = `\n--- source ---\n${c.source}--- checks ---\n${report.checks.map((k) => `${k.index} ${k.type}: ${k.kind}${k.note ? ` (${k.note})` : ''}`).join('\n')}`;
      assert.deepEqual(report.mismatches, [], `core and tfjs disagree${context}`);
      assert.equal(report.checks.length, model.layers.length, `every layer is checked${context}`);
      for (const kind of ['emulated', 'shape-only', 'skipped'] as const) {
        const got = report.checks.filter((k) => k.kind === kind).map((k) => k.type);
        assert.deepEqual(got, c.expect?.[kind] ?? [], `${kind} layers${context}`);
      }
      for (const k of report.checks) if (k.kind !== 'skipped') kinds.add(k.type);
    });
  }

  after(() => {
    // Not an assertion: how much of the catalogue the table covers.
    console.log(`      ${CASES.length} models, ${kinds.size} layer kinds compared with tfjs`);
  });
});

describe('toTfjs', () => {
  const layerOf = (source: string, index = 0) => analyseOne(source).layers[index];

  it('writes tfjs class names, camelCase keys and the input shape on the first layer', () => {
    const model = analyseOne(seq('(28, 28, 1)', 'Conv2D(8, 3, strides=2, padding="same", activation="relu")', 'MaxPooling2D()'));
    const config = toTfjsModelConfig(model);
    assert.deepEqual(config.unsupported, []);
    assert.deepEqual(config.layers[0], {
      className: 'Conv2D',
      config: {
        filters: 8,
        kernelSize: [3, 3],
        strides: [2, 2],
        padding: 'same',
        dataFormat: 'channelsLast',
        dilationRate: [1, 1],
        activation: 'relu',
        useBias: true,
        kernelInitializer: { className: 'GlorotUniform', config: {} },
        name: 'conv2d',
        batchInputShape: [null, 28, 28, 1],
      },
    });
    assert.deepEqual(config.layers[1], {
      className: 'MaxPooling2D',
      config: { poolSize: [2, 2], padding: 'valid', dataFormat: 'channelsLast', name: 'max_pooling2d' },
    });
  });

  it('writes Keras’ recurrent defaults explicitly where tfjs’ differ', () => {
    const c = toTfjs(layerOf(seq('(5, 3)', 'Bidirectional(LSTM(4, return_sequences=True))')));
    assert.deepEqual(c, {
      className: 'Bidirectional',
      config: {
        layer: {
          className: 'LSTM',
          config: {
            units: 4,
            activation: 'tanh',
            useBias: true,
            returnSequences: true,
            goBackwards: false,
            stateful: false,
            recurrentActivation: 'sigmoid',
            unitForgetBias: true,
            kernelInitializer: { className: 'GlorotUniform', config: {} },
            recurrentInitializer: { className: 'Orthogonal', config: {} },
          },
        },
        mergeMode: 'concat',
        name: 'bidirectional',
      },
    });
  });

  it('refuses what tfjs cannot compute, with a reason', () => {
    const reasons = [
      'GRU(4)',
      'Conv2D(4, 3, groups=2)',
      'Conv1DTranspose(4, 3)',
      'Activation("hard_sigmoid")',
      'Activation("exponential")',
      'Normalization()',
      'Bidirectional(GRU(3))',
      'ELU(alpha=0.5)',
      'Conv2DTranspose(4, 3, strides=2, output_padding=1)',
      'Resizing(3, 3)',
      'Conv1D(4, 3, padding="causal")',
      'Conv1D(4, 3, data_format="channels_first")',
      'CenterCrop(3, 3)',
      'Softmax(axis=1)',
    ].map((l) => {
      const shape = /^(GRU|Conv1D|Bidirectional)/.test(l) ? '(6, 4)' : '(6, 6, 4)';
      const c = toTfjs(layerOf(seq(shape, l)));
      assert.ok(isUnsupported(c), `${l} should be unsupported: ${JSON.stringify(c)}`);
      return c.unsupported;
    });
    for (const r of reasons) assert.match(r, /\w+ \w+/);
  });

  it('stops the model config before the first unsupported layer and lists it', () => {
    const model = analyseOne(seq('(10, 4)', 'LSTM(4, return_sequences=True)', 'GRU(3, return_sequences=True)', 'Dense(2)'));
    const config = toTfjsModelConfig(model);
    assert.equal(config.layers.length, 1);
    assert.deepEqual(
      config.unsupported.map((u) => [u.index, u.type]),
      [[1, 'GRU']],
    );
  });

  it('never throws, and names only tfjs layer classes, for every catalogue layer and odd arguments', () => {
    const tf = tfjs();
    const classes = tf.serialization.SerializationMap.getMap().classNameMap;
    const isLayer = (name: string) => !!classes[name] && classes[name][0].prototype instanceof tf.layers.Layer;
    const configs: Record<string, unknown>[] = [
      {},
      { units: 'x', filters: -1, rate: null },
      { kernel_size: [1, 2, 3, 4], strides: 'same', pool_size: [2] },
      { padding: 5, cropping: [[1], 2], size: 'big' },
      { activation: 7, recurrent_activation: null, data_format: 'channels_middle' },
      { axis: null, target_shape: [null, 3], dims: 'x', n: 1.5 },
      { layer: 'LSTM', merge_mode: 'avg', shared_axes: ['a'] },
    ];
    for (const rule of allRules())
      for (const config of configs)
        for (const inner of [undefined, { type: 'LSTM', config: { units: 2 } }, { type: 'Dense', config: {} }, { type: 'Nope', config: {} }]) {
          const c = toTfjs({ type: rule.type, config, inner, inputShape: [null, 4, 4, 2] });
          if (isUnsupported(c)) assert.ok(c.unsupported.length > 10, `${rule.type}: ${c.unsupported}`);
          else assert.ok(isLayer(c.className), `${rule.type} → ${c.className}, not a tfjs layer`);
        }
  });

  it('says why a model without input shape cannot be built', () => {
    const result = analyze(`${HEADER}model = keras.Sequential([layers.Dense(3)])\n`);
    const config = toTfjsModelConfig(result.models[0]);
    assert.ok(config.reason);
  });
});

describe('Keras checks tfjs does not make (conv rules)', () => {
  // Keras' convolution constructors refuse these; tfjs builds them, so the oracle cannot see them.
  const errors = (line: string) =>
    analyze(seq('(16, 16, 3)', line))
      .models[0].diagnostics.filter((d) => d.severity === 'error')
      .map((d) => d.message);

  it('strides > 1 with dilation_rate > 1', () => {
    for (const l of [
      'Conv2D(4, 3, strides=2, dilation_rate=2)',
      'SeparableConv2D(4, 3, strides=(1, 2), dilation_rate=(2, 1))',
      'DepthwiseConv2D(3, strides=2, dilation_rate=2)',
      'Conv2DTranspose(4, 3, strides=2, dilation_rate=2)',
    ])
      assert.match(errors(l).join('\n'), /`strides > 1` not supported in conjunction with `dilation_rate > 1`/, l);
    assert.deepEqual(errors('Conv2D(4, 3, dilation_rate=2)'), []);
  });

  it('output_padding at least the stride', () => {
    assert.match(errors('Conv2DTranspose(4, 3, strides=2, output_padding=2)').join('\n'), /`output_padding` must be < `strides`/);
    assert.match(errors('Conv2DTranspose(4, 3, output_padding=(0, 1))').join('\n'), /`output_padding` must be < `strides`/);
    assert.deepEqual(errors('Conv2DTranspose(4, 3, strides=2, output_padding=1)'), []);
  });
});
