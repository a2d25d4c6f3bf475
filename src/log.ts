/** The "LayerLens" output channel: where every error goes, so that none escapes into VS Code. */
import * as vscode from 'vscode';

let channel: vscode.OutputChannel | undefined;
/** The channel's last lines, for the integration tests (an output channel cannot be read back through the API). */
const recent: string[] = [];
const RECENT_LIMIT = 200;

function append(line: string): void {
  channel?.appendLine(line);
  recent.push(line);
  if (recent.length > RECENT_LIMIT) recent.splice(0, recent.length - RECENT_LIMIT);
}

/** The output channel's recent lines (each entry may span several lines, a stack trace). */
export function recentLog(): string[] {
  return recent.slice();
}

export function initLog(): vscode.OutputChannel {
  channel ??= vscode.window.createOutputChannel('LayerLens');
  return channel;
}

export function logError(where: string, e: unknown): void {
  const text = e instanceof Error ? (e.stack ?? e.message) : String(e);
  append(`[${new Date().toISOString()}] ${where}: ${text}`);
}

export function logInfo(message: string): void {
  append(`[${new Date().toISOString()}] ${message}`);
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

/** How to report an internal error: where the log is, and what to send with it. */
export const HOW_TO_REPORT =
  'This is a bug in LayerLens, not in your code. To report it, send the LayerLens maintainers this log (View → Output → LayerLens) ' +
  'and the smallest part of the file that still shows it.';

const reportedInternal = new Set<string>();

/**
 * An internal error of the analysis (the core's `internal-error` diagnostic: it caught an exception and analysed
 * nothing): to the log with how to report it, and a message to the user, once per file and message. The exception's
 * stack is logged when the diagnostic carries it in a `stack` property (outside the public Diagnostic type; best not
 * enumerable, so that the CLI's --json leaves it out); the core does not pass it yet.
 */
export function reportInternalError(file: string, diagnostic: { message: string }): void {
  const key = `${file}\n${diagnostic.message}`;
  if (reportedInternal.has(key)) return;
  reportedInternal.add(key);
  const stack = (diagnostic as { stack?: unknown }).stack;
  append(
    `[${new Date().toISOString()}] internal error analysing ${file}: ${diagnostic.message}\n${typeof stack === 'string' ? stack : '(no stack trace came with it)'}\n${HOW_TO_REPORT}`,
  );
  const name = file.split(/[\\/]/).pop() ?? file;
  void Promise.resolve(
    vscode.window.showErrorMessage(
      `LayerLens could not analyse ${name} (an internal error: ${diagnostic.message}). Please report it with the LayerLens output, which has the details.`,
      'Show Output',
    ),
  ).then(
    (choice) => {
      if (choice) channel?.show(true);
    },
    (e: unknown) => logError('internal error message', e),
  );
}
