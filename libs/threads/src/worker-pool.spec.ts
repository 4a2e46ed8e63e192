import { join } from 'node:path';
import { PendingJob, PoolSlot, WorkerPool, workerExecArgv } from './worker-pool';

const DOUBLING = join(__dirname, '..', 'test', 'doubling-worker');
const BROKEN = join(__dirname, '..', 'test', 'broken-worker');

class LostError extends Error {}

interface Answer {
  id: number;
  value: number;
  data: unknown;
  thread: number;
}
interface Job extends PendingJob {
  resolve(answer: Answer): void;
}

describe('WorkerPool', () => {
  const pools: Array<WorkerPool<Job>> = [];
  afterEach(async () => {
    await Promise.all(pools.splice(0).map((p) => p.close()));
  });

  const poolOf = (size: number, entry = DOUBLING) => {
    const pool: WorkerPool<Job> = new WorkerPool<Job>(size, {
      entry,
      workerData: { name: 'spec' },
      name: 'doubling worker',
      lost: (why) => new LostError(why),
      onMessage: (slot, message) => pool.settle(slot, (message as Answer).id)?.resolve(message as Answer),
    });
    pools.push(pool);
    return pool;
  };
  let lastId = 0;
  const ask = (pool: WorkerPool<Job>, slot: PoolSlot<Job>, value: number | 'exit' | 'ignore') => {
    const id = ++lastId;
    return new Promise<Answer>((resolve, reject) => pool.post(slot, id, { resolve, reject }, { id, value }));
  };

  it('refuses a size that is not a positive integer', () => {
    expect(() => poolOf(0)).toThrow(/positive integer, got 0/);
    expect(() => poolOf(1.5)).toThrow(RangeError);
  });

  it('starts one worker per slot from the TypeScript entry, hands each its workerData, and routes every answer to the job that asked', async () => {
    const pool = poolOf(2);
    await pool.start();
    const [a, b] = pool.slots;
    const answers = await Promise.all([ask(pool, a!, 1), ask(pool, b!, 2), ask(pool, a!, 3)]);

    expect(answers.map((x) => x.value)).toEqual([2, 4, 6]);
    expect(answers.every((x) => (x.data as { name: string }).name === 'spec')).toBe(true);
    expect(answers[0]!.thread).toBe(answers[2]!.thread);
    expect(answers[0]!.thread).not.toBe(answers[1]!.thread);
    expect(a!.jobs.size + b!.jobs.size).toBe(0);
  });

  it('fails start() with the pool’s error when a worker cannot load, instead of a first job waiting on it', async () => {
    const start = poolOf(1, BROKEN).start();
    await expect(start).rejects.toBeInstanceOf(LostError);
    await expect(start).rejects.toThrow(/^doubling worker crashed: cannot load: missing module$/);
  });

  it('fails the jobs a dying worker held with the reason, and the slot answers the next job on a fresh worker', async () => {
    const pool = poolOf(1);
    const slot = pool.slots[0]!;
    const before = await ask(pool, slot, 5);
    const dying = ask(pool, slot, 'exit');
    const queued = ask(pool, slot, 6);

    await expect(dying).rejects.toThrow(new LostError('doubling worker exited unexpectedly (code 7)'));
    await expect(queued).rejects.toBeInstanceOf(LostError);
    expect(slot.jobs.size).toBe(0);
    const after = await ask(pool, slot, 7);
    expect(after.value).toBe(14);
    expect(after.thread).not.toBe(before.thread);
  });

  it('fails what is still in hand when closed, saying so, and reports that it is closing', async () => {
    const pool = poolOf(1);
    await pool.start();
    const slot = pool.slots[0]!;
    // In hand and never to be answered: close() must not leave it waiting forever.
    const job = ask(pool, slot, 'ignore');
    expect(pool.isClosing).toBe(false);
    await pool.close();

    expect(pool.isClosing).toBe(true);
    await expect(job).rejects.toThrow(new LostError('doubling workers closed'));
    expect(slot.jobs.size).toBe(0);
  });
});

describe('workerExecArgv', () => {
  it('passes a worker the parent’s profiling flags and nothing else', () => {
    const parent = ['--import', 'tsx', '--cpu-prof', '--cpu-prof-dir=/tmp/p', '--heap-prof-interval=1024', '--inspect', '--max-old-space-size=512', '--cpu-profile-fake'];
    expect(workerExecArgv(parent)).toEqual(['--cpu-prof', '--cpu-prof-dir=/tmp/p', '--heap-prof-interval=1024']);
    expect(workerExecArgv([])).toEqual([]);
  });
});
