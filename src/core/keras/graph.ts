/**
 * What the interpreter imports of the model graph and its propagation (`x.shape` runs the graph up to `x`; a
 * model's `layers` are in Keras' order): kept under this name while keras/interpreter.ts is being split, so that
 * its import line does not change. New code imports modelGraph.ts and propagate.ts.
 */
export { kerasOrder, type FunctionalGraph, type TensorBinding } from './modelGraph';
export { runFunctional } from './propagate';
