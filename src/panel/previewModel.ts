/** The model as the activation webview receives it: the core's analysis plus how tfjs builds each layer. */
import { BYTES_PER_PARAM } from '../core/format';
import type { LayerResult, ModelResult } from '../core';
import { modelField } from '../core/describe';
import { graphCalls } from '../core/tfjs/graph';
import { toTfjs, toTfjsInput, type TfjsConversion } from '../core/tfjs/toTfjs';
import type { PreviewModel } from '../protocol';

/** The pooling layers the downsampling what-if can replace (the class, and its rank in the second group). */
export const POOLING = /^(Max|Average)Pooling([123])D$/;

export function isPooling(type: string): boolean {
  return POOLING.test(type);
}

export function toPreviewModel(model: ModelResult, key: string): PreviewModel {
  const params = model.totalParams;
  const activations = model.activationBytes;
  /** Functional models: the names of the layers that take each row's output, found by the rows' edges (`inboundRows`). */
  const feeds = model.layers.map((): string[] => []);
  for (const l of model.layers) for (const row of new Set(l.inboundRows?.flat() ?? [])) feeds[row]?.push(l.name);
  return {
    key,
    name: model.name,
    inputShape: model.inputShape,
    layers: model.layers.map((l, i) => ({
      index: l.index,
      name: l.name,
      type: l.type,
      inputShape: l.inputShape,
      outputShape: l.outputShape,
      params: l.params,
      receptiveField: l.receptiveField,
      tfjs: tfjsOf(model, l, i),
      activation: typeof l.config.activation === 'string' ? l.config.activation : l.type === 'Softmax' ? 'softmax' : null,
      comparable: isPooling(l.type),
      from: [...new Set(l.inbound?.flat() ?? [])],
      to: feeds[i],
      ...(l.nested ? { nested: toPreviewModel(nestedModel(l), `${key}/${l.name}`) } : {}),
    })),
    graph: graphCalls(model),
    estimatedBytes: params === null || activations === null ? null : params * BYTES_PER_PARAM + activations,
    totalParams: params,
    deepestField: modelField(model),
    macs: model.macs,
    application: model.application ?? null,
  };
}

/** A model used as a layer, as a model of its own: its rows, and the input its row takes. */
function nestedModel(layer: LayerResult): ModelResult {
  const layers = layer.nested ?? [];
  return {
    name: layer.name,
    kind: layer.type === 'Functional' ? 'functional' : 'sequential',
    line: layer.range.start.line,
    range: layer.range,
    inputShape: layer.inputShape,
    layers,
    totalParams: layer.params,
    trainableParams: layer.trainableParams,
    nonTrainableParams: layer.nonTrainableParams,
    macs: layer.macs,
    activationBytes: null,
    diagnostics: [],
  };
}

/** How tfjs builds the layer: a Sequential model's first layer carries the input shape; a Functional model's Inputs are `tf.input`s. */
function tfjsOf(model: ModelResult, layer: LayerResult, index: number): TfjsConversion {
  if (model.kind === 'functional') return layer.type === 'InputLayer' ? toTfjsInput(layer) : toTfjs(layer);
  return toTfjs(layer, index === 0 && model.inputShape ? { batchInputShape: model.inputShape } : {});
}

/** Whether the preview may build the model, and if not, the message that says why and what to do. */
export function memoryRefusal(preview: PreviewModel, limitMB: number): string | null {
  if (preview.estimatedBytes === null) return null;
  const mb = preview.estimatedBytes / (1024 * 1024);
  if (mb <= limitMB) return null;
  return `This model needs about ${mb.toFixed(0)} MB (weights plus one input's activations), over the preview's limit of ${limitMB} MB. Raise "layerlens.preview.memoryLimitMB" in the settings to preview it anyway.`;
}

/** A model as a panel shows it, for the integration tests (through the extension's API). */
export interface ShownModel {
  name: string;
  /** Where its `Sequential(` call is: 1-based line, and the cell's index in a notebook. */
  line: number;
  cell: number | null;
  layers: number;
  totalParams: number | null;
  selectedLayer?: number | null;
  /** The preview's key for the model (PreviewModel.key), which the webview's messages about a layer carry. */
  key?: string;
}

export function describeShown(model: ModelResult): ShownModel {
  return { name: model.name, line: model.range.start.line, cell: model.range.cell ?? null, layers: model.layers.length, totalParams: model.totalParams };
}
