/** The first convolution's filters as small images (each averaged over its input channels, scaled to its own range). */
import { LitElement, css, html } from 'lit';
import type { ColormapName } from '../../../src/protocol';
import { colormapTable, paintChannel } from '../../render/colormap';

/** More filters than this are not drawn (a first convolution rarely has more). */
const MAX_FILTERS = 64;

export class KernelsElement extends LitElement {
  static properties = { kernel: { attribute: false }, colormap: {} };
  static styles = css`
    div {
      display: flex;
      flex-wrap: wrap;
      gap: 3px;
    }
    canvas {
      image-rendering: pixelated;
    }
  `;

  kernel: { shape: number[]; values: Float32Array } | null = null;
  colormap: ColormapName = 'viridis';

  render() {
    const k = this.kernel;
    if (!k || k.shape.length !== 4) return html``;
    const count = Math.min(k.shape[3], MAX_FILTERS);
    return html`<div>${Array.from({ length: count }, (_, f) => html`<canvas data-filter=${f} width=${k.shape[1]} height=${k.shape[0]}></canvas>`)}</div>`;
  }

  updated(): void {
    const k = this.kernel;
    if (!k || k.shape.length !== 4) return;
    const [h, w, cin, cout] = k.shape;
    const table = colormapTable(this.colormap);
    for (const canvas of this.renderRoot.querySelectorAll<HTMLCanvasElement>('canvas[data-filter]')) {
      const f = Number(canvas.dataset.filter);
      // Sized through the CSSOM: the webview's CSP blocks style="" attributes.
      Object.assign(canvas.style, { width: `${w * 8}px`, height: `${h * 8}px` });
      const plane = new Float32Array(h * w);
      for (let i = 0; i < h * w; i++) {
        let sum = 0;
        for (let c = 0; c < cin; c++) sum += k.values[(i * cin + c) * cout + f];
        plane[i] = sum / cin;
      }
      let lo = Infinity;
      let hi = -Infinity;
      for (const v of plane) {
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
      const img = new ImageData(w, h);
      paintChannel(plane, h * w, 1, 0, lo, hi, table, img.data);
      canvas.getContext('2d')?.putImageData(img, 0, 0);
    }
  }
}
customElements.define('ll-kernels', KernelsElement);
