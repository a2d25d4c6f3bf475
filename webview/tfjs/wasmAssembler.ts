/**
 * A small assembler for WebAssembly functions written as text, one instruction after another (the WebAssembly text
 * format's plain form, without its nested expressions), into a module that imports its memory. LayerLens' own WASM
 * loops (wasmLoops.ts) are written with it: a toolchain (clang, wat2wasm) would be a build step and a dependency for
 * a few dozen instructions.
 *
 * What it knows: i32 parameters and i32/f32/f64/v128 locals, named with `$`; `block`/`loop`/`if`/`else`/`end` with `$labels`
 * for `br`/`br_if`; the instructions in OPCODES; `i32.const`/`f32.const` values; `offset=` on loads and stores.
 * Anything else is an error when it assembles, not a wrong module.
 */

/** The instructions it knows, by their text names: WebAssembly 1.0's opcodes, and its SIMD ones (prefix 0xfd). */
const OPCODES: Record<string, number[]> = {
  block: [0x02],
  loop: [0x03],
  if: [0x04],
  else: [0x05],
  end: [0x0b],
  br: [0x0c],
  br_if: [0x0d],
  return: [0x0f],
  select: [0x1b],
  'local.get': [0x20],
  'local.set': [0x21],
  'local.tee': [0x22],
  'i32.load': [0x28],
  'f32.load': [0x2a],
  'f64.load': [0x2b],
  'i32.store': [0x36],
  'f32.store': [0x38],
  'f64.store': [0x39],
  'i32.const': [0x41],
  'f32.const': [0x43],
  'i32.eqz': [0x45],
  'i32.eq': [0x46],
  'i32.ne': [0x47],
  'i32.lt_s': [0x48],
  'i32.gt_s': [0x4a],
  'i32.le_s': [0x4c],
  'i32.ge_s': [0x4e],
  'i32.ge_u': [0x4f],
  'f32.gt': [0x5e],
  'i32.add': [0x6a],
  'i32.sub': [0x6b],
  'i32.mul': [0x6c],
  'i32.and': [0x71],
  'i32.or': [0x72],
  'i32.shl': [0x74],
  'f32.add': [0x92],
  'f64.add': [0xa0],
  'f32.demote_f64': [0xb6],
  'f64.promote_f32': [0xbb],
  'v128.load': [0xfd, 0x00],
  'v128.store': [0xfd, 0x0b],
  'v128.load64_zero': [0xfd, 0x5d],
  'i32x4.splat': [0xfd, 0x11],
  'f32x4.splat': [0xfd, 0x13],
  'i32x4.eq': [0xfd, 0x37],
  'f32x4.ne': [0xfd, 0x42],
  'f32x4.gt': [0xfd, 0x44],
  'v128.and': [0xfd, 0x4e],
  'v128.bitselect': [0xfd, 0x52],
  'f32x4.add': [0xfd, 0xe4],
  'f32x4.sub': [0xfd, 0xe5],
  'f32x4.mul': [0xfd, 0xe6],
  'f32x4.div': [0xfd, 0xe7],
  'f32x4.sqrt': [0xfd, 0xe3],
  'f64x2.add': [0xfd, 0xf0],
  'f64x2.promote_low_f32x4': [0xfd, 0x5f],
};

const I32 = 0x7f;
const F32 = 0x7d;
const F64 = 0x7c;
const V128 = 0x7b;
const TYPES: Record<string, number> = { i32: I32, f32: F32, f64: F64, v128: V128 };

export interface WasmFunction {
  /** The name it is exported as. */
  name: string;
  /** Its i32 parameters' names, `$` first. */
  params: string[];
  /** Its locals: `$name` → `i32`, `f32` or `f64`. */
  locals?: Record<string, string>;
  /** Its instructions, whitespace between tokens; `;;` starts a comment to the line's end. */
  body: string;
}

/** The module's bytes: each function exported under its name, none returning a value, memory imported as env.memory. */
export function assemble(functions: WasmFunction[]): Uint8Array {
  const types = functions.map((f) => [0x60, ...u32(f.params.length), ...f.params.map(() => I32), 0]);
  const importMemory = [1, ...name('env'), ...name('memory'), 0x02, 0x00, ...u32(1)];
  const exports = functions.flatMap((f, i) => [...name(f.name), 0x00, ...u32(i)]);
  const bodies = functions.map((f) => {
    const code = body(f);
    return [...u32(code.length), ...code];
  });
  return new Uint8Array([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, [...u32(types.length), ...types.flat()]),
    ...section(2, importMemory),
    ...section(3, [...u32(functions.length), ...functions.flatMap((_, i) => u32(i))]),
    ...section(7, [...u32(functions.length), ...exports]),
    ...section(10, [...u32(bodies.length), ...bodies.flat()]),
  ]);
}

function body(f: WasmFunction): number[] {
  const localTypes = Object.entries(f.locals ?? {});
  const index = new Map<string, number>([...f.params, ...localTypes.map(([n]) => n)].map((n, i) => [n, i]));
  const out: number[] = [...u32(localTypes.length), ...localTypes.flatMap(([n, t]) => [1, type(t, n)])];
  // Open blocks, innermost last: a branch's depth is how far from the end its label is.
  const labels: (string | null)[] = [];
  const tokens = f.body
    .replace(/;;[^\n]*/g, '')
    .split(/\s+/)
    .filter((t) => t);
  const fail = (why: string): never => {
    throw new Error(`${f.name}: ${why}`);
  };
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    const code = OPCODES[t] ?? fail(`unknown instruction ${t}`);
    out.push(...code.slice(0, 1), ...code.slice(1).flatMap(u32));
    const next = () => tokens[++i] ?? fail(`${t} needs an operand`);
    if (t === 'block' || t === 'loop' || t === 'if') {
      labels.push(tokens[i + 1]?.startsWith('$') ? next() : null);
      out.push(0x40);
    } else if (t === 'end') labels.pop();
    else if (t === 'br' || t === 'br_if') {
      const label = next();
      const depth = labels.length - 1 - labels.lastIndexOf(label);
      if (depth >= labels.length) fail(`no label ${label}`);
      out.push(...u32(depth));
    } else if (t.startsWith('local.')) out.push(...u32(index.get(next()) ?? fail(`no local ${tokens[i]}`)));
    else if (t === 'i32.const') out.push(...s32(Number(next())));
    else if (t === 'f32.const') out.push(...new Uint8Array(new Float32Array([Number(next())]).buffer));
    else if (/^\w+\.(load|store)/.test(t)) {
      const offset = tokens[i + 1]?.startsWith('offset=') ? Number(next().slice(7)) : 0;
      // The alignment hint: 4 bytes for scalars, none (1 byte) for vectors, which may be unaligned here.
      out.push(t.startsWith('v128') ? 0 : 2, ...u32(offset));
    }
  }
  if (labels.length) fail('a block is not closed');
  out.push(...OPCODES.end);
  return out;
}

function type(t: string, local: string): number {
  const code = TYPES[t];
  if (!code) throw new Error(`local ${local}: unknown type ${t}`);
  return code;
}

function section(id: number, content: number[]): number[] {
  return [id, ...u32(content.length), ...content];
}

function name(s: string): number[] {
  const bytes = [...new TextEncoder().encode(s)];
  return [...u32(bytes.length), ...bytes];
}

/** Unsigned LEB128. */
function u32(v: number): number[] {
  const out: number[] = [];
  do {
    let byte = v & 0x7f;
    v >>>= 7;
    if (v) byte |= 0x80;
    out.push(byte);
  } while (v);
  return out;
}

/** Signed LEB128. */
function s32(v: number): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = v & 0x7f;
    v >>= 7;
    if ((v === 0 && !(byte & 0x40)) || (v === -1 && byte & 0x40)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
}
