import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { ScoringWorkerPool } from './scoring-worker-pool';

const DOUBLES = join(__dirname, '../../fixtures/workers/doubles-range.js');
const EXITS = join(__dirname, '../../fixtures/workers/exits-on-first-batch.js');

function sharedValues(count: number): { buffer: SharedArrayBuffer; view: Float64Array } {
  const buffer = new SharedArrayBuffer(count * 8);
  const view = new Float64Array(buffer);
  for (let i = 0; i < count; i++) view[i] = i;
  return { buffer, view };
}

const start = (size: number, workerData: unknown = {}, script = DOUBLES) => ScoringWorkerPool.start({ script, workerData, size, engine: 'the test engine' });

describe('ScoringWorkerPool', () => {
  it('sends part i to worker i and resolves once every part is done', async () => {
    const pool = await start(3);
    const { buffer, view } = sharedValues(9);
    await pool.run([0, 3, 6].map((from) => ({ message: { values: buffer, from, to: from + 3 } })));
    expect([...view]).toEqual([0, 2, 4, 6, 8, 10, 12, 14, 16]);
    // Fewer parts than workers is fine; none is a no-op.
    await pool.run([{ message: { values: buffer, from: 0, to: 1 } }]);
    await pool.run([]);
    expect(view[0]).toBe(0);
    expect(view[1]).toBe(2);
    await expect(pool.run([1, 2, 3, 4].map(() => ({ message: {} })))).rejects.toThrow(/4 parts for 3 workers/);
    await pool.release();
  });

  it('keeps concurrent requests apart', async () => {
    const pool = await start(2);
    const a = sharedValues(4);
    const b = sharedValues(4);
    const halves = (values: SharedArrayBuffer) => [0, 2].map((from) => ({ message: { values, from, to: from + 2 } }));
    await Promise.all([pool.run(halves(a.buffer)), pool.run(halves(b.buffer))]);
    expect([...a.view]).toEqual([0, 2, 4, 6]);
    expect([...b.view]).toEqual([0, 2, 4, 6]);
    await pool.release();
  });

  it("rejects a request with the worker's error, naming the engine, and keeps serving later ones", async () => {
    const pool = await start(1);
    await expect(pool.run([{ message: { fail: 'bad rows' } }])).rejects.toThrow('the test engine failed in a scoring worker: bad rows');
    const { buffer, view } = sharedValues(2);
    await pool.run([{ message: { values: buffer, from: 0, to: 2 } }]);
    expect([...view]).toEqual([0, 2]);
    await pool.release();
  });

  it('runs parts beside work on the calling thread and returns its result, or the failure of either side', async () => {
    const pool = await start(1);
    const { buffer, view } = sharedValues(4);
    const here = await pool.runBeside([{ message: { values: buffer, from: 0, to: 2 } }], () => {
      for (let i = 2; i < 4; i++) view[i] *= 10;
      return 'here done';
    });
    expect(here).toBe('here done');
    expect([...view]).toEqual([0, 2, 20, 30]);
    await expect(pool.runBeside([{ message: { fail: 'bad rows' } }], () => 'fine')).rejects.toThrow('the test engine failed in a scoring worker: bad rows');
    await expect(pool.runBeside([{ message: { values: buffer, from: 0, to: 1 } }], () => Promise.reject(new Error('here failed')))).rejects.toThrow('here failed');
    await pool.release();
  });

  it('turns a worker that dies mid-request into an error for that request and every later one, not a hang', async () => {
    const pool = await start(2, {}, EXITS);
    await expect(pool.run([{ message: {} }, { message: {} }])).rejects.toThrow(/scoring worker exited unexpectedly \(code 7\)/);
    await expect(pool.run([{ message: {} }])).rejects.toThrow(/exited unexpectedly/);
    await pool.release();
  });

  it('rejects a model a worker cannot load with the reason, and stops the workers it started', async () => {
    const terminate = jest.spyOn(Worker.prototype, 'terminate');
    try {
      await expect(start(2, { failToLoad: 'no such model' })).rejects.toThrow('the test engine could not load the model in a scoring worker: no such model');
      expect(terminate).toHaveBeenCalledTimes(2);
    } finally {
      terminate.mockRestore();
    }
  });

  it('terminates every worker on release, and refuses requests afterwards', async () => {
    const terminate = jest.spyOn(Worker.prototype, 'terminate');
    try {
      const pool = await start(3);
      await pool.release();
      expect(terminate).toHaveBeenCalledTimes(3);
      // terminate() resolves with the exit code once the thread has stopped.
      for (const result of terminate.mock.results) await expect(result.value).resolves.toEqual(expect.any(Number));
      await expect(pool.run([{ message: {} }])).rejects.toThrow(/released/);
    } finally {
      terminate.mockRestore();
    }
  });
});
