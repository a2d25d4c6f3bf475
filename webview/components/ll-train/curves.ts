/**
 * A small line chart of training curves as inline SVG: each batch's value (a thin line), validation on part of the
 * held-out digits every few batches and on all of them at each epoch's end (a line with dots), and each epoch's
 * training mean (dots). The x axis is the digits seen so far.
 */
import { html, svg } from 'lit';
import type { CurvePoint } from '../../train/trainer';

const WIDTH = 320;
const HEIGHT = 120;
const PAD = { left: 34, right: 6, top: 6, bottom: 16 };

export interface CurveSeries {
  label: string;
  points: CurvePoint[];
  /** batch: a thin line; validation: a line with dots; epoch: dots. */
  style: 'batch' | 'validation' | 'epoch';
}

/** `value` picks what is plotted (loss or accuracy); `top` fixes the y range's top (1 for accuracy), else the data's. */
export function curveChart(title: string, series: CurveSeries[], value: (p: CurvePoint) => number, total: number, top: number | null, noun = 'digits') {
  const all = series.flatMap((s) => s.points.map(value)).filter(Number.isFinite);
  const hi = top ?? Math.max(1e-6, ...all);
  const x = (seen: number) => PAD.left + (seen / Math.max(1, total)) * (WIDTH - PAD.left - PAD.right);
  const y = (v: number) => PAD.top + (1 - Math.min(v, hi) / hi) * (HEIGHT - PAD.top - PAD.bottom);
  const path = (points: CurvePoint[]) => points.map((p, i) => `${i ? 'L' : 'M'}${x(p.seen).toFixed(1)},${y(value(p)).toFixed(1)}`).join('');
  const last = (s: CurveSeries) => s.points[s.points.length - 1];
  return html`<figure class="curve">
    <figcaption>
      <b>${title}</b>
      ${series.map((s) =>
        last(s)
          ? html`<span class="key ${s.style}">${s.label} ${value(last(s)).toFixed(3)}</span>`
          : html`<span class="key ${s.style} muted">${s.label}</span>`,
      )}
    </figcaption>
    <svg viewBox="0 0 ${WIDTH} ${HEIGHT}" width=${WIDTH} height=${HEIGHT} role="img" aria-label=${title}>
      ${svg`<line class="axis" x1=${PAD.left} y1=${HEIGHT - PAD.bottom} x2=${WIDTH - PAD.right} y2=${HEIGHT - PAD.bottom}></line>
        <line class="axis" x1=${PAD.left} y1=${PAD.top} x2=${PAD.left} y2=${HEIGHT - PAD.bottom}></line>
        <text class="tick" x=${PAD.left - 3} y=${PAD.top + 8} text-anchor="end">${hi.toPrecision(2)}</text>
        <text class="tick" x=${PAD.left - 3} y=${HEIGHT - PAD.bottom} text-anchor="end">0</text>
        <text class="tick" x=${WIDTH - PAD.right} y=${HEIGHT - 3} text-anchor="end">${total.toLocaleString('en-US')} ${noun}</text>`}
      ${series.map((s) =>
        s.style === 'epoch'
          ? s.points.map((p) => svg`<circle class="epoch" cx=${x(p.seen)} cy=${y(value(p))} r="3"></circle>`)
          : svg`<path class=${s.style} d=${path(s.points)}></path>
              ${s.style === 'validation' ? s.points.map((p) => svg`<circle class="validation" cx=${x(p.seen)} cy=${y(value(p))} r="2"></circle>`) : ''}`,
      )}
    </svg>
  </figure>`;
}
