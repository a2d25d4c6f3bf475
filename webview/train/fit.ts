/**
 * Whether the previewed model can train on the bundled digits, and with what: the dataset its input and head fit
 * (a message saying what fits where none does), the loss from the source or its head, and a refusal before
 * starting when the core's estimates say training would not fit in memory or would take hours. No tfjs here.
 */
import { formatCount } from '../../src/core/format';
import type { TrainingSetup } from '../../src/core/keras/training';
import type { PreviewModel } from '../../src/protocol';
import type { TrainerSettings } from './trainer';

/** The digits' classes. */
export const CLASSES = 10;
/** The input shapes (batch left out) the bundled sets are given in: an image of one channel, a 28×28 array, or flattened. */
const DIGIT_SHAPES = [[28, 28, 1], [28, 28], [784]];

/** The datasets the preview can train on: the two bundled with it, and a folder of the user's images. */
export type DatasetName = 'digits' | 'clothes' | 'folder';

export interface DatasetSpec {
  name: DatasetName;
  /** As the panel names it: "MNIST digits", "Fashion-MNIST clothes", "folder flowers/". */
  title: string;
  /** What one sample is called in progress and messages: "digits", "images". */
  noun: string;
  /** The classes' names by label (the prediction bars show them). */
  classes: string[];
  /** A bundled set: how many it trains on and holds out (its images are 28×28 grey); null for a folder. */
  split: { train: number; validation: number } | null;
}

export const DIGITS_SET: DatasetSpec = {
  name: 'digits',
  title: 'MNIST digits',
  noun: 'digits',
  classes: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
  split: { train: 9000, validation: 1000 },
};

/** Fashion-MNIST's classes by label (scripts/mnist.mjs's FASHION_CLASSES). */
export const FASHION_CLASSES = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'];

export const CLOTHES_SET: DatasetSpec = {
  name: 'clothes',
  title: 'Fashion-MNIST clothes',
  noun: 'images',
  classes: FASHION_CLASSES,
  split: { train: 2500, validation: 500 },
};

/** A folder of the user's images, one subfolder per class. */
export function folderSet(folder: string, classes: string[]): DatasetSpec {
  return { name: 'folder', title: `folder ${folder}`, noun: 'images', classes, split: null };
}

/**
 * More multiply-accumulates than this for one epoch (forward and backward, about three times a run's, on the 9,000
 * training digits) and the preview refuses to start: about 10^13 is hours on the fastest backend measured here.
 */
export const TRAIN_MACS_LIMIT = 1e13;

/** Optimizers tfjs has, by Keras' name; SGD with momentum is tfjs' `momentum`. */
export const TFJS_OPTIMIZERS = new Set(['sgd', 'rmsprop', 'adam', 'adamax', 'adagrad', 'adadelta']);

const same = (a: readonly (number | null)[], b: readonly number[]) => a.length === b.length && a.every((d, i) => d === b[i]);

/** Why the model cannot train on the digits (its input or its head), saying what would fit; null when it fits. */
export function digitsMismatch(model: PreviewModel): string | null {
  return datasetMismatch(model, DIGITS_SET);
}

/**
 * The input a folder's images can be given as: (height, width, 1 or 3), or (height, width) for grey; null when the
 * model's input is not an image.
 */
export function folderInput(model: PreviewModel): { height: number; width: number; channels: 1 | 3 } | null {
  const input = model.inputShape?.slice(1) ?? null;
  if (!input || input.some((d) => d === null || d <= 0)) return null;
  const [height, width, channels] = input as number[];
  if (input.length === 2) return { height, width, channels: 1 };
  if (input.length === 3 && (channels === 1 || channels === 3)) return { height, width, channels };
  return null;
}

/** Why the model cannot train on `set` (its input or its head), saying what would fit; null when it fits. */
export function datasetMismatch(model: PreviewModel, set: DatasetSpec): string | null {
  const input = model.inputShape?.slice(1) ?? null;
  if (!input)
    return set.name === 'folder'
      ? `Training needs the model's input shape, which is not known: start it with keras.Input((height, width, 3)) (or 1 channel for grey).`
      : `Training needs the model's input shape, which is not known: give its first layer input_shape=(28, 28, 1), or start with keras.Input((28, 28, 1)).`;
  if (set.name === 'folder') {
    if (!folderInput(model))
      return `A folder's images are resized to the model's input, which must be an image: (height, width, 3) for colour, (height, width, 1) or (height, width) for grey; "${model.name}" takes (${input.join(', ')}).`;
  } else if (!DIGIT_SHAPES.some((s) => same(input, s)))
    return `The bundled ${set.name === 'digits' ? 'MNIST digits' : 'Fashion-MNIST clothes'} are 28×28 grey images: they fit an input of (28, 28, 1), (28, 28) or (784,) flattened; "${model.name}" takes (${input.join(', ')}). Give it keras.Input((28, 28, 1)), or put layers.Resizing(${input[0] ?? 'height'}, ${input[1] ?? 'width'}) after such an input${input.length === 3 && input[2] !== 1 ? ` and a Conv2D to ${input[2]} channels` : ''}${set.name === 'digits' ? '' : '; or train on a folder of your own images, resized to the input'}.`;
  const n = set.classes.length;
  const last = model.layers[model.layers.length - 1];
  const out = last?.outputShape;
  if (!out || out.length !== 2 || out[1] !== n) {
    const what = set.name === 'digits' ? 'The digits have' : set.name === 'clothes' ? 'Fashion-MNIST has' : `The ${set.title} has`;
    const names = set.name === 'folder' ? ` (${set.classes.slice(0, 6).join(', ')}${n > 6 ? ', …' : ''})` : '';
    return `${what} ${n} classes${names}: the model's last layer must give ${n} outputs (Dense(${n}, activation="softmax")); "${last?.name ?? 'its last layer'}" gives ${out ? `(${out.slice(1).join(', ')})` : 'an unknown shape'}.`;
  }
  return null;
}

/** The loss as it is trained: crossentropy on the head's probabilities, or on its logits. */
export interface TrainingLoss {
  logits: boolean;
  /** What the panel says about it. */
  label: string;
  /** Why it is not what the source says, when it is not. */
  note: string | null;
}

/**
 * Crossentropy over the 10 classes: on logits where the source says `from_logits=True`, or where it names no loss
 * and the head has no softmax; else on the head's probabilities. Another loss (mean squared error…) is not one
 * the preview trains a classifier with: crossentropy stands in for it, and the panel says so.
 */
export function trainingLoss(model: PreviewModel, setup: TrainingSetup): TrainingLoss {
  const head = model.layers[model.layers.length - 1]?.activation ?? null;
  const crossentropy = setup.loss === null || /(^|_)categorical_crossentropy$/.test(setup.loss);
  const logits = setup.loss === null ? head !== 'softmax' : setup.fromLogits;
  const label = `${setup.loss ?? (logits ? 'categorical crossentropy on logits' : 'categorical crossentropy')}${setup.loss && logits ? ' (from logits)' : ''}`;
  let note: string | null = null;
  if (!crossentropy) note = `the preview trains classifiers with categorical crossentropy, not ${setup.loss}`;
  else if (setup.loss === null) note = `chosen from the last layer (${head ?? 'no activation'})`;
  return { logits, label: crossentropy ? label.replace(/_/g, ' ') : 'categorical crossentropy', note };
}

/**
 * Why training would not fit or would take too long, from the core's estimates, before anything is built: the
 * weights with their gradients and two optimizer slots each (Adam's), and a batch's activations kept for the
 * backward pass; and the multiply-accumulates of an epoch. Null when it may start.
 */
export function trainingRefusal(model: PreviewModel, batchSize: number, trainSamples: number, limitMB: number, noun = 'digits'): string | null {
  const params = model.totalParams;
  if (params !== null && model.estimatedBytes !== null) {
    const activations = Math.max(0, model.estimatedBytes - params * 4);
    const bytes = params * 4 * 4 + activations * batchSize * 2;
    const mb = bytes / (1024 * 1024);
    if (mb > limitMB)
      return `Training "${model.name}" needs about ${mb.toFixed(0)} MB (${formatCount(params)} weights with their gradients and optimizer state, and a batch of ${batchSize}'s activations), over the preview's limit of ${limitMB} MB. Use a smaller batch_size in fit(...), or raise "layerlens.preview.memoryLimitMB".`;
  }
  if (model.macs !== null) {
    const epoch = model.macs * 3 * trainSamples;
    if (epoch > TRAIN_MACS_LIMIT)
      return `An epoch of "${model.name}" on the ${formatCount(trainSamples)} training ${noun} is about ${epoch.toExponential(1)} multiply-accumulates (three times a run's ${formatCount(model.macs)} per ${noun === 'digits' ? 'digit' : 'image'}): hours in the preview. Train a smaller model here.`;
  }
  return null;
}

/** What training will use, for the panel and the trainer: the source's settings as tfjs can follow them, and what differs. */
export interface TrainingPlan {
  setup: TrainingSetup;
  settings: TrainerSettings;
  loss: TrainingLoss;
  /** Where tfjs cannot follow the source (an optimizer it lacks), and the source's own notes. */
  notes: string[];
  /** Why it cannot train on the dataset at all; null when it can. */
  mismatch: string | null;
}

export function trainingPlan(model: PreviewModel, setup: TrainingSetup, set: DatasetSpec = DIGITS_SET): TrainingPlan {
  const notes = [...setup.notes];
  let optimizer = setup.optimizer;
  if (!TFJS_OPTIMIZERS.has(optimizer)) {
    notes.push(`TensorFlow.js has no ${optimizer}: Adam is used.`);
    optimizer = 'adam';
  }
  const loss = trainingLoss(model, setup);
  if (loss.note && !setup.defaults.includes('loss')) notes.push(`Loss: ${loss.note}.`);
  return {
    setup,
    settings: { optimizer, learningRate: setup.learningRate, momentum: setup.momentum, logits: loss.logits, batchSize: setup.batchSize, epochs: setup.epochs },
    loss,
    notes,
    mismatch: datasetMismatch(model, set),
  };
}
