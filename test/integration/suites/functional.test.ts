/**
 * Functional models in the editor (issue 11, "Editor"), on examples/functional_resnet.py (keras.io's toy ResNet: two
 * residual blocks, each a branch joined to its input by an add): inlay hints on every layer-call line and on the
 * `keras.Input(` line, hovers with the layers feeding a call (a merge's inputs with their shapes) and a tensor's shape,
 * the code lens above `keras.Model(` and what its actions do, diagnostics at the offending call, a shared layer.
 */
import * as assert from 'node:assert';
import * as vscode from 'vscode';
import { closeAll, hoverAt, inlayLabels, layerlensDiagnostics, openExample, openUntitled, waitFor } from '../support';

const FILE = 'functional_resnet.py';

interface Api {
  previewShown(): { name: string; layers: number } | undefined;
  summaryShown(): { name: string; line: number; layers: number; totalParams: number | null } | undefined;
  previewReceive(message: unknown): Promise<void>;
  previewStatus(): { backend: string; layersShown: number } | undefined;
  recentLog(): string[];
}

function api(): Api {
  const ext = vscode.extensions.getExtension<Api>('layerlens.layerlens');
  assert.ok(ext?.isActive, 'LayerLens is active');
  return ext.exports;
}

async function lensesOn(doc: vscode.TextDocument, line: number): Promise<vscode.CodeLens[]> {
  return waitFor(
    async () => {
      const all = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri, 10);
      const here = (all ?? []).filter((l) => l.range.start.line === line);
      return here.length ? here : undefined;
    },
    `code lenses on line ${line + 1}`,
  );
}

async function runLens(doc: vscode.TextDocument, line: number, title: string): Promise<void> {
  const lens = (await lensesOn(doc, line)).find((l) => l.command?.title === title);
  assert.ok(lens?.command, `a "${title}" lens on line ${line + 1}`);
  await vscode.commands.executeCommand(lens.command.command, ...(lens.command.arguments ?? []));
}

function errorsWithCode(uri: vscode.Uri, code: string): vscode.Diagnostic[] | undefined {
  const found = layerlensDiagnostics(uri).filter((d) => d.code === code);
  return found.length ? found : undefined;
}

describe('Functional models in the editor', () => {
  afterEach(closeAll);

  it('inlay hints: the Input line and every layer call, the branches and the adds included', async () => {
    const { document } = await openExample(FILE);
    const labels = await waitFor(async () => {
      const now = await inlayLabels(document);
      return now.length ? now : undefined;
    }, 'hints');
    assert.deepEqual(
      labels.map((l) => [l.line + 1, l.label]),
      [
        [7, '(None, 32, 32, 3)'],
        [8, '(None, 30, 30, 32)'],
        [9, '(None, 28, 28, 64)'],
        [10, '(None, 9, 9, 64)'],
        [12, '(None, 9, 9, 64)'],
        [13, '(None, 9, 9, 64)'],
        [14, '(None, 9, 9, 64)'],
        [16, '(None, 9, 9, 64)'],
        [17, '(None, 9, 9, 64)'],
        [18, '(None, 9, 9, 64)'],
        [20, '(None, 7, 7, 64)'],
        [21, '(None, 64)'],
        [22, '(None, 256)'],
        [23, '(None, 256)'],
        [24, '(None, 10)'],
      ],
    );
    // At the end of the line, as for a Sequential model's layers.
    const input = (await inlayLabels(document)).find((l) => l.line === 6);
    assert.ok(input);
    const hints = await vscode.commands.executeCommand<vscode.InlayHint[]>('vscode.executeInlayHintProvider', document.uri, new vscode.Range(6, 0, 6, 80));
    assert.equal(hints[0]?.position.character, document.lineAt(6).text.length);
  });

  it('hover on a layer call, on its call and on the assigned name: the card, and the layer feeding it', async () => {
    const { document } = await openExample(FILE);
    // line 12: x = layers.Conv2D(64, 3, activation="relu", padding="same")(block_1_output)
    for (const [col, what] of [
      [15, 'the layer'],
      [59, 'the call'],
      [0, 'the assigned name'],
    ] as const) {
      const text = await hoverAt(document, 11, col);
      assert.match(text, /\*\*conv2d_2\*\* · `Conv2D`/, what);
      assert.match(text, /`\(None, 9, 9, 64\)` → `\(None, 9, 9, 64\)`/, what);
      assert.match(text, /3×3×64×64 kernel \+ 64 bias = 36,928/, what);
      assert.match(text, /\*\*Input from:\*\* `max_pooling2d` \(`MaxPooling2D`\)/, what);
      assert.match(text, /\[Preview activations\]\(command:layerlens\.previewActivations\?/, what);
    }
  });

  it('hover on a merge layer lists its inputs with their shapes; the Input says whose input it is', async () => {
    const { document } = await openExample(FILE);
    // line 14: block_2_output = layers.add([x, block_1_output])
    const text = await hoverAt(document, 13, 22);
    assert.match(text, /\*\*add\*\* · `Add`/);
    assert.match(text, /\*\*Inputs \(2\):\*\*\n\n- `conv2d_3` \(`Conv2D`\) `\(None, 9, 9, 64\)`\n- `max_pooling2d` \(`MaxPooling2D`\) `\(None, 9, 9, 64\)`/);
    assert.match(text, /\*\*Receptive field:\*\* 19×19/);
    const input = await hoverAt(document, 6, 15);
    assert.match(input, /\*\*img\*\* · `InputLayer`/);
    assert.match(input, /\*\*Input\*\* of the model `toy_resnet`/);
  });

  it("hover on a tensor's name: its shape and the layer it comes from", async () => {
    const { document } = await openExample(FILE);
    // In the add's call: block_1_output is the max pooling's output; x is the second convolution's.
    const skip = await hoverAt(document, 13, 40);
    assert.match(skip, /\*\*`block_1_output`\*\* · `\(None, 9, 9, 64\)`/);
    assert.match(skip, /the output of `max_pooling2d` \(`MaxPooling2D`\), assigned at line 10/);
    assert.match(skip, /\*\*add\*\* · `Add`/, 'then the card of the call it feeds');
    const x = await hoverAt(document, 13, 29);
    assert.match(x, /\*\*`x`\*\* · `\(None, 9, 9, 64\)`/);
    assert.match(x, /the output of `conv2d_3` \(`Conv2D`\), assigned at line 13/);
    // In x = layers.Conv2D(...)(x), the x read is the earlier one.
    const read = await hoverAt(document, 8, 44);
    assert.match(read, /\*\*`x`\*\* · `\(None, 30, 30, 32\)`/);
    assert.match(read, /\*\*conv2d_1\*\* · `Conv2D`/);
    // Outside any layer call: the model's inputs and outputs.
    const inputs = await hoverAt(document, 25, 22);
    assert.match(inputs, /\*\*`inputs`\*\* · `\(None, 32, 32, 3\)`/);
    assert.match(inputs, /the output of `img` \(`InputLayer`\)/);
    const outputs = await hoverAt(document, 25, 30);
    assert.match(outputs, /\*\*`outputs`\*\* · `\(None, 10\)`/);
    // The model's variable: the model, with Keras' Connected to column.
    const model = await hoverAt(document, 25, 2);
    assert.match(model, /\| Layer \(type\) \| Output shape \| Params \| RF \| Connected to \|/);
    assert.match(model, /\| add \(Add\) \| \(None, 9, 9, 64\) \| 0 \| 19×19 \| conv2d_3\[0\]\[0\], max_pooling2d\[0\]\[0\] \|/);
  });

  it('code lens above keras.Model(: layers, params, receptive field, Preview activations, Summary', async () => {
    const { document } = await openExample(FILE);
    const lenses = await lensesOn(document, 25);
    // The model's lens is resolved (its title made) when VS Code shows it; this command lists resolved lenses last.
    assert.deepEqual(lenses.map((l) => l.command?.title).sort(), ['15 layers · 223,242 params (872.0 KB) · RF 37×37', 'Preview activations', 'Summary']);
    await runLens(document, 25, 'Summary');
    const shown = await waitFor(() => api().summaryShown(), 'the summary opens');
    assert.deepEqual([shown.name, shown.line, shown.layers, shown.totalParams], ['toy_resnet', 26, 15, 223242]);
  });

  it('Preview activations on a Functional model builds its graph and shows every layer, the Input included', async () => {
    const { document } = await openExample(FILE);
    await runLens(document, 25, 'Preview activations');
    await waitFor(() => api().previewShown(), 'the preview opens');
    // The webview says it is ready once its script runs; say it again in case it already did before the log was read.
    await api().previewReceive({ type: 'ready' });
    // A panel shown before (another suite's model) may have reported its own run: wait for this model's.
    let last: ReturnType<Api['previewStatus']>;
    const status = await waitFor(
      () => ((last = api().previewStatus())?.layersShown === 15 ? last : undefined),
      'the preview reports a run of all 15 layers of toy_resnet',
      120_000,
    ).catch((e: Error) => assert.fail(`${e.message}; last status: ${JSON.stringify(last)}`));
    assert.equal(status.backend.length > 0, true);
    assert.equal(api().previewShown()?.name, 'toy_resnet');
  });

  it("Copy Model Summary as Markdown: Keras' Connected to column", async () => {
    const editor = await openExample(FILE);
    editor.selection = new vscode.Selection(13, 25, 13, 25); // in the first add
    await vscode.commands.executeCommand('layerlens.copySummaryMarkdown');
    const text = await vscode.env.clipboard.readText();
    assert.match(text, /^### Model `toy_resnet`/);
    assert.match(text, /\| Connected to \|/);
    assert.match(text, /\| 6 \| add \(Add\) \| \(None, 9, 9, 64\) \| 0 \| 19×19 \| 0 \| conv2d_3\[0\]\[0\], max_pooling2d\[0\]\[0\] \|/);
    assert.match(text, /- Total params: 223,242/);
  });

  it('diagnostics at the offending call: a merge of incompatible shapes, a disconnected graph; gone when fixed', async () => {
    const source = (await openExample(FILE)).document.getText();
    await closeAll();
    const editor = await openUntitled(source);
    const doc = editor.document;
    await waitFor(async () => (await inlayLabels(doc)).length > 0, 'the model is analysed');
    assert.deepEqual(layerlensDiagnostics(doc.uri), []);
    // The second block's second convolution without padding: the add gets (7, 7, 64) and (9, 9, 64).
    const line17 = doc.lineAt(16).text;
    const at = line17.indexOf('"same"');
    await editor.edit((b) => b.replace(new vscode.Range(16, at, 16, at + 6), '"valid"'));
    const [merge] = await waitFor(() => errorsWithCode(doc.uri, 'incompatible-shapes'), 'the merge error');
    assert.equal(merge.severity, vscode.DiagnosticSeverity.Error);
    assert.deepEqual([merge.range.start.line, merge.range.start.character], [17, 17], 'on the add call');
    assert.match(merge.message, /^Inputs have incompatible shapes\. Received shapes \(7, 7, 64\) and \(9, 9, 64\)/);
    await editor.edit((b) => b.replace(new vscode.Range(16, at, 16, at + 7), '"same"'));
    await waitFor(() => !errorsWithCode(doc.uri, 'incompatible-shapes'), 'the merge error to go');
    // A model whose outputs need an Input it is not given.
    const last = doc.lineCount - 2;
    assert.match(doc.lineAt(last).text, /^model = keras\.Model\(inputs, outputs/);
    await editor.edit((b) =>
      b.replace(
        new vscode.Range(last, 0, last, doc.lineAt(last).text.length),
        'extra = keras.Input(shape=(10,))\nmodel = keras.Model(extra, outputs, name="toy_resnet")',
      ),
    );
    const [disconnected] = await waitFor(() => errorsWithCode(doc.uri, 'graph-disconnected'), 'the graph-disconnected error');
    assert.equal(disconnected.severity, vscode.DiagnosticSeverity.Error);
    assert.equal(disconnected.range.start.line, 6, 'on the keras.Input( the outputs depend on');
    assert.match(disconnected.message, /^Graph disconnected/);
  });

  it('a shared layer: a hint and a hover on each of its calls, each with its own shapes', async () => {
    const editor = await openUntitled(`import keras
from keras import layers

inputs = keras.Input(shape=(32, 32, 3))
x = layers.Conv2D(16, 3, padding="same")(inputs)
shared = layers.Conv2D(16, 3, padding="same", name="shared")
a = shared(x)
b = layers.MaxPooling2D(2)(x)
c = shared(b)
a = layers.Conv2D(16, 1, strides=2)(a)
x = layers.concatenate([a, c])
model = keras.Model(inputs, x)
`);
    const doc = editor.document;
    const labels = await waitFor(async () => {
      const now = await inlayLabels(doc);
      return now.length ? now : undefined;
    }, 'hints');
    assert.deepEqual(
      labels.filter((l) => l.line === 6 || l.line === 8).map((l) => [l.line + 1, l.label]),
      [
        [7, '(None, 32, 32, 16)'],
        [9, '(None, 16, 16, 16)'],
      ],
    );
    const second = await hoverAt(doc, 8, 6);
    assert.match(second, /\*\*shared\*\* · `Conv2D`/);
    assert.match(second, /`\(None, 16, 16, 16\)` → `\(None, 16, 16, 16\)`/);
    assert.match(second, /this is call 2 of 2/);
    assert.match(second, /\*\*Input from:\*\* `max_pooling2d`/);
    // The concatenate takes the second call's output: its shape, not the first call's.
    const concat = await hoverAt(doc, 10, 10);
    assert.match(concat, /- `shared` \(`Conv2D`\) `\(None, 16, 16, 16\)`/);
    const c = await hoverAt(doc, 10, 27);
    assert.match(c, /\*\*`c`\*\* · `\(None, 16, 16, 16\)`/);
  });
});
