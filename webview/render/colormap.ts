/** Perceptual colour maps as 256-entry RGB tables; a value in [0, 1] picks an entry. */
import type { ColormapName } from '../../src/protocol';

/** Control points (r, g, b in 0–255) sampled evenly along matplotlib's maps; linearly interpolated. */
const STOPS: Record<ColormapName, number[][]> = {
  viridis: [
    [68, 1, 84],
    [72, 35, 116],
    [64, 67, 135],
    [52, 94, 141],
    [41, 120, 142],
    [32, 144, 140],
    [34, 167, 132],
    [68, 190, 112],
    [121, 209, 81],
    [189, 222, 38],
    [253, 231, 37],
  ],
  magma: [
    [0, 0, 4],
    [20, 14, 54],
    [59, 15, 112],
    [100, 26, 128],
    [140, 41, 129],
    [183, 55, 121],
    [222, 73, 104],
    [247, 112, 92],
    [254, 159, 109],
    [254, 206, 145],
    [252, 253, 191],
  ],
  gray: [
    [0, 0, 0],
    [255, 255, 255],
  ],
};

const tables = new Map<ColormapName, Uint8ClampedArray>();

export function colormapTable(name: ColormapName): Uint8ClampedArray {
  let t = tables.get(name);
  if (t) return t;
  const stops = STOPS[name];
  t = new Uint8ClampedArray(256 * 3);
  for (let i = 0; i < 256; i++) {
    const x = (i / 255) * (stops.length - 1);
    const k = Math.min(Math.floor(x), stops.length - 2);
    const f = x - k;
    for (let c = 0; c < 3; c++) t[i * 3 + c] = Math.round(stops[k][c] * (1 - f) + stops[k + 1][c] * f);
  }
  tables.set(name, t);
  return t;
}

/** Writes one channel of a feature map into RGBA pixels, scaled so `lo` is the first colour and `hi` the last. */
export function paintChannel(
  values: Float32Array,
  count: number,
  stride: number,
  offset: number,
  lo: number,
  hi: number,
  table: Uint8ClampedArray,
  out: Uint8ClampedArray,
): void {
  const span = hi - lo || 1;
  for (let i = 0; i < count; i++) {
    const v = values[i * stride + offset];
    const k = Math.max(0, Math.min(255, Math.round(((v - lo) / span) * 255))) * 3;
    out[i * 4] = table[k];
    out[i * 4 + 1] = table[k + 1];
    out[i * 4 + 2] = table[k + 2];
    out[i * 4 + 3] = 255;
  }
}
