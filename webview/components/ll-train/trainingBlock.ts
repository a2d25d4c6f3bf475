/**
 * The training block above the maps: what training will use (from the source's compile/fit, defaults marked),
 * Train / Pause / Resume / Stop, progress with digits per second and time left, the loss and accuracy curves, and
 * the first convolution's kernels. The maps below redraw as the weights change.
 */
import { html, nothing } from 'lit';
import type { Range } from '../../../src/core/types';
import type { PreviewController } from '../../app/controller';
import type { TrainingSession } from '../../app/training';
import type { TrainingPlan } from '../../train/fit';
import { curveChart } from './curves';
import './kernels';

const where = (what: string, r: Range | null) => (r ? `${what} at ${r.cell !== undefined ? `cell ${r.cell + 1}, ` : ''}line ${r.start.line}` : null);

/** `adam (default) · learning rate 0.001 (default) · …`: every setting, each default said to be one. */
export function settingsLine(plan: TrainingPlan): string {
  const s = plan.settings;
  const d = plan.setup.defaults;
  const mark = (key: string) => (d.includes(key) ? ' (default)' : '');
  const loss = `${plan.loss.label}${d.includes('loss') && plan.loss.note ? ` (${plan.loss.note})` : ''}`;
  return [
    `${s.optimizer}${mark('optimizer')}`,
    `learning rate ${s.learningRate}${mark('learningRate')}`,
    ...(s.momentum ? [`momentum ${s.momentum}`] : []),
    loss,
    `batch ${s.batchSize}${mark('batchSize')}`,
    `${s.epochs} epoch${s.epochs === 1 ? '' : 's'}${mark('epochs')}`,
  ].join(' · ');
}

function seconds(s: number): string {
  return s >= 90 ? `${Math.round(s / 60)} min` : `${Math.max(0, Math.round(s))} s`;
}

function progress(t: TrainingSession) {
  const trainer = t.trainer;
  if (!trainer) return nothing;
  const speed = trainer.samplesPerSecond;
  const left = trainer.secondsLeft;
  const noun = t.dataset.noun;
  return html`<progress max=${trainer.total} .value=${trainer.seen} aria-label=${`${noun[0].toUpperCase()}${noun.slice(1)} trained on`}></progress>
    <div class="muted">
      epoch ${Math.min(trainer.epoch + 1, t.plan?.settings.epochs ?? 1)} of ${t.plan?.settings.epochs} · ${trainer.seen.toLocaleString('en-US')} of
      ${trainer.total.toLocaleString('en-US')}
      ${noun}${speed ? ` · ${speed.toFixed(0)} ${noun}/s` : ''}${t.status === 'running' && left !== null ? ` · ${seconds(left)} left` : ''}
      ${t.status === 'paused' ? ' · paused' : ''}
    </div>`;
}

function curves(t: TrainingSession) {
  const trainer = t.trainer;
  if (!trainer) return nothing;
  const series = [
    { label: 'train (batch)', points: trainer.batches, style: 'batch' as const },
    { label: 'train (epoch)', points: trainer.epochs, style: 'epoch' as const },
    { label: 'validation', points: trainer.validation, style: 'validation' as const },
  ];
  return html`<div class="curves">
    ${curveChart('Loss', series, (p) => p.loss, trainer.total, null, t.dataset.noun)}
    ${curveChart('Accuracy', series, (p) => p.accuracy, trainer.total, 1, t.dataset.noun)}
  </div>`;
}

/** How many the set trains on and holds out. */
function splitLine(c: PreviewController): string {
  const set = c.dataset;
  const data = set.name === 'folder' ? c.folder?.data : null;
  const split = set.split ?? (data ? { train: data.train.count, validation: data.validation.count } : null);
  return split ? `${split.train.toLocaleString('en-US')} to train, ${split.validation.toLocaleString('en-US')} held out` : '';
}

/** The dataset's choice (the bundled digits and clothes, the folder read last) and Train on a folder…. */
function datasetChoice(c: PreviewController, busy: boolean) {
  const set = c.dataset;
  const folder = c.folder;
  const option = (name: 'digits' | 'clothes' | 'folder', label: string) =>
    html`<button class=${`dataset ${set.name === name ? 'on' : ''}`} aria-pressed=${set.name === name} ?disabled=${busy} @click=${() => c.chooseDataset(name)}>
      ${label}
    </button>`;
  return html`<div class="row datasets" role="group" aria-label="Dataset">
      <span class="muted">Data:</span> ${option('digits', 'Digits')} ${option('clothes', 'Clothes')}
      ${folder?.spec && folder.data ? option('folder', `Folder ${folder.name}`) : nothing}
      <button ?disabled=${busy || folder?.status === 'loading'} @click=${() => c.pickFolder()}>Train on a folder…</button>
    </div>
    ${
      folder?.status === 'loading'
        ? html`<div class="muted folder-progress">
            Reading ${folder.name}: ${folder.received.toLocaleString('en-US')} of ${folder.total.toLocaleString('en-US')} images decoded…
          </div>`
        : nothing
    }
    ${folder?.problem ? html`<div class="message folder-problem">${folder.problem}</div>` : nothing}
    ${
      folder?.notes.length && (folder.status !== 'ready' || set.name === 'folder')
        ? html`<ul class="notes folder-notes">
            ${folder.notes.map((n) => html`<li>${n}</li>`)}
          </ul>`
        : nothing
    }`;
}

export function trainingBlock(c: PreviewController) {
  const t = c.training;
  // No setup was sent (a model used as a layer has none): nothing to offer.
  if (!t?.plan) return nothing;
  const plan = t.plan;
  const unavailable = t.unavailable();
  const from = [where('compile', plan.setup.compile), where('fit', plan.setup.fit)].filter(Boolean).join(', ');
  return html`<section class="training" aria-label="Training">
    <div class="row">
      <b>Train on ${t.dataset.name === 'folder' ? `the ${t.dataset.title}` : t.dataset.title}</b><span class="muted">${splitLine(c)}</span>
      ${
        t.busy
          ? html`${t.status === 'paused' ? html`<button @click=${() => c.resumeTraining()}>Resume</button>` : html`<button @click=${() => c.pauseTraining()}>Pause</button>`}
              <button @click=${() => void c.stopTraining()}>Stop</button>`
          : html`<button ?disabled=${unavailable !== null || c.folder?.status === 'loading'} @click=${() => void c.startTraining()}>
              ${t.trainer ? 'Train again' : 'Train'}
            </button>`
      }
      ${t.status === 'loading' ? html`<span class="muted">loading the ${t.dataset.noun}…</span>` : nothing}
    </div>
    ${datasetChoice(c, t.busy || c.whatIfTraining)}
    <div class="muted settings">${settingsLine(plan)}${from ? html` — from ${from}` : ' — no compile or fit in the source'}</div>
    ${
      plan.notes.length
        ? html`<ul class="notes">
            ${plan.notes.map((n) => html`<li>${n}</li>`)}
          </ul>`
        : nothing
    }
    ${unavailable ? html`<div class="message training-unavailable">${unavailable}</div>` : nothing}
    ${c.trainingBackendNote ? html`<div class="muted training-backend">${c.trainingBackendNote}</div>` : nothing}
    ${t.message ? html`<div class="message">${t.message}</div>` : nothing} ${progress(t)} ${curves(t)}
    ${
      t.kernel
        ? html`<div class="kernels">
            <div class="muted">
              First convolution's ${t.kernel.shape[3]} filters (${t.kernel.shape[0]}×${t.kernel.shape[1]}, averaged over ${t.kernel.shape[2]} input
              channel${t.kernel.shape[2] === 1 ? '' : 's'})
            </div>
            <ll-kernels .kernel=${t.kernel} .colormap=${c.ui.colormap}></ll-kernels>
          </div>`
        : nothing
    }
  </section>`;
}
