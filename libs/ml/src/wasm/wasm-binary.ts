/**
 * Just enough of the WebAssembly binary format (core spec 1.0, the threads proposal's shared memory and
 * the fixed-width SIMD proposal) to write libs/ml's kernels: unsigned/signed LEB128, a postfix expression
 * builder for the handful of instructions they use, and a module importing one memory. Expressions are
 * plain byte arrays in stack order, so `i32.add(a, b)` is the bytes of a, then b, then the add opcode.
 */
export type Code = readonly number[];

export const ValueType = { i32: 0x7f, f32: 0x7d, f64: 0x7c, v128: 0x7b } as const;
type ValueTypeCode = (typeof ValueType)[keyof typeof ValueType];

/** Unsigned LEB128. */
export function uleb(value: number): number[] {
  if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) throw new RangeError(`uleb expects a u32, got ${value}`);
  const bytes: number[] = [];
  do {
    let byte = value & 0x7f;
    value = Math.floor(value / 128);
    if (value !== 0) byte |= 0x80;
    bytes.push(byte);
  } while (value !== 0);
  return bytes;
}

/** Signed LEB128 of an i32. */
export function sleb(value: number): number[] {
  if (!Number.isInteger(value) || value < -0x80000000 || value > 0x7fffffff) throw new RangeError(`sleb expects an i32, got ${value}`);
  const bytes: number[] = [];
  for (;;) {
    const byte = value & 0x7f;
    value >>= 7;
    const done = (value === 0 && (byte & 0x40) === 0) || (value === -1 && (byte & 0x40) !== 0);
    bytes.push(done ? byte : byte | 0x80);
    if (done) return bytes;
  }
}

const seq = (...parts: Code[]): Code => parts.flat();
const name = (text: string): number[] => {
  const bytes = [...new TextEncoder().encode(text)];
  return [...uleb(bytes.length), ...bytes];
};
const vector = (items: Code[]): Code => [...uleb(items.length), ...items.flat()];
const section = (id: number, body: Code): Code => [id, ...uleb(body.length), ...body];

// Natural alignment hints (log2 bytes); misaligned accesses would still be correct, only slower.
const memarg = (align: number, offset: number): number[] => [align, ...uleb(offset)];

export const local = {
  get: (index: number): Code => [0x20, ...uleb(index)],
  set: (index: number, value: Code): Code => seq(value, [0x21, ...uleb(index)]),
};

export const i32 = {
  const: (value: number): Code => [0x41, ...sleb(value)],
  add: (a: Code, b: Code): Code => seq(a, b, [0x6a]),
  sub: (a: Code, b: Code): Code => seq(a, b, [0x6b]),
  mul: (a: Code, b: Code): Code => seq(a, b, [0x6c]),
  shl: (a: Code, b: Code): Code => seq(a, b, [0x74]),
  and: (a: Code, b: Code): Code => seq(a, b, [0x71]),
  eqz: (a: Code): Code => seq(a, [0x45]),
  or: (a: Code, b: Code): Code => seq(a, b, [0x72]),
  ltU: (a: Code, b: Code): Code => seq(a, b, [0x49]),
  gtU: (a: Code, b: Code): Code => seq(a, b, [0x4b]),
  leU: (a: Code, b: Code): Code => seq(a, b, [0x4d]),
  geU: (a: Code, b: Code): Code => seq(a, b, [0x4f]),
  load: (address: Code, offset = 0): Code => seq(address, [0x28, ...memarg(2, offset)]),
  store: (address: Code, value: Code, offset = 0): Code => seq(address, value, [0x36, ...memarg(2, offset)]),
};

export const f32 = {
  /** 1 when a ≤ b, 0 otherwise, and 0 when either is NaN (IEEE ordered comparison). */
  le: (a: Code, b: Code): Code => seq(a, b, [0x5f]),
  load: (address: Code, offset = 0): Code => seq(address, [0x2a, ...memarg(2, offset)]),
};

export const f64 = {
  /** The f32 on the stack, widened exactly. */
  promoteF32: (a: Code): Code => seq(a, [0xbb]),
  add: (a: Code, b: Code): Code => seq(a, b, [0xa0]),
  sub: (a: Code, b: Code): Code => seq(a, b, [0xa1]),
  mul: (a: Code, b: Code): Code => seq(a, b, [0xa2]),
  le: (a: Code, b: Code): Code => seq(a, b, [0x65]),
  neg: (a: Code): Code => seq(a, [0x9a]),
  load: (address: Code, offset = 0): Code => seq(address, [0x2b, ...memarg(3, offset)]),
  store: (address: Code, value: Code, offset = 0): Code => seq(address, value, [0x39, ...memarg(3, offset)]),
};

// SIMD instructions: prefix 0xfd, then the opcode as unsigned LEB128.
const simd = (opcode: number): number[] => [0xfd, ...uleb(opcode)];

/** 128-bit vectors seen as two f64 lanes (the only shape libs/ml uses: exact float64, as the scalar code). */
export const f64x2 = {
  /** Alignment hint 8 bytes: rows of float64 are 8-aligned, not always 16. */
  load: (address: Code, offset = 0): Code => seq(address, simd(0x00), memarg(3, offset)),
  store: (address: Code, value: Code, offset = 0): Code => seq(address, value, simd(0x0b), memarg(3, offset)),
  zero: (): Code => [...simd(0x0c), ...Array<number>(16).fill(0)],
  add: (a: Code, b: Code): Code => seq(a, b, simd(0xf0)),
  sub: (a: Code, b: Code): Code => seq(a, b, simd(0xf1)),
  mul: (a: Code, b: Code): Code => seq(a, b, simd(0xf2)),
  div: (a: Code, b: Code): Code => seq(a, b, simd(0xf3)),
  /** IEEE maximum per lane (+0 above −0, NaN if either is NaN), as Math.max. */
  max: (a: Code, b: Code): Code => seq(a, b, simd(0xf5)),
  /** All ones in a lane where a > b, zeros elsewhere (false for NaN). */
  gt: (a: Code, b: Code): Code => seq(a, b, simd(0x4a)),
  /** All ones in a lane where a ≤ b, zeros elsewhere (false for NaN). */
  le: (a: Code, b: Code): Code => seq(a, b, simd(0x4b)),
  /** f32 lanes 0 and 1, widened exactly. */
  promoteLowF32x4: (a: Code): Code => seq(a, simd(0x5f)),
  /** Rounds each lane toward zero. */
  trunc: (a: Code): Code => seq(a, simd(0x7a)),
  splat: (value: Code): Code => seq(value, simd(0x14)),
  /** Both lanes `value`, as a constant. */
  const: (value: number): Code => {
    const bytes = new Uint8Array(16);
    const view = new DataView(bytes.buffer);
    view.setFloat64(0, value, true);
    view.setFloat64(8, value, true);
    return [...simd(0x0c), ...bytes];
  },
  extractLane: (v: Code, lane: 0 | 1): Code => seq(v, simd(0x21), [lane]),
};

export const v128 = {
  /** Bits of a where mask is 1, of b where it is 0. */
  bitselect: (a: Code, b: Code, mask: Code): Code => seq(a, b, mask, simd(0x52)),
  or: (a: Code, b: Code): Code => seq(a, b, simd(0x50)),
  /**
   * Four 32-bit lanes picked from a's lanes (0–3) and b's (4–7), as i8x16.shuffle does byte by byte: lane
   * choices are checked here, since a wrong one is a module that fails to compile at first use.
   */
  shuffle32: (a: Code, b: Code, lanes: readonly [number, number, number, number]): Code => {
    if (!lanes.every((lane) => Number.isInteger(lane) && lane >= 0 && lane < 8)) throw new RangeError(`shuffle32 lanes must be 0–7, got ${lanes.join(', ')}`);
    return seq(a, b, simd(0x0d), lanes.flatMap((lane) => [4 * lane, 4 * lane + 1, 4 * lane + 2, 4 * lane + 3]));
  },
};

/** Four f32 lanes, for screens that only need a bound (their rounding error is allowed for by the caller). */
export const f32x4 = {
  /** Alignment hint 4 bytes. */
  load: (address: Code, offset = 0): Code => seq(address, simd(0x00), memarg(2, offset)),
  add: (a: Code, b: Code): Code => seq(a, b, simd(0xe4)),
  mul: (a: Code, b: Code): Code => seq(a, b, simd(0xe6)),
  extractLane: (v: Code, lane: 0 | 1 | 2 | 3): Code => seq(v, simd(0x1f), [lane]),
};

/** Integer lanes, for building powers of two from exponents. */
export const i32x4 = {
  splat: (value: Code): Code => seq(value, simd(0x11)),
  add: (a: Code, b: Code): Code => seq(a, b, simd(0xae)),
  sub: (a: Code, b: Code): Code => seq(a, b, simd(0xb1)),
  /** Arithmetic shift right of every lane by a scalar i32. */
  shrS: (a: Code, bits: Code): Code => seq(a, bits, simd(0xac)),
  /** The two f64 lanes truncated to i32 (saturating) in lanes 0 and 1; lanes 2 and 3 zero. */
  truncSatF64x2Zero: (a: Code): Code => seq(a, simd(0xfc)),
};

export const i64x2 = {
  /** The lanes' sign bits as bits 0 and 1 of an i32: which lanes of a comparison's result are true. */
  bitmask: (a: Code): Code => seq(a, simd(0xc4)),
  /** i32 lanes 0 and 1, sign-extended to two i64 lanes. */
  extendLowI32x4: (a: Code): Code => seq(a, simd(0xc7)),
  /** Shift left of both lanes by a scalar i32. */
  shl: (a: Code, bits: Code): Code => seq(a, bits, simd(0xcb)),
};

/**
 * Structured control flow without results. Branch depths count enclosing blocks outwards from the branch:
 * inside `loop(body)` `br(0)` continues the loop; inside `block(loop(...))` `br(1)` leaves the block.
 */
export const control = {
  block: (...body: Code[]): Code => seq([0x02, 0x40], ...body, [0x0b]),
  loop: (...body: Code[]): Code => seq([0x03, 0x40], ...body, [0x0b]),
  if: (condition: Code, ...then: Code[]): Code => seq(condition, [0x04, 0x40], ...then, [0x0b]),
  br: (depth: number): Code => [0x0c, ...uleb(depth)],
  brIf: (depth: number, condition: Code): Code => seq(condition, [0x0d, ...uleb(depth)]),
};

export { seq };

interface LocalGroup {
  readonly count: number;
  readonly type: ValueTypeCode;
}

export interface KernelFunction {
  readonly exportName: string;
  readonly params: readonly ValueTypeCode[];
  /** Locals after the parameters: one group of one type, or groups numbered on in order. */
  readonly locals: LocalGroup | readonly LocalGroup[];
  readonly body: Code;
}

export interface SharedMemoryImport {
  readonly module: string;
  readonly field: string;
  readonly minPages: number;
  readonly maxPages: number;
}

/** An unshared memory of at least minPages, for kernels that only the calling thread runs. */
export interface PrivateMemoryImport {
  readonly module: string;
  readonly field: string;
  readonly minPages: number;
  readonly shared: false;
}

/**
 * A module importing one memory and exporting functions with no results. A shared memory's limits carry
 * flag 0x03 (shared, with a maximum, as the threads proposal requires); a private one's 0x00 (a minimum,
 * so any larger memory links).
 */
export function wasmModule(memory: SharedMemoryImport | PrivateMemoryImport, fns: KernelFunction | readonly KernelFunction[]): Uint8Array {
  const list: readonly KernelFunction[] = Array.isArray(fns) ? fns : [fns as KernelFunction];
  const header = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
  const types = section(1, vector(list.map((fn) => [0x60, ...vector(fn.params.map((type) => [type])), ...vector([])])));
  const limits = 'shared' in memory ? [0x00, ...uleb(memory.minPages)] : [0x03, ...uleb(memory.minPages), ...uleb(memory.maxPages)];
  const imports = section(2, vector([[...name(memory.module), ...name(memory.field), 0x02, ...limits]]));
  const functions = section(3, vector(list.map((_, i) => uleb(i))));
  const exports = section(7, vector(list.map((fn, i) => [...name(fn.exportName), 0x00, ...uleb(i)])));
  const bodies = list.map((fn) => {
    const groups: readonly LocalGroup[] = Array.isArray(fn.locals) ? fn.locals : [fn.locals as LocalGroup];
    const body = seq(vector(groups.map((group) => [...uleb(group.count), group.type])), fn.body, [0x0b]);
    return [...uleb(body.length), ...body];
  });
  const code = section(10, vector(bodies));
  return Uint8Array.from(seq(header, types, imports, functions, exports, code));
}
