/** What the preview's controller is given: the host (VS Code's webview API), the view, and what it needs from the browser. */
import type { BackendName, PersistedState, WebviewMessage } from '../../src/protocol';
import type { InputGeometry } from '../tfjs/inputs';
import type { ModelRunner } from '../tfjs/runner';
import type { Digits } from '../train/digits';

export interface BackendInfo {
  name: string;
  notice: string | null;
  choices: BackendName[];
  /** What the active backend is made of (WASM: SIMD or not, and why one thread), for the badge's tooltip. */
  detail?: string;
  /**
   * The backend training should run on when it is not the active one: WASM where the active backend is tfjs' plain
   * JavaScript or a WebGL drawn in software (both far slower at training here: README, Speed); null to train where
   * the model runs.
   */
  trainOn?: BackendName | null;
  /** WebGL's context is lost (true from the moment it is, before its event): training on it goes on elsewhere. */
  webglLost?: boolean;
}

/** VS Code's side: messages, saved state, and the tfjs backend (main.ts makes it). */
export interface Host {
  post(message: WebviewMessage): void;
  getState(): unknown;
  setState(state: PersistedState): void;
  /** The active backend's name, a notice when it is a fallback or drawn in software, and those that can be chosen. */
  backend(): BackendInfo;
  /** Switches to another backend; resolves once the model is rebuilt on it (the host calls backendChanged()). */
  useBackend(name: BackendName): Promise<void>;
}

/** What the page shows: told when the state changed, and the few things the state alone does not say. */
export interface View {
  /** The state changed: show it again. */
  changed(): void;
  /** A run ended: the input it took, grey (height × width), for the pad. */
  showInput(grey: Float32Array): void;
  /** The host selected this layer: bring it into view. */
  reveal(index: number): void;
}

export interface ControllerDeps {
  host: Host;
  view: View;
  /** Calls `callback` once before the next paint (requestAnimationFrame). */
  frame(callback: () => void): void;
  /** Resolves once the busy line just set is on screen, before a long synchronous step. */
  painted(): Promise<void>;
  /** An image (a data: URL) drawn at the geometry, centre-cropped: its RGBA pixels; null if it cannot be drawn; rejects if it does not decode. */
  decodeImage(dataUrl: string, g: InputGeometry): Promise<Uint8ClampedArray | null>;
  /** Milliseconds, for timing runs (performance.now). */
  now?: () => number;
  /** Makes the runners: the model's and one per what-if variant. */
  createRunner?: () => ModelRunner;
  /** A model of more multiply-accumulates than this runs one layer at a time (LARGE_MODEL_MACS unless given). */
  largeModelMacs?: number;
  /** The bundled MNIST digits (the page fetches dist/mnist.bin.gz), loaded when the user first trains. */
  loadDigits(): Promise<Digits>;
  /** The bundled Fashion-MNIST subset (dist/fashion.bin.gz), loaded when the user first trains on it. */
  loadClothes?(): Promise<Digits>;
  /** A folder's image (its file's bytes) decoded and resized to the geometry: its RGBA pixels; rejects if it does not decode. */
  decodeImageBytes?(bytes: Uint8Array<ArrayBuffer>, mime: string, g: InputGeometry): Promise<Uint8ClampedArray>;
  /** Gives the page a turn between training batches (a zero timer unless given). */
  yieldToPage?: () => Promise<void>;
  /** Trains and validates on fewer digits than all (the tests' small budget). */
  trainingBudget?: { trainSamples: number; validationSamples: number };
}
