/** A small seeded PRNG (mulberry32, the webview's), so generated inputs are the same on every run. */
export { seeded as rng } from '../../../webview/tfjs/inputs';

export function pick<T>(r: () => number, xs: readonly T[]): T {
  return xs[Math.floor(r() * xs.length)];
}

export function int(r: () => number, lo: number, hi: number): number {
  return lo + Math.floor(r() * (hi - lo + 1));
}
