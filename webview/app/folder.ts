/**
 * Train on a folder…: the user's images as the preview receives them from the host (in batches), decodes them at
 * the model's input size, and makes a dataset of them, with what it read, skipped and converted said in notes. No
 * DOM: the decoder is given (the page's createImageBitmap; a stand-in under Node).
 */
import type { HostMessage } from '../../src/protocol';
import { firstFew } from '../../src/imageFolder';
import type { Digits } from '../train/digits';
import { folderSet, type DatasetSpec } from '../train/fit';
import { folderDataset, fromBase64, toPixels, type DecodedImage } from '../train/folder';
import type { ControllerDeps } from './deps';
import { TRAINING_SEED } from './training';

/** A folder of the user's images, as the webview receives and decodes it. */
export interface FolderState {
  name: string;
  status: 'loading' | 'ready' | 'failed';
  classes: string[];
  /** Images the host sends, and those decoded (or failed) so far. */
  total: number;
  received: number;
  /** The model's input the images are resized to, when they were asked for. */
  geometry: { height: number; width: number; channels: 1 | 3 } | null;
  images: DecodedImage[];
  /** Names of the images that did not decode. */
  failed: string[];
  toGrey: number;
  toRgb: number;
  /** What was read, skipped and converted. */
  notes: string[];
  /** Why the folder cannot be trained on; null when it can. */
  problem: string | null;
  data: Digits | null;
  spec: DatasetSpec | null;
}

export function emptyFolder(name: string): FolderState {
  return {
    name,
    status: 'loading',
    classes: [],
    total: 0,
    received: 0,
    geometry: null,
    images: [],
    failed: [],
    toGrey: 0,
    toRgb: 0,
    notes: [],
    problem: null,
    data: null,
    spec: null,
  };
}

type FolderImages = Extract<HostMessage, { type: 'folderImages' }>['images'];

/** Decodes a batch of the folder's images at the model's input size (`g`) into `folder`, counting failures and conversions. */
export async function decodeFolderBatch(
  folder: FolderState,
  g: NonNullable<FolderState['geometry']>,
  images: FolderImages,
  decode: ControllerDeps['decodeImageBytes'],
): Promise<void> {
  for (const im of images) {
    if (im.label >= folder.classes.length) {
      folder.failed.push(im.name);
      continue;
    }
    try {
      if (!decode) throw new Error('no image decoder');
      const rgba = await decode(fromBase64(im.data), im.mime, g);
      const { pixels, coloured } = toPixels(rgba, g.channels);
      if (coloured && g.channels === 1) folder.toGrey++;
      if (!coloured && g.channels === 3) folder.toRgb++;
      folder.images.push({ label: im.label, pixels });
    } catch {
      folder.failed.push(im.name);
    }
    folder.received++;
  }
}

/**
 * All of the folder's images came: the notes on conversions and failures, and the dataset (the folder `ready`), or
 * why there is none (`failed`). `rescales`: the model has a Rescaling layer, so pixels are given as 0-255.
 */
export function finishFolder(folder: FolderState, g: NonNullable<FolderState['geometry']>, rescales: boolean): FolderState {
  if (folder.failed.length)
    folder.notes.push(
      `${folder.failed.length} image${folder.failed.length === 1 ? '' : 's'} did not decode and ${folder.failed.length === 1 ? 'was' : 'were'} skipped: ${firstFew(folder.failed)}.`,
    );
  if (folder.toGrey)
    folder.notes.push(
      `${folder.toGrey} colour image${folder.toGrey === 1 ? ' was' : 's were'} converted to grey for the model's 1-channel input (0.2989 R + 0.5870 G + 0.1140 B, as Keras' color_mode="grayscale").`,
    );
  if (folder.toRgb)
    folder.notes.push(
      `${folder.toRgb} grey image${folder.toRgb === 1 ? ' was' : 's were'} given as RGB, the grey repeated in each channel, for the model's 3-channel input (as Keras' color_mode="rgb").`,
    );
  folder.notes.push(
    rescales
      ? `Pixels are given as 0-255, as image_dataset_from_directory gives them: the model's Rescaling layer scales them.`
      : `Pixels are given in [0, 1] (divided by 255), as the digits are: the model has no Rescaling layer.`,
  );
  try {
    const data = folderDataset(folder.images, folder.classes, g, TRAINING_SEED, rescales ? 1 : 1 / 255);
    folder.images = [];
    folder.data = data;
    folder.spec = folderSet(folder.name, folder.classes);
    folder.status = 'ready';
    folder.notes.unshift(
      `${(data.train.count + data.validation.count).toLocaleString('en-US')} images in ${folder.classes.length} classes, resized to ${g.height}×${g.width}${g.channels === 3 ? ' RGB' : ' grey'}: ${data.train.count.toLocaleString('en-US')} to train, ${data.validation.count.toLocaleString('en-US')} held out (20% of each class).`,
    );
    return { ...folder };
  } catch (e) {
    folder.images = [];
    return { ...folder, status: 'failed', problem: (e as Error).message };
  }
}
