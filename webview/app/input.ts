/** The model's input from the user's choice (a pattern or their saved drawing), and back to a grey plane for the pad. */
import type { PersistedState } from '../../src/protocol';
import { patternPlane, toChannels, type InputGeometry } from '../tfjs/inputs';

/** A new model's first input: the saved drawing when drawing and it fits, else the chosen pattern (else the digit). */
export function initialInput(ui: PersistedState, g: InputGeometry): Float32Array {
  if (ui.inputKind === 'draw' && ui.drawing && ui.drawing.length === g.height * g.width) return toChannels(Float32Array.from(ui.drawing), g);
  return toChannels(patternPlane(ui.inputKind === 'pattern' ? ui.pattern : 'digit', g.height, g.width), g);
}

/** The input's channels averaged, height × width: what the pad shows, so the receptive field can be drawn over it. */
export function greyPlane(input: Float32Array, g: InputGeometry): Float32Array {
  const grey = new Float32Array(g.height * g.width);
  for (let i = 0; i < grey.length; i++) {
    let s = 0;
    for (let c = 0; c < g.channels; c++) s += input[i * g.channels + c];
    grey[i] = s / g.channels;
  }
  return grey;
}
