/** The analysis core: no `vscode`, no DOM. Used by the CLI, the extension, the webview, tests and benchmarks. */
export { analyze, analyzeCells } from './analyze';
export * from './types';
