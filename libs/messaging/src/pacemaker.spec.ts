import { withHeartbeat } from './pacemaker';

describe('withHeartbeat', () => {
  it('beats while long work runs and stops when it ends', async () => {
    let beats = 0;
    const result = await withHeartbeat(
      async () => void beats++,
      () => new Promise((resolve) => setTimeout(() => resolve('done'), 120)),
      25,
    );
    expect(result).toBe('done');
    const atEnd = beats;
    expect(atEnd).toBeGreaterThanOrEqual(3);
    await new Promise((r) => setTimeout(r, 80));
    expect(beats).toBe(atEnd);
  });

  it('propagates the work’s failure even if a beat failed', async () => {
    await expect(
      withHeartbeat(
        async () => {
          throw new Error('rebalancing');
        },
        () => new Promise((_, reject) => setTimeout(() => reject(new Error('work failed')), 60)),
        10,
      ),
    ).rejects.toThrow('work failed');
  });
});
