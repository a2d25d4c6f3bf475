/** Near misses of names the catalogue knows: what a misspelt layer name or keyword most likely meant. */
import { layerNames } from './registry';

/** Damerau–Levenshtein distance (a swap of two neighbouring letters is one edit). */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 0; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  return d[a.length][b.length];
}

/** Whether `a` and `b` are within `max` edits. */
export function within(a: string, b: string, max: number): boolean {
  return Math.abs(a.length - b.length) <= max && editDistance(a, b) <= max;
}

/**
 * The catalogue's layer name an unknown one most likely meant (`Conv2d` -> `Conv2D`, `Maxpooling2D` -> `MaxPooling2D`,
 * `Dence` -> `Dense`): the one that differs only in case, else the one within a small edit (one for short names, two
 * for longer ones, case aside) when no other is as close.
 */
export function nearestLayerName(name: string): string | undefined {
  const lower = name.toLowerCase();
  const max = name.length < 6 ? 1 : 2;
  let best: string | undefined;
  let bestDistance = max + 1;
  let tie = false;
  for (const known of layerNames()) {
    const other = known.toLowerCase();
    // Case alone counts for less than any edit of a letter.
    const d = other === lower ? 0 : Math.abs(other.length - lower.length) > max ? max + 1 : editDistance(lower, other) + 0.5;
    if (d < bestDistance) [best, bestDistance, tie] = [known, d, false];
    else if (d === bestDistance && known !== best) tie = true;
  }
  return tie || best === name ? undefined : best;
}

/** ` (did you mean \`Conv2D\`?)` for a misspelt layer name, or nothing. */
export function didYouMean(name: string): string {
  const meant = nearestLayerName(name);
  return meant ? ` (did you mean \`${meant}\`?)` : '';
}
