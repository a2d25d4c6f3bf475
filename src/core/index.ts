/** The analysis core: no `vscode`, no DOM. Used by the CLI, the extension, the webview, tests and benchmarks. */
export { analyze, analyzeCells, Analyzer, clearParseCache } from './analyze';
export { formatBytes, formatCount, formatField, formatMarkdown, formatShape, formatTable, diagnosticLine, kerasVersionText } from './format';
export * from './types';
export { summaryJson, type LayerJson, type ModelJson, type SummaryJson, type UnknownReasons } from './summaryJson';
export { pyRepr, pyTuple, shapeRepr, sizeText, type PyPlain } from './repr';
export {
  applicationMarkdown,
  describeField,
  describeParams,
  explainField,
  layerMarkdown,
  modelField,
  modelLensTitle,
  modelMarkdownTable,
  outputBytes,
} from './describe';
export { readTraining, type TrainingSetup } from './keras/training';
export { rowsExtent, type RowsExtent } from './keras/movedResults';
