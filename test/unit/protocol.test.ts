/**
 * The host↔webview protocol (src/protocol.ts): each side validates what arrives in depth, not only the message's
 * type, and each side's handler is exhaustive — a message type it does not handle fails to compile (checked by
 * compiling both sides against a protocol with one more message type).
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as ts from 'typescript';
import { downsamplingVariants } from '../../src/panel/downsampling';
import { toPreviewModel } from '../../src/panel/previewModel';
import { isHostMessage, isWebviewMessage, type HostMessage, type WebviewMessage } from '../../src/protocol';
import { example, modelNamed } from './support/fixtures';

const ROOT = join(__dirname, '..', '..');
const PROTOCOL = resolve(ROOT, 'src', 'protocol.ts');

/** A deep copy of `message` with `change` applied to it. */
function mutate<T>(message: T, change: (m: any) => void): unknown {
  const copy = structuredClone(message);
  change(copy);
  return copy;
}

describe('protocol: messages are validated in depth', () => {
  const text = example('mnist_convnet.py');
  const model = toPreviewModel(modelNamed(text, 'model'), 'file:///mnist_convnet.py#model#0');
  const pool = modelNamed(text, 'model').layers[1];
  const lineStart =
    text
      .split('\n')
      .slice(0, pool.range.start.line - 1)
      .join('\n').length + 1;
  const variants = downsamplingVariants(
    modelNamed(text, 'model'),
    pool,
    { text, from: lineStart + pool.range.start.column - 1, to: lineStart + pool.range.end.column - 1 },
    model.key,
    0,
  );
  const weights = {
    layer: 'dense',
    tensors: [
      { shape: [2, 3], values: [1, 2, 3, 4, 5, 6] },
      { shape: [3], values: [0, 0, 0] },
    ],
  };
  const valid: HostMessage[] = [
    { type: 'model', model, memoryLimitMB: 1024 },
    { type: 'whatIf', model: model.key, index: 1, variants },
    { type: 'refused', message: 'too big' },
    { type: 'selectLayer', index: 3 },
    { type: 'selectLayer', index: null },
    { type: 'weights', source: 'model.h5', layers: [weights] },
    { type: 'weights', source: '', layers: [] },
    { type: 'weightsError', message: 'no' },
    { type: 'image', name: 'a.png', dataUrl: 'data:image/png;base64,AAAA' },
    { type: 'model', model: toPreviewModel(modelNamed(example('functional_resnet.py'), 'toy_resnet'), 'f#1'), memoryLimitMB: 1024 },
    { type: 'folderStart', folder: 'pets/', classes: ['cats', 'dogs'], total: 2, notes: ['1 file was unreadable and skipped: cats/x.png (empty).'] },
    {
      type: 'folderImages',
      folder: 'pets/',
      images: [
        { label: 0, name: 'cats/a.png', mime: 'image/png', data: 'iVBORw0KGgo=' },
        { label: 1, name: 'dogs/b.jpg', mime: 'image/jpeg', data: '/9j/4A==' },
      ],
      last: true,
    },
    { type: 'folderImages', folder: 'pets/', images: [], last: false },
    { type: 'folderError', message: 'Too few images' },
  ];

  it("the host's messages as the host makes them pass", () => {
    assert.equal(variants.length, 4);
    for (const m of valid) assert.ok(isHostMessage(m), m.type);
    // Survives the structured clone postMessage makes.
    for (const m of valid) assert.ok(isHostMessage(structuredClone(m)), m.type);
  });

  const malformedHost: [string, unknown][] = [
    ['a layer without its tfjs mapping', mutate(valid[0], (m) => delete m.model.layers[2].tfjs)],
    ['a tfjs mapping that is neither a config nor a reason', mutate(valid[0], (m) => (m.model.layers[0].tfjs = { className: 'Conv2D' }))],
    ["a layer's shape with a string in it", mutate(valid[0], (m) => (m.model.layers[3].outputShape = [null, '5', 5, 64]))],
    ["a layer's shape that is a number", mutate(valid[0], (m) => (m.model.layers[3].inputShape = 5))],
    ['a receptive field without its jump', mutate(valid[0], (m) => delete m.model.layers[0].receptiveField.jump)],
    ['a layer whose index is not its place', mutate(valid[0], (m) => (m.model.layers[1].index = 5))],
    ['params that are a string', mutate(valid[0], (m) => (m.model.layers[0].params = '320'))],
    ['a layer that is null', mutate(valid[0], (m) => (m.model.layers[4] = null))],
    ['a model without a key', mutate(valid[0], (m) => delete m.model.key)],
    ['an input shape of strings', mutate(valid[0], (m) => (m.model.inputShape = ['None', 28, 28, 1]))],
    ['estimated bytes that are a string', mutate(valid[0], (m) => (m.model.estimatedBytes = 'lots'))],
    ['an activation that is a number', mutate(valid[0], (m) => (m.model.layers[7].activation = 1))],
    ['no memory limit', mutate(valid[0], (m) => delete m.memoryLimitMB)],
    ['a what-if variant whose model has a malformed layer', mutate(valid[1], (m) => (m.variants[2].model.layers[0].name = 7))],
    ['a what-if for no model', mutate(valid[1], (m) => delete m.model)],
    ['a what-if at a negative index', mutate(valid[1], (m) => (m.index = -1))],
    ['a selection at a fractional index', mutate(valid[3], (m) => (m.index = 1.5))],
    ['a weights tensor with a string value', mutate(valid[5], (m) => (m.layers[0].tensors[0].values[2] = '3'))],
    ['a weights tensor whose values do not fill its shape', mutate(valid[5], (m) => (m.layers[0].tensors[0].values = [1, 2, 3]))],
    ['a weights tensor with a negative dimension', mutate(valid[5], (m) => (m.layers[0].tensors[1].shape = [-3]))],
    ['a weights tensor without values', mutate(valid[5], (m) => delete m.layers[0].tensors[1].values)],
    ['weights for a layer without a name', mutate(valid[5], (m) => delete m.layers[0].layer)],
    ['an image that is not a PNG or JPEG data URL', mutate(valid[8], (m) => (m.dataUrl = 'https://example.com/a.png'))],
    ['a graph call that takes a call placed after it', mutate(valid[9], (m) => m.model.graph.reverse())],
    ['a graph call of a layer the model does not have', mutate(valid[9], (m) => (m.model.graph[3].layer = 99))],
    ['a layer whose graph links are not names', mutate(valid[9], (m) => (m.model.layers[6].from = [3]))],
    ['a comparable flag that is a string', mutate(valid[0], (m) => (m.model.layers[1].comparable = 'yes'))],
    ['total parameters that are negative', mutate(valid[0], (m) => (m.model.totalParams = -1))],
    ['a message without a type', { model }],
    ['an unknown type', { type: 'selectLayers', index: 1 }],
    ['an array', [valid[3]]],
    ['null', null],
  ];
  for (const [what, message] of malformedHost) it(`drops a host message with ${what}`, () => assert.equal(isHostMessage(message), false));

  const validWebview: WebviewMessage[] = [
    { type: 'ready' },
    { type: 'revealLayer', model: model.key, index: 2 },
    { type: 'whatIf', model: model.key, index: 1 },
    { type: 'pickImage' },
    { type: 'pickFolder', maxImages: 5000 },
    { type: 'pickWeights' },
    { type: 'resetWeights' },
    { type: 'status', backend: 'webgl', layersShown: 8, runMs: 12.5, notice: null },
    { type: 'status', backend: 'cpu', layersShown: 0, runMs: 0, notice: 'WebGL is not available' },
    { type: 'error', message: 'oops' },
    { type: 'saveWeights', model: model.key, layers: [weights, { layer: 'flatten', tensors: [] }] },
    { type: 'saveWeights', model: model.key, layers: [{ layer: 'vgg16', tensors: [], layers: [{ ...weights, layer: 'block1_conv1' }] }] },
  ];

  it("the webview's messages as the webview makes them pass", () => {
    for (const m of validWebview) assert.ok(isWebviewMessage(m), m.type);
  });

  const malformedWebview: [string, unknown][] = [
    ['a reveal for no model', { type: 'revealLayer', index: 2 }],
    ['a reveal whose model key is a number', { type: 'revealLayer', model: 3, index: 2 }],
    ['a what-if at a fractional index', { type: 'whatIf', model: model.key, index: 0.5 }],
    ['a status whose run time is not a number', { type: 'status', backend: 'webgl', layersShown: 8, runMs: '12', notice: null }],
    ['a status whose run time is infinite', { type: 'status', backend: 'webgl', layersShown: 8, runMs: Infinity, notice: null }],
    ['a status with a negative layer count', { type: 'status', backend: 'webgl', layersShown: -1, runMs: 1, notice: null }],
    ['a status without its notice', { type: 'status', backend: 'webgl', layersShown: 8, runMs: 1 }],
    ['an error without a message', { type: 'error' }],
    ['a folder asked for with no image limit', { type: 'pickFolder' }],
    ['a folder asked for with a limit of 0 images', { type: 'pickFolder', maxImages: 0 }],
    ['a folder asked for with a fractional limit', { type: 'pickFolder', maxImages: 2.5 }],
    ['weights to save for no model', { type: 'saveWeights', layers: [weights] }],
    ['no weights to save', { type: 'saveWeights', model: model.key, layers: [] }],
    ['weights to save that are not a list', { type: 'saveWeights', model: model.key, layers: weights }],
    [
      'weights to save with a NaN (JSON makes it null)',
      mutate({ type: 'saveWeights', model: model.key, layers: [weights] }, (m) => (m.layers[0].tensors[1].values[1] = NaN)),
    ],
    [
      'weights to save with an infinite value',
      mutate({ type: 'saveWeights', model: model.key, layers: [weights] }, (m) => (m.layers[0].tensors[0].values[0] = -Infinity)),
    ],
    [
      'weights to save with a null value',
      mutate({ type: 'saveWeights', model: model.key, layers: [weights] }, (m) => (m.layers[0].tensors[0].values[0] = null)),
    ],
    [
      'weights to save whose values do not fill the shape',
      mutate({ type: 'saveWeights', model: model.key, layers: [weights] }, (m) => m.layers[0].tensors[0].values.pop()),
    ],
    ['weights to save for one layer twice', { type: 'saveWeights', model: model.key, layers: [weights, weights] }],
    ['weights to save for a layer with an empty name', { type: 'saveWeights', model: model.key, layers: [{ ...weights, layer: '' }] }],
    [
      "a nested model's weights to save with a tensor of the wrong size",
      {
        type: 'saveWeights',
        model: model.key,
        layers: [{ layer: 'vgg16', tensors: [], layers: [{ layer: 'block1_conv1', tensors: [{ shape: [2], values: [1] }] }] }],
      },
    ],
    ['an unknown type', { type: 'reveal', index: 1 }],
  ];
  for (const [what, message] of malformedWebview) it(`drops a webview message with ${what}`, () => assert.equal(isWebviewMessage(message), false));
});

/** Type-checks `rootNames` with src/protocol.ts patched by `patch`; the errors that mention `marker`, by file. */
function errorsWithPatchedProtocol(rootNames: string[], options: ts.CompilerOptions, patch: (text: string) => string, marker: string): string[] {
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, language, ...rest) =>
    resolve(fileName) === PROTOCOL
      ? ts.createSourceFile(fileName, patch(readFileSync(PROTOCOL, 'utf8')), language)
      : getSourceFile(fileName, language, ...rest);
  const program = ts.createProgram({ rootNames, options: { ...options, noEmit: true }, host });
  return ts
    .getPreEmitDiagnostics(program)
    .filter((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n').includes(marker))
    .map((d) => `${d.file ? `${d.file.fileName.slice(ROOT.length + 1)}: ` : ''}${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`);
}

function projectOptions(tsconfig: string): ts.ParsedCommandLine {
  const parsed = ts.getParsedCommandLineOfConfigFile(
    join(ROOT, tsconfig),
    {},
    { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => assert.fail(ts.flattenDiagnosticMessageText(d.messageText, ' ')) },
  );
  assert.ok(parsed);
  return parsed;
}

describe('protocol: each side handles every message type, or does not compile', function () {
  this.timeout(120_000);

  it('a host message type the webview does not handle is a compile error in the webview', () => {
    const webview = projectOptions('webview/tsconfig.json');
    const errors = errorsWithPatchedProtocol(
      webview.fileNames,
      webview.options,
      (t) => t.replace(/export type HostMessage =/, "export type HostMessage =\n  | { type: 'zzUnhandled' }"),
      'zzUnhandled',
    );
    const inWebview = errors.filter((e) => e.startsWith('webview/'));
    assert.ok(inWebview.length > 0, `the webview compiles although it does not handle 'zzUnhandled'; errors: ${JSON.stringify(errors)}`);
  });

  it('a webview message type the host does not handle is a compile error in the host', () => {
    const host = projectOptions('tsconfig.json');
    const errors = errorsWithPatchedProtocol(
      [join(ROOT, 'src', 'extension.ts')],
      host.options,
      (t) => t.replace(/export type WebviewMessage =/, "export type WebviewMessage =\n  | { type: 'zzUnhandled' }"),
      'zzUnhandled',
    );
    const inHost = errors.filter((e) => e.startsWith('src/panel/'));
    assert.ok(inHost.length > 0, `the host compiles although it does not handle 'zzUnhandled'; errors: ${JSON.stringify(errors)}`);
  });
});
