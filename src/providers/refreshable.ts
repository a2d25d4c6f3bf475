/** A provider whose results change with settings: it tells VS Code to ask again. */
import * as vscode from 'vscode';

export class Refreshable implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fired by `refresh()`; providers expose it as their onDidChange… event. */
  protected readonly onChange = this.changed.event;

  refresh(): void {
    this.changed.fire();
  }

  dispose(): void {
    this.changed.dispose();
  }
}
