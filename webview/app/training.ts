/**
 * Training the previewed model on the bundled digits: the plan from the source's compile/fit, the checks before
 * starting, the trainer's run with the maps and the first convolution's kernels redrawn as it goes, pause, resume
 * and stop, and the trained weights kept as the preview's weights when it ends. No DOM: it runs under Node.
 */
import type * as tfl from '@tensorflow/tfjs-layers';
import type { LayerWeights, PreviewModel } from '../../src/protocol';
import type { ModelRunner } from '../tfjs/runner';
import type { Digits } from '../train/digits';
import { DIGITS_SET, trainingPlan, trainingRefusal, type DatasetSpec, type TrainingPlan } from '../train/fit';
import { lossSignal, Trainer, type Recovered, type Recovery } from '../train/trainer';

/** The maps and kernels are redrawn at most this often while training (each redraw is a run of the model). */
export const TRAINING_REDRAW_MS = 400;
/** The order of the digits: the same run every time for the same model and settings. */
export const TRAINING_SEED = 42;

export type TrainingStatus = 'ready' | 'loading' | 'running' | 'paused' | 'done' | 'stopped' | 'failed';

/** What the session needs from the preview's controller. */
export interface TrainingHost {
  runner: ModelRunner;
  memoryLimitMB(): number;
  /** The chosen dataset's images (the bundled digits or clothes, or a folder's, decoded). */
  loadDigits(set: DatasetSpec): Promise<Digits>;
  now(): number;
  /** Gives the page a turn between batches. */
  yieldToPage(): Promise<void>;
  /** Train and validate on fewer digits than all (the tests' budget). */
  budget?: { trainSamples: number; validationSamples: number };
  changed(): void;
  /** Runs the model on the input again: the maps follow the weights. */
  redraw(): void;
  /** Training ended: its weights are the preview's now (kept across edits where the layers still fit). */
  trained(weights: LayerWeights[], source: string): void;
  /** The active backend, and whether WebGL's context is lost now (true as soon as it is, before its event comes). */
  backend(): { name: string; webglLost: boolean };
  /** Builds the model again on the active backend, the one it trained on being lost: the model to train on, or null. */
  rebuild(): tfl.LayersModel | null;
  /** Training went on on the active backend from its copy, after its own was lost: for the panel to say so. */
  switched(recovered: Recovered): void;
}

export class TrainingSession {
  readonly plan: TrainingPlan | null;
  status: TrainingStatus = 'ready';
  trainer: Trainer | null = null;
  message: string | null = null;
  /** The first convolution's kernel as it is now (height, width, in, out). */
  kernel: { index: number; shape: number[]; values: Float32Array } | null = null;

  /** The dataset it trains on. */
  readonly dataset: DatasetSpec;
  private readonly host: TrainingHost;
  private readonly model: PreviewModel;
  private lastRedraw = -Infinity;
  private ended: Promise<void> | null = null;
  /** Stop was asked for (also while the digits load, before there is a trainer to stop). */
  private stopping = false;
  /** Whether the weights training reached are kept when it stops (not when other weights replace them). */
  private keep = true;
  /** Training on WebGL: tells the trainer its backend was lost and another took over. */
  private announceLoss: ((why: string) => void) | null = null;
  /** The switch after a loss was told to the host. */
  private switchTold = false;

  constructor(host: TrainingHost, model: PreviewModel, dataset: DatasetSpec = DIGITS_SET) {
    this.host = host;
    this.model = model;
    this.dataset = dataset;
    this.plan = model.training ? trainingPlan(model, model.training, dataset) : null;
  }

  /** Why training cannot start, or null: no plan (a nested model), a dataset that does not fit, a model too large. */
  unavailable(): string | null {
    if (!this.plan) return 'This model has no training setup.';
    if (this.plan.mismatch) return this.plan.mismatch;
    return null;
  }

  get busy(): boolean {
    return this.status === 'loading' || this.status === 'running' || this.status === 'paused';
  }

  /** Loads the digits, checks the model, and trains it; resolves when training ends (done, stopped, NaN or failed). */
  start(): Promise<void> {
    if (this.busy) return this.ended ?? Promise.resolve();
    this.ended = this.train();
    return this.ended;
  }

  private async train(): Promise<void> {
    const plan = this.plan;
    const why = this.unavailable();
    if (why || !plan) return this.fail(why ?? 'no plan');
    this.status = 'loading';
    this.message = null;
    this.trainer = null;
    this.stopping = false;
    this.keep = true;
    this.host.changed();
    let digits: Digits;
    try {
      digits = await this.host.loadDigits(this.dataset);
    } catch (e) {
      return this.fail(`The ${this.dataset.title} could not be loaded: ${(e as Error).message}`);
    }
    if (this.stopping) {
      this.status = 'stopped';
      this.host.changed();
      return;
    }
    const refusal = trainingRefusal(this.model, plan.settings.batchSize, digits.train.count, this.host.memoryLimitMB(), this.dataset.noun);
    if (refusal) return this.fail(refusal);
    const model = this.host.runner.trainingModel();
    if (!model) return this.fail('The preview could not build every layer of this model (see above), so it cannot train it.');
    const trainer = new Trainer({
      model,
      inputShape: (this.model.inputShape ?? []).slice(1) as number[],
      digits,
      settings: plan.settings,
      seed: TRAINING_SEED,
      ...this.host.budget,
      now: () => this.host.now(),
      yieldToPage: () => this.host.yieldToPage(),
      onProgress: () => this.progressed(),
      recovery: this.recovery(),
    });
    this.trainer = trainer;
    this.status = 'running';
    this.kernel = this.host.runner.firstKernel();
    this.host.changed();
    try {
      const end = await trainer.run();
      this.status = end === 'done' ? 'done' : end === 'stopped' ? 'stopped' : 'failed';
      this.message = trainer.message;
      this.keepWeights(trainer);
    } catch (e) {
      this.status = 'failed';
      this.message = `Training failed: ${(e as Error).message}`;
    } finally {
      this.announceLoss = null;
      trainer.dispose();
      this.host.redraw();
      this.host.changed();
    }
  }

  /**
   * On WebGL, whose context can be lost (a GPU reset, the browser reclaiming it), the trainer keeps a copy of its
   * state and goes on from it on the backend that takes over (main.ts: WASM, else the CPU). Null on WASM and the CPU.
   */
  private recovery(): Recovery | undefined {
    if (this.host.backend().name !== 'webgl') return undefined;
    const signal = lossSignal(
      () => this.host.backend().webglLost,
      async () => this.host.rebuild(),
    );
    this.announceLoss = signal.announce;
    this.switchTold = false;
    return signal.recovery;
  }

  /**
   * The backend was lost and another took over: true when training was on it and goes on from its copy (the model is
   * built again through the host's `rebuild`), false when it was not training there.
   */
  backendLost(why: string): boolean {
    if (!this.busy || !this.announceLoss) return false;
    this.announceLoss(why);
    this.announceLoss = null;
    return true;
  }

  private fail(message: string): void {
    this.status = 'failed';
    this.message = message;
    this.host.changed();
  }

  /** After a batch: the panel shows the curves; the maps and kernels follow the weights at most every TRAINING_REDRAW_MS. */
  private progressed(): void {
    const recovered = this.trainer?.recovered;
    if (recovered && !this.switchTold) {
      this.switchTold = true;
      this.host.switched(recovered);
    }
    const now = this.host.now();
    if (now - this.lastRedraw >= TRAINING_REDRAW_MS) {
      this.lastRedraw = now;
      this.kernel = this.host.runner.firstKernel();
      this.host.redraw();
    }
    this.host.changed();
  }

  /** Trained weights (a NaN's are not worth keeping) become the preview's, saying how they were made. */
  private keepWeights(trainer: Trainer): void {
    if (this.status === 'failed' || trainer.seen === 0 || !this.keep) return;
    const last = trainer.validation[trainer.validation.length - 1];
    const accuracy = last ? `, validation accuracy ${(last.accuracy * 100).toFixed(1)}%` : '';
    this.kernel = this.host.runner.firstKernel();
    const what =
      this.dataset.name === 'digits' ? 'MNIST digits' : this.dataset.name === 'clothes' ? 'Fashion-MNIST images' : `images of the ${this.dataset.title}`;
    this.host.trained(this.host.runner.layerWeights(this.model), `trained here on ${trainer.seen.toLocaleString('en-US')} ${what}${accuracy}`);
  }

  pause(): void {
    if (this.status !== 'running') return;
    this.trainer?.pause();
    this.status = 'paused';
    this.host.changed();
  }

  resume(): void {
    if (this.status !== 'paused') return;
    this.status = 'running';
    this.trainer?.resume();
  }

  /**
   * Stops training and resolves once the trainer has let go of the model (before it is rebuilt or disposed).
   * `keep` false: the weights it reached are not kept (a weights file replaces them); a later stop does not undo that.
   */
  async stop(keep = true): Promise<void> {
    this.keep &&= keep;
    this.stopping = true;
    this.trainer?.stop();
    await this.ended;
  }
}
