import { Code, control, f32, f64, i32, local, seq, ValueType, wasmModule } from '../../wasm/wasm-binary';

/**
 * How the kernel walks. `walkers`: rows walked side by side through one tree. A single walk is a chain of
 * dependent loads (node → feature → next node), ~15 cycles per level; independent chains keep the core's
 * load ports busy instead of waiting on one. `chunkRows`: rows per pass over the trees, so their features
 * (256 × 17 × 4 B) stay in L1 while every tree walks them. The defaults are the fastest of
 * `bench/ml/kernel-shapes.ts` on the 2-core bench machine.
 */
export interface KernelShape {
  readonly walkers: number;
  readonly chunkRows: number;
}

export const DEFAULT_KERNEL_SHAPE: KernelShape = { walkers: 8, chunkRows: 256 };

export const KERNEL_EXPORT = 'walk';
export const KERNEL_MEMORY = { module: 'env', field: 'memory' } as const;

/** Parameters of `walk`, all i32 byte addresses or counts in the shared memory. */
const P = { x: 0, rowBytes: 1, from: 2, to: 3, nodes: 4, leaves: 5, trees: 6, depth: 7, out: 8 } as const;
const PARAMS = Object.keys(P).length;
/** Scalar locals, then two per walker. */
const L = { chunk: 9, chunkEnd: 10, tree: 11, nodeBase: 12, leafBase: 13, row: 14, node: 15, out: 16, level: 17, internal: 18, leafCount: 19 } as const;
const FIRST_WALKER = 20;
/** The two locals of walker w: its heap index and its row address. */
const heapIndex = (walker: number): number => FIRST_WALKER + 2 * walker;
const rowAddress = (walker: number): number => FIRST_WALKER + 2 * walker + 1;

const get = local.get;
const set = local.set;
const c = i32.const;

/**
 * One level for one walker: node k (1-based heap) holds [i32 feature byte offset, f32 threshold];
 * k ← 2k + 1 − (x[feature] ≤ threshold). NaN fails ≤ and goes to 2k + 1, onnxruntime's false branch.
 * No branch depends on the data, so nothing is mispredicted.
 */
function step(walker: number): Code {
  const k = heapIndex(walker);
  return seq(
    set(L.node, i32.add(get(L.nodeBase), i32.shl(get(k), c(3)))),
    set(
      k,
      i32.sub(
        i32.add(i32.shl(get(k), c(1)), c(1)),
        f32.le(f32.load(i32.add(get(rowAddress(walker)), i32.load(get(L.node)))), f32.load(get(L.node), 4)),
      ),
    ),
  );
}

/** Walks rows row … row + walkers − 1 through the current tree and adds each leaf weight to its row's sum. */
function walkRows(walkers: number): Code {
  const start = Array.from({ length: walkers }, (_, w) =>
    seq(set(heapIndex(w), c(1)), set(rowAddress(w), w === 0 ? i32.add(get(P.x), i32.mul(get(L.row), get(P.rowBytes))) : i32.add(get(rowAddress(w - 1)), get(P.rowBytes)))),
  );
  const levels = control.loop(
    ...Array.from({ length: walkers }, (_, w) => step(w)),
    set(L.level, i32.sub(get(L.level), c(1))),
    control.brIf(0, get(L.level)),
  );
  const add = Array.from({ length: walkers }, (_, w) =>
    f64.store(get(L.out), f64.add(f64.load(get(L.out), w * 8), f64.load(i32.add(get(L.leafBase), i32.shl(get(heapIndex(w)), c(3))))), w * 8),
  );
  return seq(...start, set(L.level, get(P.depth)), levels, set(L.out, i32.add(get(P.out), i32.shl(get(L.row), c(3)))), ...add, set(L.row, i32.add(get(L.row), c(walkers))));
}

/**
 * `walk(x, rowBytes, from, to, nodes, leaves, trees, depth, out)`: for rows [from, to) of the f32 rows at
 * x, adds every tree's leaf weight to the row's f64 sum at out + 8·row. Rows go in chunks of `chunkRows`;
 * each chunk meets every tree in turn (one tree's nodes stay in L1 across the chunk), `walkers` rows at
 * once, the remainder one by one. Threads may call it at once on disjoint row ranges of the same memory.
 */
export function forestKernelModule(memoryPages: number, shape: KernelShape = DEFAULT_KERNEL_SHAPE): Uint8Array {
  const { walkers, chunkRows } = shape;
  if (!Number.isInteger(walkers) || walkers < 1 || !Number.isInteger(chunkRows) || chunkRows < 1) throw new RangeError(`bad kernel shape ${JSON.stringify(shape)}`);
  const body = seq(
    set(L.leafCount, i32.shl(c(1), get(P.depth))),
    set(L.internal, i32.sub(get(L.leafCount), c(1))),
    set(L.chunk, get(P.from)),
    control.block(
      control.loop(
        control.brIf(1, i32.leU(get(P.to), get(L.chunk))),
        set(L.chunkEnd, i32.add(get(L.chunk), c(chunkRows))),
        control.if(i32.gtU(get(L.chunkEnd), get(P.to)), set(L.chunkEnd, get(P.to))),
        set(L.tree, c(0)),
        control.block(
          control.loop(
            control.brIf(1, i32.leU(get(P.trees), get(L.tree))),
            // Heap index k of this tree's node lives at nodeBase + 8k (k ≥ 1); leaf k (2^D ≤ k < 2^(D+1)) at leafBase + 8k.
            set(L.nodeBase, i32.sub(i32.add(get(P.nodes), i32.shl(i32.mul(get(L.tree), get(L.internal)), c(3))), c(8))),
            set(L.leafBase, i32.sub(i32.add(get(P.leaves), i32.shl(i32.mul(get(L.tree), get(L.leafCount)), c(3))), i32.shl(get(L.leafCount), c(3)))),
            set(L.row, get(L.chunk)),
            control.block(control.loop(control.brIf(1, i32.gtU(i32.add(get(L.row), c(walkers)), get(L.chunkEnd))), walkRows(walkers), control.br(0))),
            control.block(control.loop(control.brIf(1, i32.leU(get(L.chunkEnd), get(L.row))), walkRows(1), control.br(0))),
            set(L.tree, i32.add(get(L.tree), c(1))),
            control.br(0),
          ),
        ),
        set(L.chunk, get(L.chunkEnd)),
        control.br(0),
      ),
    ),
  );
  return wasmModule(
    { ...KERNEL_MEMORY, minPages: memoryPages, maxPages: memoryPages },
    { exportName: KERNEL_EXPORT, params: Array<number>(PARAMS).fill(ValueType.i32) as (typeof ValueType.i32)[], locals: { count: FIRST_WALKER + 2 * walkers - PARAMS, type: ValueType.i32 }, body },
  );
}
