import { rbfRowsFunction } from './rbf-rows-function';
import { screenRowCode } from './screen-row';
import { screenRowsF32Function } from './screen-rows-f32-function';
import { Code, control, f64, f64x2, i32, local, seq, ValueType, wasmModule } from './wasm-binary';

export const DOT_ROWS_EXPORT = 'dot_rows';
export const SCREEN_ROWS_EXPORT = 'screen_rows';
export const DOT_ROWS_BATCH_EXPORT = 'dot_rows_batch';
export const DOT_ROWS_MEMORY = { module: 'env', field: 'memory' } as const;

const get = local.get;
const set = local.set;
const c = i32.const;

/** Locals both functions walk rows with; parameter indices come first and differ per function. */
interface RowLocals {
  readonly a: number;
  readonly j: number;
  readonly bRow: number;
  readonly length: number;
  readonly c: number;
  readonly acc0: number;
  readonly acc1: number;
}

/**
 * Leaves a[0 … length)·bRow[0 … length) (length in bytes, a multiple of 32) on the stack, two f64 lanes
 * at a time with two independent sums: four products in flight, where V8's scalar loop has one long
 * dependency chain. Summation order differs from a left-to-right loop, hence ~1e-16 relative rounding.
 */
function rowDot(l: RowLocals, width: number): Code {
  if (width <= UNROLL_WIDTH) return unrolledRowDot(l, width);
  return seq(
    set(l.acc0, f64x2.zero()),
    set(l.acc1, f64x2.zero()),
    set(l.c, c(0)),
    control.block(
      control.loop(
        control.brIf(1, i32.geU(get(l.c), get(l.length))),
        set(l.acc0, f64x2.add(get(l.acc0), f64x2.mul(f64x2.load(i32.add(get(l.a), get(l.c))), f64x2.load(i32.add(get(l.bRow), get(l.c)))))),
        set(l.acc1, f64x2.add(get(l.acc1), f64x2.mul(f64x2.load(i32.add(get(l.a), get(l.c)), 16), f64x2.load(i32.add(get(l.bRow), get(l.c)), 16)))),
        set(l.c, i32.add(get(l.c), c(32))),
        control.br(0),
      ),
    ),
    set(l.acc0, f64x2.add(get(l.acc0), get(l.acc1))),
    f64.add(f64x2.extractLane(get(l.acc0), 0), f64x2.extractLane(get(l.acc0), 1)),
  );
}

/**
 * Rows of at most this many elements are summed by straight-line code with constant offsets: no loop
 * counter and no address arithmetic, about half the instructions of the loop for 17 to 40 columns.
 */
const UNROLL_WIDTH = 64;

function unrolledRowDot(l: RowLocals, width: number): Code {
  const products = Array.from({ length: width / 2 }, (_, p) =>
    set(p % 2 === 0 ? l.acc0 : l.acc1, f64x2.add(get(p % 2 === 0 ? l.acc0 : l.acc1), f64x2.mul(f64x2.load(get(l.a), 16 * p), f64x2.load(get(l.bRow), 16 * p)))),
  );
  return seq(
    set(l.acc0, f64x2.zero()),
    set(l.acc1, f64x2.zero()),
    ...products,
    set(l.acc0, f64x2.add(get(l.acc0), get(l.acc1))),
    f64.add(f64x2.extractLane(get(l.acc0), 0), f64x2.extractLane(get(l.acc0), 1)),
  );
}

/** for (j = 0, bRow = b; j < count; j++, bRow += width·8) { perRow }, with rowBytes = width·8. */
function eachRow(p: { b: number; count: number; width: number }, l: RowLocals & { rowBytes: number }, ...perRow: Code[]): Code {
  return seq(
    set(l.rowBytes, i32.shl(get(p.width), c(3))),
    set(l.bRow, get(p.b)),
    set(l.j, c(0)),
    control.block(
      control.loop(
        control.brIf(1, i32.geU(get(l.j), get(p.count))),
        ...perRow,
        set(l.bRow, i32.add(get(l.bRow), get(l.rowBytes))),
        set(l.j, i32.add(get(l.j), c(1))),
        control.br(0),
      ),
    ),
  );
}

const I32_LOCALS = 5;
const rowLocals = (first: number, a: number) => ({ a, j: first, bRow: first + 1, length: first + 2, c: first + 3, rowBytes: first + 4, acc0: first + I32_LOCALS, acc1: first + I32_LOCALS + 1 });

/**
 * `dot_rows(a, b, count, width, out, triangular)`: out[j] = Σ_c a[c]·b[j·width + c] for j < count, float64.
 * `width` (a multiple of 4) is the row stride in elements; rows are zero-padded to it, and the padding adds
 * exact zeros. With `triangular` set, row j's sum stops after element j rounded up to a multiple of 4: for a
 * lower-triangular `b` whose entries above the diagonal are zero, that skips half the work and changes nothing.
 */
function dotRows(width: number) {
  const P = { a: 0, b: 1, count: 2, width: 3, out: 4, triangular: 5 };
  const l = rowLocals(6, P.a);
  const body = eachRow(
    P,
    l,
    set(l.length, get(l.rowBytes)),
    control.if(
      get(P.triangular),
      // ((j + 4) & ~3) elements, as bytes; the row's full width when that is less.
      set(l.length, i32.shl(i32.and(i32.add(get(l.j), c(4)), c(-4)), c(3))),
      control.if(i32.gtU(get(l.length), get(l.rowBytes)), set(l.length, get(l.rowBytes))),
    ),
    control.if(
      get(P.triangular),
      f64.store(i32.add(get(P.out), i32.shl(get(l.j), c(3))), rowDot(l, Infinity)),
    ),
    control.if(
      i32.eqz(get(P.triangular)),
      f64.store(i32.add(get(P.out), i32.shl(get(l.j), c(3))), rowDot(l, width)),
    ),
  );
  return { exportName: DOT_ROWS_EXPORT, params: Array<number>(6).fill(ValueType.i32) as (typeof ValueType.i32)[], locals: [{ count: I32_LOCALS, type: ValueType.i32 }, { count: 2, type: ValueType.v128 }], body };
}

/**
 * `screen_rows(a, b, count, width, norms, bounds, out, outCount, normA, boundA, slack)`: the rows j < count
 * of b that may lie within a squared-distance bound of a, by the expansion ‖a‖² + ‖b_j‖² − 2a·b_j
 * (norms[j] = ‖b_j‖²) loosened by slack·(‖a‖² + ‖b_j‖²): those with a screened distance ≤ boundA or
 * ≤ bounds[j]. Writes their j as i32 to out and their number to the i32 at outCount. What passes is a
 * superset of the rows within the bounds, for the caller to decide on exact distances.
 */
function screenRows(width: number) {
  const P = { a: 0, b: 1, count: 2, width: 3, norms: 4, bounds: 5, out: 6, outCount: 7, normA: 8, boundA: 9, slack: 10 };
  const l = rowLocals(11, P.a);
  const found = 11 + I32_LOCALS + 2;
  const dot = found + 1;
  const sum = dot + 1;
  const screen = sum + 1;
  const blockAcc = screen + 1; // BLOCK accumulators, then the shared a chunk
  const aChunk = blockAcc + BLOCK;
  const rowBytes = width * 8;
  /** Screens row j + r given its dot product in local `dot`. */
  const screenRow = (r: number): Code => screenRowCode({ norms: P.norms, bounds: P.bounds, out: P.out, normA: P.normA, boundA: P.boundA, slack: P.slack, j: l.j, found, dot, sum, screen }, r);
  // BLOCK rows at a time share each chunk of a and run BLOCK independent sums, which hides the add latency
  // a single row's chain of width/2 dependent adds would wait on.
  const blocked =
    width <= UNROLL_WIDTH
      ? seq(
          ...Array.from({ length: BLOCK }, (_, r) => set(blockAcc + r, f64x2.zero())),
          ...Array.from({ length: width / 2 }, (_, p) =>
            seq(
              set(aChunk, f64x2.load(get(l.a), 16 * p)),
              ...Array.from({ length: BLOCK }, (_, r) => set(blockAcc + r, f64x2.add(get(blockAcc + r), f64x2.mul(get(aChunk), f64x2.load(get(l.bRow), r * rowBytes + 16 * p))))),
            ),
          ),
          ...Array.from({ length: BLOCK }, (_, r) =>
            seq(set(dot, f64.add(f64x2.extractLane(get(blockAcc + r), 0), f64x2.extractLane(get(blockAcc + r), 1))), screenRow(r)),
          ),
        )
      : [];
  const body = seq(
    set(found, c(0)),
    set(l.rowBytes, c(rowBytes)),
    set(l.bRow, get(P.b)),
    set(l.j, c(0)),
    control.block(
      control.loop(
        control.brIf(1, i32.gtU(i32.add(get(l.j), c(width <= UNROLL_WIDTH ? BLOCK : 1 << 30)), get(P.count))),
        blocked,
        set(l.bRow, i32.add(get(l.bRow), c(BLOCK * rowBytes))),
        set(l.j, i32.add(get(l.j), c(BLOCK))),
        control.br(0),
      ),
    ),
    control.block(
      control.loop(
        control.brIf(1, i32.geU(get(l.j), get(P.count))),
        set(l.length, get(l.rowBytes)),
        set(dot, rowDot(l, width)),
        screenRow(0),
        set(l.bRow, i32.add(get(l.bRow), get(l.rowBytes))),
        set(l.j, i32.add(get(l.j), c(1))),
        control.br(0),
      ),
    ),
    i32.store(get(P.outCount), get(found)),
  );
  const params = [...Array<number>(8).fill(ValueType.i32), ValueType.f64, ValueType.f64, ValueType.f64] as (typeof ValueType.i32 | typeof ValueType.f64)[];
  return {
    exportName: SCREEN_ROWS_EXPORT,
    params,
    locals: [
      { count: I32_LOCALS, type: ValueType.i32 },
      { count: 2, type: ValueType.v128 },
      { count: 1, type: ValueType.i32 },
      { count: 3, type: ValueType.f64 },
      { count: BLOCK + 1, type: ValueType.v128 },
    ],
    body,
  };
}

/** Rows screen_rows sums side by side. */
const BLOCK = 4;

/**
 * `dot_rows_batch(a, rows, b, count, out, triangular)`: out[i·count + j] = a_i·b_j for i < rows, j < count,
 * each sum exactly dot_rows' (the same lanes, the same order), so the two are interchangeable bit for bit.
 * dot_rows waits on the add latency of one output's two sums; here a block of b rows shares each chunk of
 * a_i in independent sums, and the block stays in L1 while every row of a passes it. With `triangular` set,
 * b_j's sum stops where dot_rows' does, after element j rounded up to a multiple of 4, or later for the
 * block's first rows: the extra terms are products with b's zeros above the diagonal, exactly 0.
 */
function dotRowsBatch(width: number) {
  const P = { a: 0, rows: 1, b: 2, count: 3, out: 4, triangular: 5 };
  const L = { i: 6, j: 7, aRow: 8, outRow: 9, c: 10, length: 11 };
  /** Row r of the block; rows past `count` repeat the last one, so nothing is read outside b. */
  const bRow = Array.from({ length: BATCH_BLOCK }, (_, r) => 12 + r);
  const firstV128 = 12 + BATCH_BLOCK;
  const acc = (r: number, half: number) => firstV128 + 2 * r + half;
  const x = [firstV128 + 2 * BATCH_BLOCK, firstV128 + 2 * BATCH_BLOCK + 1];
  const rowBytes = width * 8;

  /** The products of one 32-byte chunk at byte `at` of the rows (a run-time local, or a constant offset). */
  const chunk = (at: { local: number } | { offset: number }): Code => {
    const address = (row: number, half: number): [Code, number] => ('local' in at ? [i32.add(get(row), get(at.local)), 16 * half] : [get(row), at.offset + 16 * half]);
    return seq(
      set(x[0], f64x2.load(...address(L.aRow, 0))),
      set(x[1], f64x2.load(...address(L.aRow, 1))),
      ...bRow.map((row, r) =>
        seq(
          set(acc(r, 0), f64x2.add(get(acc(r, 0)), f64x2.mul(get(x[0]), f64x2.load(...address(row, 0))))),
          set(acc(r, 1), f64x2.add(get(acc(r, 1)), f64x2.mul(get(x[1]), f64x2.load(...address(row, 1))))),
        ),
      ),
    );
  };
  // A loop even where dot_rows unrolls: V8 hoists every load of straight-line code ahead of the arithmetic,
  // and a block's rows then spill the accumulators to the stack.
  const products = seq(
    set(L.c, c(0)),
    control.block(control.loop(control.brIf(1, i32.geU(get(L.c), get(L.length))), chunk({ local: L.c }), set(L.c, i32.add(get(L.c), c(32))), control.br(0))),
  );
  const storeSums = seq(
    ...bRow.map((_, r) => {
      const sum = seq(
        set(acc(r, 0), f64x2.add(get(acc(r, 0)), get(acc(r, 1)))),
        f64.store(get(L.outRow), f64.add(f64x2.extractLane(get(acc(r, 0)), 0), f64x2.extractLane(get(acc(r, 0)), 1)), 8 * r),
      );
      return r === 0 ? sum : control.if(i32.ltU(i32.add(get(L.j), c(r)), get(P.count)), sum);
    }),
  );
  const lastOfBlock = i32.add(get(L.j), c(BATCH_BLOCK - 1));
  const body = seq(
    set(bRow[0], get(P.b)),
    set(L.j, c(0)),
    control.block(
      control.loop(
        control.brIf(1, i32.geU(get(L.j), get(P.count))),
        ...bRow.slice(1).map((row, r) => seq(set(row, get(bRow[r])), control.if(i32.ltU(i32.add(get(L.j), c(r + 1)), get(P.count)), set(row, i32.add(get(row), c(rowBytes)))))),
        set(L.length, c(rowBytes)),
        // (last + 4) & ~3 elements as bytes, when that is less than the full row.
        control.if(
          get(P.triangular),
          set(L.length, i32.shl(i32.and(i32.add(lastOfBlock, c(4)), c(-4)), c(3))),
          control.if(i32.gtU(get(L.length), c(rowBytes)), set(L.length, c(rowBytes))),
        ),
        set(L.aRow, get(P.a)),
        set(L.outRow, i32.add(get(P.out), i32.shl(get(L.j), c(3)))),
        set(L.i, c(0)),
        control.block(
          control.loop(
            control.brIf(1, i32.geU(get(L.i), get(P.rows))),
            ...bRow.flatMap((_, r) => [set(acc(r, 0), f64x2.zero()), set(acc(r, 1), f64x2.zero())]),
            products,
            storeSums,
            set(L.aRow, i32.add(get(L.aRow), c(rowBytes))),
            set(L.outRow, i32.add(get(L.outRow), i32.shl(get(P.count), c(3)))),
            set(L.i, i32.add(get(L.i), c(1))),
            control.br(0),
          ),
        ),
        set(bRow[0], i32.add(get(bRow[0]), c(BATCH_BLOCK * rowBytes))),
        set(L.j, i32.add(get(L.j), c(BATCH_BLOCK))),
        control.br(0),
      ),
    ),
  );
  return {
    exportName: DOT_ROWS_BATCH_EXPORT,
    params: Array<number>(6).fill(ValueType.i32) as (typeof ValueType.i32)[],
    locals: [
      { count: 6 + BATCH_BLOCK, type: ValueType.i32 },
      { count: 2 * BATCH_BLOCK + 2, type: ValueType.v128 },
    ],
    body,
  };
}

/**
 * b rows per block of dot_rows_batch. V8 loads a chunk's operands before its arithmetic, so a block takes
 * 2 sums, 2 loaded halves of b and the 2 shared halves of a_i per row: 3 rows fill 14 of the 15 vector
 * registers V8 allocates, 4 rows spill sums to the stack and run slower than 3.
 */
const BATCH_BLOCK = 3;

/**
 * The module for rows `width` wide (a multiple of 4): `dot_rows`, `screen_rows` and `dot_rows_batch` over one
 * private memory, the width parameter of the first two equal to this one, and `rbf_rows`, which turns
 * dot products into RBF kernel values on the same memory, and `screen_rows_f32`, screen_rows on float32
 * copies of rows this wide.
 */
export function dotRowsModule(width: number): Uint8Array {
  if (!Number.isInteger(width) || width < 4 || width % 4 !== 0) throw new RangeError(`width must be a positive multiple of 4, got ${width}`);
  return wasmModule({ ...DOT_ROWS_MEMORY, minPages: 1, shared: false }, [dotRows(width), screenRows(width), dotRowsBatch(width), rbfRowsFunction(), screenRowsF32Function(width)]);
}
