/** The browser's side of loading an image: decoded by an <img>, drawn centre-cropped at the model's input size. */
import { centreCrop, type InputGeometry } from '../../tfjs/inputs';

/** The image's RGBA pixels at g's size; null when a 2D canvas is not to be had; rejects when it does not decode. */
export function decodeImage(dataUrl: string, g: InputGeometry): Promise<Uint8ClampedArray | null> {
  return new Promise((resolve, reject) => {
    const img = new Image();
    img.onload = () => {
      const canvas = document.createElement('canvas');
      canvas.width = g.width;
      canvas.height = g.height;
      const ctx = canvas.getContext('2d');
      if (!ctx) return resolve(null);
      const crop = centreCrop(img.naturalWidth, img.naturalHeight, g.width, g.height);
      ctx.drawImage(img, crop.x, crop.y, crop.w, crop.h, 0, 0, g.width, g.height);
      resolve(ctx.getImageData(0, 0, g.width, g.height).data);
    };
    img.onerror = () => reject(new Error('the image did not decode'));
    img.src = dataUrl;
  });
}

/**
 * A folder's image (its file's bytes) decoded by the browser (createImageBitmap) and drawn stretched to g's height
 * and width, as image_dataset_from_directory resizes by default (bilinear, the aspect ratio not kept): its RGBA
 * pixels. Rejects when the bytes do not decode.
 */
export async function decodeImageBytes(bytes: Uint8Array<ArrayBuffer>, mime: string, g: InputGeometry): Promise<Uint8ClampedArray> {
  const bitmap = await createImageBitmap(new Blob([bytes], { type: mime }));
  try {
    const canvas =
      typeof OffscreenCanvas === 'function'
        ? new OffscreenCanvas(g.width, g.height)
        : Object.assign(document.createElement('canvas'), { width: g.width, height: g.height });
    const ctx = canvas.getContext('2d') as OffscreenCanvasRenderingContext2D | CanvasRenderingContext2D | null;
    if (!ctx) throw new Error('no 2D canvas');
    ctx.imageSmoothingEnabled = true;
    ctx.imageSmoothingQuality = 'medium';
    ctx.drawImage(bitmap, 0, 0, g.width, g.height);
    return ctx.getImageData(0, 0, g.width, g.height).data;
  } finally {
    bitmap.close();
  }
}
