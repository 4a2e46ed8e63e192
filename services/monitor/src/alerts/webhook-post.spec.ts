import { execFile } from 'node:child_process';
import { join } from 'node:path';

/**
 * A POST the receiver never answers must end after its timeout even in a process that allocates
 * as much as the monitor does. AbortSignal.any([..., AbortSignal.timeout(ms)]) did not on Node 20:
 * the garbage collector took the timeout signal and the delivery loop hung for undici's five
 * minutes. Jest's sandbox keeps such signals alive, so this runs in a plain node process.
 */
const script = `
const http = require('node:http');
const { postAlert } = require(${JSON.stringify(join(__dirname, 'webhook-post.ts'))});
const server = http.createServer((req) => req.resume());
server.listen(0, '127.0.0.1', async () => {
  const url = 'http://127.0.0.1:' + server.address().port + '/hook';
  setInterval(() => { const garbage = []; for (let i = 0; i < 100000; i++) garbage.push({ i }); }, 20);
  const results = [];
  for (let attempt = 0; attempt < 3; attempt++) {
    const started = Date.now();
    const result = await postAlert({ url, origin: url, headers: {} }, '{}', 300, new AbortController().signal);
    results.push({ ...result, ms: Date.now() - started });
  }
  console.log(JSON.stringify(results));
  process.exit(0);
});
`;

function runUnderPressure(): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', '-e', script], { timeout: 20_000 }, (err, stdout, stderr) =>
      resolve({ code: err ? ((err as { code?: number }).code ?? null) : 0, out: `${stdout}${stderr}` }),
    );
  });
}

describe('postAlert', () => {
  it('ends an attempt the receiver never answers after its timeout, while the process allocates heavily', async () => {
    const { code, out } = await runUnderPressure();

    expect({ code, out }).toMatchObject({ code: 0 });
    const results = JSON.parse(out.trim().split('\n').at(-1)!) as Array<{ outcome: string; reason: string; ms: number }>;
    expect(results).toHaveLength(3);
    for (const result of results) {
      expect(result).toMatchObject({ outcome: 'retry', reason: 'no answer within 300 ms' });
      expect(result.ms).toBeLessThan(3_000);
    }
  }, 30_000);
});
