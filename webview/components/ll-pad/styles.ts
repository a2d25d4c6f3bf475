/** The pad: a square of the input's pixels with the receptive-field overlay on top. */
import { css } from 'lit';

export const padStyles = css`
  .pad {
    position: relative;
    width: 196px;
    height: 196px;
    border: 1px solid var(--vscode-panel-border, var(--vscode-contrastBorder, #888));
  }
  canvas {
    position: absolute;
    inset: 0;
    width: 100%;
    height: 100%;
    touch-action: none;
  }
  .overlay {
    pointer-events: none;
  }
`;
