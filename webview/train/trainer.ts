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
import { WasmAdamOptimizer, WasmRmsPropOptimizer } from '../tfjs/wasmOptimizers';
import type { Digits, DigitSet } from './digits';
import { disposeOptimizer, readOptimizerState, writeOptimizerState, type SavedTensor } from './optimizerState';

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
  /** Where the backend can be lost (WebGL): how the trainer learns of it and goes on elsewhere. */
  recovery?: Recovery;
  /** Copy the state after every this many batches instead of by time (SNAPSHOT_RATIO): the tests' fixed points. */
  snapshotEvery?: number;
}

/** Validation on this many held-out digits every VALIDATE_EVERY batches, as well as on all of them after each epoch. */
const QUICK_VALIDATION = 200;
const VALIDATE_EVERY = 25;
const PREDICT_BATCH = 250;
/**
 * A copy of training's state is taken after a batch once the training time since the last copy is this many times
 * what that copy took: reading the weights back costs at most about 1/20 of the training time, and the batches trained
 * again after a loss are those of the last twentieth or so.
 */
const SNAPSHOT_RATIO = 20;

export type TrainerEnd = 'done' | 'stopped' | 'nan';

/**
 * The backend the model trains on can be lost (a WebGL context, when the GPU resets or the browser reclaims it):
 * its weights and the optimizer's slots are gone with it. With a Recovery, the trainer keeps a copy of its state in
 * CPU memory (taken after a batch), gives up the batch under way when the loss comes, and goes on from that copy on
 * the model rebuilt on the backend that took over.
 */
export interface Recovery {
  /** Resolves, saying what happened, once the backend is lost and another has taken over; never while it holds. */
  lost: Promise<string>;
  /** Whether it is lost now: a step failing right after the loss, before `lost` resolves, failed because of it. */
  isLost(): boolean;
  /**
   * The model built again on the backend that took over (its weights are then replaced by the copy's); null if it
   * cannot be. Absent: the loss ends training with an error (nothing is copied; the pooling experiment's variants).
   */
  rebuild?: () => Promise<tfl.LayersModel | null>;
}

/**
 * A Recovery whose `lost` resolves when `announce` is called (the page's fallback after a loss: main.ts calls the
 * controller's backendChanged); `isLost` also asks `lostNow` (the context, lost before its event comes).
 */
export function lossSignal(lostNow: () => boolean, rebuild?: Recovery['rebuild']): { recovery: Recovery; announce(why: string): void } {
  let announced = false;
  let resolve: (why: string) => void = () => undefined;
  const lost = new Promise<string>((r) => (resolve = r));
  return {
    recovery: { lost, isLost: () => announced || lostNow(), rebuild },
    announce(why) {
      announced = true;
      resolve(why);
    },
  };
}

/** What a recovery did: what was lost, where training was, and the batches it trained again from the copy. */
export interface Recovered {
  why: string;
  epoch: number;
  /** Batches trained before the loss, and those of them trained again (after the copy). */
  batches: number;
  retrained: number;
}

/** Where training is in its epochs, and the epoch's running sums for its mean loss and accuracy. */
interface Position {
  epoch: number;
  /** The next batch's first sample in the epoch's order. */
  start: number;
  step: number;
  lossSum: number;
  accuracySum: number;
  counted: number;
}

/** A copy of training's state in CPU memory: the position, the curves' lengths, the weights and the optimizer's state. */
interface Snapshot {
  at: Position;
  seen: number;
  curves: [number, number, number, number];
  weights: { shape: number[]; dtype: tf.DataType; values: Float32Array | Int32Array }[];
  optimizer: SavedTensor[];
}

/** The batch under way was given up: the backend was lost. */
const LOST = Symbol('lost');

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
  /** The backend was lost and training went on from its copy on another: what happened. */
  recovered: Recovered | null = null;

  private readonly o: TrainerOptions;
  private model: tfl.LayersModel;
  private optimizer: tf.Optimizer;
  private readonly trainCount: number;
  private readonly validationCount: number;
  private stopping = false;
  private resumed: (() => void) | null = null;
  /** Time spent training (pauses left out), for the speed. */
  private activeMs = 0;
  /** The epoch's order of the training samples, and the generator that shuffles them epoch after epoch. */
  private order: number[] = [];
  private orderEpoch = -1;
  private random: () => number = () => 0;
  private recovery: Recovery | null;
  /** Resolves to LOST once the backend is lost (made once: every wait races it). */
  private lostSignal: Promise<typeof LOST> | null;
  private saved: Snapshot | null = null;
  /** What the last copy took, and the training time when it was taken. */
  private snapshotMs = 0;
  private snapshotAt = 0;
  /** The batch under way's inputs and labels: freed by the step, or by a recovery when the step never ends. */
  private batchTensors: tf.Tensor[] = [];

  constructor(o: TrainerOptions) {
    this.o = o;
    this.trainCount = Math.min(o.trainSamples ?? o.digits.train.count, o.digits.train.count);
    this.validationCount = Math.min(o.validationSamples ?? o.digits.validation.count, o.digits.validation.count);
    this.total = this.trainCount * o.settings.epochs;
    this.recovery = o.recovery ?? null;
    this.lostSignal = this.recovery ? this.recovery.lost.then(() => LOST) : null;
    this.model = o.model;
    this.optimizer = this.compile(o.model);
  }

  /** Compiles `model` with a new optimizer of the settings' kind and the settings' loss; returns the optimizer. */
  private compile(model: tfl.LayersModel): tf.Optimizer {
    const optimizer = makeOptimizer(this.o.settings);
    const logits = this.o.settings.logits;
    model.compile({
      optimizer,
      loss: (yTrue: tf.Tensor, yPred: tf.Tensor) => crossentropy(yTrue, yPred, logits),
      metrics: [accuracy],
    });
    return optimizer;
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
    let at: Position = { epoch: 0, start: 0, step: 0, lossSum: 0, accuracySum: 0, counted: 0 };
    if (this.recovery?.rebuild && (await this.snapshot(at)) === LOST) at = await this.recover();
    while (at.epoch < settings.epochs) {
      this.epoch = at.epoch;
      const order = this.orderOf(at.epoch);
      if (at.start >= order.length) {
        // The epoch's end: its mean loss and accuracy, and validation on all the held-out samples.
        const all = await this.guard(this.validate(this.validationCount));
        if (all === LOST) {
          at = await this.recover();
          continue;
        }
        this.epochs.push({ seen: this.seen, loss: at.lossSum / at.counted, accuracy: at.accuracySum / at.counted });
        this.epochValidation.push({ seen: this.seen, ...all });
        this.validation.push({ seen: this.seen, ...all });
        this.o.onProgress();
        // An epoch's end trained again after a loss (its copy from before it) is told again.
        this.o.onEpoch?.(at.epoch);
        at = { epoch: at.epoch + 1, start: 0, step: 0, lossSum: 0, accuracySum: 0, counted: 0 };
        continue;
      }
      if (this.paused) {
        const resumed = new Promise<void>((resolve) => (this.resumed = resolve));
        // Lost while paused: the model is rebuilt from the copy at once (the maps need it), and stays paused.
        if ((await Promise.race([resumed, this.lostSignal ?? resumed])) === LOST) {
          at = await this.recover();
          continue;
        }
      }
      if (this.stopping) return 'stopped';
      const t0 = this.o.now();
      const indices = order.slice(at.start, at.start + settings.batchSize);
      const result = await this.guard(this.step(indices));
      if (result === LOST) {
        at = await this.recover();
        continue;
      }
      const [loss, accuracy] = result;
      this.activeMs += this.o.now() - t0;
      if (!Number.isFinite(loss)) {
        this.message = `The loss became ${loss} at batch ${at.step + 1} of epoch ${at.epoch + 1}: the learning rate (${settings.learningRate}) is probably too high for this model. Try a smaller one in model.compile(optimizer=…), such as ${settings.learningRate / 10}.`;
        this.o.onProgress();
        return 'nan';
      }
      this.seen += indices.length;
      this.samplesPerSecond = this.activeMs > 0 ? (this.seen / this.activeMs) * 1000 : null;
      this.batches.push({ seen: this.seen, loss, accuracy });
      at = {
        epoch: at.epoch,
        start: at.start + settings.batchSize,
        step: at.step + 1,
        lossSum: at.lossSum + loss * indices.length,
        accuracySum: at.accuracySum + accuracy * indices.length,
        counted: at.counted + indices.length,
      };
      if (at.step % VALIDATE_EVERY === 0) {
        const quick = await this.guard(this.validate(Math.min(QUICK_VALIDATION, this.validationCount)));
        if (quick === LOST) {
          at = await this.recover();
          continue;
        }
        this.validation.push({ seen: this.seen, ...quick });
      }
      if (this.recovery?.rebuild && this.copyDue() && (await this.snapshot(at)) === LOST) {
        at = await this.recover();
        continue;
      }
      this.o.onProgress();
      await this.o.yieldToPage();
    }
    this.epoch = settings.epochs;
    return 'done';
  }

  /** Whether to copy the state after this batch: once training since the last copy is SNAPSHOT_RATIO times what it took. */
  private copyDue(): boolean {
    const every = this.o.snapshotEvery;
    if (every) return this.batches.length % every === 0;
    return this.activeMs - this.snapshotAt >= SNAPSHOT_RATIO * this.snapshotMs;
  }

  /**
   * The epoch's order of the training samples: one array shuffled epoch after epoch by one seeded generator. Going
   * back to an earlier epoch (after a loss) shuffles again from the start, which gives the same orders.
   */
  private orderOf(epoch: number): number[] {
    if (epoch === this.orderEpoch) return this.order;
    if (epoch < this.orderEpoch || this.orderEpoch < 0) {
      this.random = seeded(this.o.seed);
      this.order = Array.from({ length: this.trainCount }, (_, i) => i);
      this.orderEpoch = -1;
    }
    while (this.orderEpoch < epoch) {
      shuffle(this.order, this.random);
      this.orderEpoch++;
    }
    return this.order;
  }

  /**
   * Waits for `work` unless the backend is lost first (a lost WebGL context leaves tfjs' reads waiting for ever, or
   * makes them throw): then LOST, and whatever `work` does later is ignored.
   */
  private async guard<T>(work: Promise<T>): Promise<T | typeof LOST> {
    const r = this.recovery;
    if (!r || !this.lostSignal) return work;
    work.catch(() => undefined);
    try {
      const out = await Promise.race([work, this.lostSignal]);
      return r.isLost() ? LOST : out;
    } catch (e) {
      if (r.isLost()) return LOST;
      throw e;
    }
  }

  /** Copies the weights and the optimizer's state to CPU memory, with where training is; LOST if the backend went meanwhile. */
  private async snapshot(at: Position): Promise<void | typeof LOST> {
    const t0 = this.o.now();
    const variables = this.model.weights.map((w) => w.read());
    const read = await this.guard(Promise.all([Promise.all(variables.map((v) => v.data())), readOptimizerState(this.optimizer)]));
    if (read === LOST) return LOST;
    const [values, optimizer] = read;
    this.saved = {
      at: { ...at },
      seen: this.seen,
      curves: [this.batches.length, this.epochs.length, this.validation.length, this.epochValidation.length],
      weights: variables.map((v, i) => ({
        shape: v.shape.slice(),
        dtype: v.dtype,
        values: values[i] instanceof Int32Array ? (values[i] as Int32Array).slice() : Float32Array.from(values[i] as Float32Array),
      })),
      optimizer,
    };
    this.snapshotMs = this.o.now() - t0;
    this.snapshotAt = this.activeMs;
  }

  /**
   * The backend was lost: waits for the one that took over, has the model built again there, gives it the copy's
   * weights and a new optimizer the copy's state, and takes the curves back to the copy. Returns where to go on from.
   */
  private async recover(): Promise<Position> {
    const r = this.recovery;
    const saved = this.saved;
    if (!r) throw new Error('no recovery');
    const why = await r.lost;
    if (!r.rebuild) throw new Error(`${why}: training stopped`);
    if (!saved) throw new Error(`${why} before training had a copy of its state`);
    // The backend that took over (WASM or the CPU) is not lost: no more copies are needed.
    this.recovery = null;
    this.lostSignal = null;
    const batches = this.batches.length;
    const model = await r.rebuild();
    if (!model) throw new Error(`${why}, and the model could not be built again on another backend`);
    try {
      // The optimizer's variables and the given-up batch were on the lost backend: nothing to read, only to let go of.
      disposeOptimizer(this.optimizer);
      this.batchTensors.forEach((t) => t.dispose());
    } catch {
      // Already gone with the context.
    }
    this.batchTensors = [];
    this.model = model;
    this.optimizer = this.compile(model);
    const tensors = saved.weights.map((w) => tf.tensor(w.values, w.shape, w.dtype));
    model.weights.forEach((w, i) => w.write(tensors[i]));
    tensors.forEach((t) => t.dispose());
    await writeOptimizerState(this.optimizer, saved.optimizer);
    const [b, e, v, ev] = saved.curves;
    this.batches.length = b;
    this.epochs.length = e;
    this.validation.length = v;
    this.epochValidation.length = ev;
    this.seen = saved.seen;
    this.recovered = { why, epoch: saved.at.epoch, batches, retrained: batches - b };
    this.o.onProgress();
    return { ...saved.at };
  }

  /** One batch: its tensors made, trained on and freed; the loss and accuracy read back. */
  private async step(indices: number[]): Promise<[number, number]> {
    const { xs, ys } = batch(this.o.digits, this.o.digits.train, indices, this.o.inputShape);
    this.batchTensors = [xs, ys];
    try {
      const out = (await this.model.trainOnBatch(xs, ys)) as number[];
      return [out[0], out[1]];
    } finally {
      xs.dispose();
      ys.dispose();
      if (this.batchTensors[0] === xs) this.batchTensors = [];
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
        const predicted = this.model.predict(xs) as tf.Tensor;
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
    disposeOptimizer(this.optimizer);
  }
}

function makeOptimizer(s: TrainerSettings): tf.Optimizer {
  switch (s.optimizer) {
    case 'sgd':
      return s.momentum > 0 ? tf.train.momentum(s.learningRate, s.momentum) : tf.train.sgd(s.learningRate);
    case 'rmsprop':
      // Keras' RMSprop: rho 0.9, epsilon 1e-7. tfjs' own, its update one pass per variable on WASM.
      return new WasmRmsPropOptimizer(s.learningRate, 0.9, 0, 1e-7);
    case 'adamax':
      return tf.train.adamax(s.learningRate, 0.9, 0.999, 1e-7);
    case 'adagrad':
      return tf.train.adagrad(s.learningRate, 0.1);
    case 'adadelta':
      return tf.train.adadelta(s.learningRate, 0.95, 1e-7);
    default:
      // Keras' Adam: beta 0.9 and 0.999, epsilon 1e-7. tfjs' own, its update one pass per variable on WASM.
      return new WasmAdamOptimizer(s.learningRate, 0.9, 0.999, 1e-7);
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
