/**
 * Trains a tfjs model on the bundled digits, batch by batch, yielding between batches so the page keeps drawing:
 * the loss and accuracy of every batch, validation on a fixed part of the held-out digits every few batches and on
 * all of them at each epoch's end, the speed and time left, pause, resume and stop. No DOM: it runs under Node.
 *
 * Memory: each batch's tensors are made and freed inside the step (trainOnBatch, and `tf.tidy` for validation);
 * what stays is the model's weights and the optimizer's state, made on the first step and freed by `dispose`, so
 * `tf.memory().numTensors` is the same after every epoch.
 */
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { seeded } from '../tfjs/inputs';
import type { Digits, DigitSet } from './digits';

export interface TrainerSettings {
  /** Keras' name of an optimizer tfjs has (TFJS_OPTIMIZERS). */
  optimizer: string;
  learningRate: number;
  momentum: number;
  /** Crossentropy on logits (true) or on the head's probabilities. */
  logits: boolean;
  batchSize: number;
  epochs: number;
}

/** One point of a curve: after `seen` training samples. */
export interface CurvePoint {
  seen: number;
  loss: number;
  accuracy: number;
}

export interface TrainerOptions {
  model: tfl.LayersModel;
  /** The model's input shape without the batch dimension: (28, 28, 1), (28, 28) or (784,). */
  inputShape: number[];
  digits: Digits;
  settings: TrainerSettings;
  /** Seeds the order of the digits in each epoch. */
  seed: number;
  /** Train on the first this many training digits only, and validate on this many (the tests' small budget). */
  trainSamples?: number;
  validationSamples?: number;
  /** Milliseconds (performance.now). */
  now: () => number;
  /** Gives the page a turn between batches (a timer, or the next animation frame). */
  yieldToPage: () => Promise<void>;
  /** After every batch and every validation: the curves and progress changed. */
  onProgress: () => void;
  /** After each epoch (the tests count tensors there). */
  onEpoch?: (epoch: number) => void;
}

/** Validation on this many held-out digits every VALIDATE_EVERY batches, as well as on all of them after each epoch. */
const QUICK_VALIDATION = 200;
const VALIDATE_EVERY = 25;
const PREDICT_BATCH = 250;

export type TrainerEnd = 'done' | 'stopped' | 'nan';

export class Trainer {
  readonly batches: CurvePoint[] = [];
  readonly epochs: CurvePoint[] = [];
  readonly validation: CurvePoint[] = [];
  /** Validation on all held-out digits, one point per epoch. */
  readonly epochValidation: CurvePoint[] = [];
  epoch = 0;
  seen = 0;
  readonly total: number;
  samplesPerSecond: number | null = null;
  /** Why it stopped early, for the panel. */
  message: string | null = null;
  paused = false;

  private readonly o: TrainerOptions;
  private readonly optimizer: tf.Optimizer;
  private readonly trainCount: number;
  private readonly validationCount: number;
  private stopping = false;
  private resumed: (() => void) | null = null;
  /** Time spent training (pauses left out), for the speed. */
  private activeMs = 0;

  constructor(o: TrainerOptions) {
    this.o = o;
    this.trainCount = Math.min(o.trainSamples ?? o.digits.train.count, o.digits.train.count);
    this.validationCount = Math.min(o.validationSamples ?? o.digits.validation.count, o.digits.validation.count);
    this.total = this.trainCount * o.settings.epochs;
    this.optimizer = makeOptimizer(o.settings);
    const logits = o.settings.logits;
    o.model.compile({
      optimizer: this.optimizer,
      loss: (yTrue: tf.Tensor, yPred: tf.Tensor) => crossentropy(yTrue, yPred, logits),
      metrics: [accuracy],
    });
  }

  /** Milliseconds spent training, pauses and validation left out. */
  get trainingMs(): number {
    return this.activeMs;
  }

  get secondsLeft(): number | null {
    return this.samplesPerSecond ? (this.total - this.seen) / this.samplesPerSecond : null;
  }

  pause(): void {
    this.paused = true;
    this.o.onProgress();
  }

  resume(): void {
    this.paused = false;
    this.resumed?.();
    this.resumed = null;
    this.o.onProgress();
  }

  stop(): void {
    this.stopping = true;
    this.resume();
  }

  /** Trains every epoch unless stopped; resolves how it ended. Call `dispose` after. */
  async run(): Promise<TrainerEnd> {
    const { settings } = this.o;
    const random = seeded(this.o.seed);
    const order = Array.from({ length: this.trainCount }, (_, i) => i);
    for (this.epoch = 0; this.epoch < settings.epochs; this.epoch++) {
      shuffle(order, random);
      let lossSum = 0;
      let accuracySum = 0;
      let counted = 0;
      for (let start = 0, step = 0; start < order.length; start += settings.batchSize, step++) {
        if (this.paused) await new Promise<void>((resolve) => (this.resumed = resolve));
        if (this.stopping) return 'stopped';
        const t0 = this.o.now();
        const indices = order.slice(start, start + settings.batchSize);
        const [loss, accuracy] = await this.step(indices);
        this.activeMs += this.o.now() - t0;
        if (!Number.isFinite(loss)) {
          this.message = `The loss became ${loss} at batch ${step + 1} of epoch ${this.epoch + 1}: the learning rate (${settings.learningRate}) is probably too high for this model. Try a smaller one in model.compile(optimizer=…), such as ${settings.learningRate / 10}.`;
          this.o.onProgress();
          return 'nan';
        }
        this.seen += indices.length;
        this.samplesPerSecond = this.activeMs > 0 ? (this.seen / this.activeMs) * 1000 : null;
        this.batches.push({ seen: this.seen, loss, accuracy });
        lossSum += loss * indices.length;
        accuracySum += accuracy * indices.length;
        counted += indices.length;
        if ((step + 1) % VALIDATE_EVERY === 0)
          this.validation.push({ seen: this.seen, ...(await this.validate(Math.min(QUICK_VALIDATION, this.validationCount))) });
        this.o.onProgress();
        await this.o.yieldToPage();
      }
      this.epochs.push({ seen: this.seen, loss: lossSum / counted, accuracy: accuracySum / counted });
      const all = await this.validate(this.validationCount);
      this.epochValidation.push({ seen: this.seen, ...all });
      this.validation.push({ seen: this.seen, ...all });
      this.o.onProgress();
      this.o.onEpoch?.(this.epoch);
    }
    return 'done';
  }

  /** One batch: its tensors made, trained on and freed; the loss and accuracy read back. */
  private async step(indices: number[]): Promise<[number, number]> {
    const { xs, ys } = batch(this.o.digits, this.o.digits.train, indices, this.o.inputShape);
    try {
      const out = (await this.o.model.trainOnBatch(xs, ys)) as number[];
      return [out[0], out[1]];
    } finally {
      xs.dispose();
      ys.dispose();
    }
  }

  /** Loss and accuracy on the first `count` held-out digits, predicted in batches without dropout. */
  async validate(count: number): Promise<{ loss: number; accuracy: number }> {
    let loss = 0;
    let correct = 0;
    for (let start = 0; start < count; start += PREDICT_BATCH) {
      const indices = Array.from({ length: Math.min(PREDICT_BATCH, count - start) }, (_, i) => start + i);
      const sums = tf.tidy(() => {
        const { xs, ys } = batch(this.o.digits, this.o.digits.validation, indices, this.o.inputShape);
        const predicted = this.o.model.predict(xs) as tf.Tensor;
        return tf.stack([tf.sum(crossentropy(ys, predicted, this.o.settings.logits)), tf.sum(accuracy(ys, predicted))]);
      });
      const [l, c] = await sums.data();
      sums.dispose();
      loss += l;
      correct += c;
    }
    return { loss: loss / count, accuracy: correct / count };
  }

  /** Frees the optimizer's state (the model's weights stay: they are the preview's). */
  dispose(): void {
    this.optimizer.dispose();
  }
}

function makeOptimizer(s: TrainerSettings): tf.Optimizer {
  switch (s.optimizer) {
    case 'sgd':
      return s.momentum > 0 ? tf.train.momentum(s.learningRate, s.momentum) : tf.train.sgd(s.learningRate);
    case 'rmsprop':
      // Keras' RMSprop: rho 0.9, epsilon 1e-7.
      return tf.train.rmsprop(s.learningRate, 0.9, 0, 1e-7);
    case 'adamax':
      return tf.train.adamax(s.learningRate, 0.9, 0.999, 1e-7);
    case 'adagrad':
      return tf.train.adagrad(s.learningRate, 0.1);
    case 'adadelta':
      return tf.train.adadelta(s.learningRate, 0.95, 1e-7);
    default:
      // Keras' Adam: beta 0.9 and 0.999, epsilon 1e-7.
      return tf.train.adam(s.learningRate, 0.9, 0.999, 1e-7);
  }
}

/** Keras' clipping of probabilities before their logarithm. */
const EPSILON = 1e-7;

/** Per-sample categorical crossentropy, on logits or on probabilities (normalised and clipped as Keras does). */
function crossentropy(yTrue: tf.Tensor, yPred: tf.Tensor, logits: boolean): tf.Tensor {
  if (logits) return tf.losses.softmaxCrossEntropy(yTrue, yPred, undefined, undefined, tf.Reduction.NONE);
  const p = tf.clipByValue(tf.div(yPred, tf.sum(yPred, -1, true)), EPSILON, 1 - EPSILON);
  return tf.neg(tf.sum(tf.mul(yTrue, tf.log(p)), -1));
}

/** Per sample, 1 where the most likely class is the label, else 0. */
function accuracy(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
  return tf.cast(tf.equal(tf.argMax(yTrue, -1), tf.argMax(yPred, -1)), 'float32');
}

/** The samples at `indices` of a set as the model's input (values × the dataset's scale: [0, 1] unless it says) and one-hot labels. */
function batch(data: Digits, set: DigitSet, indices: number[], inputShape: number[]): { xs: tf.Tensor; ys: tf.Tensor } {
  const size = data.height * data.width * (data.channels ?? 1);
  const scale = data.scale ?? 1 / 255;
  const classes = data.classes?.length ?? 10;
  const pixels = new Float32Array(indices.length * size);
  const labels = new Int32Array(indices.length);
  indices.forEach((d, i) => {
    const at = d * size;
    for (let k = 0; k < size; k++) pixels[i * size + k] = set.pixels[at + k] * scale;
    labels[i] = set.labels[d];
  });
  return tf.tidy(() => ({
    xs: tf.tensor(pixels, [indices.length, ...inputShape], 'float32'),
    ys: tf.cast(tf.oneHot(tf.tensor1d(labels, 'int32'), classes), 'float32'),
  }));
}

function shuffle(order: number[], random: () => number): void {
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
}
