/**
 * Just enough of the WebAssembly binary format (core spec 1.0 plus the threads proposal's shared memory)
 * to write the forest kernel: unsigned/signed LEB128, a postfix expression builder for the handful of
 * instructions it uses, and a one-function module importing shared memory. Expressions are plain byte
 * arrays in stack order, so `i32.add(a, b)` is the bytes of a, then b, then the add opcode.
 */
export type Code = readonly number[];

export const ValueType = { i32: 0x7f, f32: 0x7d, f64: 0x7c } as const;
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
  ltU: (a: Code, b: Code): Code => seq(a, b, [0x49]),
  gtU: (a: Code, b: Code): Code => seq(a, b, [0x4b]),
  leU: (a: Code, b: Code): Code => seq(a, b, [0x4d]),
  load: (address: Code, offset = 0): Code => seq(address, [0x28, ...memarg(2, offset)]),
};

export const f32 = {
  /** 1 when a ≤ b, 0 otherwise, and 0 when either is NaN (IEEE ordered comparison). */
  le: (a: Code, b: Code): Code => seq(a, b, [0x5f]),
  load: (address: Code, offset = 0): Code => seq(address, [0x2a, ...memarg(2, offset)]),
};

export const f64 = {
  add: (a: Code, b: Code): Code => seq(a, b, [0xa0]),
  load: (address: Code, offset = 0): Code => seq(address, [0x2b, ...memarg(3, offset)]),
  store: (address: Code, value: Code, offset = 0): Code => seq(address, value, [0x39, ...memarg(3, offset)]),
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

export interface KernelFunction {
  readonly exportName: string;
  readonly params: readonly ValueTypeCode[];
  /** Locals after the parameters, all of one type here. */
  readonly locals: { readonly count: number; readonly type: ValueTypeCode };
  readonly body: Code;
}

export interface SharedMemoryImport {
  readonly module: string;
  readonly field: string;
  readonly minPages: number;
  readonly maxPages: number;
}

/**
 * A module importing one shared memory (limits flag 0x03: shared, with a maximum, as the threads proposal
 * requires) and exporting one function with no results.
 */
export function wasmModule(memory: SharedMemoryImport, fn: KernelFunction): Uint8Array {
  const header = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
  const types = section(1, vector([[0x60, ...vector(fn.params.map((type) => [type])), ...vector([])]]));
  const imports = section(2, vector([[...name(memory.module), ...name(memory.field), 0x02, 0x03, ...uleb(memory.minPages), ...uleb(memory.maxPages)]]));
  const functions = section(3, vector([uleb(0)]));
  const exports = section(7, vector([[...name(fn.exportName), 0x00, ...uleb(0)]]));
  const body = seq(vector([[...uleb(fn.locals.count), fn.locals.type]]), fn.body, [0x0b]);
  const code = section(10, vector([[...uleb(body.length), ...body]]));
  return Uint8Array.from(seq(header, types, imports, functions, exports, code));
}
