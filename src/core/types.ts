/** Public result types of the analysis core. They are the JSON schema documented in README.md. */

/** A position in the source: 1-based line and column. `cell` is the notebook cell index, when there is one. */
export interface Position {
  line: number;
  column: number;
}

export interface Range {
  start: Position;
  end: Position;
  /** 0-based index of the notebook cell (in the notebook's `cells` array) the range lies in; lines are then cell-relative. VS Code and the CLI's text show it plus one (`cell 3` for index 2). */
  cell?: number;
}

/** A shape in Keras notation: the batch dimension first, `null` where a dimension is unknown or dynamic. */
export type Shape = (number | null)[];

export type Severity = 'error' | 'warning' | 'information';

export interface Diagnostic {
  severity: Severity;
  /** A stable, kebab-case identifier (documented in README.md). */
  code: string;
  message: string;
  range: Range;
}

/** Receptive field per spatial axis of the model's input. */
export interface ReceptiveField {
  size: (number | null)[];
  jump: (number | null)[];
  offset: (number | null)[];
}

export interface LayerResult {
  /** An operation on tensors (`x + y`): Keras 3 prints it as a row, but it is not one of `model.layers`. */
  operation?: boolean;
  /** A model used as a layer (a pretrained base, a nested Sequential): its own rows, for `expand_nested`. */
  nested?: LayerResult[];
  index: number;
  /** The Keras class name (for a subclass of a Keras layer that keeps its rules, the subclass's name). */
  type: string;
  /**
   * For such a subclass: the Keras class whose rules (and tfjs equivalent) it follows; for an operation tf.keras 2
   * prints as a `TFOpLambda` row (`kerasVersion` '2'), the operation LayerLens runs it as (`Add` for `x + y`).
   */
  baseType?: string;
  /** Functional models: the layers whose outputs this layer is called on, in order, one list per call (a shared layer has several). */
  inbound?: string[][];
  /**
   * Functional models: the same edges by place, parallel to `inbound`: each inbound layer's row, its index in this
   * model's `layers` (-1 for a layer that is no row of it: one before an intermediate tensor the model takes as an
   * input). With `inboundCalls` and `inboundTensors` it says which tensor each call takes, without matching names.
   */
  inboundRows?: number[][];
  /** Functional models: the shapes of those inputs, parallel to `inbound` (a shared layer's output differs per call). */
  inboundShapes?: (Shape | null)[][];
  /**
   * Functional models: parallel to `inbound`, which call of each inbound layer made the tensor taken (Keras' node
   * index: 0 unless that layer is shared; `dense[1][0]` in Keras' "Connected to" is the second call's output).
   */
  inboundCalls?: number[][];
  /**
   * Functional models: parallel to `inbound`, which output of each inbound layer's call is taken (Keras' tensor
   * index: `lstm[0][1]` is an LSTM's first state); absent where every one is the first.
   */
  inboundTensors?: number[][];
  /** Functional models: parallel to `inbound`, how many of each call's inbound tensors, at its end, were keyword arguments (`initial_state=`); absent where none. */
  inboundKeywords?: number[];
  /** A layer that returns several tensors (`LSTM(return_state=True)`): the shape of each, `outputShape` first. */
  outputShapes?: (Shape | null)[];
  /**
   * Functional models, a layer called more than once (shared weights): each call in order, where it is and its
   * shapes (the row's `range` and shapes are the first call's).
   */
  calls?: LayerCallResult[];
  name: string;
  range: Range;
  /**
   * Added where LayerLens cannot tell whether or how often it runs (a loop over something unknown, an undecided
   * `if`: the `conditional-layer` diagnostic): the row stands for zero, one or more layers, shown `×?`; its numbers
   * are those of one run, and the rows after it are unknown.
   */
  timesUnknown?: true;
  /** The call of a function of the file whose body made this layer (the innermost), when one did. */
  via?: { function: string; call: Range };
  inputShape: Shape | null;
  outputShape: Shape | null;
  params: number | null;
  trainableParams: number | null;
  nonTrainableParams: number | null;
  macs: number | null;
  receptiveField: ReceptiveField | null;
  /** How the parameter count is made up, e.g. `3×3×32×64 kernel + 64 bias`. */
  paramsBreakdown?: string;
  /** The layer's arguments after binding to Keras' signature, defaults included (plain JSON values). */
  config: Record<string, unknown>;
  /** For Bidirectional / TimeDistributed: the wrapped layer's class and config. */
  inner?: { type: string; config: Record<string, unknown> };
}

/** One call of a shared layer in a Functional model. */
export interface LayerCallResult {
  range: Range;
  inputShape: Shape | null;
  outputShape: Shape | null;
}

/** Functional models: a variable bound to a Keras tensor (`block_1_output = layers.add([...])`, `inputs = keras.Input(...)`). */
export interface TensorResult {
  name: string;
  /** The variable where it is assigned. */
  range: Range;
  /** The layer whose output it is (its row's `name`). */
  layer: string;
  shape: Shape | null;
}

/**
 * The Keras whose numbers and names an analysis gives where Keras 2 (tf.keras 2.x, 2.3 on) and Keras 3 differ: '3' by
 * default (what `pip install keras` installs, and tf.keras from TensorFlow 2.16 on).
 */
export type KerasVersion = '2' | '3';

/**
 * How the version is chosen: one of them, or `'auto'`: Keras 2 where the file shows a sign only Keras 2 accepts (a
 * `keras-version` or `legacy-spelling` diagnostic: a Keras 1/2 module path, a Keras 1 argument name,
 * `AveragePooling2D()` without `pool_size`), else Keras 3 (keras/versions.ts `chooseVersion`).
 */
export type KerasVersionChoice = KerasVersion | 'auto';

export interface ModelResult {
  name: string;
  /** The Keras version its numbers and names are for (AnalyzeOptions.kerasVersion). */
  kerasVersion?: KerasVersion;
  /** Where `'auto'` chose Keras 2: the file's first sign of it (`keras.layers.convolutional`, `border_mode=`) and where it is. */
  kerasVersionFrom?: { sign: string; range: Range };
  /** `functional` for `keras.Model(inputs, outputs)`: its layers are in topological order, with `inbound`, Input rows included. */
  kind?: 'sequential' | 'functional';
  /** 1-based line of the `Sequential(` call. */
  line: number;
  range: Range;
  inputShape: Shape | null;
  /** Functional models: every input, in the order `keras.Model(inputs=...)` gives them (`inputShape` is the first's shape). */
  inputs?: { name: string; shape: Shape | null }[];
  layers: LayerResult[];
  /** Functional models: the variables bound to the outputs of its layers (and to its Inputs), in source order. */
  tensors?: TensorResult[];
  totalParams: number | null;
  trainableParams: number | null;
  nonTrainableParams: number | null;
  macs: number | null;
  /** Bytes of all layer outputs for one sample (float32). */
  activationBytes: number | null;
  diagnostics: Diagnostic[];
  /**
   * For a model a function in the file builds: the function, and the call that built this one (each call site is
   * a model of its own). Without `call`, nothing in the file calls the function and its defaults were used: `passed`
   * is where the file passes it on, `calledOn` where it calls the method on an object LayerLens cannot follow.
   */
  builtBy?: { function: string; call?: Range; passed?: Range; calledOn?: Range; tuner?: true };
  /**
   * A `keras.applications` architecture (`VGG16`) built by the call at `range`: its layers are the architecture's,
   * all placed at that call, so the editor shows the model as one thing there (its output, totals and stages).
   */
  application?: string;
}

export interface AnalysisResult {
  models: ModelResult[];
  /** Diagnostics that belong to no model (a syntax error elsewhere, an unreadable notebook). */
  diagnostics: Diagnostic[];
}

export interface AnalyzeOptions {
  /** Treat the source as a Jupyter notebook (.ipynb JSON). Inferred from `fileName` when omitted. */
  notebook?: boolean;
  /** The file's name: an analysis of a later version of it reuses this one's work (without it, nothing is reused). */
  fileName?: string;
  /**
   * The reference analysis: a plain walk of the whole file (every statement parsed and walked, no cache, nothing of an
   * earlier analysis reused), slower, which the normal analysis must equal; for tests.
   */
  reference?: boolean;
  /**
   * Where Keras 2 and Keras 3 differ (a default, a name), the one to follow, or `'auto'` (see KerasVersionChoice):
   * '3' when omitted. A construct only one version accepts gets a diagnostic saying which, whichever is chosen.
   */
  kerasVersion?: KerasVersionChoice;
}

/** One code cell of a notebook, as an editor hands it over. */
export interface CellSource {
  /** Index in the notebook's cells. */
  index: number;
  text: string;
}
