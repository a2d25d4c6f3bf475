/**
 * What the evaluator's Keras host imports of the model graph and its propagation (`x.shape` runs the graph up to
 * `x`, a custom layer's `call()` runs as a graph, a model's `layers` are in Keras' order): kept under this name so
 * that the import lines of tensorGraph.ts and customLayers.ts do not change while they are being moved. New code
 * imports modelGraph.ts and propagate.ts.
 */
export { kerasOrder, type FunctionalGraph, type TensorBinding } from './modelGraph';
export { runFunctional } from './propagate';
