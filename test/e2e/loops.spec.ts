// A person reads examples/loops_and_factories.py in code-server: the loop's Conv2D line makes three layers, so its
// hint lists several shapes and its hover has a row per iteration; the factory's models have their code lens above
// each call, and the lens opens that call's model. Screenshots go to test-results/.
import * as assert from 'assert';
import { startWorkbench, type Workbench } from './support/workbench';

describe('loops and factory functions (code-server, Chromium)', function () {
  this.timeout(240_000);
  let wb: Workbench;
  let csp: () => unknown[];

  before(async () => {
    wb = await startWorkbench({ viewport: { width: 1400, height: 1000 } });
    csp = wb.collectCspViolations();
  });
  after(async () => wb?.close());

  it("the loop's layer line shows the outputs of its iterations in one hint", async () => {
    await wb.openFile('loops_and_factories.py');
    const line9 = await wb.waitForEditorLineText(9, /\(None, 8, 8, 128\)/, 60_000);
    assert.match(line9, /^ {4}model\.add\(layers\.Conv2D\(filters, 3, padding="same", activation="relu"\)\)\s*\(None, 32, 32, 32\) … \(None, 8, 8, 128\) ×3$/);
    const line36 = await wb.waitForEditorLineText(36, /×5/);
    assert.match(line36, /\(None, 512\) · \(None, 256\) … \(None, 32\) ×5$/);
    const line24 = await wb.waitForEditorLineText(24, /big:/);
    assert.match(line24, /small: \(None, 5\) \| big: \(None, 10\)$/);
    await wb.screenshot('loops-hints');
  });

  it("hovering the loop's Conv2D shows one row per iteration", async () => {
    const text = await wb.hoverText(9, 30);
    assert.match(text, /this line makes 3 layers/);
    assert.match(text, /1\s+conv2d\s+\(None, 32, 32, 3\) → \(None, 32, 32, 32\)\s+896\s+3×3/);
    assert.match(text, /2\s+conv2d_1\s+\(None, 16, 16, 32\) → \(None, 16, 16, 64\)\s+18,496\s+8×8/);
    assert.match(text, /3\s+conv2d_2\s+\(None, 8, 8, 64\) → \(None, 8, 8, 128\)\s+73,856\s+18×18/);
    await wb.screenshot('loops-hover');
    await wb.page.keyboard.press('Escape');
  });

  it("the factory's models have their code lens above each call, and a lens opens its own model", async () => {
    await wb.goTo(28, 1);
    const small = wb.page.locator('.monaco-editor .codelens-decoration', { hasText: '19,717 params' }).first();
    await small.waitFor({ timeout: 30_000 });
    assert.match(await small.innerText(), /5 layers · 19,717 params \(77\.0 KB\) · RF 8×8/);
    const big = wb.page.locator('.monaco-editor .codelens-decoration', { hasText: '19,466 params' }).first();
    await big.waitFor({ timeout: 30_000 });
    // Each lens sits just above its call's line: between the line before and the call.
    const top = async (n: number) => {
      const box = await wb.page
        .locator('.editor-group-container.active .margin-view-overlays .line-numbers', { hasText: new RegExp(`^\\s*${n}\\s*$`) })
        .first()
        .boundingBox();
      assert.ok(box, `line ${n} is on screen`);
      return box;
    };
    for (const [lens, line] of [
      [small, 28],
      [big, 29],
    ] as const) {
      // Measured again while the editor is still laying out the lenses it just inserted (they move the lines).
      let placed = false;
      let seen = {};
      for (let attempt = 0; attempt < 20 && !placed; attempt++) {
        if (attempt) await wb.page.waitForTimeout(250);
        // VS Code may re-create a lens's widget (asking for its title again) while it lays the lenses out: then no
        // element matches for a moment, and the next attempt finds the new one.
        const box = await lens.boundingBox();
        if (!box) continue;
        const before = await top(line - 1);
        const call = await top(line);
        placed = box.y >= before.y + before.height - 1 && box.y + box.height <= call.y + 1;
        seen = { lens: box, before, call };
      }
      assert.ok(placed, `the lens of line ${line} is between lines ${line - 1} and ${line}: ${JSON.stringify(seen)}`);
    }
    // No lens inside build_model, above its Sequential( (line 18).
    const inside = await top(18);
    const above = await top(17);
    const lensTops = await wb.page.locator('.monaco-editor .codelens-decoration').evaluateAll((els) => els.map((e) => e.getBoundingClientRect().top));
    assert.ok(!lensTops.some((y) => y > above.y && y < inside.y), 'no lens between lines 17 and 18');
    await wb.screenshot('loops-codelens');

    await small.locator('a', { hasText: /^Summary$/ }).click();
    await wb.page.locator('.tabs-container .tab', { hasText: 'Summary: small' }).waitFor({ timeout: 30_000 });
    const frame = await wb.webviewFrame();
    await frame.locator('table').waitFor();
    assert.match(await frame.locator('table').innerText(), /dense \(Dense\)\s+\(None, 5\)\s+325/);
    assert.deepEqual(csp(), []);
  });
});
