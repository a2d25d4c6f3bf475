/**
 * "Train on a folder…": a folder with one subfolder per class, as `keras.utils.image_dataset_from_directory` reads it
 * (class names are the subfolders' names, sorted; the images are the files under each, searched recursively, whose
 * names end in .png, .jpg, .jpeg, .bmp or .gif; other files are ignored). The extension host reads the files here,
 * through a small file-system interface (VS Code's workspace.fs in the panel, Node's fs in the tests), and sends
 * their bytes to the webview, which decodes and resizes them (webview/train/folder.ts). Also the rules both sides
 * apply: the limits, and what "too few images" is. No vscode and no Node modules here: the webview imports it too.
 */

/** Keras' allowed formats (image_dataset_from_directory's ALLOWLIST_FORMATS). */
export const IMAGE_EXTENSIONS = ['.bmp', '.gif', '.jpeg', '.jpg', '.png'];
/** At most this many images are read (the webview may ask for fewer: their decoded pixels must fit in memory). */
export const MAX_FOLDER_IMAGES = 5000;
/** A file larger than this is not read (it is counted as unreadable): a photo of 20 megapixels is about 8 MB. */
export const MAX_IMAGE_BYTES = 16 * 1024 * 1024;
/** Reading stops once the files read add up to this (the webview receives them all). */
export const MAX_FOLDER_BYTES = 256 * 1024 * 1024;
/** The decoded images (uint8, at the model's input size) may take this much of the webview's memory. */
export const MAX_DECODED_BYTES = 256 * 1024 * 1024;
/** Each class needs this many readable images: some to train on and at least one held out. */
export const MIN_PER_CLASS = 5;
/** Subfolders deeper than this under a class folder are not searched. */
const MAX_DEPTH = 8;

export interface FolderEntry {
  name: string;
  directory: boolean;
}

/** What the reader needs from a file system; paths are joined with '/'. */
export interface FolderFs {
  list(path: string): Promise<FolderEntry[]>;
  /** The file's size in bytes, or null when it cannot be known without reading it. */
  size(path: string): Promise<number | null>;
  read(path: string): Promise<Uint8Array>;
}

export type ImageFormat = 'png' | 'jpeg' | 'bmp' | 'gif';

/** The image format the bytes start with (their signature), or null when they are none of Keras' formats. */
export function sniffImage(b: Uint8Array): ImageFormat | null {
  if (b.length >= 8 && b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47 && b[4] === 0x0d && b[5] === 0x0a && b[6] === 0x1a && b[7] === 0x0a)
    return 'png';
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'jpeg';
  if (b.length >= 6 && b[0] === 0x47 && b[1] === 0x49 && b[2] === 0x46 && b[3] === 0x38 && (b[4] === 0x37 || b[4] === 0x39) && b[5] === 0x61) return 'gif';
  if (b.length >= 26 && b[0] === 0x42 && b[1] === 0x4d) return 'bmp';
  return null;
}

export const MIME: Record<ImageFormat, 'image/png' | 'image/jpeg' | 'image/bmp' | 'image/gif'> = {
  png: 'image/png',
  jpeg: 'image/jpeg',
  bmp: 'image/bmp',
  gif: 'image/gif',
};

export interface FolderImage {
  label: number;
  /** Its path under the folder (`cats/a.png`). */
  name: string;
  format: ImageFormat;
  bytes: Uint8Array;
}

export interface FolderRead {
  /** The class folders' names, sorted as Keras sorts them; the label of an image is its class's index here. */
  classes: string[];
  images: FolderImage[];
  /** Image files (by name) found under the class folders, read or not. */
  found: number;
  /** Per class, the images found (read or not). */
  foundPerClass: number[];
  /** Files that could not be read or are not the image their name says (an error, a bad signature, too large). */
  unreadable: { name: string; why: string }[];
  /** Files under the class folders whose names are not images' (Keras ignores them too). */
  ignored: number;
  /** Files at the top of the folder, beside the class folders (Keras ignores them). */
  loose: number;
  /** The images read stopped at `maxImages` (or MAX_FOLDER_BYTES): this many were not read. */
  notRead: number;
  /** Why the folder cannot be trained on (too few classes or images); null when it can. */
  problem: string | null;
}

const isImageName = (name: string) => IMAGE_EXTENSIONS.some((e) => name.toLowerCase().endsWith(e));
/** Keras sorts class names as Python sorts strings: by code point. */
const byCodePoint = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The image files under `dir` (paths relative to the root), sorted, searched recursively; counts the other files. */
async function imagesUnder(fs: FolderFs, root: string, dir: string, depth: number, out: { files: string[]; ignored: number }): Promise<void> {
  const entries = [...(await fs.list(`${root}/${dir}`))].sort((a, b) => byCodePoint(a.name, b.name));
  for (const e of entries) {
    if (e.name.startsWith('.')) continue;
    const path = `${dir}/${e.name}`;
    if (e.directory) {
      if (depth < MAX_DEPTH) await imagesUnder(fs, root, path, depth + 1, out);
    } else if (isImageName(e.name)) out.files.push(path);
    else out.ignored++;
  }
}

/**
 * Why a set of classes with `counts` images each cannot be trained on: fewer than 2 classes, or a class with fewer
 * than MIN_PER_CLASS images (each named with its count); null when it can.
 */
export function tooFewImages(classes: readonly string[], counts: readonly number[], what = 'readable images'): string | null {
  if (classes.length < 2)
    return `Training on a folder needs at least 2 classes, one subfolder each (as image_dataset_from_directory reads it); found ${classes.length}${classes.length ? ` (${classes[0]}/)` : ''}.`;
  const few = classes.map((c, i) => ({ c, n: counts[i] ?? 0 })).filter((x) => x.n < MIN_PER_CLASS);
  if (!few.length) return null;
  const list = few
    .slice(0, 5)
    .map((x) => `${x.c}/ has ${x.n}`)
    .join(', ');
  return `Too few images: each class needs at least ${MIN_PER_CLASS} ${what} (some to train on, at least one held out); ${list}${few.length > 5 ? ` and ${few.length - 5} more classes too few` : ''}.`;
}

/** `a.png, b.png, c.png and 4 more`. */
export function firstFew(names: readonly string[], n = 3): string {
  return `${names.slice(0, n).join(', ')}${names.length > n ? ` and ${names.length - n} more` : ''}`;
}

/**
 * Reads the images of a folder with one subfolder per class: at most `maxImages` (taken in turn from each class, so
 * that a cap keeps the classes balanced) and MAX_FOLDER_BYTES. A file that cannot be read, is larger than
 * MAX_IMAGE_BYTES or does not start as a PNG, JPEG, BMP or GIF does is skipped and named in `unreadable`.
 */
export async function readImageFolder(fs: FolderFs, root: string, maxImages = MAX_FOLDER_IMAGES): Promise<FolderRead> {
  const top = await fs.list(root);
  const classes = top
    .filter((e) => e.directory && !e.name.startsWith('.'))
    .map((e) => e.name)
    .sort(byCodePoint);
  const loose = top.filter((e) => !e.directory).length;
  const perClass: string[][] = [];
  let ignored = 0;
  for (const c of classes) {
    const out = { files: [] as string[], ignored: 0 };
    await imagesUnder(fs, root, c, 0, out);
    perClass.push(out.files);
    ignored += out.ignored;
  }
  const found = perClass.reduce((n, f) => n + f.length, 0);
  // In turn from each class: the first of each, then the second of each…, up to the cap.
  const order: { label: number; name: string }[] = [];
  const cap = Math.min(maxImages, MAX_FOLDER_IMAGES);
  for (let i = 0; order.length < Math.min(cap, found); i++)
    for (let label = 0; label < classes.length && order.length < cap; label++) if (i < perClass[label].length) order.push({ label, name: perClass[label][i] });
  const images: FolderImage[] = [];
  const unreadable: FolderRead['unreadable'] = [];
  let bytes = 0;
  let read = 0;
  for (const f of order) {
    if (bytes >= MAX_FOLDER_BYTES) break;
    read++;
    const path = `${root}/${f.name}`;
    try {
      const size = await fs.size(path);
      if (size !== null && size > MAX_IMAGE_BYTES) {
        unreadable.push({ name: f.name, why: `larger than ${MAX_IMAGE_BYTES / (1024 * 1024)} MB` });
        continue;
      }
      const data = await fs.read(path);
      const format = sniffImage(data);
      if (!format) {
        unreadable.push({ name: f.name, why: data.length === 0 ? 'empty' : 'not a PNG, JPEG, BMP or GIF image' });
        continue;
      }
      if (data.length > MAX_IMAGE_BYTES) {
        unreadable.push({ name: f.name, why: `larger than ${MAX_IMAGE_BYTES / (1024 * 1024)} MB` });
        continue;
      }
      bytes += data.length;
      images.push({ label: f.label, name: f.name, format, bytes: data });
    } catch (e) {
      unreadable.push({ name: f.name, why: (e as Error).message || 'could not be read' });
    }
  }
  const counts = classes.map((_, label) => images.filter((i) => i.label === label).length);
  const foundPerClass = perClass.map((f) => f.length);
  return {
    classes,
    images,
    found,
    foundPerClass,
    unreadable,
    ignored,
    loose,
    notRead: found - read,
    problem: tooFewImages(classes, counts),
  };
}

/** What the panel says about a folder read: how many images of how many, what was skipped and why. */
export function folderNotes(r: FolderRead): string[] {
  const notes: string[] = [];
  if (r.notRead > 0)
    notes.push(
      `Read ${(r.found - r.notRead).toLocaleString('en-US')} of the ${r.found.toLocaleString('en-US')} images found (at most ${MAX_FOLDER_IMAGES.toLocaleString('en-US')}, fewer for a large input, and ${MAX_FOLDER_BYTES / (1024 * 1024)} MB of files), taken in turn from each class.`,
    );
  if (r.unreadable.length)
    notes.push(
      `${r.unreadable.length} file${r.unreadable.length === 1 ? ' was' : 's were'} unreadable and skipped: ${firstFew(r.unreadable.map((u) => `${u.name} (${u.why})`))}.`,
    );
  if (r.ignored)
    notes.push(
      `${r.ignored} file${r.ignored === 1 ? '' : 's'} under the class folders ${r.ignored === 1 ? 'is' : 'are'} not an image (by name) and ignored, as Keras does.`,
    );
  if (r.loose)
    notes.push(
      `${r.loose} file${r.loose === 1 ? '' : 's'} beside the class folders ${r.loose === 1 ? 'is' : 'are'} ignored: images go in one subfolder per class.`,
    );
  return notes;
}

/** The folder a source's `image_dataset_from_directory("…")` call names (its first string argument or `directory=`), or null. */
export function folderInSource(text: string): string | null {
  const m = /image_dataset_from_directory\s*\(\s*(?:directory\s*=\s*)?[rR]?(["'])([^"'\n]+)\1/.exec(text);
  return m ? m[2] : null;
}
