/**
 * The preview's controller (webview/app/controller.ts) under Node, with the real ModelRunner on tfjs' CPU backend:
 * what a model message builds and runs and tells the host, a newer model winning over an older build or run, weights
 * that do not fit, the downsampling what-if, run scheduling (one run per frame; an input during a layer-by-layer run
 * runs after it), images, refusals and the persisted UI state. The browser is stood in for by a frame queue, a
 * clock and a recording view; the runners are the real ones, recording their calls.
 */
import { strict as assert } from 'node:assert';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { downsamplingVariants } from '../../src/panel/downsampling';
import { toPreviewModel } from '../../src/panel/previewModel';
import { isWebviewMessage, type HostMessage, type LayerWeights, type PersistedState, type PreviewModel, type WebviewMessage } from '../../src/protocol';
import { modelToSave, writeKeras3Weights } from '../../src/weights/writeWeights';
import { matchLayers, readKerasWeights } from '../../src/weights/readWeights';
import { LARGE_MODEL_MACS, PreviewController } from '../../webview/app/controller';
import { fromRgba, inputGeometry, patternPlane, toChannels, type InputGeometry } from '../../webview/tfjs/inputs';
import { ModelRunner, type LayerMap } from '../../webview/tfjs/runner';
import { readTraining } from '../../src/core';
import { decodeDigits, gunzip } from '../../webview/train/digits';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { experimentSummary } from '../../webview/components/ll-app/whatIf';
import { callSpan, example, modelNamed } from './support/fixtures';

/** A real runner that logs what it is asked to do (`<runner> build <model>`, `<runner> run`, ...) and the inputs it runs. */
class RecordingRunner extends ModelRunner {
  constructor(
    private readonly id: number,
    private readonly h: Harness,
  ) {
    super();
  }

  build(preview: PreviewModel, weights: LayerWeights[] | null = null, carry = false) {
    this.h.log.push(`${this.id} build ${preview.name}`);
    return super.build(preview, weights, carry);
  }

  run(input: Float32Array, inputShape: number[]): LayerMap[] {
    this.h.log.push(`${this.id} run`);
    this.h.inputs.push(input);
    return super.run(input, inputShape);
  }

  async runProgressive(input: Float32Array, inputShape: number[], onMap: (map: LayerMap) => void, cancelled: () => boolean): Promise<boolean> {
    this.h.log.push(`${this.id} progressive`);
    this.h.inputs.push(input);
    const done = await super.runProgressive(
      input,
      inputShape,
      (m) => {
        onMap(m);
        this.h.onProgressiveMap?.(m);
      },
      cancelled,
    );
    this.h.log.push(`${this.id} progressive ${done ? 'done' : 'cancelled'}`);
    return done;
  }
}

interface Harness {
  controller: PreviewController;
  posted: WebviewMessage[];
  saved: PersistedState[];
  runners: RecordingRunner[];
  /** What the runners were asked to do, in order. */
  log: string[];
  /** The input of every run, in order. */
  inputs: Float32Array[];
  /** The grey inputs the view was given for the pad. */
  shown: Float32Array[];
  revealed: number[];
  /** How many animation frames were asked for. */
  framesAsked: number;
  /** Whether asked frames come by themselves (on the next macrotask); when false, flushFrames() runs them. */
  autoFrames: boolean;
  flushFrames(): void;
  /** How long each run takes on the controller's clock. */
  runMs: number;
  onProgressiveMap?: (m: LayerMap) => void;
  decoded: string[];
  statuses(): Extract<WebviewMessage, { type: 'status' }>[];
  /** The backend the host says is active. */
  backendName: string;
}

/** `large`: every model counts as large, so that it runs one layer at a time (as a pretrained base does). */
function harness(
  options: {
    saved?: unknown;
    image?: (g: InputGeometry) => Uint8ClampedArray | null | Error;
    large?: boolean;
    trainSamples?: number;
    /** The host says training is faster on WASM (as where WebGL is drawn in software); the backends switch by name only. */
    trainOnWasm?: boolean;
  } = {},
): Harness {
  const queue: (() => void)[] = [];
  let clock = 0;
  const h: Harness = {
    posted: [],
    saved: [],
    runners: [],
    log: [],
    inputs: [],
    shown: [],
    revealed: [],
    framesAsked: 0,
    autoFrames: true,
    runMs: 1,
    decoded: [],
    flushFrames() {
      for (const callback of queue.splice(0)) callback();
    },
    statuses: () => h.posted.filter((m): m is Extract<WebviewMessage, { type: 'status' }> => m.type === 'status'),
    controller: undefined as unknown as PreviewController,
    backendName: 'cpu',
  };
  h.controller = new PreviewController({
    host: {
      post: (m) => h.posted.push(m),
      getState: () => options.saved,
      setState: (s) => h.saved.push(s),
      backend: () => ({
        name: h.backendName,
        notice: null,
        choices: ['webgl', 'wasm', 'cpu'],
        trainOn: options.trainOnWasm && h.backendName !== 'wasm' ? 'wasm' : null,
      }),
      useBackend: async (name) => {
        h.log.push(`use ${name}`);
        h.backendName = name;
        await h.controller.backendChanged();
      },
    },
    view: { changed: () => {}, showInput: (grey) => h.shown.push(grey), reveal: (i) => h.revealed.push(i) },
    frame: (callback) => {
      h.framesAsked++;
      queue.push(callback);
      if (h.autoFrames) setImmediate(() => h.flushFrames());
    },
    painted: () => new Promise((resolve) => setImmediate(resolve)),
    decodeImage: async (dataUrl, g) => {
      h.decoded.push(dataUrl);
      const out = options.image?.(g) ?? null;
      if (out instanceof Error) throw out;
      return out;
    },
    // A run reads the clock at its start and its end: it takes `runMs`.
    now: () => (clock += h.runMs),
    createRunner: () => {
      const runner = new RecordingRunner(h.runners.length, h);
      h.runners.push(runner);
      return runner;
    },
    ...(options.large ? { largeModelMacs: 0 } : {}),
    // The digits the extension ships, as the page fetches them; a small budget of them (tfjs' CPU backend is slow).
    loadDigits: async () => decodeDigits(await gunzip(new Uint8Array(readFileSync(join(__dirname, '..', '..', 'dist', 'mnist.bin.gz'))))),
    trainingBudget: { trainSamples: options.trainSamples ?? 96, validationSamples: 100 },
    yieldToPage: () => new Promise((resolve) => setImmediate(resolve)),
  });
  return h;
}

async function until(what: string, condition: () => boolean, timeoutMs = 30_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > end) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}

/** A few macrotasks more: long enough for anything the controller still had queued (a frame, a build) to happen. */
async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
}

const convnet = () => toPreviewModel(modelNamed(example('mnist_convnet.py'), 'model'), 'convnet#model');
const SMALL = `from keras import layers, models
small = models.Sequential([layers.Conv2D(2, 3, input_shape=(6, 6, 1)), layers.Flatten(), layers.Dense(3)])`;
const small = () => toPreviewModel(modelNamed(SMALL, 'small'), 'small#small');
const modelMessage = (model: PreviewModel): HostMessage => ({ type: 'model', model, memoryLimitMB: 1024 });

/** Every map of one run of `model` on `input`, by a runner of its own, built with `weights`. */
function directRun(model: PreviewModel, input: Float32Array, weights: LayerWeights[] | null = null): Map<number, number[]> {
  const g = inputGeometry(model.inputShape);
  assert.ok(g);
  const runner = new ModelRunner();
  try {
    runner.build(model, weights);
    return new Map(runner.run(input, [g.height, g.width, g.channels]).map((m) => [m.index, Array.from(m.values)]));
  } finally {
    runner.dispose();
  }
}

const shownMaps = (c: PreviewController) => new Map(Array.from(c.maps, ([i, m]) => [i, Array.from(m.values)]));
const pattern = (name: Parameters<typeof patternPlane>[0], g: InputGeometry) => toChannels(patternPlane(name, g.height, g.width), g);
const G28: InputGeometry = { height: 28, width: 28, channels: 1 };

describe('webview controller (real runner, tfjs CPU backend)', () => {
  before(async () => {
    await tf.setBackend('cpu');
  });

  it('a model message builds the runner, runs it and posts a status with layersShown; the book’s convnet runs whole, a large model layer by layer', async () => {
    const h = harness();
    const model = convnet();
    assert.ok(model.macs !== null && model.macs < LARGE_MODEL_MACS);
    h.controller.receive(modelMessage(model));
    await until('the first status', () => h.statuses().length === 1);
    assert.deepEqual(h.statuses()[0], { type: 'status', backend: 'cpu', layersShown: 8, runMs: 1, notice: null });
    assert.deepEqual(h.log, ['0 build model', '0 run'], 'a small model runs whole, its first run too');
    assert.equal(h.controller.busy, null);
    assert.equal(h.controller.stopReason, null);
    assert.deepEqual(shownMaps(h.controller), directRun(model, pattern('digit', G28)), "the maps are the model's on the digit");
    assert.deepEqual(Array.from(h.shown[0]), Array.from(patternPlane('digit', 28, 28)), 'the pad shows the input');
    h.controller.choosePattern('checkerboard');
    await until('the second status', () => h.statuses().length === 2);
    assert.deepEqual(h.log.slice(2), ['0 run']);
    assert.deepEqual(shownMaps(h.controller), directRun(model, pattern('checkerboard', G28)));
    assert.deepEqual(h.saved.at(-1), { ...h.controller.ui, inputKind: 'pattern', pattern: 'checkerboard' });
    h.controller.dispose();

    // The same model counted as large: each run goes layer by layer, to the same maps.
    const large = harness({ large: true });
    large.controller.receive(modelMessage(model));
    await until('the first status', () => large.statuses().length === 1);
    large.controller.choosePattern('checkerboard');
    await until('the second status', () => large.statuses().length === 2);
    assert.deepEqual(large.log, ['0 build model', '0 progressive', '0 progressive done', '0 progressive', '0 progressive done']);
    assert.deepEqual(shownMaps(large.controller), directRun(model, pattern('checkerboard', G28)));
    large.controller.dispose();
  });

  it('a newer model arriving while the older one waits to build wins: only it is built, run and reported', async () => {
    const h = harness({ large: true });
    h.controller.receive(modelMessage(convnet()));
    h.controller.receive(modelMessage(small()));
    await until('a status', () => h.statuses().length === 1);
    await settle();
    assert.deepEqual(h.log, ['0 build small', '0 progressive', '0 progressive done']);
    assert.equal(h.statuses().length, 1);
    assert.equal(h.statuses()[0].layersShown, 3);
    assert.equal(h.controller.model?.name, 'small');
    h.controller.dispose();
  });

  it('a newer model cancels the older one’s layer-by-layer run, whose maps are not shown', async () => {
    const h = harness({ large: true });
    const newer = small();
    h.onProgressiveMap = () => {
      h.onProgressiveMap = undefined;
      h.controller.receive(modelMessage(newer));
    };
    h.controller.receive(modelMessage(convnet()));
    await until('a status', () => h.statuses().length === 1);
    await settle();
    assert.deepEqual(h.log, ['0 build model', '0 progressive', '0 progressive cancelled', '0 build small', '0 progressive', '0 progressive done']);
    assert.deepEqual(
      h.statuses().map((s) => s.layersShown),
      [3],
    );
    assert.deepEqual([...h.controller.maps.keys()], [0, 1, 2], 'only the newer model’s maps');
    h.controller.dispose();
  });

  it('weights load; weights that do not fit name the layer and give way to the previous weights', async () => {
    const h = harness();
    const model = small();
    h.controller.receive(modelMessage(model));
    await until('the first status', () => h.statuses().length === 1);
    const seeded = shownMaps(h.controller);
    const good: LayerWeights[] = [
      {
        layer: 'conv2d',
        tensors: [
          { shape: [3, 3, 1, 2], values: Array.from({ length: 18 }, (_, i) => (i % 5) / 10) },
          { shape: [2], values: [0.5, -0.5] },
        ],
      },
      {
        layer: 'dense',
        tensors: [
          { shape: [32, 3], values: Array.from({ length: 96 }, (_, i) => (i % 7) / 20 - 0.1) },
          { shape: [3], values: [0, 0.1, 0.2] },
        ],
      },
    ];
    h.controller.receive({ type: 'weights', source: 'good.weights.h5', layers: good });
    await until('the status with the weights', () => h.statuses().length === 2);
    assert.equal(h.controller.weightsSource, 'good.weights.h5');
    assert.equal(h.controller.message, null);
    const withGood = directRun(model, pattern('digit', { height: 6, width: 6, channels: 1 }), good);
    assert.deepEqual(shownMaps(h.controller), withGood);
    assert.notDeepEqual(withGood.get(0), seeded.get(0), 'the loaded weights change the maps');

    const bad: LayerWeights[] = [{ layer: 'conv2d', tensors: [{ shape: [3, 3, 2, 2], values: new Array(36).fill(0) }, good[0].tensors[1]] }, good[1]];
    h.controller.receive({ type: 'weights', source: 'bad.weights.h5', layers: bad });
    await until('the status after the bad weights', () => h.statuses().length === 3);
    assert.match(
      h.controller.message ?? '',
      /Layer "conv2d" \(Conv2D\) expects weights of shapes \[\[3,3,1,2\],\[2\]\] but the file has \[\[3,3,2,2\],\[2\]\]/,
    );
    assert.equal(h.controller.weightsSource, 'good.weights.h5', 'the previous weights are back');
    assert.deepEqual(shownMaps(h.controller), withGood);
    h.controller.dispose();
  });

  it('the downsampling what-if builds one runner per variant and runs each on the same input; a stale request is ignored', async () => {
    const h = harness();
    const text = example('mnist_convnet.py');
    const analysed = modelNamed(text, 'model');
    const model = toPreviewModel(analysed, 'convnet#model');
    h.controller.receive(modelMessage(model));
    await until('the first status', () => h.statuses().length === 1);
    const pool = analysed.layers[1];
    const variants = downsamplingVariants(analysed, pool, callSpan(text, pool), model.key);
    // Read through a function: each read is the controller's state now (an assertion narrows a plain read for good).
    const shownWhatIf = () => h.controller.whatIf;

    h.controller.receive({ type: 'whatIf', model: 'another#model', index: 1, variants });
    await settle();
    assert.equal(h.runners.length, 1, 'a comparison for another model builds nothing');
    assert.equal(shownWhatIf(), null);

    h.controller.receive({ type: 'whatIf', model: model.key, index: 1, variants });
    await until('the status after the comparison', () => h.statuses().length === 2);
    const whatIf = shownWhatIf();
    assert.ok(whatIf);
    assert.equal(whatIf.index, 1);
    assert.equal(h.runners.length, 5, 'the model’s runner and one per variant');
    assert.deepEqual(
      h.log.filter((l) => / build /.test(l)),
      ['0 build model', '1 build model', '2 build model', '3 build model', '4 build model'],
    );
    assert.deepEqual(
      whatIf.variants.map((v) => [v.variant.label, v.map?.shape]),
      [
        ['Max pooling', [13, 13, 32]],
        ['Average pooling', [13, 13, 32]],
        ['Strided convolution', [13, 13, 32]],
        ['No downsampling', [26, 26, 32]],
      ],
    );
    assert.deepEqual(
      whatIf.variants.map((_, i) => h.log.includes(`${i + 1} run`)),
      [true, true, true, true],
    );
    // Max pooling is the model's own layer: its map is the one shown above it.
    assert.deepEqual(Array.from(whatIf.variants[0].map?.values ?? []), Array.from(h.controller.maps.get(1)?.values ?? []));
    assert.notDeepEqual(Array.from(whatIf.variants[1].map?.values ?? []), Array.from(whatIf.variants[0].map?.values ?? []));

    h.controller.closeWhatIf();
    assert.equal(shownWhatIf(), null);
    assert.deepEqual(
      h.runners.slice(1).map((r) => r.builtIndices.length),
      [0, 0, 0, 0],
      'closing frees the variants’ runners',
    );
    h.controller.dispose();
  });

  it('inputs arriving during a layer-by-layer run are run after it, the last one taken', async () => {
    const h = harness({ large: true });
    const model = convnet();
    h.onProgressiveMap = () => {
      h.onProgressiveMap = undefined;
      // The user picks two patterns while the first layer's map is read; their frame comes during the run.
      h.controller.choosePattern('checkerboard');
      h.controller.choosePattern('horizontal-edges');
      h.flushFrames();
    };
    h.controller.receive(modelMessage(model));
    await until('two statuses', () => h.statuses().length === 2);
    await settle();
    assert.deepEqual(
      h.log,
      ['0 build model', '0 progressive', '0 progressive done', '0 progressive', '0 progressive done'],
      'one run after the layer-by-layer run, not during it',
    );
    assert.equal(h.statuses().length, 2);
    assert.deepEqual(Array.from(h.inputs[0]), Array.from(pattern('digit', G28)), 'the layer-by-layer run keeps its input');
    assert.deepEqual(Array.from(h.inputs[1]), Array.from(pattern('horizontal-edges', G28)));
    assert.deepEqual(shownMaps(h.controller), directRun(model, pattern('horizontal-edges', G28)));
    h.controller.dispose();
  });

  it('runs at most once per animation frame however many drawings arrive, taking and saving the latest', async () => {
    const h = harness();
    const model = convnet();
    h.controller.receive(modelMessage(model));
    await until('the first status', () => h.statuses().length === 1);
    await settle();
    h.autoFrames = false;
    const frames = h.framesAsked;
    const strokes = [0.2, 0.5, 0.9].map((v) => new Float32Array(28 * 28).fill(0).map((_, i) => (i % 3 === 0 ? v : 0)));
    for (const s of strokes) h.controller.drawn(s);
    assert.equal(h.framesAsked, frames + 1, 'one frame for three moves');
    h.flushFrames();
    await until('the status of the drawing', () => h.statuses().length === 2);
    assert.deepEqual(h.log, ['0 build model', '0 run', '0 run']);
    assert.deepEqual(Array.from(h.inputs[1]), Array.from(strokes[2]));
    assert.deepEqual(h.saved.at(-1)?.drawing, Array.from(strokes[2]));
    assert.equal(h.saved.at(-1)?.inputKind, 'draw');
    assert.deepEqual(shownMaps(h.controller), directRun(model, strokes[2]));
    h.controller.dispose();
  });

  it('an image’s pixels become the input; one that does not decode says so', async () => {
    const rgba = (g: InputGeometry) => Uint8ClampedArray.from({ length: g.height * g.width * 4 }, (_, i) => (i % 4 === 3 ? 255 : (i * 7) % 256));
    const h = harness({ image: rgba });
    h.controller.receive({ type: 'image', name: 'early.png', dataUrl: 'data:image/png;base64,early' });
    assert.deepEqual(h.decoded, [], 'no model, no geometry: nothing to decode for');
    const model = convnet();
    h.controller.receive(modelMessage(model));
    await until('the first status', () => h.statuses().length === 1);
    h.controller.receive({ type: 'image', name: 'a.png', dataUrl: 'data:image/png;base64,a' });
    await until('the status of the image', () => h.statuses().length === 2);
    const input = fromRgba(rgba(G28), G28);
    assert.deepEqual(Array.from(h.inputs.at(-1) ?? []), Array.from(input));
    assert.equal(h.controller.ui.inputKind, 'image');
    assert.deepEqual(shownMaps(h.controller), directRun(model, input));

    const failing = harness({ image: () => new Error('bad') });
    failing.controller.receive(modelMessage(model));
    await until('the first status', () => failing.statuses().length === 1);
    failing.controller.receive({ type: 'image', name: 'b.png', dataUrl: 'data:image/png;base64,b' });
    await until('the error', () => failing.posted.some((m) => m.type === 'error'));
    assert.equal(failing.controller.message, 'That image could not be decoded. Choose a PNG or JPEG file.');
    assert.deepEqual(failing.posted.at(-1), { type: 'error', message: 'an image did not decode' });
    h.controller.dispose();
    failing.controller.dispose();
  });

  it('a refusal clears the model and its maps and frees the runner', async () => {
    const h = harness();
    h.controller.receive(modelMessage(convnet()));
    await until('the first status', () => h.statuses().length === 1);
    assert.equal(h.runners[0].builtIndices.length, 8);
    h.controller.receive({ type: 'refused', message: 'Too large for the preview.' });
    assert.equal(h.controller.model, null);
    assert.equal(h.controller.maps.size, 0);
    assert.equal(h.controller.message, 'Too large for the preview.');
    assert.equal(h.runners[0].builtIndices.length, 0);
    h.controller.dispose();
  });

  it('restores the saved UI state (a drawing is the first input), saves the selected layer and reveals it', async () => {
    const drawing = Array.from({ length: 28 * 28 }, (_, i) => (i % 7) / 7);
    const h = harness({ saved: { inputKind: 'draw', drawing, colormap: 'gray', layerScale: true } });
    assert.equal(h.controller.ui.colormap, 'gray');
    h.controller.receive(modelMessage(convnet()));
    await until('the first status', () => h.statuses().length === 1);
    assert.deepEqual(Array.from(h.inputs[0]), Array.from(Float32Array.from(drawing)));
    h.controller.receive({ type: 'selectLayer', index: 4 });
    assert.equal(h.saved.at(-1)?.selectedLayer, 4);
    assert.deepEqual(h.revealed, [4]);
    h.controller.receive({ type: 'selectLayer', index: null });
    assert.equal(h.saved.at(-1)?.selectedLayer, null);
    assert.deepEqual(h.revealed, [4]);
    h.controller.dispose();
  });

  it("a click on a unit outlines its receptive field from the core's size, jump and offset; none for a Dense unit", async () => {
    const h = harness();
    const model = convnet();
    h.controller.receive(modelMessage(model));
    await until('the first status', () => h.statuses().length === 1);
    const rf = model.layers[2].receptiveField;
    assert.deepEqual(
      [rf?.size, rf?.jump],
      [
        [8, 8],
        [2, 2],
      ],
    );
    h.controller.unitClicked(2, 3, 5);
    assert.deepEqual(h.controller.field, [(rf?.offset[0] ?? 0) + 6, (rf?.offset[1] ?? 0) + 10, 8, 8]);
    h.controller.unitClicked(7, 0, 1);
    assert.equal(h.controller.field, null);
    h.controller.dispose();
  });

  it("a shifted input is run beside the input: the first convolution's maps move with it, exactly; the prediction of both is read", async () => {
    const h = harness();
    const model = convnet();
    h.controller.receive(modelMessage(model));
    await until('the first status', () => h.statuses().length === 1);
    h.controller.setShift(4, 0);
    await until('the shifted run', () => h.statuses().length === 2);
    const shifted = h.controller.shift?.maps.get(0);
    const original = h.controller.maps.get(0);
    assert.ok(shifted && original);
    assert.deepEqual(shifted.shape, [26, 26, 32]);
    // 4 pixels right: each unit's window sees what the unit 4 columns to its left saw, where the window is whole.
    const at = (m: LayerMap, y: number, x: number, c: number) => m.values[(y * 26 + x) * 32 + c];
    for (let y = 0; y < 26; y++)
      for (let x = 0; x + 4 < 26; x++)
        for (let c = 0; c < 32; c++) assert.ok(Math.abs(at(shifted, y, x + 4, c) - at(original, y, x, c)) < 1e-5, `(${y}, ${x}, ${c})`);
    assert.equal(h.controller.shift?.maps.get(7)?.shape[0], 10, "the head's ten scores");
    h.controller.setShift(0, 0);
    assert.equal(h.controller.shift, null);
    h.controller.dispose();
  });

  describe('training on the digits', () => {
    /** A small convnet of the book's shape, with its compile and fit, as the host sends it (the core's reading of them). */
    const TINY = `import keras
from keras import layers
model = keras.Sequential([
    keras.Input(shape=(28, 28, 1)),
    layers.Conv2D(4, 3, activation="relu"),
    layers.MaxPooling2D(2),
    layers.Flatten(),
    layers.Dense(10, activation="softmax"),
])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
model.fit(x_train, y_train, epochs=2, batch_size=32)
`;
    const tiny = (source = TINY) => {
      const model = modelNamed(source, 'model');
      return { ...toPreviewModel(model, 'tiny#model'), training: readTraining(source, model) };
    };

    it("Train: the curves fill, the maps and the first convolution's kernels follow the weights, and the trained weights stay the preview's", async () => {
      const h = harness();
      const model = tiny();
      h.controller.receive(modelMessage(model));
      await until('the first status', () => h.statuses().length === 1);
      const before = shownMaps(h.controller);
      const session = h.controller.training;
      assert.ok(session?.plan);
      assert.equal(session.unavailable(), null);
      assert.deepEqual(session.plan.settings, { optimizer: 'adam', learningRate: 0.001, momentum: 0, logits: false, batchSize: 32, epochs: 2 });
      const tensors = tf.memory().numTensors;
      await h.controller.startTraining();
      assert.equal(session.status, 'done');
      const trainer = session.trainer!;
      // 96 digits in batches of 32, twice; validation after each epoch.
      assert.equal(trainer.batches.length, 6);
      assert.equal(trainer.epochValidation.length, 2);
      assert.ok(trainer.samplesPerSecond! > 0);
      assert.equal(tf.memory().numTensors, tensors, "training leaves the model's weights and nothing else");
      await settle();
      // The maps after training are those of a runner built with the weights training reached, and not the initial ones.
      assert.match(h.controller.weightsSource ?? '', /^trained here on 192 MNIST digits, validation accuracy \d+\.\d%$/);
      const trained = shownMaps(h.controller);
      assert.notDeepEqual(trained, before);
      const weights = (h.controller as unknown as { weights: LayerWeights[] }).weights;
      const again = directRun(model, pattern('digit', G28), weights);
      for (const [index, values] of again)
        assert.ok(
          values.every((v, k) => Math.abs(v - trained.get(index)![k]) < 1e-4),
          `layer ${index}`,
        );
      assert.deepEqual(session.kernel?.shape, [3, 3, 1, 4]);
      assert.deepEqual(Array.from(session.kernel!.values), weights[0].tensors[0].values.map(Math.fround));
      // An edit rebuilds the model: the trained weights are loaded into it.
      h.controller.receive(modelMessage(tiny(TINY.replace('epochs=2', 'epochs=3'))));
      await until('the rebuilt model runs', () => h.statuses().length >= 3 && h.controller.training?.plan?.settings.epochs === 3);
      await settle();
      assert.match(h.controller.weightsSource ?? '', /^trained here/);
      assert.deepEqual(shownMaps(h.controller), trained);
      h.controller.dispose();
    });

    it('pause holds training between batches, resume goes on, stop ends it keeping the weights reached; a new model stops it first', async () => {
      const h = harness({ trainSamples: 320 });
      h.controller.receive(modelMessage(tiny()));
      await until('the first status', () => h.statuses().length === 1);
      const session = h.controller.training!;
      const ended = h.controller.startTraining();
      await until('a batch is trained', () => (session.trainer?.batches.length ?? 0) >= 1);
      h.controller.pauseTraining();
      assert.equal(session.status, 'paused');
      const at = session.trainer!.batches.length;
      await settle();
      await settle();
      assert.ok(session.trainer!.batches.length <= at + 1, 'at most the batch under way ends while paused');
      const paused = session.trainer!.batches.length;
      h.controller.resumeTraining();
      await until('training goes on', () => session.trainer!.batches.length > paused);
      await h.controller.stopTraining();
      await ended;
      assert.equal(session.status, 'stopped');
      assert.ok(session.trainer!.seen < 640);
      assert.match(h.controller.weightsSource ?? '', /^trained here on \d+ MNIST digits/);
      // A new model while training: training stops before the runner is rebuilt.
      const next = h.controller.startTraining();
      await until('a batch is trained', () => (session.trainer?.batches.length ?? 0) >= 1 && session.status === 'running');
      h.controller.receive(modelMessage(tiny(TINY.replace('Conv2D(4', 'Conv2D(5'))));
      await next;
      assert.equal(session.status, 'stopped');
      await until('the new model runs', () => h.controller.training !== session && h.controller.maps.size > 0);
      // Weights reset while training: training stops, and the weights it reached do not replace the reset.
      const third = h.controller.training!;
      const thirdEnded = h.controller.startTraining();
      await until('a batch is trained', () => (third.trainer?.batches.length ?? 0) >= 1 && third.status === 'running');
      h.controller.receive({ type: 'weights', source: '', layers: [] });
      await thirdEnded;
      assert.equal(third.status, 'stopped');
      await until('the model runs again', () => h.controller.training !== third && h.controller.maps.size > 0);
      assert.equal(h.controller.weightsSource, null, 'the initial weights, as the reset asked');
      h.controller.dispose();
    });

    it('a model whose input fits no dataset says what fits; one over the memory limit says so before starting', async () => {
      const h = harness();
      const rgb = `import keras
from keras import layers
model = keras.Sequential([keras.Input(shape=(32, 32, 3)), layers.Conv2D(8, 3), layers.Flatten(), layers.Dense(10, activation="softmax")])
`;
      h.controller.receive(modelMessage(tiny(rgb)));
      await until('the first status', () => h.statuses().length === 1);
      assert.match(
        h.controller.training?.unavailable() ?? '',
        /^The bundled MNIST digits are 28×28 grey images: they fit an input of \(28, 28, 1\), \(28, 28\) or \(784,\) flattened; "model" takes \(32, 32, 3\)/,
      );
      await h.controller.startTraining();
      assert.equal(h.controller.training?.status, 'failed');

      const heads = `import keras
from keras import layers
model = keras.Sequential([keras.Input(shape=(28, 28, 1)), layers.Flatten(), layers.Dense(5, activation="softmax")])
`;
      h.controller.receive(modelMessage(tiny(heads)));
      await until('the next model', () => h.controller.training?.plan?.mismatch !== undefined && h.statuses().length === 2);
      assert.match(h.controller.training?.unavailable() ?? '', /the model's last layer must give 10 outputs .* gives \(5\)/);

      h.controller.receive({ type: 'model', model: tiny(), memoryLimitMB: 0.05 });
      await until('the tiny model', () => h.statuses().length === 3);
      await h.controller.startTraining();
      assert.equal(h.controller.training?.status, 'failed');
      assert.match(
        h.controller.training?.message ?? '',
        /^Training "model" needs about \d+ MB \(6,810 weights with their gradients and optimizer state, and a batch of 32's activations\), over the preview's limit of 0.05 MB/,
      );
      h.controller.dispose();
    });

    it('the pooling experiment trains each downsampling variant on the same digits, seed and settings; max pooling as written trains exactly as Train does', async () => {
      const h = harness({ trainSamples: 64 });
      const analysed = modelNamed(TINY, 'model');
      const model = tiny();
      h.controller.receive(modelMessage(model));
      await until('the first status', () => h.statuses().length === 1);
      const pool = analysed.layers[1];
      const variants = downsamplingVariants(analysed, pool, callSpan(TINY, pool), model.key);
      h.controller.receive({ type: 'whatIf', model: model.key, index: 1, variants });
      await until('the comparison runs', () => h.statuses().length === 2);
      await h.controller.trainWhatIf();
      const w = h.controller.whatIf!;
      assert.deepEqual(
        w.variants.map((v) => [v.variant.label, v.training?.error, v.training?.trainer?.seen, v.training?.trainer?.epochValidation.length]),
        [
          ['Max pooling', null, 128, 2],
          ['Average pooling', null, 128, 2],
          ['Strided convolution', null, 128, 2],
          ['No downsampling', null, 128, 2],
        ],
      );
      // The strided convolution's parameters are the core's: 4 × (2×2×4) + 4 more than pooling's none; without
      // downsampling the Dense layer takes 26×26×4 features instead of 13×13×4: (2,704 − 676) × 10 more.
      assert.deepEqual(
        w.variants.map((v) => v.variant.model.totalParams),
        [model.totalParams, model.totalParams, model.totalParams! + 68, model.totalParams! + (2704 - 676) * 10],
      );
      const maxPooling = w.variants[0].training!.trainer!.batches.map((b) => b.loss);
      assert.notDeepEqual(
        w.variants[1].training!.trainer!.batches.map((b) => b.loss),
        maxPooling,
      );
      // The model as written, trained by Train from its own seeded weights: the same digits in the same order.
      await h.controller.startTraining();
      const own = h.controller.training!.trainer!.batches.map((b) => b.loss);
      assert.equal(own.length, maxPooling.length);
      own.forEach((l, i) => assert.ok(Math.abs(l - maxPooling[i]) < 1e-5, `batch ${i}: ${l} vs ${maxPooling[i]}`));
      assert.match(
        experimentSummary(w) ?? '',
        /^Validation accuracy on the held-out digits after the same training: Max pooling \d+\.\d%, Average pooling \d+\.\d%, Strided convolution \d+\.\d%, No downsampling \d+\.\d%\. One seed and one budget: /,
      );
      h.controller.dispose();
    });

    it('a flattened (784,) model has no maps but trains', async () => {
      const h = harness();
      const source = `import keras
from keras import layers
model = keras.Sequential([keras.Input(shape=(784,)), layers.Dense(16, activation="relu"), layers.Dense(10, activation="softmax")])
`;
      h.controller.receive(modelMessage(tiny(source)));
      await until('the model is built', () => h.controller.training !== null);
      assert.equal(h.controller.geometry, null);
      await h.controller.startTraining();
      assert.equal(h.controller.training?.status, 'done');
      assert.equal(h.controller.training?.kernel, null);
      // A model of another non-image input is not built, and says what the digits fit.
      const imdb = `import keras
from keras import layers
model = keras.Sequential([keras.Input(shape=(10000,)), layers.Dense(16, activation="relu"), layers.Dense(1, activation="sigmoid")])
`;
      h.controller.receive(modelMessage(tiny(imdb)));
      await until('the next model', () => h.controller.model?.inputShape?.[1] === 10000);
      assert.match(h.controller.training?.unavailable() ?? '', /they fit an input of .* "model" takes \(10000\)/);
      h.controller.dispose();
    });

    /** A convnet whose head follows a global pooling: its second convolution's kernel can change without the Dense layer's shape changing. */
    const GLOBAL = `import keras
from keras import layers
model = keras.Sequential([
    keras.Input(shape=(28, 28, 1)),
    layers.Conv2D(4, 3, activation="relu"),
    layers.MaxPooling2D(2),
    layers.Conv2D(8, 3, activation="relu"),
    layers.GlobalAveragePooling2D(),
    layers.Dense(10, activation="softmax"),
])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
model.fit(x_train, y_train, epochs=1, batch_size=32)
`;
    const byLayer = (weights: LayerWeights[]) => new Map(weights.map((w) => [w.layer, w.tensors.map((t) => Array.from(t.values, Math.fround))]));

    it('trained weights are carried across edits layer by layer: same name and shapes keep theirs, the others start from their initial weights', async () => {
      const h = harness();
      const model = tiny(GLOBAL);
      h.controller.receive(modelMessage(model));
      await until('the first status', () => h.statuses().length === 1);
      const initial = byLayer(h.runners[0].layerWeights(model));
      await h.controller.startTraining();
      assert.equal(h.controller.training?.status, 'done');
      await settle();
      const trained = byLayer(h.runners[0].layerWeights(model));
      for (const name of ['conv2d', 'conv2d_1', 'dense']) assert.notDeepEqual(trained.get(name), initial.get(name), `${name} trained`);

      // conv2d_1's kernel becomes 5×5: its weights no longer fit, conv2d's and dense's (8 → 10 still) do.
      const edited = tiny(GLOBAL.replace('Conv2D(8, 3', 'Conv2D(8, 5'));
      h.controller.receive(modelMessage(edited));
      await until('the edited model runs', () => h.controller.model === edited && h.controller.maps.size > 0 && !h.controller.busy);
      await settle();
      assert.deepEqual(h.controller.weightsReset, ['conv2d_1']);
      assert.equal(h.controller.message, null, 'no error: the layers that fit keep their weights');
      assert.match(h.controller.weightsSource ?? '', /^trained here/);
      const carried = byLayer(h.runners[0].layerWeights(edited));
      assert.deepEqual(carried.get('conv2d'), trained.get('conv2d'));
      assert.deepEqual(carried.get('dense'), trained.get('dense'));
      const fresh = new ModelRunner();
      fresh.build(edited);
      assert.deepEqual(carried.get('conv2d_1'), byLayer(fresh.layerWeights(edited)).get('conv2d_1'), "conv2d_1: the edited layer's seeded initial weights");
      fresh.dispose();
      assert.deepEqual(
        carried.get('conv2d_1')?.map((t) => t.length),
        [5 * 5 * 4 * 8, 8],
      );

      // The edit undone: every layer fits the trained weights again, and the maps are the trained model's.
      h.controller.receive(modelMessage(tiny(GLOBAL)));
      await until(
        'the model as before runs',
        () => h.controller.model?.layers[2].tfjs !== edited.layers[2].tfjs && h.controller.maps.size > 0 && !h.controller.busy,
      );
      await settle();
      assert.equal(h.controller.weightsReset, null);
      assert.deepEqual(byLayer(h.runners[0].layerWeights(model)), trained);

      // A file's weights must still fit every layer (nothing is partly loaded), whatever an edit would carry.
      const wrong = [...h.runners[0].layerWeights(model)].map((w) => (w.layer === 'dense' ? { ...w, tensors: w.tensors.slice(1) } : w));
      h.controller.receive({ type: 'weights', source: 'wrong.weights.h5', layers: wrong });
      await until('the weights are refused', () => (h.controller.message ?? '').includes('"dense"'));
      await settle();
      assert.match(h.controller.weightsSource ?? '', /^trained here/, 'the trained weights are back');
      h.controller.dispose();
    });

    it('Train moves the model to the backend the host says trains faster (trainOn), keeping its weights, and says so', async () => {
      const h = harness({ trainOnWasm: true });
      const model = tiny(GLOBAL);
      h.controller.receive(modelMessage(model));
      await until('the first status', () => h.statuses().length === 1);
      await h.controller.startTraining();
      assert.deepEqual(h.log.slice(0, 4), ['0 build model', '0 run', 'use wasm', '0 build model'], 'rebuilt on WASM before training');
      assert.equal(h.backendName, 'wasm');
      assert.equal(h.controller.trainingBackendNote, 'Training on WASM, which trains faster here than the CPU backend.');
      assert.equal(h.controller.training?.status, 'done');
      // Already there: training again does not switch.
      await h.controller.startTraining();
      assert.equal(h.log.filter((l) => l.startsWith('use ')).length, 1);
      // The user's own choice of backend clears the note.
      h.controller.switchBackend('cpu');
      assert.equal(h.controller.trainingBackendNote, null);
      h.controller.dispose();
    });

    it('the pooling experiment moves the model and its comparison to the backend that trains faster (trainOn) first, and trains every variant there', async () => {
      const h = harness({ trainOnWasm: true, trainSamples: 32 });
      const analysed = modelNamed(TINY, 'model');
      const model = tiny();
      h.controller.receive(modelMessage(model));
      await until('the first status', () => h.statuses().length === 1);
      const pool = analysed.layers[1];
      h.controller.receive({ type: 'whatIf', model: model.key, index: 1, variants: downsamplingVariants(analysed, pool, callSpan(TINY, pool), model.key) });
      await until('the comparison runs', () => h.statuses().length === 2);
      const before = h.controller.whatIf!;
      await h.controller.trainWhatIf();
      assert.equal(h.backendName, 'wasm');
      assert.deepEqual(
        h.log.filter((l) => l.startsWith('use ')),
        ['use wasm'],
      );
      assert.equal(h.controller.trainingBackendNote, 'Training on WASM, which trains faster here than the CPU backend.');
      const w = h.controller.whatIf!;
      assert.notEqual(w.variants[0].runner, before.variants[0].runner, 'the comparison was built again');
      // Every variant's runner was built after the switch, and trained the same budget there.
      const switched = h.log.indexOf('use wasm');
      for (const v of w.variants) assert.ok(h.log.indexOf(`${h.runners.indexOf(v.runner as RecordingRunner)} build model`) > switched, v.variant.label);
      assert.deepEqual(
        w.variants.map((v) => [v.variant.label, v.training?.error, v.training?.trainer?.seen]),
        [
          ['Max pooling', null, 64],
          ['Average pooling', null, 64],
          ['Strided convolution', null, 64],
          ['No downsampling', null, 64],
        ],
      );
      h.controller.dispose();
    });

    it('Save weights… posts the weights the model runs with, by layer name in Keras order, which writeWeights writes and reads back equal', async () => {
      const h = harness();
      const model = tiny(GLOBAL);
      assert.equal(h.controller.canSaveWeights(), false, 'nothing built yet');
      h.controller.receive(modelMessage(model));
      await until('the first status', () => h.statuses().length === 1);
      assert.equal(h.controller.canSaveWeights(), true, 'the built model, with its initial weights');
      const training = h.controller.startTraining();
      await until('training runs', () => h.controller.training?.status === 'running');
      assert.equal(h.controller.canSaveWeights(), false, 'not while training changes the weights');
      h.controller.saveWeights();
      assert.equal(h.posted.filter((m) => m.type === 'saveWeights').length, 0);
      await training;
      await settle();
      assert.equal(h.controller.canSaveWeights(), true);
      h.controller.saveWeights();
      const sent = h.posted.filter((m): m is Extract<WebviewMessage, { type: 'saveWeights' }> => m.type === 'saveWeights');
      assert.equal(sent.length, 1);
      const message = sent[0];
      assert.equal(message.model, model.key);
      // What reaches the host: JSON, as VS Code carries a webview's message, and valid there.
      const arrived: unknown = JSON.parse(JSON.stringify(message));
      assert.ok(isWebviewMessage(arrived));
      assert.deepEqual(
        message.layers.map((l) => [l.layer, l.tensors.map((t) => t.shape)]),
        [
          ['conv2d', [[3, 3, 1, 4], [4]]],
          ['conv2d_1', [[3, 3, 4, 8], [8]]],
          ['dense', [[8, 10], [10]]],
        ],
      );
      assert.deepEqual(byLayer(message.layers), byLayer(h.runners[0].layerWeights(model)), 'the trained weights');
      // The file the host writes from them, read back by the reader Load weights… uses: the same numbers per layer.
      const bytes = writeKeras3Weights(modelToSave('sequential', model.layers, (arrived as typeof message).layers));
      const read = readKerasWeights(bytes, 'mnist_convnet.weights.h5');
      assert.equal(read.format, 'keras3-weights-h5');
      assert.deepEqual(byLayer(matchLayers(read, model.layers)), byLayer(message.layers));

      // Weights that are not numbers are not sent: the page says why.
      const runner = h.runners[0];
      const real = runner.layerWeights.bind(runner);
      runner.layerWeights = (m) =>
        real(m).map((w, i) => (i === 0 ? { ...w, tensors: [{ ...w.tensors[0], values: w.tensors[0].values.map(() => NaN) }, w.tensors[1]] } : w));
      h.controller.saveWeights();
      assert.equal(h.posted.filter((m) => m.type === 'saveWeights').length, 1);
      assert.match(h.controller.message ?? '', /NaN or infinite/);
      h.controller.dispose();
    });
  });
});
