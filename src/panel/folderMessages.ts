/**
 * A folder read by the host (src/imageFolder.ts) as messages to the webview: why it cannot be used, or its classes
 * and notes, then its images' bytes in batches of at most FOLDER_BATCH_IMAGES images and FOLDER_BATCH_BYTES bytes,
 * made one at a time as they are posted. Node's Buffer for base64; no vscode, so the unit tests run it.
 */
import { folderNotes, MIME, type FolderRead } from '../imageFolder';
import type { HostMessage } from '../protocol';

export const FOLDER_BATCH_IMAGES = 64;
export const FOLDER_BATCH_BYTES = 4 * 1024 * 1024;

export function* folderMessages(folder: string, read: FolderRead): Generator<HostMessage> {
  if (read.found === 0) {
    yield {
      type: 'folderError',
      message: read.classes.length
        ? `No images in ${folder}: its ${read.classes.length} subfolder${read.classes.length === 1 ? ' holds' : 's hold'} no .png, .jpg, .jpeg, .bmp or .gif files.`
        : `No class folders in ${folder}: put each class's images in a subfolder of its own (as image_dataset_from_directory reads them), such as ${folder}cats/ and ${folder}dogs/.`,
    };
    return;
  }
  if (read.problem) {
    const notes = folderNotes(read);
    yield { type: 'folderError', message: `${read.problem}${notes.length ? ` ${notes.join(' ')}` : ''}` };
    return;
  }
  yield { type: 'folderStart', folder, classes: read.classes, total: read.images.length, notes: folderNotes(read) };
  let batch: Extract<HostMessage, { type: 'folderImages' }>['images'] = [];
  let bytes = 0;
  for (const [i, im] of read.images.entries()) {
    batch.push({
      label: im.label,
      name: im.name,
      mime: MIME[im.format],
      data: Buffer.from(im.bytes.buffer, im.bytes.byteOffset, im.bytes.byteLength).toString('base64'),
    });
    bytes += im.bytes.byteLength;
    const last = i === read.images.length - 1;
    if (last || batch.length >= FOLDER_BATCH_IMAGES || bytes >= FOLDER_BATCH_BYTES) {
      yield { type: 'folderImages', folder, images: batch, last };
      batch = [];
      bytes = 0;
    }
  }
}
