/**
 * The bundled MNIST digits (scripts/mnist.mjs writes them at build time): a training and a held-out validation
 * split, as uint8 pixels and labels, and batches of them as float32 in [0, 1].
 */

export interface DigitSet {
  count: number;
  labels: Uint8Array;
  /** count × height × width, 0-255, row by row. */
  pixels: Uint8Array;
}

export interface Digits {
  height: number;
  width: number;
  train: DigitSet;
  validation: DigitSet;
}

const MAGIC = 'LLMNIST1';
const HEADER = 20;

/** Reads the binary (not compressed): throws if it is not one. */
export function decodeDigits(bytes: Uint8Array): Digits {
  if (bytes.length < HEADER || new TextDecoder().decode(bytes.subarray(0, 8)) !== MAGIC) throw new Error('not the bundled MNIST digits');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const count = view.getUint32(8, true);
  const validation = view.getUint32(12, true);
  const height = view.getUint16(16, true);
  const width = view.getUint16(18, true);
  const size = height * width;
  if (bytes.length !== HEADER + count + count * size || validation > count) throw new Error('the bundled MNIST digits are truncated');
  const labels = bytes.subarray(HEADER, HEADER + count);
  const pixels = bytes.subarray(HEADER + count);
  const split = count - validation;
  return {
    height,
    width,
    train: { count: split, labels: labels.subarray(0, split), pixels: pixels.subarray(0, split * size) },
    validation: { count: validation, labels: labels.subarray(split), pixels: pixels.subarray(split * size) },
  };
}

/** Decompresses gzip with the platform's DecompressionStream (Chromium, Electron and Node have it): no library in the bundle. */
export async function gunzip(bytes: Uint8Array<ArrayBuffer>): Promise<Uint8Array> {
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** Fetches and reads the digits shipped beside the webview's script. */
export async function loadDigits(url: string): Promise<Digits> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`the bundled MNIST digits could not be read (${response.status})`);
  return decodeDigits(await gunzip(new Uint8Array(await response.arrayBuffer())));
}
