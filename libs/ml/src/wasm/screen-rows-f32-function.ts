import { screenRowCode } from './screen-row';
import { Code, control, f32x4, f64, f64x2, i32, i64x2, KernelFunction, local, seq, v128, ValueType } from './wasm-binary';

export const SCREEN_ROWS_F32_EXPORT = 'screen_rows_f32';

const get = local.get;
const set = local.set;
const c = i32.const;

/** Rows screened side by side, each with its own sum: their chains of adds overlap, and their four sums fill one vector. */
const BLOCK = 4;
/** Rows up to this many floats are summed by straight-line code with constant offsets. */
const UNROLL_FLOATS = 64;

/**
 * The relative slack that makes screen_rows_f32 a superset screen for rows `width` floats wide. With q = width/4
 * chunks, a lane sums q rounded products in f32, the four lanes are added in f32 (two more roundings on a
 * block's path, none on the single-row path's float64 one), and the inputs were rounded to f32 once each, so the
 * dot product is off by at most (q + 5)·2⁻²⁴·Σ|a_c·b_c| ≤ (q + 5)·2⁻²⁴·(‖a‖² + ‖b‖²)/2. Twice the dot product
 * is what the expansion subtracts; four times more margin.
 */
export function f32ScreenSlack(width: number): number {
  return (width / 4 + 5) * 2 ** -22;
}

/**
 * `screen_rows_f32(a, b, count, norms, bounds, out, outCount, normA, boundA, slack)`: screen_rows with the
 * dot products taken on float32 copies of the rows (a and b, `width` floats apart): four columns per
 * instruction instead of two. ‖a‖² + ‖b_j‖² − 2a·b_j − slack·(‖a‖² + ‖b_j‖²) ≤ boundA or ≤ bounds[j] passes
 * row j (its index goes to out, their number to the i32 at outCount); norms and bounds are float64. With
 * slack ≥ f32ScreenSlack(width) what passes is a superset of the rows within the bounds.
 *
 * Rows are screened four at a time, and the lane sums and the rule run on vectors too: one row at a time,
 * they took about 25 scalar instructions per row, as many as the dot product itself at 40 columns, and the
 * kernel screened 1.3× (49 columns) to 1.75× (17) fewer rows per second.
 */
export function screenRowsF32Function(width: number): KernelFunction {
  const P = { a: 0, b: 1, count: 2, norms: 3, bounds: 4, out: 5, outCount: 6, normA: 7, boundA: 8, slack: 9 };
  const L = { j: 10, bRow: 11, found: 12, c: 13 };
  const F = { dot: 14, sum: 15, screen: 16 };
  const acc = (r: number) => 17 + r;
  const aChunk = 17 + BLOCK;
  const passed = aChunk + 1;
  const V = { normA: passed + 1, boundA: passed + 2, slack: passed + 3, pair: passed + 4, sum: passed + 5, screen: passed + 6 };
  const rowBytes = width * 4;
  const chunks = width / 4;

  const laneSum = (v: Code): Code =>
    f64.add(f64.add(f64.promoteF32(f32x4.extractLane(v, 0)), f64.promoteF32(f32x4.extractLane(v, 1))), f64.add(f64.promoteF32(f32x4.extractLane(v, 2)), f64.promoteF32(f32x4.extractLane(v, 3))));
  /** Screens row j + r, its dot product in local dot. */
  const screenRow = (r: number): Code => screenRowCode({ norms: P.norms, bounds: P.bounds, out: P.out, normA: P.normA, boundA: P.boundA, slack: P.slack, j: L.j, found: L.found, ...F }, r);
  /** The block's four dot products, lane r the sum of acc(r)'s lanes, by a 4×4 transpose-and-add (acc(0) and acc(2) are overwritten). */
  const blockDots = (): Code => {
    const halves = (x: Code, y: Code) => f32x4.add(v128.shuffle32(x, y, [0, 1, 4, 5]), v128.shuffle32(x, y, [2, 3, 6, 7]));
    const first = halves(get(acc(0)), get(acc(1)));
    const second = halves(get(acc(2)), get(acc(3)));
    return seq(set(acc(0), first), set(acc(2), second), f32x4.add(v128.shuffle32(get(acc(0)), get(acc(2)), [0, 2, 4, 6]), v128.shuffle32(get(acc(0)), get(acc(2)), [1, 3, 5, 7])));
  };
  /**
   * The screen rule of screenRowCode for rows j + 2h and j + 2h + 1 at once, in float64 (the same operations in
   * the same order per lane), their dot products in lanes 2h and 2h + 1 of acc(1): bit r of the result is row
   * j + 2h + r passing.
   */
  const screenPair = (h: 0 | 1): Code => {
    const rowAt = (base: number) => i32.add(get(base), i32.shl(get(L.j), c(3)));
    const dots = h === 0 ? get(acc(1)) : v128.shuffle32(get(acc(1)), get(acc(1)), [2, 3, 2, 3]);
    return seq(
      set(V.pair, f64x2.promoteLowF32x4(dots)),
      set(V.sum, f64x2.add(get(V.normA), f64x2.load(rowAt(P.norms), 16 * h))),
      set(V.screen, f64x2.sub(f64x2.sub(get(V.sum), f64x2.add(get(V.pair), get(V.pair))), f64x2.mul(get(V.slack), get(V.sum)))),
      i64x2.bitmask(v128.or(f64x2.le(get(V.screen), get(V.boundA)), f64x2.le(get(V.screen), f64x2.load(rowAt(P.bounds), 16 * h)))),
    );
  };
  const record = (r: number): Code =>
    control.if(
      i32.and(get(passed), c(1 << r)),
      i32.store(i32.add(get(P.out), i32.shl(get(L.found), c(2))), i32.add(get(L.j), c(r))),
      set(L.found, i32.add(get(L.found), c(1))),
    );
  const blocked = seq(
    ...Array.from({ length: BLOCK }, (_, r) => set(acc(r), f64x2.zero())),
    ...Array.from({ length: chunks }, (_, p) =>
      seq(
        set(aChunk, f32x4.load(get(P.a), 16 * p)),
        ...Array.from({ length: BLOCK }, (_, r) => set(acc(r), f32x4.add(get(acc(r)), f32x4.mul(get(aChunk), f32x4.load(get(L.bRow), r * rowBytes + 16 * p))))),
      ),
    ),
    set(acc(1), blockDots()),
    set(passed, i32.or(screenPair(0), i32.shl(screenPair(1), c(2)))),
    // Most blocks pass nothing once the lists have filled.
    control.if(get(passed), ...Array.from({ length: BLOCK }, (_, r) => record(r))),
  );
  const single = seq(
    set(acc(0), f64x2.zero()),
    set(L.c, c(0)),
    control.block(
      control.loop(
        control.brIf(1, i32.geU(get(L.c), c(rowBytes))),
        set(acc(0), f32x4.add(get(acc(0)), f32x4.mul(f32x4.load(i32.add(get(P.a), get(L.c))), f32x4.load(i32.add(get(L.bRow), get(L.c)))))),
        set(L.c, i32.add(get(L.c), c(16))),
        control.br(0),
      ),
    ),
    set(F.dot, laneSum(get(acc(0)))),
    screenRow(0),
  );
  const body = seq(
    set(L.found, c(0)),
    set(L.bRow, get(P.b)),
    set(L.j, c(0)),
    set(V.normA, f64x2.splat(get(P.normA))),
    set(V.boundA, f64x2.splat(get(P.boundA))),
    set(V.slack, f64x2.splat(get(P.slack))),
    width <= UNROLL_FLOATS
      ? control.block(
          control.loop(
            control.brIf(1, i32.gtU(i32.add(get(L.j), c(BLOCK)), get(P.count))),
            blocked,
            set(L.bRow, i32.add(get(L.bRow), c(BLOCK * rowBytes))),
            set(L.j, i32.add(get(L.j), c(BLOCK))),
            control.br(0),
          ),
        )
      : [],
    control.block(
      control.loop(
        control.brIf(1, i32.geU(get(L.j), get(P.count))),
        single,
        set(L.bRow, i32.add(get(L.bRow), c(rowBytes))),
        set(L.j, i32.add(get(L.j), c(1))),
        control.br(0),
      ),
    ),
    i32.store(get(P.outCount), get(L.found)),
  );
  return {
    exportName: SCREEN_ROWS_F32_EXPORT,
    params: [...Array<typeof ValueType.i32>(7).fill(ValueType.i32), ValueType.f64, ValueType.f64, ValueType.f64],
    locals: [
      { count: 4, type: ValueType.i32 },
      { count: 3, type: ValueType.f64 },
      { count: BLOCK + 1, type: ValueType.v128 },
      { count: 1, type: ValueType.i32 },
      { count: 6, type: ValueType.v128 },
    ],
    body,
  };
}
