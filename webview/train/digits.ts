/**
 * The datasets the preview trains on: the bundled MNIST digits and Fashion-MNIST subset (scripts/mnist.mjs writes
 * them at build time), and a folder of the user's own images (webview/train/folder.ts): a training and a held-out
 * validation split, as uint8 pixels and labels, given to the model as float32 (trainer.ts).
 */

export interface DigitSet {
  count: number;
  labels: Uint8Array;
  /** count × height × width × channels, 0-255, row by row. */
  pixels: Uint8Array;
}

/** A dataset (the name is the digits', the first one). */
export interface Digits {
  height: number;
  width: number;
  /** 1 (grey) unless given: a folder's images may be RGB. */
  channels?: number;
  /** The classes' names by label; their number is the head's units. Digits: "0" to "9". */
  classes?: string[];
  /** What the model is given for a pixel value v: v × scale (1/255 unless given: values in [0, 1]). */
  scale?: number;
  train: DigitSet;
  validation: DigitSet;
}

export const DIGIT_CLASSES = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];

const MAGIC = 'LLMNIST1';
const HEADER = 20;

/** Reads the binary (not compressed): throws if it is not one. */
export function decodeDigits(bytes: Uint8Array, what = 'the bundled MNIST digits', classes = DIGIT_CLASSES): Digits {
  if (bytes.length < HEADER || new TextDecoder().decode(bytes.subarray(0, 8)) !== MAGIC) throw new Error(`not ${what}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const count = view.getUint32(8, true);
  const validation = view.getUint32(12, true);
  const height = view.getUint16(16, true);
  const width = view.getUint16(18, true);
  const size = height * width;
  if (bytes.length !== HEADER + count + count * size || validation > count) throw new Error(`${what} are truncated`);
  const labels = bytes.subarray(HEADER, HEADER + count);
  const pixels = bytes.subarray(HEADER + count);
  const split = count - validation;
  return {
    height,
    width,
    channels: 1,
    classes,
    train: { count: split, labels: labels.subarray(0, split), pixels: pixels.subarray(0, split * size) },
    validation: { count: validation, labels: labels.subarray(split), pixels: pixels.subarray(split * size) },
  };
}

/** Decompresses gzip with the platform's DecompressionStream (Chromium, Electron and Node have it): no library in the bundle. */
export async function gunzip(bytes: Uint8Array<ArrayBuffer>): Promise<Uint8Array> {
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** Fetches and reads the digits (or, given its name and classes, the Fashion-MNIST subset) shipped beside the webview's script. */
export async function loadDigits(url: string, what = 'the bundled MNIST digits', classes = DIGIT_CLASSES): Promise<Digits> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${what} could not be read (${response.status})`);
  return decodeDigits(await gunzip(new Uint8Array(await response.arrayBuffer())), what, classes);
}
