/**
 * One line, several layers: a loop's layer calls and the layers of a function called more than once, on
 * examples/loops_and_factories.py, through the commands VS Code itself uses to ask providers.
 */
import * as assert from 'node:assert';
import * as vscode from 'vscode';
import { closeAll, hoverAt, inlayLabels, openExample, waitFor } from '../support';

const FILE = 'loops_and_factories.py';

async function setEditorConfig(key: string, value: unknown): Promise<void> {
  await vscode.workspace.getConfiguration('editor').update(key, value, vscode.ConfigurationTarget.Global);
}

function webviewTabs(): vscode.Tab[] {
  return vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputWebview);
}

describe('loops and factory functions in the editor', () => {
  afterEach(closeAll);

  it("inlay hints: one per call, listing a loop's outputs in order, shortened to the editor's limit", async () => {
    const { document } = await openExample(FILE);
    const labels = await inlayLabels(document);
    assert.deepEqual(
      labels.map((l) => [l.line + 1, l.label]),
      [
        [9, '(None, 32, 32, 32) … (None, 8, 8, 128) ×3'],
        [10, '(None, 16, 16, 32) … (None, 4, 4, 128) ×3'],
        [11, '(None, 128)'],
        [12, '(None, 10)'],
        [20, 'small: (None, 62, 62, 32) | +1 more'],
        [21, 'small: (None, 31, 31, 32) | +1 more'],
        [22, 'small: (None, 29, 29, 64) | +1 more'],
        [23, '(None, 64)'],
        [24, 'small: (None, 5) | big: (None, 10)'],
        [36, '(None, 512) · (None, 256) … (None, 32) ×5'],
        [37, '(None, 10)'],
      ],
    );
    // With no limit on the hints' length (editor.inlayHints.maximumLength 0) every output shows.
    await setEditorConfig('inlayHints.maximumLength', 0);
    try {
      const all = await waitFor(async () => {
        const now = await inlayLabels(document);
        return now.find((l) => l.line === 8)?.label === '(None, 32, 32, 32) · (None, 16, 16, 64) · (None, 8, 8, 128)' ? now : undefined;
      }, 'the loop line lists all three outputs');
      assert.equal(all.find((l) => l.line === 19)?.label, 'small: (None, 62, 62, 32) | big: (None, 26, 26, 32)');
      assert.equal(
        all.find((l) => l.line === 35)?.label,
        '(None, 512) · (None, 256) · (None, 128) … (None, 32) ×5',
        'more than four: the first three, the last and the count',
      );
    } finally {
      await setEditorConfig('inlayHints.maximumLength', undefined);
    }
  });

  it("hover on the loop's Conv2D line: a row per iteration with its index, shapes and parameters", async () => {
    const { document } = await openExample(FILE);
    const text = await hoverAt(document, 8, 30);
    assert.match(text, /this line makes \*\*3 layers\*\* \(a loop runs this call once per iteration\)/);
    assert.match(text, /\| 1 \| \[conv2d\]\(command:layerlens\.previewActivations\?[^)]*\) \| `\(None, 32, 32, 3\)` → `\(None, 32, 32, 32\)` \| 896 \| 3×3 \|/);
    assert.match(text, /\| 2 \| \[conv2d_1\]\([^)]*\) \| `\(None, 16, 16, 32\)` → `\(None, 16, 16, 64\)` \| 18,496 \| 8×8 \|/);
    assert.match(text, /\| 3 \| \[conv2d_2\]\([^)]*\) \| `\(None, 8, 8, 64\)` → `\(None, 8, 8, 128\)` \| 73,856 \| 18×18 \|/);
    assert.match(text, /\[Show model summary\]\(command:layerlens\.showSummary\?/);
  });

  it("hover on a factory's layer: a row per call, naming the call, its line and the model it built", async () => {
    const { document } = await openExample(FILE);
    const text = await hoverAt(document, 23, 12); // layers.Dense(num_classes, activation="softmax")
    assert.match(text, /`build_model` builds one model per call/);
    assert.match(
      text,
      /\| 1 \| `build_model\(\(64, 64, 3\), num_classes=5\)` at line 28 → model `small` \| \[dense\]\([^)]*\) \| `\(None, 64\)` → `\(None, 5\)` \| 325 \| — \|/,
    );
    assert.match(text, /\| 2 \| `build_model\(\)` at line 29 → model `big` \| \[dense\]\([^)]*\) \| `\(None, 64\)` → `\(None, 10\)` \| 650 \| — \|/);
    // On the Sequential( inside the function: one row per model it builds, each linking to its summary.
    const made = await hoverAt(document, 17, 15);
    assert.match(made, /`build_model` builds \*\*2 models\*\* here, one per call/);
    assert.match(
      made,
      /\| \[small\]\(command:layerlens\.showSummary\?[^)]*\) \| `build_model\(\(64, 64, 3\), num_classes=5\)` at line 28 \| 5 layers · 19,717 params \(77\.0 KB\) · RF 8×8 \| `\(None, 5\)` \|/,
    );
    assert.match(made, /\| \[big\]\([^)]*\) \| `build_model\(\)` at line 29 \| 5 layers · 19,466 params/);
    // On the call itself: the model it built.
    const call = await hoverAt(document, 28, 10);
    assert.match(call, /\*\*big\*\* · input `\(None, 28, 28, 1\)`/);
    assert.match(call, /Built by `build_model\(\)` at line 29 → model `big`\./);
  });

  it('hover in a function nothing calls says its defaults were used', async () => {
    const { document } = await openExample(FILE);
    const loop = await hoverAt(document, 35, 20);
    assert.match(loop, /\*\*5 layers\*\*/);
    assert.match(loop, /The numbers use the defaults of `build_mlp`'s parameters: nothing in this file calls it\./);
    const last = await hoverAt(document, 36, 20);
    assert.match(last, /\*\*dense_5\*\* · `Dense`/);
    assert.match(last, /The numbers use the defaults of `build_mlp`'s parameters/);
  });

  it('code lenses: above each call of the factory, not in the function; each opens its own model', async () => {
    const { document } = await openExample(FILE);
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', document.uri, 10);
    const rows = lenses.map((l) => [l.range.start.line + 1, l.command?.title]);
    assert.deepEqual(
      rows.filter(([, t]) => /params/.test(String(t))),
      [
        [7, '8 layers · 94,538 params (369.3 KB) · RF 22×22'],
        [28, '5 layers · 19,717 params (77.0 KB) · RF 8×8'],
        [29, '5 layers · 19,466 params (76.0 KB) · RF 8×8'],
        [34, '6 layers · 576,810 params (2.2 MB) · defaults of build_mlp()'],
      ],
    );
    assert.ok(!rows.some(([line]) => line === 18), 'no lens above the Sequential( inside build_model');
    const summaryOf = (line: number) => lenses.find((l) => l.range.start.line + 1 === line && l.command?.title === 'Summary')!.command!;
    for (const [line, name] of [
      [28, 'small'],
      [29, 'big'],
    ] as const) {
      const cmd = summaryOf(line);
      await vscode.commands.executeCommand(cmd.command, ...(cmd.arguments ?? []));
      await waitFor(() => webviewTabs().some((t) => t.label === `Summary: ${name}`), `the lens on line ${line} opens the summary of ${name}`);
    }
  });

  it('commands at the cursor: on a call, the model it built', async () => {
    const editor = await openExample(FILE);
    editor.selection = new vscode.Selection(27, 2, 27, 2); // small = build_model(...)
    await vscode.commands.executeCommand('layerlens.copySummaryMarkdown');
    assert.match(await vscode.env.clipboard.readText(), /^### Model `small`/);
    editor.selection = new vscode.Selection(28, 10, 28, 10); // big = build_model()
    await vscode.commands.executeCommand('layerlens.copySummaryMarkdown');
    const text = await vscode.env.clipboard.readText();
    assert.match(text, /^### Model `big`/);
    assert.match(text, /\(None, 10\)/);
  });
});
