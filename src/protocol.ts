/**
 * The one message protocol between the extension host and the activation webview, imported by both sides.
 * Each direction is a discriminated union; `assertNever` makes a message type that is not handled fail to
 * compile. Messages from the other side are checked with `isHostMessage` / `isWebviewMessage` on arrival:
 * anything else is dropped and logged.
 */
import type { ReceptiveField, Shape } from './core/types';
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
}

export interface PreviewModel {
  /** Identifies the model for state that survives re-analysis: the file's or notebook's URI and the model's id (`uri#model#1`). */
  key: string;
  name: string;
  inputShape: Shape | null;
  layers: PreviewLayer[];
  /** Estimated float32 bytes of weights plus one sample's activations. */
  estimatedBytes: number | null;
}

/** What the webview keeps across hiding and re-showing the panel (vscode.setState). */
export interface PersistedState {
  inputKind: InputKind;
  pattern: PatternName;
  drawing: number[] | null;
  selectedLayer: number | null;
  colormap: ColormapName;
  layerScale: boolean;
  /** The backend the user chose; WebGL unless they switched to the CPU. */
  backend: BackendName;
}

export type BackendName = 'webgl' | 'cpu';

export type InputKind = 'draw' | 'pattern' | 'image';
export type PatternName = 'vertical-edges' | 'horizontal-edges' | 'checkerboard' | 'digit' | 'digit-shifted' | 'noise';
export const PATTERNS: PatternName[] = ['vertical-edges', 'horizontal-edges', 'checkerboard', 'digit', 'digit-shifted', 'noise'];
export type ColormapName = 'viridis' | 'magma' | 'gray';
export const COLORMAPS: ColormapName[] = ['viridis', 'magma', 'gray'];

/** Weights for the model, by layer name, in Keras' order (kernel, bias, …). */
export interface LayerWeights {
  layer: string;
  tensors: { shape: number[]; values: number[] }[];
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
  | { type: 'image'; name: string; dataUrl: string };

/** `model` in a message about a layer is the key of the model the webview shows: the host ignores one about another. */
export type WebviewMessage =
  | { type: 'ready' }
  | { type: 'revealLayer'; model: string; index: number }
  | { type: 'whatIf'; model: string; index: number }
  | { type: 'pickImage' }
  | { type: 'pickWeights' }
  | { type: 'resetWeights' }
  | { type: 'status'; backend: string; layersShown: number; runMs: number; notice: string | null }
  | { type: 'error'; message: string };

export function assertNever(x: never): never {
  throw new Error(`unhandled message: ${JSON.stringify(x)}`);
}

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
const isInt = (x: unknown) => typeof x === 'number' && Number.isInteger(x);

/** Checks a message from the extension host before the webview acts on it. */
export function isHostMessage(x: unknown): x is HostMessage {
  if (!isObject(x)) return false;
  switch (x.type) {
    case 'model':
      return isObject(x.model) && Array.isArray(x.model.layers) && typeof x.memoryLimitMB === 'number';
    case 'refused':
    case 'weightsError':
      return typeof x.message === 'string';
    case 'selectLayer':
      return x.index === null || isInt(x.index);
    case 'weights':
      return typeof x.source === 'string' && Array.isArray(x.layers) && x.layers.every((l) => isObject(l) && typeof l.layer === 'string' && Array.isArray(l.tensors));
    case 'image':
      return typeof x.name === 'string' && typeof x.dataUrl === 'string' && /^data:image\/(png|jpeg);base64,/.test(x.dataUrl);
    case 'whatIf':
      return typeof x.model === 'string' && isInt(x.index) && Array.isArray(x.variants) && x.variants.every((v) => isObject(v) && typeof v.label === 'string' && typeof v.code === 'string' && isObject(v.model) && Array.isArray(v.model.layers));
    default:
      return false;
  }
}

/** Checks a message from the webview before the host acts on it. */
export function isWebviewMessage(x: unknown): x is WebviewMessage {
  if (!isObject(x)) return false;
  switch (x.type) {
    case 'ready':
    case 'pickImage':
    case 'pickWeights':
    case 'resetWeights':
      return true;
    case 'revealLayer':
    case 'whatIf':
      return typeof x.model === 'string' && isInt(x.index) && (x.index as number) >= 0;
    case 'status':
      return typeof x.backend === 'string' && isInt(x.layersShown) && typeof x.runMs === 'number' && (x.notice === null || typeof x.notice === 'string');
    case 'error':
      return typeof x.message === 'string';
    default:
      return false;
  }
}
