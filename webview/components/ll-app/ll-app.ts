/**
 * The activation preview: input controls, then every layer's feature maps. It shows the controller's state and
 * hands it the user's actions; the controller holds the model, the runs and what is said to the host.
 */
import { LitElement, html, nothing } from 'lit';
import { formatShape } from '../../../src/core/format';
import { isChain } from '../../../src/core/tfjs/graph';
import type { HostMessage } from '../../../src/protocol';
import { PreviewController, type Host, type TrainingSession } from '../../app/controller';
import type { LayerMap } from '../../tfjs/runner';
import type { PadElement } from '../ll-pad/ll-pad';
import { base } from '../styles';
import { controls, saveWeightsButton, weightsResetNote } from './controls';
import { decodeImage, decodeImageBytes } from './decodeImage';
import { layerTable } from './layerTable';
import { appStyles } from './styles';
import { whatIfBlock } from './whatIf';
import { shiftBlock } from './shift';
import { trainingBlock } from '../ll-train/trainingBlock';
import { loadDigits } from '../../train/digits';
import { FASHION_CLASSES } from '../../train/fit';
import '../ll-layer/ll-layer';
import '../ll-pad/ll-pad';

export class AppElement extends LitElement {
  static styles = [base, appStyles];

  private controller: PreviewController | null = null;

  /** Connects the app to the host (VS Code's webview API) and restores what it showed before it was hidden. */
  start(host: Host): void {
    this.controller = new PreviewController({
      host,
      view: {
        changed: () => this.requestUpdate(),
        showInput: (grey) => this.pad()?.setValues(grey),
        reveal: (index) => this.renderRoot.querySelector(`ll-layer[data-index="${index}"]`)?.scrollIntoView({ block: 'nearest', behavior: 'smooth' }),
      },
      frame: (callback) => requestAnimationFrame(callback),
      painted: async () => {
        await this.updateComplete;
        // The frame's callback runs before it is painted; a task queued from there runs after.
        await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
      },
      decodeImage,
      // The host names the bundled digits' URL on the element (webviewHtml's data-digits).
      loadDigits: () => loadDigits(this.dataset.digits ?? ''),
      // And the Fashion-MNIST subset's (data-clothes).
      loadClothes: () => loadDigits(this.dataset.clothes ?? '', 'the bundled Fashion-MNIST images', FASHION_CLASSES),
      decodeImageBytes,
    });
    this.requestUpdate();
  }

  /** A message from the host, already validated. */
  receive(m: HostMessage): void {
    this.controller?.receive(m);
  }

  /** The backend changed (the user's choice, or the WebGL context was lost): rebuild what it shows on the new one. */
  backendChanged(lost: string | null = null): Promise<void> {
    return this.controller?.backendChanged(lost) ?? Promise.resolve();
  }

  /** The maps on show, by layer index (the browser tests compare them across backends). */
  get maps(): ReadonlyMap<number, LayerMap> {
    return this.controller?.maps ?? new Map();
  }

  /** The controller (the browser tests read its folder state). */
  get preview(): PreviewController | null {
    return this.controller;
  }

  /** Training on the digits (the browser tests read its curves). */
  get training(): TrainingSession | null {
    return this.controller?.training ?? null;
  }

  private pad(): PadElement | null {
    return this.renderRoot.querySelector<PadElement>('ll-pad');
  }

  private startDrawing(c: PreviewController): void {
    c.startDrawing();
    this.pad()?.clear();
  }

  render() {
    const c = this.controller;
    if (!c) return nothing;
    const { model, geometry, message } = c;
    if (message && !model) return html`<div class="message">${message}</div>`;
    if (!model) return html`<div class="muted">Waiting for the model…</div>`;
    if (!geometry)
      return html`<p class="message">Feature maps need a spatial input (height, width, channels); "${model.name}" takes ${formatShape(model.inputShape)}.</p>
        ${message ? html`<div class="message">${message}</div>` : nothing}
        <div class="row">
          <span class="muted">Weights: ${c.weightsSource ?? 'initial (seeded)'}</span>
          ${saveWeightsButton(c)}
        </div>
        ${weightsResetNote(c)} ${trainingBlock(c)} ${layerTable(model)}`;
    const last = model.layers[model.layers.length - 1];
    // Requests about a layer name the model they are about: the host ignores one about a model it no longer shows.
    const key = model.key;
    return html`
      ${
        c.busy
          ? html`<div class="busy" role="status">
              <div class="bar"></div>
              <span class="muted">${c.busy}</span>
            </div>`
          : nothing
      }
      ${controls(c, geometry, model, () => this.startDrawing(c))} ${message ? html`<div class="message">${message}</div>` : nothing} ${trainingBlock(c)}
      ${shiftBlock(c)}
      ${
        c.stopReason
          ? html`<div class="message">
              ${isChain(model.graph) ? 'Maps stop before' : 'No maps for'}
              ${c.stopReason}${isChain(model.graph) ? '' : ', nor for the layers that depend on it'}
            </div>`
          : nothing
      }
      <div
        @what-if=${(e: CustomEvent<number>) => c.requestWhatIf(key, e.detail)}
        @unit-click=${(e: CustomEvent<{ layer: number; y: number; x: number }>) => c.unitClicked(e.detail.layer, e.detail.y, e.detail.x)}
        @layer-select=${(e: CustomEvent<number>) => c.revealLayer(key, e.detail)}
      >
        ${model.layers.map(
          (l) =>
            html`<ll-layer
                data-index=${l.index}
                .layer=${l}
                .map=${c.maps.get(l.index) ?? null}
                .colormap=${c.ui.colormap}
                .layerScale=${c.ui.layerScale}
                .bars=${l === last && (l.activation === 'softmax' || l.activation === 'sigmoid') && (l.outputShape?.length ?? 0) === 2}
                .classNames=${l === last ? c.classNames() : null}
                ?selected=${c.ui.selectedLayer === l.index}
                ?comparable=${l.comparable}
              ></ll-layer>
              ${c.whatIf?.index === l.index ? whatIfBlock(c, c.whatIf) : nothing}`,
        )}
      </div>
    `;
  }

  disconnectedCallback(): void {
    super.disconnectedCallback();
    this.controller?.dispose();
  }
}
customElements.define('ll-app', AppElement);
