/**
 * "Save weights…": the weights the preview holds (trained there), written as a Keras 3 `.weights.h5` where the user
 * chooses, so that `model.load_weights(path)` in Keras 3 loads them into the model the source builds. The webview
 * sends its weights by layer name (LayerWeights); the file is made before the dialog opens, so weights that do not
 * fit the model are refused (WeightsError) before the user picks a place for them.
 */
import * as vscode from 'vscode';
import { isChain } from '../core/tfjs/graph';
import type { LayerWeights, PreviewModel } from '../protocol';
import { defaultWeightsName, modelToSave, withWeightsSuffix, writeKeras3Weights } from '../weights/writeWeights';

/** Asks where to save and writes the file; the file's URI, or undefined when the user cancels. */
export async function saveWeightsFile(sourceUri: vscode.Uri, model: PreviewModel, weights: LayerWeights[]): Promise<vscode.Uri | undefined> {
  // Keras names a model by its kind unless `name=` says otherwise; the name is only recorded, never checked.
  const bytes = writeKeras3Weights(modelToSave(isChain(model.graph) ? 'sequential' : 'functional', model.layers, weights));
  const chosen = await vscode.window.showSaveDialog({
    defaultUri: vscode.Uri.joinPath(sourceUri, '..', defaultWeightsName(sourceUri.path)),
    filters: { 'Keras 3 weights (.weights.h5)': ['h5'] },
    title: `Save the weights of ${model.name}`,
  });
  if (!chosen) return undefined;
  const uri = chosen.with({ path: withWeightsSuffix(chosen.path) });
  // The dialog asked before replacing the file it was given, not the one the suffix makes.
  if (uri.path !== chosen.path && (await exists(uri))) {
    const replace = await vscode.window.showWarningMessage(`${uri.path.split('/').pop()} already exists. Replace it?`, { modal: true }, 'Replace');
    if (replace !== 'Replace') return undefined;
  }
  await vscode.workspace.fs.writeFile(uri, bytes);
  return uri;
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}
