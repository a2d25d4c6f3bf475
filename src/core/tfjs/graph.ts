/**
 * A Functional model's graph as the preview builds it: its layers' calls in an order tfjs can apply them. Pure and
 * small (types only): the webview imports it, and the layer catalogue stays out of its bundle.
 */
import type { ModelResult } from '../types';

/** One call of a layer in a Functional model's graph: the row (`layer`), which of its calls, and the calls it takes. */
export interface GraphCall {
  layer: number;
  call: number;
  inputs: { layer: number; call: number }[];
}

/** A layer call's key (row and call): the graph's tensors are known by it in the runner and in the protocol's check. */
export function callKey(c: { layer: number; call: number }): string {
  return `${c.layer}:${c.call}`;
}

/**
 * The calls of a Functional model's layers in an order `layer.apply` can follow (each after the calls whose outputs
 * it takes; Input rows are calls without inputs). The rows are in Keras' printing order, which is not always an
 * order to run in (a shared layer's second call can come after layers that follow its first), so the calls are
 * sorted here, keeping the rows' order where the graph allows. An inbound name that is no row of the model (a
 * value LayerLens could not follow) leaves the call and what depends on it out; so does a call on a layer's
 * second or later output (an LSTM's state) or with tensors given by keyword (`initial_state=`, `attention_mask=`),
 * which `layer.apply` on a list would read as other arguments.
 */
export function graphCalls(model: ModelResult): GraphCall[] {
  const rowOf = new Map(model.layers.map((l, i) => [l.name, i]));
  const pending: GraphCall[] = [];
  model.layers.forEach((l, i) => {
    if (l.type === 'InputLayer' || !l.inbound) return void pending.push({ layer: i, call: 0, inputs: [] });
    l.inbound.forEach((names, call) => {
      const inputs = names.map((name, k) => ({ layer: rowOf.get(name) ?? -1, call: l.inboundCalls?.[call]?.[k] ?? 0 }));
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
