/** The webview's small, pure UI state, kept across hiding the panel through vscode.setState. */
import type { BackendName, BundledDataset, ColormapName, InputKind, PatternName, PersistedState } from '../src/protocol';
import { BACKENDS, BUNDLED_DATASETS, COLORMAPS, PATTERNS } from '../src/protocol';

export const INITIAL_STATE: PersistedState = {
  inputKind: 'pattern',
  pattern: 'digit',
  drawing: null,
  selectedLayer: null,
  colormap: 'viridis',
  layerScale: false,
  backend: 'webgl',
  dataset: 'digits',
};

/** Restores saved state, ignoring anything that is not what this version writes. */
export function restoreState(saved: unknown): PersistedState {
  const s = (saved && typeof saved === 'object' ? saved : {}) as Partial<PersistedState>;
  const kinds: InputKind[] = ['draw', 'pattern', 'image'];
  return {
    inputKind: kinds.includes(s.inputKind as InputKind) && s.inputKind !== 'image' ? (s.inputKind as InputKind) : INITIAL_STATE.inputKind,
    pattern: PATTERNS.includes(s.pattern as PatternName) ? (s.pattern as PatternName) : INITIAL_STATE.pattern,
    drawing: Array.isArray(s.drawing) && s.drawing.every((v) => typeof v === 'number') ? s.drawing : null,
    selectedLayer: typeof s.selectedLayer === 'number' ? s.selectedLayer : null,
    colormap: COLORMAPS.includes(s.colormap as ColormapName) ? (s.colormap as ColormapName) : INITIAL_STATE.colormap,
    layerScale: s.layerScale === true,
    backend: BACKENDS.includes(s.backend as BackendName) ? (s.backend as BackendName) : INITIAL_STATE.backend,
    dataset: BUNDLED_DATASETS.includes(s.dataset as BundledDataset) ? (s.dataset as BundledDataset) : INITIAL_STATE.dataset,
  };
}
