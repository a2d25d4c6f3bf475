/** Reading the example files and picking models out of an analysis, for the tests. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LayerResult, ModelResult } from '../../../src/core';
import { analyze } from './metamorphic';

export const EXAMPLES = join(__dirname, '..', '..', '..', 'examples');

export function example(name: string): string {
  return readFileSync(join(EXAMPLES, name), 'utf8');
}

export function modelNamed(source: string, name: string, fileName?: string): ModelResult {
  const result = analyze(source, { fileName });
  const model = result.models.find((m) => m.name === name);
  if (!model) throw new Error(`no model named ${name}; found ${result.models.map((m) => m.name).join(', ') || 'none'}`);
  return model;
}

export function onlyModel(source: string): ModelResult {
  const { models } = analyze(source);
  if (models.length !== 1) throw new Error(`expected one model, found ${models.length}`);
  return models[0];
}

export const codes = (m: { diagnostics: { code: string }[] }) => m.diagnostics.map((d) => d.code);

/** The source and [from, to) of a layer's call in it (the core's range is 1-based, its end exclusive): what downsamplingVariants takes. */
export function callSpan(text: string, layer: Pick<LayerResult, 'range'>): { text: string; from: number; to: number } {
  const lineStart = (line: number) =>
    text
      .split('\n')
      .slice(0, line - 1)
      .join('\n').length + (line > 1 ? 1 : 0);
  return { text, from: lineStart(layer.range.start.line) + layer.range.start.column - 1, to: lineStart(layer.range.end.line) + layer.range.end.column - 1 };
}
