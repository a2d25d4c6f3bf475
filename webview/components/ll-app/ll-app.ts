/**
 * The activation preview: input controls, then every layer's feature maps. It holds no truth about the
 * model — it builds and runs what the host sends, and tells the host which layer the user picked.
 */
import { LitElement, css, html, nothing } from 'lit';
import { formatCount, formatField, formatShape } from '../../src/core/format';
import {
  assertNever,
  COLORMAPS,
  PATTERNS,
  type BackendName,
  type DownsamplingVariant,
  type HostMessage,
  type LayerWeights,
  type PersistedState,
  type PreviewModel,
  type WebviewMessage,
} from '../../src/protocol';
import { restoreState } from '../state';
import { centreCrop, fromRgba, inputGeometry, patternPlane, toChannels, type InputGeometry } from '../tfjs/inputs';
import { ModelRunner, type LayerMap } from '../tfjs/runner';
import type { PadElement } from './ll-pad';
import { base } from './styles';
import './ll-layer';
import './ll-pad';

export interface Host {
  post(message: WebviewMessage): void;
  getState(): unknown;
  setState(state: PersistedState): void;
  /** The active backend's name, a notice when it is a fallback or drawn in software, and those that can be chosen. */
  backend(): { name: string; notice: string | null; choices: BackendName[] };
  /** Switches to another backend; the host calls backendChanged() once it is active. */
  useBackend(name: BackendName): Promise<void>;
}

/** A run slower than this is taken to be slow again next time, and gets the progress bar before it starts. */
const SLOW_RUN_MS = 250;

const PATTERN_LABELS: Record<string, string> = {
  'vertical-edges': 'Vertical edges',
  'horizontal-edges': 'Horizontal edges',
  checkerboard: 'Checkerboard',
  digit: 'Digit',
  'digit-shifted': 'Digit, shifted',
  noise: 'Noise',
};

/** The downsampling what-if on show: the pooling layer's index and each variant with its runner and map. */
interface WhatIfState {
  index: number;
  variants: { variant: DownsamplingVariant; runner: ModelRunner; map: LayerMap | null }[];
}

export class AppElement extends LitElement {
  static properties = {
    model: { state: true },
    maps: { state: true },
    message: { state: true },
    ui: { state: true },
    stopReason: { state: true },
    field: { state: true },
    whatIf: { state: true },
    busy: { state: true },
  };
  static styles = [
    base,
    css`
      :host {
        display: block;
        padding: 8px 12px;
      }
      .top {
        display: flex;
        flex-wrap: wrap;
        gap: 16px;
        align-items: flex-start;
        position: sticky;
        top: 0;
        z-index: 1;
        padding: 6px 0;
        background: var(--vscode-editor-background, Canvas);
        border-bottom: 1px solid var(--vscode-panel-border, transparent);
      }
      .controls {
        display: flex;
        flex-direction: column;
        gap: 6px;
      }
      .row {
        display: flex;
        flex-wrap: wrap;
        gap: 4px;
        align-items: center;
      }
      .badge {
        font-family: var(--vscode-editor-font-family);
        padding: 1px 6px;
        border-radius: 8px;
        background: var(--vscode-badge-background);
        color: var(--vscode-badge-foreground);
      }
      .notice {
        color: var(--vscode-editorWarning-foreground);
      }
      .message {
        padding: 8px;
        border: 1px solid var(--vscode-inputValidation-warningBorder, var(--vscode-contrastBorder));
      }
      .busy {
        position: sticky;
        top: 0;
        z-index: 2;
        padding: 2px 0 4px;
        background: var(--vscode-editor-background, Canvas);
      }
      .busy .bar {
        height: 2px;
        overflow: hidden;
        position: relative;
      }
      .busy .bar::before {
        content: '';
        position: absolute;
        inset: 0 auto 0 0;
        width: 30%;
        background: var(--vscode-progressBar-background, Highlight);
        animation: slide 1.2s linear infinite;
      }
      @keyframes slide {
        from {
          left: -30%;
        }
        to {
          left: 100%;
        }
      }
      @media (prefers-reduced-motion: reduce) {
        .busy .bar::before {
          animation: none;
          width: 100%;
        }
      }
      table {
        border-collapse: collapse;
      }
      .whatif {
        margin: 4px 0 12px 12px;
        padding: 6px;
        border: 1px dashed var(--vscode-focusBorder);
      }
      .variants {
        display: grid;
        grid-template-columns: repeat(auto-fit, minmax(240px, 1fr));
        gap: 8px;
      }
      .variant code {
        font-family: var(--vscode-editor-font-family);
        font-size: 0.9em;
        word-break: break-all;
      }
      td,
      th {
        padding: 2px 8px;
        text-align: left;
        border-bottom: 1px solid var(--vscode-panel-border, transparent);
      }
    `,
  ];

  host!: Host;
  private model: PreviewModel | null = null;
  private maps = new Map<number, LayerMap>();
  private message: string | null = null;
  private stopReason: string | null = null;
  private ui: PersistedState = restoreState(undefined);
  private field: [number, number, number, number] | null = null;
  private runner = new ModelRunner();
  private input: Float32Array | null = null;
  private geometry: InputGeometry | null = null;
  private weights: LayerWeights[] | null = null;
  /** Where the loaded weights came from; null while the seeded initial weights are used. */
  private weightsSource: string | null = null;
  /** The weights before the last load, to go back to when a file does not fit the model. */
  private previousWeights: { weights: LayerWeights[] | null; source: string | null } = { weights: null, source: null };
  /** A run is waiting for its animation frame: inputs arriving meanwhile are taken by that run. */
  private runPending = false;
  /** A run one layer at a time is under way (runInSteps); `rerun`: an input arrived meanwhile. */
  private runningInSteps = false;
  private rerun = false;
  /** The pad's latest drawing, not yet taken as the input. */
  private pendingDrawing: Float32Array | null = null;
  /** What the app is building or running, shown with a progress bar; building and running a large model take seconds. */
  private busy: string | null = null;
  /** How long the last run took; null before the first run of a model (it compiles the WebGL shaders). */
  private lastRunMs: number | null = null;
  /** Counts models, so that a build waiting for its progress bar to show gives way to a newer model. */
  private generation = 0;
  /** The generation the runner was built for: a run waits until it is the current one. */
  private builtGeneration = 0;
  /** The downsampling comparison shown under a pooling layer, each variant with its own runner. */
  private whatIf: WhatIfState | null = null;

  /** Connects the app to the host (VS Code's webview API) and restores what it showed before it was hidden. */
  start(host: Host): void {
    this.host = host;
    this.ui = restoreState(host.getState());
    this.requestUpdate();
  }

  private save(patch: Partial<PersistedState>): void {
    this.ui = { ...this.ui, ...patch };
    this.host.setState(this.ui);
  }

  /** A message from the host, already validated. */
  receive(m: HostMessage): void {
    switch (m.type) {
      case 'model':
        this.message = null;
        void this.setModel(m.model);
        return;
      case 'refused':
        this.runner.dispose();
        this.model = null;
        this.maps = new Map();
        this.message = m.message;
        return;
      case 'selectLayer':
        this.save({ selectedLayer: m.index });
        if (m.index !== null) this.renderRoot.querySelector(`ll-layer[data-index="${m.index}"]`)?.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
        return;
      case 'weights':
        this.previousWeights = { weights: this.weights, source: this.weightsSource };
        this.weights = m.layers.length ? m.layers : null;
        this.weightsSource = m.layers.length ? m.source : null;
        this.message = null;
        if (this.model) void this.setModel(this.model);
        return;
      case 'weightsError':
        this.message = m.message;
        return;
      case 'image':
        this.loadImage(m.dataUrl);
        return;
      case 'whatIf':
        // A comparison asked for under a model that has since been replaced is not this model's.
        if (m.model === this.model?.key) void this.openWhatIf(m);
        return;
      default:
        // Every message type is handled above: one more in the protocol makes this fail to compile.
        assertNever(m);
    }
  }

  /** Builds one runner per downsampling variant (three more models: for a large one, seconds), then runs them. */
  private async openWhatIf(m: Extract<HostMessage, { type: 'whatIf' }>): Promise<void> {
    const generation = this.generation;
    this.closeWhatIf();
    await this.showBusy('Building the downsampling comparison…');
    if (generation !== this.generation) return;
    const variants: NonNullable<AppElement['whatIf']>['variants'] = [];
    try {
      for (const variant of m.variants) {
        const runner = new ModelRunner();
        variants.push({ variant, runner, map: null });
        runner.build(variant.model);
      }
      this.whatIf = { index: m.index, variants };
    } catch (e) {
      for (const v of variants) v.runner.dispose();
      this.busy = null;
      this.message = `Building the comparison failed: ${(e as Error).message}`;
      return;
    }
    this.schedule();
  }

  private switchBackend(name: BackendName): void {
    this.save({ backend: name });
    void this.host.useBackend(name);
  }

  /** The backend changed (the user's choice, or the WebGL context was lost): rebuild what it shows on the new one. */
  backendChanged(): void {
    if (this.model) void this.setModel(this.model);
    else this.requestUpdate();
  }

  private closeWhatIf(): void {
    for (const v of this.whatIf?.variants ?? []) v.runner.dispose();
    this.whatIf = null;
  }

  /** Shows `what` with the progress bar and resolves once that is painted, before a long synchronous step. */
  private async showBusy(what: string): Promise<void> {
    this.busy = what;
    await this.updateComplete;
    // The frame's callback runs before it is painted; a task queued from there runs after.
    await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
  }

  /** Builds the runner with the loaded weights; weights that do not fit give way to those it had, then to none. */
  private build(model: PreviewModel): void {
    try {
      this.stopReason = this.runner.build(model, this.weights).stopReason;
    } catch (e) {
      // Weights that do not fit: say which layer, and keep showing the model with the weights it had.
      this.message = (e as Error).message;
      this.weights = this.previousWeights.weights;
      this.weightsSource = this.previousWeights.source;
      try {
        this.stopReason = this.runner.build(model, this.weights).stopReason;
      } catch {
        this.weights = null;
        this.weightsSource = null;
        this.stopReason = this.runner.build(model).stopReason;
      }
    }
  }

  private async setModel(model: PreviewModel): Promise<void> {
    const generation = ++this.generation;
    this.closeWhatIf();
    this.model = model;
    this.geometry = inputGeometry(model.inputShape);
    this.maps = new Map();
    this.stopReason = null;
    this.lastRunMs = null;
    if (!this.geometry) {
      this.busy = null;
      return;
    }
    await this.showBusy(`Building ${model.name} (${formatCount(model.totalParams)} parameters)…`);
    if (generation !== this.generation) return;
    try {
      this.build(model);
    } catch (e) {
      this.busy = null;
      this.message = `Building the model failed: ${(e as Error).message}`;
      this.host.post({ type: 'error', message: `building the model failed: ${(e as Error).message}` });
      return;
    }
    this.builtGeneration = generation;
    if (!this.input || this.input.length !== this.geometry.height * this.geometry.width * this.geometry.channels) this.input = this.initialInput(this.geometry);
    this.schedule();
  }

  private initialInput(g: InputGeometry): Float32Array {
    if (this.ui.inputKind === 'draw' && this.ui.drawing && this.ui.drawing.length === g.height * g.width)
      return toChannels(Float32Array.from(this.ui.drawing), g);
    return toChannels(patternPlane(this.ui.inputKind === 'pattern' ? this.ui.pattern : 'digit', g.height, g.width), g);
  }

  /**
   * Runs at most once per animation frame however fast inputs arrive. A run expected to take more than a
   * moment (a model's first, or one after a slow run) shows the progress bar first.
   */
  private schedule(): void {
    if (this.runPending) return;
    this.runPending = true;
    requestAnimationFrame(async () => {
      // A run one layer at a time is under way: the input that changed meanwhile is run when it ends.
      if (this.runningInSteps) {
        this.runPending = false;
        this.rerun = true;
        return;
      }
      const slow = this.lastRunMs === null || this.lastRunMs > SLOW_RUN_MS;
      if (slow) await this.showBusy(`Running ${this.model?.name ?? 'the model'}…`);
      this.runPending = false;
      // A newer model arrived while this run waited: its build schedules the run once the runner is ready.
      if (this.builtGeneration !== this.generation) return;
      this.takeDrawing();
      if (slow) await this.runInSteps();
      else this.run();
      this.busy = null;
    });
  }

  /** One whole run: every map at once (a model that runs in a moment, as while drawing). */
  private run(): void {
    const g = this.geometry;
    if (!g || !this.input || !this.model) return;
    const t0 = performance.now();
    try {
      const maps = this.runner.run(this.input, [g.height, g.width, g.channels]);
      this.maps = new Map(maps.map((m) => [m.index, m]));
      this.runWhatIf(g);
    } catch (e) {
      this.runFailed(e as Error);
      return;
    }
    this.ran(performance.now() - t0);
  }

  /**
   * A slow run (a model's first, or a large model's): one layer at a time, each layer's maps shown as soon as they
   * are read back, the page responsive meanwhile. A new model cancels it; a new input waits for it to end.
   */
  private async runInSteps(): Promise<void> {
    const g = this.geometry;
    if (!g || !this.input || !this.model) return;
    const generation = this.generation;
    const t0 = performance.now();
    this.runningInSteps = true;
    try {
      const done = await this.runner.runProgressive(
        this.input,
        [g.height, g.width, g.channels],
        (m) => {
          if (generation === this.generation) this.maps = new Map(this.maps).set(m.index, m);
        },
        () => generation !== this.generation,
      );
      if (!done) return;
      this.runWhatIf(g);
      this.ran(performance.now() - t0);
    } catch (e) {
      this.runFailed(e as Error);
    } finally {
      this.runningInSteps = false;
      if (this.rerun) {
        this.rerun = false;
        this.schedule();
      }
    }
  }

  private runWhatIf(g: InputGeometry): void {
    if (!this.whatIf || !this.input) return;
    const index = this.whatIf.index;
    for (const v of this.whatIf.variants) v.map = v.runner.run(this.input, [g.height, g.width, g.channels]).find((m) => m.index === index) ?? null;
    this.whatIf = { ...this.whatIf };
  }

  private runFailed(e: Error): void {
    this.host.post({ type: 'error', message: `running the model failed: ${e.message}` });
    this.message = `Running the model failed: ${e.message}`;
  }

  /** A run ended: how long it took, told to the host, and the input shown on the pad. */
  private ran(ms: number): void {
    this.lastRunMs = ms;
    const backend = this.host.backend();
    this.host.post({ type: 'status', backend: backend.name, layersShown: this.maps.size, runMs: ms, notice: backend.notice });
    this.showInput();
  }

  /** Puts the current input on the pad (grey), so the receptive field can be drawn over it. */
  private showInput(): void {
    const pad = this.renderRoot.querySelector<PadElement>('ll-pad');
    const g = this.geometry;
    if (!pad || !g || !this.input) return;
    const grey = new Float32Array(g.height * g.width);
    for (let i = 0; i < grey.length; i++) {
      let s = 0;
      for (let c = 0; c < g.channels; c++) s += this.input[i * g.channels + c];
      grey[i] = s / g.channels;
    }
    pad.setValues(grey);
  }

  private choosePattern(pattern: PersistedState['pattern']): void {
    this.save({ inputKind: 'pattern', pattern });
    this.pendingDrawing = null;
    this.field = null;
    if (this.geometry) this.input = toChannels(patternPlane(pattern, this.geometry.height, this.geometry.width), this.geometry);
    this.schedule();
  }

  private startDrawing(): void {
    this.save({ inputKind: 'draw' });
    this.renderRoot.querySelector<PadElement>('ll-pad')?.clear();
  }

  /** The pad sends a stroke's every move; they are taken once per frame, when the model runs. */
  private drawn(values: Float32Array): void {
    if (!this.geometry) return;
    this.pendingDrawing = values;
    this.schedule();
  }

  /** Makes the latest drawing the input and saves it (one state update and one re-render per frame, not per move). */
  private takeDrawing(): void {
    const values = this.pendingDrawing;
    this.pendingDrawing = null;
    if (!values || !this.geometry || values.length !== this.geometry.height * this.geometry.width) return;
    this.save({ inputKind: 'draw', drawing: Array.from(values) });
    this.input = toChannels(values, this.geometry);
  }

  private loadImage(dataUrl: string): void {
    const g = this.geometry;
    if (!g) return;
    const img = new Image();
    img.onload = () => {
      const canvas = document.createElement('canvas');
      canvas.width = g.width;
      canvas.height = g.height;
      const ctx = canvas.getContext('2d');
      if (!ctx) return;
      const crop = centreCrop(img.naturalWidth, img.naturalHeight, g.width, g.height);
      ctx.drawImage(img, crop.x, crop.y, crop.w, crop.h, 0, 0, g.width, g.height);
      this.input = fromRgba(ctx.getImageData(0, 0, g.width, g.height).data, g);
      this.pendingDrawing = null;
      this.save({ inputKind: 'image' });
      this.message = null;
      this.schedule();
    };
    img.onerror = () => {
      this.message = 'That image could not be decoded. Choose a PNG or JPEG file.';
      this.host.post({ type: 'error', message: 'an image did not decode' });
    };
    img.src = dataUrl;
  }

  /** A click on a unit: outline its receptive field on the input, from the core's size, jump and offset. */
  private unitClicked(e: CustomEvent<{ layer: number; y: number; x: number }>): void {
    const layer = this.model?.layers[e.detail.layer];
    const rf = layer?.receptiveField;
    if (!rf || rf.size.length !== 2 || rf.size.some((s) => s === null) || rf.offset.some((o) => o === null)) {
      this.field = null;
      return;
    }
    const [sh, sw] = rf.size as number[];
    const [jh, jw] = rf.jump as number[];
    const [oh, ow] = rf.offset as number[];
    this.field = [oh + e.detail.y * jh, ow + e.detail.x * jw, sh, sw];
  }

  private renderControls(g: InputGeometry, model: PreviewModel) {
    const backend = this.host.backend();
    return html`<div class="top">
      <ll-pad .rows=${g.height} .cols=${g.width} .field=${this.field} @pad-input=${(e: CustomEvent<Float32Array>) => this.drawn(e.detail)}></ll-pad>
      <div class="controls">
        <div class="row">
          <b>${model.name}</b><span class="muted">input ${formatShape(model.inputShape)}</span
          ><span class="badge" title="TensorFlow.js backend">${backend.name}</span>
          ${backend.choices
            .filter((b) => b !== backend.name)
            .map(
              (b) =>
                html`<button title="Build and run the model on the ${b === 'cpu' ? 'CPU' : 'WebGL'} backend" @click=${() => this.switchBackend(b)}>
                  Use ${b === 'cpu' ? 'CPU' : 'WebGL'}
                </button>`,
            )}
        </div>
        ${backend.notice ? html`<div class="notice">${backend.notice}</div>` : nothing}
        <div class="row">
          <span class="muted">Weights: ${this.weightsSource ?? 'initial (seeded)'}</span>
          <button @click=${() => this.host.post({ type: 'pickWeights' })}>Load weights…</button>
          ${this.weightsSource ? html`<button @click=${() => this.host.post({ type: 'resetWeights' })}>Reset</button>` : nothing}
        </div>
        <div class="row">
          <button aria-pressed=${this.ui.inputKind === 'draw'} @click=${() => this.startDrawing()}>Draw</button>
          <button @click=${() => this.host.post({ type: 'pickImage' })}>Image…</button>
        </div>
        <div class="row">
          ${PATTERNS.map((p) => html`<button aria-pressed=${this.ui.inputKind === 'pattern' && this.ui.pattern === p} @click=${() => this.choosePattern(p)}>${PATTERN_LABELS[p]}</button>`)}
        </div>
        <div class="row">
          <label
            >Colours
            <select @change=${(e: Event) => this.save({ colormap: (e.target as HTMLSelectElement).value as PersistedState['colormap'] })}>
              ${COLORMAPS.map((c) => html`<option value=${c} ?selected=${this.ui.colormap === c}>${c}</option>`)}
            </select></label
          >
          <label
            ><input type="checkbox" .checked=${this.ui.layerScale} @change=${(e: Event) => this.save({ layerScale: (e.target as HTMLInputElement).checked })} />
            one scale per layer</label
          >
        </div>
        <div class="muted">Click a unit to outline the input pixels it sees.</div>
      </div>
    </div>`;
  }

  private renderTable(model: PreviewModel) {
    return html`<table>
      <tr>
        <th>Layer</th>
        <th>Output shape</th>
        <th>Params</th>
      </tr>
      ${model.layers.map(
        (l) =>
          html`<tr>
            <td>${l.name} (${l.type})</td>
            <td>${formatShape(l.outputShape)}</td>
            <td>${formatCount(l.params)}</td>
          </tr>`,
      )}
    </table>`;
  }

  /** Max pooling, average pooling and a strided convolution at one layer, side by side, with the core's numbers. */
  private renderWhatIf(w: WhatIfState) {
    return html`<div class="whatif">
      <div class="row">
        <b>Downsampling at this layer</b><span class="muted">your source is not changed</span><button @click=${() => this.closeWhatIf()}>Close</button>
      </div>
      <div class="variants">
        ${w.variants.map(({ variant, map }) => {
          const layer = variant.model.layers[w.index];
          return html`<div class="variant">
            <div><b>${variant.label}</b></div>
            <code>${variant.code}</code>
            <div class="muted">
              ${formatShape(layer?.outputShape ?? null)} · ${formatCount(layer?.params ?? null)} params here · ${formatCount(variant.model.totalParams)} in the
              model · deepest RF ${formatField(variant.model.deepestField)}
            </div>
            ${layer ? html`<ll-layer .layer=${layer} .map=${map} .colormap=${this.ui.colormap} .layerScale=${this.ui.layerScale}></ll-layer>` : nothing}
          </div>`;
        })}
      </div>
    </div>`;
  }

  render() {
    if (!this.host) return nothing;
    if (this.message && !this.model) return html`<div class="message">${this.message}</div>`;
    if (!this.model) return html`<div class="muted">Waiting for the model…</div>`;
    if (!this.geometry)
      return html`<p class="message">
          Feature maps need a spatial input (height, width, channels); "${this.model.name}" takes ${formatShape(this.model.inputShape)}.
        </p>
        ${this.renderTable(this.model)}`;
    const last = this.model.layers[this.model.layers.length - 1];
    // Requests about a layer name the model they are about: the host ignores one about a model it no longer shows.
    const key = this.model.key;
    return html`
      ${
        this.busy
          ? html`<div class="busy" role="status">
              <div class="bar"></div>
              <span class="muted">${this.busy}</span>
            </div>`
          : nothing
      }
      ${this.renderControls(this.geometry, this.model)} ${this.message ? html`<div class="message">${this.message}</div>` : nothing}
      ${
        this.stopReason
          ? html`<div class="message">
              ${this.model.graph ? 'No maps for' : 'Maps stop before'} ${this.stopReason}${this.model.graph ? ', nor for the layers that depend on it' : ''}
            </div>`
          : nothing
      }
      <div
        @what-if=${(e: CustomEvent<number>) => this.host.post({ type: 'whatIf', model: key, index: e.detail })}
        @unit-click=${(e: CustomEvent) => this.unitClicked(e)}
        @layer-select=${(e: CustomEvent<number>) => this.host.post({ type: 'revealLayer', model: key, index: e.detail })}
      >
        ${this.model.layers.map(
          (l) =>
            html`<ll-layer
                data-index=${l.index}
                .layer=${l}
                .map=${this.maps.get(l.index) ?? null}
                .colormap=${this.ui.colormap}
                .layerScale=${this.ui.layerScale}
                .bars=${l === last && (l.activation === 'softmax' || l.activation === 'sigmoid') && (l.outputShape?.length ?? 0) === 2}
                ?selected=${this.ui.selectedLayer === l.index}
                ?comparable=${l.comparable}
              ></ll-layer>
              ${this.whatIf?.index === l.index ? this.renderWhatIf(this.whatIf) : nothing}`,
        )}
      </div>
    `;
  }

  disconnectedCallback(): void {
    super.disconnectedCallback();
    this.closeWhatIf();
    this.runner.dispose();
  }
}
customElements.define('ll-app', AppElement);
