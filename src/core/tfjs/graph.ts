/**
 * A model's graph as the preview builds it: its layers' calls in an order tfjs can apply them. Pure and small (types
 * only): the webview imports it, and the layer catalogue stays out of its bundle.
 */
import type { ModelResult } from '../types';

/** One call in the preview's graph: the row (`layer`, or IMPLICIT_INPUT), which of its calls, and the calls it takes. */
export interface GraphCall {
  layer: number;
  call: number;
  inputs: { layer: number; call: number }[];
}

/**
 * The `layer` of the model's implicit Input, which is no row: a Sequential model's (Keras 3 makes one and does not
 * list it). It is the first call of a Sequential model's graph, and only there.
 */
export const IMPLICIT_INPUT = -1;

/** A layer call's key (row and call): the graph's tensors are known by it in the runner and in the protocol's check. */
export function callKey(c: { layer: number; call: number }): string {
  return `${c.layer}:${c.call}`;
}

/** A Sequential model's graph: it starts at the implicit Input (a Functional model's Inputs are rows). */
export function isChain(graph: readonly GraphCall[]): boolean {
  return graph.length > 0 && graph[0].layer === IMPLICIT_INPUT;
}

/**
 * The calls of a model's layers in an order `layer.apply` can follow (each after the calls whose outputs it takes).
 * A Sequential model is a chain from its implicit Input, each layer on the output of the one before. A Functional
 * model's calls follow its rows' edges (`inboundRows`; Input rows are calls without inputs). Its rows are in Keras'
 * printing order, which is not always an order to run in (a shared layer's second call can come after layers that
 * follow its first), so the calls are sorted here, keeping the rows' order where the graph allows. A call on a
 * layer that is no row of the model leaves the call and what depends on it out; so does a call on a layer's second
 * or later output (an LSTM's state) or with tensors given by keyword (`initial_state=`, `attention_mask=`), which
 * `layer.apply` on a list would read as other arguments.
 */
export function graphCalls(model: ModelResult): GraphCall[] {
  if (model.kind !== 'functional')
    return [
      { layer: IMPLICIT_INPUT, call: 0, inputs: [] },
      ...model.layers.map((_l, i) => ({ layer: i, call: 0, inputs: [{ layer: i > 0 ? i - 1 : IMPLICIT_INPUT, call: 0 }] })),
    ];
  const pending: GraphCall[] = [];
  model.layers.forEach((l, i) => {
    if (l.type === 'InputLayer' || !l.inboundRows) return void pending.push({ layer: i, call: 0, inputs: [] });
    l.inboundRows.forEach((rows, call) => {
      const inputs = rows.map((row, k) => ({ layer: row, call: l.inboundCalls?.[call]?.[k] ?? 0 }));
      const plain = !l.inboundKeywords?.[call] && !l.inboundTensors?.[call]?.some((t) => t > 0);
      if (plain && inputs.every((x) => x.layer >= 0)) pending.push({ layer: i, call, inputs });
    });
  });
  const done = new Set<string>();
  const order: GraphCall[] = [];
  // Passes over the calls in the rows' order, each placing those whose inputs are placed, until none is left or a
  // pass places nothing (a call on a call that is not there). Rows in Keras' order take one or two passes.
  for (let left = pending; left.length;) {
    const waiting: GraphCall[] = [];
    for (const c of left) {
      if (!c.inputs.every((x) => done.has(callKey(x)))) waiting.push(c);
      else {
        order.push(c);
        done.add(callKey(c));
      }
    }
    if (waiting.length === left.length) break;
    left = waiting;
  }
  return order;
}
