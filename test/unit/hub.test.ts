/**
 * TensorFlow Hub image models (issue 21 §9): `hub.KerasLayer(handle, …)` as one `KerasLayer` row with the output
 * shape and parameters tf.keras prints for it. The models are written in the idioms of public notebooks and READMEs
 * that use TF Hub for transfer learning (each case names what it follows); the expected numbers are those their
 * printed `model.summary()` tables show, or, where a case says so, derived from the architecture
 * (src/core/hub/models.ts says which is which). An unknown handle is named, never guessed.
 */
import { strict as assert } from 'node:assert';
import { formatTable } from '../../src/core/format';
import { resolveHubHandle } from '../../src/core/hub/handles';
import { HUB_ARCHITECTURES } from '../../src/core/hub/models';
import type { ModelResult } from '../../src/core/types';
import { analyze } from './support/metamorphic';

const TF = 'import tensorflow as tf\nimport tensorflow_hub as hub\n';

/** The rows as tf.keras prints them: name (type), output shape, parameters. */
const rows = (m: ModelResult) => m.layers.map((l) => [`${l.name} (${l.type})`, JSON.stringify(l.outputShape), l.params]);
const totals = (m: ModelResult) => [m.totalParams, m.trainableParams, m.nonTrainableParams];
const only = (source: string): ModelResult => {
  const models = analyze(source).models;
  assert.equal(models.length, 1);
  return models[0];
};

describe('TF Hub image models: hub.KerasLayer', function () {
  this.timeout(60000);

  it('a feature extractor frozen by its attribute, then a softmax head (a Korean transfer-learning README; printed)', () => {
    const m = only(`${TF}from tensorflow.keras import layers
feature_extractor_url = "https://tfhub.dev/google/tf2-preview/mobilenet_v2/feature_vector/4"
feature_extractor_layer = hub.KerasLayer(feature_extractor_url,
                                         input_shape=(224,224,3))
feature_extractor_layer.trainable = False
model = tf.keras.Sequential([
  feature_extractor_layer,
  layers.Dense(3, activation='softmax')
])
`);
    assert.deepEqual(rows(m), [
      ['keras_layer (KerasLayer)', '[null,1280]', 2257984],
      ['dense (Dense)', '[null,3]', 3843],
    ]);
    assert.deepEqual(totals(m), [2261827, 3843, 2257984]);
    assert.deepEqual(m.diagnostics, []);
  });

  it('the ImageNet classifier alone: 1001 classes, background first (Korean notebooks on ImageNetV2; printed)', () => {
    const m = only(`${TF}mobile_net_url = "https://tfhub.dev/google/tf2-preview/mobilenet_v2/classification/2"
model = tf.keras.Sequential([
    hub.KerasLayer(handle=mobile_net_url, input_shape=(224,224,3), trainable=False)
])
`);
    assert.deepEqual(rows(m), [['keras_layer (KerasLayer)', '[null,1001]', 3540265]]);
    assert.deepEqual(totals(m), [3540265, 0, 3540265]);
  });

  it('a dog-breed create_model() built with model.build([None, 224, 224, 3]) (printed)', () => {
    const source = (url: string, classes: number, activation: string) => `${TF}IMG_SIZE = 224
INPUT_SHAPE = [None, IMG_SIZE, IMG_SIZE, 3]
OUTPUT_SHAPE = ${classes}
MODEL_URL = "${url}"

def create_model(input_shape=INPUT_SHAPE, output_shape=OUTPUT_SHAPE, model_url=MODEL_URL):
    print("Building model with:", model_url)
    model = tf.keras.Sequential([
        hub.KerasLayer(model_url),
        tf.keras.layers.Dense(units=output_shape, activation="${activation}")
    ])
    model.compile(loss=tf.keras.losses.CategoricalCrossentropy(), optimizer=tf.keras.optimizers.Adam(), metrics=["accuracy"])
    model.build(input_shape)
    return model

model = create_model()
model.summary()
`;
    const dogs = only(source('https://tfhub.dev/google/imagenet/mobilenet_v2_130_224/classification/5', 120, 'softmax'));
    assert.deepEqual(rows(dogs), [
      ['keras_layer (KerasLayer)', '[null,1001]', 5432713],
      ['dense (Dense)', '[null,120]', 120240],
    ]);
    assert.deepEqual(totals(dogs), [5552953, 120240, 5432713]);
    // The same with the Kaggle Models handle of that model.
    const kaggle = only(source('https://www.kaggle.com/models/google/mobilenet-v2/TensorFlow2/130-224-classification/2', 120, 'softmax'));
    assert.deepEqual(totals(kaggle), [5552953, 120240, 5432713]);
    const cats = only(source('https://tfhub.dev/google/imagenet/mobilenet_v2_140_224/classification/4', 2, 'sigmoid'));
    assert.deepEqual(rows(cats), [
      ['keras_layer (KerasLayer)', '[null,1001]', 6158505],
      ['dense (Dense)', '[null,2]', 2004],
    ]);
  });

  it('feature vectors behind Rescaling, named by name= (a transfer-learning notebook comparing ResNet and EfficientNet; printed)', () => {
    const source = (url: string) => `${TF}from tensorflow.keras.layers import Rescaling
IMG_SHAPE = (224, 224)

def create_model(model_url, num_classes):
    feature_extractor_layer = hub.KerasLayer(model_url, trainable=False, name='feature_extractor_layer')
    model = tf.keras.Sequential([
        Rescaling(1./255, input_shape=IMG_SHAPE+(3,)),
        feature_extractor_layer,
        tf.keras.layers.Dense(num_classes, activation='softmax', name='output_layer')
    ])
    return model

model = create_model("${url}", 10)
`;
    const resnet = only(source('https://tfhub.dev/google/imagenet/resnet_v2_50/feature_vector/5'));
    assert.deepEqual(rows(resnet), [
      ['rescaling (Rescaling)', '[null,224,224,3]', 0],
      ['feature_extractor_layer (KerasLayer)', '[null,2048]', 23564800],
      ['output_layer (Dense)', '[null,10]', 20490],
    ]);
    assert.deepEqual(totals(resnet), [23585290, 20490, 23564800]);
    assert.deepEqual(totals(only(source('https://tfhub.dev/tensorflow/efficientnet/b0/feature-vector/1'))), [4062374, 12810, 4049564]);
    const b4 = only(source('https://tfhub.dev/tensorflow/efficientnet/b4/feature-vector/1'));
    assert.deepEqual(rows(b4)[1], ['feature_extractor_layer (KerasLayer)', '[null,1792]', 17673816]);
    assert.deepEqual(totals(b4), [17691746, 17930, 17673816]);
  });

  it('frozen feature vectors with a Dense(5) head (the Intel Transfer Learning Tool docs; printed)', () => {
    const source = (url: string) => `${TF}model = tf.keras.Sequential([
    hub.KerasLayer("${url}", input_shape=(224, 224, 3), trainable=False),
    tf.keras.layers.Dense(5),
])
`;
    assert.deepEqual(totals(only(source('https://tfhub.dev/google/imagenet/resnet_v1_50/feature_vector/5'))), [23571397, 10245, 23561152]);
    assert.deepEqual(totals(only(source('https://tfhub.dev/tensorflow/efficientnet/b0/feature-vector/1'))), [4055969, 6405, 4049564]);
  });

  it('a Functional model: x = hub_layer(inputs), fine-tuned (a brain-MRI project on Kaggle’s Inception V3; printed)', () => {
    const m = only(`${TF}from tensorflow.keras import layers
url = "https://www.kaggle.com/models/google/inception-v3/TensorFlow2/feature-vector/2"
hub_layer = hub.KerasLayer(url, trainable=True)
inputs = tf.keras.Input(shape=(299, 299, 3))
x = hub_layer(inputs)
x = layers.Dropout(0.5)(x)
outputs = layers.Dense(3, activation="softmax")(x)
model = tf.keras.Model(inputs, outputs)
`);
    assert.deepEqual(rows(m), [
      ['input_layer (InputLayer)', '[null,299,299,3]', 0],
      ['keras_layer (KerasLayer)', '[null,2048]', 21802784],
      ['dropout (Dropout)', '[null,2048]', 0],
      ['dense (Dense)', '[null,3]', 6147],
    ]);
    // trainable=True: the batch normalization moving statistics stay non-trainable, as Keras prints.
    assert.deepEqual(totals(m), [21808931, 21774499, 34432]);
  });

  it('trainable=True keeps the moving statistics non-trainable (MobileNetV3 Small and EfficientNetV2-S; printed)', () => {
    const small = only(`${TF}model = tf.keras.Sequential([
    hub.KerasLayer("https://tfhub.dev/google/imagenet/mobilenet_v3_small_100_224/feature_vector/5", trainable=True, input_shape=(224, 224, 3)),
    tf.keras.layers.Dropout(0.2),
    tf.keras.layers.Dense(7, activation="softmax"),
])
`);
    assert.deepEqual(rows(small)[0], ['keras_layer (KerasLayer)', '[null,1024]', 1529968]);
    assert.deepEqual(totals(small), [1537143, 1525031, 12112]);
    const v2s = only(`${TF}model = tf.keras.Sequential([
    tf.keras.Input(shape=(512, 512, 3)),
    hub.KerasLayer("https://www.kaggle.com/models/google/efficientnet-v2/frameworks/TensorFlow2/variations/imagenet1k-s-feature-vector/versions/2", trainable=True),
    tf.keras.layers.Dense(3, activation="softmax"),
])
`);
    assert.deepEqual(rows(v2s)[0], ['keras_layer (KerasLayer)', '[null,1280]', 20331360]);
    assert.deepEqual(totals(v2s), [20335203, 20181331, 153872]);
  });

  it('EfficientNetV2-M (ImageNet-21k, fine-tuned on 1k) and ResNet V2 152, frozen (a pizza-vs-ice-cream project, a landscape classifier; printed)', () => {
    const m = only(`${TF}from tensorflow.keras import layers
IMG_SIZE = 480
FEATURE_EXTRACTOR_URL = 'https://tfhub.dev/google/imagenet/efficientnet_v2_imagenet21k_ft1k_m/feature_vector/2'
model = tf.keras.Sequential([
    hub.KerasLayer(FEATURE_EXTRACTOR_URL, trainable=False, input_shape=(IMG_SIZE, IMG_SIZE, 3)),
    layers.Dense(2, activation='softmax')
])
`);
    assert.deepEqual(totals(m), [53152950, 2562, 53150388]);
    const resnet = only(`${TF}model = tf.keras.Sequential([
    hub.KerasLayer("https://tfhub.dev/google/imagenet/resnet_v2_152/feature_vector/5", input_shape=(224, 224, 3)),
    tf.keras.layers.Dropout(0.2),
    tf.keras.layers.Dense(5, activation="softmax"),
])
`);
    assert.deepEqual(totals(resnet), [58341893, 10245, 58331648]);
  });

  it('tensorflow_hub under any name: `from tensorflow_hub import KerasLayer`, `import tensorflow_hub as tfhub`', () => {
    const url = 'https://tfhub.dev/google/imagenet/mobilenet_v2_100_224/feature_vector/5';
    const fromImport = only(
      `import tensorflow as tf\nfrom tensorflow_hub import KerasLayer\nmodel = tf.keras.Sequential([KerasLayer("${url}", input_shape=(224, 224, 3)), tf.keras.layers.Dense(3)])\n`,
    );
    const alias = only(
      `import tensorflow as tf\nimport tensorflow_hub as tfhub\nmodel = tf.keras.Sequential([tfhub.KerasLayer("${url}", input_shape=(224, 224, 3)), tf.keras.layers.Dense(3)])\n`,
    );
    for (const m of [fromImport, alias]) {
      assert.deepEqual(rows(m)[0], ['keras_layer (KerasLayer)', '[null,1280]', 2257984]);
      assert.deepEqual(totals(m), [2261827, 3843, 2257984]);
    }
  });

  it('a handle built with an f-string, or picked from a dict of handles (model_handle_map notebooks; derived numbers)', () => {
    const m = only(`${TF}version = 5
depth = 50
handle = f"https://tfhub.dev/google/imagenet/resnet_v2_{depth}/classification/{version}"
model = tf.keras.Sequential([hub.KerasLayer(handle, trainable=True, input_shape=(224, 224, 3))])
`);
    // Derived: ResNet50V2 without top (23,564,800) and TF-Slim's 1001-way classifier on 2048 features.
    assert.deepEqual(rows(m), [['keras_layer (KerasLayer)', '[null,1001]', 23564800 + 2049 * 1001]]);
    assert.deepEqual(totals(m), [25615849, 25570409, 45440]);
    const picked = only(`${TF}model_name = "efficientnetv2-b0"
model_handle_map = {
  "efficientnetv2-b0": "https://tfhub.dev/google/imagenet/efficientnet_v2_imagenet1k_b0/feature_vector/2",
  "efficientnet_b0": "https://tfhub.dev/tensorflow/efficientnet/b0/feature-vector/1",
}
model_handle = model_handle_map.get(model_name)
model = tf.keras.Sequential([
    tf.keras.layers.InputLayer(input_shape=(224, 224, 3)),
    hub.KerasLayer(model_handle, trainable=False),
    tf.keras.layers.Dense(4),
])
`);
    assert.deepEqual(rows(picked)[0], ['keras_layer (KerasLayer)', '[null,1280]', 5919312]);
  });

  it('a handle that cannot be resolved is named; the rows before it stay exact', () => {
    const m = only(`${TF}import os
model = tf.keras.Sequential([
    tf.keras.layers.Rescaling(1./255, input_shape=(224, 224, 3)),
    hub.KerasLayer(os.environ["TFHUB_MODULE"], trainable=False),
    tf.keras.layers.Dense(4),
])
`);
    assert.deepEqual(rows(m)[0], ['rescaling (Rescaling)', '[null,224,224,3]', 0]);
    assert.deepEqual(rows(m)[1], ['keras_layer (KerasLayer)', 'null', null]);
    assert.equal(m.totalParams, null);
    const named = m.diagnostics.find((d) => d.code === 'unresolved-value');
    assert.ok(named && /os\.environ\["TFHUB_MODULE"\]/.test(named.message), JSON.stringify(m.diagnostics));
    assert.ok(m.diagnostics.some((d) => d.code === 'incomplete-model'));
  });

  it('an unknown handle (a text embedding, TF1’s Hub format, a classifier whose head is not known) is named, not guessed', () => {
    const text = only(`${TF}embedding = "https://tfhub.dev/google/nnlm-en-dim20/2"
hub_layer = hub.KerasLayer(embedding, input_shape=[], dtype=tf.string, trainable=True)
model = tf.keras.Sequential()
model.add(hub_layer)
model.add(tf.keras.layers.Dense(16, activation='relu'))
model.add(tf.keras.layers.Dense(1, activation='sigmoid'))
`);
    assert.deepEqual(rows(text)[0], ['keras_layer (KerasLayer)', 'null', null]);
    // What follows depends on the unknown output: unknown too, not guessed.
    assert.deepEqual(rows(text).slice(1), [
      ['dense (Dense)', 'null', null],
      ['dense_1 (Dense)', 'null', null],
    ]);
    const warning = text.diagnostics.find((d) => d.code === 'unknown-layer');
    assert.ok(warning && warning.severity === 'warning' && warning.message.includes('`https://tfhub.dev/google/nnlm-en-dim20/2`'), warning?.message);
    const unknownWhy = (url: string) => {
      const m = only(`${TF}model = tf.keras.Sequential([hub.KerasLayer("${url}", input_shape=(224, 224, 3))])\n`);
      assert.deepEqual(rows(m)[0], ['keras_layer (KerasLayer)', 'null', null]);
      return m.diagnostics.find((d) => d.code === 'unknown-layer')?.message ?? '';
    };
    assert.match(unknownWhy('https://tfhub.dev/google/imagenet/inception_v3/feature_vector/3'), /version 3, in TF1's Hub format/);
    assert.match(unknownWhy('https://tfhub.dev/google/imagenet/inception_v3/classification/5'), /not the weights of its classification head/);
    assert.match(unknownWhy('https://tfhub.dev/google/bit/m-r50x1/1'), /does not know the TF Hub model `https:\/\/tfhub.dev\/google\/bit\/m-r50x1\/1`/);
    assert.match(unknownWhy('https://www.kaggle.com/models/google/mobilenet-v2/TfJs/100-224-classification/3'), /TfJs form/);
    assert.match(unknownWhy('/content/saved_model'), /not a TF Hub or Kaggle Models URL/);
  });

  it('a hub image model refuses what is not a batch of RGB images', () => {
    const m = only(
      `${TF}model = tf.keras.Sequential([hub.KerasLayer("https://tfhub.dev/google/imagenet/resnet_v2_50/feature_vector/5", input_shape=(28, 28, 1))])\n`,
    );
    assert.deepEqual(rows(m)[0], ['keras_layer (KerasLayer)', 'null', 23564800]);
    assert.match(m.diagnostics.find((d) => d.severity === 'error')?.message ?? '', /RGB images.*\(None, 28, 28, 1\)/);
  });

  it('the summary table prints the row as Keras does', () => {
    const m = only(
      `${TF}model = tf.keras.Sequential([hub.KerasLayer("https://tfhub.dev/google/imagenet/mobilenet_v2_100_224/feature_vector/5", input_shape=(224, 224, 3))])\n`,
    );
    const table = formatTable(m);
    assert.match(table, /keras_layer \(KerasLayer\)\s+\(None, 1280\)\s+2,257,984/);
    assert.match(table, /Non-trainable params: 2,257,984/);
  });

  it('reads tfhub.dev and Kaggle Models handles alike', () => {
    const key = (h: string) => {
      const r = resolveHubHandle(h);
      return 'why' in r ? r.why : `${r.key} ${r.head} ${r.classes ?? ''}`.trim();
    };
    assert.equal(key('https://tfhub.dev/google/imagenet/mobilenet_v2_035_96/feature_vector/5'), 'mobilenet_v2_035 feature_vector');
    assert.equal(key('https://hub.tensorflow.google.cn/google/imagenet/mobilenet_v1_025_128/classification/5'), 'mobilenet_v1_025 classification 1001');
    assert.equal(
      key('https://tfhub.dev/google/imagenet/mobilenet_v3_large_075_224/feature_vector/5?tf-hub-format=compressed'),
      'mobilenet_v3_large_075 feature_vector',
    );
    assert.equal(
      key('https://www.kaggle.com/models/google/resnet-v1/frameworks/TensorFlow2/variations/152-classification/versions/2'),
      'resnet_v1_152 classification 1001',
    );
    assert.equal(key('https://kaggle.com/models/tensorflow/efficientnet/TensorFlow2/b7-classification/1'), 'efficientnet_b7 classification 1000');
    assert.equal(
      key('https://www.kaggle.com/models/google/efficientnet-v2/TensorFlow2/imagenet21k-ft1k-m-feature-vector/2'),
      'efficientnet_v2_m feature_vector',
    );
    assert.equal(
      key('https://www.kaggle.com/models/google/mobilenet-v3/TensorFlow2/small-minimalistic-100-224-feature-vector/1'),
      'mobilenet_v3_small_minimalistic_100 feature_vector',
    );
    assert.equal(key('https://www.kaggle.com/models/google/inception-resnet-v2/TensorFlow2/feature-vector/2'), 'inception_resnet_v2 feature_vector');
    assert.match(key('https://tfhub.dev/google/imagenet/efficientnet_v2_imagenet21k_b0/classification/2'), /not the weights of its classification head/);
    assert.match(key('https://tfhub.dev/google/efficientnet/b0/feature-vector/1'), /TF1's Hub format/);
    assert.match(key('https://tfhub.dev/google/universal-sentence-encoder/4'), /does not know/);
  });

  it('every architecture of the hub table is its keras.applications model, with the stated difference', () => {
    for (const [key, hub] of Object.entries(HUB_ARCHITECTURES)) {
      const [name, args] = /^(\w+)\((.*)\)$/.exec(hub.keras)?.slice(1) ?? [];
      const base = analyze(
        `import keras\nm = keras.applications.${name}(${args ? `${args}, ` : ''}weights=None, include_top=False, pooling="avg", input_shape=(224, 224, 3))\n`,
      ).models[0];
      const layers = base.layers.flatMap((l) => l.nested ?? [l]);
      const features = base.layers[base.layers.length - 1].outputShape?.[1] ?? NaN;
      let params = base.totalParams ?? NaN;
      let movingStats = base.nonTrainableParams ?? NaN;
      if (hub.differs === 'conv-bias')
        params -= layers.filter((l) => l.type === 'Conv2D' && l.config?.use_bias).reduce((s, l) => s + (l.outputShape?.[3] ?? NaN), 0);
      if (hub.differs === 'normalization') {
        const normalization = layers.filter((l) => l.type === 'Normalization').reduce((s, l) => s + (l.params ?? NaN), 0);
        params -= normalization;
        movingStats -= normalization;
      }
      if (hub.differs === 'top-conv') params += features * hub.features + hub.features;
      assert.deepEqual(
        { features: hub.differs === 'top-conv' ? hub.features : features, params, movingStats },
        { features: hub.features, params: hub.params, movingStats: hub.movingStats },
        key,
      );
    }
  });
});
