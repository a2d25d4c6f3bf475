/**
 * The activation preview's state, apart from the page: the model the host sent and the runner built for it (with
 * the loaded weights), the input, the runs and their maps, the downsampling what-if, and what it tells the host.
 * It holds no truth about the model — it builds and runs what the host sends. No DOM here: what it needs from the
 * browser (animation frames, the painted busy bar, image decoding, the page) is given to it, so it runs under Node.
 */
import type * as tfl from '@tensorflow/tfjs-layers';
import { formatCount } from '../../src/core/format';
import {
  assertNever,
  type BackendName,
  type HostMessage,
  type LayerWeights,
  type PersistedState,
  type PreviewModel,
  type WebviewMessage,
} from '../../src/protocol';
import { restoreState } from '../state';
import { fromRgba, inputGeometry, patternPlane, shiftInput, toChannels, type InputGeometry } from '../tfjs/inputs';
import { ModelRunner, type LayerMap } from '../tfjs/runner';
import type { ControllerDeps, Host } from './deps';
import { greyPlane, initialInput } from './input';
import { TRAINING_SEED, TrainingSession } from './training';
import { lossSignal } from '../train/trainer';
import { CLOTHES_SET, DIGITS_SET, digitsMismatch, folderInput, folderSet, datasetMismatch, type DatasetName, type DatasetSpec } from '../train/fit';
import { folderImageCap } from '../train/folder';
import { decodeFolderBatch, emptyFolder, finishFolder, type FolderState } from './folder';
import type { Digits } from '../train/digits';
import { buildWhatIf, disposeWhatIf, runWhatIf, trainVariants, type WhatIfState } from './whatIf';

export type { ControllerDeps, Host, View } from './deps';
export type { WhatIfState } from './whatIf';
export type { TrainingSession } from './training';
export type { FolderState } from './folder';

/** A run slower than this is taken to be slow again next time, and gets the progress bar before it starts. */
export const SLOW_RUN_MS = 250;

/**
 * A model of more multiply-accumulates per run than this (the core's count) runs one layer at a time, its maps shown
 * as they come: a pretrained base at 224×224 has billions and takes seconds. A smaller one (the book's convnet has
 * 2.4 million) runs whole, which is faster: a run per layer waits for each layer's read-back.
 */
export const LARGE_MODEL_MACS = 200_000_000;

export class PreviewController {
  /** The model on show; null before the first and after a refusal. */
  model: PreviewModel | null = null;
  /** Its input's (height, width, channels); null when it has no spatial input (no maps then). */
  geometry: InputGeometry | null = null;
  /** The maps of the last run, by layer index. */
  maps = new Map<number, LayerMap>();
  /** A message for the user (a refusal, weights that do not fit, a failed run). */
  message: string | null = null;
  /** Why some layers have no maps (the layer tfjs cannot build). */
  stopReason: string | null = null;
  ui: PersistedState;
  /** The receptive field of the unit clicked last, on the input: [top, left, height, width]. */
  field: [number, number, number, number] | null = null;
  /** Where the loaded weights came from; null while the seeded initial weights are used. */
  weightsSource: string | null = null;
  /**
   * After an edit, the layers whose weights no longer fit (another shape, or a name the weights do not have): they
   * start from their initial weights, the others keep theirs. Null when every layer kept its weights.
   */
  weightsReset: string[] | null = null;
  /** What is being built or run, shown with a progress bar; building and running a large model take seconds. */
  busy: string | null = null;
  /** The downsampling comparison shown under a pooling layer, each variant with its own runner. */
  whatIf: WhatIfState | null = null;
  /**
   * Translation invariance, seen: the input shifted by (dx, dy) pixels is run too, and its maps shown beside the
   * input's (convolutions move with the input; the prediction may hold). Null while off.
   */
  shift: { dx: number; dy: number; maps: Map<number, LayerMap> } | null = null;
  /** Training moved the model to a faster backend (trainOn): says which, and from which. */
  trainingBackendNote: string | null = null;
  /** The pooling experiment is training the comparison's variants, one after another. */
  whatIfTraining = false;
  /** While the pooling experiment trains on WebGL: tells its trainers the context was lost. */
  private whatIfLost: ((why: string) => void) | null = null;
  /** Training the model on the bundled digits: its plan, its run and curves; null before a model is built. */
  training: TrainingSession | null = null;
  /** The dataset Train uses: the bundled digits or clothes (the user's choice, kept), or the folder last read. */
  dataset: DatasetSpec = DIGITS_SET;
  /** A folder of the user's images (Train on a folder…): being read, read, or why it cannot be used. */
  folder: FolderState | null = null;

  private readonly deps: ControllerDeps;
  private readonly now: () => number;
  private readonly createRunner: () => ModelRunner;
  private readonly runner: ModelRunner;
  private input: Float32Array | null = null;
  private weights: LayerWeights[] | null = null;
  /** The weights before the last load, to go back to when a file does not fit the model. */
  private previousWeights: { weights: LayerWeights[] | null; source: string | null } = { weights: null, source: null };
  /** A run is waiting for its animation frame: inputs arriving meanwhile are taken by that run. */
  private runPending = false;
  /** A run one layer at a time is under way (runInSteps); `rerun`: an input arrived meanwhile. */
  private runningInSteps = false;
  private rerun = false;
  /** The pad's latest drawing, not yet taken as the input. */
  private pendingDrawing: Float32Array | null = null;
  /** How long the last run took; null before the first run of a model (it compiles the WebGL shaders). */
  private lastRunMs: number | null = null;
  /** The host's memory limit (layerlens.preview.memoryLimitMB), which training is checked against too. */
  private memoryLimitMB = 1024;
  /** Counts models, so that a build waiting for its progress bar to show gives way to a newer model. */
  private generation = 0;
  /** The generation the runner was built for: a run waits until it is the current one. */
  private builtGeneration = 0;

  /** Restores what the panel showed before it was hidden (the host's saved state). */
  constructor(deps: ControllerDeps) {
    this.deps = deps;
    this.now = deps.now ?? (() => performance.now());
    this.createRunner = deps.createRunner ?? (() => new ModelRunner());
    this.runner = this.createRunner();
    this.ui = restoreState(deps.host.getState());
    this.dataset = this.ui.dataset === 'clothes' ? CLOTHES_SET : DIGITS_SET;
  }

  private changed(): void {
    this.deps.view.changed();
  }

  private post(message: WebviewMessage): void {
    this.deps.host.post(message);
  }

  /** Changes the persisted UI state (and keeps it with the host). */
  save(patch: Partial<PersistedState>): void {
    this.ui = { ...this.ui, ...patch };
    this.deps.host.setState(this.ui);
    this.changed();
  }

  /** The active backend, as the host says. */
  backend(): ReturnType<Host['backend']> {
    return this.deps.host.backend();
  }

  /** A message from the host, already validated. */
  receive(m: HostMessage): void {
    switch (m.type) {
      case 'model':
        this.message = null;
        this.memoryLimitMB = m.memoryLimitMB;
        void this.setModel(m.model);
        return;
      case 'refused':
        void this.training?.stop();
        this.training = null;
        this.runner.dispose();
        this.model = null;
        this.maps = new Map();
        this.message = m.message;
        this.changed();
        return;
      case 'selectLayer':
        this.save({ selectedLayer: m.index });
        if (m.index !== null) this.deps.view.reveal(m.index);
        return;
      case 'weights':
        // Weights loaded (or reset) while training replace what training reached.
        void this.training?.stop(false);
        this.previousWeights = { weights: this.weights, source: this.weightsSource };
        this.weights = m.layers.length ? m.layers : null;
        this.weightsSource = m.layers.length ? m.source : null;
        this.message = null;
        this.changed();
        if (this.model) void this.setModel(this.model, true);
        return;
      case 'weightsError':
        this.message = m.message;
        this.changed();
        return;
      case 'image':
        void this.loadImage(m.dataUrl);
        return;
      case 'whatIf':
        // A comparison asked for under a model that has since been replaced is not this model's.
        if (m.model === this.model?.key) void this.openWhatIf(m);
        return;
      case 'folderStart':
        this.folderStarted(m);
        return;
      case 'folderImages': {
        // Decoding is asynchronous: batches are decoded in the order they came.
        const folder = this.folder;
        if (!folder || folder.name !== m.folder || folder.status !== 'loading') return;
        this.folderChain = this.folderChain.then(() => this.decodeFolderImages(folder, m));
        return;
      }
      case 'folderError':
        this.folder = { ...emptyFolder(''), status: 'failed', problem: m.message };
        this.folderFailed();
        return;
      default:
        // Every message type is handled above: one more in the protocol makes this fail to compile.
        assertNever(m);
    }
  }

  /**
   * The backend changed (the user's choice, or `lost`: the WebGL context was lost): rebuild what it shows on the new
   * one. Training on the lost context goes on from its copy instead, and has the model built again (rebuildForTraining).
   */
  async backendChanged(lost: string | null = null): Promise<void> {
    if (lost && this.training?.backendLost(lost)) return;
    if (lost && this.whatIfLost) {
      // The variants' trainers give up (their weights went with the context); the comparison is built again below.
      this.whatIfLost(lost);
      this.message = `${lost} during the pooling experiment, which stopped: Train each trains the variants again, on ${backendLabel(this.backend().name)}.`;
    }
    if (!this.model) return this.changed();
    // The comparison open under a pooling layer is built again there too (the pooling experiment moves it to WASM).
    const comparison = this.whatIf && { index: this.whatIf.index, variants: this.whatIf.variants.map((v) => v.variant) };
    const model = this.model;
    await this.setModel(model);
    if (!comparison || this.model !== model || this.whatIf) return;
    try {
      this.whatIf = buildWhatIf(comparison.index, comparison.variants, this.createRunner);
    } catch (e) {
      this.message = `Building the comparison failed: ${(e as Error).message}`;
    }
    this.changed();
    this.schedule();
  }

  /** The user's choice of backend, kept for the next time the panel opens. */
  switchBackend(name: BackendName): void {
    this.trainingBackendNote = null;
    this.save({ backend: name });
    void this.deps.host.useBackend(name);
  }

  /** Builds one runner per downsampling variant (three more models: for a large one, seconds), then runs them. */
  private async openWhatIf(m: Extract<HostMessage, { type: 'whatIf' }>): Promise<void> {
    const generation = this.generation;
    this.closeWhatIf();
    await this.showBusy('Building the downsampling comparison…');
    if (generation !== this.generation) return;
    try {
      this.whatIf = buildWhatIf(m.index, m.variants, this.createRunner);
    } catch (e) {
      this.busy = null;
      this.message = `Building the comparison failed: ${(e as Error).message}`;
      this.changed();
      return;
    }
    this.changed();
    this.schedule();
  }

  closeWhatIf(): void {
    disposeWhatIf(this.whatIf);
    this.whatIf = null;
    this.changed();
  }

  /** Shows `what` with the progress bar and resolves once that is painted, before a long synchronous step. */
  private async showBusy(what: string): Promise<void> {
    this.busy = what;
    this.changed();
    await this.deps.painted();
  }

  /**
   * Builds the runner with the preview's weights. After an edit (`fresh` false) each layer whose name and shapes
   * still fit keeps its weights and the others start from their initial ones (weightsReset names them). Weights
   * just loaded (`fresh`) must fit every layer: weights that do not give way to those it had, then to none.
   */
  private build(model: PreviewModel, fresh: boolean): void {
    this.weightsReset = null;
    if (!fresh && this.weights) {
      const built = this.runner.build(model, this.weights, true);
      this.stopReason = built.stopReason;
      if (built.carried?.reset.length) this.weightsReset = built.carried.reset;
      return;
    }
    try {
      this.stopReason = this.runner.build(model, this.weights).stopReason;
    } catch (e) {
      // Weights that do not fit: say which layer, and keep showing the model with the weights it had.
      this.message = (e as Error).message;
      this.weights = this.previousWeights.weights;
      this.weightsSource = this.previousWeights.source;
      try {
        this.stopReason = this.runner.build(model, this.weights).stopReason;
      } catch {
        this.weights = null;
        this.weightsSource = null;
        this.stopReason = this.runner.build(model).stopReason;
      }
    }
  }

  /** `fresh`: the preview's weights were just loaded (a file, or reset), not carried from the model before an edit. */
  private async setModel(model: PreviewModel, fresh = false): Promise<void> {
    const generation = ++this.generation;
    // Training holds the runner's layers: it lets go (keeping the weights it reached) before they are rebuilt.
    if (this.training?.busy) await this.training.stop();
    if (generation !== this.generation) return;
    this.training = null;
    this.closeWhatIf();
    if (this.shift) this.shift = { ...this.shift, maps: new Map() };
    this.model = model;
    this.geometry = inputGeometry(model.inputShape);
    this.maps = new Map();
    this.stopReason = null;
    this.lastRunMs = null;
    // A model without maps (a flattened 784 input) is still built when the digits fit it, to train it.
    if (!this.geometry && (!model.training || digitsMismatch(model))) {
      this.busy = null;
      // Not built: the training block says why it cannot train (the input that fits no dataset).
      this.training = this.newTraining(model);
      this.changed();
      return;
    }
    await this.showBusy(`Building ${model.name} (${formatCount(model.totalParams)} parameters)…`);
    if (generation !== this.generation) return;
    try {
      this.build(model, fresh);
    } catch (e) {
      this.busy = null;
      this.message = `Building the model failed: ${(e as Error).message}`;
      this.changed();
      this.post({ type: 'error', message: `building the model failed: ${(e as Error).message}` });
      return;
    }
    this.training = this.newTraining(model);
    this.changed();
    this.builtGeneration = generation;
    if (!this.geometry) return;
    if (!this.input || this.input.length !== this.geometry.height * this.geometry.width * this.geometry.channels)
      this.input = initialInput(this.ui, this.geometry);
    this.schedule();
  }

  /**
   * Runs at most once per animation frame however fast inputs arrive. A run expected to take more than a
   * moment (a model's first, or one after a slow run) shows the progress bar first; a large model runs one layer at
   * a time (LARGE_MODEL_MACS).
   */
  private schedule(): void {
    if (this.runPending) return;
    this.runPending = true;
    this.deps.frame(() => void this.runFrame());
  }

  private async runFrame(): Promise<void> {
    // A run one layer at a time is under way: the input that changed meanwhile is run when it ends.
    if (this.runningInSteps) {
      this.runPending = false;
      this.rerun = true;
      return;
    }
    const slow = this.lastRunMs === null || this.lastRunMs > SLOW_RUN_MS;
    if (slow) await this.showBusy(`Running ${this.model?.name ?? 'the model'}…`);
    this.runPending = false;
    // A newer model arrived while this run waited: its build schedules the run once the runner is ready.
    if (this.builtGeneration !== this.generation) return;
    this.takeDrawing();
    if ((this.model?.macs ?? Infinity) > (this.deps.largeModelMacs ?? LARGE_MODEL_MACS)) await this.runInSteps();
    else this.run();
    this.busy = null;
    this.changed();
  }

  /** One whole run: every map at once (a model that runs in a moment, as while drawing). */
  private run(): void {
    const g = this.geometry;
    if (!g || !this.input || !this.model) return;
    const t0 = this.now();
    try {
      const maps = this.runner.run(this.input, [g.height, g.width, g.channels]);
      this.maps = new Map(maps.map((m) => [m.index, m]));
      this.runVariants(g);
      this.runShifted(g);
    } catch (e) {
      this.runFailed(e as Error);
      return;
    }
    this.ran(this.now() - t0);
  }

  /**
   * A large model's run: one layer at a time, each layer's maps shown as soon as they
   * are read back, the page responsive meanwhile. A new model cancels it; a new input waits for it to end.
   */
  private async runInSteps(): Promise<void> {
    const g = this.geometry;
    if (!g || !this.input || !this.model) return;
    const generation = this.generation;
    const t0 = this.now();
    this.runningInSteps = true;
    try {
      const done = await this.runner.runProgressive(
        this.input,
        [g.height, g.width, g.channels],
        (m) => {
          if (generation !== this.generation) return;
          this.maps = new Map(this.maps).set(m.index, m);
          this.changed();
        },
        () => generation !== this.generation,
      );
      if (!done) return;
      this.runVariants(g);
      this.ran(this.now() - t0);
    } catch (e) {
      this.runFailed(e as Error);
    } finally {
      this.runningInSteps = false;
      if (this.rerun) {
        this.rerun = false;
        this.schedule();
      }
    }
  }

  /** Runs the shifted input when the shift is on (a whole run: shifting is offered for models that run in a moment). */
  private runShifted(g: InputGeometry): void {
    if (!this.shift || !this.input) return;
    const shifted = shiftInput(this.input, g, this.shift.dx, this.shift.dy);
    const maps = this.runner.run(shifted, [g.height, g.width, g.channels]);
    this.shift = { ...this.shift, maps: new Map(maps.map((m) => [m.index, m])) };
  }

  /** Shows the input shifted by (dx, dy) beside it; (0, 0) turns it off. */
  setShift(dx: number, dy: number): void {
    this.shift = dx === 0 && dy === 0 ? null : { dx, dy, maps: new Map() };
    this.changed();
    this.schedule();
  }

  private runVariants(g: InputGeometry): void {
    if (!this.whatIf || !this.input) return;
    this.whatIf = runWhatIf(this.whatIf, this.input, g);
    this.changed();
  }

  private runFailed(e: Error): void {
    this.post({ type: 'error', message: `running the model failed: ${e.message}` });
    this.message = `Running the model failed: ${e.message}`;
    this.changed();
  }

  /** A run ended: how long it took, told to the host, and the input shown on the pad. */
  private ran(ms: number): void {
    this.lastRunMs = ms;
    const backend = this.backend();
    this.post({ type: 'status', backend: backend.name, layersShown: this.maps.size, runMs: ms, notice: backend.notice });
    if (this.geometry && this.input) this.deps.view.showInput(greyPlane(this.input, this.geometry));
  }

  choosePattern(pattern: PersistedState['pattern']): void {
    this.save({ inputKind: 'pattern', pattern });
    this.pendingDrawing = null;
    this.field = null;
    if (this.geometry) this.input = toChannels(patternPlane(pattern, this.geometry.height, this.geometry.width), this.geometry);
    this.schedule();
  }

  /** Drawing from now on (the view clears the pad, which sends the empty drawing). */
  startDrawing(): void {
    this.save({ inputKind: 'draw' });
  }

  /** The pad sends a stroke's every move; they are taken once per frame, when the model runs. */
  drawn(values: Float32Array): void {
    if (!this.geometry) return;
    this.pendingDrawing = values;
    this.schedule();
  }

  /** Makes the latest drawing the input and saves it (one state update and one re-render per frame, not per move). */
  private takeDrawing(): void {
    const values = this.pendingDrawing;
    this.pendingDrawing = null;
    if (!values || !this.geometry || values.length !== this.geometry.height * this.geometry.width) return;
    this.save({ inputKind: 'draw', drawing: Array.from(values) });
    this.input = toChannels(values, this.geometry);
  }

  /** An image the user picked: its pixels, at the geometry of the model shown when it came, are the input. */
  private async loadImage(dataUrl: string): Promise<void> {
    const g = this.geometry;
    if (!g) return;
    let rgba: Uint8ClampedArray | null;
    try {
      rgba = await this.deps.decodeImage(dataUrl, g);
    } catch {
      this.message = 'That image could not be decoded. Choose a PNG or JPEG file.';
      this.changed();
      this.post({ type: 'error', message: 'an image did not decode' });
      return;
    }
    if (!rgba) return;
    this.input = fromRgba(rgba, g);
    this.pendingDrawing = null;
    this.save({ inputKind: 'image' });
    this.message = null;
    this.changed();
    this.schedule();
  }

  /** A click on a unit: outline its receptive field on the input, from the core's size, jump and offset. */
  unitClicked(layerIndex: number, y: number, x: number): void {
    const rf = this.model?.layers[layerIndex]?.receptiveField;
    if (!rf || rf.size.length !== 2 || rf.size.some((s) => s === null) || rf.offset.some((o) => o === null)) {
      this.field = null;
    } else {
      const [sh, sw] = rf.size as number[];
      const [jh, jw] = rf.jump as number[];
      const [oh, ow] = rf.offset as number[];
      this.field = [oh + y * jh, ow + x * jw, sh, sw];
    }
    this.changed();
  }

  /** Requests about a layer name the model they are about (`model`, its key): the host ignores one about a model it no longer shows. */
  requestWhatIf(model: string, index: number): void {
    this.post({ type: 'whatIf', model, index });
  }

  revealLayer(model: string, index: number): void {
    this.post({ type: 'revealLayer', model, index });
  }

  pickWeights(): void {
    this.post({ type: 'pickWeights' });
  }

  resetWeights(): void {
    this.post({ type: 'resetWeights' });
  }

  /**
   * Whether Save weights… can be offered: the model is built (its weights are the runner's) and training is not
   * changing them (paused is fine: its weights hold still).
   */
  canSaveWeights(): boolean {
    const training = this.training?.status;
    return (
      this.model !== null && this.builtGeneration === this.generation && this.runner.builtIndices.length > 0 && training !== 'running' && training !== 'loading'
    );
  }

  /**
   * Save weights…: the weights the model runs with now (trained here, loaded, carried across edits, or initial), by
   * layer name in Keras' order (each layer's kernel, bias, …), to the host, which asks where and writes a Keras 3
   * `.weights.h5`. Weights that are not all numbers (a blown-up run) are not sent: Keras would load them as they are.
   */
  saveWeights(): void {
    const model = this.model;
    if (!model || !this.canSaveWeights()) return;
    const layers = this.runner.layerWeights(model);
    if (!allFinite(layers)) {
      this.message = 'The weights hold values that are not numbers (NaN or infinite): train again with a smaller learning rate before saving them.';
      this.changed();
      return;
    }
    this.post({ type: 'saveWeights', model: model.key, layers });
  }

  pickImage(): void {
    this.post({ type: 'pickImage' });
  }

  /** A turn for the page between training batches. */
  private readonly yieldToPage = (): Promise<void> => (this.deps.yieldToPage ?? (() => new Promise((resolve) => setTimeout(resolve, 0))))();

  private newTraining(model: PreviewModel): TrainingSession {
    return new TrainingSession(
      {
        runner: this.runner,
        memoryLimitMB: () => this.memoryLimitMB,
        loadDigits: (set) => this.loadDataset(set),
        now: this.now,
        yieldToPage: this.yieldToPage,
        budget: this.deps.trainingBudget,
        changed: () => this.changed(),
        redraw: () => this.schedule(),
        trained: (weights, source) => {
          this.previousWeights = { weights: this.weights, source: this.weightsSource };
          this.weights = weights;
          this.weightsSource = source;
        },
        backend: () => ({ name: this.backend().name, webglLost: this.backend().webglLost ?? false }),
        rebuild: () => this.rebuildForTraining(),
        switched: (r) => {
          const copy = r.batches - r.retrained;
          this.trainingBackendNote = `${r.why} after ${r.batches} batch${r.batches === 1 ? '' : 'es'}: training goes on on ${backendLabel(this.backend().name)} from the weights and optimizer state ${copy ? `of batch ${copy}` : 'it started with'}${r.retrained ? ` (the ${r.retrained} batch${r.retrained === 1 ? '' : 'es'} since ${r.retrained === 1 ? 'is' : 'are'} trained again)` : ''}.`;
          this.changed();
        },
      },
      model,
      this.dataset,
    );
  }

  /**
   * Training's backend was lost: the model is built again on the one that took over (its weights then come from
   * training's copy), the comparison's runners (on the lost one too) closed, and the maps drawn again.
   */
  private rebuildForTraining(): tfl.LayersModel | null {
    const model = this.model;
    if (!model) return null;
    this.closeWhatIf();
    this.stopReason = this.runner.build(model).stopReason;
    this.lastRunMs = null;
    this.schedule();
    return this.runner.trainingModel();
  }

  /** The chosen dataset's images: a bundled set fetched (once per load), or the folder's decoded images. */
  private async loadDataset(set: DatasetSpec): Promise<Digits> {
    if (set.name === 'digits') return this.deps.loadDigits();
    if (set.name === 'clothes') {
      if (!this.deps.loadClothes) throw new Error('this page has no Fashion-MNIST');
      return this.deps.loadClothes();
    }
    const folder = this.folder;
    if (!folder?.data || folder.spec !== set) throw new Error('no folder has been read: Train on a folder… reads one');
    const g = this.model && folderInput(this.model);
    if (!g || g.height !== folder.data.height || g.width !== folder.data.width || g.channels !== folder.data.channels)
      throw new Error(
        `its images were resized to ${folder.data.height}×${folder.data.width}×${folder.data.channels}, and the model's input has changed since: read the folder again (Train on a folder…)`,
      );
    return folder.data;
  }

  /** Train's dataset: a bundled one (kept for next time) or the folder read last; not while training. */
  chooseDataset(name: DatasetName): void {
    if (this.training?.busy || this.whatIfTraining) return;
    if (name === 'folder') {
      if (!this.folder?.spec || !this.folder.data) return;
      this.dataset = this.folder.spec;
    } else {
      this.dataset = name === 'clothes' ? CLOTHES_SET : DIGITS_SET;
      this.save({ dataset: name });
    }
    if (this.model) this.training = this.newTraining(this.model);
    this.changed();
  }

  /** The names of the chosen dataset's classes where the model's head has one output each (the prediction bars show them). */
  classNames(): string[] | null {
    const out = this.model?.layers[this.model.layers.length - 1]?.outputShape;
    return out?.length === 2 && out[1] === this.dataset.classes.length ? this.dataset.classes : null;
  }

  /** Train on a folder…: asks the host for one, and for no more images than the webview can hold at the model's input size. */
  pickFolder(): void {
    const model = this.model;
    if (!model || this.training?.busy) return;
    const g = folderInput(model);
    if (!g) {
      this.folder = { ...emptyFolder(''), status: 'failed', problem: datasetMismatch(model, folderSet('', [])) };
      this.changed();
      return;
    }
    this.post({ type: 'pickFolder', maxImages: folderImageCap(g) });
  }

  private folderChain: Promise<void> = Promise.resolve();

  private folderStarted(m: Extract<HostMessage, { type: 'folderStart' }>): void {
    const g = this.model && folderInput(this.model);
    if (!g) return;
    this.folderChain = Promise.resolve();
    this.folder = { ...emptyFolder(m.folder), classes: m.classes, total: m.total, notes: [...m.notes], geometry: g };
    this.changed();
    if (m.total === 0) this.folderRead(this.folder);
  }

  /** Decodes a batch of the folder's images at the model's input size; after the last, makes the dataset. */
  private async decodeFolderImages(folder: FolderState, m: Extract<HostMessage, { type: 'folderImages' }>): Promise<void> {
    if (this.folder !== folder || !folder.geometry) return;
    await decodeFolderBatch(folder, folder.geometry, m.images, this.deps.decodeImageBytes);
    if (m.last) this.folderRead(folder);
    else this.changed();
  }

  /** All of the folder's images came: its dataset is made (Train then uses it), or it says why there is none. */
  private folderRead(folder: FolderState): void {
    if (this.folder !== folder || !folder.geometry) return;
    this.folder = finishFolder(folder, folder.geometry, this.model?.layers.some((l) => l.type === 'Rescaling') ?? false);
    if (this.folder.status === 'ready') this.chooseDataset('folder');
    else this.folderFailed();
  }

  /** A folder could not be read: the one read before is gone with it, so Train goes back to the bundled set chosen last. */
  private folderFailed(): void {
    if (this.dataset.name === 'folder') this.chooseDataset(this.ui.dataset === 'clothes' ? 'clothes' : 'digits');
    this.changed();
  }

  /**
   * The pooling experiment: each downsampling variant trained in turn on the same digits, from the same seed, with
   * the model's own settings and budget (its compile/fit), its curves and time kept with it; the variants' maps
   * then show their trained weights. Closing the comparison stops it.
   */
  async trainWhatIf(): Promise<void> {
    if (!this.whatIf || this.whatIfTraining || !this.training?.plan || this.training.plan.mismatch || this.training.busy) return;
    // Where the host says another backend trains faster (trainOn), the model and the comparison move there first.
    await this.moveToTrain();
    const w = this.whatIf;
    const plan = this.training?.plan;
    if (!w || this.whatIfTraining || !plan || plan.mismatch || !this.model || this.training?.busy) return;
    this.whatIfTraining = true;
    this.changed();
    // On WebGL a lost context ends the variants' training (backendChanged announces it) rather than leaving it waiting.
    const loss = this.backend().name === 'webgl' ? lossSignal(() => this.backend().webglLost ?? false) : null;
    this.whatIfLost = loss?.announce ?? null;
    // A run of the variants replaces the comparison's state with a copy: the same variants are the same comparison.
    const same = () => this.whatIf?.variants === w.variants;
    try {
      await trainVariants(w, same, {
        inputShape: (this.model.inputShape ?? []).slice(1) as number[],
        digits: await this.loadDataset(this.dataset),
        settings: plan.settings,
        seed: TRAINING_SEED,
        ...this.deps.trainingBudget,
        now: this.now,
        yieldToPage: this.yieldToPage,
        onProgress: () => this.changed(),
        recovery: loss?.recovery,
      });
    } catch (e) {
      this.message = `The pooling experiment failed: ${(e as Error).message}`;
    } finally {
      this.whatIfLost = null;
      this.whatIfTraining = false;
      if (same()) this.schedule();
      this.changed();
    }
  }

  /**
   * Trains the model on the bundled digits (Train); resolves when training ends. Where the host says another backend
   * trains faster (trainOn: WASM, where the model runs on tfjs' plain JavaScript or on a WebGL drawn in software),
   * the model is rebuilt there first, with the weights it has, and stays there; the panel says so.
   */
  async startTraining(): Promise<void> {
    const session = this.training;
    if (!session) return;
    if (session.busy) return session.start();
    if (session.unavailable() === null) await this.moveToTrain();
    return this.training?.start();
  }

  /**
   * Moves the model (and the comparison) to the backend the host says trains faster (trainOn: WASM where the model
   * runs on tfjs' plain JavaScript or on a WebGL drawn in software), with the weights it has, and says so.
   */
  private async moveToTrain(): Promise<void> {
    const backend = this.backend();
    const target = backend.trainOn;
    if (!target || target === backend.name) return;
    await this.deps.host.useBackend(target);
    if (this.backend().name === target)
      this.trainingBackendNote = `Training on ${backendLabel(target)}, which trains faster here than ${backendLabel(backend.name)}.`;
  }

  pauseTraining(): void {
    this.training?.pause();
  }

  resumeTraining(): void {
    this.training?.resume();
  }

  stopTraining(): Promise<void> {
    return this.training?.stop() ?? Promise.resolve();
  }

  /** Frees the runners' weights (the page is going away). */
  dispose(): void {
    void this.training?.stop();
    this.closeWhatIf();
    this.runner.dispose();
  }
}

/** Whether every value of every tensor (a model used as a layer's too) is a finite number. */
function allFinite(layers: readonly LayerWeights[]): boolean {
  return layers.every((l) => l.tensors.every((t) => t.values.every((v) => Number.isFinite(v))) && allFinite(l.layers ?? []));
}

/** A backend's name as the buttons say it. */
export function backendLabel(name: string): string {
  return name === 'cpu' ? 'the CPU backend' : name === 'wasm' ? 'WASM' : name === 'webgl' ? 'WebGL' : name;
}
