/** Types of the benchmark's file generator (generate.mjs), for the tests that use it. */
export interface GeneratedModel {
  style: string;
  line: number;
  editOffset: number;
  editValue: string;
  count: number;
}
export const DEFAULT_MENTIONS: number;
export function generate(options?: {
  lines?: number;
  seed?: number;
  mentions?: number;
  minGap?: number;
  maxGap?: number;
  kind?: 'sequential' | 'functional';
}): { text: string; lines: number; seed: number; mentions: number; models: GeneratedModel[] };
