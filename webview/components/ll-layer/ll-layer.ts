/**
 * One layer of the preview: a header with its name, type and shape over a grid of all its channels, each a
 * small heatmap normalised per channel (or across the layer). Click a channel to enlarge it; hover a unit
 * to read its value; click a unit to see its receptive field on the input.
 *
 * By keyboard, as in VS Code's lists: the header is a button (Enter reveals the layer's line); the grid is one
 * tab stop whose arrow keys, Home and End move between channels, Enter or Space enlarges one; in the enlarged
 * channel the arrow keys move a unit cursor (value and receptive field follow) and Escape goes back to the grid.
 */
import { LitElement, html, nothing } from 'lit';
import { formatField, formatShape } from '../../../src/core/format';
import type { ColormapName, PreviewLayer } from '../../../src/protocol';
import { colormapTable, paintChannel } from '../../render/colormap';
import type { LayerMap } from '../../tfjs/runner';
import { base } from '../styles';
import { mapGeometry, valueRange, type MapGeometry } from './geometry';
import { layerStyles } from './styles';

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
    classNames: { attribute: false },
    comparable: { type: Boolean },
    enlarged: { state: true },
    readout: { state: true },
    focusChannel: { state: true },
    cursor: { state: true },
  };

  static styles = [base, layerStyles];

  layer!: PreviewLayer;
  map: LayerMap | null = null;
  colormap: ColormapName = 'viridis';
  layerScale = false;
  selected = false;
  bars = false;
  /** The classes' names for the bars (the dataset Train uses: Fashion-MNIST's, a folder's); their index where null. */
  classNames: string[] | null = null;
  /** A pooling layer: offers the downsampling comparison. */
  comparable = false;
  private enlarged: number | null = null;
  private readout = '';
  /** The grid's one tab stop (a roving tabindex). */
  private focusChannel = 0;
  /** The unit the keyboard cursor is on in the enlarged channel. */
  private cursor: { y: number; x: number } | null = null;
  /** Whether the layer is on screen: off screen its canvases are painted when it scrolls in, not on every run. */
  private onScreen = true;
  private unpainted = false;
  /** The pixels one channel is drawn into before it is put on its canvas, kept from run to run. */
  private pixels: ImageData | null = null;
  private observer: IntersectionObserver | null = null;

  connectedCallback(): void {
    super.connectedCallback();
    this.observer = new IntersectionObserver((entries) => {
      this.onScreen = entries[entries.length - 1].isIntersecting;
      if (this.onScreen && this.unpainted) this.paint();
    });
    this.observer.observe(this);
  }

  disconnectedCallback(): void {
    super.disconnectedCallback();
    this.observer?.disconnect();
    this.observer = null;
  }

  private geometry(): MapGeometry | null {
    return mapGeometry(this.map?.shape);
  }

  private range(channel: number): [number, number] {
    const g = this.geometry();
    const v = this.map?.values;
    if (!g || !v) return [0, 1];
    return valueRange(v, g, channel, this.layerScale);
  }

  protected updated(): void {
    this.paint();
  }

  private paint(): void {
    const g = this.geometry();
    const values = this.map?.values;
    if (!g || !values || this.bars) return;
    this.unpainted = !this.onScreen;
    if (this.unpainted) return;
    // Placed through the CSSOM: the CSP blocks style="" attributes (and Lit's styleMap writes one at first).
    const unit = this.renderRoot.querySelector<HTMLElement>('.big .unit');
    if (unit && this.cursor)
      Object.assign(unit.style, {
        left: `${(this.cursor.x / g.w) * 100}%`,
        top: `${(this.cursor.y / g.h) * 100}%`,
        width: `${100 / g.w}%`,
        height: `${100 / g.h}%`,
      });
    const table = colormapTable(this.colormap);
    if (this.pixels?.width !== g.w || this.pixels.height !== g.h) this.pixels = new ImageData(g.w, g.h);
    const img = this.pixels;
    for (const canvas of this.renderRoot.querySelectorAll<HTMLCanvasElement>('canvas[data-channel]')) {
      const c = Number(canvas.dataset.channel);
      // A canvas kept in memory, not on the GPU: a map is a few hundred pixels, written whole on every run, and
      // uploading each of a layer's 64 canvases to the GPU costs more than drawing it.
      const ctx = canvas.getContext('2d', { willReadFrequently: true });
      if (!ctx) continue;
      const [lo, hi] = this.range(c);
      paintChannel(values, g.h * g.w, g.c, c, lo, hi, table, img.data);
      ctx.putImageData(img, 0, 0);
    }
  }

  private unitAt(e: MouseEvent): { x: number; y: number; c: number } {
    const canvas = e.currentTarget as HTMLCanvasElement;
    const g = this.geometry() ?? { h: 1, w: 1, c: 1 };
    const r = canvas.getBoundingClientRect();
    return {
      x: Math.min(g.w - 1, Math.max(0, Math.floor(((e.clientX - r.left) / r.width) * g.w))),
      y: Math.min(g.h - 1, Math.max(0, Math.floor(((e.clientY - r.top) / r.height) * g.h))),
      c: Number(canvas.dataset.channel),
    };
  }

  private showValue(u: { x: number; y: number; c: number }): void {
    const g = this.geometry();
    const values = this.map?.values;
    if (!g || !values) return;
    const v = values[(u.y * g.w + u.x) * g.c + u.c];
    this.readout = `channel ${u.c}, unit (${u.y}, ${u.x}): ${v.toPrecision(4)}`;
  }

  private pickUnit(u: { x: number; y: number }): void {
    this.dispatchEvent(new CustomEvent('unit-click', { detail: { layer: this.layer.index, y: u.y, x: u.x }, bubbles: true, composed: true }));
  }

  private clickUnit(e: MouseEvent, enlarge: boolean): void {
    const u = this.unitAt(e);
    if (enlarge) this.toggleEnlarged(u.c);
    this.pickUnit(u);
  }

  private toggleEnlarged(c: number): void {
    this.enlarged = this.enlarged === c ? null : c;
    this.focusChannel = c;
    this.cursor = null;
  }

  private async focusCanvas(selector: string): Promise<void> {
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLCanvasElement>(selector)?.focus();
  }

  /** Arrow keys, Home and End move between channels (Up and Down by a row of the grid); Enter or Space enlarges. */
  private gridKey(e: KeyboardEvent, c: number): void {
    const g = this.geometry();
    if (!g) return;
    const last = Math.min(g.c, MAX_CHANNELS) - 1;
    const grid = this.renderRoot.querySelector<HTMLElement>('.grid');
    const columns = grid ? Math.max(1, getComputedStyle(grid).gridTemplateColumns.split(' ').length) : 1;
    const moves: Record<string, number> = { ArrowLeft: c - 1, ArrowRight: c + 1, ArrowUp: c - columns, ArrowDown: c + columns, Home: 0, End: last };
    if (e.key in moves) {
      e.preventDefault();
      this.focusChannel = Math.max(0, Math.min(last, moves[e.key]));
      void this.focusCanvas(`.grid canvas[data-channel="${this.focusChannel}"]`);
    } else if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      this.toggleEnlarged(c);
      if (this.enlarged !== null) void this.focusCanvas('.big canvas');
    }
  }

  /** Arrow keys move the unit cursor, starting at the centre; Enter picks the unit again; Escape closes. */
  private bigKey(e: KeyboardEvent, c: number): void {
    const g = this.geometry();
    if (!g) return;
    if (e.key === 'Escape') {
      e.preventDefault();
      this.toggleEnlarged(c);
      void this.focusCanvas(`.grid canvas[data-channel="${c}"]`);
      return;
    }
    const at = this.cursor ?? { y: g.h >> 1, x: g.w >> 1 };
    const moves: Record<string, [number, number]> = { ArrowLeft: [0, -1], ArrowRight: [0, 1], ArrowUp: [-1, 0], ArrowDown: [1, 0], Enter: [0, 0], ' ': [0, 0] };
    const move = moves[e.key];
    if (!move) return;
    e.preventDefault();
    const [dy, dx] = this.cursor ? move : [0, 0]; // the first key puts the cursor on the centre unit
    const next = { y: Math.max(0, Math.min(g.h - 1, at.y + dy)), x: Math.max(0, Math.min(g.w - 1, at.x + dx)) };
    this.cursor = next;
    this.showValue({ ...next, c });
    this.pickUnit(next);
  }

  private channelCanvas(c: number, g: { h: number; w: number }, big = false) {
    return html`<canvas
      data-channel=${c}
      class=${`${g.h === 1 && !big ? 'strip' : ''} ${this.enlarged === c && !big ? 'on' : ''}`}
      width=${g.w}
      height=${g.h}
      title=${`channel ${c}`}
      tabindex=${big || c === this.focusChannel ? 0 : -1}
      role=${big ? 'application' : 'button'}
      aria-label=${big ? `channel ${c} of ${this.layer.name}, enlarged: arrow keys move between units, Escape closes` : `channel ${c} of ${this.layer.name}`}
      aria-pressed=${big ? nothing : String(this.enlarged === c)}
      @mousemove=${(e: MouseEvent) => this.showValue(this.unitAt(e))}
      @click=${(e: MouseEvent) => this.clickUnit(e, !big)}
      @keydown=${(e: KeyboardEvent) => (big ? this.bigKey(e, c) : this.gridKey(e, c))}
    ></canvas>`;
  }

  /** The enlarged channel, with the keyboard's unit cursor over it. */
  private renderBig(c: number, g: { h: number; w: number }) {
    return html`<div class="big">${this.channelCanvas(c, g, true)} ${this.cursor ? html`<div class="unit"></div>` : nothing}</div>`;
  }

  private select(): void {
    this.dispatchEvent(new CustomEvent('layer-select', { detail: this.layer.index, bubbles: true, composed: true }));
  }

  private renderBars(v: Float32Array) {
    const names = this.classNames?.length === v.length ? this.classNames : null;
    return html`${Array.from(v, (p, i) => html`<div class="bar"><span title=${names ? `class ${i}` : ''}>${names ? names[i] : i}</span><meter min="0" max="1" value=${p}></meter><span>${(p * 100).toFixed(1)}%</span></div>`)}`;
  }

  /**
   * A Functional model's graph at this layer: where its inputs come from (a merge joins several branches) and which
   * layers take its output (more than one: a branch starts here). Nothing for a Sequential model's chain.
   */
  private renderLinks(l: PreviewLayer) {
    if (l.from.length === 0 && l.to.length < 2) return nothing;
    const names = (xs: string[]) => xs.map((x, i) => html`${i ? ', ' : ''}<code>${x}</code>`);
    return html`<div class="links muted">
      ${l.from.length > 1 ? html`<span title="A merge: the branches it joins">joins ${names(l.from)}</span>` : nothing}
      ${l.from.length === 1 ? html`<span>from ${names(l.from)}</span>` : nothing}
      ${l.to.length > 1 ? html`<span title="A branch starts here: the layers that take this output">branches to ${names(l.to)}</span>` : nothing}
    </div>`;
  }

  render() {
    const l = this.layer;
    const g = this.geometry();
    const shown = g ? Math.min(g.c, MAX_CHANNELS) : 0;
    const rf = l.receptiveField ? ` · RF ${formatField(l.receptiveField)}` : '';
    return html`
      <header
        role="button"
        tabindex="0"
        aria-label=${`${l.name} (${l.type}), ${formatShape(l.outputShape)}: reveal in the editor`}
        @click=${() => this.select()}
        @keydown=${(e: KeyboardEvent) => {
          if (e.target !== e.currentTarget || (e.key !== 'Enter' && e.key !== ' ')) return;
          e.preventDefault();
          this.select();
        }}
      >
        <b>${l.name}</b><span>${l.type}</span><span class="muted">${formatShape(l.outputShape)}${rf}</span>
        ${
          this.comparable
            ? html`<button
                title="Show this layer with max pooling, average pooling and a strided convolution side by side"
                @click=${(e: Event) => {
                  e.stopPropagation();
                  this.dispatchEvent(new CustomEvent('what-if', { detail: l.index, bubbles: true, composed: true }));
                }}
              >
                Compare downsampling
              </button>`
            : nothing
        }
      </header>
      ${this.renderLinks(l)}
      ${
        !this.map
          ? html`<div class="muted">Not run.</div>`
          : this.bars
            ? this.renderBars(this.map.values)
            : html`
                ${this.enlarged !== null && g ? this.renderBig(this.enlarged, g) : nothing}
                ${g ? html`<div class="grid">${Array.from({ length: shown }, (_, c) => this.channelCanvas(c, g))}</div>` : nothing}
                ${g && g.c > shown ? html`<div class="muted">${g.c - shown} more channels not shown</div>` : nothing}
              `
      }
      <div class="readout muted">${this.readout}</div>
    `;
  }
}
customElements.define('ll-layer', LayerElement);
