/**
 * Inputs for the model: a drawing, synthetic patterns that make the book's ideas visible, or an image —
 * always as float32 values in [0, 1] of the model's input shape (height, width, channels).
 */
import type { PatternName } from '../../src/protocol';

export interface InputGeometry {
  height: number;
  width: number;
  channels: number;
}

/** A 5×7 digit "7" stencil, scaled into the frame: a shape whose position can shift (translation invariance). */
const SEVEN = ['#####', '....#', '...#.', '..#..', '.#...', '.#...', '.#...'];

function digitMask(h: number, w: number, shift: number): Float32Array {
  const out = new Float32Array(h * w);
  const cell = Math.max(1, Math.floor(Math.min(h / 10, w / 8)));
  const top = Math.floor((h - 7 * cell) / 2);
  const left = Math.floor((w - 5 * cell) / 2) + shift;
  for (let r = 0; r < 7; r++)
    for (let c = 0; c < 5; c++) {
      if (SEVEN[r][c] !== '#') continue;
      for (let y = 0; y < cell; y++)
        for (let x = 0; x < cell; x++) {
          const yy = top + r * cell + y;
          const xx = left + c * cell + x;
          if (yy >= 0 && yy < h && xx >= 0 && xx < w) out[yy * w + xx] = 1;
        }
    }
  return out;
}

/** A seeded generator (mulberry32) so that "noise" is the same picture every time; the tests use it too. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One grey plane of the pattern, height × width. */
export function patternPlane(name: PatternName, h: number, w: number): Float32Array {
  const out = new Float32Array(h * w);
  const r = seeded(1234);
  const band = Math.max(1, Math.round(Math.min(h, w) / 7));
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      let v = 0;
      switch (name) {
        case 'vertical-edges':
          v = Math.floor(x / band) % 2;
          break;
        case 'horizontal-edges':
          v = Math.floor(y / band) % 2;
          break;
        case 'checkerboard':
          v = (Math.floor(x / band) + Math.floor(y / band)) % 2;
          break;
        case 'noise':
          v = r();
          break;
        default:
          v = 0;
      }
      out[y * w + x] = v;
    }
  if (name === 'digit') return digitMask(h, w, 0);
  if (name === 'digit-shifted') return digitMask(h, w, Math.round(w / 4));
  return out;
}

/** Repeats a grey plane over the channels: (h, w) → (h, w, c). */
export function toChannels(plane: Float32Array, g: InputGeometry): Float32Array {
  const out = new Float32Array(g.height * g.width * g.channels);
  for (let i = 0; i < g.height * g.width; i++) for (let c = 0; c < g.channels; c++) out[i * g.channels + c] = plane[i];
  return out;
}

/**
 * An image's RGBA pixels (already drawn at the model's size, centre-cropped to its aspect ratio) as model
 * input: grey for one channel, RGB for three, values in [0, 1].
 */
export function fromRgba(rgba: Uint8ClampedArray, g: InputGeometry): Float32Array {
  const out = new Float32Array(g.height * g.width * g.channels);
  for (let i = 0; i < g.height * g.width; i++) {
    const [r, gr, b] = [rgba[i * 4] / 255, rgba[i * 4 + 1] / 255, rgba[i * 4 + 2] / 255];
    if (g.channels === 1) out[i] = 0.299 * r + 0.587 * gr + 0.114 * b;
    else for (let c = 0; c < g.channels; c++) out[i * g.channels + c] = [r, gr, b][c % 3];
  }
  return out;
}

/** The crop of a source image (sw × sh) that keeps the target's aspect ratio, centred. */
export function centreCrop(sw: number, sh: number, tw: number, th: number): { x: number; y: number; w: number; h: number } {
  const target = tw / th;
  if (sw / sh > target) {
    const w = Math.round(sh * target);
    return { x: Math.floor((sw - w) / 2), y: 0, w, h: sh };
  }
  const h = Math.round(sw / target);
  return { x: 0, y: Math.floor((sh - h) / 2), w: sw, h };
}

/** The model's spatial input geometry, or null when feature maps cannot be shown (sequences, vectors). */
export function inputGeometry(shape: (number | null)[] | null): InputGeometry | null {
  if (!shape || shape.length !== 4) return null;
  const [, h, w, c] = shape;
  if (!h || !w || !c) return null;
  return { height: h, width: w, channels: c };
}

/**
 * The input resampled to another image-like shape (height, width, channels), for a model's other inputs: nearest
 * neighbour in space; the same channels where the counts agree, else each pixel's grey level in every channel.
 */
export function resampleInput(input: Float32Array, from: InputGeometry, to: InputGeometry): Float32Array {
  const out = new Float32Array(to.height * to.width * to.channels);
  for (let y = 0; y < to.height; y++) {
    const sy = Math.min(from.height - 1, Math.floor(((y + 0.5) * from.height) / to.height));
    for (let x = 0; x < to.width; x++) {
      const sx = Math.min(from.width - 1, Math.floor(((x + 0.5) * from.width) / to.width));
      const at = (sy * from.width + sx) * from.channels;
      let grey = 0;
      for (let c = 0; c < from.channels; c++) grey += input[at + c];
      grey /= from.channels;
      for (let c = 0; c < to.channels; c++) out[(y * to.width + x) * to.channels + c] = from.channels === to.channels ? input[at + c] : grey;
    }
  }
  return out;
}

/** The input moved `dx` pixels right and `dy` down (negative: left, up), zeros where it leaves the frame empty. */
export function shiftInput(input: Float32Array, g: InputGeometry, dx: number, dy: number): Float32Array {
  const out = new Float32Array(input.length);
  for (let y = 0; y < g.height; y++) {
    const sy = y - dy;
    if (sy < 0 || sy >= g.height) continue;
    for (let x = 0; x < g.width; x++) {
      const sx = x - dx;
      if (sx < 0 || sx >= g.width) continue;
      for (let c = 0; c < g.channels; c++) out[(y * g.width + x) * g.channels + c] = input[(sy * g.width + sx) * g.channels + c];
    }
  }
  return out;
}
