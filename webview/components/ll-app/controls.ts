/** The input controls above the maps: the pad, the model's name and backend, weights, input choice and colours. */
import { html, nothing } from 'lit';
import { formatShape } from '../../../src/core/format';
import { COLORMAPS, PATTERNS, type BackendName, type PersistedState, type PreviewModel } from '../../../src/protocol';
import type { PreviewController } from '../../app/controller';
import type { InputGeometry } from '../../tfjs/inputs';

const BACKEND_BUTTONS: Record<BackendName, string> = { webgl: 'WebGL', wasm: 'WASM', cpu: 'CPU' };
const BACKEND_TITLES: Record<BackendName, string> = {
  webgl: 'the WebGL backend (the GPU, or a software renderer)',
  wasm: "tfjs' WebAssembly backend (SIMD, one thread): the fastest to train here without a GPU",
  cpu: "tfjs' plain JavaScript CPU backend",
};

const PATTERN_LABELS: Record<string, string> = {
  'vertical-edges': 'Vertical edges',
  'horizontal-edges': 'Horizontal edges',
  checkerboard: 'Checkerboard',
  digit: 'Digit',
  'digit-shifted': 'Digit, shifted',
  noise: 'Noise',
};

/** `startDrawing`: the Draw button (the app clears the pad as well as telling the controller). */
export function controls(c: PreviewController, g: InputGeometry, model: PreviewModel, startDrawing: () => void) {
  // A keras.applications model names pretrained weights that LayerLens does not download: say so until a file is loaded.
  const weights =
    c.weightsSource ??
    (model.application
      ? `initial (seeded): ${model.application}'s pretrained weights are not downloaded; Load weights… offers the file Keras cached`
      : 'initial (seeded)');
  const backend = c.backend();
  const ui = c.ui;
  return html`<div class="top">
    <ll-pad .rows=${g.height} .cols=${g.width} .field=${c.field} @pad-input=${(e: CustomEvent<Float32Array>) => c.drawn(e.detail)}></ll-pad>
    <div class="controls">
      <div class="row">
        <b>${model.name}</b><span class="muted">input ${formatShape(model.inputShape)}</span
        ><span class="badge" title=${`TensorFlow.js backend${backend.detail ? `: ${backend.detail}` : ''}`}>${backend.name}</span>
        ${backend.choices
          .filter((b) => b !== backend.name)
          .map(
            (b) => html`<button title="Build and run the model on ${BACKEND_TITLES[b]}" @click=${() => c.switchBackend(b)}>Use ${BACKEND_BUTTONS[b]}</button>`,
          )}
      </div>
      ${backend.notice ? html`<div class="notice">${backend.notice}</div>` : nothing}
      <div class="row">
        <span class="muted">Weights: ${weights}</span>
        <button @click=${() => c.pickWeights()}>Load weights…</button>
        ${saveWeightsButton(c)} ${c.weightsSource ? html`<button @click=${() => c.resetWeights()}>Reset</button>` : nothing}
      </div>
      ${weightsResetNote(c)}
      <div class="row">
        <button aria-pressed=${ui.inputKind === 'draw'} @click=${startDrawing}>Draw</button>
        <button @click=${() => c.pickImage()}>Image…</button>
      </div>
      <div class="row">
        ${PATTERNS.map((p) => html`<button aria-pressed=${ui.inputKind === 'pattern' && ui.pattern === p} @click=${() => c.choosePattern(p)}>${PATTERN_LABELS[p]}</button>`)}
      </div>
      <div class="row">
        <label
          >Colours
          <select @change=${(e: Event) => c.save({ colormap: (e.target as HTMLSelectElement).value as PersistedState['colormap'] })}>
            ${COLORMAPS.map((m) => html`<option value=${m} ?selected=${ui.colormap === m}>${m}</option>`)}
          </select></label
        >
        <label
          ><input type="checkbox" .checked=${ui.layerScale} @change=${(e: Event) => c.save({ layerScale: (e.target as HTMLInputElement).checked })} /> one scale
          per layer</label
        >
      </div>
      <div class="muted">Click a unit to outline the input pixels it sees.</div>
    </div>
  </div>`;
}

/** Save weights…: enabled once the model is built, and not while training changes the weights. */
export function saveWeightsButton(c: PreviewController) {
  return html`<button
    class="save-weights"
    ?disabled=${!c.canSaveWeights()}
    title="Write the weights the model runs with now as a Keras 3 .weights.h5 (model.load_weights reads it)"
    @click=${() => c.saveWeights()}
  >
    Save weights…
  </button>`;
}

/** After an edit: the layers whose weights no longer fit start from their initial weights; the others kept theirs. */
export function weightsResetNote(c: PreviewController) {
  const reset = c.weightsReset;
  if (!reset) return nothing;
  return html`<div class="muted weights-reset">
    After the edit, ${reset.join(', ')} ${reset.length === 1 ? 'starts' : 'start'} from initial weights (the name or shapes no longer fit); the other layers
    keep theirs.
  </div>`;
}
