/**
 * `RNN(cell, return_sequences=False, …)` with one of Keras' cells: `RNN(LSTMCell(units))` is the layer `LSTM(units)`
 * (GRUCell: GRU, SimpleRNNCell: SimpleRNN), with the cell's arguments and the RNN's own. Other cells (a custom one,
 * StackedRNNCells) are not sized: the analysis names them. The cells have rules of their own for their arguments
 * (the layer's signature): called alone on a tensor, Keras refuses them, as they step with a state.
 */
import { Args, LayerError, noTfjs, requireInput, toSnakeCase, type LayerContext, type Rule } from './rule';
import { ruleFor } from './registry';
import type { LayerCall } from '../keras/values';

const CELLS: Record<string, string> = { SimpleRNNCell: 'SimpleRNN', LSTMCell: 'LSTM', GRUCell: 'GRU' };
const RNN_ARGUMENTS = ['return_sequences', 'return_state', 'go_backwards', 'stateful', 'unroll'];

/** The recurrent layer the RNN with its cell is, and its arguments: the cell's, then the RNN's. */
function asLayer(ctx: LayerContext): { rule: Rule; args: Args } {
  const cell = ctx.args.layer('cell');
  if (!cell) throw new LayerError('invalid-argument', 'Argument `cell` should have a `call` method. Received: cell=None');
  const type = CELLS[cell.type];
  const rule = type ? ruleFor(type) : undefined;
  if (!rule) throw new LayerError('unknown-layer', `LayerLens sizes RNN(cell) only with SimpleRNNCell, LSTMCell or GRUCell; received ${cell.type}.`);
  const args = new Map(cell.args);
  for (const name of RNN_ARGUMENTS) {
    const v = ctx.args.call.args.get(name);
    if (v) args.set(name, v);
  }
  const call: LayerCall = { ...cell, type: rule.type, args };
  return { rule, args: new Args(rule, call, ctx.args) };
}

function cellRule(type: string): Rule {
  const layer = ruleFor(CELLS[type]) as Rule;
  return {
    type,
    signature: layer.signature,
    defaults: Object.fromEntries(Object.entries(layer.defaults).filter(([k]) => !RNN_ARGUMENTS.includes(k))),
    initializers: layer.initializers,
    outputShape() {
      throw new LayerError('invalid-argument', "missing a required argument: 'states'");
    },
    tfjs: noTfjs(type),
  };
}

export const rnn: Rule = {
  type: 'RNN',
  signature: ['cell', 'return_sequences', 'return_state', 'go_backwards', 'stateful', 'unroll', 'zero_output_for_mask'],
  defaults: { return_sequences: false, return_state: false, go_backwards: false, stateful: false, unroll: false, zero_output_for_mask: false },
  outputShape(ctx) {
    const { rule, args } = asLayer(ctx);
    const input = requireInput(ctx);
    // RNN has no InputSpec: on (batch, features) its cell sees a step of no features, and its kernel's first dim is None.
    if (input.length < 3) {
      const gates = { SimpleRNN: 1, LSTM: 4, GRU: 3 }[rule.type] ?? NaN;
      const name = (call: LayerCall, type: string) => {
        const written = call.args.get('name');
        return written?.kind === 'string' ? written.value : toSnakeCase(type);
      };
      const cell = args.call;
      throw new LayerError(
        'undefined-dimension',
        `Shapes used to initialize variables must be fully-defined (no \`None\` dimensions). Received: shape=(None, ${gates * args.int('units')}) for variable path='${name(ctx.args.call, 'RNN')}/${name(cell, `${rule.type}Cell`)}/kernel'`,
      );
    }
    return rule.outputShape({ ...ctx, args });
  },
  params(ctx) {
    const { rule, args } = asLayer(ctx);
    return rule.params?.({ ...ctx, args }) ?? [];
  },
  macs(ctx, output) {
    const { rule, args } = asLayer(ctx);
    return rule.macs?.({ ...ctx, args }, output) ?? 0;
  },
  receptiveField: () => null,
  tfjs: noTfjs('RNN'),
};

/** RNN and the cells it sizes; registered after the recurrent layers whose rules the cells share. */
export const rnnRules = (): Rule[] => [rnn, ...Object.keys(CELLS).map(cellRule)];
