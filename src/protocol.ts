/**
 * The one message protocol between the extension host and the activation webview, imported by both sides.
 *
 * Each message is one valibot schema, and its TypeScript type is inferred from that schema, so a field exists in the
 * type only if the schema checks it. Each direction is a `v.variant` over `type`, and each side's handler ends in
 * `assertNever`, so a message type that either side does not handle fails to compile (test/unit/protocol.test.ts
 * compiles both against one more schema). Messages from the other side are checked in depth with `isHostMessage` /
 * `isWebviewMessage` on arrival: anything else is dropped and logged, with `whyMalformed`'s first problem. Objects
 * are strict: a field that no schema names is refused too, so nothing arrives unchecked.
 */
import * as v from 'valibot';
import type { Position, Range, ReceptiveField, Shape } from './core/types';
import type { TrainingSetup } from './core/keras/training';
import { callKey, IMPLICIT_INPUT, type GraphCall } from './core/tfjs/graph';
import type { TfjsLayerConfig, TfjsUnsupported } from './core/tfjs/toTfjs';

// ---------------------------------------------------------------------------------------------------------------
// Numbers and the core's small types

/** A size, a count or an index: an integer ≥ 0. */
const Count = v.pipe(v.number(), v.integer(), v.minValue(0));
/** valibot's number() already refuses NaN; finite() refuses ±Infinity too (JSON has neither; structuredClone keeps both). */
const Finite = v.pipe(v.number(), v.finite());
const NonNegative = v.pipe(v.number(), v.finite(), v.minValue(0));
const Positive = v.pipe(v.number(), v.finite(), v.gtValue(0));
const PositiveInt = v.pipe(v.number(), v.integer(), v.minValue(1));
const unique = (xs: string[]) => new Set(xs).size === xs.length;

/** A Keras shape: a list of sizes, `null` where a size is unknown. */
const ShapeSchema = v.array(v.nullable(Count));
const ReceptiveFieldSchema = v.strictObject({
  size: v.array(v.nullable(Finite)),
  jump: v.array(v.nullable(Finite)),
  offset: v.array(v.nullable(Finite)),
});
/** How tfjs builds a layer (a class and its config, whose keys are tfjs' business), or why it cannot. */
const TfjsUnsupportedSchema = v.strictObject({ unsupported: v.string() });
const TfjsLayerConfigSchema = v.strictObject({
  className: v.string(),
  // valibot's record() takes an array too; a config is a plain object.
  config: v.pipe(
    v.record(v.string(), v.unknown()),
    v.check((c) => !Array.isArray(c), 'a config is an object'),
  ),
});
const PositionSchema = v.strictObject({ line: Count, column: Count });
const RangeSchema = v.strictObject({ start: PositionSchema, end: PositionSchema, cell: v.optional(Count) });
/** How the source compiles and fits the model: keras/training.ts' TrainingSetup, checked. */
const TrainingSetupSchema = v.strictObject({
  optimizer: v.string(),
  learningRate: Positive,
  momentum: Finite,
  loss: v.nullable(v.string()),
  fromLogits: v.boolean(),
  metrics: v.array(v.string()),
  epochs: PositiveInt,
  batchSize: PositiveInt,
  defaults: v.array(v.string()),
  compile: v.nullable(RangeSchema),
  fit: v.nullable(RangeSchema),
  notes: v.array(v.string()),
});
/** A row, or a Sequential model's implicit Input (IMPLICIT_INPUT), which has none. */
const GraphRow = v.union([Count, v.literal(IMPLICIT_INPUT)]);
const GraphCallSchema = v.strictObject({ layer: GraphRow, call: Count, inputs: v.array(v.strictObject({ layer: GraphRow, call: Count })) });

/**
 * The core's types that the protocol carries are interfaces of the core, which does not know valibot. These lines
 * compile only while each schema's type is the core's, field for field (names and types, optional ones included):
 * a field added to the core's type without its check here is a compile error.
 */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? ([keyof A] extends [keyof B] ? ([keyof B] extends [keyof A] ? true : false) : false) : false) : false;
function sameType<A, B>(_proof: Same<A, B>): void {}
sameType<Shape, v.InferOutput<typeof ShapeSchema>>(true);
sameType<ReceptiveField, v.InferOutput<typeof ReceptiveFieldSchema>>(true);
sameType<TfjsUnsupported, v.InferOutput<typeof TfjsUnsupportedSchema>>(true);
sameType<TfjsLayerConfig, v.InferOutput<typeof TfjsLayerConfigSchema>>(true);
sameType<Position, v.InferOutput<typeof PositionSchema>>(true);
sameType<Range, v.InferOutput<typeof RangeSchema>>(true);
sameType<TrainingSetup, v.InferOutput<typeof TrainingSetupSchema>>(true);
sameType<GraphCall, v.InferOutput<typeof GraphCallSchema>>(true);

// ---------------------------------------------------------------------------------------------------------------
// The model the preview shows

/**
 * A layer's fields but `nested`: a model inside a layer makes the type recursive, which TypeScript cannot infer, so
 * `nested` alone is written in the type, and PreviewLayerSchema's annotation checks that the schema gives that type.
 */
const PreviewLayerFields = v.strictObject({
  index: Count,
  name: v.string(),
  type: v.string(),
  inputShape: v.nullable(ShapeSchema),
  outputShape: v.nullable(ShapeSchema),
  params: v.nullable(Count),
  receptiveField: v.nullable(ReceptiveFieldSchema),
  /** How tfjs builds this layer, or why it cannot. */
  tfjs: v.union([TfjsLayerConfigSchema, TfjsUnsupportedSchema]),
  /** The layer's activation argument, when it has one (`softmax`, `sigmoid`…), for the class bars. */
  activation: v.nullable(v.string()),
  /** Whether the downsampling what-if can replace this layer (a pooling layer): the host decides. */
  comparable: v.boolean(),
  /** Functional models: the layers this one takes its inputs from, and those that take its output (the graph, in names). */
  from: v.array(v.string()),
  to: v.array(v.string()),
});
export type PreviewLayer = v.InferOutput<typeof PreviewLayerFields> & {
  /** A model used as a layer (a pretrained base, a nested Sequential): built as a model of its own and applied as one layer. */
  nested?: PreviewModel;
};
const PreviewLayerSchema: v.GenericSchema<PreviewLayer> = v.strictObject({
  ...PreviewLayerFields.entries,
  nested: v.optional(v.lazy(() => PreviewModelSchema)),
});

/** A model's graph: its layers' calls in an order tfjs can apply them (`graphCalls` in the core); a Sequential model's is a chain from its implicit Input. */
export type PreviewGraph = GraphCall[];

/**
 * A graph whose calls name layers of the model (`size` of them) and take only calls placed before them; only the
 * first call may be the implicit Input, which takes nothing.
 */
function graphFits(graph: PreviewGraph, size: number): boolean {
  const placed = new Set<string>();
  return graph.every((c, k) => {
    const implicit = c.layer === IMPLICIT_INPUT;
    if (implicit && (k > 0 || c.inputs.length > 0)) return false;
    const ok = c.layer < size && c.inputs.every((i) => i.layer < size && placed.has(callKey(i)));
    placed.add(callKey(c));
    return ok;
  });
}

/** A PreviewModel in every field; each layer's index is its place in the list (the webview looks layers up by it). */
const PreviewModelSchema = v.pipe(
  v.strictObject({
    /** Identifies the model for state that survives re-analysis: the file's or notebook's URI and the model's id (`uri#model#1`). */
    key: v.string(),
    name: v.string(),
    inputShape: v.nullable(ShapeSchema),
    layers: v.pipe(
      v.array(PreviewLayerSchema),
      v.check((layers) => layers.every((l, i) => l.index === i), "each layer's index is its place"),
    ),
    /** How the layers connect, for every model (a Sequential model is a chain): the runner builds it from this. */
    graph: v.array(GraphCallSchema),
    /** Estimated float32 bytes of weights plus one sample's activations. */
    estimatedBytes: v.nullable(NonNegative),
    /** The model's parameters and its deepest receptive field, as the core counts them (the webview shows them as they are). */
    totalParams: v.nullable(Count),
    deepestField: v.nullable(ReceptiveFieldSchema),
    /** Multiply-accumulates of one run, as the core counts them: how long a run will take, before the first one. */
    macs: v.nullable(Count),
    /** A `keras.applications` model: its architecture (`VGG16`), whose pretrained weights LayerLens does not download. */
    application: v.nullable(v.string()),
    /** How the source compiles and fits it (the core's reading, defaults marked); absent for a model used as a layer. */
    training: v.optional(TrainingSetupSchema),
  }),
  v.check((m) => graphFits(m.graph, m.layers.length), 'each graph call names a layer of the model and takes calls placed before it'),
);
export type PreviewModel = v.InferOutput<typeof PreviewModelSchema>;

/** One way to downsample at a pooling layer, with the whole model re-analysed with it in place. */
const DownsamplingVariantSchema = v.strictObject({
  label: v.string(),
  /** The call that would stand in the source (the source itself is never changed). */
  code: v.string(),
  model: PreviewModelSchema,
});
export type DownsamplingVariant = v.InferOutput<typeof DownsamplingVariantSchema>;

// ---------------------------------------------------------------------------------------------------------------
// Weights

/**
 * A tensor's values: numbers, checked in one pass and not copied (valibot's array() would check and copy each of
 * a pretrained model's millions one by one). A file's weights may hold NaN; weights to be saved are finite.
 */
const Numbers = v.custom<number[]>((x) => Array.isArray(x) && x.every((n) => typeof n === 'number'), 'numbers');
const FiniteNumbers = v.custom<number[]>((x) => Array.isArray(x) && x.every(Number.isFinite), 'finite numbers');
/** A tensor whose values fill its shape: as many numbers as the product of its sizes. */
const tensor = (values: v.GenericSchema<number[]>) =>
  v.pipe(
    v.strictObject({ shape: v.array(Count), values }),
    v.check((t) => t.values.length === t.shape.reduce((a, b) => a * b, 1), 'the values fill the shape'),
  );

/** Weights for the model, by layer name, in Keras' order (kernel, bias, …); `layers` is recursive, so written in the type. */
const LayerWeightsFields = v.strictObject({ layer: v.string(), tensors: v.array(tensor(Numbers)) });
export type LayerWeights = v.InferOutput<typeof LayerWeightsFields> & {
  /** A model used as a layer (a pretrained base): its own layers' weights, by their names in that model. */
  layers?: LayerWeights[];
};
const LayerWeightsSchema: v.GenericSchema<LayerWeights> = v.strictObject({
  ...LayerWeightsFields.entries,
  layers: v.optional(v.array(v.lazy(() => LayerWeightsSchema))),
});
/** Weights to be written to a file: as LayerWeights, every value finite, and each layer named once (a file has one group per layer). */
const WeightsListToSave: v.GenericSchema<LayerWeights[]> = v.pipe(
  v.array(
    v.strictObject({
      ...LayerWeightsFields.entries,
      layer: v.pipe(v.string(), v.nonEmpty()),
      tensors: v.array(tensor(FiniteNumbers)),
      layers: v.optional(v.lazy(() => WeightsListToSave)),
    }),
  ),
  v.check((ws) => unique(ws.map((w) => w.layer)), 'each layer once'),
);

// ---------------------------------------------------------------------------------------------------------------
// The webview's own state and choices

/** What the webview keeps across hiding and re-showing the panel (vscode.setState); webview/state.ts restores it field by field. */
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

/** tfjs' backends the preview offers: WebGL, WebAssembly (SIMD, one thread) and plain JavaScript. */
export type BackendName = 'webgl' | 'wasm' | 'cpu';
export const BACKENDS: BackendName[] = ['webgl', 'wasm', 'cpu'];

export type InputKind = 'draw' | 'pattern' | 'image';
export type PatternName = 'vertical-edges' | 'horizontal-edges' | 'checkerboard' | 'digit' | 'digit-shifted' | 'noise';
export const PATTERNS: PatternName[] = ['vertical-edges', 'horizontal-edges', 'checkerboard', 'digit', 'digit-shifted', 'noise'];
export type ColormapName = 'viridis' | 'magma' | 'gray';
export const COLORMAPS: ColormapName[] = ['viridis', 'magma', 'gray'];

/** One image of a folder the host read (`Train on a folder…`): its class's index, its path under the folder, its bytes. */
const FolderImageSchema = v.strictObject({
  label: Count,
  name: v.string(),
  mime: v.picklist(['image/png', 'image/jpeg', 'image/bmp', 'image/gif']),
  /** The file's bytes, base64. */
  data: v.pipe(v.string(), v.regex(/^[A-Za-z0-9+/]*={0,2}$/)),
});
export type FolderImageMessage = v.InferOutput<typeof FolderImageSchema>;

// ---------------------------------------------------------------------------------------------------------------
// The messages: one schema each

/** The host's messages to the webview. */
export const HostMessageSchema = v.variant('type', [
  v.strictObject({ type: v.literal('model'), model: PreviewModelSchema, memoryLimitMB: Positive }),
  /** The downsampling variants at layer `index` of the model whose key is `model`. */
  v.strictObject({ type: v.literal('whatIf'), model: v.string(), index: Count, variants: v.array(DownsamplingVariantSchema) }),
  v.strictObject({ type: v.literal('refused'), message: v.string() }),
  v.strictObject({ type: v.literal('selectLayer'), index: v.nullable(Count) }),
  v.strictObject({ type: v.literal('weights'), source: v.string(), layers: v.array(LayerWeightsSchema) }),
  v.strictObject({ type: v.literal('weightsError'), message: v.string() }),
  v.strictObject({ type: v.literal('image'), name: v.string(), dataUrl: v.pipe(v.string(), v.regex(/^data:image\/(png|jpeg);base64,/)) }),
  /**
   * Train on a folder…: the folder read (its name, its classes sorted as Keras sorts them, how many images follow,
   * and notes on what was skipped), then its images in batches (`last` on the final one), or why it cannot be used.
   */
  v.strictObject({
    type: v.literal('folderStart'),
    folder: v.string(),
    classes: v.pipe(v.array(v.string()), v.check(unique, 'each class once')),
    total: Count,
    notes: v.array(v.string()),
  }),
  v.strictObject({ type: v.literal('folderImages'), folder: v.string(), images: v.array(FolderImageSchema), last: v.boolean() }),
  v.strictObject({ type: v.literal('folderError'), message: v.string() }),
]);
export type HostMessage = v.InferOutput<typeof HostMessageSchema>;

/** The webview's messages to the host. `model` in a message about a layer is the key of the model the webview shows: the host ignores one about another. */
export const WebviewMessageSchema = v.variant('type', [
  v.strictObject({ type: v.literal('ready') }),
  v.strictObject({ type: v.literal('revealLayer'), model: v.string(), index: Count }),
  v.strictObject({ type: v.literal('whatIf'), model: v.string(), index: Count }),
  v.strictObject({ type: v.literal('pickImage') }),
  /** Train on a folder…: the host asks which and reads at most `maxImages` of its images (what the webview can hold decoded). */
  v.strictObject({ type: v.literal('pickFolder'), maxImages: PositiveInt }),
  v.strictObject({ type: v.literal('pickWeights') }),
  v.strictObject({ type: v.literal('resetWeights') }),
  /**
   * Save weights…: the weights the preview's model `model` runs with, by layer name, each layer's tensors in Keras'
   * order (as writeWeights' modelToSave takes them); the host asks where and writes a Keras 3 `.weights.h5`.
   */
  v.strictObject({ type: v.literal('saveWeights'), model: v.string(), layers: v.pipe(WeightsListToSave, v.nonEmpty()) }),
  v.strictObject({ type: v.literal('status'), backend: v.string(), layersShown: Count, runMs: NonNegative, notice: v.nullable(v.string()) }),
  v.strictObject({ type: v.literal('error'), message: v.string() }),
]);
export type WebviewMessage = v.InferOutput<typeof WebviewMessageSchema>;

export function assertNever(x: never): never {
  throw new Error(`unhandled message: ${JSON.stringify(x)}`);
}

/** Checks a message from the extension host, in depth, before the webview acts on it. */
export function isHostMessage(x: unknown): x is HostMessage {
  return v.is(HostMessageSchema, x);
}

/** Checks a message from the webview, in depth, before the host acts on it. */
export function isWebviewMessage(x: unknown): x is WebviewMessage {
  return v.is(WebviewMessageSchema, x);
}

/** Why `x` is not a message of `schema`, for the log of a dropped one: the first problem and where (`model.layers.3.params: …`). */
export function whyMalformed(schema: typeof HostMessageSchema | typeof WebviewMessageSchema, x: unknown): string {
  const result = v.safeParse(schema, x, { abortEarly: true });
  if (result.success) return 'well-formed';
  const issue = result.issues[0];
  const path = v.getDotPath(issue);
  return `${path ? `${path}: ` : ''}${issue.message}`;
}
