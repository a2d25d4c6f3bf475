/**
 * A folder of the user's images as a dataset (Train on a folder…): each image, decoded and resized by the browser to
 * the model's input (height, width), converted to its channels, and the images split into training and held-out
 * parts per class. No DOM and no tfjs here: the decoding is given (components/ll-app/decodeImage.ts).
 */
import { MAX_DECODED_BYTES, MAX_FOLDER_IMAGES, tooFewImages } from '../../src/imageFolder';
import { seeded } from '../tfjs/inputs';
import type { Digits } from './digits';

/** The share of each class held out for validation (at least one image a class), as Keras' validation_split=0.2. */
export const FOLDER_VALIDATION_SPLIT = 0.2;

/** How many images the webview asks the host for: MAX_FOLDER_IMAGES, fewer where their decoded pixels would pass MAX_DECODED_BYTES. */
export function folderImageCap(g: { height: number; width: number; channels: number }): number {
  return Math.max(1, Math.min(MAX_FOLDER_IMAGES, Math.floor(MAX_DECODED_BYTES / (g.height * g.width * g.channels))));
}

/**
 * RGBA pixels (as a canvas gives them, already resized) as `channels` uint8 values a pixel: RGB as it is (alpha
 * dropped, as Keras' color_mode="rgb" does), or grey as tf.image.rgb_to_grayscale weighs it (0.2989 R + 0.5870 G +
 * 0.1140 B; Keras' color_mode="grayscale"). `coloured`: whether any pixel's R, G and B differ (a colour image).
 */
export function toPixels(rgba: Uint8ClampedArray | Uint8Array, channels: 1 | 3): { pixels: Uint8Array; coloured: boolean } {
  const n = rgba.length / 4;
  const pixels = new Uint8Array(n * channels);
  let coloured = false;
  for (let i = 0; i < n; i++) {
    const r = rgba[i * 4];
    const g = rgba[i * 4 + 1];
    const b = rgba[i * 4 + 2];
    if (r !== g || g !== b) coloured = true;
    if (channels === 3) pixels.set([r, g, b], i * 3);
    else pixels[i] = Math.round(0.2989 * r + 0.587 * g + 0.114 * b);
  }
  return { pixels, coloured };
}

export interface DecodedImage {
  label: number;
  pixels: Uint8Array;
}

/**
 * The images as a dataset: per class, a seeded shuffle and the last FOLDER_VALIDATION_SPLIT of it (at least one)
 * held out; the training images in a seeded shuffled order. `scale` is what a pixel value is multiplied by for the
 * model. Throws the too-few message when a class has too few images (after unreadable ones were skipped).
 */
export function folderDataset(
  images: readonly DecodedImage[],
  classes: string[],
  g: { height: number; width: number; channels: number },
  seed: number,
  scale: number,
): Digits {
  const counts = classes.map((_, k) => images.filter((i) => i.label === k).length);
  const problem = tooFewImages(classes, counts, 'images that decode');
  if (problem) throw new Error(problem);
  const random = seeded(seed);
  const train: DecodedImage[] = [];
  const held: DecodedImage[] = [];
  classes.forEach((_, k) => {
    const mine = shuffle(
      images.filter((i) => i.label === k),
      random,
    );
    const v = Math.max(1, Math.round(mine.length * FOLDER_VALIDATION_SPLIT));
    train.push(...mine.slice(0, mine.length - v));
    held.push(...mine.slice(mine.length - v));
  });
  shuffle(train, random);
  const size = g.height * g.width * g.channels;
  const part = (list: DecodedImage[]) => {
    const pixels = new Uint8Array(list.length * size);
    list.forEach((im, i) => pixels.set(im.pixels, i * size));
    return { count: list.length, labels: Uint8Array.from(list, (im) => im.label), pixels };
  };
  return { height: g.height, width: g.width, channels: g.channels, classes, scale, train: part(train), validation: part(held) };
}

function shuffle<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}

/** base64 to bytes (the host sends a folder's files so: atob, in the browser and in Node). */
export function fromBase64(data: string): Uint8Array<ArrayBuffer> {
  const s = atob(data);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}
