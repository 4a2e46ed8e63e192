import { DOT_ROWS_BATCH_EXPORT, DOT_ROWS_EXPORT, DOT_ROWS_MEMORY, dotRowsModule, SCREEN_ROWS_EXPORT } from './dot-rows-module';
import { RBF_ROWS_EXPORT } from './rbf-rows-function';
import { SCREEN_ROWS_F32_EXPORT } from './screen-rows-f32-function';

const PAGE_BYTES = 65_536;
/** Addresses are i32 with unsigned arithmetic; 2 GiB keeps every sum far from wrapping. */
const MAX_BYTES = 2 ** 31;
/** Arrays start 32-byte aligned, so a row's 16-byte loads never straddle a cache line needlessly. */
const ALIGN = 32;

/** Compiled modules by row width: a few widths per process, each compiled once. */
const compiled = new Map<number, WebAssembly.Module>();

type KernelFunctions = Record<'dotRows' | 'screenRows' | 'dotRowsBatch' | 'rbfRows' | 'screenRowsF32', (...args: number[]) => void>;

/** A memory and the kernel instances bound to it. */
interface Arena {
  readonly memory: WebAssembly.Memory;
  readonly instances: Map<number, KernelFunctions>;
  /** Bytes from the start its last kernel handed out, the part a new one must zero. */
  used: number;
}

/**
 * The largest memory a kernel gave back, kept for the next one (per thread: module state is). A fresh
 * memory's pages fault in one by one as they are first written, which on a virtual machine costs about
 * as much as the arithmetic of a Nyström training; zeroing a used one costs a fraction of it.
 */
let spare: Arena | null = null;
/** Memories above this size are left to the collector rather than held between trainings. */
const SPARE_LIMIT_BYTES = 256 * 2 ** 20;

/** Row stride for `dotRows`: columns rounded up to a multiple of 4 (the kernel's step), padding zero. */
export function paddedWidth(cols: number): number {
  return Math.ceil(cols / 4) * 4;
}

/**
 * A WebAssembly memory of fixed size holding float64 arrays, and the SIMD `dot_rows` kernel over it. Size
 * it for everything one training needs, then `alloc` views: the memory never grows, so views never go stale.
 * Private to the calling thread.
 */
export class DotRowsKernel {
  private readonly memory: WebAssembly.Memory;
  private readonly instances: Map<number, KernelFunctions>;
  private readonly foundCount: Int32Array;
  private next = 0;
  private arena: Arena | null;

  private constructor(private readonly capacityBytes: number) {
    // A power of two of pages, so the next training's slightly larger request still fits a spare memory;
    // pages past what is allocated are never touched and cost address space only.
    const pages = 2 ** Math.ceil(Math.log2(Math.max(1, Math.ceil(capacityBytes / PAGE_BYTES))));
    let arena = spare;
    if (arena && arena.memory.buffer.byteLength >= pages * PAGE_BYTES) {
      spare = null;
      new Uint8Array(arena.memory.buffer, 0, arena.used).fill(0);
    } else {
      arena = { memory: new WebAssembly.Memory({ initial: pages }), instances: new Map(), used: 0 };
    }
    this.arena = arena;
    this.memory = arena.memory;
    this.instances = arena.instances;
    this.foundCount = this.allocIndices(1);
  }

  /**
   * Gives the memory back for the next kernel on this thread to reuse. Every view this kernel allocated
   * must be dropped first: they would see the next kernel's arrays. Releasing twice does nothing.
   */
  release(): void {
    const arena = this.arena;
    if (!arena) return;
    this.arena = null;
    arena.used = this.next;
    const size = arena.memory.buffer.byteLength;
    if (size <= SPARE_LIMIT_BYTES && (!spare || spare.memory.buffer.byteLength < size)) spare = arena;
  }

  /** The kernel functions specialised for rows `width` wide, compiled and instantiated on first use. */
  private functions(width: number) {
    let functions = this.instances.get(width);
    if (!functions) {
      let module = compiled.get(width);
      if (!module) compiled.set(width, (module = new WebAssembly.Module(dotRowsModule(width))));
      const exports = new WebAssembly.Instance(module, { [DOT_ROWS_MEMORY.module]: { [DOT_ROWS_MEMORY.field]: this.memory } }).exports;
      const exported = (name: string) => exports[name] as (...args: number[]) => void;
      functions = { dotRows: exported(DOT_ROWS_EXPORT), screenRows: exported(SCREEN_ROWS_EXPORT), dotRowsBatch: exported(DOT_ROWS_BATCH_EXPORT), rbfRows: exported(RBF_ROWS_EXPORT), screenRowsF32: exported(SCREEN_ROWS_F32_EXPORT) };
      this.instances.set(width, functions);
    }
    return functions;
  }

  /** Room for arrays of these lengths (float64 elements). */
  static create(...lengths: number[]): DotRowsKernel {
    // One more aligned slot for screenRows' count.
    const bytes = lengths.reduce((sum, length) => sum + Math.ceil((length * 8) / ALIGN) * ALIGN, ALIGN);
    if (bytes > MAX_BYTES) throw new RangeError(`${bytes} bytes of kernel memory asked for, more than 2 GiB`);
    return new DotRowsKernel(bytes);
  }

  /** A zeroed float64 array in the kernel's memory. */
  alloc(length: number): Float64Array {
    return this.view(Float64Array, length, 'float64');
  }

  /** A zeroed int32 array in the kernel's memory (room for it counts as length / 2 float64). */
  allocIndices(length: number): Int32Array {
    return this.view(Int32Array, length, 'int32');
  }

  /** A zeroed float32 array in the kernel's memory (room for it counts as length / 2 float64). */
  allocFloat32(length: number): Float32Array {
    return this.view(Float32Array, length, 'float32');
  }

  /** `rows` (row-major, `cols` wide) copied into a new array with rows `paddedWidth(cols)` wide. */
  allocPadded(rows: ArrayLike<number>, cols: number): Float64Array {
    return padRows(rows, cols, this.alloc((rows.length / cols) * paddedWidth(cols)));
  }

  /** `rows` (row-major, `cols` wide) rounded to float32, in a new array with rows `paddedWidth(cols)` wide. */
  allocPaddedFloat32(rows: ArrayLike<number>, cols: number): Float32Array {
    return padRows(rows, cols, this.allocFloat32((rows.length / cols) * paddedWidth(cols)));
  }

  private view<T>(View: { new (buffer: ArrayBufferLike, byteOffset: number, length: number): T; readonly BYTES_PER_ELEMENT: number }, length: number, type: string): T {
    const bytes = Math.ceil((length * View.BYTES_PER_ELEMENT) / ALIGN) * ALIGN;
    if (this.next + bytes > this.capacityBytes) throw new RangeError(`kernel memory exhausted: ${length} more ${type} asked for`);
    const view = new View(this.memory.buffer, this.next, length);
    this.next += bytes;
    return view;
  }

  /**
   * out[j] = a[aRow]·b[bRow + j] for j < count, where a, b and out were allocated here, rows are `width`
   * (a multiple of 4) wide and out holds count values from `outAt`. `triangular`: see dotRowsModule.
   */
  dotRows(a: Float64Array, aRow: number, b: Float64Array, bRow: number, count: number, width: number, out: Float64Array, outAt = 0, triangular = false): void {
    if (a.buffer !== this.memory.buffer || b.buffer !== this.memory.buffer || out.buffer !== this.memory.buffer) throw new RangeError('dotRows takes arrays allocated by this kernel');
    if (width % 4 !== 0) throw new RangeError(`width must be a multiple of 4, got ${width}`);
    if ((aRow + 1) * width > a.length || (bRow + count) * width > b.length || outAt + count > out.length) throw new RangeError('dotRows out of bounds');
    this.functions(width).dotRows(a.byteOffset + aRow * width * 8, b.byteOffset + bRow * width * 8, count, width, out.byteOffset + outAt * 8, triangular ? 1 : 0);
  }

  /**
   * out[outAt + i·count + j] = a[aRow + i]·b[bRow + j] for i < rows, j < count: `dotRows` for `rows` rows of
   * a at once, bit for bit (`triangular` included), and up to about twice as fast for more than a few rows.
   */
  dotRowsBatch(a: Float64Array, aRow: number, rows: number, b: Float64Array, bRow: number, count: number, width: number, out: Float64Array, outAt = 0, triangular = false): void {
    if (a.buffer !== this.memory.buffer || b.buffer !== this.memory.buffer || out.buffer !== this.memory.buffer) throw new RangeError('dotRowsBatch takes arrays allocated by this kernel');
    if (width % 4 !== 0) throw new RangeError(`width must be a multiple of 4, got ${width}`);
    if ((aRow + rows) * width > a.length || (bRow + count) * width > b.length || outAt + rows * count > out.length) throw new RangeError('dotRowsBatch out of bounds');
    this.functions(width).dotRowsBatch(a.byteOffset + aRow * width * 8, rows, b.byteOffset + bRow * width * 8, count, out.byteOffset + outAt * 8, triangular ? 1 : 0);
  }

  /**
   * out[outAt + i·outWidth + a] = exp(−γ·max(0, rowNorms[i] + landmarkNorms[a] − 2·dots[i·count + a])) for
   * i < rows, a < count: the RBF kernel from `dotRowsBatch`'s products (sklearn's expansion), two lanes at a
   * time with fdlibm's exp (equal to Math.exp but for an ulp at the edges of its ranges). For an odd count,
   * dots, landmarkNorms and each out row need one more element (read or written, never used).
   */
  rbfRows(dots: Float64Array, rowNorms: Float64Array, landmarkNorms: Float64Array, rows: number, count: number, gamma: number, out: Float64Array, outAt: number, outWidth: number): void {
    for (const array of [dots, rowNorms, landmarkNorms, out]) if (array.buffer !== this.memory.buffer) throw new RangeError('rbfRows takes arrays allocated by this kernel');
    const lanes = count + (count % 2);
    if (rows * count + (lanes - count) > dots.length || rows > rowNorms.length || lanes > landmarkNorms.length || lanes > outWidth || outAt + (rows - 1) * outWidth + lanes > out.length) {
      throw new RangeError('rbfRows out of bounds');
    }
    this.functions(4).rbfRows(dots.byteOffset, rowNorms.byteOffset, landmarkNorms.byteOffset, rows, count, gamma, out.byteOffset + outAt * 8, outWidth * 8);
  }

  /**
   * screenRows on float32 rows (from allocPaddedFloat32), twice the columns per instruction. A superset of
   * the rows within the bounds when slack ≥ f32ScreenSlack(width), which allows for float32 rounding.
   */
  screenRowsF32(a: Float32Array, aRow: number, b: Float32Array, bRow: number, count: number, width: number, norms: Float64Array, bounds: Float64Array, out: Int32Array, normA: number, boundA: number, slack: number): number {
    for (const array of [a, b, norms, bounds, out]) if (array.buffer !== this.memory.buffer) throw new RangeError('screenRowsF32 takes arrays allocated by this kernel');
    if (width % 4 !== 0) throw new RangeError(`width must be a multiple of 4, got ${width}`);
    if ((aRow + 1) * width > a.length || (bRow + count) * width > b.length || bRow + count > norms.length || bRow + count > bounds.length || count > out.length) throw new RangeError('screenRowsF32 out of bounds');
    this.functions(width).screenRowsF32(a.byteOffset + aRow * width * 4, b.byteOffset + bRow * width * 4, count, norms.byteOffset + bRow * 8, bounds.byteOffset + bRow * 8, out.byteOffset, this.foundCount.byteOffset, normA, boundA, slack);
    return this.foundCount[0];
  }

  /**
   * The rows bRow + j (j < count) that may lie within a squared-distance bound of a[aRow]: screened
   * ‖a‖² + ‖b‖² − 2a·b − slack·(‖a‖² + ‖b‖²) ≤ boundA or ≤ bounds[bRow + j]; norms[r] = ‖b_r‖². Writes
   * those j to `out` and returns how many; a superset of the rows truly within, for exact checks.
   */
  screenRows(a: Float64Array, aRow: number, b: Float64Array, bRow: number, count: number, width: number, norms: Float64Array, bounds: Float64Array, out: Int32Array, normA: number, boundA: number, slack: number): number {
    for (const array of [a, b, norms, bounds, out]) if (array.buffer !== this.memory.buffer) throw new RangeError('screenRows takes arrays allocated by this kernel');
    if (width % 4 !== 0) throw new RangeError(`width must be a multiple of 4, got ${width}`);
    if ((aRow + 1) * width > a.length || (bRow + count) * width > b.length || bRow + count > norms.length || bRow + count > bounds.length || count > out.length) throw new RangeError('screenRows out of bounds');
    this.functions(width).screenRows(a.byteOffset + aRow * width * 8, b.byteOffset + bRow * width * 8, count, width, norms.byteOffset + bRow * 8, bounds.byteOffset + bRow * 8, out.byteOffset, this.foundCount.byteOffset, normA, boundA, slack);
    return this.foundCount[0];
  }
}

function padRows<T extends Float64Array | Float32Array>(rows: ArrayLike<number>, cols: number, out: T): T {
  const width = paddedWidth(cols);
  for (let r = 0; r < rows.length / cols; r++) for (let c = 0; c < cols; c++) out[r * width + c] = rows[r * cols + c];
  return out;
}
