import { DEFAULT_KERNEL_SHAPE, forestKernelModule, KERNEL_EXPORT, KERNEL_MEMORY, KernelShape } from './forest-kernel-module';
import { ForestKernelError, PerfectForest } from './perfect-forest';

const PAGE_BYTES = 65_536;
/** Addresses are i32 and computed with unsigned arithmetic; 2 GiB keeps every sum far from wrapping. */
const MAX_PAGES = 32_768;

/** Byte addresses of the regions of the kernel's memory. */
interface Layout {
  readonly nodes: number;
  readonly leaves: number;
  readonly rows: number;
  readonly sums: number;
  readonly rowBytes: number;
}

/**
 * The compiled kernel and its one shared memory: [forest nodes | leaf weights | a block of rows | their
 * f64 sums]. The forest is written once; each block of up to `blockRows` rows is copied in, walked (by
 * this thread, or by several threads instantiating the same module over the same memory on disjoint row
 * ranges) and read back. Fixed size: memory never grows, so no thread ever sees a stale buffer.
 */
export class ForestKernel {
  private readonly walkFn: (...args: number[]) => void;

  private constructor(
    readonly module: WebAssembly.Module,
    readonly memory: WebAssembly.Memory,
    private readonly layout: Layout,
    readonly forest: PerfectForest,
    readonly blockRows: number,
  ) {
    const instance = new WebAssembly.Instance(module, ForestKernel.imports(memory));
    this.walkFn = instance.exports[KERNEL_EXPORT] as (...args: number[]) => void;
  }

  static create(forest: PerfectForest, blockRows: number, shape: KernelShape = DEFAULT_KERNEL_SHAPE): ForestKernel {
    if (!Number.isInteger(blockRows) || blockRows < 1) throw new RangeError(`blockRows must be a positive integer, got ${blockRows}`);
    const rowBytes = forest.nFeatures * 4;
    const nodes = 0;
    const leaves = nodes + forest.nodes.byteLength;
    const rows = leaves + forest.leaves.byteLength;
    const sums = align8(rows + blockRows * rowBytes);
    const pages = Math.ceil((sums + blockRows * 8) / PAGE_BYTES);
    if (pages > MAX_PAGES) throw new ForestKernelError(`the forest and a block of ${blockRows} rows need ${pages} pages of kernel memory, more than ${MAX_PAGES} (2 GiB); use fewer block rows or OnnxScorer`);
    const memory = new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true });
    new Uint8Array(memory.buffer, nodes, forest.nodes.byteLength).set(new Uint8Array(forest.nodes));
    new Float64Array(memory.buffer, leaves, forest.leaves.length).set(forest.leaves);
    const module = new WebAssembly.Module(forestKernelModule(pages, shape));
    return new ForestKernel(module, memory, { nodes, leaves, rows, sums, rowBytes }, forest, blockRows);
  }

  /** The import object for an instance over `memory`, in this thread or a worker. */
  static imports(memory: WebAssembly.Memory): WebAssembly.Imports {
    return { [KERNEL_MEMORY.module]: { [KERNEL_MEMORY.field]: memory } };
  }

  /** Copies `count` rows (count × nFeatures floats) into the block and clears their sums. */
  load(rows: Float32Array, count: number): void {
    if (count > this.blockRows) throw new RangeError(`${count} rows exceed the kernel block of ${this.blockRows}`);
    new Float32Array(this.memory.buffer, this.layout.rows, count * this.forest.nFeatures).set(rows.subarray(0, count * this.forest.nFeatures));
    new Float64Array(this.memory.buffer, this.layout.sums, count).fill(0);
  }

  /** The kernel's arguments for block rows [from, to): what a worker needs to walk them. */
  args(from: number, to: number): number[] {
    const { rows, rowBytes, nodes, leaves, sums } = this.layout;
    return [rows, rowBytes, from, to, nodes, leaves, this.forest.trees, this.forest.depth, sums];
  }

  walk(from: number, to: number): void {
    this.walkFn(...this.args(from, to));
  }

  /** The summed leaf weights of the first `count` block rows (a view: read before the next load). */
  sums(count: number): Float64Array {
    return new Float64Array(this.memory.buffer, this.layout.sums, count);
  }
}

function align8(bytes: number): number {
  return Math.ceil(bytes / 8) * 8;
}
