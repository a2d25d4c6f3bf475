/** The "LayerLens" output channel: where every error goes, so that none escapes into VS Code. */
import * as vscode from 'vscode';

let channel: vscode.OutputChannel | undefined;

export function initLog(): vscode.OutputChannel {
  channel ??= vscode.window.createOutputChannel('LayerLens');
  return channel;
}

export function logError(where: string, e: unknown): void {
  const text = e instanceof Error ? (e.stack ?? e.message) : String(e);
  channel?.appendLine(`[${new Date().toISOString()}] ${where}: ${text}`);
}

export function logInfo(message: string): void {
  channel?.appendLine(`[${new Date().toISOString()}] ${message}`);
}

/** Runs `fn`; an exception is logged and `fallback` returned, so providers never throw into the editor. */
export function guard<T>(where: string, fallback: T, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    logError(where, e);
    return fallback;
  }
}
