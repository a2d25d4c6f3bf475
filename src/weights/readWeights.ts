/**
 * Trained weights from the files Keras and TF.js write, as plain arrays by layer, in Keras' weight order
 * (kernel, bias, …). No vscode: the extension host reads the bytes and passes them in.
 * - Keras 2 `.h5` from `model.save` (weights under `model_weights/`) or `save_weights` (at the root): each layer
 *   group's `weight_names` attribute gives the order.
 * - Keras 3 `.weights.h5`: `layers/<name>/vars/0, 1, …`.
 * - Keras 3 `.keras`: a zip holding `model.weights.h5`.
 * - TF.js `model.json` with its binary shards, in the manifest's order.
 * A file that cannot be read throws WeightsError with a message a person can act on.
 */
import { unzipSync } from 'fflate';
import { Dataset, File, Group } from 'jsfive';
import type { LayerWeights } from '../protocol';
import { toSnakeCase } from '../core/layers/rule';

export class WeightsError extends Error {}

/**
 * Why a file could not be read, from the error Node (`code: 'ENOENT'`…) or VS Code's file system
 * (`FileSystemError`, `code: 'FileNotFound'`…) threw: `missing` (no such file), `permission` (permission denied),
 * `folder` (a folder where a file should be), or `other`.
 */
export function fileErrorKind(e: unknown): 'missing' | 'permission' | 'folder' | 'other' {
  const code = typeof e === 'object' && e !== null && 'code' in e ? String((e as { code: unknown }).code) : '';
  // Without a code (a remote file system, a wrapped error), the name or message says it: `EntryNotFound (FileSystemError)`, `ENOENT: …`.
  const text = code || (e instanceof Error ? `${e.name} ${e.message}` : '');
  if (/\b(ENOENT|ENOTDIR|FileNotFound|EntryNotFound)\b/.test(text)) return 'missing';
  if (/\b(EACCES|EPERM|NoPermissions)\b/.test(text)) return 'permission';
  if (/\b(EISDIR|FileIsADirectory|EntryIsADirectory)\b/.test(text)) return 'folder';
  return 'other';
}

/** What follows "cannot be read: " for an error that is not a missing file. */
export function unreadableReason(e: unknown): string {
  switch (fileErrorKind(e)) {
    case 'permission':
      return 'permission denied.';
    case 'folder':
      return 'it is a folder, not a file (EISDIR).';
    default:
      return e instanceof Error ? e.message : String(e);
  }
}

export interface WeightsFile {
  /** Layers with weights, in the file's order. */
  layers: LayerWeights[];
  format: 'keras-h5' | 'keras3-weights-h5' | 'keras3-zip' | 'tfjs';
}

const HDF5_SIGNATURE = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];

function isHdf5(bytes: Uint8Array): boolean {
  return HDF5_SIGNATURE.every((b, i) => bytes[i] === b);
}

function arrayBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

function strings(x: unknown): string[] {
  if (Array.isArray(x)) return x.map((v) => (typeof v === 'string' ? v : String(v)));
  if (typeof x === 'string') return [x];
  return [];
}

function tensor(d: Group | Dataset, where: string): { shape: number[]; values: number[] } {
  if (!(d instanceof Dataset)) throw new WeightsError(`${where} is not a weight array.`);
  const values = Array.from(d.value as ArrayLike<number>);
  const size = d.shape.reduce((a, b) => a * b, 1);
  if (values.length !== size) throw new WeightsError(`${where} holds ${values.length} numbers but its shape ${JSON.stringify(d.shape)} needs ${size}.`);
  return { shape: d.shape.slice(), values };
}

function tryGet(root: File | Group, path: string): Group | Dataset | null {
  try {
    return root.get(path) ?? null;
  } catch {
    return null;
  }
}

/** Keras 2: `layer_names` on the weights group; each layer group lists `weight_names`. */
function readKeras2(file: File): LayerWeights[] | null {
  const model = tryGet(file, 'model_weights');
  const root: File | Group = model instanceof Group ? model : file;
  const layerNames = strings(root.attrs.layer_names);
  if (layerNames.length === 0) return null;
  const layers: LayerWeights[] = [];
  for (const name of layerNames) {
    const group = tryGet(root, name);
    if (!(group instanceof Group)) throw new WeightsError(`The file lists layer "${name}" but has no weights group for it.`);
    const weightNames = strings(group.attrs.weight_names);
    if (weightNames.length === 0) continue;
    layers.push({ layer: name, tensors: weightNames.map((w) => tensor(tryGet(group, w) ?? (undefined as never), `${name}/${w}`)) });
  }
  return layers;
}

/** Keras 3: `layers/<name>/vars/0…n`; a model used as a layer has its own `layers/<name>/layers/…`. */
function readKeras3(file: File | Group, path = ''): LayerWeights[] | null {
  const top = tryGet(file, 'layers');
  if (!(top instanceof Group)) return null;
  const layers: LayerWeights[] = [];
  for (const name of top.keys) {
    const group = tryGet(top, name);
    const nested = group instanceof Group ? readKeras3(group, `${path}layers/${name}/`) : null;
    if (nested?.length) {
      layers.push({ layer: name, tensors: [], layers: nested });
      continue;
    }
    const vars = tryGet(top, `${name}/vars`);
    if (!(vars instanceof Group) || vars.keys.length === 0) continue;
    const order = vars.keys.map(Number).sort((a, b) => a - b);
    layers.push({ layer: name, tensors: order.map((k) => tensor(vars.get(String(k)), `${path}layers/${name}/vars/${k}`)) });
  }
  return layers;
}

/** The file length the HDF5 superblock declares (its end-of-file address), or null if it cannot tell. */
function declaredLength(bytes: Uint8Array): number | null {
  const version = bytes[8];
  const at = version === 0 ? 40 : version === 1 ? 44 : version === 2 || version === 3 ? 28 : -1;
  if (at < 0 || bytes.length < at + 8) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset + at, 8);
  return view.getUint32(0, true) + view.getUint32(4, true) * 2 ** 32;
}

function readHdf5(bytes: Uint8Array, fileName: string): WeightsFile {
  const declared = declaredLength(bytes);
  if (declared !== null && bytes.length < declared)
    throw new WeightsError(`${fileName} is truncated: it has ${bytes.length} bytes, and its HDF5 header says ${declared}.`);
  let file: File;
  try {
    file = new File(arrayBuffer(bytes), fileName);
  } catch (e) {
    throw new WeightsError(`${fileName} is not a readable HDF5 file (it may be truncated or corrupted): ${(e as Error).message}`);
  }
  try {
    const k3 = readKeras3(file);
    if (k3) return { layers: k3, format: 'keras3-weights-h5' };
    const k2 = readKeras2(file);
    if (k2) return { layers: k2, format: 'keras-h5' };
  } catch (e) {
    if (e instanceof WeightsError) throw e;
    throw new WeightsError(`${fileName} could not be read (it may be truncated or corrupted): ${(e as Error).message}`);
  }
  throw new WeightsError(`${fileName} is an HDF5 file, but not one Keras wrote: it has neither "layer_names" nor "layers/…/vars".`);
}

/** Reads `.h5`, `.weights.h5` and `.keras` files. */
export function readKerasWeights(bytes: Uint8Array, fileName: string): WeightsFile {
  if (isHdf5(bytes)) return readHdf5(bytes, fileName);
  if (bytes[0] === 0x50 && bytes[1] === 0x4b) {
    let entries: Record<string, Uint8Array>;
    try {
      entries = unzipSync(bytes);
    } catch (e) {
      throw new WeightsError(`${fileName} is not a readable .keras archive (it may be truncated): ${(e as Error).message}`);
    }
    const weights = entries['model.weights.h5'];
    if (!weights) throw new WeightsError(`${fileName} has no model.weights.h5 inside.`);
    return { ...readHdf5(weights, `${fileName}/model.weights.h5`), format: 'keras3-zip' };
  }
  throw new WeightsError(`${fileName} is neither an HDF5 file nor a .keras archive.`);
}

interface Manifest {
  weightsManifest?: { paths?: unknown; weights?: { name?: unknown; shape?: unknown; dtype?: unknown }[] }[];
}

/**
 * Reads a TF.js `model.json`; `readShard` returns a shard's bytes by its path relative to the json, or throws the
 * file system's error, which tells a missing shard from one that cannot be read (see fileErrorKind).
 */
export async function readTfjsWeights(json: string, fileName: string, readShard: (path: string) => Promise<Uint8Array>): Promise<WeightsFile> {
  let manifest: Manifest;
  try {
    manifest = JSON.parse(json) as Manifest;
  } catch (e) {
    throw new WeightsError(`${fileName} is not valid JSON: ${(e as Error).message}`);
  }
  if (!Array.isArray(manifest.weightsManifest)) throw new WeightsError(`${fileName} has no "weightsManifest": it is not a TF.js model.`);
  const layers = new Map<string, LayerWeights>();
  for (const group of manifest.weightsManifest) {
    const paths = strings(group.paths);
    const chunks: Uint8Array[] = [];
    for (const p of paths) {
      try {
        chunks.push(await readShard(p));
      } catch (e) {
        if (fileErrorKind(e) === 'missing') throw new WeightsError(`${fileName} needs the shard "${p}", which is missing.`);
        throw new WeightsError(`${fileName} needs the shard "${p}", which cannot be read: ${unreadableReason(e)}`);
      }
    }
    const total = chunks.reduce((s, c) => s + c.length, 0);
    const all = new Uint8Array(total);
    let at = 0;
    for (const c of chunks) {
      all.set(c, at);
      at += c.length;
    }
    const view = new DataView(all.buffer);
    let offset = 0;
    for (const w of group.weights ?? []) {
      const name = String(w.name);
      const shape = Array.isArray(w.shape) ? w.shape.map(Number) : [];
      if (w.dtype !== 'float32') throw new WeightsError(`${fileName}: weight "${name}" is ${String(w.dtype)}; only float32 weights are supported.`);
      const size = shape.reduce((a, b) => a * b, 1);
      if (offset + size * 4 > all.length) throw new WeightsError(`${fileName}: the shards end before weight "${name}" (they may be truncated).`);
      const values = new Array<number>(size);
      for (let i = 0; i < size; i++) values[i] = view.getFloat32(offset + i * 4, true);
      offset += size * 4;
      const layer = name.includes('/') ? name.slice(0, name.indexOf('/')) : name;
      const entry = layers.get(layer) ?? { layer, tensors: [] };
      entry.tensors.push({ shape, values });
      layers.set(layer, entry);
    }
  }
  return { layers: [...layers.values()], format: 'tfjs' };
}

/**
 * The key each layer has in a Keras 3 weight file (`.weights.h5`, a `.keras` archive's model.weights.h5): its class
 * in snake case, numbered in the model's order from the second of a class on (`dense`, `dense_1`), whatever its
 * `name=` is (Keras 3's saving_lib names a container's layers so). Keras 2 and TF.js files use the layer's name.
 */
export function keras3Keys(modelLayers: readonly { type: string }[]): string[] {
  const seen = new Map<string, number>();
  return modelLayers.map((l) => {
    const base = toSnakeCase(l.type);
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    return n === 0 ? base : `${base}_${n}`;
  });
}

/**
 * The file's weights under the model's layer names. By name when every layer of the model that has weights
 * is in the file (in a Keras 3 file, by the key it gives the layer: keras3Keys); otherwise in order (files
 * trained in a session where the names got numbers, `dense_7`). Shapes are checked by the webview before
 * anything is loaded.
 */
/**
 * What matchLayers reads of a model's layers: the analysis' (a model used as a layer lists its own in `nested`) or
 * the preview's (its `nested` is a model with `layers`).
 */
export interface WeightedLayer {
  name: string;
  type: string;
  params: number | null;
  nested?: readonly WeightedLayer[] | { layers: readonly WeightedLayer[] };
}

function innerLayers(l: WeightedLayer): readonly WeightedLayer[] | null {
  if (!l.nested) return null;
  return 'layers' in l.nested ? l.nested.layers : l.nested;
}

export function matchLayers(file: WeightsFile, modelLayers: readonly WeightedLayer[]): LayerWeights[] {
  const keras3 = file.format === 'keras3-weights-h5' || file.format === 'keras3-zip';
  const keys = keras3 ? keras3Keys(modelLayers) : modelLayers.map((l) => l.name);
  const weighted = modelLayers.map((l, i) => ({ ...l, key: keys[i] })).filter((l) => (l.params ?? 0) > 0);
  const byName = new Map(file.layers.map((l) => [l.layer, l]));
  const named = weighted.map((l) => byName.get(l.key));
  // A model used as a layer (a pretrained base) is matched layer by layer inside, by its own layers' keys.
  const entry = (l: WeightedLayer, found: LayerWeights): LayerWeights => {
    const inner = innerLayers(l);
    return found.layers && inner
      ? { layer: l.name, tensors: [], layers: matchLayers({ layers: found.layers, format: file.format }, inner) }
      : { layer: l.name, tensors: found.tensors };
  };
  if (named.every((l) => l !== undefined)) return named.map((l, i) => entry(weighted[i], l));
  if (file.layers.length !== weighted.length) {
    const missing = weighted.find((l) => !byName.has(l.key));
    // A Keras 3 file names a layer by its class: say which of the model's layers that is when it has a name of its own.
    const which =
      missing && (missing.key === missing.name ? `(${missing.type})` : `(the ${missing.type} layer "${missing.name}", which Keras 3 files name by its class)`);
    throw new WeightsError(
      `The file has weights for ${file.layers.length} layer(s) (${file.layers.map((l) => l.layer).join(', ') || 'none'}), the model ${weighted.length}${missing ? `; none is named "${missing.key}" ${which}` : ''}.`,
    );
  }
  return weighted.map((l, i) => entry(l, file.layers[i]));
}
