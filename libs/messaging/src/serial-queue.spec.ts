import { SerialQueue } from './serial-queue';

describe('SerialQueue', () => {
  it('runs tasks one at a time in submission order, even when one fails', async () => {
    const q = new SerialQueue();
    const order: string[] = [];
    const slow = q.run(async () => {
      await new Promise((r) => setTimeout(r, 30));
      order.push('a');
    });
    const failing = q.run(async () => {
      order.push('b');
      throw new Error('boom');
    });
    const fast = q.run(async () => void order.push('c'));
    await Promise.all([slow, failing.catch(() => undefined), fast]);
    expect(order).toEqual(['a', 'b', 'c']);
    await expect(failing).rejects.toThrow('boom');
  });
});
