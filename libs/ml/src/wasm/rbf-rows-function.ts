import { Code, control, f64, f64x2, i32, i32x4, i64x2, KernelFunction, local, seq, v128, ValueType } from './wasm-binary';

export const RBF_ROWS_EXPORT = 'rbf_rows';

const get = local.get;
const set = local.set;
const c = i32.const;
const k = f64x2.const;

// fdlibm's e_exp.c constants (V8's Math.exp is fdlibm's exp): ln 2 split in a high part with 32 trailing
// zero bits, so k·LN2_HI is exact for |k| < 2^20, and the remainder.
const LN2_HI = 6.93147180369123816490e-1;
const LN2_LO = 1.90821492927058770002e-10;
const INV_LN2 = 1.44269504088896338700;
// The minimax polynomial of fdlibm's rational approximation R(r²) on |r| ≤ ln2/2.
const P = [1.66666666666666019037e-1, -2.77777777770155933842e-3, 6.61375632143793436117e-5, -1.65339022054652515390e-6, 4.13813679705723846039e-8];
/** exp(x) is 0 in float64 below about −745.13; clamping there keeps 2^k's exponent in range. */
const EXP_FLOOR = -746;
/** Above −2^−28 fdlibm returns 1 + x. */
const TINY = -(2 ** -28);

interface ExpLocals {
  readonly x: number;
  readonly kf: number;
  readonly hi: number;
  readonly lo: number;
  readonly r: number;
  readonly t: number;
  readonly c: number;
  readonly ki: number;
  readonly k1: number;
}

/**
 * exp of both lanes of local x (x ≤ 0), left on the stack: fdlibm's algorithm with its branches as lane
 * arithmetic. x = k·ln2 + r with k = trunc(x/ln2 − ½) (fdlibm's choice for x < 0, its k = 0 and k = −1
 * ranges included), exp(r) by fdlibm's rational form 1 − ((lo − r·c/(2 − c)) − hi), ×2^k as two exact halves
 * so that a subnormal result is rounded once, and 1 + x above −2^−28. Equal to Math.exp bit for bit, except
 * possibly by an ulp right at the edges of fdlibm's ranges, which it tests on the high word only.
 */
function expLanes(l: ExpLocals): Code {
  const powerOfTwo = (exponent: number): Code => i64x2.shl(i64x2.extendLowI32x4(i32x4.add(get(exponent), i32x4.splat(c(1023)))), c(52));
  let polynomial = k(P[4]);
  for (let p = 3; p >= 0; p--) polynomial = f64x2.add(k(P[p]), f64x2.mul(get(l.t), polynomial));
  return seq(
    set(l.x, f64x2.max(get(l.x), k(EXP_FLOOR))),
    set(l.kf, f64x2.trunc(f64x2.sub(f64x2.mul(get(l.x), k(INV_LN2)), k(0.5)))),
    set(l.hi, f64x2.sub(get(l.x), f64x2.mul(get(l.kf), k(LN2_HI)))),
    set(l.lo, f64x2.mul(get(l.kf), k(LN2_LO))),
    set(l.r, f64x2.sub(get(l.hi), get(l.lo))),
    set(l.t, f64x2.mul(get(l.r), get(l.r))),
    set(l.c, f64x2.sub(get(l.r), f64x2.mul(get(l.t), polynomial))),
    set(l.r, f64x2.sub(k(1), f64x2.sub(f64x2.sub(get(l.lo), f64x2.div(f64x2.mul(get(l.r), get(l.c)), f64x2.sub(k(2), get(l.c)))), get(l.hi)))),
    set(l.ki, i32x4.truncSatF64x2Zero(get(l.kf))),
    set(l.k1, i32x4.shrS(get(l.ki), c(1))),
    set(l.ki, i32x4.sub(get(l.ki), get(l.k1))),
    v128.bitselect(f64x2.add(k(1), get(l.x)), f64x2.mul(f64x2.mul(get(l.r), powerOfTwo(l.k1)), powerOfTwo(l.ki)), f64x2.gt(get(l.x), k(TINY))),
  );
}

/** Vectors of two lanes whose exps are interleaved: independent chains the CPU overlaps (about 1.5× the rate of one at a time). */
const INTERLEAVED = 4;
const EXP_LOCALS = 9;

/**
 * rbf_rows(dots, rowNorms, landmarkNorms, rows, count, gamma, out, outStride): for i < rows and a < count,
 * out[i][a] = exp(−γ·max(0, ‖x_i‖² + ‖l_a‖² − 2·dots[i·count + a])), the RBF kernel from dot products by
 * sklearn's expansion, with out's rows outStride bytes apart. Lanes go two at a time, INTERLEAVED pairs per
 * step while a row has them, then pair by pair: for an odd count the last pair reads one float64 past dots'
 * row and landmarkNorms and writes one past out's row, so the caller pads those (finite padding; the
 * written value is finite).
 */
export function rbfRowsFunction(): KernelFunction {
  const p = { dots: 0, rowNorms: 1, landmarkNorms: 2, rows: 3, count: 4, gamma: 5, out: 6, outStride: 7 };
  const l = { i: 8, a: 9, dotRow: 10, outRow: 11, countBytes: 12 };
  const v = { rowNorm: 13, negGamma: 14 };
  const lanes: ExpLocals[] = Array.from({ length: INTERLEAVED }, (_, n) => {
    const at = 15 + n * EXP_LOCALS;
    return { x: at, kf: at + 1, hi: at + 2, lo: at + 3, r: at + 4, t: at + 5, c: at + 6, ki: at + 7, k1: at + 8 };
  });
  /** The pairs at byte offsets a + 16·n for n < `count`: kernel arguments first, then their exps, so the chains overlap. */
  const pairs = (count: number): Code =>
    seq(
      ...lanes.slice(0, count).map((lane, n) =>
        seq(
          set(lane.x, f64x2.load(i32.add(get(l.dotRow), get(l.a)), 16 * n)),
          // −γ·max(0, (‖x‖² + ‖l‖²) − 2·dot), in the scalar code's order.
          set(lane.x, f64x2.mul(get(v.negGamma), f64x2.max(f64x2.zero(), f64x2.sub(f64x2.add(get(v.rowNorm), f64x2.load(i32.add(get(p.landmarkNorms), get(l.a)), 16 * n)), f64x2.add(get(lane.x), get(lane.x)))))),
        ),
      ),
      ...lanes.slice(0, count).map((lane, n) => f64x2.store(i32.add(get(l.outRow), get(l.a)), expLanes(lane), 16 * n)),
      set(l.a, i32.add(get(l.a), c(16 * count))),
    );
  const body = seq(
    set(v.negGamma, f64x2.splat(f64.neg(get(p.gamma)))),
    set(l.countBytes, i32.shl(get(p.count), c(3))),
    set(l.dotRow, get(p.dots)),
    set(l.outRow, get(p.out)),
    set(l.i, c(0)),
    control.block(
      control.loop(
        control.brIf(1, i32.geU(get(l.i), get(p.rows))),
        set(v.rowNorm, f64x2.splat(f64.load(i32.add(get(p.rowNorms), i32.shl(get(l.i), c(3)))))),
        set(l.a, c(0)),
        control.block(
          control.loop(
            control.brIf(1, i32.gtU(i32.add(get(l.a), c(16 * INTERLEAVED)), get(l.countBytes))),
            pairs(INTERLEAVED),
            control.br(0),
          ),
        ),
        control.block(
          control.loop(
            control.brIf(1, i32.geU(get(l.a), get(l.countBytes))),
            pairs(1),
            control.br(0),
          ),
        ),
        set(l.dotRow, i32.add(get(l.dotRow), get(l.countBytes))),
        set(l.outRow, i32.add(get(l.outRow), get(p.outStride))),
        set(l.i, i32.add(get(l.i), c(1))),
        control.br(0),
      ),
    ),
  );
  return {
    exportName: RBF_ROWS_EXPORT,
    params: [ValueType.i32, ValueType.i32, ValueType.i32, ValueType.i32, ValueType.i32, ValueType.f64, ValueType.i32, ValueType.i32],
    locals: [
      { count: 5, type: ValueType.i32 },
      { count: 2 + INTERLEAVED * EXP_LOCALS, type: ValueType.v128 },
    ],
    body,
  };
}
