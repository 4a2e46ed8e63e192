import { Code, control, f64, i32, local, seq } from './wasm-binary';

/** Where screen_rows and screen_rows_f32 keep what the screen of one row reads and writes (local indices). */
export interface ScreenLocals {
  readonly norms: number;
  readonly bounds: number;
  readonly out: number;
  readonly normA: number;
  readonly boundA: number;
  readonly slack: number;
  readonly j: number;
  readonly found: number;
  /** a·b_{j+r}, however the kernel summed it. */
  readonly dot: number;
  readonly sum: number;
  readonly screen: number;
}

const get = local.get;
const set = local.set;
const c = i32.const;

/**
 * The screen rule both screens share, for row j + r given its dot product in local `dot`: with
 * sum = ‖a‖² + ‖b‖², the row passes when sum − 2·dot − slack·sum ≤ boundA or ≤ bounds[j + r], and then its
 * index goes to out[found++].
 */
export function screenRowCode(l: ScreenLocals, r: number): Code {
  return seq(
    set(l.sum, f64.add(get(l.normA), f64.load(i32.add(get(l.norms), i32.shl(get(l.j), c(3))), 8 * r))),
    set(l.screen, f64.sub(f64.sub(get(l.sum), f64.add(get(l.dot), get(l.dot))), f64.mul(get(l.slack), get(l.sum)))),
    control.if(
      i32.or(f64.le(get(l.screen), get(l.boundA)), f64.le(get(l.screen), f64.load(i32.add(get(l.bounds), i32.shl(get(l.j), c(3))), 8 * r))),
      i32.store(i32.add(get(l.out), i32.shl(get(l.found), c(2))), i32.add(get(l.j), c(r))),
      set(l.found, i32.add(get(l.found), c(1))),
    ),
  );
}
