/** Shared styles: VS Code's theme tokens only, so light, dark and high-contrast themes just work. */
import { css } from 'lit';

export const base = css`
  :host {
    font-family: var(--vscode-font-family);
    font-size: var(--vscode-font-size);
    color: var(--vscode-foreground);
  }
  button,
  select {
    font: inherit;
    color: var(--vscode-button-secondaryForeground, var(--vscode-foreground));
    background: var(--vscode-button-secondaryBackground, transparent);
    border: 1px solid var(--vscode-button-border, var(--vscode-contrastBorder, transparent));
    border-radius: 2px;
    padding: 2px 8px;
    cursor: pointer;
  }
  button[aria-pressed='true'] {
    color: var(--vscode-button-foreground);
    background: var(--vscode-button-background);
  }
  button:focus-visible,
  select:focus-visible,
  canvas:focus-visible {
    outline: 1px solid var(--vscode-focusBorder, Highlight);
    outline-offset: 1px;
  }
  .muted {
    color: var(--vscode-descriptionForeground);
  }
  canvas {
    image-rendering: pixelated;
  }
`;
