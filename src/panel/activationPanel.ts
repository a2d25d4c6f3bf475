/**
 * "Preview Activations": the webview beside the editor that runs the model with TensorFlow.js and shows
 * every layer's feature maps. The host owns the truth (the analysis); the webview renders what it is sent.
 */
import * as vscode from 'vscode';
import { inDocument, modelId, modelIdOf, modelIndexOf, modelsAt, notebookOf, toRange, type AnalysisCache, type DocumentAnalysis } from '../analysisCache';
import { readTraining, type CellSource, type ModelResult } from '../core';
import { config } from '../config';
import { logError, logInfo } from '../log';
import { assertNever, isWebviewMessage, whyMalformed, WebviewMessageSchema, type HostMessage, type LayerWeights, type WebviewMessage } from '../protocol';
import { downsamplingVariants } from './downsampling';
import { describeShown, isPooling, memoryRefusal, toPreviewModel, type ShownModel } from './previewModel';
import { newNonce, webviewHtml } from './webviewHtml';
import { loadWeights, pickWeightsFile } from './weightsPicker';
import { saveWeightsFile } from './weightsSaver';
import { folderInSource, readImageFolder, type FolderFs } from '../imageFolder';
import { folderMessages } from './folderMessages';
import { WeightsError } from '../weights/readWeights';

/** Edits pausing shorter than this do not rebuild the model in the webview. */
const UPDATE_DEBOUNCE_MS = 300;

/** The URI of the file, or of the notebook when `doc` is one of its cells. */
function sourceUriOf(doc: vscode.TextDocument): string {
  return (notebookOf(doc)?.uri ?? doc.uri).toString();
}

/** The id of a model of `doc`'s analysis (see modelId). */
function idOf(cache: AnalysisCache, doc: vscode.TextDocument, model: ModelResult): string {
  const known = modelIdOf(model);
  if (known) return known;
  const models = cache.get(doc).result.models;
  const index = models.indexOf(model);
  return index >= 0 ? modelId(models, index) : `${model.name}#0`;
}

export class ActivationPanel implements vscode.Disposable {
  private static current: ActivationPanel | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  /** The notebook when the model is a notebook's: its analysis is the notebook's, whichever cell the panel came from. */
  private readonly notebook: vscode.NotebookDocument | undefined;
  /** The file's or notebook's URI, as a string. */
  private readonly sourceUri: string;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private ready = false;
  /** The layer last highlighted; sent again once the webview is ready. */
  private selected: number | null = null;
  /** What the webview last reported, for tests and the status bar. */
  lastStatus: Extract<WebviewMessage, { type: 'status' }> | undefined;

  /**
   * Shows the preview of `model` (from the analysis of `doc`). The panel keeps the model's id (see modelId: its name
   * and ordinal among models of that name), so it follows that model through edits, also when another has its name.
   */
  static show(extensionUri: vscode.Uri, cache: AnalysisCache, doc: vscode.TextDocument, model: ModelResult): ActivationPanel {
    const id = idOf(cache, doc, model);
    // One panel per file or notebook: a model of another one gets a new panel (a notebook's cells share one).
    if (ActivationPanel.current && ActivationPanel.current.sourceUri !== sourceUriOf(doc)) ActivationPanel.current.dispose();
    if (ActivationPanel.current) {
      ActivationPanel.current.modelId = id;
      ActivationPanel.current.selected = null;
      ActivationPanel.current.panel.reveal(vscode.ViewColumn.Beside, true);
      ActivationPanel.current.sendModel();
      return ActivationPanel.current;
    }
    const panel = vscode.window.createWebviewPanel(
      'layerlens.activations',
      `Activations: ${model.name}`,
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      {
        enableScripts: true,
        localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media')],
      },
    );
    ActivationPanel.current = new ActivationPanel(panel, extensionUri, cache, doc, id);
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
    private modelId: string,
  ) {
    this.notebook = notebookOf(doc);
    this.sourceUri = sourceUriOf(doc);
    panel.webview.html = this.html();
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'icon.png');
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((m: unknown) => void this.receive(m)),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (this.owns(e.document)) this.scheduleUpdate();
      }),
      // Cells added, removed or moved change the notebook's analysis without changing any cell's text.
      vscode.workspace.onDidChangeNotebookDocument((e) => {
        if (e.contentChanges.length > 0 && e.notebook === this.notebook) this.scheduleUpdate();
      }),
      vscode.window.onDidChangeTextEditorSelection((e) => {
        if (this.owns(e.textEditor.document)) this.syncSelection(e.textEditor);
      }),
    );
  }

  private owns(doc: vscode.TextDocument): boolean {
    return doc === this.doc || (this.notebook !== undefined && notebookOf(doc) === this.notebook);
  }

  /** The panel's model in the document's current analysis, by its id. */
  private model(): ModelResult | undefined {
    const models = this.analysis().result.models;
    return models[modelIndexOf(models, this.modelId)];
  }

  /** The analysis of the panel's file, or of its whole notebook. */
  private analysis(): DocumentAnalysis {
    return this.notebook ? this.cache.forNotebook(this.notebook) : this.cache.get(this.doc);
  }

  /** The key of the model the webview is sent: the document (or notebook) and the model's id. */
  private key(): string {
    return `${this.sourceUri}#${this.modelId}`;
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
      const [name] = this.modelId.split(/#(?=\d+$)/);
      this.post({
        type: 'refused',
        message: `The model "${name}" is no longer in ${this.notebook ? this.notebook.uri.path.split('/').pop() : this.doc.fileName}.`,
      });
      return;
    }
    this.panel.title = `Activations: ${model.name}`;
    // How the source compiles and fits the model: the preview trains with it.
    const preview = { ...toPreviewModel(model, this.key()), training: readTraining(this.notebook ? this.codeCells(this.notebook) : this.doc.getText(), model) };
    const limit = config.previewMemoryLimitMB();
    const refusal = memoryRefusal(preview, limit);
    if (refusal) this.post({ type: 'refused', message: refusal });
    else this.post({ type: 'model', model: preview, memoryLimitMB: limit });
  }

  /** What the panel shows, for the integration tests: its model, found as the panel finds it, and the highlighted layer. */
  shown(): ShownModel | undefined {
    const model = this.model();
    return model && { ...describeShown(model), selectedLayer: this.selected, key: this.key() };
  }

  /** Highlights a layer in the webview (from a hover link or the editor cursor). */
  select(index: number | null): void {
    this.selected = index;
    if (this.ready) this.post({ type: 'selectLayer', index });
  }

  /**
   * Highlights the layer under the editor's cursor when it belongs to the panel's model: the layer call that
   * contains the cursor, else one starting on the cursor's line, in the cursor's own document (in a notebook, its
   * cell: lines are counted per cell).
   */
  private syncSelection(editor: vscode.TextEditor): void {
    const doc = editor.document;
    const analysis = this.cache.get(doc);
    const pos = editor.selection.active;
    const model = this.model();
    // The models made by the code at the cursor (several where a function or comprehension builds more than one).
    if (!model || !modelsAt(analysis, doc, pos).includes(model)) return;
    const here = model.layers.filter((l) => inDocument(l.range, doc, analysis));
    const layer = here.find((l) => toRange(l.range).contains(pos)) ?? here.find((l) => toRange(l.range).start.line === pos.line);
    this.select(layer ? layer.index : null);
  }

  private async revealLayer(index: number): Promise<void> {
    const layer = this.model()?.layers[index];
    if (!layer) return;
    const target = this.notebook && layer.range.cell !== undefined ? this.notebook.cellAt(layer.range.cell).document : this.doc;
    const range = toRange(layer.range);
    const column = vscode.window.visibleTextEditors.find((e) => e.document === target)?.viewColumn ?? vscode.ViewColumn.One;
    const editor = await vscode.window.showTextDocument(target, { viewColumn: column, selection: range, preserveFocus: false });
    editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  }

  private async pickImage(): Promise<void> {
    const picked = await vscode.window.showOpenDialog({
      canSelectMany: false,
      filters: { Images: ['png', 'jpg', 'jpeg'] },
      defaultUri: vscode.Uri.joinPath(this.notebook?.uri ?? this.doc.uri, '..'),
    });
    if (!picked?.[0]) return;
    const bytes = await vscode.workspace.fs.readFile(picked[0]);
    const mime = /\.png$/i.test(picked[0].path) ? 'image/png' : 'image/jpeg';
    this.post({ type: 'image', name: picked[0].path.split('/').pop() ?? 'image', dataUrl: `data:${mime};base64,${Buffer.from(bytes).toString('base64')}` });
  }

  /**
   * Train on a folder…: the user picks a folder with one subfolder per class (the dialog opens at the folder the
   * source's image_dataset_from_directory("…") names, relative to the source, where there is one and it exists); its
   * images are read here, at most `maxImages` (the webview's limit for the model's input size), and sent in batches.
   */
  private async pickFolder(maxImages: number): Promise<void> {
    const sourceUri = this.notebook?.uri ?? this.doc.uri;
    const beside = vscode.Uri.joinPath(sourceUri, '..');
    const text = this.notebook
      ? this.codeCells(this.notebook)
          .map((c) => c.text)
          .join('\n')
      : this.doc.getText();
    const named = folderInSource(text);
    let defaultUri = beside;
    if (named) {
      const candidate = named.startsWith('/') ? sourceUri.with({ path: named }) : vscode.Uri.joinPath(beside, named);
      try {
        if ((await vscode.workspace.fs.stat(candidate)).type & vscode.FileType.Directory) defaultUri = candidate;
      } catch {
        // Not there: the dialog opens beside the source.
      }
    }
    const picked = await vscode.window.showOpenDialog({
      canSelectFolders: true,
      canSelectFiles: false,
      canSelectMany: false,
      defaultUri,
      openLabel: 'Train on this folder',
    });
    const root = picked?.[0];
    if (!root) return;
    const at = (path: string) => root.with({ path });
    const fs: FolderFs = {
      list: async (path) =>
        (await vscode.workspace.fs.readDirectory(at(path))).map(([name, type]) => ({ name, directory: (type & vscode.FileType.Directory) !== 0 })),
      size: async (path) => (await vscode.workspace.fs.stat(at(path))).size,
      read: async (path) => vscode.workspace.fs.readFile(at(path)),
    };
    const name = `${root.path.replace(/\/+$/, '').split('/').pop() ?? 'folder'}/`;
    try {
      const read = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Window, title: `LayerLens: reading the images of ${vscode.workspace.asRelativePath(root)}` },
        () => readImageFolder(fs, root.path.replace(/\/+$/, ''), maxImages),
      );
      logInfo(
        `preview: read ${read.images.length} of ${read.found} images in ${read.classes.length} classes from ${root.toString()}, ${read.unreadable.length} unreadable`,
      );
      for (const m of folderMessages(name, read)) await this.panel.webview.postMessage(m);
    } catch (e) {
      logError('read image folder', e);
      this.post({ type: 'folderError', message: `The folder ${name} could not be read: ${(e as Error).message}` });
    }
  }

  /** A notebook's Python code cells, as the analysis reads them. */
  private codeCells(nb: vscode.NotebookDocument): CellSource[] {
    return nb
      .getCells()
      .filter((c) => c.kind === vscode.NotebookCellKind.Code && c.document.languageId === 'python')
      .map((c) => ({ index: c.index, text: c.document.getText() }));
  }

  /** The downsampling variants at a pooling layer, analysed by the core from the source with that call replaced. */
  private sendWhatIf(index: number): void {
    const model = this.model();
    const layer = model?.layers[index];
    if (!model || !layer || !isPooling(layer.type)) return;
    const analysis = this.analysis();
    const range = toRange(layer.range);
    const nb = this.notebook;
    const key = this.key();
    const modelIndex = analysis.result.models.indexOf(model);
    let variants;
    if (nb && layer.range.cell !== undefined) {
      const cellDoc = nb.cellAt(layer.range.cell).document;
      const cells = this.codeCells(nb);
      variants = downsamplingVariants(
        model,
        layer,
        { cells, cell: layer.range.cell, from: cellDoc.offsetAt(range.start), to: cellDoc.offsetAt(range.end) },
        key,
        modelIndex,
      );
    } else {
      variants = downsamplingVariants(
        model,
        layer,
        { text: this.doc.getText(), from: this.doc.offsetAt(range.start), to: this.doc.offsetAt(range.end), fileName: this.doc.fileName },
        key,
        modelIndex,
      );
    }
    this.post({ type: 'whatIf', model: key, index, variants });
  }

  private async pickWeights(): Promise<void> {
    const model = this.model();
    if (!model) return;
    const sourceUri = this.notebook?.uri ?? this.doc.uri;
    try {
      // A keras.applications model: Keras' cached files for its architecture are offered too. Keras names the
      // classifier's last layer `predictions` in every architecture, so that row says whether the top is included.
      const pretrained = model.application ? { architecture: model.application, includeTop: model.layers.some((l) => l.name === 'predictions') } : undefined;
      const uri = await pickWeightsFile(this.doc, sourceUri, pretrained);
      if (!uri) return;
      // A large file takes seconds to read and match: say so in the status bar meanwhile.
      const layers = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Window, title: `LayerLens: loading weights from ${vscode.workspace.asRelativePath(uri)}` },
        () => loadWeights(uri, model.layers),
      );
      this.post({ type: 'weights', source: vscode.workspace.asRelativePath(uri), layers });
    } catch (e) {
      const message = e instanceof WeightsError ? e.message : `The weights could not be loaded: ${(e as Error).message}`;
      if (!(e instanceof WeightsError)) logError('load weights', e);
      this.post({ type: 'weightsError', message });
      void vscode.window.showWarningMessage(`LayerLens: ${message}`);
    }
  }

  /**
   * Save weights…: the weights the webview sent, written as a Keras 3 `.weights.h5` where the user chooses (by
   * default `<source stem>.weights.h5` beside the source). Weights that do not fit the model (WeightsError) and a
   * failed write each get an error message, also in the LayerLens output channel.
   */
  private async saveWeights(layers: LayerWeights[]): Promise<void> {
    const model = this.model();
    if (!model) return;
    const sourceUri = this.notebook?.uri ?? this.doc.uri;
    try {
      const uri = await saveWeightsFile(sourceUri, toPreviewModel(model, this.key()), layers);
      if (!uri) return;
      logInfo(`preview: saved the weights of ${model.name} to ${uri.toString()}`);
      void vscode.window.showInformationMessage(`LayerLens: saved the weights of ${model.name} to ${uri.scheme === 'file' ? uri.fsPath : uri.toString()}`);
    } catch (e) {
      const message = e instanceof WeightsError ? e.message : (e as Error).message;
      logError(`save weights of ${model.name}`, e);
      void vscode.window.showErrorMessage(`LayerLens: the weights could not be saved: ${message}`);
    }
  }

  /**
   * A message from the webview (or from a test, through the API); resolves once it is handled and never rejects:
   * a failure goes to the LayerLens output channel.
   */
  async receive(message: unknown): Promise<void> {
    if (!isWebviewMessage(message)) {
      logError(
        'webview message',
        new Error(`dropped a malformed message (${whyMalformed(WebviewMessageSchema, message)}): ${JSON.stringify(message)?.slice(0, 200)}`),
      );
      return;
    }
    try {
      await this.handle(message);
    } catch (e) {
      logError(message.type === 'revealLayer' ? `reveal layer ${message.index} of ${this.key()}` : `webview message ${message.type}`, e);
    }
  }

  /** Whether a message about a layer is about the model the panel shows now (not one it showed before a switch). */
  private about(message: { type: string; model: string; index?: number }): boolean {
    if (message.model === this.key()) return true;
    logInfo(
      `preview: ignored ${message.type}${message.index === undefined ? '' : ` ${message.index}`} for ${message.model}, which the preview no longer shows (it shows ${this.key()})`,
    );
    return false;
  }

  private async handle(message: WebviewMessage): Promise<void> {
    switch (message.type) {
      case 'ready':
        this.ready = true;
        this.sendModel();
        if (this.selected !== null) this.select(this.selected);
        return;
      case 'revealLayer':
        // The document may be gone (closed and deleted): receive() logs the failure.
        if (this.about(message)) await this.revealLayer(message.index);
        return;
      case 'pickImage':
        await this.pickImage();
        return;
      case 'pickFolder':
        await this.pickFolder(message.maxImages);
        return;
      case 'pickWeights':
        await this.pickWeights();
        return;
      case 'resetWeights':
        this.post({ type: 'weights', source: '', layers: [] });
        return;
      case 'whatIf':
        if (this.about(message)) this.sendWhatIf(message.index);
        return;
      case 'saveWeights':
        if (this.about(message)) await this.saveWeights(message.layers);
        return;
      case 'status':
        this.lastStatus = message;
        logInfo(
          `preview: ${message.layersShown} layers on ${message.backend} in ${message.runMs.toFixed(1)} ms${message.notice ? ` (${message.notice})` : ''}`,
        );
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
    const digitsUri = webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'dist', 'mnist.bin.gz')).toString();
    const clothesUri = webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'dist', 'fashion.bin.gz')).toString();
    // tfjs' WASM backend fetches its binary from dist/ (setWasmPaths takes the folder, ending in a slash).
    const wasmUri = `${webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'dist')).toString()}/`;
    return webviewHtml({ cspSource: webview.cspSource, scriptUri, digitsUri, clothesUri, wasmUri, nonce: newNonce() });
  }

  dispose(): void {
    if (ActivationPanel.current === this) ActivationPanel.current = undefined;
    clearTimeout(this.timer);
    for (const d of this.disposables.splice(0)) d.dispose();
    this.panel.dispose();
  }
}
