/** Reading the example files and picking models out of an analysis, for the tests. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ModelResult } from '../../../src/core';
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
