/**
 * The only reader of `layerlens.*` settings. Changes apply without a reload: readers call the getters each time.
 * Each default is the one package.json's `contributes.configuration` declares (what VS Code's Settings editor shows),
 * read from the manifest when the extension is bundled, so it is written once.
 */
import * as vscode from 'vscode';
import { contributes } from '../package.json';
import type { KerasVersionChoice } from './core';

type Properties = typeof contributes.configuration.properties;
/** `inlayHints.enabled` for `layerlens.inlayHints.enabled`: a setting the manifest declares, without its section. */
type Key = { [P in keyof Properties]: P extends `layerlens.${infer K}` ? K : never }[keyof Properties];

/** A getter for the setting `layerlens.KEY`, falling back to the manifest's default. */
function setting<K extends Key>(key: K): () => Properties[`layerlens.${K}`]['default'] {
  const fallback = contributes.configuration.properties[`layerlens.${key}`].default;
  return () => vscode.workspace.getConfiguration('layerlens').get(key, fallback);
}

export const config = {
  inlayHintsEnabled: setting('inlayHints.enabled'),
  inlayHintsParams: setting('inlayHints.params'),
  codeLensEnabled: setting('codeLens.enabled'),
  diagnosticsEnabled: setting('diagnostics.enabled'),
  previewMemoryLimitMB: setting('preview.memoryLimitMB'),
  /** 'auto', '3' or '2': anything else a user writes in settings.json is read as the manifest's default. */
  kerasVersion: (): KerasVersionChoice => {
    const value: string = setting('kerasVersion')();
    return value === 'auto' || value === '3' || value === '2'
      ? value
      : (contributes.configuration.properties['layerlens.kerasVersion'].default as KerasVersionChoice);
  },
};

/** Calls `listener` when any LayerLens setting changes. */
export function onConfigChange(listener: () => void): vscode.Disposable {
  return vscode.workspace.onDidChangeConfiguration((e) => {
    if (e.affectsConfiguration('layerlens')) listener();
  });
}
