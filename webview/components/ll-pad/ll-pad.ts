/**
 * The input, shown and drawable: draw with the mouse and the maps update while you draw (MNIST-like inputs);
 * patterns and images are shown here too, with a unit's receptive field outlined on them.
 */
import { LitElement, html } from 'lit';
import { base } from '../styles';
import { padStyles } from './styles';

export class PadElement extends LitElement {
  static properties = { rows: { type: Number }, cols: { type: Number }, field: { attribute: false } };
  static styles = [base, padStyles];

  rows = 28;
  cols = 28;
  /** A receptive field to outline on the pad: [top, left, height, width] in input pixels. */
  field: [number, number, number, number] | null = null;
  private values = new Float32Array(28 * 28);
  private drawing = false;

  setValues(values: Float32Array): void {
    this.values = Float32Array.from(values);
    this.paint();
  }

  getValues(): Float32Array {
    return this.values;
  }

  clear(): void {
    this.values = new Float32Array(this.rows * this.cols);
    this.paint();
    this.emit();
  }

  protected updated(): void {
    if (this.values.length !== this.rows * this.cols) this.values = new Float32Array(this.rows * this.cols);
    this.paint();
  }

  private canvas(cls: string): HTMLCanvasElement | null {
    return this.renderRoot.querySelector(`canvas.${cls}`);
  }

  private paint(): void {
    const c = this.canvas('ink');
    const ctx = c?.getContext('2d');
    if (!c || !ctx) return;
    const img = ctx.createImageData(this.cols, this.rows);
    for (let i = 0; i < this.values.length; i++) {
      const v = Math.round(this.values[i] * 255);
      img.data.set([v, v, v, 255], i * 4);
    }
    ctx.putImageData(img, 0, 0);
    const o = this.canvas('overlay');
    const octx = o?.getContext('2d');
    if (!o || !octx) return;
    octx.clearRect(0, 0, o.width, o.height);
    if (this.field) {
      const kx = o.width / this.cols;
      const ky = o.height / this.rows;
      const [top, left, h, w] = this.field;
      octx.strokeStyle = '#ff4d4d';
      octx.lineWidth = 2;
      octx.strokeRect(left * kx, top * ky, w * kx, h * ky);
    }
  }

  private stroke(e: PointerEvent): void {
    const c = e.currentTarget as HTMLCanvasElement;
    const r = c.getBoundingClientRect();
    const x = ((e.clientX - r.left) / r.width) * this.cols;
    const y = ((e.clientY - r.top) / r.height) * this.rows;
    // A soft round brush about two pixels wide, like a pen on the 28×28 grid.
    for (let yy = Math.floor(y - 2); yy <= y + 2; yy++)
      for (let xx = Math.floor(x - 2); xx <= x + 2; xx++) {
        if (xx < 0 || yy < 0 || xx >= this.cols || yy >= this.rows) continue;
        const d = Math.hypot(xx + 0.5 - x, yy + 0.5 - y);
        const ink = Math.max(0, Math.min(1, 1.6 - d));
        const i = yy * this.cols + xx;
        this.values[i] = Math.max(this.values[i], ink);
      }
    this.paint();
    this.emit();
  }

  private emit(): void {
    this.dispatchEvent(new CustomEvent('pad-input', { detail: this.values, bubbles: true, composed: true }));
  }

  render() {
    return html`<div class="pad">
      <canvas
        class="ink"
        width=${this.cols}
        height=${this.rows}
        aria-label="Drawing pad"
        @pointerdown=${(e: PointerEvent) => {
          this.drawing = true;
          (e.currentTarget as HTMLCanvasElement).setPointerCapture(e.pointerId);
          this.stroke(e);
        }}
        @pointermove=${(e: PointerEvent) => this.drawing && this.stroke(e)}
        @pointerup=${() => (this.drawing = false)}
      ></canvas>
      <canvas class="overlay" width="196" height="196"></canvas>
    </div>`;
  }
}
customElements.define('ll-pad', PadElement);
