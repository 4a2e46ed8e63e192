import { control, f64x2, i32, i64x2, local, seq, sleb, uleb, v128, ValueType, wasmModule } from './wasm-binary';

describe('LEB128', () => {
  it('encodes the spec examples and the edges of u32 and i32', () => {
    expect(uleb(0)).toEqual([0x00]);
    expect(uleb(127)).toEqual([0x7f]);
    expect(uleb(128)).toEqual([0x80, 0x01]);
    expect(uleb(624_485)).toEqual([0xe5, 0x8e, 0x26]);
    expect(uleb(0xffffffff)).toEqual([0xff, 0xff, 0xff, 0xff, 0x0f]);
    expect(sleb(0)).toEqual([0x00]);
    expect(sleb(63)).toEqual([0x3f]);
    expect(sleb(64)).toEqual([0xc0, 0x00]);
    expect(sleb(-1)).toEqual([0x7f]);
    expect(sleb(-64)).toEqual([0x40]);
    expect(sleb(-65)).toEqual([0xbf, 0x7f]);
    expect(sleb(-123_456)).toEqual([0xc0, 0xbb, 0x78]);
    expect(sleb(-0x80000000)).toEqual([0x80, 0x80, 0x80, 0x80, 0x78]);
  });

  it('refuses values outside u32 / i32 instead of writing garbage', () => {
    expect(() => uleb(-1)).toThrow(RangeError);
    expect(() => uleb(2 ** 32)).toThrow(RangeError);
    expect(() => sleb(2 ** 31)).toThrow(RangeError);
    expect(() => sleb(1.5)).toThrow(RangeError);
  });
});

describe('wasmModule', () => {
  // sum(n, out): adds 1 + 2 + … + n in a loop and stores it at address out (i32.store is written raw: the
  // kernel itself never stores an i32). An if skips the store for n = 0, leaving memory as it was.
  const N = 0;
  const OUT = 1;
  const ACC = 2;
  const I = 3;
  const body = seq(
    local.set(I, i32.const(1)),
    control.block(
      control.loop(
        control.brIf(1, i32.gtU(local.get(I), local.get(N))),
        local.set(ACC, i32.add(local.get(ACC), local.get(I))),
        local.set(I, i32.add(local.get(I), i32.const(1))),
        control.br(0),
      ),
    ),
    control.if(i32.ltU(i32.const(0), local.get(N)), seq(local.get(OUT), local.get(ACC), [0x36, 2, 0])),
  );
  const sumModule = () =>
    new WebAssembly.Module(wasmModule({ module: 'env', field: 'memory', minPages: 1, maxPages: 1 }, { exportName: 'sum', params: [ValueType.i32, ValueType.i32], locals: { count: 2, type: ValueType.i32 }, body }));

  it('writes a module that validates and runs over an imported shared memory', () => {
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true });
    const sum = new WebAssembly.Instance(sumModule(), { env: { memory } }).exports.sum as (n: number, out: number) => void;
    const cells = new Int32Array(memory.buffer, 64, 2);
    sum(100, 64);
    cells[1] = -1;
    sum(0, 68);
    expect([...cells]).toEqual([5050, -1]);
  });

  it('declares the memory shared with a fixed size, so an unshared memory is refused at instantiation', () => {
    const bytes = wasmModule({ module: 'env', field: 'memory', minPages: 2, maxPages: 2 }, { exportName: 'nothing', params: [], locals: { count: 0, type: ValueType.i32 }, body: [] });
    const module = new WebAssembly.Module(bytes);
    expect(WebAssembly.Module.imports(module)).toEqual([{ module: 'env', name: 'memory', kind: 'memory' }]);
    expect(() => new WebAssembly.Instance(module, { env: { memory: new WebAssembly.Memory({ initial: 2, maximum: 2 }) } })).toThrow(WebAssembly.LinkError);
    expect(() => new WebAssembly.Instance(module, { env: { memory: new WebAssembly.Memory({ initial: 2, maximum: 2, shared: true }) } })).not.toThrow();
  });
});

describe('SIMD lane moves', () => {
  // pick(at): the 32-bit lanes [a1, b2, a3, b0] of the vectors a at `at` and b at `at` + 16 stored at `at` + 32,
  // and at `at` + 48 the bitmask of a ≤ b read as two float64 lanes.
  const AT = 0;
  const body = seq(
    f64x2.store(local.get(AT), v128.shuffle32(f64x2.load(local.get(AT)), f64x2.load(local.get(AT), 16), [1, 6, 3, 4]), 32),
    i32.store(local.get(AT), i64x2.bitmask(f64x2.le(f64x2.load(local.get(AT)), f64x2.load(local.get(AT), 16))), 48),
  );
  const pick = () => {
    const memory = new WebAssembly.Memory({ initial: 1 });
    const module = new WebAssembly.Module(wasmModule({ module: 'env', field: 'memory', minPages: 1, shared: false }, { exportName: 'pick', params: [ValueType.i32], locals: { count: 0, type: ValueType.i32 }, body }));
    const run = new WebAssembly.Instance(module, { env: { memory } }).exports.pick as (at: number) => void;
    return { memory, run };
  };

  it('shuffle32 picks 32-bit lanes of either vector, and bitmask reads a float64 comparison lane by lane', () => {
    const { memory, run } = pick();
    const words = new Int32Array(memory.buffer, 0, 8);
    words.set([10, 11, 12, 13, 20, 21, 22, 23]);
    const doubles = new Float64Array(memory.buffer, 0, 4);
    const lanes = Array.from(words);
    run(0);
    expect(Array.from(new Int32Array(memory.buffer, 32, 4))).toEqual([lanes[1], lanes[6], lanes[3], lanes[4]]);
    doubles.set([1, 5, 2, 5]);
    run(0);
    expect(new Int32Array(memory.buffer, 48, 1)[0]).toBe(0b11);
    doubles.set([3, 5, 2, NaN]);
    run(0);
    expect(new Int32Array(memory.buffer, 48, 1)[0]).toBe(0b00);
    doubles.set([2, 9, 2, 5]);
    run(0);
    expect(new Int32Array(memory.buffer, 48, 1)[0]).toBe(0b01);
  });

  it('refuses a lane outside the two vectors when the code is written, not when the module compiles', () => {
    expect(() => v128.shuffle32([], [], [0, 1, 2, 8])).toThrow(/lanes must be 0–7/);
    expect(() => v128.shuffle32([], [], [0, -1, 2, 3])).toThrow(RangeError);
  });
});
