/** The preview's layout: the sticky input controls, the busy bar, messages, and the what-if block. */
import { css } from 'lit';

export const appStyles = css`
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
  .training {
    margin: 8px 0;
    padding: 6px;
    border: 1px solid var(--vscode-panel-border, var(--vscode-contrastBorder, transparent));
    display: flex;
    flex-direction: column;
    gap: 4px;
  }
  .training .notes {
    margin: 0;
    padding-left: 18px;
  }
  .training progress {
    width: 100%;
    height: 6px;
    accent-color: var(--vscode-progressBar-background, Highlight);
  }
  .curves {
    display: flex;
    flex-wrap: wrap;
    gap: 12px;
  }
  .curve {
    margin: 0;
  }
  .curve figcaption {
    display: flex;
    flex-wrap: wrap;
    gap: 8px;
  }
  .curve .key.batch::before,
  .curve .key.validation::before,
  .curve .key.epoch::before {
    content: '— ';
  }
  .curve .key.batch::before {
    color: var(--vscode-charts-blue, CanvasText);
  }
  .curve .key.validation::before {
    color: var(--vscode-charts-orange, CanvasText);
  }
  .curve .key.epoch::before {
    content: '● ';
    color: var(--vscode-charts-blue, CanvasText);
  }
  .curve svg .axis {
    stroke: var(--vscode-descriptionForeground, CanvasText);
    stroke-width: 1;
  }
  .curve svg .tick {
    fill: var(--vscode-descriptionForeground, CanvasText);
    font-size: 9px;
  }
  .curve svg path {
    fill: none;
  }
  .curve svg path.batch {
    stroke: var(--vscode-charts-blue, CanvasText);
    stroke-width: 1;
    opacity: 0.7;
  }
  .curve svg path.validation {
    stroke: var(--vscode-charts-orange, CanvasText);
    stroke-width: 1.5;
  }
  .curve svg circle.validation {
    fill: var(--vscode-charts-orange, CanvasText);
  }
  .curve svg circle.epoch {
    fill: var(--vscode-charts-blue, CanvasText);
  }
`;
