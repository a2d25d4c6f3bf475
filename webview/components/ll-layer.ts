/**
 * One layer of the preview: a header with its name, type and shape over a grid of all its channels, each a
 * small heatmap normalised per channel (or across the layer). Click a channel to enlarge it; hover a unit
 * to read its value; click a unit to see its receptive field on the input.
 */
import { LitElement, css, html, nothing } from 'lit';
import { formatShape } from '../../src/core/format';
import type { ColormapName, PreviewLayer } from '../../src/protocol';
import { colormapTable, paintChannel } from '../render/colormap';
import type { LayerMap } from '../tfjs/runner';
import { base } from './styles';

/** More channels than this are summarised, so a 512-channel layer does not make 512 canvases. */
const MAX_CHANNELS = 128;

export class LayerElement extends LitElement {
  static properties = {
    layer: { attribute: false },
    map: { attribute: false },
    colormap: {},
    layerScale: { type: Boolean },
    selected: { type: Boolean, reflect: true },
    bars: { type: Boolean },
    comparable: { type: Boolean },
    enlarged: { state: true },
    readout: { state: true },
  };

  static styles = [
    base,
    css`
      :host { display: block; padding: 8px; border-left: 3px solid transparent; }
      :host([selected]) { border-left-color: var(--vscode-focusBorder); background: var(--vscode-list-inactiveSelectionBackground); }
      header { display: flex; flex-wrap: wrap; gap: 4px 8px; align-items: baseline; cursor: pointer; }
      header b { font-family: var(--vscode-editor-font-family); }
      .grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(56px, 1fr)); gap: 3px; margin-top: 6px; }
      .grid canvas { width: 100%; aspect-ratio: 1; cursor: crosshair; border: 1px solid transparent; }
      .grid canvas.strip { aspect-ratio: auto; height: 12px; }
      .grid canvas.on { border-color: var(--vscode-focusBorder); }
      .big canvas { width: min(100%, 320px); aspect-ratio: 1; cursor: crosshair; }
      .bar { display: grid; grid-template-columns: 2em 1fr 4em; gap: 6px; align-items: center; font-family: var(--vscode-editor-font-family); }
      .bar meter { width: 100%; }
      .readout { min-height: 1.4em; font-family: var(--vscode-editor-font-family); }
    `,
  ];

  layer!: PreviewLayer;
  map: LayerMap | null = null;
  colormap: ColormapName = 'viridis';
  layerScale = false;
  selected = false;
  bars = false;
  /** A pooling layer: offers the downsampling comparison. */
  comparable = false;
  private enlarged: number | null = null;
  private readout = '';

  /** (height, width, channels) of the map; 1D maps are one row; vectors one row of one channel. */
  private geometry(): { h: number; w: number; c: number } | null {
    const s = this.map?.shape;
    if (!s) return null;
    if (s.length === 3) return { h: s[0], w: s[1], c: s[2] };
    if (s.length === 2) return { h: 1, w: s[0], c: s[1] };
    if (s.length === 1) return { h: 1, w: s[0], c: 1 };
    return null;
  }

  private range(channel: number): [number, number] {
    const g = this.geometry()!;
    const v = this.map!.values;
    let lo = Infinity;
    let hi = -Infinity;
    const all = this.layerScale;
    for (let i = 0; i < g.h * g.w; i++)
      for (let c = all ? 0 : channel; c < (all ? g.c : channel + 1); c++) {
        const x = v[i * g.c + c];
        if (x < lo) lo = x;
        if (x > hi) hi = x;
      }
    return [lo, hi];
  }

  protected updated(): void {
    const g = this.geometry();
    if (!g || this.bars) return;
    const table = colormapTable(this.colormap);
    for (const canvas of this.renderRoot.querySelectorAll<HTMLCanvasElement>('canvas[data-channel]')) {
      const c = Number(canvas.dataset.channel);
      const ctx = canvas.getContext('2d');
      if (!ctx) continue;
      const img = ctx.createImageData(g.w, g.h);
      const [lo, hi] = this.range(c);
      paintChannel(this.map!.values, g.h * g.w, g.c, c, lo, hi, table, img.data);
      ctx.putImageData(img, 0, 0);
    }
  }

  private unitAt(e: MouseEvent): { x: number; y: number; c: number } {
    const canvas = e.currentTarget as HTMLCanvasElement;
    const g = this.geometry()!;
    const r = canvas.getBoundingClientRect();
    return {
      x: Math.min(g.w - 1, Math.max(0, Math.floor(((e.clientX - r.left) / r.width) * g.w))),
      y: Math.min(g.h - 1, Math.max(0, Math.floor(((e.clientY - r.top) / r.height) * g.h))),
      c: Number(canvas.dataset.channel),
    };
  }

  private hover(e: MouseEvent): void {
    const u = this.unitAt(e);
    const g = this.geometry()!;
    const v = this.map!.values[(u.y * g.w + u.x) * g.c + u.c];
    this.readout = `channel ${u.c}, unit (${u.y}, ${u.x}): ${v.toPrecision(4)}`;
  }

  private clickUnit(e: MouseEvent, enlarge: boolean): void {
    const u = this.unitAt(e);
    if (enlarge) this.enlarged = this.enlarged === u.c ? null : u.c;
    this.dispatchEvent(new CustomEvent('unit-click', { detail: { layer: this.layer.index, y: u.y, x: u.x }, bubbles: true, composed: true }));
  }

  private channelCanvas(c: number, g: { h: number; w: number }, big = false) {
    return html`<canvas
      data-channel=${c}
      class=${`${g.h === 1 && !big ? 'strip' : ''} ${this.enlarged === c && !big ? 'on' : ''}`}
      width=${g.w}
      height=${g.h}
      title=${`channel ${c}`}
      @mousemove=${(e: MouseEvent) => this.hover(e)}
      @click=${(e: MouseEvent) => this.clickUnit(e, !big)}
    ></canvas>`;
  }

  private renderBars() {
    const v = this.map!.values;
    return html`${Array.from(v, (p, i) => html`<div class="bar"><span>${i}</span><meter min="0" max="1" value=${p}></meter><span>${(p * 100).toFixed(1)}%</span></div>`)}`;
  }

  render() {
    const l = this.layer;
    const g = this.geometry();
    const shown = g ? Math.min(g.c, MAX_CHANNELS) : 0;
    const rf = l.receptiveField ? ` · RF ${l.receptiveField.size.map((s) => s ?? '?').join('×')}` : '';
    return html`
      <header @click=${() => this.dispatchEvent(new CustomEvent('layer-select', { detail: l.index, bubbles: true, composed: true }))}>
        <b>${l.name}</b><span>${l.type}</span><span class="muted">${formatShape(l.outputShape)}${rf}</span>
        ${this.comparable
          ? html`<button
              title="Show this layer with max pooling, average pooling and a strided convolution side by side"
              @click=${(e: Event) => {
                e.stopPropagation();
                this.dispatchEvent(new CustomEvent('what-if', { detail: l.index, bubbles: true, composed: true }));
              }}
            >Compare downsampling</button>`
          : nothing}
      </header>
      ${!this.map
        ? html`<div class="muted">Not run.</div>`
        : this.bars
          ? this.renderBars()
          : html`
              ${this.enlarged !== null && g ? html`<div class="big">${this.channelCanvas(this.enlarged, g, true)}</div>` : nothing}
              <div class="grid">${Array.from({ length: shown }, (_, c) => this.channelCanvas(c, g!))}</div>
              ${g && g.c > shown ? html`<div class="muted">${g.c - shown} more channels not shown</div>` : nothing}
            `}
      <div class="readout muted">${this.readout}</div>
    `;
  }
}
customElements.define('ll-layer', LayerElement);
