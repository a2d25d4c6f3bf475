/**
 * `keras.applications` architectures (`VGG16(weights="imagenet", include_top=False, input_shape=(150, 150, 3))`):
 * the architecture's Python (src/core/applications) runs in an interpreter of its own with the call's arguments,
 * as if the user had written it, and the Functional model it returns becomes the call's value. Its layers are
 * placed at the user's call (that is where they come from, for hovers and diagnostics), and the argument errors
 * it raises are Keras' messages, reported at the call.
 */
import { applicationSource } from '../applications';
import { chunkSource, type Chunk } from '../python/chunks';
import { chunkInfo, readChunk } from './chunkInfo';
import { SourceText } from '../python/sourceText';
import type { Value } from '../python/values';
import type { FunctionalBuilder, GraphNode, LayerCall, ModelBuilder } from './values';
import type { Program } from './interpreter';

/** `raise ValueError(message)` in an architecture's Python: Keras rejects the arguments. */
export class ApplicationError extends Error {}

/** What an interpreter offers to run a library module: defined in interpreter.ts, passed in to keep the import one-way. */
export interface LibraryRunner {
  run(): void;
  callModuleFunction(name: string, positional: Value[], keywords: Map<string, Value>): Value;
  /** Nodes this interpreter made (the architecture's own; an `input_tensor` passed in is the user's). */
  readonly createdNodes: ReadonlySet<GraphNode>;
}

const programs = new Map<string, Program>();

/** An architecture's module, parsed once per run of LayerLens (afresh for the reference analysis: `reference`). */
function libraryProgram(family: string, text: string, reference: boolean): Program {
  let program = reference ? undefined : programs.get(family);
  if (program) return program;
  const chunks: Chunk[] = chunkSource(text).chunks;
  const definitions = new Map<string, number[]>();
  const chunkNames = chunks.map((c) => {
    const m = /^def\s+([A-Za-z_]\w*)/.exec(c.text);
    return m ? [m[1]] : [];
  });
  chunkNames.forEach((names, i) => names.forEach((n) => definitions.set(n, [...(definitions.get(n) ?? []), i])));
  program = {
    source: new SourceText(text),
    chunks,
    walked: chunks.map(() => true),
    definitions,
    chunkNames,
    tree: (index) => (reference ? readChunk(chunks[index].text) : chunkInfo(chunks[index].text)).tree,
    reference,
  };
  if (!reference) programs.set(family, program);
  return program;
}

export type ApplicationResult = { model: FunctionalBuilder } | { error: string } | { why: string };

/** An architecture as its Python built it (positions in the architecture's text), and the nodes it made. */
type Built = { model: FunctionalBuilder; created: GraphNode[] } | { error: string } | { why: string };

/**
 * Built architectures by their arguments, when every argument is a plain value (no tensor): each keystroke
 * re-analyses the file, and a base's graph (hundreds of layers) depends on nothing else.
 */
const built = new Map<string, Built>();
const BUILT_LIMIT = 32;

/** Forgets the parsed architectures and the built ones (a cold analysis, as `clearParseCache` asks). */
export function clearApplicationCaches(): void {
  programs.clear();
  built.clear();
}

/** A plain value as a key (`(150, 150, 3)`), or null for one that is not plain (a tensor, something unknown). */
function plainKey(v: Value): string | null {
  switch (v.kind) {
    case 'number':
    case 'bool':
      return String(v.value);
    case 'string':
      return JSON.stringify(v.value);
    case 'none':
      return 'None';
    case 'seq': {
      const items = v.items.map(plainKey);
      return items.includes(null) ? null : `${v.tuple ? '(' : '['}${items.join(',')}${v.tuple ? ')' : ']'}`;
    }
    default:
      return null;
  }
}

/**
 * Builds `architecture(*positional, **keywords)`; its layers are placed at `at` (the user's call). With `reference`
 * (the reference analysis), it is built afresh: no cached build or parse is read or kept.
 */
export function buildApplication(
  architecture: string,
  positional: Value[],
  keywords: Map<string, Value>,
  at: { from: number; to: number },
  makeRunner: (program: Program) => LibraryRunner,
  reference = false,
): ApplicationResult {
  const parts = [...positional.map(plainKey), ...[...keywords].map(([k, v]) => (plainKey(v) === null ? null : `${k}=${plainKey(v)}`))];
  const key = parts.includes(null) || reference ? null : `${architecture}(${parts.join(',')})`;
  let result = key === null ? undefined : built.get(key);
  if (!result) {
    result = build(architecture, positional, keywords, makeRunner, reference);
    if (key !== null) {
      if (built.size >= BUILT_LIMIT) built.delete(built.keys().next().value as string);
      built.set(key, result);
    }
  }
  return 'model' in result ? { model: placedCopy(result.model, result.created, at) } : result;
}

function build(
  architecture: string,
  positional: Value[],
  keywords: Map<string, Value>,
  makeRunner: (program: Program) => LibraryRunner,
  reference: boolean,
): Built {
  const found = applicationSource(architecture);
  if (!found) return { why: `\`${architecture}\` is not an architecture LayerLens knows` };
  const runner = makeRunner(libraryProgram(found.family, found.text, reference));
  runner.run();
  let value: Value;
  try {
    value = runner.callModuleFunction(architecture, positional, keywords);
  } catch (e) {
    if (e instanceof ApplicationError) return { error: e.message };
    throw e;
  }
  if (value.kind !== 'functional') return { why: value.kind === 'unknown' ? value.why : 'its arguments could not be followed' };
  value.model.application = architecture;
  return { model: value.model, created: [...runner.createdNodes] };
}

/**
 * A copy of the architecture's graph with its nodes, layers and unknown values placed at the user's call (each
 * analysis gets its own: `conv_base.trainable = False` and the like change it). Nodes it did not make (an
 * `input_tensor` of the user's) stay as they are.
 */
function placedCopy(model: FunctionalBuilder, created: GraphNode[], at: { from: number; to: number }): FunctionalBuilder {
  const placeValue = (v: Value): Value =>
    v.kind === 'unknown'
      ? { ...v, ...at }
      : v.kind === 'seq'
        ? { ...v, items: v.items.map(placeValue) }
        : v.kind === 'dict'
          ? { ...v, entries: new Map([...v.entries].map(([k, x]) => [k, placeValue(x)])) }
          : v.kind === 'layer'
            ? { kind: 'layer', layer: placeCall(v.layer) }
            : v;
  const calls = new Map<LayerCall, LayerCall>();
  const placeCall = (call: LayerCall): LayerCall => {
    let copy = calls.get(call);
    if (!copy) {
      copy = {
        ...call,
        ...at,
        calleeFrom: at.from,
        calleeTo: at.to,
        args: new Map([...call.args].map(([k, v]) => [k, placeValue(v)])),
        ...(call.notes ? { notes: call.notes.map((n) => ({ ...n, ...at })) } : {}),
      };
      calls.set(call, copy);
    }
    return copy;
  };
  const nodes = new Map<GraphNode, GraphNode>();
  const placed = (n: GraphNode) => nodes.get(n) ?? n;
  // A model the architecture uses as a layer (ConvNeXt's stem and downsampling blocks are Sequential models): its
  // layers are placed too, not left at offsets of the architecture's own text.
  const models = new Map<object, ModelBuilder | FunctionalBuilder>();
  const placeModel = (m: ModelBuilder | FunctionalBuilder): ModelBuilder | FunctionalBuilder => {
    const known = models.get(m);
    if (known) return known;
    const notes = m.notes.map((n) => ({ ...n, ...at }));
    const copy: ModelBuilder | FunctionalBuilder =
      'layers' in m
        ? {
            ...m,
            ...at,
            notes,
            layers: m.layers.map((e) => ({ ...e, ...at, value: placeValue(e.value) })),
            ...(m.build ? { build: { ...m.build, ...at } } : {}),
          }
        : ({ ...m, ...at, notes, inputs: m.inputs.map(placed), outputs: m.outputs.map(placed), tensors: [] } as FunctionalBuilder);
    models.set(m, copy);
    return copy;
  };
  // Creation order: a node's inputs (and a nested model's nodes) are copied before it.
  for (const node of created)
    nodes.set(node, { ...node, ...at, inputs: node.inputs.map(placed), layer: 'type' in node.layer ? placeCall(node.layer) : placeModel(node.layer) });
  return placeModel(model) as FunctionalBuilder;
}
