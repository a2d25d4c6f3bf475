/**
 * Real Keras code as the measure (issue 10 §7). Each case below is a model written here, in the idiom of a
 * real public file (named in `modelledOn`: repository and path, or page URL); no real code is copied. The
 * idiom list is what those files do to build Sequential models, from the plain `model.add` chain to
 * keras-tuner search spaces (read as the tuner builds its first model: each hp.* gives its default).
 *
 * Ground truth, never a number worked out here:
 * - `printed`: the real file (or page) prints `model.summary()` for this exact architecture; its total and
 *   output shapes (and per-layer parameters where printed) are asserted;
 * - tfjs-layers rebuilds every analysed model (`checkModel(model, { run: true })`) and must agree on every
 *   layer;
 * - `refused`: the real file's model is one Keras refuses; LayerLens must say so at the same layer, and tfjs
 *   must refuse that layer on that input too.
 *
 * `unsupported` marks idioms LayerLens states it cannot read: the case asserts the diagnostic, and that every
 * number it does give equals the same model with the unknown values written in (`plain`). `knownFailure`
 * marks a LayerLens bug: the case keeps asserting the failure (so the table stays honest) and says why.
 */
import type { Shape } from '../../../src/core';

export const IDIOMS = {
  addChain: 'add() chain, input_shape/input_dim on the first layer',
  list: 'layers listed in Sequential([...])',
  constants: 'module constants, tuple unpacking, arithmetic for sizes',
  factoryCalled: 'factory function called with arguments',
  factoryUncalled: 'factory nothing in the file calls (defaults)',
  helperMutates: 'helper adds layers to the model it is passed',
  loop: 'loop over a literal or range adding layers',
  comprehension: 'layer list from a comprehension or + concatenation',
  knownIf: 'layers under if on known config values',
  nested: 'nested Sequential (augmentation, preprocessing)',
  build: 'model.build(...) gives the input shape',
  asserts: 'shape asserts/prints between add() calls (DCGAN)',
  legacy: 'Keras 1/2 legacy spellings',
  repeatedInput: 'input_shape repeated on later layers',
  text: 'text: Embedding + RNN or Conv1D',
  sequences: 'sequences: LSTM, TimeDistributed, RepeatVector',
  notebook: 'notebook: model built across cells',
  docstring: 'model code quoted in a docstring',
  refused: 'a model Python/Keras refuses (bug in the real file)',
  pop: 'model.pop()',
  freeze: 'freezing after construction (layer.trainable = False)',
  dictConfig: "sizes from a dict (cfg['units'])",
  tuner: 'keras-tuner hp.Int/hp.Choice',
  data: 'sizes from data (X.shape[1], len(...))',
  otherModule: 'names from another module',
  runtimeIf: 'condition decided at run time',
  pretrained: 'pretrained base (keras.applications)',
  unknownLayer: 'Lambda or a layer LayerLens does not know',
  noInput: 'no input shape anywhere',
} as const;

export type Idiom = (typeof IDIOMS)[keyof typeof IDIOMS];

export interface RealCodeCase {
  name: string;
  idiom: Idiom;
  /** The real file the case is modelled on: `owner/repo path`, or a page URL. */
  modelledOn: string;
  /** Python source, written here in the real file's idiom. */
  source?: string;
  /** Notebook code cells instead of `source`. */
  cells?: string[];
  /** Which model of the file (by name); the last one by default. */
  model?: string;
  /** Check every model of the file, and that there are this many. */
  allModels?: number;
  /** The real file printed `model.summary()` for this architecture. */
  printed?: { total?: number; shapes?: Shape[]; params?: number[] };
  /**
   * A nested Sequential layer has no tfjs equivalent: the same model with the nested layers written inline
   * (tfjs-checked itself), and how many of its layers each layer of the case stands for.
   */
  inlined?: { source: string; groups: number[] };
  /** Layer names Keras gives (they are not checked by tfjs). */
  names?: string[];
  /**
   * Python or Keras refuses the model: LayerLens must give this error diagnostic, at this layer (for a
   * syntax error, anywhere in the file).
   */
  refused?: {
    layer?: number;
    code: string;
    /** What Keras raises, where tfjs cannot confirm the refusal (it never sees the argument). */
    keras?: string;
  };
  /** tfjs only builds the model (no run on a tensor): its convolutions are too slow on the CPU backend. Only with `printed`. */
  buildOnly?: boolean;
  /** LayerLens states it cannot read the idiom. */
  unsupported?: {
    /** Diagnostic codes it must give (on the model, or the file for `not-analysed`). */
    codes: string[];
    /** Source text the diagnostics must quote (the unknown expression). */
    mentions: string[];
    /** What no diagnostic may say (a wrong reason). */
    forbid?: RegExp;
    /** The same model with the unknown values written in: every number LayerLens does give must equal it. */
    plain?: string;
  };
  /** A LayerLens bug: the case fails for this reason (asserted, so a fix shows up here). */
  knownFailure?: {
    reason: string;
    /** The model written out without the idiom; tfjs-checked; the case's analysis should equal it. */
    plain?: string;
  };
}

export const CASES: RealCodeCase[] = [
  // ---- the add() chain ------------------------------------------------------------------------
  {
    name: 'Dense stack with input_dim, summary printed in a comment',
    idiom: IDIOMS.addChain,
    modelledOn: 'ddong40/ai_bank keras/keras24_summary1.py',
    source: `import numpy as np
from tensorflow.keras.models import Sequential
from tensorflow.keras.layers import Dense

# 2. model
regressor = Sequential()
regressor.add(Dense(3, input_dim=1))
regressor.add(Dense(4))
regressor.add(Dense(3))
regressor.add(Dense(1))
regressor.summary()
`,
    printed: {
      total: 41,
      shapes: [
        [null, 3],
        [null, 4],
        [null, 3],
        [null, 1],
      ],
      params: [6, 16, 15, 4],
    },
  },
  {
    name: 'two 2x2 convolutions on a 5x5 map, summary in a docstring',
    idiom: IDIOMS.addChain,
    modelledOn: 'nmi344056/AI5 keras/keras35_cnn1.py',
    source: `from tensorflow.keras.models import Sequential
from tensorflow.keras.layers import Dense, Conv2D

cnn = Sequential()
cnn.add(Conv2D(filters=10, kernel_size=(2, 2), input_shape=(5, 5, 1)))  # (4, 4, 10)
cnn.add(Conv2D(filters=5, kernel_size=2))                                  # (3, 3, 5)
cnn.summary()
`,
    printed: {
      total: 255,
      shapes: [
        [null, 4, 4, 10],
        [null, 3, 3, 5],
      ],
      params: [50, 205],
    },
  },
  {
    name: "the book's MNIST convnet, summary() between the base and the head",
    idiom: IDIOMS.addChain,
    modelledOn: 'geasyheart/algo python/ml/cnn.py',
    source: `from keras import layers
from keras import models

convnet = models.Sequential()
convnet.add(layers.Conv2D(32, (3, 3), activation="relu", input_shape=(28, 28, 1)))
convnet.add(layers.MaxPooling2D((2, 2)))
convnet.add(layers.Conv2D(64, (3, 3), activation="relu"))
convnet.add(layers.MaxPooling2D((2, 2)))
convnet.add(layers.Conv2D(64, (3, 3), activation="relu"))
convnet.summary()

convnet.add(layers.Flatten())
convnet.add(layers.Dense(64, activation="relu"))
convnet.add(layers.Dense(10, activation="softmax"))
convnet.summary()
`,
    printed: {
      total: 93322,
      shapes: [
        [null, 26, 26, 32],
        [null, 13, 13, 32],
        [null, 11, 11, 64],
        [null, 5, 5, 64],
        [null, 3, 3, 64],
        [null, 576],
        [null, 64],
        [null, 10],
      ],
      params: [320, 0, 18496, 0, 36928, 0, 36928, 650],
    },
  },
  {
    name: 'convnet with tf.nn activations and Dropout, from an answer that prints its summary',
    idiom: IDIOMS.addChain,
    modelledOn: 'https://kiwix.lema.org/stackoverflow.com_en_all_2023-11/a/66705121',
    source: `import tensorflow as tf
from tensorflow.keras.models import Sequential
from tensorflow.keras.layers import Dense, Conv2D, Dropout, Flatten, MaxPooling2D

digits = Sequential()
digits.add(Conv2D(28, kernel_size=(3, 3), input_shape=(28, 28, 1)))
digits.add(MaxPooling2D(pool_size=(2, 2)))
digits.add(Flatten())
digits.add(Dense(128, activation=tf.nn.relu))
digits.add(Dropout(0.2))
digits.add(Dense(10, activation=tf.nn.softmax))
`,
    printed: {
      total: 607394,
      shapes: [
        [null, 26, 26, 28],
        [null, 13, 13, 28],
        [null, 4732],
        [null, 128],
        [null, 128],
        [null, 10],
      ],
      params: [280, 0, 0, 605824, 0, 1290],
    },
  },
  {
    name: 'cats-vs-dogs convnet on 150x150 with Dropout before the classifier',
    idiom: IDIOMS.addChain,
    modelledOn: 'cncn0069/catanddog learn.py',
    source: `from keras import layers
from keras import models

net = models.Sequential()
net.add(layers.Conv2D(32, (3, 3), activation="relu", input_shape=(150, 150, 3)))
net.add(layers.MaxPooling2D((2, 2)))
net.add(layers.Conv2D(64, (3, 3), activation="relu"))
net.add(layers.MaxPooling2D((2, 2)))
net.add(layers.Conv2D(128, (3, 3), activation="relu"))
net.add(layers.MaxPooling2D((2, 2)))
net.add(layers.Conv2D(128, (3, 3), activation="relu"))
net.add(layers.MaxPooling2D((2, 2)))
net.add(layers.Flatten())
net.add(layers.Dropout(0.5))
net.add(layers.Dense(512, activation="relu"))
net.add(layers.Dense(1, activation="sigmoid"))
net.summary()
`,
  },
  {
    name: 'guide-style incremental build: summary() midway, then down to 4x4 and global pooling',
    idiom: IDIOMS.addChain,
    modelledOn: 'Ubriacopo/muffin-stat-project utils/keras.md (quoting https://keras.io/guides/sequential_model/)',
    source: `import keras
from keras import layers

model = keras.Sequential()
model.add(keras.Input(shape=(250, 250, 3)))
model.add(layers.Conv2D(32, 5, strides=2, activation="relu"))
model.add(layers.Conv2D(32, 3, activation="relu"))
model.add(layers.MaxPooling2D(3))
model.summary()  # the guide asks the reader to guess: (40, 40, 32)

model.add(layers.Conv2D(32, 3, activation="relu"))
model.add(layers.Conv2D(32, 3, activation="relu"))
model.add(layers.MaxPooling2D(3))
model.add(layers.Conv2D(32, 3, activation="relu"))
model.add(layers.Conv2D(32, 3, activation="relu"))
model.add(layers.MaxPooling2D(2))
model.add(layers.GlobalMaxPooling2D())
model.add(layers.Dense(10))
`,
  },

  // ---- Sequential([...]) ------------------------------------------------------------------------
  {
    name: 'list with an aliased layers module, from an answer explaining a printed summary',
    idiom: IDIOMS.list,
    modelledOn: 'https://coderapp.vercel.app/answer/61061116',
    source: `from tensorflow.keras import Sequential
from tensorflow.keras import layers as L

model = Sequential([
    L.Conv2D(32, (4, 4), activation="relu", input_shape=(32, 32, 3)),
    L.MaxPooling2D(),
    L.Conv2D(32, (4, 4), activation="relu"),
    L.MaxPooling2D(),
    L.Flatten(),
    L.Dense(32, activation="relu"),
    L.Dense(10, activation="softmax"),
])
`,
    printed: {
      total: 43946,
      shapes: [
        [null, 29, 29, 32],
        [null, 14, 14, 32],
        [null, 11, 11, 32],
        [null, 5, 5, 32],
        [null, 800],
        [null, 32],
        [null, 10],
      ],
      params: [1568, 0, 16416, 0, 0, 25632, 330],
    },
  },
  {
    name: 'Sequential(name=..., layers=[...]) by keyword, a name with spaces',
    idiom: IDIOMS.list,
    modelledOn: 'https://math-gpt.org/problems/question/model-tf-keras-sequential-name-exam-cnn-model-layer-1-with-input-s',
    source: `import tensorflow as tf
from tensorflow.keras.layers import Conv2D, Flatten, Dense

exam = tf.keras.Sequential(
    name="Exam CNN Model",
    layers=[
        Conv2D(3, (3, 3), input_shape=(18, 18, 3)),
        Conv2D(2, (2, 2)),
        Flatten(),
        Dense(2),
    ],
)
exam.summary()
`,
    printed: { total: 1012 },
  },
  {
    name: 'Dense straight on a 4-D feature map (no Flatten), sizes from variables',
    idiom: IDIOMS.list,
    modelledOn: 'https://syntaxfix.com/question/3223/keras-model-summary-result-understanding-the-of-parameters',
    source: `from keras.models import Sequential
from keras.layers import Conv2D, Dense

input_shape = (224, 224, 3)
num_classes = 10
model = Sequential([
    Conv2D(32, (3, 3), activation='relu', input_shape=input_shape),
    Conv2D(64, (3, 3), activation='relu'),
    Conv2D(128, (3, 3), activation='relu'),
    Dense(num_classes, activation='softmax'),
])
`,
    printed: {
      shapes: [
        [null, 222, 222, 32],
        [null, 220, 220, 64],
        [null, 218, 218, 128],
        [null, 218, 218, 10],
      ],
      params: [896, 18496, 73856, 1290],
    },
    buildOnly: true,
  },
  {
    name: 'keras.io-style list: keras.Input from a constant, Dropout before the head',
    idiom: IDIOMS.list,
    modelledOn: 'Frobeniusnorm/Flint examples/mnist/test.py',
    source: `import keras
import keras.layers as layers

num_classes = 10
input_shape = (28, 28, 1)

model = keras.Sequential(
    [
        keras.Input(shape=input_shape),
        layers.Conv2D(16, kernel_size=(3, 3), activation="relu"),
        layers.MaxPooling2D(pool_size=(2, 2)),
        layers.Conv2D(32, kernel_size=(3, 3), activation="relu"),
        layers.MaxPooling2D(pool_size=(2, 2)),
        layers.Flatten(),
        layers.Dropout(0.5),
        layers.Dense(num_classes, activation="softmax"),
    ]
)
model.summary()
`,
  },
  {
    name: 'same-padded convs with MaxPool2D(strides=2), image_size a module variable',
    idiom: IDIOMS.list,
    modelledOn: 'pavelzw/proseminar-pytorch-keras ausarbeitung/code/create-cnn-keras.py',
    source: `from tensorflow.keras.layers import Conv2D, MaxPool2D, Flatten, Dense
from tensorflow.keras.models import Sequential

image_size = 96

model = Sequential([
    Conv2D(filters=16, kernel_size=(3, 3), activation='relu', padding='same', input_shape=(image_size, image_size, 3)),
    MaxPool2D(pool_size=(2, 2), strides=2),
    Conv2D(filters=32, kernel_size=(3, 3), activation='relu', padding='same'),
    MaxPool2D(pool_size=(2, 2), strides=2),
    Conv2D(filters=32, kernel_size=(3, 3), activation='relu', padding='same'),
    Flatten(),
    Dense(units=2, activation='softmax'),
])
`,
  },

  // ---- constants ------------------------------------------------------------------------------
  {
    name: 'feature maps and window from tuple-unpacked constants',
    idiom: IDIOMS.constants,
    modelledOn: 'bubikhonza/sgn-41007-solutions ex4/4.py',
    source: `from keras.models import Sequential
from keras.layers import Conv2D, MaxPooling2D, Flatten, Dense

model = Sequential()
N = 24  # feature maps
w, h = 5, 5  # window
model.add(Conv2D(N, (w, h), input_shape=(64, 64, 3), activation='relu', padding='same'))
model.add(MaxPooling2D(pool_size=(4, 4)))
model.add(Conv2D(N, (w, h), activation='relu', padding='same'))
model.add(MaxPooling2D((4, 4)))
model.add(Flatten())
model.add(Dense(100, activation='sigmoid'))
model.add(Dense(2, activation='sigmoid'))
model.summary()
`,
  },
  {
    name: 'text CNN from named hyperparameters: Embedding, valid Conv1D, global max pooling',
    idiom: IDIOMS.constants,
    modelledOn: 'jingry/autoBioSeqpy examples/EnsembleDL-ATG/model/CNN.py',
    source: `from keras.models import Sequential
from keras.layers import Dense, Dropout, Activation, Embedding
from keras.layers import Conv1D, GlobalMaxPooling1D

max_features = 26
embedding_size = 64
filters = 100
kernel_size = 9
hidden_dims = 50
seq_len = 500

print('Building model...')
model = Sequential()
model.add(Embedding(max_features, embedding_size, input_length=seq_len))
model.add(Dropout(0.2))
model.add(Conv1D(filters, kernel_size, padding='valid', activation='relu', strides=1))
model.add(GlobalMaxPooling1D())
model.add(Dense(hidden_dims))
model.add(Dropout(0.2))
model.add(Activation('relu'))
model.add(Dense(1))
model.add(Activation('sigmoid'))
`,
  },

  // ---- factories ------------------------------------------------------------------------------
  {
    name: 'the input_dim=2 variant of a printed Dense stack, through a factory',
    idiom: IDIOMS.factoryCalled,
    modelledOn: 'tmzkdl487/bitcamp_AI5 keras/keras24_summary1.py',
    source: `from tensorflow.keras.models import Sequential
from tensorflow.keras.layers import Dense

def make_mlp(n_inputs):
    m = Sequential()
    m.add(Dense(3, input_dim=n_inputs))
    for width in (4, 3, 1):
        m.add(Dense(width))
    return m

model = make_mlp(2)
model.summary()
`,
    printed: {
      total: 44,
      shapes: [
        [null, 3],
        [null, 4],
        [null, 3],
        [null, 1],
      ],
      params: [9, 16, 15, 4],
    },
  },
  {
    name: 'create_mlp(...) called under if __name__ == "__main__" with variables set there',
    idiom: IDIOMS.factoryCalled,
    modelledOn: 'Abhiramrajr/sct mlp.py',
    source: `import tensorflow as tf
from tensorflow.keras import layers, models

def create_mlp(input_size, hidden_sizes, output_size):
    net = models.Sequential()
    net.add(layers.InputLayer(input_shape=(input_size,)))
    for hidden_size in hidden_sizes:
        net.add(layers.Dense(hidden_size, activation='relu'))
    net.add(layers.Dense(output_size, activation='softmax'))
    return net

if __name__ == "__main__":
    input_size = 12
    hidden_sizes = [40, 20]
    output_size = 3
    mlp_model = create_mlp(input_size, hidden_sizes, output_size)
    mlp_model.summary()
`,
  },
  {
    name: 'network from a list of layer widths: [0] in, [1:-1] hidden, [-1] out',
    idiom: IDIOMS.factoryCalled,
    modelledOn: 'tensordiffeq/TensorDiffEq tensordiffeq/networks.py',
    source: `import tensorflow as tf
from tensorflow.keras.models import Sequential
from tensorflow.keras import layers

def neural_net(layer_sizes):
    model = Sequential()
    model.add(layers.InputLayer(input_shape=(layer_sizes[0],)))
    for width in layer_sizes[1:-1]:
        model.add(layers.Dense(width, activation=tf.nn.tanh, kernel_initializer="glorot_normal"))
    model.add(layers.Dense(layer_sizes[-1], activation=None, kernel_initializer="glorot_normal"))
    return model

u_model = neural_net([2, 30, 30, 30, 1])
`,
  },
  {
    name: 'GRU forecaster factory called with keyword timesteps',
    idiom: IDIOMS.factoryCalled,
    modelledOn: 'PedroOliveiraPT/Electricity-Forecasting GRUDense.py',
    source: `from keras.models import Sequential
from keras.layers import Dense
from keras.layers import GRU

def create_model(dense_cell, features, timesteps=1):
    model = Sequential()
    model.add(GRU(10, input_shape=(timesteps, features)))
    model.add(Dense(dense_cell))
    model.add(Dense(1))
    model.compile(loss='mae', optimizer='adam')
    return model

model = create_model(16, 5, timesteps=24)
`,
  },
  {
    name: 'one model per iteration: a factory called in nested loops with [n] * depth',
    idiom: IDIOMS.factoryCalled,
    modelledOn: 'Tebs-Lab/exploring-mnist-article stacking_by_size.py',
    source: `from keras.models import Sequential
from keras.layers import Dense

def create_dense(layer_sizes):
    model = Sequential()
    model.add(Dense(layer_sizes[0], activation='sigmoid', input_shape=(784,)))
    for s in layer_sizes[1:]:
        model.add(Dense(units=s, activation='sigmoid'))
    model.add(Dense(units=10, activation='softmax'))
    return model

for nodes_per_layer in [32, 128]:
    for depth in [2, 3]:
        model = create_dense([nodes_per_layer] * depth)
        evaluate(model, epochs=10 * depth)
`,
    allModels: 4,
  },
  {
    name: 'no-argument create_model() with BatchNormalization after each block',
    idiom: IDIOMS.factoryCalled,
    modelledOn: 'aydangasimova/GDD-deep-learning answers/fashion_mnist_model.py',
    source: `from tensorflow.keras.models import Sequential
from tensorflow.keras.layers import Conv2D, Flatten, MaxPool2D, Dense
from tensorflow.keras.layers import Dropout, BatchNormalization

def create_model():
    net = Sequential()
    net.add(Conv2D(filters=8, kernel_size=3, activation='relu', input_shape=(28, 28, 1)))
    net.add(Conv2D(filters=16, kernel_size=3, activation='relu'))
    net.add(MaxPool2D(pool_size=(2, 2)))
    net.add(BatchNormalization())
    net.add(Conv2D(filters=32, kernel_size=3, activation='relu'))
    net.add(MaxPool2D(pool_size=(2, 2)))
    net.add(BatchNormalization())
    net.add(Flatten())
    net.add(Dense(64, activation='relu'))
    net.add(BatchNormalization())
    net.add(Dropout(0.5))
    net.add(Dense(10, activation='softmax'))
    return net

model = create_model()
`,
  },
  {
    name: 'VGG-style factory with ZeroPadding2D before each Convolution2D, never called',
    idiom: IDIOMS.factoryUncalled,
    modelledOn: 'yangkaiqing/License-Plate-Recognition VGG16.py',
    source: `from keras.models import Sequential
from keras.layers.core import Flatten, Dense, Dropout
from keras.layers.convolutional import Convolution2D, MaxPooling2D, ZeroPadding2D

def VGG_small(weights_path=None, side=48, classes=36):
    model = Sequential()
    model.add(ZeroPadding2D((1, 1), data_format='channels_last', input_shape=(side, side, 3)))
    model.add(Convolution2D(32, kernel_size=(3, 3), activation='relu'))
    model.add(ZeroPadding2D((1, 1)))
    model.add(Convolution2D(32, kernel_size=(3, 3), activation='relu'))
    model.add(MaxPooling2D((2, 2), strides=(2, 2)))

    model.add(ZeroPadding2D((1, 1)))
    model.add(Convolution2D(64, kernel_size=(3, 3), activation='relu'))
    model.add(ZeroPadding2D((1, 1)))
    model.add(Convolution2D(64, kernel_size=(3, 3), activation='relu'))
    model.add(MaxPooling2D((2, 2), strides=(2, 2)))

    model.add(Flatten())
    model.add(Dense(256, activation='relu'))
    model.add(Dropout(0.5))
    model.add(Dense(classes, activation='softmax'))
    if weights_path:
        model.load_weights(weights_path)
    return model
`,
  },
  {
    name: 'stacked-LSTM factory with regularizer calls in its arguments, only defaults',
    idiom: IDIOMS.factoryUncalled,
    modelledOn: 'marcin119a/gw-predict model_lstm.py',
    source: `from keras.models import Sequential
from keras.layers import LSTM, Dense
from keras.regularizers import l1, l2

def create_model(activation='tanh', lr=1e-3, reg=0.0, dropout=0.5, num_neurons=64, n_steps_in=1, n_steps_out=50):
    model = Sequential()
    model.add(
        LSTM(
            units=num_neurons,
            activation=activation,
            dropout=dropout,
            kernel_regularizer=l2(reg),
            return_sequences=True,
            input_shape=(n_steps_in, 3))
    )
    model.add(LSTM(units=num_neurons, activation=activation, dropout=dropout, kernel_regularizer=l2(reg)))
    model.add(Dense(units=n_steps_out, kernel_regularizer=l2(reg)))
    model.compile(optimizer='adam', loss='mse')
    return model
`,
  },
  {
    name: 'TimeDistributed conv stack feeding LSTMs, seq_len a default argument',
    idiom: IDIOMS.factoryUncalled,
    modelledOn: 'vietanhdev/pushup-counter model.py',
    source: `from tensorflow.keras.models import Sequential
from tensorflow.keras.layers import Dense, Activation, Dropout, TimeDistributed, LSTM
from tensorflow.keras.layers import Flatten, Conv2D, MaxPooling2D

def build_model(seq_len=8):
    model = Sequential()
    model.add(TimeDistributed(Conv2D(16, (3, 3), padding='same'), input_shape=(seq_len, 48, 48, 3)))
    model.add(TimeDistributed(Activation('relu')))
    model.add(TimeDistributed(Conv2D(16, (3, 3))))
    model.add(TimeDistributed(Activation('relu')))
    model.add(TimeDistributed(MaxPooling2D(pool_size=(2, 2))))
    model.add(TimeDistributed(Dropout(0.25)))
    model.add(TimeDistributed(Flatten()))
    model.add(TimeDistributed(Dense(64)))
    model.add(LSTM(20, return_sequences=True))
    model.add(LSTM(20, return_sequences=True))
    model.add(TimeDistributed(Dense(1, activation="sigmoid")))
    return model
`,
  },

  // ---- helpers, loops, comprehensions, known ifs --------------------------------------------------
  {
    name: 'conv(model, ...), pool(model), dense(model, ...) helpers; input shape by tuple concatenation',
    idiom: IDIOMS.helperMutates,
    modelledOn: 'dbbnrl/critter r224_big.py (a version with conv(model, ...), pool(model), dense(model, ...))',
    source: `from keras.models import Sequential
from keras.layers import Conv2D, MaxPooling2D, Flatten, Dropout, Dense

img_size = (96, 96)

def conv(model, filters, dim=3, **kw):
    model.add(Conv2D(filters, (dim, dim), padding='same', activation='relu', **kw))

def pool(model):
    model.add(MaxPooling2D((2, 2)))

def dense(model, units):
    model.add(Dense(units, activation='relu'))

model = Sequential()
conv(model, 16, dim=5, input_shape=img_size + (1,))
pool(model)
conv(model, 16)
pool(model)
conv(model, 32)
pool(model)
model.add(Flatten())
model.add(Dropout(0.2))
dense(model, 32)
model.add(Dense(2, activation='softmax'))
`,
  },
  {
    name: 'NVIDIA driving net: Convolution2D with positional strides, input_shape on every conv',
    idiom: IDIOMS.repeatedInput,
    modelledOn:
      'Balaji-Ganesh/Rebuild-Self_Driving_car NVIDIA_Self-driving-car_simulation/utils.py (printed: NVIDIA_Self-driving-car_simulation/results/model_summary.md)',
    source: `from tensorflow.keras.models import Sequential
from tensorflow.keras.layers import Convolution2D, Flatten, Dense

FRAME = (66, 200, 3)

def driving_model():
    m = Sequential()
    for filters, k, s in [(24, 5, 2), (36, 5, 2), (48, 5, 2), (64, 3, 1), (64, 3, 1)]:
        m.add(Convolution2D(filters, (k, k), (s, s), input_shape=FRAME, activation='elu'))
    m.add(Flatten())
    for units in (100, 50, 10):
        m.add(Dense(units, activation='elu'))
    m.add(Dense(1))
    return m

model = driving_model()
`,
    printed: {
      total: 252219,
      shapes: [
        [null, 31, 98, 24],
        [null, 14, 47, 36],
        [null, 5, 22, 48],
        [null, 3, 20, 64],
        [null, 1, 18, 64],
        [null, 1152],
        [null, 100],
        [null, 50],
        [null, 10],
        [null, 1],
      ],
      params: [1824, 21636, 43248, 27712, 36928, 0, 115300, 5050, 510, 11],
    },
  },
  {
    name: 'enumerate over widths, the first layer gets input_shape through a **kwargs dict',
    idiom: IDIOMS.loop,
    modelledOn: 'https://newbetuts.com/70781692-how-to-make-a-cnn-model-correctly',
    source: `import tensorflow as tf

model = tf.keras.models.Sequential()
for i, n in enumerate([4, 4, 2]):
    extra = {"input_shape": (7, 9, 1)} if i == 0 else {}
    model.add(tf.keras.layers.Conv2D(n, kernel_size=(3, 3), activation="relu", **extra))
model.summary()
`,
    printed: {
      total: 262,
      shapes: [
        [null, 5, 7, 4],
        [null, 3, 5, 4],
        [null, 1, 3, 2],
      ],
      params: [40, 148, 74],
    },
  },
  {
    name: 'five conv/pool blocks from a tuple of filter counts (MaxPool2D alias)',
    idiom: IDIOMS.loop,
    modelledOn: 'cechmanek/machine-learning TensorFlow-Practice/deep-learning-with-python/dogs-vs-cats/cat-vs-dog.py',
    source: `from tensorflow.keras.models import Sequential
from tensorflow.keras.layers import Conv2D, Dense, Flatten, MaxPool2D, Input

model = Sequential([Input(shape=(150, 150, 3))])
for filters in (32, 64, 128, 128, 32):
    model.add(Conv2D(filters, (3, 3), activation='relu'))
    model.add(MaxPool2D((2, 2)))
model.add(Flatten())
model.add(Dense(512, activation='relu'))
model.add(Dense(1, activation='sigmoid'))  # sigmoid for binary classification
model.compile(loss='binary_crossentropy', optimizer='adam', metrics=['accuracy'])
`,
  },
  {
    name: 'layers named with an f-string of the loop variable',
    idiom: IDIOMS.loop,
    modelledOn: 'NuoWenLei/senior_project_stuff Part_A/base_learner.py',
    source: `from tensorflow.keras.layers import Dense
from tensorflow.keras.models import Sequential

def get_base_learner(neurons, depth, pred_size):
    m = Sequential()
    m.add(Dense(neurons, activation="relu", name="base_model_in", input_shape=(12,)))
    for l in range(depth):
        m.add(Dense(neurons, activation="relu", name=f"base_model_{l}"))
    m.add(Dense(pred_size, activation="linear", name="base_model_output"))
    return m

learner = get_base_learner(16, 2, 3)
`,
    names: ['base_model_in', 'base_model_0', 'base_model_1', 'base_model_output'],
  },
  {
    name: 'input list + comprehension of hidden layers + output list, regularizers from constants',
    idiom: IDIOMS.comprehension,
    modelledOn: 'aselker/uttt_v1 nn_common.py',
    source: `from tensorflow import keras

l1 = 1e-5
l2 = 1e-4

def make_model():
    return keras.models.Sequential(
        [keras.layers.Dense(128, activation="relu", kernel_regularizer=keras.regularizers.L1L2(l1=l1, l2=l2), input_shape=(81,))]
        + [keras.layers.Dense(128, activation="relu", kernel_regularizer=keras.regularizers.L1L2(l1=l1, l2=l2)) for _ in range(5)]
        + [keras.layers.Dense(1, activation="tanh")]
    )

model = make_model()
`,
  },
  {
    name: 'hidden layers from [Dense(int(h)) for h in hidden_sizes], a default filled in by a known if',
    idiom: IDIOMS.comprehension,
    modelledOn: 'Drakonosinc/Pong_Game src/Type_Model/Neural_Network_Tensorflow.py',
    source: `from tensorflow import keras
from tensorflow.keras import layers

def simple_nn(input_size, output_size, hidden_sizes=None):
    if hidden_sizes is None or len(hidden_sizes) == 0:
        hidden_sizes = [128]
    hidden = [layers.Dense(int(h), activation='relu') for h in hidden_sizes]
    return keras.Sequential([keras.Input(shape=(input_size,))] + hidden + [layers.Dense(output_size)])

default_net = simple_nn(6, 3)
wide_net = simple_nn(6, 3, hidden_sizes=[64.0, 32])
`,
    allModels: 2,
  },
  {
    name: 'LSTM layers kept or dropped by if on ints taken from a parameter list',
    idiom: IDIOMS.knownIf,
    modelledOn: 'hoangqui25/SMA-LSTM models/lstm.py',
    source: `from keras.models import Sequential
from keras.layers import Dense, Dropout, LSTM, Input

def lstm(input_shape, params):
    units1 = int(params[0])
    units2 = int(params[1])
    units3 = int(params[2])
    dense = int(params[3])
    dropout = float(params[4])

    model = Sequential()
    model.add(Input(shape=input_shape))
    if units1 > 0:
        model.add(LSTM(units=units1, activation='relu', return_sequences=True))
    if units2 > 0:
        model.add(LSTM(units=units2, activation='relu', return_sequences=True))
    if units3 > 0:
        model.add(LSTM(units=units3, activation='relu'))
    model.add(Dense(units=dense))
    model.add(Dropout(dropout))
    model.add(Dense(units=1))
    return model

model = lstm((30, 4), [64, 0, 32, 16, 0.2])
`,
  },
  {
    name: 'module-level if on a True constant picks data_format and the matching input shape',
    idiom: IDIOMS.knownIf,
    modelledOn: 'intel/unet 3D/imports.py',
    source: `import keras as K

CHANNEL_LAST = True
if CHANNEL_LAST:
    concat_axis = -1
    data_format = "channels_last"
    input_shape = (32, 32, 4)
else:
    concat_axis = 1
    data_format = "channels_first"
    input_shape = (4, 32, 32)

model = K.models.Sequential([
    K.layers.Conv2D(8, 3, padding="same", data_format=data_format, input_shape=input_shape),
    K.layers.BatchNormalization(axis=concat_axis),
    K.layers.MaxPooling2D(data_format=data_format),
    K.layers.Conv2D(1, 1, data_format=data_format, activation="sigmoid"),
])
`,
  },

  // ---- nested Sequential, build -----------------------------------------------------------------
  {
    name: 'named augmentation Sequential (RandomCrop changes the size) used as a layer',
    idiom: IDIOMS.nested,
    modelledOn: 'phigep/face-mask-detection training/preprocessing.py',
    source: `from tensorflow import keras
from keras import layers

size = (96, 96)
train_data_augmentation = keras.Sequential(
    [
        layers.RandomCrop(size[0], size[1]),
        layers.Rescaling(scale=1.0 / 127.5, offset=-1),
        layers.RandomFlip("horizontal"),
        layers.RandomRotation(factor=0.02),
        layers.RandomZoom(height_factor=0.2, width_factor=0.2),
    ],
    name="train_data_augmentation",
)

classifier = keras.Sequential([
    keras.Input(shape=(112, 112, 3)),
    train_data_augmentation,
    layers.Conv2D(16, 3, strides=2, activation="relu"),
    layers.Conv2D(32, 3, strides=2, activation="relu"),
    layers.GlobalAveragePooling2D(),
    layers.Dense(2, activation="softmax"),
])
`,
    model: 'classifier',
    inlined: {
      source: `from tensorflow import keras
from keras import layers

classifier = keras.Sequential([
    keras.Input(shape=(112, 112, 3)),
    layers.RandomCrop(96, 96),
    layers.Rescaling(scale=1.0 / 127.5, offset=-1),
    layers.RandomFlip("horizontal"),
    layers.RandomRotation(factor=0.02),
    layers.RandomZoom(height_factor=0.2, width_factor=0.2),
    layers.Conv2D(16, 3, strides=2, activation="relu"),
    layers.Conv2D(32, 3, strides=2, activation="relu"),
    layers.GlobalAveragePooling2D(),
    layers.Dense(2, activation="softmax"),
])
`,
      groups: [5, 1, 1, 1, 1],
    },
  },
  {
    name: 'resize_and_rescale and data_augmentation Sequentials, then model.build with a batch size',
    idiom: IDIOMS.nested,
    modelledOn: 'vivekisntit/Eye-Disease-Classifier src/preprocessing.py',
    source: `import tensorflow as tf
from tensorflow.keras import layers, models

IMAGE_SIZE = 64
BATCH_SIZE = 16
CHANNELS = 3

resize_and_rescale = tf.keras.Sequential([
    tf.keras.layers.Resizing(IMAGE_SIZE, IMAGE_SIZE),
    tf.keras.layers.Rescaling(1./255),
])

data_augmentation = tf.keras.Sequential([
    tf.keras.layers.RandomFlip("horizontal_and_vertical"),
    tf.keras.layers.RandomRotation(0.2),
])

input_shape = (BATCH_SIZE, IMAGE_SIZE, IMAGE_SIZE, CHANNELS)
model = models.Sequential([
    resize_and_rescale,
    data_augmentation,
    layers.Conv2D(16, (3, 3), activation='relu'),
    layers.MaxPooling2D((2, 2)),
    layers.Conv2D(32, (3, 3), activation='relu'),
    layers.MaxPooling2D((2, 2)),
    layers.Flatten(),
    layers.Dense(32, activation='relu'),
    layers.Dense(4, activation='softmax'),
])
model.build(input_shape=input_shape)
`,
    model: 'model',
    inlined: {
      source: `import tensorflow as tf
from tensorflow.keras import layers, models

model = models.Sequential([
    tf.keras.layers.Resizing(64, 64),
    tf.keras.layers.Rescaling(1./255),
    tf.keras.layers.RandomFlip("horizontal_and_vertical"),
    tf.keras.layers.RandomRotation(0.2),
    layers.Conv2D(16, (3, 3), activation='relu'),
    layers.MaxPooling2D((2, 2)),
    layers.Conv2D(32, (3, 3), activation='relu'),
    layers.MaxPooling2D((2, 2)),
    layers.Flatten(),
    layers.Dense(32, activation='relu'),
    layers.Dense(4, activation='softmax'),
])
model.build(input_shape=(16, 64, 64, 3))
`,
      groups: [2, 2, 1, 1, 1, 1, 1, 1, 1],
    },
  },
  {
    name: 'augmentation model carries input_shape on its first layer (experimental.preprocessing spelling)',
    idiom: IDIOMS.nested,
    modelledOn: 'Zenasj/HBTGen-artifact data/tensorflow-issue/issue_47360.py',
    source: `import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers
from tensorflow.keras.models import Sequential

img_height = 90
img_width = 90
num_classes = 5

data_augmentation = keras.Sequential(
    [
        layers.experimental.preprocessing.RandomFlip("horizontal", input_shape=(img_height, img_width, 3)),
        layers.experimental.preprocessing.RandomRotation(0.1),
        layers.experimental.preprocessing.RandomZoom(0.1),
    ]
)

model = Sequential([
    data_augmentation,
    layers.experimental.preprocessing.Rescaling(1./255),
    layers.Conv2D(16, 3, padding='same', activation='relu'),
    layers.MaxPooling2D(),
    layers.Conv2D(32, 3, padding='same', activation='relu'),
    layers.MaxPooling2D(),
    layers.Dropout(0.2),
    layers.Flatten(),
    layers.Dense(64, activation='relu'),
    layers.Dense(num_classes),
])
`,
    model: 'model',
    inlined: {
      source: `from tensorflow.keras import layers
from tensorflow.keras.models import Sequential

model = Sequential([
    layers.RandomFlip("horizontal", input_shape=(90, 90, 3)),
    layers.RandomRotation(0.1),
    layers.RandomZoom(0.1),
    layers.Rescaling(1./255),
    layers.Conv2D(16, 3, padding='same', activation='relu'),
    layers.MaxPooling2D(),
    layers.Conv2D(32, 3, padding='same', activation='relu'),
    layers.MaxPooling2D(),
    layers.Dropout(0.2),
    layers.Flatten(),
    layers.Dense(64, activation='relu'),
    layers.Dense(5),
])
`,
      groups: [3, 1, 1, 1, 1, 1, 1, 1, 1, 1],
    },
  },
  {
    name: 'build((BATCH, H, W, C)) after a list whose third layer carries a stray 4-tuple input_shape',
    idiom: IDIOMS.build,
    modelledOn: 'Chambeline-Nkah/potato_blight_model src/model.py',
    source: `from tensorflow.keras import layers, models

IMAGE_SIZE = 64
BATCH_SIZE = 32
CHANNELS = 3

scaling = layers.Rescaling(1.0 / 255)
flip = layers.RandomFlip("horizontal")

input = (BATCH_SIZE, IMAGE_SIZE, IMAGE_SIZE, CHANNELS)
model1 = models.Sequential([
    scaling,
    flip,
    layers.Conv2D(32, kernel_size=(3, 3), activation='relu', input_shape=input),
    layers.MaxPooling2D((2, 2)),
    layers.Conv2D(64, kernel_size=(3, 3), activation='relu'),
    layers.MaxPooling2D((2, 2)),
    layers.Conv2D(64, kernel_size=(3, 3), activation='relu'),
    layers.MaxPooling2D((2, 2)),
    layers.Flatten(),
    layers.Dense(64, activation='relu'),
    layers.Dense(3, activation='softmax'),
])
model1.build(input_shape=input)
`,
  },

  // ---- DCGAN generators ---------------------------------------------------------------------------
  {
    name: 'DCGAN generator with asserts after each Conv2DTranspose, sizes from constants',
    idiom: IDIOMS.asserts,
    modelledOn: 'hrkhak/DCGAN_generate_sunflower Generator.py',
    source: `import tensorflow as tf
from tensorflow.keras import layers

NOISE_SIZE = 64
EPSILON = 1e-5

def make_generator_model():
    model = tf.keras.Sequential()
    model.add(layers.Dense(4 * 4 * 128, use_bias=False, input_shape=(NOISE_SIZE,)))
    model.add(layers.BatchNormalization(epsilon=EPSILON))
    model.add(layers.ReLU())

    model.add(layers.Reshape((4, 4, 128)))
    assert model.output_shape == (None, 4, 4, 128)  # None is the batch size

    model.add(layers.Conv2DTranspose(64, (5, 5), strides=(2, 2), padding='same', use_bias=False))
    assert model.output_shape == (None, 8, 8, 64)
    model.add(layers.BatchNormalization(epsilon=EPSILON))
    model.add(layers.ReLU())

    model.add(layers.Conv2DTranspose(32, (5, 5), strides=(2, 2), padding='same', use_bias=False))
    assert model.output_shape == (None, 16, 16, 32)
    model.add(layers.BatchNormalization(epsilon=EPSILON))
    model.add(layers.ReLU())

    model.add(layers.Conv2DTranspose(3, (5, 5), strides=(2, 2), padding='same', use_bias=False, activation='tanh'))
    assert model.output_shape == (None, 32, 32, 3)
    return model

generator = make_generator_model()
noise = tf.random.normal([1, NOISE_SIZE])
`,
  },
  {
    name: 'generator upsampling in a loop: strides alternate 1 and 2, the asserted size updated each turn',
    idiom: IDIOMS.asserts,
    modelledOn: 'AdiAlbum1/street-view-gan models.py',
    source: `import tensorflow as tf
from tensorflow.keras.layers import Dense, BatchNormalization, LeakyReLU, Reshape, Conv2DTranspose

def make_generator_model():
    model = tf.keras.Sequential()
    model.add(Dense(5 * 4 * 128, use_bias=False, input_shape=(100,)))
    model.add(BatchNormalization())
    model.add(LeakyReLU())
    model.add(Reshape((5, 4, 128)))
    h, w = 5, 4
    for filters, stride in [(64, 1), (64, 2), (32, 1), (32, 2)]:
        model.add(Conv2DTranspose(filters, (3, 3), strides=(stride, stride), padding='same', use_bias=False))
        h, w = h * stride, w * stride
        assert model.output_shape == (None, h, w, filters)
        model.add(BatchNormalization())
        model.add(LeakyReLU())
    model.add(Conv2DTranspose(3, (3, 3), strides=(2, 2), padding='same', use_bias=False, activation='tanh'))
    return model

generator = make_generator_model()
`,
  },
  {
    name: "generator sizes from another module's star import",
    idiom: IDIOMS.otherModule,
    modelledOn: 'rghosh8/oh-my-dog src/g_model.py',
    source: `import tensorflow as tf
from static import *
from tensorflow.keras import layers

def g_model():
    model = tf.keras.Sequential()
    model.add(layers.Dense(8 * 8 * 64, use_bias=False, input_shape=(noise_dim,)))
    model.add(layers.BatchNormalization())
    model.add(layers.LeakyReLU())
    model.add(layers.Reshape((8, 8, 64)))
    print(model.output_shape)
    model.add(layers.Conv2DTranspose(32, (5, 5), strides=(2, 2), padding='same', use_bias=False))
    print(model.output_shape)
    model.add(layers.BatchNormalization())
    model.add(layers.LeakyReLU())
    model.add(layers.Dense(3, activation='tanh', use_bias=False))
    return model
`,
    unsupported: {
      codes: ['unresolved-value'],
      mentions: ['noise_dim'],
      plain: `import tensorflow as tf
from tensorflow.keras import layers

def g_model():
    model = tf.keras.Sequential()
    model.add(layers.Dense(8 * 8 * 64, use_bias=False, input_shape=(100,)))
    model.add(layers.BatchNormalization())
    model.add(layers.LeakyReLU())
    model.add(layers.Reshape((8, 8, 64)))
    model.add(layers.Conv2DTranspose(32, (5, 5), strides=(2, 2), padding='same', use_bias=False))
    model.add(layers.BatchNormalization())
    model.add(layers.LeakyReLU())
    model.add(layers.Dense(3, activation='tanh', use_bias=False))
    return model
`,
    },
  },

  // ---- legacy spellings -----------------------------------------------------------------------------
  {
    name: 'Convolution2D and MaxPooling2D written with keywords only',
    idiom: IDIOMS.legacy,
    modelledOn: 'gouravk842/mlops new_convolve.py',
    source: `from keras.models import Sequential
from keras.layers import Convolution2D, MaxPooling2D, Flatten, Dense

model = Sequential()
model.add(Convolution2D(filters=32,
                        kernel_size=(3, 3),
                        activation='relu',
                        input_shape=(64, 64, 3)
                        ))
model.add(MaxPooling2D(pool_size=(2, 2)))
model.add(Convolution2D(filters=32,
                        kernel_size=(3, 3),
                        activation='relu'
                        ))
model.add(MaxPooling2D(pool_size=(2, 2)))
model.add(Flatten())
model.add(Dense(units=64, activation='relu'))
model.add(Dense(units=1, activation='sigmoid'))
`,
  },
  {
    name: 'Keras 1 positional rows/cols in Conv2D(64, 3, 3) under a Keras 2 import',
    idiom: IDIOMS.legacy,
    modelledOn: 'thangle2008/deep-learning models/vgg16.py',
    source: `from keras.models import Sequential
from keras.layers.core import Flatten, Dense, Dropout
from keras.layers.convolutional import Conv2D, MaxPooling2D, ZeroPadding2D

def VGG_mini(input_shape=(32, 32, 3), num_classes=10):
    model = Sequential()
    model.add(ZeroPadding2D((1, 1), input_shape=input_shape))
    model.add(Conv2D(32, 3, 3, activation='relu'))
    model.add(ZeroPadding2D((1, 1)))
    model.add(Conv2D(32, 3, 3, activation='relu'))
    model.add(MaxPooling2D((2, 2), strides=(2, 2)))
    model.add(Flatten())
    model.add(Dense(64, activation='relu'))
    model.add(Dropout(0.5))
    model.add(Dense(num_classes, activation='softmax'))
    return model
`,
  },

  // ---- text and sequences -----------------------------------------------------------------------------
  {
    name: 'Embedding without input_length, LSTM with dropouts',
    idiom: IDIOMS.text,
    modelledOn: 'LUIGUI55/commitss python/tensorflow/lstm.py',
    source: `from tensorflow.keras.models import Sequential
from tensorflow.keras.layers import LSTM, Dense, Embedding

model = Sequential()
model.add(Embedding(input_dim=5000, output_dim=64))
model.add(LSTM(64, dropout=0.2, recurrent_dropout=0.2))
model.add(Dense(1, activation='sigmoid'))
model.compile(loss='binary_crossentropy', optimizer='adam', metrics=['accuracy'])
`,
  },
  {
    name: 'Embedding with input_length, Conv1D, MaxPooling1D, Flatten',
    idiom: IDIOMS.text,
    modelledOn: 'fmchan/NLP-Study-and-Lab embedding.py',
    source: `from keras.models import Sequential
from keras.layers import Embedding
from keras.layers import Conv1D, Dense, MaxPooling1D, Flatten

# define problem
vocab_size = 120
max_length = 60
# define model
model = Sequential()
model.add(Embedding(vocab_size, 16, input_length=max_length))
model.add(Conv1D(filters=32, kernel_size=8, activation='relu'))
model.add(MaxPooling1D(pool_size=2))
model.add(Flatten())
model.add(Dense(10, activation='relu'))
model.add(Dense(1, activation='sigmoid'))
print(model.summary())
`,
  },
  {
    name: 'stacked LSTM on (n_steps, n_features) constants',
    idiom: IDIOMS.sequences,
    modelledOn: 'https://machinelearningmastery.com/how-to-develop-lstm-models-for-time-series-forecasting/',
    source: `from keras.models import Sequential
from keras.layers import LSTM
from keras.layers import Dense

n_steps = 3
n_features = 1
model = Sequential()
model.add(LSTM(50, activation='relu', return_sequences=True, input_shape=(n_steps, n_features)))
model.add(LSTM(50, activation='relu'))
model.add(Dense(1))
model.compile(optimizer='adam', loss='mse')
`,
  },
  {
    name: 'CNN-LSTM: TimeDistributed Conv1D over subsequences of unknown count',
    idiom: IDIOMS.sequences,
    modelledOn: 'https://machinelearningmastery.com/how-to-develop-lstm-models-for-time-series-forecasting/',
    source: `from keras.models import Sequential
from keras.layers import LSTM, Dense, Flatten, TimeDistributed
from keras.layers.convolutional import Conv1D, MaxPooling1D

n_features = 1
n_seq = 2
n_steps = 2
model = Sequential()
model.add(TimeDistributed(Conv1D(filters=64, kernel_size=1, activation='relu'), input_shape=(None, n_steps, n_features)))
model.add(TimeDistributed(MaxPooling1D(pool_size=2)))
model.add(TimeDistributed(Flatten()))
model.add(LSTM(50, activation='relu'))
model.add(Dense(1))
`,
  },
  {
    name: 'encoder-decoder: LSTM, RepeatVector(n_steps_out), LSTM, TimeDistributed(Dense)',
    idiom: IDIOMS.sequences,
    modelledOn: 'https://machinelearningmastery.com/how-to-develop-lstm-models-for-time-series-forecasting/',
    source: `from keras.models import Sequential
from keras.layers import LSTM, Dense, RepeatVector, TimeDistributed

n_steps_in, n_steps_out = 3, 2
n_features = 2
model = Sequential()
model.add(LSTM(100, activation='relu', input_shape=(n_steps_in, n_features)))
model.add(RepeatVector(n_steps_out))
model.add(LSTM(100, activation='relu', return_sequences=True))
model.add(TimeDistributed(Dense(1)))
`,
  },
  {
    name: 'Bidirectional(LSTM) carrying the input_shape',
    idiom: IDIOMS.sequences,
    modelledOn: 'https://machinelearningmastery.com/how-to-develop-lstm-models-for-time-series-forecasting/',
    source: `from keras.models import Sequential
from keras.layers import LSTM, Dense, Bidirectional

n_steps = 3
n_features = 1
model = Sequential()
model.add(Bidirectional(LSTM(50, activation='relu'), input_shape=(n_steps, n_features)))
model.add(Dense(1))
`,
  },

  // ---- notebooks, docstrings ----------------------------------------------------------------------------
  {
    name: 'notebook: n_steps in one cell, n_features in a later one, the Conv1D model in a third',
    idiom: IDIOMS.notebook,
    modelledOn: 'https://github.com/cagBRT/timeSeries (10_Univariate_CNN_Models.ipynb)',
    cells: [
      `from numpy import array
from keras.models import Sequential
from keras.layers import Dense
from keras.layers import Flatten
from keras.layers.convolutional import Conv1D
from keras.layers.convolutional import MaxPooling1D
`,
      `raw_seq = [5, 15, 25, 35, 45, 55, 65, 75, 85, 95]
# choose a number of time steps
n_steps = 4
`,
      `n_features = 1
X = X.reshape((X.shape[0], X.shape[1], n_features))
`,
      `model = Sequential()
model.add(Conv1D(filters=32, kernel_size=2, activation='relu', input_shape=(n_steps, n_features)))
model.add(MaxPooling1D(pool_size=2))
model.add(Flatten())
model.add(Dense(50, activation='relu'))
model.add(Dense(1))
model.compile(optimizer='adam', loss='mse')
`,
    ],
  },
  {
    name: 'notebook: the network named network, input_shape=(28 * 28,)',
    idiom: IDIOMS.notebook,
    modelledOn: 'https://github.com/keithmattix/mnist',
    cells: [
      `from keras.datasets import mnist
from keras import models, layers
from keras.utils import to_categorical

(train_images, train_labels), (test_images, test_labels) = mnist.load_data()
`,
      `network = models.Sequential()
network.add(layers.Dense(256, activation='relu', input_shape=(28 * 28,)))
network.add(layers.Dense(10, activation='softmax'))
`,
      `network.compile(optimizer='rmsprop', loss='categorical_crossentropy', metrics=['accuracy'])
`,
    ],
  },
  {
    name: 'a Sequential quoted in the module docstring is not a model; the real one below is',
    idiom: IDIOMS.docstring,
    modelledOn: 'mikewen8/184_project CNN/model.py',
    source: `#https://www.tensorflow.org/guide/keras/sequential_model
"""
When to use a Sequential model:
# Define Sequential model with 3 layers
model = keras.Sequential(
    [
        layers.Dense(2, activation="relu", name="layer1"),
        layers.Dense(3, activation="relu", name="layer2"),
        layers.Dense(4, name="layer3"),
    ]
)
(from the keras documentation)
"""
from tensorflow import keras
from tensorflow.keras import layers

model = keras.Sequential([
    keras.Input(shape=(64, 64, 1)),
    layers.Conv2D(8, 3, activation="relu"),
    layers.MaxPooling2D(),
    layers.Flatten(),
    layers.Dense(4, activation="softmax"),
])
`,
    allModels: 1,
  },
  {
    name: 'model.pop() removes the last layer',
    idiom: IDIOMS.pop,
    modelledOn: 'https://keras.io/guides/sequential_model/',
    source: `import keras
from keras import layers

model = keras.Sequential(
    [
        keras.Input(shape=(4,)),
        layers.Dense(2, activation="relu"),
        layers.Dense(3, activation="relu"),
        layers.Dense(4),
    ]
)
model.pop()
print(len(model.layers))  # 2
`,
  },

  // ---- models Keras refuses ----------------------------------------------------------------------------
  {
    name: 'Reshape to rank 3, then Conv2DTranspose (Keras: expected ndim=4)',
    idiom: IDIOMS.refused,
    modelledOn: 'Dave-he/tf2-learn myGnn.py',
    source: `import tensorflow as tf
from tensorflow.keras import layers

def make_generator_model():
    model = tf.keras.Sequential()
    model.add(layers.Dense(7 * 128, use_bias=False, input_shape=(64,)))
    model.add(layers.BatchNormalization())
    model.add(layers.LeakyReLU())
    model.add(layers.Reshape((7, 128)))
    assert model.output_shape == (None, 7, 128)
    model.add(layers.Conv2DTranspose(64, (5, 5), strides=(2, 2), padding='same', use_bias=False))
    model.add(layers.BatchNormalization())
    model.add(layers.LeakyReLU())
    return model

generator = make_generator_model()
`,
    refused: { layer: 4, code: 'incompatible-rank' },
  },
  {
    name: 'a channels-first input_shape written by hand on a channels_last model: pooling a 1-pixel axis',
    idiom: IDIOMS.refused,
    modelledOn: '0x1za/keras_cnn cnn.py',
    source: `from keras.models import Sequential
from keras.layers import MaxPool2D, Conv2D
from keras.layers import Activation, Flatten, Dense

img_width, img_height = 150, 150

model = Sequential()
model.add(Conv2D(32, (3, 3), input_shape=(3, 150, 150)))
model.add(Activation('relu'))
model.add(MaxPool2D(pool_size=(2, 2)))
model.add(Conv2D(32, (3, 3)))
model.add(Activation('relu'))
model.add(Flatten())
model.add(Dense(1))
`,
    refused: { layer: 2, code: 'negative-dimension' },
  },
  {
    name: 'unresolved merge-conflict markers between two first layers',
    idiom: IDIOMS.refused,
    modelledOn: 'crabarca/Estima-tu-edad model.py',
    source: `import keras
from keras.models import Sequential
from keras.layers import Dense, Conv2D, MaxPool2D, Flatten

model = Sequential()
<<<<<<< HEAD
model.add(Conv2D(16, 7, activation='relu', input_shape=(60, 50, 1), data_format='channels_last'))
=======
model.add(Conv2D(16, 7, activation='relu', input_shape=(60, 50, 3)))
>>>>>>> 0123456789abcdef0123456789abcdef01234567
model.add(MaxPool2D(strides=2))
model.add(Flatten())
model.add(Dense(7, activation='softmax'))
`,
    refused: { code: 'syntax-error' },
  },

  {
    name: 'a misspelt keyword (actiavtion=) in a Hands-On ML style list with BatchNormalization',
    idiom: IDIOMS.refused,
    modelledOn: 'koni114/TIL Python/lecture/deepLearning/handsonML_chapter11.py',
    source: `import tensorflow as tf

model = tf.keras.models.Sequential([
    tf.keras.layers.Flatten(input_shape=[28, 28]),
    tf.keras.layers.BatchNormalization(),
    tf.keras.layers.Dense(100, actiavtion='elu', kernel_initializer='he_normal'),
    tf.keras.layers.BatchNormalization(),
    tf.keras.layers.Dense(10, activation='softmax'),
])
`,
    refused: {
      layer: 2,
      code: 'invalid-argument',
      keras: "TypeError: ('Keyword argument not understood:', 'actiavtion') (Keras 3: Unrecognized keyword arguments passed to Dense)",
    },
  },

  // ---- freezing, dict configs -------------------------------------------------------------------------
  {
    name: 'GloVe-style: model.layers[0].trainable = False after building',
    idiom: IDIOMS.freeze,
    modelledOn: 'tensfa/tensfa SFData/StackOverflow/s65215572_original.py',
    source: `from keras.models import Sequential
from keras.layers import Embedding, Flatten, Dense

max_words = 2000
maxlen = 50
embedding_dim = 32

model = Sequential()
model.add(Embedding(max_words, embedding_dim, input_length=maxlen))
model.add(Flatten())
model.add(Dense(32, activation='relu'))
model.add(Dense(4, activation='softmax'))
model.summary()

model.layers[0].set_weights([embedding_matrix])
model.layers[0].trainable = False
`,
  },
  {
    name: 'for layer in model.layers[:-1]: layer.trainable = False',
    idiom: IDIOMS.freeze,
    modelledOn: 'https://www.tutorialspoint.com/article/how-can-transfer-learning-be-implemented-in-python-using-keras',
    source: `import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

model = keras.Sequential([
    keras.Input(shape=(64,)),
    layers.Dense(16, activation='relu', name='dense1'),
    layers.Dense(16, activation='relu', name='dense2'),
    layers.Dense(5, activation='softmax', name='output'),
])

# Freeze all layers except the last one
for layer in model.layers[:-1]:
    layer.trainable = False
model.layers[-1].trainable = True
`,
  },
  {
    name: "LSTM sizes from kwargs['...'] of a dict literal passed to the builder",
    idiom: IDIOMS.dictConfig,
    modelledOn: 'freemancho1/trading modeling/nn_models.py',
    source: `from tensorflow.keras import Sequential
from tensorflow.keras.layers import Dense, LSTM, Dropout

def lstm_model(kwargs):
    model = Sequential([
        LSTM(units=kwargs['input_units'],
             activation=kwargs['activation_fn'],
             return_sequences=True,
             input_shape=(kwargs['window_size'], kwargs['feature_size'])),
        Dropout(kwargs['dropout']),
        LSTM(units=kwargs['middle_units'], activation=kwargs['activation_fn']),
        Dropout(kwargs['dropout']),
        Dense(kwargs['output_units']),
    ])
    return model

model = lstm_model({
    'input_units': 32, 'middle_units': 16, 'output_units': 1, 'activation_fn': 'tanh',
    'window_size': 20, 'feature_size': 5, 'dropout': 0.2,
})
`,
  },

  // ---- what LayerLens states it cannot read -------------------------------------------------------------
  {
    name: 'keras-tuner: number of layers and their units from hp.Int in a loop',
    idiom: IDIOMS.tuner,
    modelledOn: 'jackmachine3d/Snake_tuner model.py',
    source: `from tensorflow.keras.models import Sequential
from tensorflow.keras.layers import Dense

def build_model(hp):
    model = Sequential()
    activation_choice = hp.Choice('activation', values=['relu', 'tanh', 'elu'])
    model.add(Dense(units=hp.Int('units_input', min_value=10, max_value=32, step=2), input_dim=7, activation=activation_choice))
    for i in range(hp.Int('num_layers', 2, 6)):
        model.add(Dense(units=hp.Int('units_' + str(i), min_value=10, max_value=32, step=2), activation=activation_choice))
    model.add(Dense(3, activation='softmax'))
    model.compile(optimizer='adam', loss='categorical_crossentropy', metrics=['accuracy'])
    return model
`,
  },
  {
    name: 'keras-tuner: Dense units from hp.Int after a Flatten with input_shape',
    idiom: IDIOMS.tuner,
    modelledOn: 'tokusumi/ml-management-tools mlflow/models/baseline.py',
    source: `from tensorflow import keras

def build_model(hp):
    model = keras.Sequential()
    model.add(keras.layers.Flatten(input_shape=(32, 32, 3)))
    model.add(keras.layers.Dense(units=hp.Int("units", min_value=32, max_value=512, step=32), activation="relu"))
    model.add(keras.layers.Dense(10, activation="softmax"))
    model.compile(
        optimizer=keras.optimizers.Adam(hp.Choice("learning_rate", values=[1e-2, 1e-3, 1e-4])),
        loss="sparse_categorical_crossentropy",
        metrics=["acc"],
    )
    return model
`,
  },
  {
    name: 'keras-tuner: build_model(hp) whose hp is never read is fully known',
    idiom: IDIOMS.tuner,
    modelledOn: 'DakobedBard/PianoMirTranscriber mir/models/cnn.py',
    source: `from keras.models import Sequential
from keras.layers import Dense, Dropout, Conv2D, MaxPool2D, Flatten

def build_model(hp):
    model = Sequential()
    model.add(Conv2D(filters=32, kernel_size=(3, 3), kernel_initializer='normal', activation='relu', padding='same', input_shape=(6, 96, 1)))
    model.add(MaxPool2D(pool_size=(2, 2)))
    model.add(Dropout(.25))
    model.add(Flatten())
    model.add(Dense(64, activation='tanh'))
    model.add(Dropout(.2))
    model.add(Dense(88, kernel_initializer='normal', activation='sigmoid'))
    model.compile(loss='binary_crossentropy', optimizer='adam')
    return model
`,
  },
  {
    name: 'keras-tuner: build_model(keras_tuner.HyperParameters()) with no input shape at all',
    idiom: IDIOMS.tuner,
    modelledOn: 'ua-datalab/QNLP learning_keras_tuner.py',
    source: `import keras_tuner
import keras
from keras import layers

def build_model(hp):
    model = keras.Sequential()
    model.add(layers.Flatten())
    model.add(layers.Dense(units=hp.Int("units", min_value=32, max_value=512, step=32), activation="relu"))
    model.add(layers.Dense(10, activation="softmax"))
    model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
    return model

build_model(keras_tuner.HyperParameters())
`,
    unsupported: {
      codes: ['missing-input-shape'],
      mentions: ['No input shape'],
      plain: `import keras
from keras import layers

def build_model():
    model = keras.Sequential()
    model.add(layers.Flatten())
    model.add(layers.Dense(units=32, activation="relu"))  # hp.Int's first value, its min_value
    model.add(layers.Dense(10, activation="softmax"))
    return model
`,
    },
  },
  {
    name: 'input width from the training data: input_shape=(X_train.shape[1],)',
    idiom: IDIOMS.data,
    modelledOn: 'kwisatzheadache/glucose-learning ml.py',
    source: `import numpy as np
from keras import layers
from keras.models import Sequential

X_train = np.load('x_train.npy')
model = Sequential()
model.add(layers.Dense(64, activation='relu', input_shape=(X_train.shape[1],)))
model.add(layers.Dense(32, activation='relu'))
model.add(layers.Dense(1))
model.compile(optimizer='rmsprop', loss='mse', metrics=['mae'])
`,
    unsupported: {
      codes: ['unresolved-value'],
      mentions: ['X_train.shape[1]'],
      plain: `from keras import layers
from keras.models import Sequential

model = Sequential()
model.add(layers.Dense(64, activation='relu', input_shape=(8,)))
model.add(layers.Dense(32, activation='relu'))
model.add(layers.Dense(1))
`,
    },
  },
  {
    name: 'vocabulary size from a fitted vectorizer: len(vectorizer.get_feature_names()) + 1',
    idiom: IDIOMS.data,
    modelledOn: 'jeff-vincent/keras-nlp-stuffs basic_lstm.py',
    source: `from keras.models import Sequential
from keras.layers import Dense, LSTM, Embedding

MAX_SEQ_LENGTH = 40

model = Sequential()
model.add(Embedding(len(vectorizer.get_feature_names()) + 1,
                    32,  # embedding size
                    input_length=MAX_SEQ_LENGTH))
model.add(LSTM(32))
model.add(Dense(units=1, activation='sigmoid'))
print(model.summary())
`,
    unsupported: {
      codes: ['unresolved-value'],
      mentions: ['vectorizer.get_feature_names()'],
      plain: `from keras.models import Sequential
from keras.layers import Dense, LSTM, Embedding

model = Sequential()
model.add(Embedding(3001, 32, input_length=40))
model.add(LSTM(32))
model.add(Dense(units=1, activation='sigmoid'))
`,
    },
  },
  {
    name: 'flowers tutorial: num_classes = len(class_names) from the dataset',
    idiom: IDIOMS.data,
    modelledOn: 'https://www.unicodesnwrites.tech/blog/classification-of-flowers-in-mobile-phone-part-2',
    source: `import tensorflow as tf
from tensorflow.keras import layers
from tensorflow.keras.models import Sequential

img_height = 120
img_width = 120
class_names = train_ds.class_names
num_classes = len(class_names)

model = Sequential([
    layers.Rescaling(1./255, input_shape=(img_height, img_width, 3)),
    layers.Conv2D(16, 3, padding='same', activation='relu'),
    layers.MaxPooling2D(),
    layers.Conv2D(32, 3, padding='same', activation='relu'),
    layers.MaxPooling2D(),
    layers.Flatten(),
    layers.Dense(64, activation='relu'),
    layers.Dense(num_classes),
])
`,
    unsupported: {
      codes: ['unresolved-value'],
      mentions: ['train_ds.class_names'],
      plain: `from tensorflow.keras import layers
from tensorflow.keras.models import Sequential

model = Sequential([
    layers.Rescaling(1./255, input_shape=(120, 120, 3)),
    layers.Conv2D(16, 3, padding='same', activation='relu'),
    layers.MaxPooling2D(),
    layers.Conv2D(32, 3, padding='same', activation='relu'),
    layers.MaxPooling2D(),
    layers.Flatten(),
    layers.Dense(64, activation='relu'),
    layers.Dense(5),
])
`,
    },
  },
  {
    name: 'n_features defined in another file of the project',
    idiom: IDIOMS.otherModule,
    modelledOn: 'JasonG7234/marketplace-bot src/training/model.py',
    source: `import numpy as np
import keras
from keras.models import Sequential
from keras.layers import Dense

model = Sequential()
model.add(Dense(64, input_shape=(n_features,), activation='relu'))
model.add(Dense(1, activation='linear'))
model.compile(loss='mean_squared_error', optimizer='adam', metrics=['mean_squared_error'])
`,
    unsupported: {
      codes: ['unresolved-value'],
      mentions: ['n_features'],
      plain: `from keras.models import Sequential
from keras.layers import Dense

model = Sequential()
model.add(Dense(64, input_shape=(9,), activation='relu'))
model.add(Dense(1, activation='linear'))
`,
    },
  },
  {
    name: "input_shape chosen by if K.image_data_format() == 'channels_first', as Keras' own example does",
    idiom: IDIOMS.runtimeIf,
    modelledOn: 'keras-team/keras examples/mnist_cnn.py',
    source: `import keras
from keras.models import Sequential
from keras.layers import Dense, Dropout, Flatten, Conv2D, MaxPooling2D
from keras import backend as K

num_classes = 10
img_rows = 28
img_cols = 28

if K.image_data_format() == 'channels_first':
    x_train = x_train.reshape(x_train.shape[0], 1, img_rows, img_cols)
    input_shape = (1, img_rows, img_cols)
else:
    x_train = x_train.reshape(x_train.shape[0], img_rows, img_cols, 1)
    input_shape = (img_rows, img_cols, 1)

model = Sequential()
model.add(Conv2D(16, kernel_size=(3, 3), activation='relu', input_shape=input_shape))
model.add(Conv2D(32, (3, 3), activation='relu'))
model.add(MaxPooling2D(pool_size=(2, 2)))
model.add(Dropout(0.25))
model.add(Flatten())
model.add(Dense(64, activation='relu'))
model.add(Dropout(0.5))
model.add(Dense(num_classes, activation='softmax'))
`,
    unsupported: {
      codes: ['unresolved-value'],
      mentions: ['input_shape'],
      forbid: /not defined in this file/,
      plain: `from keras.models import Sequential
from keras.layers import Dense, Dropout, Flatten, Conv2D, MaxPooling2D

model = Sequential()
model.add(Conv2D(16, kernel_size=(3, 3), activation='relu', input_shape=(28, 28, 1)))
model.add(Conv2D(32, (3, 3), activation='relu'))
model.add(MaxPooling2D(pool_size=(2, 2)))
model.add(Dropout(0.25))
model.add(Flatten())
model.add(Dense(64, activation='relu'))
model.add(Dropout(0.5))
model.add(Dense(10, activation='softmax'))
`,
    },
  },
  {
    name: 'Cropping2D, then a Lambda normalising pixels, then the convolutions',
    idiom: IDIOMS.unknownLayer,
    modelledOn: 'reinaldomaslim/CarND-Behavioral-Cloning reinaldomaslim-CarND-Behavioral-Cloning-e78643e/crop.py',
    source: `from keras.models import Sequential
from keras.layers import Cropping2D, Lambda, Conv2D, Flatten, Dense

model = Sequential()
model.add(Cropping2D(cropping=((50, 20), (0, 0)), input_shape=(160, 320, 3)))
model.add(Lambda(lambda x: (x / 255.0) - 0.5))
model.add(Conv2D(24, (5, 5), strides=(2, 2), activation='relu'))
model.add(Flatten())
model.add(Dense(1))
`,
    // tfjs cannot run the Lambda's Python; arithmetic with numbers keeps the shape, as an identity activation does.
    inlined: {
      source: `from keras.models import Sequential
from keras.layers import Cropping2D, Activation, Conv2D, Flatten, Dense

model = Sequential()
model.add(Cropping2D(cropping=((50, 20), (0, 0)), input_shape=(160, 320, 3)))
model.add(Activation('linear'))
model.add(Conv2D(24, (5, 5), strides=(2, 2), activation='relu'))
model.add(Flatten())
model.add(Dense(1))
`,
      groups: [1, 1, 1, 1, 1],
    },
  },
  {
    name: 'Lambda as the first layer carrying input_shape, in a factory with a default',
    idiom: IDIOMS.unknownLayer,
    modelledOn: 'alexhagiopol/end-to-end-deep-learning architecture.py',
    source: `from keras.models import Sequential
from keras.layers import Lambda, Flatten, Dense

def test_model(input_shape=(67, 320)):
    model = Sequential()
    # normalize pixels to between -1 <= x <= 1
    model.add(Lambda(lambda x: (x / 255.0) * 2 - 1, input_shape=input_shape))
    model.add(Flatten())
    model.add(Dense(1))
    model.compile(loss="mse", optimizer="adam")
    return model
`,
    inlined: {
      source: `from keras.models import Sequential
from keras.layers import Activation, Flatten, Dense

def test_model(input_shape=(67, 320)):
    model = Sequential()
    model.add(Activation('linear', input_shape=input_shape))
    model.add(Flatten())
    model.add(Dense(1))
    return model
`,
      groups: [1, 1, 1],
    },
  },
  {
    name: 'ConvLSTM2D over (n_seq, 1, n_steps, n_features)',
    idiom: IDIOMS.sequences,
    modelledOn: 'https://machinelearningmastery.com/how-to-develop-lstm-models-for-time-series-forecasting/',
    source: `from keras.models import Sequential
from keras.layers import Dense, Flatten, ConvLSTM2D

n_features = 1
n_seq = 2
n_steps = 2
model = Sequential()
model.add(ConvLSTM2D(filters=64, kernel_size=(1, 2), activation='relu', input_shape=(n_seq, 1, n_steps, n_features)))
model.add(Flatten())
model.add(Dense(1))
`,
  },
  {
    name: 'encoder and decoder Sequentials inside a keras.Model subclass, no input shape',
    idiom: IDIOMS.noInput,
    modelledOn: 'tobi-spec/Machine-Learning TimeSeriesPrediction/AnomalieDetection/LogFiles/Keras/AutoEncoder/logfile_keras_autoencoder_model.py',
    source: `from keras import Model, layers, Sequential

class AutoEncoder(Model):
    def __init__(self):
        super(AutoEncoder, self).__init__()
        self.encoder = Sequential([
            layers.Dense(32, activation="relu"),
            layers.Dense(16, activation="relu"),
            layers.Dense(8, activation="relu")])

        self.decoder = Sequential([
            layers.Dense(16, activation="relu"),
            layers.Dense(32, activation="relu"),
            layers.Dense(50, activation="sigmoid")])

    def call(self, x):
        encoded = self.encoder(x)
        decoded = self.decoder(encoded)
        return decoded
`,
    model: 'self.encoder',
    unsupported: {
      codes: ['missing-input-shape'],
      mentions: [],
      plain: `from keras import layers, Sequential

encoder = Sequential([
    layers.Input(shape=(50,)),
    layers.Dense(32, activation="relu"),
    layers.Dense(16, activation="relu"),
    layers.Dense(8, activation="relu")])
`,
    },
  },
];
