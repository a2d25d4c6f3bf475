/**
 * Writes a small HDF5 file: groups with string attributes, and float32 arrays. No vscode, no wasm.
 *
 * The layout is the one h5py writes with its default library bounds (the one Keras 3's `.weights.h5` files have):
 * superblock version 0, version 1 object headers, groups as symbol tables (a local heap of names, one B-tree node,
 * one symbol table node), datasets stored contiguously, string attributes in a global heap. It is the oldest
 * layout, so every HDF5 reader (the C library under h5py and h5wasm, jsfive) reads it. Nothing in it depends on the
 * clock (no modification times), so the same tree always gives the same bytes.
 *
 * Why not h5wasm (the HDF5 C library compiled to wasm): it adds about 1 MB compressed to the extension, whose
 * package must stay under 2 MB, and it stamps each dataset with the time it was written. It stays a dev
 * dependency, and the tests read this writer's files with it.
 */

export interface H5Dataset {
  kind: 'dataset';
  shape: readonly number[];
  /** Row-major (C order), as Keras and numpy store arrays; written as little-endian float32. */
  values: ArrayLike<number>;
}

export interface H5Group {
  kind: 'group';
  /** Scalar string attributes (h5py's `attrs[k] = 'text'`), written as h5py writes them: variable-length UTF-8. */
  attrs: Record<string, string>;
  children: Record<string, H5Group | H5Dataset>;
}

export function h5Group(children: Record<string, H5Group | H5Dataset> = {}, attrs: Record<string, string> = {}): H5Group {
  return { kind: 'group', attrs, children };
}

export function h5Dataset(shape: readonly number[], values: ArrayLike<number>): H5Dataset {
  const size = shape.reduce((a, b) => a * b, 1);
  if (values.length !== size) throw new Error(`An array of shape ${JSON.stringify(shape)} needs ${size} values, not ${values.length}.`);
  return { kind: 'dataset', shape: shape.slice(), values };
}

// Sizes of addresses and lengths (8 bytes each, as h5py writes them), and the undefined address.
const UNDEFINED = 0xffffffffffffffffn;
/** The local heap's "no free block" (H5HL_FREE_NULL in the C library; not the undefined address). */
const HEAP_FREE_NULL = 1;
/** The B-tree node K of groups' internal nodes (the library default): a node is allocated for 2K children. */
const GROUP_INTERNAL_K = 16;
const SYMBOL_ENTRY_SIZE = 40;

const enum Message {
  Dataspace = 0x0001,
  Datatype = 0x0003,
  Layout = 0x0008,
  Attribute = 0x000c,
  SymbolTable = 0x0011,
}

const utf8 = new TextEncoder();

const pad8 = (n: number): number => Math.ceil(n / 8) * 8;

/** A byte buffer that grows; every block starts on an 8-byte boundary, as the C library places them. */
class Bytes {
  private buf = new Uint8Array(4096);
  private view = new DataView(this.buf.buffer);
  length = 0;

  /** Reserves `size` zeroed bytes and returns their address. */
  alloc(size: number): number {
    const at = pad8(this.length);
    const end = at + size;
    if (end > this.buf.length) {
      const bigger = new Uint8Array(Math.max(end, this.buf.length * 2));
      bigger.set(this.buf);
      this.buf = bigger;
      this.view = new DataView(bigger.buffer);
    }
    this.length = end;
    return at;
  }

  u8(at: number, v: number): void {
    this.view.setUint8(at, v);
  }
  u16(at: number, v: number): void {
    this.view.setUint16(at, v, true);
  }
  u32(at: number, v: number): void {
    this.view.setUint32(at, v, true);
  }
  u64(at: number, v: number | bigint): void {
    this.view.setBigUint64(at, BigInt(v), true);
  }
  f32(at: number, v: number): void {
    this.view.setFloat32(at, v, true);
  }
  set(at: number, bytes: Uint8Array): void {
    this.buf.set(bytes, at);
  }
  result(): Uint8Array {
    return this.buf.slice(0, pad8(this.length));
  }
}

/** A header message's body; `write` fills `size` bytes at `at`. */
interface MessageBody {
  type: Message;
  size: number;
  write(out: Bytes, at: number): void;
}

/** A version 1 dataspace: rank 0 is a scalar. */
function dataspace(shape: readonly number[]): MessageBody {
  return {
    type: Message.Dataspace,
    size: 8 + 8 * shape.length,
    write(out, at) {
      out.u8(at, 1); // version
      out.u8(at + 1, shape.length);
      shape.forEach((d, i) => out.u64(at + 8 + 8 * i, d)); // flags 0: no maximum dimensions (they equal the dimensions)
    },
  };
}

/** IEEE 754 binary32, little-endian (numpy's `<f4`). */
const float32Type: MessageBody = {
  type: Message.Datatype,
  size: 20,
  write(out, at) {
    out.u8(at, 0x11); // version 1, class 1 (floating point)
    out.u8(at + 1, 0x20); // little-endian, mantissa normalised with an implied leading 1
    out.u8(at + 2, 31); // sign bit
    out.u32(at + 4, 4); // size in bytes
    out.u16(at + 8, 0); // bit offset
    out.u16(at + 10, 32); // precision
    out.u8(at + 12, 23); // exponent location
    out.u8(at + 13, 8); // exponent size
    out.u8(at + 14, 0); // mantissa location
    out.u8(at + 15, 23); // mantissa size
    out.u32(at + 16, 127); // exponent bias
  },
};

/**
 * A variable-length UTF-8 string (h5py's type for a Python `str`): 16 bytes of data, the string's length and where
 * it is in the global heap.
 */
const vlenStringType: MessageBody = {
  type: Message.Datatype,
  size: 20,
  write(out, at) {
    out.u8(at, 0x19); // version 1, class 9 (variable-length)
    out.u8(at + 1, 0x01); // a string, null-terminated when converted
    out.u8(at + 2, 0x01); // UTF-8
    out.u32(at + 4, 16);
    // Its characters: an unsigned 8-bit integer
    out.u8(at + 8, 0x10); // version 1, class 0 (fixed-point), little-endian, unsigned
    out.u32(at + 12, 1);
    out.u16(at + 16, 0); // bit offset
    out.u16(at + 18, 8); // precision
  },
};

/**
 * The file's strings, in one global heap collection: the C library reads a collection at least 4096 bytes long.
 * Each string is an object: a 16-byte header (index, reference count, size) and its bytes, padded to 8.
 */
class GlobalHeap {
  static readonly MIN_SIZE = 4096;
  private next = 16; // after the collection's header
  private count = 0;

  /** The bytes a collection needs for these strings. */
  static size(strings: readonly Uint8Array[]): number {
    return Math.max(
      GlobalHeap.MIN_SIZE,
      strings.reduce((s, b) => s + 16 + pad8(b.length), 16),
    );
  }

  constructor(
    private readonly out: Bytes,
    readonly address: number,
    private readonly size: number,
  ) {
    out.set(address, utf8.encode('GCOL'));
    out.u8(address + 4, 1); // version
    out.u64(address + 8, size);
  }

  /** Adds a string; its object's index. */
  add(bytes: Uint8Array): number {
    const at = this.address + this.next;
    const index = ++this.count;
    this.out.u16(at, index);
    this.out.u64(at + 8, bytes.length); // reference count 0, as h5py leaves it
    this.out.set(at + 16, bytes);
    this.next += 16 + pad8(bytes.length);
    return index;
  }

  /** Marks the rest of the collection free (object 0, whose size counts its header); a rest under 16 bytes needs no mark. */
  close(): void {
    const rest = this.size - this.next;
    if (rest >= 16) this.out.u64(this.address + this.next + 8, rest);
  }
}

/** A version 1 attribute holding one string, as h5py writes `attrs[name] = value`. */
function stringAttribute(name: string, value: string, strings: GlobalHeap): MessageBody {
  const nameBytes = utf8.encode(name);
  const valueBytes = utf8.encode(value);
  const index = strings.add(valueBytes);
  const space = dataspace([]);
  const nameAt = 8;
  const typeAt = nameAt + pad8(nameBytes.length + 1);
  const spaceAt = typeAt + pad8(vlenStringType.size);
  const dataAt = spaceAt + pad8(space.size);
  return {
    type: Message.Attribute,
    size: dataAt + 16,
    write(out, at) {
      out.u8(at, 1); // version
      out.u16(at + 2, nameBytes.length + 1); // with its null terminator; the fields below are padded to 8 bytes
      out.u16(at + 4, vlenStringType.size);
      out.u16(at + 6, space.size);
      out.set(at + nameAt, nameBytes);
      vlenStringType.write(out, at + typeAt);
      space.write(out, at + spaceAt);
      out.u32(at + dataAt, valueBytes.length);
      out.u64(at + dataAt + 4, strings.address);
      out.u32(at + dataAt + 12, index);
    },
  };
}

/** Writes a version 1 object header holding `messages` and returns its address. */
function objectHeader(out: Bytes, messages: readonly MessageBody[]): number {
  const bodySize = messages.reduce((s, m) => s + 8 + pad8(m.size), 0);
  const at = out.alloc(16 + bodySize);
  out.u8(at, 1); // version
  out.u16(at + 2, messages.length);
  out.u32(at + 4, 1); // reference count
  out.u32(at + 8, bodySize);
  let m = at + 16; // the prefix is 12 bytes, padded to 16
  for (const msg of messages) {
    out.u16(m, msg.type);
    out.u16(m + 2, pad8(msg.size)); // a version 1 header's messages are multiples of 8 bytes
    msg.write(out, m + 8);
    m += 8 + pad8(msg.size);
  }
  return at;
}

function writeDataset(out: Bytes, d: H5Dataset): number {
  const size = d.values.length * 4;
  const data = out.alloc(size);
  for (let i = 0; i < d.values.length; i++) out.f32(data + 4 * i, d.values[i]);
  const layout: MessageBody = {
    type: Message.Layout,
    size: 18,
    write(o, at) {
      o.u8(at, 3); // version
      o.u8(at + 1, 1); // contiguous
      o.u64(at + 2, size > 0 ? data : UNDEFINED);
      o.u64(at + 10, size);
    },
  };
  return objectHeader(out, [dataspace(d.shape), float32Type, layout]);
}

/** Where a group's symbol table lives: what its object header and the superblock's root entry point to. */
interface SymbolTable {
  btree: number;
  heap: number;
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}

/** What writing a group needs besides the group: the buffer, the symbol table nodes' K, the strings' heap. */
interface Writing {
  out: Bytes;
  leafK: number;
  strings: GlobalHeap;
}

/**
 * Writes a group's children, then its symbol table: a local heap of the names, one symbol table node with every
 * child (sorted by name, as the library searches them by bisection), and one B-tree node pointing to it.
 */
function writeGroup(w: Writing, g: H5Group): { header: number; table: SymbolTable } {
  const { out, leafK } = w;
  const bad = Object.keys(g.children).find((name) => name === '' || name.includes('/'));
  if (bad !== undefined) throw new Error(`"${bad}" cannot name a member of an HDF5 group: a name is not empty and holds no "/".`);
  const children = Object.entries(g.children)
    .map(([name, child]) => ({ name: utf8.encode(name), address: child.kind === 'group' ? writeGroup(w, child).header : writeDataset(out, child) }))
    .sort((a, b) => compareBytes(a.name, b.name));

  // The heap starts with the empty name (offset 0, the B-tree's first key); each name ends with a null byte.
  const offsets: number[] = [];
  let heapSize = 8;
  for (const c of children) {
    offsets.push(heapSize);
    heapSize += pad8(c.name.length + 1);
  }
  const heap = out.alloc(32 + heapSize);
  out.set(heap, utf8.encode('HEAP'));
  out.u64(heap + 8, heapSize);
  out.u64(heap + 16, HEAP_FREE_NULL);
  out.u64(heap + 24, heap + 32);
  children.forEach((c, i) => out.set(heap + 32 + offsets[i], c.name));

  let node = 0;
  if (children.length > 0) {
    node = out.alloc(8 + 2 * leafK * SYMBOL_ENTRY_SIZE);
    out.set(node, utf8.encode('SNOD'));
    out.u8(node + 4, 1); // version
    out.u16(node + 6, children.length);
    children.forEach((c, i) => {
      const entry = node + 8 + i * SYMBOL_ENTRY_SIZE;
      out.u64(entry, offsets[i]);
      out.u64(entry + 8, c.address); // cache type 0: nothing cached
    });
  }

  const btree = out.alloc(24 + 2 * GROUP_INTERNAL_K * 8 + (2 * GROUP_INTERNAL_K + 1) * 8);
  out.set(btree, utf8.encode('TREE'));
  out.u8(btree + 4, 0); // a group node
  out.u8(btree + 5, 0); // a leaf
  out.u16(btree + 6, children.length > 0 ? 1 : 0);
  out.u64(btree + 8, UNDEFINED); // no left sibling
  out.u64(btree + 16, UNDEFINED); // no right sibling
  out.u64(btree + 24, 0); // key 0: the empty name
  if (children.length > 0) {
    out.u64(btree + 32, node);
    out.u64(btree + 40, offsets[offsets.length - 1]); // key 1: the node's last name
  }

  const table: MessageBody = {
    type: Message.SymbolTable,
    size: 16,
    write(o, at) {
      o.u64(at, btree);
      o.u64(at + 8, heap);
    },
  };
  const attrs = Object.entries(g.attrs).map(([k, v]) => stringAttribute(k, v, w.strings));
  return { header: objectHeader(out, [table, ...attrs]), table: { btree, heap } };
}

function allAttributes(g: H5Group): string[] {
  return [...Object.values(g.attrs), ...Object.values(g.children).flatMap((c) => (c.kind === 'group' ? allAttributes(c) : []))];
}

function mostChildren(g: H5Group): number {
  return Object.values(g.children).reduce((m, c) => (c.kind === 'group' ? Math.max(m, mostChildren(c)) : m), Object.keys(g.children).length);
}

/** The bytes of an HDF5 file whose root group is `root`. */
export function writeHdf5(root: H5Group): Uint8Array {
  // A group's children share one symbol table node, which holds 2K entries: K is chosen for the largest group
  // (the library's default, 4, when that is enough). The superblock tells readers K.
  const leafK = Math.max(4, Math.ceil(mostChildren(root) / 2));
  if (2 * leafK > 0xffff) throw new Error('A group has too many members for one symbol table node.');
  const out = new Bytes();
  const superblock = out.alloc(96);
  const heapSize = GlobalHeap.size(allAttributes(root).map((v) => utf8.encode(v)));
  const strings = new GlobalHeap(out, out.alloc(heapSize), heapSize);
  const { header, table } = writeGroup({ out, leafK, strings }, root);
  strings.close();
  out.set(superblock, Uint8Array.from([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a]));
  // Versions 0 (superblock, free space, root entry, shared header), 8-byte addresses and lengths.
  out.u8(superblock + 13, 8);
  out.u8(superblock + 14, 8);
  out.u16(superblock + 16, leafK);
  out.u16(superblock + 18, GROUP_INTERNAL_K);
  out.u64(superblock + 24, 0); // base address
  out.u64(superblock + 32, UNDEFINED); // no free-space information
  out.u64(superblock + 40, pad8(out.length)); // end of file
  out.u64(superblock + 48, UNDEFINED); // no driver information
  // The root group's symbol table entry, with its B-tree and heap cached (cache type 1), as the library writes it.
  out.u64(superblock + 56, 0);
  out.u64(superblock + 64, header);
  out.u32(superblock + 72, 1);
  out.u64(superblock + 80, table.btree);
  out.u64(superblock + 88, table.heap);
  return out.result();
}
