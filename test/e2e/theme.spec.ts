// The teacher's projector (USER_JOURNEYS.md §4): VS Code's Default High Contrast theme. The preview takes the
// theme's own colours: its background and text, the contrast borders on its buttons, the focus border on the
// layer the editor cursor is in. A screenshot goes to test-results/preview-high-contrast.png.
import * as assert from 'assert';
import type { Frame } from 'playwright-core';
import { openConvnetPreview } from './support/preview';
import { startWorkbench, type Workbench } from './support/workbench';

/** Computed colours of the webview, read in its content frame (plain JS text: see PAGE_HELPERS in workbench.ts). */
const COLOURS = `(() => {
  const app = document.querySelector('ll-app').shadowRoot;
  const css = (el, p) => getComputedStyle(el).getPropertyValue(p).trim();
  const root = getComputedStyle(document.documentElement);
  const selected = app.querySelector('ll-layer[selected]');
  return {
    bodyClass: document.body.className,
    themeBackground: root.getPropertyValue('--vscode-editor-background').trim(),
    themeForeground: root.getPropertyValue('--vscode-foreground').trim(),
    contrastBorder: root.getPropertyValue('--vscode-contrastBorder').trim(),
    focusBorder: root.getPropertyValue('--vscode-focusBorder').trim(),
    text: css(app.querySelector('.controls b'), 'color'),
    topBackground: css(app.querySelector('.top'), 'background-color'),
    buttonBorder: css(app.querySelector('button'), 'border-top-color'),
    buttonBorderWidth: css(app.querySelector('button'), 'border-top-width'),
    selectedBorder: selected ? css(selected, 'border-left-color') : null,
  };
})()`;

/** '#6fc3df' or '#fff' as 'rgb(111, 195, 223)', the form getComputedStyle gives. */
function rgb(hex: string): string {
  const h = hex.replace('#', '').toLowerCase();
  const full = h.length === 3 ? [...h].map((c) => c + c).join('') : h.slice(0, 6);
  const [r, g, b] = [0, 2, 4].map((i) => parseInt(full.slice(i, i + 2), 16));
  return `rgb(${r}, ${g}, ${b})`;
}

describe('High Contrast theme (code-server, Chromium)', function () {
  this.timeout(300_000);
  let wb: Workbench;
  let frame: Frame;

  before(async () => {
    wb = await startWorkbench({ viewport: { width: 1600, height: 1000 }, settings: { 'workbench.colorTheme': 'Default High Contrast' } });
  });
  after(async () => wb?.close());

  it("hints show in the editor, and the preview takes the theme's colours", async () => {
    // openConvnetPreview waits for the hints first: they show in the editor in this theme too.
    frame = await openConvnetPreview(wb);
    await frame.locator('ll-layer[data-index="2"][selected]').waitFor({ timeout: 10_000 });
    const c = (await frame.evaluate(COLOURS)) as Record<string, string>;
    assert.match(c.bodyClass, /vscode-high-contrast/);
    // The theme defines these; the preview must show them, not colours of its own.
    for (const k of ['themeBackground', 'themeForeground', 'contrastBorder', 'focusBorder']) assert.match(c[k], /^#[0-9a-f]{3,8}$/i, `${k}: ${c[k]}`);
    assert.equal(c.text, rgb(c.themeForeground));
    assert.equal(c.topBackground, rgb(c.themeBackground));
    assert.equal(c.buttonBorder, rgb(c.contrastBorder), 'buttons have the contrast border');
    assert.equal(c.buttonBorderWidth, '1px');
    assert.equal(c.selectedBorder, rgb(c.focusBorder), 'the layer of the editor cursor is marked with the focus border');
    await wb.screenshot('preview-high-contrast');
  });
});
