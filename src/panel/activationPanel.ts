/**
 * "Preview Activations": the webview beside the editor that runs the model with TensorFlow.js and shows
 * every layer's feature maps. The host owns the truth (the analysis); the webview renders what it is sent.
 */
import * as vscode from 'vscode';
import { modelAt, notebookOf, toRange, type AnalysisCache } from '../analysisCache';
import type { ModelResult } from '../core';
import { config } from '../config';
import { logError, logInfo } from '../log';
import { assertNever, isWebviewMessage, type HostMessage, type WebviewMessage } from '../protocol';
import { downsamplingVariants, isPooling } from './downsampling';
import { memoryRefusal, toPreviewModel } from './previewModel';
import { newNonce, webviewHtml } from './webviewHtml';
import { loadWeights, pickWeightsFile } from './weightsPicker';
import { WeightsError } from '../weights/readWeights';

/** Edits pausing shorter than this do not rebuild the model in the webview. */
const UPDATE_DEBOUNCE_MS = 300;

export class ActivationPanel implements vscode.Disposable {
  private static current: ActivationPanel | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private ready = false;
  private pendingSelection: number | null = null;
  /** What the webview last reported, for tests and the status bar. */
  lastStatus: Extract<WebviewMessage, { type: 'status' }> | undefined;

  static show(extensionUri: vscode.Uri, cache: AnalysisCache, doc: vscode.TextDocument, model: ModelResult): ActivationPanel {
    if (ActivationPanel.current && ActivationPanel.current.doc !== doc) ActivationPanel.current.dispose();
    if (ActivationPanel.current) {
      ActivationPanel.current.modelName = model.name;
      ActivationPanel.current.panel.reveal(vscode.ViewColumn.Beside, true);
      ActivationPanel.current.sendModel();
      return ActivationPanel.current;
    }
    const panel = vscode.window.createWebviewPanel('layerlens.activations', `Activations: ${model.name}`, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, {
      enableScripts: true,
      localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media')],
    });
    ActivationPanel.current = new ActivationPanel(panel, extensionUri, cache, doc, model.name);
    return ActivationPanel.current;
  }

  static get active(): ActivationPanel | undefined {
    return ActivationPanel.current;
  }

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    private readonly extensionUri: vscode.Uri,
    private readonly cache: AnalysisCache,
    private readonly doc: vscode.TextDocument,
    private modelName: string,
  ) {
    panel.webview.html = this.html();
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'icon.png');
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((m: unknown) => this.receive(m)),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (this.owns(e.document)) this.scheduleUpdate();
      }),
      vscode.window.onDidChangeTextEditorSelection((e) => {
        if (this.owns(e.textEditor.document)) this.syncSelection(e.textEditor);
      }),
    );
  }

  private owns(doc: vscode.TextDocument): boolean {
    const nb = notebookOf(this.doc);
    return doc === this.doc || (nb !== undefined && notebookOf(doc) === nb);
  }

  private model(): ModelResult | undefined {
    return this.cache.get(this.doc).result.models.find((m) => m.name === this.modelName);
  }

  private post(message: HostMessage): void {
    void this.panel.webview.postMessage(message);
  }

  private scheduleUpdate(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.sendModel(), UPDATE_DEBOUNCE_MS);
  }

  sendModel(): void {
    if (!this.ready) return;
    const model = this.model();
    if (!model) {
      this.post({ type: 'refused', message: `The model "${this.modelName}" is no longer in ${this.doc.fileName}.` });
      return;
    }
    this.panel.title = `Activations: ${model.name}`;
    const preview = toPreviewModel(model, `${(notebookOf(this.doc)?.uri ?? this.doc.uri).toString()}#${model.name}`);
    const limit = config.previewMemoryLimitMB();
    const refusal = memoryRefusal(preview, limit);
    if (refusal) this.post({ type: 'refused', message: refusal });
    else this.post({ type: 'model', model: preview, memoryLimitMB: limit });
  }

  /** Highlights a layer in the webview (from a hover link or the editor cursor). */
  select(index: number | null): void {
    this.pendingSelection = index;
    if (this.ready) this.post({ type: 'selectLayer', index });
  }

  private syncSelection(editor: vscode.TextEditor): void {
    const analysis = this.cache.get(editor.document);
    const model = modelAt(analysis, editor.document, editor.selection.active);
    if (!model || model.name !== this.modelName) return;
    const layer = model.layers.find((l) => toRange(l.range).contains(editor.selection.active) || toRange(l.range).start.line === editor.selection.active.line);
    this.select(layer ? layer.index : null);
  }

  private async revealLayer(index: number): Promise<void> {
    const layer = this.model()?.layers[index];
    if (!layer) return;
    const analysis = this.cache.get(this.doc);
    const target = analysis.notebook && layer.range.cell !== undefined ? analysis.notebook.cellAt(layer.range.cell).document : this.doc;
    const range = toRange(layer.range);
    const column = vscode.window.visibleTextEditors.find((e) => e.document === target)?.viewColumn ?? vscode.ViewColumn.One;
    const editor = await vscode.window.showTextDocument(target, { viewColumn: column, selection: range, preserveFocus: false });
    editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  }

  private async pickImage(): Promise<void> {
    const picked = await vscode.window.showOpenDialog({ canSelectMany: false, filters: { Images: ['png', 'jpg', 'jpeg'] }, defaultUri: vscode.Uri.joinPath(this.doc.uri, '..') });
    if (!picked?.[0]) return;
    const bytes = await vscode.workspace.fs.readFile(picked[0]);
    const mime = /\.png$/i.test(picked[0].path) ? 'image/png' : 'image/jpeg';
    this.post({ type: 'image', name: picked[0].path.split('/').pop() ?? 'image', dataUrl: `data:${mime};base64,${Buffer.from(bytes).toString('base64')}` });
  }

  /** The downsampling variants at a pooling layer, analysed by the core from the source with that call replaced. */
  private sendWhatIf(index: number): void {
    const model = this.model();
    const layer = model?.layers[index];
    if (!model || !layer || !isPooling(layer.type)) return;
    const analysis = this.cache.get(this.doc);
    const range = toRange(layer.range);
    const nb = analysis.notebook;
    const key = `${(nb?.uri ?? this.doc.uri).toString()}#${model.name}`;
    let variants;
    if (nb && layer.range.cell !== undefined) {
      const cellDoc = nb.cellAt(layer.range.cell).document;
      const cells = nb
        .getCells()
        .filter((c) => c.kind === vscode.NotebookCellKind.Code && c.document.languageId === 'python')
        .map((c) => ({ index: c.index, text: c.document.getText() }));
      variants = downsamplingVariants(model, layer, { cells, cell: layer.range.cell, from: cellDoc.offsetAt(range.start), to: cellDoc.offsetAt(range.end) }, key);
    } else {
      variants = downsamplingVariants(model, layer, { text: this.doc.getText(), from: this.doc.offsetAt(range.start), to: this.doc.offsetAt(range.end), fileName: this.doc.fileName }, key);
    }
    this.post({ type: 'whatIf', index, variants });
  }

  private async pickWeights(): Promise<void> {
    const model = this.model();
    if (!model) return;
    const sourceUri = notebookOf(this.doc)?.uri ?? this.doc.uri;
    try {
      const uri = await pickWeightsFile(this.doc, sourceUri);
      if (!uri) return;
      // A large file takes seconds to read and match: say so in the status bar meanwhile.
      const layers = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: `LayerLens: loading weights from ${vscode.workspace.asRelativePath(uri)}` }, () => loadWeights(uri, model.layers));
      this.post({ type: 'weights', source: vscode.workspace.asRelativePath(uri), layers });
    } catch (e) {
      const message = e instanceof WeightsError ? e.message : `The weights could not be loaded: ${(e as Error).message}`;
      if (!(e instanceof WeightsError)) logError('load weights', e);
      this.post({ type: 'weightsError', message });
      void vscode.window.showWarningMessage(`LayerLens: ${message}`);
    }
  }

  private receive(message: unknown): void {
    if (!isWebviewMessage(message)) {
      logError('webview message', new Error(`dropped a malformed message: ${JSON.stringify(message)?.slice(0, 200)}`));
      return;
    }
    switch (message.type) {
      case 'ready':
        this.ready = true;
        this.sendModel();
        if (this.pendingSelection !== null) this.select(this.pendingSelection);
        return;
      case 'revealLayer':
        void this.revealLayer(message.index);
        return;
      case 'pickImage':
        void this.pickImage().catch((e) => logError('pick image', e));
        return;
      case 'pickWeights':
        void this.pickWeights();
        return;
      case 'resetWeights':
        this.post({ type: 'weights', source: '', layers: [] });
        return;
      case 'whatIf':
        this.sendWhatIf(message.index);
        return;
      case 'status':
        this.lastStatus = message;
        logInfo(`preview: ${message.layersShown} layers on ${message.backend} in ${message.runMs.toFixed(1)} ms${message.notice ? ` (${message.notice})` : ''}`);
        return;
      case 'error':
        logError('webview', new Error(message.message));
        return;
      default:
        assertNever(message);
    }
  }

  private html(): string {
    const webview = this.panel.webview;
    const scriptUri = webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview.js')).toString();
    return webviewHtml({ cspSource: webview.cspSource, scriptUri, nonce: newNonce() });
  }

  dispose(): void {
    if (ActivationPanel.current === this) ActivationPanel.current = undefined;
    clearTimeout(this.timer);
    for (const d of this.disposables.splice(0)) d.dispose();
    this.panel.dispose();
  }
}
