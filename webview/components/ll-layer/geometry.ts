/** A layer's map as channels of a grid: its (height, width, channels), and the value range a channel is coloured over. */

export interface MapGeometry {
  h: number;
  w: number;
  c: number;
}

/** (height, width, channels) of a map of this shape; 1D maps are one row; vectors one row of one channel. */
export function mapGeometry(shape: readonly number[] | undefined): MapGeometry | null {
  if (!shape) return null;
  if (shape.length === 3) return { h: shape[0], w: shape[1], c: shape[2] };
  if (shape.length === 2) return { h: 1, w: shape[0], c: shape[1] };
  if (shape.length === 1) return { h: 1, w: shape[0], c: 1 };
  return null;
}

/** The lowest and highest value of one channel, or of every channel (`wholeLayer`: one scale for the layer). */
export function valueRange(values: Float32Array, g: MapGeometry, channel: number, wholeLayer: boolean): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < g.h * g.w; i++)
    for (let c = wholeLayer ? 0 : channel; c < (wholeLayer ? g.c : channel + 1); c++) {
      const x = values[i * g.c + c];
      if (x < lo) lo = x;
      if (x > hi) hi = x;
    }
  return [lo, hi];
}
