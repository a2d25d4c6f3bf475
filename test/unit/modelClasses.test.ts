/**
 * Issue 21 §5: models built in a class, and models built from other models. Each case follows an idiom of public
 * Keras code: a `keras.Model` subclass that wires a graph in `__init__` and hands it to `super().__init__(inputs,
 * outputs, **kwargs)`; a subclass that overrides only `train_step`, instantiated as `Custom(inputs, outputs)`; a
 * head on a Sequential base's `input`/`output`; the Sequential guide's feature extractor over `model.layers`; the
 * TensorFlow segmentation tutorial's encoder from `base.get_layer(name).output` of MobileNetV2, frozen. The truth is
 * tfjs-layers' own Functional models built from the same architecture, Keras 3.15's printed MobileNetV2
 * (test/fixtures/applications), and Keras' source for names (`auto_name`: the class in snake case). Every case must
 * equal the reference analysis.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyze as analyzeCore, type AnalysisResult, type ModelResult } from '../../src/core';
import { formatTable } from '../../src/core/format';
import { defaultsNote } from '../../src/providers/layerGroups';
import { analyze, comparableModel } from './support/metamorphic';
import { tfjs } from './support/tfjsOracle';

type SymbolicTensor = import('@tensorflow/tfjs').SymbolicTensor;
type LayersModel = import('@tensorflow/tfjs').LayersModel;

let fileKey = 0;

function run(source: string): AnalysisResult {
  const result = analyze(source, { fileName: `model-classes-${fileKey++}.py` });
  const reference = analyzeCore(source, { reference: true });
  assert.deepEqual(result.models.map(comparableModel), reference.models.map(comparableModel), 'the same models as the reference analysis');
  return result;
}

function only(result: AnalysisResult, name: string): ModelResult {
  const models = result.models.filter((m) => m.name === name);
  assert.equal(models.length, 1, `one model named ${name}: ${result.models.map((m) => m.name).join(', ')}`);
  return models[0];
}

function notes(result: AnalysisResult) {
  return [...result.diagnostics, ...result.models.flatMap((m) => m.diagnostics)];
}

/** Every row's shape and parameters against tfjs' model's layers, in order (Input rows included). */
function sameAsTfjs(model: ModelResult, reference: LayersModel): void {
  assert.deepEqual(
    model.layers.map((l) => [l.type === 'InputLayer' ? 'InputLayer' : l.type, l.outputShape, l.params]),
    reference.layers.map((l) => [l.getClassName() === 'InputLayer' ? 'InputLayer' : l.getClassName(), l.outputShape, l.countParams()]),
  );
  assert.equal(model.totalParams, reference.countParams());
}

const HEAD = 'import keras\nfrom keras import layers\n';

describe('models built in a class, and from other models (issue 21 §5)', function () {
  this.timeout(60000);

  describe('keras.Model subclasses', () => {
    const net = `${HEAD}class MLPClassifier(keras.Model):
    def __init__(self, num_classes=3, hidden=16, **kwargs):
        inputs = keras.Input(shape=(20,))
        x = layers.Dense(hidden, activation="relu")(inputs)
        outputs = layers.Dense(num_classes, activation="softmax")(x)
        super().__init__(inputs, outputs, **kwargs)

`;

    const tfMlp = (hidden: number, classes: number): LayersModel => {
      const tf = tfjs();
      const input = tf.input({ shape: [20] });
      const x = tf.layers.dense({ units: hidden, activation: 'relu' }).apply(input) as SymbolicTensor;
      return tf.model({ inputs: input, outputs: tf.layers.dense({ units: classes, activation: 'softmax' }).apply(x) as SymbolicTensor });
    };

    it("super().__init__(inputs, outputs, **kwargs): a Functional model named as Keras names it, with the call's arguments", () => {
      const result = run(`${net}clf = MLPClassifier(5)\n`);
      const model = only(result, 'mlp_classifier');
      sameAsTfjs(model, tfMlp(16, 5));
      assert.ok(
        !notes(result).some((d) => d.code === 'not-analysed'),
        notes(result)
          .map((d) => d.message)
          .join('\n'),
      );
    });

    it('each instantiation is its own model; name= reaches Keras through **kwargs', () => {
      const result = run(`${net}small = MLPClassifier(2, hidden=4, name="small")\nlarge = MLPClassifier(num_classes=10, hidden=64)\n`);
      sameAsTfjs(only(result, 'small'), tfMlp(4, 2));
      sameAsTfjs(only(result, 'mlp_classifier'), tfMlp(64, 10));
    });

    it('super(Cls, self).__init__(inputs=..., outputs=...), and a subclass of it passing its arguments on', () => {
      const result = run(`${HEAD}class Base(keras.Model):
    def __init__(self, units, **kwargs):
        inputs = keras.Input(shape=(8,))
        outputs = layers.Dense(units)(inputs)
        super(Base, self).__init__(inputs=inputs, outputs=outputs, **kwargs)

class WideNet(Base):
    def __init__(self, **kwargs):
        super().__init__(32, **kwargs)

model = WideNet()
`);
      const model = only(result, 'wide_net');
      assert.deepEqual(
        model.layers.map((l) => l.params),
        [0, 8 * 32 + 32],
      );
    });

    it('a subclass that overrides only train_step, built as Custom(inputs, outputs): the Functional model', () => {
      const result = run(`${HEAD}import tensorflow as tf
class CustomModel(keras.Model):
    def train_step(self, data):
        x, y = data
        with tf.GradientTape() as tape:
            y_pred = self(x, training=True)
            loss = self.compute_loss(y=y, y_pred=y_pred)
        return {"loss": loss}

inputs = keras.Input(shape=(32,))
outputs = layers.Dense(1)(inputs)
model = CustomModel(inputs, outputs)
other = CustomModel(inputs=inputs, outputs=layers.Dense(4)(inputs), name="other")
`);
      assert.deepEqual(
        only(result, 'custom_model').layers.map((l) => l.params),
        [0, 33],
      );
      assert.deepEqual(
        only(result, 'other').layers.map((l) => l.params),
        [0, 132],
      );
      assert.ok(!notes(result).some((d) => d.code === 'not-analysed'));
    });

    it('a subclass that wires its layers in call() still says it is not analysed, at its name', () => {
      const result = run(`${HEAD}class Subclassed(keras.Model):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.dense = layers.Dense(4)

    def call(self, x):
        return self.dense(x)

model = Subclassed()
`);
      const note = notes(result).find((d) => d.code === 'not-analysed');
      assert.ok(note);
      assert.match(note.message, /`Subclassed` subclasses keras\.Model/);
      assert.equal(result.models.length, 0);
    });

    it('a class nothing instantiates is shown with its defaults, and says so', () => {
      const result = run(`${net}`);
      const model = only(result, 'mlp_classifier');
      sameAsTfjs(model, tfMlp(16, 3));
      assert.equal(model.builtBy?.call ?? null, null);
    });
  });

  describe('models built from other models', () => {
    it("keras.Model(base.input, head(base.output)) of a Sequential base: its layers are the new model's rows", () => {
      const result =
        run(`${HEAD}base = keras.Sequential([keras.Input(shape=(28, 28, 1)), layers.Conv2D(8, 3, activation="relu"), layers.Flatten()], name="base")
x = layers.Dense(10, activation="softmax")(base.output)
model = keras.Model(base.input, x, name="classifier")
also = keras.Model(base.inputs, layers.Dense(2)(base.outputs[0]), name="also")
`);
      const tf = tfjs();
      const input = tf.input({ shape: [28, 28, 1] });
      const conv = tf.layers.conv2d({ filters: 8, kernelSize: 3, activation: 'relu' }).apply(input) as SymbolicTensor;
      const flat = tf.layers.flatten().apply(conv) as SymbolicTensor;
      sameAsTfjs(only(result, 'classifier'), tf.model({ inputs: input, outputs: tf.layers.dense({ units: 10 }).apply(flat) as SymbolicTensor }));
      assert.equal(only(result, 'also').totalParams, 80 + 5408 * 2 + 2);
      // The base keeps its own rows.
      assert.equal(only(result, 'base').totalParams, 80);
    });

    it('a Sequential base given input_shape= on its first layer: Keras makes its Input', () => {
      const result = run(`${HEAD}base = keras.Sequential([layers.Dense(16, input_shape=(4,)), layers.Dense(8)])
model = keras.Model(inputs=base.input, outputs=layers.Dense(1)(base.output), name="head")
`);
      assert.deepEqual(
        only(result, 'head').layers.map((l) => [l.outputShape, l.params]),
        [
          [[null, 4], 0],
          [[null, 16], 80],
          [[null, 8], 136],
          [[null, 1], 9],
        ],
      );
    });

    it('a Sequential base with no input yet: its output is unknown, named, and no model is made up', () => {
      const result = run(`${HEAD}base = keras.Sequential([layers.Dense(16), layers.Dense(8)])
model = keras.Model(base.input, layers.Dense(1)(base.output))
`);
      const note = notes(result).find((d) => d.code === 'not-analysed');
      assert.ok(
        note,
        notes(result)
          .map((d) => d.code)
          .join(', '),
      );
      assert.match(note.message, /no input yet/);
    });

    it("the Sequential guide's feature extractor: outputs=[layer.output for layer in model.layers]", () => {
      const result = run(`${HEAD}initial_model = keras.Sequential(
    [
        keras.Input(shape=(250, 250, 3)),
        layers.Conv2D(32, 5, strides=2, activation="relu"),
        layers.Conv2D(32, 3, activation="relu"),
        layers.Conv2D(32, 3, activation="relu"),
    ]
)
feature_extractor = keras.Model(
    inputs=initial_model.inputs,
    outputs=[layer.output for layer in initial_model.layers],
)
`);
      const model = only(result, 'feature_extractor');
      assert.deepEqual(
        model.layers.map((l) => l.outputShape),
        [
          [null, 250, 250, 3],
          [null, 123, 123, 32],
          [null, 121, 121, 32],
          [null, 119, 119, 32],
        ],
      );
      assert.equal(model.totalParams, only(result, 'initial_model').totalParams);
    });

    const fixture = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'applications', 'MobileNetV2.json'), 'utf8')) as {
      cases: { args: Record<string, unknown>; layers: [string, string, (number | null)[], number][] }[];
    };
    // Keras 3.15's MobileNetV2 at 224×224×3 (weights do not depend on the input size).
    const printed = fixture.cases.find((c) => Object.keys(c.args).length === 1)!.layers;
    const upTo = (name: string) => printed.slice(0, printed.findIndex((l) => l[0] === name) + 1);

    it("the segmentation tutorial's encoder: base.get_layer(name).output of MobileNetV2, frozen, as Keras prints it", () => {
      const names = ['block_1_expand_relu', 'block_3_expand_relu', 'block_6_expand_relu', 'block_13_expand_relu', 'block_16_project'];
      const result = run(`import tensorflow as tf
base_model = tf.keras.applications.MobileNetV2(input_shape=[224, 224, 3], include_top=False)
layer_names = [${names.map((n) => `"${n}"`).join(', ')}]
base_model_outputs = [base_model.get_layer(name).output for name in layer_names]
down_stack = tf.keras.Model(inputs=base_model.input, outputs=base_model_outputs)
down_stack.trainable = False
`);
      const model = only(result, 'down_stack');
      assert.deepEqual(
        names.map((n) => model.layers.find((l) => l.name === n)?.outputShape),
        names.map((n) => printed.find((l) => l[0] === n)![2]),
      );
      const expected = upTo('block_16_project');
      assert.equal(model.layers.length, expected.length);
      assert.equal(model.totalParams, 1841984);
      assert.equal(
        model.totalParams,
        expected.reduce((s, l) => s + l[3], 0),
      );
      assert.equal(model.trainableParams, 0);
    });

    it('a head on get_layer(name).output of an application built with input_tensor=, the base frozen', () => {
      const result = run(`${HEAD}inputs = keras.Input(shape=(224, 224, 3))
base = keras.applications.MobileNetV2(input_tensor=inputs, include_top=False, weights="imagenet")
base.trainable = False
x = base.get_layer("block_13_expand_relu").output
x = layers.GlobalAveragePooling2D()(x)
outputs = layers.Dense(2)(x)
model = keras.Model(inputs, outputs, name="head")
`);
      const model = only(result, 'head');
      const base = upTo('block_13_expand_relu');
      assert.equal(model.totalParams, base.reduce((s, l) => s + l[3], 0) + 576 * 2 + 2);
      assert.equal(model.trainableParams, 576 * 2 + 2, 'only the head trains: the base is frozen, layer by layer');
      assert.deepEqual(model.layers.at(-1)?.outputShape, [null, 2]);
      assert.ok(!notes(result).some((d) => d.code === 'not-analysed'));
    });

    it('a frozen base called as a whole, then a head on its output: both count it frozen (Keras sets every layer)', () => {
      const result = run(`${HEAD}inputs = keras.Input(shape=(96, 96, 3))
base = keras.applications.MobileNetV2(input_tensor=inputs, include_top=False, weights=None, alpha=0.35)
base.trainable = False
x = layers.GlobalAveragePooling2D()(base.output)
model = keras.Model(inputs, layers.Dense(1)(x), name="head")
`);
      const base = only(result, 'MobileNetV2');
      const model = only(result, 'head');
      assert.equal(model.nonTrainableParams, base.totalParams);
      assert.equal(model.trainableParams, 1281);
    });

    it("the transfer-learning tutorial's fine-tuning: base_model.layers[:100] frozen, as the notebooks print it", () => {
      const result = run(`import tensorflow as tf
IMG_SHAPE = (160, 160, 3)
base_model = tf.keras.applications.MobileNetV2(input_shape=IMG_SHAPE, include_top=False, weights="imagenet")
base_model.trainable = False
inputs = tf.keras.Input(shape=(160, 160, 3))
x = tf.keras.applications.mobilenet_v2.preprocess_input(inputs)
x = base_model(x, training=False)
x = tf.keras.layers.GlobalAveragePooling2D()(x)
x = tf.keras.layers.Dropout(0.2)(x)
outputs = tf.keras.layers.Dense(1)(x)
model = tf.keras.Model(inputs, outputs)
base_model.trainable = True
count = tf.keras.Sequential([tf.keras.Input((1,)), tf.keras.layers.Dense(len(base_model.layers))], name="count")
fine_tune_at = 100
for layer in base_model.layers[:fine_tune_at]:
    layer.trainable = False
`);
      // Printed by the tutorial's notebooks: "Number of layers in the base model: 154", then the summary.
      assert.equal(only(result, 'count').layers[0].outputShape?.[1], 154);
      const model = only(result, 'model');
      assert.equal(model.totalParams, 2259265);
      assert.equal(model.trainableParams, 1862721);
      assert.equal(model.nonTrainableParams, 396544);
    });

    it("the book's fine-tuning: conv_base.layers[:-4] frozen; a freeze decided by a name LayerLens cannot read is unknown", () => {
      const result = run(`from tensorflow import keras
from tensorflow.keras import layers
conv_base = keras.applications.vgg16.VGG16(weights="imagenet", include_top=False, input_shape=(180, 180, 3))
conv_base.trainable = True
for layer in conv_base.layers[:-4]:
    layer.trainable = False

other = keras.applications.vgg16.VGG16(weights="imagenet", include_top=False, input_shape=(150, 150, 3), name="other")
other.trainable = True
set_trainable = False
for layer in other.layers:
    if layer.name == "block5_conv1":
        set_trainable = True
    if set_trainable:
        layer.trainable = True
    else:
        layer.trainable = False
`);
      const base = only(result, 'vgg16');
      // block5_conv1..3 train: 3 × (3·3·512·512 + 512).
      assert.equal(base.trainableParams, 7079424);
      assert.equal(base.nonTrainableParams, 14714688 - 7079424);
      // The Input's name is Keras' own (not given), so the first comparison is not known: never a guessed count.
      assert.equal(only(result, 'other').trainableParams, null);
    });

    it('get_layer of a name Keras gives by itself (dense_1) is unknown, and a note names the call and says why: Keras counts such names across the session', () => {
      // In one Python session `dense_1` is the second Dense made in any model, so the same code names other layers
      // once another model was made first (a notebook re-run, an earlier cell); LayerLens does not guess which.
      const result = run(`${HEAD}inputs = keras.Input(shape=(8,))
x = layers.Dense(16)(inputs)
x = layers.Dense(4)(x)
base = keras.Model(inputs, x)
features = base.get_layer("dense_1").output
head = keras.Model(base.input, layers.Dense(2)(features))
`);
      const note = notes(result).find((d) => d.code === 'unresolved-value' && d.message.includes('base.get_layer("dense_1")'));
      assert.ok(
        note,
        notes(result)
          .map((d) => d.message)
          .join('\n'),
      );
      assert.equal(note.range.start.line, 7);
      assert.match(note.message, /`dense_1` is a name Keras gives a Dense by itself, counting every Dense made before in the Python session/);
      assert.ok(!result.models.some((m) => m.name === 'head'), 'no model made up for the head');
      // A name given with name= is found as before, whatever its form.
      const given = run(`${HEAD}inputs = keras.Input(shape=(8,))
x = layers.Dense(16, name="dense_1")(inputs)
base = keras.Model(inputs, layers.Dense(4)(x))
head = keras.Model(base.input, layers.Dense(2)(base.get_layer("dense_1").output))
`);
      assert.deepEqual(
        only(given, 'head').layers.map((l) => l.outputShape),
        [
          [null, 8],
          [null, 16],
          [null, 2],
        ],
      );
    });

    it('get_layer of a name the model does not have is unknown, named', () => {
      const result = run(`${HEAD}base = keras.applications.MobileNetV2(input_shape=(96, 96, 3), include_top=False, weights=None)
x = base.get_layer("block_99_relu").output
model = keras.Model(base.input, x)
`);
      assert.ok(notes(result).some((d) => /block_99_relu/.test(d.message)));
    });
  });
  describe('methods called on an instance from outside the class', () => {
    /** tfjs' Sequential of Dense layers of these units on an input of `features`. */
    const denses = (features: number, ...units: number[]): LayersModel => {
      const tf = tfjs();
      return tf.sequential({ layers: units.map((u, i) => tf.layers.dense({ units: u, ...(i === 0 ? { inputShape: [features] } : {}) })) });
    };

    // The builder-class idiom of public code (a `ModelBuilder` holding `input_shape` and `num_classes` from its
    // `__init__`, whose `build_model()` the script calls on the instance it made).
    const builder = `${HEAD}class ModelBuilder:
    def __init__(self, input_shape, num_classes, hidden=8):
        self.input_shape = input_shape
        self.num_classes = num_classes
        self.hidden = hidden

    def build_model(self, dropout=None):
        model = keras.Sequential()
        model.add(layers.Dense(self.hidden, activation="relu", input_shape=self.input_shape))
        if dropout:
            model.add(layers.Dropout(dropout))
        model.add(layers.Dense(self.num_classes, activation="softmax"))
        return model

`;

    it('b.build_model() runs with that instance and that call: no defaults, each call its own model', () => {
      const result = run(`${builder}builder = ModelBuilder((20,), 3, hidden=16)
model = builder.build_model()
wide = ModelBuilder((10,), 5, 64).build_model()
`);
      const model = only(result, 'model');
      sameAsTfjs(model, denses(20, 16, 3));
      assert.ok(model.builtBy?.call, 'built by the call, not with the defaults');
      sameAsTfjs(only(result, 'wide'), denses(10, 64, 5));
      assert.ok(
        !notes(result).some((d) => d.code === 'unresolved-value'),
        notes(result)
          .map((d) => d.message)
          .join('\n'),
      );
    });

    it("a method's own arguments count too, and a method of an object held on self (self.builder.build_model())", () => {
      const result = run(`${builder}class Experiment:
    def __init__(self, classes):
        self.builder = ModelBuilder((12,), classes)

    def model(self):
        return self.builder.build_model(dropout=0.5)

experiment = Experiment(4)
net = experiment.model()
`);
      const net = only(result, 'net');
      assert.deepEqual(
        net.layers.map((l) => [l.type, l.outputShape, l.params]),
        [
          ['Dense', [null, 8], 12 * 8 + 8],
          ['Dropout', [null, 8], 0],
          ['Dense', [null, 4], 8 * 4 + 4],
        ],
      );
    });

    it('what a method called through the instance sets on self is what later code reads, in the order the file runs', () => {
      const result = run(`${HEAD}class Config:
    def __init__(self):
        self.units = 8

    def double(self):
        self.units = self.units * 2

cfg = Config()
before = keras.Sequential([keras.Input(shape=(4,)), layers.Dense(cfg.units)])
cfg.double()
after = keras.Sequential([keras.Input(shape=(4,)), layers.Dense(cfg.units)])
`);
      sameAsTfjs(only(result, 'before'), denses(4, 8));
      sameAsTfjs(only(result, 'after'), denses(4, 16));
    });

    it('a model held by an instance and grown by its method (holder.grow()) has the layer the method adds', () => {
      const result = run(`${HEAD}class Net:
    def __init__(self, n=4):
        self.model = keras.Sequential([keras.Input(shape=(3,)), layers.Dense(n)])

    def grow(self):
        self.model.add(layers.Dense(2))

holder = Net(5)
holder.grow()
`);
      sameAsTfjs(result.models[0], denses(3, 5, 2));
    });

    it('@staticmethod takes no instance, @classmethod takes the class (Factory.create(...), also through an instance)', () => {
      const result = run(`${HEAD}class Factory:
    base = 4

    @staticmethod
    def mlp(n):
        return keras.Sequential([keras.Input(shape=(3,)), layers.Dense(n)], name="static_mlp")

    @classmethod
    def create(cls, n):
        return keras.Sequential([keras.Input(shape=(3,)), layers.Dense(cls.base * n)], name="class_mlp")

a = Factory.mlp(5)
b = Factory.create(2)
c = Factory().create(3)
`);
      sameAsTfjs(only(result, 'static_mlp'), denses(3, 5));
      const made = result.models.filter((m) => m.name === 'class_mlp');
      assert.deepEqual(
        made.map((m) => m.layers[0].outputShape),
        [
          [null, 8],
          [null, 12],
        ],
      );
    });

    it('a method called only on an object LayerLens cannot follow: its defaults, and that call is named', () => {
      const source = `${HEAD}from helpers import make_builder

${builder.slice(HEAD.length)}net = make_builder("mlp").build_model(dropout=0.2)
`;
      const result = run(source);
      assert.equal(result.models.length, 1);
      const model = result.models[0];
      assert.equal(model.builtBy?.call, undefined, 'no call LayerLens follows: the defaults');
      assert.equal(model.builtBy?.calledOn?.start.line, 19);
      assert.match(
        formatTable(model),
        /Built with the defaults of build_model\(\): nothing LayerLens follows calls it; it is called at line 19 on an object LayerLens cannot follow\./,
      );
      assert.match(defaultsNote(model) ?? '', /nothing LayerLens follows calls it\. It is called at line 19 on an object LayerLens cannot follow\./);
    });

    it('an edit re-analyses the same as a cold analysis (the statement groups run a method with its call)', () => {
      const sources = [
        `${builder}builder = ModelBuilder((20,), 3, hidden=16)\n\nother = 5\n\nmodel = builder.build_model()\n`,
        `${HEAD}from helpers import make_builder\n\n${builder.slice(HEAD.length)}\nother = 5\n\nnet = make_builder("mlp").build_model()\n`,
        `${HEAD}class Net:\n    def __init__(self, n=4):\n        self.model = keras.Sequential([keras.Input(shape=(3,)), layers.Dense(n)])\n\n    def grow(self):\n        self.model.add(layers.Dense(2))\n\nholder = Net(5)\n\nother = 5\n\nholder.grow()\n`,
      ];
      // An edit inside a class that gives it the method a later statement calls: that call is walked from then on.
      const grown = sources[2];
      const ungrown = grown.replace('def grow(self):', 'def shrink(self):');
      for (const [from, to] of [
        [ungrown, grown],
        [grown, ungrown],
      ]) {
        const fileName = `methods-grown-${fileKey++}.py`;
        analyzeCore(from, { fileName });
        assert.deepStrictEqual(analyzeCore(to, { fileName }), analyzeCore(to, { fileName: `methods-cold-${fileKey++}.py` }), to);
      }
      assert.equal(analyzeCore(grown).models[0].layers.length, 2);
      assert.equal(analyzeCore(ungrown).models[0].layers.length, 1);
      for (const [k, text] of sources.entries()) {
        const fileName = `methods-edited-${k}.py`;
        analyzeCore(text, { fileName });
        for (const next of [text.replace('other = 5', 'other = 6'), text.replace('other = 5', 'other = 6\n'), text.replace('hidden=8', 'hidden=9')]) {
          const edited = analyzeCore(next, { fileName });
          assert.deepStrictEqual(edited, analyzeCore(next, { fileName: `methods-cold-${fileKey++}.py` }), next);
        }
      }
    });

    it('a method behind another decorator (@property) is not applied: its value is unknown, named, never a guess', () => {
      const result = run(`${HEAD}class Sizes:
    @property
    def units(self):
        return 8

model = keras.Sequential([keras.Input(shape=(4,)), layers.Dense(Sizes().units)])
`);
      const model = only(result, 'model');
      assert.equal(model.layers[0].params, null);
      assert.ok(notes(result).some((d) => d.code === 'unresolved-value' && /Sizes\(\)\.units/.test(d.message) && /decorator/.test(d.message)));
    });
  });
});
