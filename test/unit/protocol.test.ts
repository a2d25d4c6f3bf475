/**
 * The host↔webview protocol (src/protocol.ts): each side validates what arrives in depth, not only the message's
 * type, and each side's handler is exhaustive — a message type it does not handle fails to compile (checked by
 * compiling both sides against a protocol with one more message type).
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import Module from 'node:module';
import { dirname, join, resolve } from 'node:path';
import * as ts from 'typescript';
import type * as v from 'valibot';
import { analyzeCells, readTraining } from '../../src/core';
import { downsamplingVariants } from '../../src/panel/downsampling';
import { toPreviewModel } from '../../src/panel/previewModel';
import {
  HostMessageSchema,
  isHostMessage,
  isWebviewMessage,
  WebviewMessageSchema,
  whyMalformed,
  type HostMessage,
  type WebviewMessage,
} from '../../src/protocol';
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
  // A notebook whose model is compiled and fitted in another cell: the training setup, its ranges with their cell.
  const cells = [
    { index: 0, text: 'import keras\nmodel = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3, activation="softmax")])' },
    {
      index: 2,
      text: 'model.compile(optimizer=keras.optimizers.SGD(0.1, momentum=0.9), loss="sparse_categorical_crossentropy", metrics=["accuracy"])\nmodel.fit(x, y, epochs=3, batch_size=8)',
    },
  ];
  const notebookModel = analyzeCells(cells).models[0];
  const trained = { ...toPreviewModel(notebookModel, 'nb#model#0'), training: readTraining(cells, notebookModel) };
  /** A model with a pretrained base as a layer (a nested model). */
  const withBase = toPreviewModel(modelNamed(example('vgg16_feature_extraction.py'), 'model'), 'file:///vgg16_feature_extraction.py#model#1');
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
    { type: 'model', model: trained, memoryLimitMB: 512 },
    { type: 'model', model: withBase, memoryLimitMB: 1024 },
    { type: 'weights', source: 'base.weights.h5', layers: [{ layer: 'vgg16', tensors: [], layers: [{ ...weights, layer: 'block1_conv1' }] }] },
  ];

  it("the host's messages as the host makes them pass", () => {
    assert.equal(variants.length, 4);
    assert.equal(trained.training.compile?.cell, 2, 'the notebook sample carries a range in a cell');
    assert.ok(
      withBase.layers.some((l) => l.nested && l.nested.layers.length > 0),
      'the VGG16 sample carries a nested model',
    );
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

/**
 * The schema as data: valibot schemas are plain objects (`type`, and `entries`, `item`, `wrapped`, `options` or
 * `getter` by kind), so a test can walk a message and its schema together.
 */
interface Node {
  type: string;
  entries?: Record<string, Node>;
  item?: Node;
  wrapped?: Node;
  options?: Node[];
  getter?: (input: unknown) => Node;
}

/** The schema that a value of `schema` is checked by, once lazies, nullables and unions are resolved for `value`. */
function resolveFor(schema: Node, value: unknown, is: (s: Node, x: unknown) => boolean): Node | null {
  if (schema.type === 'lazy') return resolveFor(schema.getter!(value), value, is);
  if (schema.type === 'nullable' || schema.type === 'optional') return value === null || value === undefined ? null : resolveFor(schema.wrapped!, value, is);
  if (schema.type === 'union' || schema.type === 'variant') {
    const option = schema.options!.find((o) => is(o, value));
    return option ? resolveFor(option, value, is) : null;
  }
  return schema;
}

/** A value of another JSON kind than `x`: what a sender that got a field's type wrong would send. */
function wrongKind(x: unknown): unknown {
  if (typeof x === 'string') return 7;
  if (typeof x === 'number') return String(x);
  if (typeof x === 'boolean') return String(x);
  if (x === null) return true;
  return 'x';
}

interface Case {
  what: string;
  message: unknown;
}

/**
 * Every way to break a valid message one field at a time, generated from the message and its schema: each field the
 * schema requires deleted, each field (at any depth, every list item included) given a value of another kind, and
 * an unknown field added to each object. `seen` collects each object schema's fields the message reached.
 */
function brokenCopies(message: unknown, schema: Node, is: (s: Node, x: unknown) => boolean, seen: Map<object, Set<string>>): Case[] {
  const cases: Case[] = [];
  const at = (path: (string | number)[]) => path.join('.') || '(the message)';
  const edit = (path: (string | number)[], change: (parent: any, key: string | number) => void) => {
    const copy = structuredClone(message) as any;
    let parent = copy;
    for (const k of path.slice(0, -1)) parent = parent[k];
    change(parent, path[path.length - 1]);
    return copy;
  };
  const walk = (node: Node, value: unknown, path: (string | number)[]) => {
    const s = resolveFor(node, value, is);
    if (!s) return;
    if (s.type === 'strict_object' && value && typeof value === 'object') {
      const fields = seen.get(s.entries!) ?? new Set<string>();
      seen.set(s.entries!, fields);
      cases.push({ what: `an unknown field at ${at(path)}`, message: edit([...path, 'zzUnknown'], (p, k) => (p[k] = 1)) });
      for (const [key, field] of Object.entries(s.entries!)) {
        if (!(key in value)) continue;
        fields.add(key);
        const fieldValue = (value as Record<string, unknown>)[key];
        if (field.type !== 'optional') cases.push({ what: `${at([...path, key])} missing`, message: edit([...path, key], (p, k) => delete p[k]) });
        cases.push({ what: `${at([...path, key])} of another kind`, message: edit([...path, key], (p, k) => (p[k] = wrongKind(fieldValue))) });
        walk(field, fieldValue, [...path, key]);
      }
    } else if (s.type === 'array' && Array.isArray(value)) {
      value.forEach((item, i) => {
        cases.push({ what: `${at([...path, i])} of another kind`, message: edit([...path, i], (p, k) => (p[k] = wrongKind(item))) });
        walk(s.item!, item, [...path, i]);
      });
    }
  };
  walk(schema, message, []);
  return cases;
}

/** Every object schema's fields reachable from `schema`, by its entries (what brokenCopies' `seen` is compared against). */
function allFields(schema: Node, out = new Map<object, Set<string>>(), done = new Set<Node>()): Map<object, Set<string>> {
  if (done.has(schema)) return out;
  done.add(schema);
  if (schema.entries) out.set(schema.entries, new Set(Object.keys(schema.entries)));
  const inner = [...Object.values(schema.entries ?? {}), schema.item, schema.wrapped, ...(schema.options ?? []), schema.getter?.(undefined)];
  for (const s of inner) if (s) allFields(s, out, done);
  return out;
}

describe('protocol: every field of every message is checked (cases generated from the schemas)', () => {
  const text = example('mnist_convnet.py');
  const model = toPreviewModel(modelNamed(text, 'model'), 'file:///mnist_convnet.py#model#0');
  const resnet = toPreviewModel(modelNamed(example('functional_resnet.py'), 'toy_resnet'), 'f#1');
  const withBase = toPreviewModel(modelNamed(example('vgg16_feature_extraction.py'), 'model'), 'v#1');
  const cells = [
    { index: 0, text: 'import keras\nmodel = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3)])' },
    { index: 1, text: 'model.compile(optimizer="sgd", loss="mse")\nmodel.fit(x, y, epochs=2)' },
  ];
  const notebookModel = analyzeCells(cells).models[0];
  const trained = { ...toPreviewModel(notebookModel, 'nb#0'), training: readTraining(cells, notebookModel) };
  const tensor = { shape: [2, 1], values: [0.5, -1] };
  const weights = [
    { layer: 'dense', tensors: [tensor] },
    { layer: 'vgg16', tensors: [], layers: [{ layer: 'block1_conv1', tensors: [tensor] }] },
  ];
  // One message of each type, the model's fields as the host fills them (a Sequential, a Functional graph, a nested
  // base, a training setup with ranges in a cell), every optional field present somewhere.
  const host: HostMessage[] = [
    { type: 'model', model, memoryLimitMB: 1024 },
    { type: 'model', model: resnet, memoryLimitMB: 1024 },
    { type: 'model', model: withBase, memoryLimitMB: 1024 },
    { type: 'model', model: trained, memoryLimitMB: 1024 },
    { type: 'whatIf', model: model.key, index: 1, variants: [{ label: 'stride 2', code: 'Conv2D(32, 3, strides=2)', model }] },
    { type: 'refused', message: 'too big' },
    { type: 'selectLayer', index: 3 },
    { type: 'selectLayer', index: null },
    { type: 'weights', source: 'model.h5', layers: weights },
    { type: 'weightsError', message: 'no' },
    { type: 'image', name: 'a.png', dataUrl: 'data:image/png;base64,AAAA' },
    { type: 'folderStart', folder: 'pets/', classes: ['cats', 'dogs'], total: 2, notes: ['skipped one'] },
    { type: 'folderImages', folder: 'pets/', images: [{ label: 1, name: 'dogs/b.jpg', mime: 'image/jpeg', data: '/9j/4A==' }], last: true },
    { type: 'folderError', message: 'Too few images' },
  ];
  const webview: WebviewMessage[] = [
    { type: 'ready' },
    { type: 'revealLayer', model: model.key, index: 2 },
    { type: 'whatIf', model: model.key, index: 1 },
    { type: 'pickImage' },
    { type: 'pickFolder', maxImages: 5000 },
    { type: 'pickWeights' },
    { type: 'resetWeights' },
    { type: 'saveWeights', model: model.key, layers: weights },
    { type: 'status', backend: 'webgl', layersShown: 8, runMs: 12.5, notice: 'software WebGL' },
    { type: 'status', backend: 'webgl', layersShown: 8, runMs: 12.5, notice: null },
    { type: 'error', message: 'oops' },
  ];

  const sides = [
    { side: 'host', schema: HostMessageSchema, samples: host as unknown[], check: isHostMessage },
    { side: 'webview', schema: WebviewMessageSchema, samples: webview as unknown[], check: isWebviewMessage },
  ];
  for (const { side, schema, samples, check } of sides) {
    const is = (s: Node, x: unknown) =>
      (s as unknown as { '~run': v.BaseSchema<unknown, unknown, v.BaseIssue<unknown>>['~run'] })['~run']({ value: x }, { abortEarly: true }).issues ===
      undefined;
    const seen = new Map<object, Set<string>>();
    for (const option of (schema as unknown as Node).options!) {
      const type = (option.entries!.type as unknown as { literal: string }).literal;
      const ofType = samples.filter((m) => (m as { type: string }).type === type);
      it(`${side} '${type}': the message as sent passes; with any field missing, of another kind or unknown, it is dropped`, () => {
        assert.ok(ofType.length > 0, `no sample of '${type}'`);
        const dropped: Case[] = [];
        const passed: string[] = [];
        for (const m of ofType) {
          assert.ok(check(m), `${type}: ${whyMalformed(schema, m)}`);
          for (const c of brokenCopies(m, schema as unknown as Node, is, seen)) check(c.message) ? passed.push(c.what) : dropped.push(c);
        }
        assert.deepEqual(passed, [], `accepted although broken: ${passed.slice(0, 10).join('; ')}`);
        assert.ok(
          dropped.some((c) => c.what.endsWith('missing') || c.what.endsWith('another kind')),
          'no field was broken',
        );
      });
    }
    it(`${side}: the samples reach every field of every object schema (so the cases above break each one)`, () => {
      const missed = [...allFields(schema as unknown as Node)].flatMap(([entries, keys]) =>
        [...keys].filter((k) => !seen.get(entries)?.has(k)).map((k) => `${k} (of an object with ${Object.keys(entries).join(', ')})`),
      );
      assert.deepEqual(missed, []);
    });
  }
});

/** src/protocol.ts with `patch` applied, compiled and loaded as a module of its own (its imports resolve as the real one's). */
function patchedProtocol(patch: (text: string) => string): typeof import('../../src/protocol') {
  const original = readFileSync(PROTOCOL, 'utf8');
  const text = patch(original);
  assert.notEqual(text, original, 'the patch changed nothing');
  const js = ts.transpileModule(text, {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
  }).outputText;
  const m = new Module(PROTOCOL, module);
  m.filename = PROTOCOL;
  m.paths = (Module as unknown as { _nodeModulePaths: (dir: string) => string[] })._nodeModulePaths(dirname(PROTOCOL));
  (m as unknown as { _compile: (code: string, file: string) => void })._compile(js, PROTOCOL);
  return m.exports as typeof import('../../src/protocol');
}

describe('protocol: the validators are the schemas', () => {
  const model = toPreviewModel(modelNamed(example('mnist_convnet.py'), 'model'), 'm#0');
  const message = { type: 'model', model, memoryLimitMB: 1024 };
  const withField = (value: unknown) => ({ ...message, model: { ...model, layers: model.layers.map((l) => ({ ...l, units: value })) } });

  it("a field added to a layer's schema is checked on arrival, with nothing else written", () => {
    const patched = patchedProtocol((t) =>
      t.replace(/(const PreviewLayerFields = v\.strictObject\(\{\n)/, '$1  units: v.nullable(v.pipe(v.number(), v.integer())),\n'),
    );
    assert.ok(isHostMessage(message) && !isHostMessage(withField(3)), 'the real protocol has no such field');
    assert.equal(patched.isHostMessage(message), false, 'a layer without the new field passes');
    assert.equal(patched.isHostMessage(withField(3)), true);
    assert.equal(patched.isHostMessage(withField(null)), true);
    assert.equal(patched.isHostMessage(withField('3')), false, 'a string passes as the new field');
    assert.equal(patched.isHostMessage(withField(2.5)), false, 'a fraction passes as the new field');
  });

  it("a field added to a webview message's schema is checked on arrival", () => {
    const patched = patchedProtocol((t) =>
      t.replace("v.literal('error'), message: v.string() }", "v.literal('error'), message: v.string(), stack: v.string() }"),
    );
    assert.equal(patched.isWebviewMessage({ type: 'error', message: 'oops' }), false);
    assert.equal(patched.isWebviewMessage({ type: 'error', message: 'oops', stack: 'at x' }), true);
    assert.equal(patched.isWebviewMessage({ type: 'error', message: 'oops', stack: 1 }), false);
  });

  it('says where a dropped message is malformed', () => {
    const broken = mutate(message, (m) => (m.model.layers[3].params = '320'));
    assert.match(whyMalformed(HostMessageSchema, broken), /^model\.layers\.3\.params: /);
    assert.match(whyMalformed(WebviewMessageSchema, { type: 'pickFolder', maxImages: 0 }), /^maxImages: /);
  });
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
      (t) => t.replace("export const HostMessageSchema = v.variant('type', [", "$&\n  v.strictObject({ type: v.literal('zzUnhandled') }),"),
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
      (t) => t.replace("export const WebviewMessageSchema = v.variant('type', [", "$&\n  v.strictObject({ type: v.literal('zzUnhandled') }),"),
      'zzUnhandled',
    );
    const inHost = errors.filter((e) => e.startsWith('src/panel/'));
    assert.ok(inHost.length > 0, `the host compiles although it does not handle 'zzUnhandled'; errors: ${JSON.stringify(errors)}`);
  });
});
