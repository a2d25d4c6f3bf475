/**
 * `keras.applications` architectures (`VGG16(weights="imagenet", include_top=False, input_shape=(150, 150, 3))`):
 * the architecture's Python (src/core/applications) runs in an interpreter of its own with the call's arguments,
 * as if the user had written it, and the Functional model it returns becomes the call's value. Its layers are
 * placed at the user's call (that is where they come from, for hovers and diagnostics), and the argument errors
 * it raises are Keras' messages, reported at the call.
 */
import { applicationSource } from '../applications';
import { chunkSource, type Chunk } from '../python/chunks';
import { chunkInfo } from '../python/chunkInfo';
import { SourceText } from '../python/sourceText';
import type { FunctionalBuilder, GraphNode, LayerCall, Value } from '../python/values';
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

function libraryProgram(family: string, text: string): Program {
  let program = programs.get(family);
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
    tree: (index) => chunkInfo(chunks[index].text).tree,
  };
  programs.set(family, program);
  return program;
}

export type ApplicationResult = { model: FunctionalBuilder } | { error: string } | { why: string };

/** Builds `architecture(*positional, **keywords)`; its layers are placed at `at` (the user's call). */
export function buildApplication(
  architecture: string,
  positional: Value[],
  keywords: Map<string, Value>,
  at: { from: number; to: number },
  makeRunner: (program: Program) => LibraryRunner,
): ApplicationResult {
  const found = applicationSource(architecture);
  if (!found) return { why: `\`${architecture}\` is not an architecture LayerLens knows` };
  const runner = makeRunner(libraryProgram(found.family, found.text));
  runner.run();
  let value: Value;
  try {
    value = runner.callModuleFunction(architecture, positional, keywords);
  } catch (e) {
    if (e instanceof ApplicationError) return { error: e.message };
    throw e;
  }
  if (value.kind !== 'functional') return { why: value.kind === 'unknown' ? value.why : 'its arguments could not be followed' };
  relocate(value.model, runner.createdNodes, at);
  value.model.application = architecture;
  return { model: value.model };
}

/** Places the architecture's nodes, layers and unknown values at the user's call. */
function relocate(model: FunctionalBuilder, created: ReadonlySet<GraphNode>, at: { from: number; to: number }): void {
  const place = (o: { from: number; to: number }) => Object.assign(o, at);
  const placeValue = (v: Value): void => {
    if (v.kind === 'unknown') place(v);
    else if (v.kind === 'seq') v.items.forEach(placeValue);
    else if (v.kind === 'dict') v.entries.forEach(placeValue);
  };
  const placeCall = (call: LayerCall) => {
    place(call);
    call.calleeFrom = at.from;
    call.calleeTo = at.to;
    call.notes?.forEach(place);
    call.args.forEach(placeValue);
  };
  for (const node of created) {
    place(node);
    if ('type' in node.layer) placeCall(node.layer);
  }
  place(model);
  model.notes.forEach(place);
  (model as { tensors?: unknown }).tensors = [];
}
