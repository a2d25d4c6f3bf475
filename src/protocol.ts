/**
 * The one message protocol between the extension host and the activation webview, imported by both sides.
 * Each direction is a discriminated union, and each side's handler ends in `assertNever`, so a message type that
 * either side does not handle fails to compile (test/unit/protocol.test.ts compiles both against one more type).
 * Messages from the other side are checked in depth with `isHostMessage` / `isWebviewMessage` on arrival:
 * anything else is dropped and logged.
 */
import type { ReceptiveField, Shape } from './core/types';
import type { TrainingSetup } from './core/keras/training';
import { callKey, type GraphCall } from './core/tfjs/graph';
import type { TfjsConversion } from './core/tfjs/toTfjs';

export interface PreviewLayer {
  index: number;
  name: string;
  type: string;
  inputShape: Shape | null;
  outputShape: Shape | null;
  params: number | null;
  receptiveField: ReceptiveField | null;
  /** How tfjs builds this layer, or why it cannot. */
  tfjs: TfjsConversion;
  /** The layer's activation argument, when it has one (`softmax`, `sigmoid`…), for the class bars. */
  activation: string | null;
  /** Whether the downsampling what-if can replace this layer (a pooling layer): the host decides. */
  comparable: boolean;
  /** Functional models: the layers this one takes its inputs from, and those that take its output (the graph, in names). */
  from: string[];
  to: string[];
  /** A model used as a layer (a pretrained base, a nested Sequential): built as a model of its own and applied as one layer. */
  nested?: PreviewModel;
}

/** A Functional model's graph: its layers' calls in an order tfjs can apply them (`graphCalls` in the core). */
export type PreviewGraph = GraphCall[];

export interface PreviewModel {
  /** Identifies the model for state that survives re-analysis: the file's or notebook's URI and the model's id (`uri#model#1`). */
  key: string;
  name: string;
  inputShape: Shape | null;
  layers: PreviewLayer[];
  /** Functional models: how the layers connect; null for a Sequential model (a chain, built with tf.sequential). */
  graph: PreviewGraph | null;
  /** Estimated float32 bytes of weights plus one sample's activations. */
  estimatedBytes: number | null;
  /** The model's parameters and its deepest receptive field, as the core counts them (the webview shows them as they are). */
  totalParams: number | null;
  deepestField: ReceptiveField | null;
  /** Multiply-accumulates of one run, as the core counts them: how long a run will take, before the first one. */
  macs: number | null;
  /** A `keras.applications` model: its architecture (`VGG16`), whose pretrained weights LayerLens does not download. */
  application: string | null;
  /** How the source compiles and fits it (the core's reading, defaults marked); absent for a model used as a layer. */
  training?: TrainingSetup;
}

/** What the webview keeps across hiding and re-showing the panel (vscode.setState). */
export interface PersistedState {
  inputKind: InputKind;
  pattern: PatternName;
  drawing: number[] | null;
  selectedLayer: number | null;
  colormap: ColormapName;
  layerScale: boolean;
  /** The backend the user chose; WebGL unless they switched to the CPU or WASM. */
  backend: BackendName;
  /** The bundled dataset Train uses: the MNIST digits unless the user chose Fashion-MNIST's clothes (a folder is not kept). */
  dataset: BundledDataset;
}

export type BundledDataset = 'digits' | 'clothes';
export const BUNDLED_DATASETS: BundledDataset[] = ['digits', 'clothes'];

/** One image of a folder the host read (`Train on a folder…`): its class's index, its path under the folder, its bytes. */
export interface FolderImageMessage {
  label: number;
  name: string;
  mime: 'image/png' | 'image/jpeg' | 'image/bmp' | 'image/gif';
  /** The file's bytes, base64. */
  data: string;
}

/** tfjs' backends the preview offers: WebGL, WebAssembly (SIMD, one thread) and plain JavaScript. */
export type BackendName = 'webgl' | 'wasm' | 'cpu';
export const BACKENDS: BackendName[] = ['webgl', 'wasm', 'cpu'];

export type InputKind = 'draw' | 'pattern' | 'image';
export type PatternName = 'vertical-edges' | 'horizontal-edges' | 'checkerboard' | 'digit' | 'digit-shifted' | 'noise';
export const PATTERNS: PatternName[] = ['vertical-edges', 'horizontal-edges', 'checkerboard', 'digit', 'digit-shifted', 'noise'];
export type ColormapName = 'viridis' | 'magma' | 'gray';
export const COLORMAPS: ColormapName[] = ['viridis', 'magma', 'gray'];

/** Weights for the model, by layer name, in Keras' order (kernel, bias, …). */
export interface LayerWeights {
  layer: string;
  tensors: { shape: number[]; values: number[] }[];
  /** A model used as a layer (a pretrained base): its own layers' weights, by their names in that model. */
  layers?: LayerWeights[];
}

/** One way to downsample at a pooling layer, with the whole model re-analysed with it in place. */
export interface DownsamplingVariant {
  label: string;
  /** The call that would stand in the source (the source itself is never changed). */
  code: string;
  model: PreviewModel;
}

export type HostMessage =
  | { type: 'model'; model: PreviewModel; memoryLimitMB: number }
  /** The downsampling variants at layer `index` of the model whose key is `model`. */
  | { type: 'whatIf'; model: string; index: number; variants: DownsamplingVariant[] }
  | { type: 'refused'; message: string }
  | { type: 'selectLayer'; index: number | null }
  | { type: 'weights'; source: string; layers: LayerWeights[] }
  | { type: 'weightsError'; message: string }
  | { type: 'image'; name: string; dataUrl: string }
  /**
   * Train on a folder…: the folder read (its name, its classes sorted as Keras sorts them, how many images follow,
   * and notes on what was skipped), then its images in batches (`last` on the final one), or why it cannot be used.
   */
  | { type: 'folderStart'; folder: string; classes: string[]; total: number; notes: string[] }
  | { type: 'folderImages'; folder: string; images: FolderImageMessage[]; last: boolean }
  | { type: 'folderError'; message: string };

/** `model` in a message about a layer is the key of the model the webview shows: the host ignores one about another. */
export type WebviewMessage =
  | { type: 'ready' }
  | { type: 'revealLayer'; model: string; index: number }
  | { type: 'whatIf'; model: string; index: number }
  | { type: 'pickImage' }
  /** Train on a folder…: the host asks which and reads at most `maxImages` of its images (what the webview can hold decoded). */
  | { type: 'pickFolder'; maxImages: number }
  | { type: 'pickWeights' }
  | { type: 'resetWeights' }
  /**
   * Save weights…: the weights the preview's model `model` runs with, by layer name, each layer's tensors in Keras'
   * order (as writeWeights' modelToSave takes them); the host asks where and writes a Keras 3 `.weights.h5`.
   */
  | { type: 'saveWeights'; model: string; layers: LayerWeights[] }
  | { type: 'status'; backend: string; layersShown: number; runMs: number; notice: string | null }
  | { type: 'error'; message: string };

export function assertNever(x: never): never {
  throw new Error(`unhandled message: ${JSON.stringify(x)}`);
}

type Fields = Record<string, unknown>;
type Check = (x: unknown) => boolean;

const isObject = (x: unknown): x is Fields => typeof x === 'object' && x !== null && !Array.isArray(x);
const isString = (x: unknown): x is string => typeof x === 'string';
const isNumber = (x: unknown): x is number => typeof x === 'number';
const isFinite = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
const isInt = (x: unknown): x is number => typeof x === 'number' && Number.isInteger(x);
const isCount = (x: unknown): x is number => isInt(x) && x >= 0;
const orNull =
  (check: Check): Check =>
  (x) =>
    x === null || check(x);
const arrayOf =
  (check: Check): Check =>
  (x) =>
    Array.isArray(x) && x.every(check);

/** A Keras shape: a list of sizes, `null` where a size is unknown. */
const isShape = arrayOf(orNull(isCount));
const isReceptiveField: Check = (x) => isObject(x) && ['size', 'jump', 'offset'].every((k) => arrayOf(orNull(isFinite))(x[k]));
const isTfjs: Check = (x) => isObject(x) && (isString(x.unsupported) || (isString(x.className) && isObject(x.config)));

function isPreviewLayer(x: unknown, place: number): boolean {
  return (
    isObject(x) &&
    x.index === place &&
    isString(x.name) &&
    isString(x.type) &&
    orNull(isShape)(x.inputShape) &&
    orNull(isShape)(x.outputShape) &&
    orNull(isCount)(x.params) &&
    orNull(isReceptiveField)(x.receptiveField) &&
    isTfjs(x.tfjs) &&
    orNull(isString)(x.activation) &&
    typeof x.comparable === 'boolean' &&
    arrayOf(isString)(x.from) &&
    arrayOf(isString)(x.to) &&
    (x.nested === undefined || isPreviewModel(x.nested))
  );
}

/** A graph whose calls name layers of the model (`size` of them) and take only calls placed before them. */
function isPreviewGraph(x: unknown, size: number): boolean {
  if (!Array.isArray(x)) return false;
  const placed = new Set<string>();
  const isRow = (n: unknown): n is number => isCount(n) && n < size;
  return x.every((c: unknown) => {
    if (!isObject(c) || !isRow(c.layer) || !isCount(c.call) || !Array.isArray(c.inputs)) return false;
    const ok = c.inputs.every((i: unknown) => isObject(i) && isRow(i.layer) && isCount(i.call) && placed.has(callKey(i as { layer: number; call: number })));
    placed.add(callKey(c as { layer: number; call: number }));
    return ok;
  });
}

/** A PreviewModel in every field; each layer's index is its place in the list (the webview looks layers up by it). */
export function isPreviewModel(x: unknown): x is PreviewModel {
  return (
    isObject(x) &&
    isString(x.key) &&
    isString(x.name) &&
    orNull(isShape)(x.inputShape) &&
    Array.isArray(x.layers) &&
    x.layers.every((l, i) => isPreviewLayer(l, i)) &&
    (x.graph === null || isPreviewGraph(x.graph, x.layers.length)) &&
    orNull((b) => isFinite(b) && b >= 0)(x.estimatedBytes) &&
    orNull(isCount)(x.totalParams) &&
    orNull(isCount)(x.macs) &&
    orNull(isString)(x.application) &&
    orNull(isReceptiveField)(x.deepestField) &&
    (x.training === undefined || isTrainingSetup(x.training))
  );
}

/** A tensor whose values fill its shape: as many numbers as the product of its sizes. */
const isTensor: Check = (x) =>
  isObject(x) &&
  isShape(x.shape) &&
  !(x.shape as unknown[]).includes(null) &&
  arrayOf(isNumber)(x.values) &&
  (x.values as number[]).length === (x.shape as number[]).reduce((a, b) => a * b, 1);
const isLayerWeights: Check = (x) =>
  isObject(x) && isString(x.layer) && arrayOf(isTensor)(x.tensors) && (x.layers === undefined || arrayOf(isLayerWeights)(x.layers));
/** Weights to be written to a file: as isLayerWeights, every value finite, and each layer named once (a file has one group per layer). */
const isFiniteTensor: Check = (x) => isTensor(x) && (x as { values: number[] }).values.every(Number.isFinite);
const isWeightsToSave: Check = (x) =>
  isObject(x) && isString(x.layer) && x.layer.length > 0 && arrayOf(isFiniteTensor)(x.tensors) && (x.layers === undefined || isWeightsListToSave(x.layers));
const isWeightsListToSave: Check = (x) =>
  arrayOf(isWeightsToSave)(x) && new Set((x as { layer: string }[]).map((l) => l.layer)).size === (x as unknown[]).length;
const isRange: Check = (x) =>
  isObject(x) && [x.start, x.end].every((p) => isObject(p) && isCount(p.line) && isCount(p.column)) && (x.cell === undefined || isCount(x.cell));
const isTrainingSetup: Check = (x) =>
  isObject(x) &&
  isString(x.optimizer) &&
  isFinite(x.learningRate) &&
  x.learningRate > 0 &&
  isFinite(x.momentum) &&
  orNull(isString)(x.loss) &&
  typeof x.fromLogits === 'boolean' &&
  arrayOf(isString)(x.metrics) &&
  isInt(x.epochs) &&
  x.epochs > 0 &&
  isInt(x.batchSize) &&
  x.batchSize > 0 &&
  arrayOf(isString)(x.defaults) &&
  orNull(isRange)(x.compile) &&
  orNull(isRange)(x.fit) &&
  arrayOf(isString)(x.notes);
const FOLDER_MIMES = new Set(['image/png', 'image/jpeg', 'image/bmp', 'image/gif']);
const isFolderImage: Check = (x) =>
  isObject(x) &&
  isCount(x.label) &&
  isString(x.name) &&
  isString(x.mime) &&
  FOLDER_MIMES.has(x.mime) &&
  isString(x.data) &&
  /^[A-Za-z0-9+/]*={0,2}$/.test(x.data);
const isVariant: Check = (x) => isObject(x) && isString(x.label) && isString(x.code) && isPreviewModel(x.model);

/**
 * One check per message type, of every field in depth. A mapped type over the union: a message type added to the
 * protocol without its check does not compile.
 */
const HOST_CHECKS: { [T in HostMessage['type']]: (x: Fields) => boolean } = {
  model: (x) => isPreviewModel(x.model) && isFinite(x.memoryLimitMB) && x.memoryLimitMB > 0,
  whatIf: (x) => isString(x.model) && isCount(x.index) && arrayOf(isVariant)(x.variants),
  refused: (x) => isString(x.message),
  selectLayer: (x) => orNull(isCount)(x.index),
  weights: (x) => isString(x.source) && arrayOf(isLayerWeights)(x.layers),
  weightsError: (x) => isString(x.message),
  image: (x) => isString(x.name) && isString(x.dataUrl) && /^data:image\/(png|jpeg);base64,/.test(x.dataUrl),
  folderStart: (x) =>
    isString(x.folder) &&
    arrayOf(isString)(x.classes) &&
    new Set(x.classes as string[]).size === (x.classes as string[]).length &&
    isCount(x.total) &&
    arrayOf(isString)(x.notes),
  folderImages: (x) => isString(x.folder) && arrayOf(isFolderImage)(x.images) && typeof x.last === 'boolean',
  folderError: (x) => isString(x.message),
};

const WEBVIEW_CHECKS: { [T in WebviewMessage['type']]: (x: Fields) => boolean } = {
  ready: () => true,
  revealLayer: (x) => isString(x.model) && isCount(x.index),
  whatIf: (x) => isString(x.model) && isCount(x.index),
  pickImage: () => true,
  pickFolder: (x) => isInt(x.maxImages) && x.maxImages > 0,
  pickWeights: () => true,
  resetWeights: () => true,
  saveWeights: (x) => isString(x.model) && isWeightsListToSave(x.layers) && (x.layers as unknown[]).length > 0,
  status: (x) => isString(x.backend) && isCount(x.layersShown) && isFinite(x.runMs) && x.runMs >= 0 && orNull(isString)(x.notice),
  error: (x) => isString(x.message),
};

function checkWith(checks: Record<string, (x: Fields) => boolean>, x: unknown): boolean {
  return isObject(x) && isString(x.type) && Object.prototype.hasOwnProperty.call(checks, x.type) && checks[x.type](x);
}

/** Checks a message from the extension host, in depth, before the webview acts on it. */
export function isHostMessage(x: unknown): x is HostMessage {
  return checkWith(HOST_CHECKS, x);
}

/** Checks a message from the webview, in depth, before the host acts on it. */
export function isWebviewMessage(x: unknown): x is WebviewMessage {
  return checkWith(WEBVIEW_CHECKS, x);
}
