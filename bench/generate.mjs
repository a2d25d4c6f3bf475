// Deterministic generator of a large Python file for the LayerLens benchmark: Keras Sequential models
// spread among ordinary code (classes, loops, comprehensions, docstrings and strings that mention
// `Sequential` and `model.add(`, decorators, try/except, module constants, builder functions).
//
// The same seed and line count always give the same text. Besides the text, it returns a manifest of the
// models it wrote: the 1-based line of each `Sequential(` call and the offset of one numeric literal
// (the units of a `Dense(...)` layer) that the benchmark edits to time re-analysis.
//
// Usage as a script:
//   node bench/generate.mjs [--lines 20000] [--seed 1] [--mentions 0.3] [--out bench/.data/generated.py]
// (also writes OUT.json with the manifest).

import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Small, fast, seedable PRNG (mulberry32). */
function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Markers, removed when the text is assembled: SEQ starts the line of a model's `Sequential(` call,
// EDIT stands just before the numeric literal the benchmark edits.
const SEQ = '\u0001';
const EDIT = '\u0002';

const WORDS = [
  'alpha',
  'beta',
  'gamma',
  'delta',
  'sigma',
  'omega',
  'vector',
  'matrix',
  'tensor',
  'batch',
  'record',
  'sample',
  'feature',
  'label',
  'metric',
  'signal',
  'buffer',
  'stream',
  'window',
  'cache',
  'report',
  'config',
  'schedule',
  'dataset',
  'loader',
  'reader',
  'writer',
  'parser',
  'token',
  'vocab',
  'image',
  'pixel',
  'frame',
  'series',
];
/**
 * Share of docstrings and strings in ordinary code that mention `Sequential` or `model.add(` (they are
 * text, never models). The core's prefilter parses every top-level statement whose text mentions them,
 * so this rate decides how much of the file a cold analysis parses; `--mentions 1` is the worst case.
 */
export const DEFAULT_MENTIONS = 0.3;

const UNITS = [16, 24, 32, 48, 64, 96, 128, 256, 512];
const ACTIVATIONS = ['relu', 'tanh', 'gelu', 'elu', 'selu', 'swish'];

class Generator {
  constructor(seed, mentions) {
    this.rand = mulberry32(seed);
    this.serial = 0;
    this.mentions = mentions;
  }
  int(lo, hi) {
    return lo + Math.floor(this.rand() * (hi - lo + 1));
  }
  pick(list) {
    return list[Math.floor(this.rand() * list.length)];
  }
  chance(p) {
    return this.rand() < p;
  }
  /** Whether this docstring or string mentions Sequential / model.add( (the `mentions` rate). */
  mention() {
    return this.chance(this.mentions);
  }
  /** A fresh identifier suffix, so that no two blocks bind the same name. */
  id() {
    return ++this.serial;
  }
  word() {
    return this.pick(WORDS);
  }
  units() {
    return this.pick(UNITS);
  }
  act() {
    return this.pick(ACTIVATIONS);
  }
}

// ---- ordinary code (no models) -----------------------------------------------------------------

/** Module constants: numbers, tuples, a multi-line dict, strings that mention Sequential and model.add(. */
function constants(g) {
  const n = g.id();
  const w = g.word().toUpperCase();
  const out = [
    `${w}_SIZE_${n} = ${g.int(2, 512)}`,
    `${w}_RATE_${n} = ${g.int(1, 9)}e-${g.int(2, 5)}`,
    `${w}_SHAPE_${n} = (${g.int(8, 64)}, ${g.int(8, 64)}, ${g.pick([1, 3])})`,
    `${w}_NAMES_${n}: list = [${Array.from({ length: g.int(2, 5) }, () => `"${g.word()}"`).join(', ')}]`,
    `${w}_OPTIONS_${n} = {`,
    `    "epochs": ${g.int(1, 100)},`,
    `    "batch_size": ${g.pick([16, 32, 64, 128])},`,
    `    "optimizer": "${g.pick(['adam', 'sgd', 'rmsprop'])}",`,
    `    "callbacks": [${g.chance(0.5) ? '"early_stopping"' : ''}],`,
    `}`,
  ];
  if (g.mention()) out.push(`${w}_HELP_${n} = "Builds a keras.Sequential model; call model.add(layers.Dense(${g.units()})) to grow it."`);
  else out.push(`${w}_HELP_${n} = "Number of ${g.word()} records to keep per ${g.word()}."`);
  if (g.chance(0.4)) out.push(`${w}_PATTERN_${n} = r"^model\\.add\\((\\w+)\\)$"`);
  out.push('');
  return out;
}

/** A class with a docstring that shows Sequential code, properties, loops, comprehensions, try/except. */
function plainClass(g) {
  const n = g.id();
  const w = g.word();
  const cls = `${w[0].toUpperCase()}${w.slice(1)}Manager${n}`;
  const out = [];
  if (g.chance(0.4)) out.push('@dataclasses.dataclass');
  out.push(`class ${cls}${g.chance(0.5) ? '(object)' : ''}:`);
  out.push(`    """Keeps ${w} records for the training loop.`);
  out.push('');
  out.push('    Example:');
  if (g.mention()) {
    out.push('        model = keras.Sequential()');
    out.push(`        model.add(layers.Dense(${g.units()}, activation="${g.act()}"))`);
    out.push(`        manager = ${cls}(model)`);
  } else {
    out.push(`        manager = ${cls}(source=open("${g.word()}.csv"))`);
    out.push(`        manager.push({"${g.word()}": ${g.int(0, 99)}})`);
  }
  out.push('    """');
  out.push('');
  out.push(`    limit: int = ${g.int(1, 1000)}`);
  out.push(`    label = "${w}"`);
  out.push('');
  out.push('    def __init__(self, source=None, limit=None):');
  out.push('        self.source = source');
  out.push(`        self.items = []`);
  out.push(`        self.index = {}`);
  out.push(`        self.seen = set()`);
  out.push('        if limit is not None:');
  out.push('            self.limit = limit');
  out.push('');
  out.push('    @property');
  out.push('    def size(self):');
  out.push('        return len(self.items)');
  out.push('');
  // Ordinary code calls .add( on sets; about half the classes do.
  const usesSet = g.chance(0.5);
  out.push('    def push(self, item):');
  out.push(`        """Adds an item unless it was seen${g.mention() ? '; like model.add( but idempotent' : ''}."""`);
  out.push('        key = repr(item)');
  out.push(`        if key in self.${usesSet ? 'seen' : 'index'}:`);
  out.push('            return False');
  if (usesSet) out.push('        self.seen.add(key)');
  out.push('        self.items.append(item)');
  out.push('        self.index[key] = len(self.items) - 1');
  out.push('        return True');
  out.push('');
  out.push(`    def summary(self, width=${g.int(20, 120)}):`);
  out.push('        rows = [f"{i:>4} {str(item)[:width]}" for i, item in enumerate(self.items)]');
  out.push(`        totals = {k: v for k, v in self.index.items() if v % ${g.int(2, 7)} == 0}`);
  out.push('        try:');
  out.push('            head = rows[0]');
  out.push('        except IndexError:');
  out.push('            head = "<empty>"');
  out.push('        finally:');
  out.push('            pass');
  out.push('        return head, rows, totals');
  out.push('');
  if (g.chance(0.5)) {
    out.push('    @staticmethod');
    out.push(`    def parse(text, sep="${g.pick([',', ';', ':', '|'])}"):`);
    out.push('        parts = []');
    out.push('        for raw in text.split(sep):');
    out.push('            raw = raw.strip()');
    out.push('            if not raw:');
    out.push('                continue');
    out.push('            elif raw.startswith("#"):');
    out.push('                break');
    out.push('            else:');
    out.push('                parts.append(raw.lower())');
    out.push('        return parts');
    out.push('');
  }
  out.push('    def __repr__(self):');
  out.push(`        return f"${cls}(size={self.size}, limit={self.limit})"`);
  out.push('');
  out.push('');
  return out;
}

/** A decorated function with loops, comprehensions, a with block and try/except/else. */
function plainFunction(g) {
  const n = g.id();
  const w = g.word();
  const out = [];
  if (g.chance(0.5)) out.push(`@functools.lru_cache(maxsize=${g.int(8, 256)})`);
  if (g.chance(0.3)) out.push('@staticmethod_like');
  out.push(`def compute_${w}_${n}(values, scale=${g.int(1, 9)}.0, *, strict=False):`);
  if (g.mention()) out.push(`    """Computes ${w} statistics. Unlike a Sequential model, nothing is added with .add( here."""`);
  else out.push(`    """Computes ${w} statistics: total and mean, skipping missing values."""`);
  out.push('    total = 0');
  out.push('    squares = [v * v for v in values if v is not None]');
  out.push('    pairs = {(a, b) for a in range(3) for b in range(a)}');
  out.push('    lookup = {str(i): i ** 2 for i in range(len(values))}');
  out.push('    gen = (x / scale for x in squares)');
  out.push('    for i, value in enumerate(values):');
  out.push(`        if value is None and strict:`);
  out.push(`            raise ValueError(f"missing ${w} at {i}")`);
  out.push('        elif value is None:');
  out.push('            continue');
  out.push('        total += value * scale');
  out.push('    while total > 1e6:');
  out.push('        total /= 10');
  out.push('    try:');
  out.push('        mean = total / len(values)');
  out.push('    except ZeroDivisionError:');
  out.push('        mean = float("nan")');
  out.push('    else:');
  out.push('        mean = round(mean, 4)');
  out.push(`    with open(os.devnull, "w") as sink:`);
  out.push(`        print("${w}", mean, file=sink)`);
  out.push('    return {"total": total, "mean": mean, "pairs": len(pairs), "lookup": lookup, "sum": sum(gen)}');
  out.push('');
  out.push('');
  return out;
}

/** Comment lines and a module-level string full of Keras code, which must not count as models. */
function textBlock(g) {
  const n = g.id();
  const u = g.units();
  return [
    `# Older versions built the model inline:`,
    `#     model = keras.Sequential()`,
    `#     model.add(layers.Dense(${u}, activation="relu"))`,
    `#     model.add(layers.Dense(${g.int(2, 20)}))`,
    `TEMPLATE_${n} = """`,
    `import keras`,
    `from keras import layers`,
    ``,
    `model = keras.Sequential([`,
    `    layers.Dense(${u}, activation="relu"),`,
    `])`,
    `model.add(layers.Dense(${g.int(2, 20)}))`,
    `"""`,
    `NOTE_${n} = 'model.add( and Sequential( inside a string are text, not code'`,
    '',
  ];
}

/** An async function, a generator and a lambda table. */
function plainAsync(g) {
  const n = g.id();
  const w = g.word();
  return [
    `async def fetch_${w}_${n}(session, urls, retries=${g.int(1, 5)}):`,
    `    results = []`,
    `    for url in urls:`,
    `        for attempt in range(retries):`,
    `            try:`,
    `                async with session.get(url) as response:`,
    `                    results.append(await response.text())`,
    `                break`,
    `            except (TimeoutError, ConnectionError) as exc:`,
    `                if attempt == retries - 1:`,
    `                    raise RuntimeError(url) from exc`,
    `    return results`,
    ``,
    ``,
    `def iter_${w}_${n}(items, size=${g.int(2, 64)}):`,
    `    batch = []`,
    `    for item in items:`,
    `        batch.append(item)`,
    `        if len(batch) == size:`,
    `            yield tuple(batch)`,
    `            batch = []`,
    `    if batch:`,
    `        yield tuple(batch)`,
    ``,
    ``,
    `TRANSFORMS_${n} = {`,
    `    "double": lambda x: x * 2,`,
    `    "square": lambda x: x ** 2,`,
    `    "clip": lambda x, lo=0, hi=${g.int(1, 255)}: max(lo, min(hi, x)),`,
    `}`,
    ``,
  ];
}

/** Top-level control flow: if/else, for, while, try/except with an import. */
function topLevelFlow(g) {
  const n = g.id();
  const w = g.word();
  return [
    `if os.environ.get("${w.toUpperCase()}_DEBUG_${n}"):`,
    `    LOG_LEVEL_${n} = "debug"`,
    `else:`,
    `    LOG_LEVEL_${n} = "info"`,
    ``,
    `try:`,
    `    import ujson as json_${n}`,
    `except ImportError:`,
    `    import json as json_${n}`,
    ``,
    `for _key_${n} in ("a", "b", "c"):`,
    `    REGISTRY.setdefault(_key_${n}, []).append(${g.int(0, 99)})`,
    ``,
    `_counter_${n} = 0`,
    `while _counter_${n} < ${g.int(1, 5)}:`,
    `    _counter_${n} += 1`,
    ``,
  ];
}

const FILLERS = [
  [plainClass, 4],
  [plainFunction, 4],
  [constants, 3],
  [textBlock, 1],
  [plainAsync, 2],
  [topLevelFlow, 1],
];
const FILLER_WEIGHT = FILLERS.reduce((s, [, w]) => s + w, 0);

function filler(g) {
  let r = g.rand() * FILLER_WEIGHT;
  for (const [fn, w] of FILLERS) {
    if ((r -= w) < 0) return fn(g);
  }
  return FILLERS[0][0](g);
}

// ---- models ------------------------------------------------------------------------------------
// Each returns lines with exactly one SEQ marker (at the start of the line holding `Sequential(`) and one
// EDIT marker (before the units of a Dense layer).

/** Module level, list style, tf.keras spelling, with a constant defined elsewhere in the file. */
function modelList(g) {
  const n = g.id();
  const name = `mlp_${g.word()}_${n}`;
  return [
    `FEATURES_${n} = ${g.int(4, 256)}`,
    ``,
    `${SEQ}${name} = tf.keras.Sequential([`,
    `    tf.keras.layers.Input(shape=(FEATURES_${n},)),`,
    `    tf.keras.layers.Dense(${EDIT}${g.units()}, activation="${g.act()}"),`,
    `    tf.keras.layers.Dropout(0.${g.int(1, 5)}),`,
    `    tf.keras.layers.Dense(${g.units()}, activation="${g.act()}"),`,
    `    tf.keras.layers.Dense(${g.int(2, 20)}, activation="softmax"),`,
    `], name="${name}")`,
    ``,
  ];
}

/** Module level, `.add()` style convnet (models.Sequential, layers.*). */
function modelAdd(g) {
  const n = g.id();
  const name = `cnn_${n}`;
  const side = g.pick([28, 32, 64]);
  return [
    `${SEQ}${name} = models.Sequential()`,
    `${name}.add(layers.Conv2D(${g.pick([16, 32])}, (3, 3), activation="relu", input_shape=(${side}, ${side}, ${g.pick([1, 3])})))`,
    `${name}.add(layers.MaxPooling2D((2, 2)))`,
    `${name}.add(layers.Conv2D(${g.pick([32, 64])}, (3, 3), activation="relu"))`,
    `${name}.add(layers.Flatten())`,
    `${name}.add(layers.Dense(${EDIT}${g.units()}, activation="relu"))`,
    `${name}.add(layers.Dense(${g.int(2, 20)}, activation="softmax"))`,
    ``,
  ];
}

/** A decorated builder function: Sequential list, then .add(), then return. */
function modelBuilder(g) {
  const n = g.id();
  const w = g.word();
  const out = [];
  if (g.chance(0.5)) out.push(`@register("${w}_${n}")`);
  out.push(`def build_${w}_${n}(input_dim=${g.int(4, 128)}, classes=${g.int(2, 20)}):`);
  out.push(`    """Returns a compiled keras.Sequential classifier for ${w} data."""`);
  out.push(`${SEQ}    model = keras.Sequential([`);
  out.push(`        keras.Input(shape=(input_dim,)),`);
  out.push(`        layers.Dense(${g.units()}, activation="${g.act()}"),`);
  out.push(`        layers.BatchNormalization(),`);
  out.push(`    ])`);
  out.push(`    model.add(layers.Dense(${EDIT}${g.units()}, activation="${g.act()}"))`);
  out.push(`    model.add(layers.Dropout(0.${g.int(1, 5)}))`);
  out.push(`    model.add(layers.Dense(classes, activation="softmax"))`);
  out.push(`    model.compile(`);
  out.push(`        optimizer="${g.pick(['adam', 'sgd', 'rmsprop'])}",`);
  out.push(`        loss="sparse_categorical_crossentropy",`);
  out.push(`        metrics=["accuracy"],`);
  out.push(`    )`);
  out.push(`    return model`);
  out.push(``);
  out.push(``);
  return out;
}

/** A class whose constructor builds a recurrent model on self.model (directly imported names). */
function modelClass(g) {
  const n = g.id();
  const w = g.word();
  const cls = `${w[0].toUpperCase()}${w.slice(1)}Experiment${n}`;
  return [
    `class ${cls}:`,
    `    """Text experiment. The network is a Sequential: Embedding, LSTM, Dense."""`,
    ``,
    `    epochs = ${g.int(1, 50)}`,
    ``,
    `    def __init__(self, vocab=${g.pick([1000, 5000, 10000, 20000])}, length=${g.int(20, 400)}):`,
    `        self.vocab = vocab`,
    `        self.history = []`,
    `${SEQ}        self.model = Sequential(name="${w}_${n}")`,
    `        self.model.add(Embedding(vocab, ${g.pick([32, 64, 128])}, input_length=length))`,
    `        self.model.add(LSTM(${g.pick([32, 64, 128])}))`,
    `        self.model.add(Dense(${EDIT}${g.units()}, activation="relu"))`,
    `        self.model.add(Dense(1, activation="sigmoid"))`,
    ``,
    `    def train(self, x, y):`,
    `        for epoch in range(self.epochs):`,
    `            logs = self.model.fit(x, y, verbose=0)`,
    `            self.history.append({k: v[-1] for k, v in logs.history.items()})`,
    `        return self.history`,
    ``,
    ``,
  ];
}

/** Top-level try/except and with blocks, keyword `layers=` and keras.models.Sequential spellings. */
function modelGuarded(g) {
  const n = g.id();
  const style = g.int(0, 1);
  if (style === 0)
    return [
      `try:`,
      `${SEQ}    rnn_${n} = keras.models.Sequential(layers=[`,
      `        layers.Input(shape=(None, ${g.int(2, 32)})),`,
      `        layers.GRU(${g.pick([16, 32, 64])}),`,
      `        layers.Dense(${EDIT}${g.units()}, activation="relu"),`,
      `        layers.Dense(1),`,
      `    ])`,
      `except (ImportError, ValueError) as exc:`,
      `    logger.warning("could not build rnn_${n}: %s", exc)`,
      ``,
    ];
  return [
    `with strategy.scope():`,
    `${SEQ}    wide_${n} = keras.Sequential()`,
    `    wide_${n}.add(layers.Input(shape=(${g.int(8, 512)},)))`,
    `    wide_${n}.add(layers.Dense(${EDIT}${g.units()}, activation="${g.act()}"))`,
    `    wide_${n}.add(layers.Dense(${g.units()}, activation="${g.act()}"))`,
    `    wide_${n}.add(layers.Dense(${g.int(2, 20)}))`,
    ``,
  ];
}

/** A hyper-parameter loop at top level: one Sequential call, written once, making one model per rate (3). */
function modelLoop(g) {
  const n = g.id();
  return [
    `for rate_${n} in (0.1, 0.2, 0.3):`,
    `${SEQ}    candidate_${n} = Sequential([`,
    `        Dense(${EDIT}${g.units()}, activation="relu", input_shape=(${g.int(4, 64)},)),`,
    `        Dropout(rate_${n}),`,
    `        Dense(${g.int(2, 20)}, activation="softmax"),`,
    `    ])`,
    `    CANDIDATES.append(candidate_${n})`,
    ``,
  ];
}

/** A small head returned directly from a function. */
function modelReturned(g) {
  const n = g.id();
  return [
    `def make_head_${n}(classes=${g.int(2, 20)}):`,
    `${SEQ}    return keras.Sequential([`,
    `        layers.Input(shape=(${g.int(8, 256)},)),`,
    `        layers.Dense(${EDIT}${g.units()}, activation="${g.act()}"),`,
    `        layers.Dense(classes),`,
    `    ], name="head_${n}")`,
    ``,
    ``,
  ];
}

/** A factory with a loop over its argument, called with arguments: the call's numbers, not the defaults. */
function modelFactory(g) {
  const n = g.id();
  const w = g.word();
  return [
    `def make_${w}_${n}(input_shape=(32, 32, 3), filters=(16, 32), classes=10):`,
    `${SEQ}    model = keras.Sequential([keras.Input(shape=input_shape)])`,
    `    for i, f in enumerate(filters):`,
    `        model.add(layers.Conv2D(f, 3, padding="same", activation="relu"))`,
    `        if i < len(filters) - 1:`,
    `            model.add(layers.MaxPooling2D())`,
    `    model.add(layers.GlobalAveragePooling2D())`,
    `    model.add(layers.Dense(${EDIT}${g.units()}, activation="relu"))`,
    `    model.add(layers.Dense(classes, activation="softmax"))`,
    `    return model`,
    ``,
    ``,
    `${w}_model_${n} = make_${w}_${n}((${g.pick([28, 32, 64])}, ${g.pick([28, 32, 64])}, ${g.pick([1, 3])}), filters=(${g.pick([16, 32])}, ${g.pick([32, 64])}, ${g.pick([64, 128])}), classes=${g.int(2, 20)})`,
    ``,
  ];
}

const MODELS = [
  [modelFactory, 2],
  [modelList, 3],
  [modelAdd, 3],
  [modelBuilder, 4],
  [modelClass, 2],
  [modelGuarded, 2],
  [modelLoop, 1],
  [modelReturned, 1],
];
function model(g, templates) {
  let r = g.rand() * templates.reduce((s, [, w]) => s + w, 0);
  for (const [fn, w] of templates) {
    if ((r -= w) < 0) return { style: fn.name, lines: fn(g) };
  }
  return { style: templates[0][0].name, lines: templates[0][0](g) };
}

// ---- Functional models (issue 11) ----------------------------------------------------------------
// Same markers: SEQ starts the line of the `keras.Model(` call that makes the model, EDIT the units of a Dense.

/** Module level: an Input, convolutions, a residual add, then keras.Model(inputs, outputs). */
function functionalResidual(g) {
  const n = g.id();
  const f = g.pick([16, 32, 64]);
  return [
    `inputs_${n} = keras.Input(shape=(${g.pick([32, 64])}, ${g.pick([32, 64])}, 3), name="img_${n}")`,
    `x_${n} = layers.Conv2D(${f}, 3, activation="relu")(inputs_${n})`,
    `x_${n} = layers.Conv2D(${f}, 3, activation="relu")(x_${n})`,
    `block_${n} = layers.MaxPooling2D(3)(x_${n})`,
    `x_${n} = layers.Conv2D(${f}, 3, activation="relu", padding="same")(block_${n})`,
    `x_${n} = layers.Conv2D(${f}, 3, activation="relu", padding="same")(x_${n})`,
    `x_${n} = layers.add([x_${n}, block_${n}])`,
    `x_${n} = layers.GlobalAveragePooling2D()(x_${n})`,
    `x_${n} = layers.Dense(${EDIT}${g.units()}, activation="${g.act()}")(x_${n})`,
    `x_${n} = layers.Dropout(0.${g.int(1, 5)})(x_${n})`,
    `outputs_${n} = layers.Dense(${g.int(2, 20)})(x_${n})`,
    `${SEQ}resnet_${n} = keras.Model(inputs_${n}, outputs_${n}, name="resnet_${n}")`,
    ``,
  ];
}

/** A block helper called in a loop inside a builder function, which a module statement calls with arguments. */
function functionalBlocks(g) {
  const n = g.id();
  const w = g.word();
  const f = g.pick([16, 32]);
  return [
    `def res_block_${n}(x, filters, kernel=3):`,
    `    """One residual block: two convolutions and a skip connection (channels must match)."""`,
    `    y = layers.Conv2D(filters, kernel, padding="same", activation="relu")(x)`,
    `    y = layers.BatchNormalization()(y)`,
    `    y = layers.Conv2D(filters, kernel, padding="same")(y)`,
    `    return layers.Activation("relu")(layers.add([x, y]))`,
    ``,
    ``,
    `def build_${w}_${n}(input_shape=(32, 32, 3), blocks=2, classes=10):`,
    `    inputs = keras.Input(shape=input_shape)`,
    `    x = layers.Conv2D(${f}, 3, padding="same", activation="relu")(inputs)`,
    `    for _ in range(blocks):`,
    `        x = res_block_${n}(x, ${f})`,
    `    x = layers.GlobalAveragePooling2D()(x)`,
    `    x = layers.Dense(${EDIT}${g.units()}, activation="relu")(x)`,
    `    outputs = layers.Dense(classes, activation="softmax")(x)`,
    `${SEQ}    return keras.Model(inputs, outputs, name="${w}_${n}")`,
    ``,
    ``,
    `${w}_net_${n} = build_${w}_${n}((${g.pick([28, 32, 64])}, ${g.pick([28, 32, 64])}, ${g.pick([1, 3])}), blocks=${g.int(1, 4)}, classes=${g.int(2, 20)})`,
    ``,
  ];
}

/** Two inputs, two branches joined by concatenate, two outputs (keyword arguments to keras.Model). */
function functionalMultiInput(g) {
  const n = g.id();
  return [
    `title_${n} = keras.Input(shape=(None,), name="title_${n}")`,
    `body_${n} = keras.Input(shape=(None,), name="body_${n}")`,
    `tags_${n} = keras.Input(shape=(${g.int(4, 32)},), name="tags_${n}")`,
    `title_features_${n} = layers.Embedding(${g.pick([1000, 10000])}, ${g.pick([32, 64])})(title_${n})`,
    `body_features_${n} = layers.Embedding(${g.pick([1000, 10000])}, ${g.pick([32, 64])})(body_${n})`,
    `title_features_${n} = layers.LSTM(${g.pick([32, 64, 128])})(title_features_${n})`,
    `body_features_${n} = layers.LSTM(${g.pick([16, 32])})(body_features_${n})`,
    `merged_${n} = layers.concatenate([title_features_${n}, body_features_${n}, tags_${n}])`,
    `hidden_${n} = layers.Dense(${EDIT}${g.units()}, activation="relu")(merged_${n})`,
    `priority_${n} = layers.Dense(1, name="priority_${n}")(hidden_${n})`,
    `department_${n} = layers.Dense(${g.int(2, 8)}, name="department_${n}")(hidden_${n})`,
    `${SEQ}ticket_${n} = keras.Model(`,
    `    inputs=[title_${n}, body_${n}, tags_${n}],`,
    `    outputs=[priority_${n}, department_${n}],`,
    `)`,
    ``,
  ];
}

/** Inception-style branches in a helper, concatenated, built in a loop inside a `with` block. */
function functionalBranches(g) {
  const n = g.id();
  const f = g.pick([8, 16]);
  return [
    `def branches_${n}(x, width):`,
    `    a = layers.Conv2D(width, 1, padding="same", activation="relu")(x)`,
    `    b = layers.Conv2D(width, 3, padding="same", activation="relu")(x)`,
    `    c = layers.MaxPooling2D(3, strides=1, padding="same")(x)`,
    `    return layers.Concatenate(axis=-1)([a, b, c])`,
    ``,
    ``,
    `with strategy.scope():`,
    `    stem_${n} = keras.Input(shape=(${g.pick([32, 48])}, ${g.pick([32, 48])}, 3))`,
    `    h_${n} = stem_${n}`,
    `    for width_${n} in (${f}, ${f * 2}):`,
    `        h_${n} = branches_${n}(h_${n}, width_${n})`,
    `        h_${n} = layers.MaxPooling2D()(h_${n})`,
    `    h_${n} = layers.Flatten()(h_${n})`,
    `    h_${n} = layers.Dense(${EDIT}${g.units()}, activation="${g.act()}")(h_${n})`,
    `${SEQ}    inception_${n} = keras.Model(stem_${n}, layers.Dense(${g.int(2, 20)})(h_${n}), name="inception_${n}")`,
    ``,
  ];
}

const FUNCTIONAL_MODELS = [
  [functionalResidual, 3],
  [functionalBlocks, 3],
  [functionalMultiInput, 2],
  [functionalBranches, 2],
];

const HEADER = [
  '"""Generated benchmark module for LayerLens.',
  '',
  'Mixes ordinary Python with Keras Sequential models. Mentions of Sequential and model.add( in',
  'docstrings, comments and strings are not models.',
  '"""',
  'from __future__ import annotations',
  '',
  'import dataclasses',
  'import functools',
  'import logging',
  'import os',
  '',
  'import tensorflow as tf',
  'from tensorflow import keras',
  'from tensorflow.keras import layers, models',
  'from tensorflow.keras.models import Sequential',
  'from tensorflow.keras.layers import Dense, Dropout, Embedding, LSTM',
  '',
  'logger = logging.getLogger(__name__)',
  'strategy = tf.distribute.get_strategy()',
  'REGISTRY = {}',
  'CANDIDATES = []',
  '',
  '',
  'def register(name):',
  '    def wrap(fn):',
  '        REGISTRY[name] = fn',
  '        return fn',
  '    return wrap',
  '',
  '',
  'def staticmethod_like(fn):',
  '    return fn',
  '',
  '',
];

/**
 * Generates the benchmark file. Returns { text, lines, models }, where each model is
 * { style, line (1-based, of the Sequential or keras.Model call), editOffset (offset of the last digit of the
 * edited Dense units), editValue (the digit there) }. `kind: 'functional'` writes Functional models instead.
 */
export function generate({ lines: target = 20000, seed = 1, mentions = DEFAULT_MENTIONS, minGap = 200, maxGap = 400, kind = 'sequential' } = {}) {
  const templates = kind === 'functional' ? FUNCTIONAL_MODELS : MODELS;
  const g = new Generator(seed, mentions);
  const out = [...HEADER];
  const marks = []; // { style, seqLine, editLine }
  let nextModelAt = g.int(Math.floor(minGap / 2), maxGap);
  const tail = 12; // room kept for the last filler lines
  while (out.length < target - tail) {
    let block;
    let style = null;
    if (out.length >= nextModelAt) {
      const m = model(g, templates);
      block = m.lines;
      style = m.style;
      nextModelAt = out.length + g.int(minGap, maxGap);
    } else {
      block = filler(g);
    }
    if (out.length + block.length > target - tail) {
      if (style) break; // never cut a model
      // A filler that does not fit: fall through to the padding below.
      break;
    }
    if (style) {
      const seqLine = out.length + block.findIndex((l) => l.includes(SEQ));
      const editLine = out.length + block.findIndex((l) => l.includes(EDIT));
      marks.push({ style, seqLine, editLine });
    }
    out.push(...block);
  }
  // Pad to exactly `target` lines with one-line statements.
  let k = 0;
  while (out.length < target) out.push(k++ % 3 === 2 ? '' : `PAD_${g.id()} = ${g.int(0, 9999)}`);

  // Assemble: strip markers, compute offsets.
  const models = [];
  let offset = 0;
  const lineStart = new Array(out.length);
  const byEditLine = new Map(marks.map((m) => [m.editLine, m]));
  for (let i = 0; i < out.length; i++) {
    lineStart[i] = offset;
    let line = out[i];
    if (line.includes(SEQ)) line = line.replace(SEQ, '');
    const m = byEditLine.get(i);
    if (m) {
      const col = line.indexOf(EDIT);
      line = line.replace(EDIT, '');
      const digits = /^\d+/.exec(line.slice(col))[0];
      m.editOffset = offset + col + digits.length - 1; // the last digit
      m.editValue = digits[digits.length - 1];
    }
    out[i] = line;
    offset += line.length + 1;
  }
  // A loop unrolls: its Sequential call makes one model per iteration.
  for (const m of marks)
    models.push({ style: m.style, line: m.seqLine + 1, editOffset: m.editOffset, editValue: m.editValue, count: m.style === 'modelLoop' ? 3 : 1 });
  const text = out.join('\n') + '\n';
  return { text, lines: out.length, seed, mentions, models };
}

// ---- script ------------------------------------------------------------------------------------

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : fallback;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const here = dirname(fileURLToPath(import.meta.url));
  const lines = Number(arg('lines', 20000));
  const seed = Number(arg('seed', 1));
  const mentions = Number(arg('mentions', DEFAULT_MENTIONS));
  const out = resolve(arg('out', `${here}/.data/generated.py`));
  const result = generate({ lines, seed, mentions });
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, result.text);
  writeFileSync(`${out}.json`, JSON.stringify({ lines: result.lines, seed, mentions, models: result.models }, null, 2));
  console.log(`wrote ${out}: ${result.lines} lines, ${result.models.length} models (seed ${seed}, mentions ${mentions})`);
}
