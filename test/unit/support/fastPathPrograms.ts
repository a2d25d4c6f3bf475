/**
 * Seeded random programs shaped to stress the analysis' fast paths (lazily read statements, statements skipped
 * because they do not touch a model, text prefilters, statement groups), for the differential test against the
 * reference analysis (reference.test.ts). modelGenerator.ts writes one clean model per file; these mix, in an order
 * that is mostly but not always the natural one:
 *
 * - module constants read before and after their (re)definitions, and `+=` on numbers;
 * - lists of layers built over several statements: `+=`, `.append`, `.extend`, `.insert`, loops, conditions;
 * - functions that use helpers defined after them, builders called or not, with defaults from constants;
 * - statements that mention models only in strings, comments or f-strings, or call `.add`/`.pop` on an attribute
 *   of `self`;
 * - classes holding constants or making their model, star imports, re-bound and called models, Functional graphs.
 *
 * Nothing here needs to be a program Keras accepts: both analyses must agree on whatever the text is.
 */
import { int, pick, rng } from './random';

type Rng = () => number;

/** A piece of a program: its lines, and where in a natural program it goes (0: imports … 5: after the models). */
interface Piece {
  phase: number;
  text: string;
}

const CONSTANTS = ['UNITS', 'IMG', 'N_CLASSES', 'DEPTH'];
const LISTS = ['blocks', 'extra', 'head_layers'];
const MODELS = ['model', 'net', 'clf'];

/** How the layers' module is written: `layers.Dense`, `tf.keras.layers.Dense`, `kl.Dense`, or bare after a star import. */
interface Style {
  L: string;
  seq: string;
}

function imports(r: Rng): { lines: string[]; style: Style } {
  switch (int(r, 0, 3)) {
    case 0:
      return { lines: ['from tensorflow import keras', 'from tensorflow.keras import layers'], style: { L: 'layers.', seq: 'keras.Sequential' } };
    case 1:
      return { lines: ['import tensorflow as tf'], style: { L: 'tf.keras.layers.', seq: 'tf.keras.Sequential' } };
    case 2:
      return { lines: ['import keras', 'from keras import layers as kl'], style: { L: 'kl.', seq: 'keras.Sequential' } };
    default:
      return { lines: ['from tensorflow.keras.models import Sequential', 'from tensorflow.keras.layers import *'], style: { L: '', seq: 'Sequential' } };
  }
}

function num(r: Rng): string {
  return pick(r, ['4', '8', '16', '32', ...CONSTANTS, `${pick(r, CONSTANTS)} * 2`, `${pick(r, CONSTANTS)} // 2`]);
}

function layer(r: Rng, s: Style): string {
  switch (int(r, 0, 6)) {
    case 0:
      return `${s.L}Dense(${num(r)})`;
    case 1:
      return `${s.L}Dense(${num(r)}, activation="relu")`;
    case 2:
      return `${s.L}Dropout(0.25)`;
    case 3:
      return `${s.L}Flatten()`;
    case 4:
      return `${s.L}Conv2D(${num(r)}, 3, padding="same")`;
    case 5:
      return `${s.L}BatchNormalization()`;
    default:
      return `${s.L}Reshape((-1,))`;
  }
}

function input(r: Rng, s: Style): string {
  return pick(r, [`${s.L}Input(shape=(${num(r)},))`, `${s.L}Input(shape=(IMG, IMG, 3))`, `${s.L}InputLayer(input_shape=(${num(r)},))`]);
}

function layerList(r: Rng, s: Style, min = 1, max = 3): string {
  return `[${Array.from({ length: int(r, min, max) }, () => layer(r, s)).join(', ')}]`;
}

/** One piece of each kind, chosen at random. */
function piece(r: Rng, s: Style): Piece {
  const c = pick(r, CONSTANTS);
  const list = pick(r, LISTS);
  const m = pick(r, MODELS);
  const choices: (() => Piece)[] = [
    // Constants, read lazily, re-defined, updated.
    () => ({ phase: 1, text: `${c} = ${int(r, 2, 64)}` }),
    () => ({ phase: 1, text: `${c} = ${pick(r, CONSTANTS)} + ${int(r, 1, 8)}` }),
    () => ({ phase: pick(r, [1, 3, 5]), text: `${c} += ${int(r, 1, 8)}` }),
    () => ({ phase: 1, text: `${c}, ${pick(r, CONSTANTS)} = ${int(r, 2, 9)}, ${int(r, 2, 9)}` }),
    () => ({ phase: 1, text: `if ${c} > 8:\n    ${pick(r, CONSTANTS)} = ${int(r, 2, 9)}\nelse:\n    ${pick(r, CONSTANTS)} = ${int(r, 2, 9)}` }),
    // Lists of layers grown over several statements, at module level.
    () => ({ phase: 2, text: `${list} = [${input(r, s)}, ${layer(r, s)}]` }),
    () => ({ phase: 2, text: `${list} = ${layerList(r, s)}` }),
    () => ({ phase: 2, text: `${list} = []` }),
    () => ({ phase: 3, text: `${list} += ${layerList(r, s)}` }),
    // A change after a model read the list (phase 5) reaches only the models that read it later.
    () => ({ phase: pick(r, [3, 3, 5]), text: `${list}.append(${layer(r, s)})` }),
    () => ({ phase: 5, text: `${list}.append(${pick(r, MODELS)})` }),
    () => ({ phase: 3, text: `${list}.extend(${layerList(r, s)})` }),
    () => ({ phase: 3, text: `${list}.insert(${int(r, 0, 2)}, ${layer(r, s)})` }),
    () => ({ phase: 3, text: `for _ in range(${int(r, 1, 3)}):\n    ${list}.append(${layer(r, s)})` }),
    () => ({ phase: 3, text: `if ${c} > 16:\n    ${list} += [${layer(r, s)}]` }),
    () => ({ phase: 3, text: `sizes = [2]\nsizes += [${int(r, 1, 5)}, ${int(r, 1, 5)}]\n${list}.append(${s.L}Dense(len(sizes)))` }),
    () => ({ phase: pick(r, [3, 5]), text: `sizes.append(${int(r, 1, 5)})` }),
    () => ({ phase: 3, text: `${list} = ${list} + ${layerList(r, s, 1, 1)}` }),
    // Functions: helpers defined after the functions that use them, builders called or not.
    () => ({ phase: pick(r, [2, 4]), text: `def make_block(n=${pick(r, CONSTANTS)}):\n    return [${s.L}Dense(n), ${s.L}ReLU()]` }),
    () => ({
      phase: pick(r, [2, 4]),
      text: `def build_model(units=${num(r)}):\n    m = ${s.seq}()\n    m.add(${input(r, s)})\n    for l in make_block(units) + ${list}:\n        m.add(l)\n    return m`,
    }),
    () => ({ phase: 2, text: `def build_head(t):\n    return ${s.L}Dense(${num(r)})(t)` }),
    () => ({ phase: 4, text: `${m} = build_model(${pick(r, ['', num(r), `units=${num(r)}`])})` }),
    () => ({ phase: 4, text: `def helper():\n    return ${c} * 2` }),
    () => ({ phase: pick(r, [3, 5]), text: `${c} = helper()` }),
    // Models.
    () => ({ phase: pick(r, [4, 4, 5]), text: `${m} = ${s.seq}(${list})` }),
    () => ({ phase: 4, text: `${m} = ${s.seq}([${input(r, s)}, *${list}, ${layer(r, s)}])` }),
    () => ({ phase: 4, text: `${m} = ${s.seq}([${input(r, s)}] + ${list} + make_block())` }),
    () => ({ phase: 4, text: `${m} = ${s.seq}()\n${m}.add(${input(r, s)})\nfor l in ${list}:\n    ${m}.add(l)` }),
    () => ({ phase: 5, text: `${m}.add(${layer(r, s)})` }),
    () => ({ phase: 5, text: `${m}.pop()` }),
    () => ({ phase: 5, text: `${m}.build((None, ${num(r)}))` }),
    () => ({ phase: 5, text: `${m}.compile(optimizer="adam", loss="mse")\n${m}.summary()` }),
    () => ({ phase: 5, text: `${m}(np.zeros((1, ${num(r)})))` }),
    () => ({ phase: 5, text: `${pick(r, MODELS)} = ${m}` }),
    () => ({ phase: 5, text: `${m} = None` }),
    () => ({ phase: 5, text: `${m}.trainable = False` }),
    () => ({
      phase: 4,
      text: `inputs = keras.Input(shape=(${num(r)},))\nx = ${s.L}Dense(${num(r)})(inputs)\nfor blk in ${list}:\n    x = blk(x)\noutputs = build_head(x)\nf${m} = keras.Model(inputs, outputs)`,
    }),
    // Text that only looks like models: strings, comments, f-strings, methods of attributes of self.
    () => ({ phase: int(r, 1, 5), text: `print("${m}.add(${s.L}Dense(3)) and Sequential()")` }),
    () => ({ phase: int(r, 1, 5), text: `DOC = """A Sequential model:\n${m}.add(Dense(${c}))\n"""` }),
    () => ({ phase: int(r, 1, 5), text: `log = f"{${c}} units, {len(${list})} layers"  # ${m}.add(x)` }),
    () => ({
      phase: int(r, 1, 5),
      text: `class Tracker:\n    def __init__(self):\n        self.seen = set()\n        self.stack = [1]\n\n    def step(self, k):\n        self.seen.add(k)\n        self.stack.pop()\n        return ${c}`,
    }),
    () => ({ phase: int(r, 3, 5), text: `tracker = Tracker()\ntracker.step(${c})` }),
    // Classes holding constants or making their model.
    () => ({ phase: 1, text: `class Config:\n    units = ${int(r, 2, 32)}\n    depth = ${int(r, 1, 3)}` }),
    () => ({ phase: 4, text: `${m} = ${s.seq}([${input(r, s)}, ${s.L}Dense(Config.units)])` }),
    () => ({
      phase: 2,
      text: `class Net:\n    def __init__(self, n=${num(r)}):\n        self.model = ${s.seq}([${input(r, s)}, ${s.L}Dense(n)])\n\n    def grow(self):\n        self.model.add(${layer(r, s)})`,
    }),
    () => ({ phase: 4, text: `holder = Net(${num(r)})\nholder.grow()` }),
    // A star import in the middle of the file, and unrelated code.
    () => ({ phase: int(r, 1, 4), text: 'from tensorflow.keras.layers import *' }),
    () => ({ phase: int(r, 1, 5), text: `data = load_data("${c}.npz")\nfor row in data:\n    total = row * ${c}` }),
    () => ({ phase: int(r, 1, 5), text: `${pick(r, LISTS)} = [x * 2 for x in range(${int(r, 1, 4)})]` }),
  ];
  return pick(r, choices)();
}

/** A builder class whose method the file calls through an instance, on a chain, on an object it cannot follow, or not at all. */
function methodPiece(r: Rng, s: Style): Piece {
  // Names of their own: a name of MODELS re-bound by a statement that is not walked meets a known difference (README Limits).
  const m = pick(r, ['made', 'built', 'trained']);
  const choices: (() => Piece)[] = [
    () => ({
      phase: 2,
      text: `class Maker:\n    def __init__(self, n=${num(r)}):\n        self.n = n\n\n    def make(self, k=${num(r)}):\n        return ${s.seq}([${input(r, s)}, ${s.L}Dense(self.n), ${s.L}Dense(k)])\n\n    def widen(self):\n        self.n = self.n * 2`,
    }),
    () => ({ phase: 3, text: `maker = Maker(${num(r)})` }),
    () => ({ phase: 4, text: `${m} = maker.make(${pick(r, ['', num(r)])})` }),
    () => ({ phase: pick(r, [3, 4, 5]), text: 'maker.widen()' }),
    () => ({ phase: 4, text: `${m} = Maker().make(${num(r)})` }),
    () => ({ phase: 4, text: `${m} = get_maker().make()` }),
    () => ({ phase: 4, text: `def train(mk):\n    return mk.make(${num(r)})` }),
    () => ({ phase: 5, text: `${m} = train(maker)` }),
  ];
  return pick(r, choices)();
}

/** One program: imports, then pieces in their natural order, with some swapped (a name read before it is set). */
export function fastPathProgram(seed: number): string {
  const r = rng(seed * 104729 + 7);
  const head = imports(r);
  const pieces = Array.from({ length: int(r, 4, 14) }, () => piece(r, head.style));
  pieces.sort((a, b) => a.phase - b.phase);
  for (let i = 0; i + 1 < pieces.length; i++) if (r() < 0.2) [pieces[i], pieces[i + 1]] = [pieces[i + 1], pieces[i]];
  // Methods called through an instance (issue 21), from a generator of their own, so that the programs above stay
  // as they were: each piece goes in after the last piece of its phase.
  const r2 = rng(seed * 7727 + 3);
  for (const extra of Array.from({ length: int(r2, 0, 3) }, () => methodPiece(r2, head.style))) {
    let at = pieces.length;
    while (at > 0 && pieces[at - 1].phase > extra.phase) at--;
    pieces.splice(at, 0, extra);
  }
  const parts = [['import numpy as np', ...head.lines].join('\n'), ...pieces.map((p) => p.text)];
  // Blank lines between statements, as people leave them (none, one or two).
  return `${parts.map((p, i) => (i === 0 ? p : `${'\n'.repeat(int(r, 0, 2))}${p}`)).join('\n')}\n`;
}
