/**
 * Choosing trained weights for the preview: the weight files next to the source, and the ones a
 * `model.save('…')`, `save_weights('…')` or `load_weights('…')` call in the source names; for a `keras.applications`
 * model, the files Keras cached for its architecture (~/.keras/models); or any file.
 */
import * as os from 'node:os';
import * as vscode from 'vscode';
import { cachedWeightFiles, kerasModelsDir } from '../weights/kerasCache';
import type { LayerWeights } from '../protocol';
import { fileErrorKind, matchLayers, readKerasWeights, readTfjsWeights, unreadableReason, WeightsError, type WeightedLayer } from '../weights/readWeights';

const WEIGHT_FILE = /\.(h5|hdf5|keras)$|(^|\/)model\.json$/i;
const NAMED_IN_SOURCE = /\.(?:save|save_weights|load_weights)\(\s*(?:filepath\s*=\s*)?['"]([^'"]+\.(?:h5|hdf5|keras|json))['"]/g;

/** A `keras.applications` model: its architecture, and whether it has its classifier (Keras' `include_top`). */
export interface PretrainedModel {
  architecture: string;
  includeTop: boolean;
}

/** Candidate files: named in the source first, then those in the source's folder, then Keras' cached ones. */
export async function weightCandidates(doc: vscode.TextDocument, sourceUri: vscode.Uri, pretrained?: PretrainedModel): Promise<vscode.Uri[]> {
  const folder = vscode.Uri.joinPath(sourceUri, '..');
  const found: vscode.Uri[] = [];
  const add = async (uri: vscode.Uri) => {
    if (found.some((u) => u.toString() === uri.toString())) return;
    try {
      await vscode.workspace.fs.stat(uri);
      found.push(uri);
    } catch {
      // named but not there (yet): not offered
    }
  };
  for (const m of doc.getText().matchAll(NAMED_IN_SOURCE)) await add(m[1].startsWith('/') ? vscode.Uri.file(m[1]) : vscode.Uri.joinPath(folder, m[1]));
  try {
    for (const [name, type] of await vscode.workspace.fs.readDirectory(folder))
      if (type === vscode.FileType.File && WEIGHT_FILE.test(name)) await add(vscode.Uri.joinPath(folder, name));
  } catch {
    // an unsaved or virtual document has no folder to list
  }
  if (pretrained) {
    const cache = vscode.Uri.file(kerasModelsDir(process.env, os.homedir()));
    try {
      const names = (await vscode.workspace.fs.readDirectory(cache)).filter(([, type]) => type === vscode.FileType.File).map(([name]) => name);
      for (const name of cachedWeightFiles(names, [pretrained.architecture], pretrained.includeTop)) await add(vscode.Uri.joinPath(cache, name));
    } catch {
      // Keras has downloaded nothing here
    }
  }
  return found;
}

/** Asks which file to load; undefined when the user cancels. */
export async function pickWeightsFile(doc: vscode.TextDocument, sourceUri: vscode.Uri, pretrained?: PretrainedModel): Promise<vscode.Uri | undefined> {
  const candidates = await weightCandidates(doc, sourceUri, pretrained);
  const browse = { label: '$(folder-opened) Browse…', uri: undefined as vscode.Uri | undefined };
  const items = [
    ...candidates.map((uri) => ({ label: uri.path.split('/').pop() ?? uri.path, description: vscode.workspace.asRelativePath(uri), uri })),
    browse,
  ];
  const picked =
    items.length === 1
      ? browse
      : await vscode.window.showQuickPick(items, { placeHolder: 'Trained weights for the preview (.h5, .weights.h5, .keras, model.json)' });
  if (!picked) return undefined;
  if (picked.uri) return picked.uri;
  const chosen = await vscode.window.showOpenDialog({
    canSelectMany: false,
    defaultUri: vscode.Uri.joinPath(sourceUri, '..'),
    filters: { 'Keras and TF.js weights': ['h5', 'hdf5', 'keras', 'json'] },
  });
  return chosen?.[0];
}

/** Reads a weight file and matches it to the model's layers; throws WeightsError with a message for the user. */
export async function loadWeights(uri: vscode.Uri, modelLayers: WeightedLayer[]): Promise<LayerWeights[]> {
  const name = uri.path.split('/').pop() ?? uri.path;
  let bytes: Uint8Array;
  try {
    bytes = await vscode.workspace.fs.readFile(uri);
  } catch (e) {
    if (fileErrorKind(e) === 'missing') throw new WeightsError(`${name} is not there any more (no such file).`);
    throw new WeightsError(`${name} cannot be read: ${unreadableReason(e)}`);
  }
  const file = /\.json$/i.test(name)
    ? await readTfjsWeights(new TextDecoder().decode(bytes), name, (p) => Promise.resolve(vscode.workspace.fs.readFile(vscode.Uri.joinPath(uri, '..', p))))
    : readKerasWeights(bytes, name);
  return matchLayers(file, modelLayers);
}
