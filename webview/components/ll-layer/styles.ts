/** A layer's header, its graph links, the grid of channels, the enlarged channel with its unit cursor, and the bars. */
import { css } from 'lit';

export const layerStyles = css`
  :host {
    display: block;
    padding: 8px;
    border-left: 3px solid transparent;
  }
  :host([selected]) {
    border-left-color: var(--vscode-focusBorder);
    background: var(--vscode-list-inactiveSelectionBackground);
  }
  header {
    display: flex;
    flex-wrap: wrap;
    gap: 4px 8px;
    align-items: baseline;
    cursor: pointer;
  }
  header b {
    font-family: var(--vscode-editor-font-family);
  }
  .links {
    display: flex;
    flex-wrap: wrap;
    gap: 2px 12px;
    margin: 2px 0 4px;
  }
  .grid {
    display: grid;
    grid-template-columns: repeat(auto-fill, minmax(56px, 1fr));
    gap: 3px;
    margin-top: 6px;
  }
  .grid canvas {
    width: 100%;
    aspect-ratio: 1;
    cursor: crosshair;
    border: 1px solid transparent;
  }
  .grid canvas.strip {
    aspect-ratio: auto;
    height: 12px;
  }
  .grid canvas.on {
    border-color: var(--vscode-focusBorder);
  }
  header:focus-visible {
    outline: 1px solid var(--vscode-focusBorder, Highlight);
    outline-offset: 1px;
  }
  .big {
    position: relative;
    width: min(100%, 320px);
  }
  .big canvas {
    width: 100%;
    aspect-ratio: 1;
    cursor: crosshair;
    display: block;
  }
  .big .unit {
    position: absolute;
    outline: 2px solid var(--vscode-focusBorder, Highlight);
    outline-offset: -1px;
    pointer-events: none;
  }
  .bar {
    display: grid;
    grid-template-columns: minmax(2em, 7.5em) 1fr 4em;
    gap: 6px;
    align-items: center;
    font-family: var(--vscode-editor-font-family);
  }
  .bar > span:first-child {
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  .bar meter {
    width: 100%;
  }
  .readout {
    min-height: 1.4em;
    font-family: var(--vscode-editor-font-family);
  }
`;
