import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { NetworkEventV1 } from '@flowsentry/contracts';
import { CliOptions, USAGE, UsageError, main, parseCliArgs } from './cli';

const NOW = Date.UTC(2025, 5, 1, 12);

function parse(...argv: string[]): CliOptions {
  const parsed = parseCliArgs(argv, NOW, () => 'random-seed');
  if (parsed === 'help') throw new Error('unexpected help');
  return parsed;
}

function io() {
  const stdout = new PassThrough();
  const stderr = new PassThrough() as unknown as NodeJS.WriteStream & PassThrough;
  let out = '';
  let err = '';
  stdout.on('data', (c: Buffer) => (out += c.toString()));
  stderr.on('data', (c: Buffer) => (err += c.toString()));
  return { io: { stdout, stderr, now: () => NOW }, out: () => out, err: () => err };
}

describe('parseCliArgs', () => {
  it('fills in defaults: 100 ev/s for 60 s to Kafka, all attacks, random seed, start now', () => {
    const o = parse();
    expect(o).toMatchObject({ out: 'kafka', batch: 500, paced: true, seedWasGiven: false });
    expect(o.scenario).toMatchObject({ count: 6000, rate: 100, hosts: 40, seed: 'random-seed', timeScale: 1, startMs: NOW, attackShare: 0.1, driftAt: null });
    expect(o.scenario.attacks).toHaveLength(5);
  });

  it('derives the count from rate and duration, or takes it as given', () => {
    expect(parse('--rate', '250', '--duration', '10').scenario.count).toBe(2500);
    expect(parse('--count', '42').scenario.count).toBe(42);
  });

  it('reads every option', () => {
    const o = parse(
      '--rate', '50', '--count', '900', '--seed', 's1', '--hosts', '12', '--attacks', 'portscan,beaconing', '--attack-share', '0.3',
      '--drift-at', '0.5', '--start', '2025-01-06T00:00:00Z', '--time-scale', '3600', '--out', '-', '--batch', '100', '--fast',
    );
    expect(o.scenario).toEqual({ seed: 's1', hosts: 12, count: 900, rate: 50, timeScale: 3600, startMs: Date.UTC(2025, 0, 6), attacks: ['portscan', 'beaconing'], attackShare: 0.3, driftAt: 0.5 });
    expect(o).toMatchObject({ out: '-', batch: 100, paced: false, seedWasGiven: true });
  });

  it('moves the default start back when a time-scaled run would end in the future', () => {
    const o = parse('--count', '1000', '--rate', '10', '--time-scale', '3600');
    expect(o.scenario.startMs + 100 * 3600 * 1000).toBeLessThanOrEqual(NOW);
  });

  it('treats "none" as no attacks', () => {
    expect(parse('--attacks', 'none').scenario.attacks).toEqual([]);
  });

  it('returns help for --help and -h', () => {
    expect(parseCliArgs(['--help'], NOW)).toBe('help');
    expect(parseCliArgs(['-h'], NOW)).toBe('help');
  });

  it.each([
    [['--rate', '0'], /--rate must be a number > 0/],
    [['--rate', 'fast'], /--rate/],
    [['--count', '1.5'], /--count must be an integer/],
    [['--count', '10', '--duration', '5'], /either --duration or --count/],
    [['--hosts', '0'], /--hosts/],
    [['--attacks', 'portscan,ddos'], /unknown attack "ddos"/],
    [['--attacks', ','], /empty list/],
    [['--attack-share', '0.9'], /--attack-share must be a number >= 0 <= 0.8/],
    [['--drift-at', '1'], /--drift-at/],
    [['--start', 'yesterday'], /--start must be an ISO-8601/],
    [['--time-scale', '-1'], /--time-scale/],
    [['--batch', '0'], /--batch/],
    [['--topic', 'x', '--out', 'file.jsonl'], /--topic only applies with --out kafka/],
    [['--bogus'], /Unknown option '--bogus'/],
    [['stray'], /positional/],
    [['--rate'], /argument missing/],
  ])('rejects %j', (argv, message) => {
    expect(() => parseCliArgs(argv, NOW)).toThrow(UsageError);
    expect(() => parseCliArgs(argv, NOW)).toThrow(message);
  });
});

describe('main', () => {
  it('exits 2 with the reason and the usage on bad arguments', async () => {
    const t = io();
    await expect(main(['--rate=-5'], t.io)).resolves.toBe(2);
    expect(t.err()).toContain('--rate must be');
    expect(t.err()).toContain('Usage: flowsentry-produce');
  });

  it('exits 2 when the simulated run would produce timestamps the schema rejects', async () => {
    const t = io();
    await expect(main(['--start', new Date(NOW).toISOString(), '--time-scale', '100000', '--out', '-'], t.io)).resolves.toBe(2);
    expect(t.err()).toContain('now + 24 h');
  });

  it('prints the usage and exits 0 for --help', async () => {
    const t = io();
    await expect(main(['--help'], t.io)).resolves.toBe(0);
    expect(t.out()).toBe(`${USAGE}\n`);
  });

  it('writes a valid, labelled JSONL file and a summary with counts per label', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'producer-cli-'));
    const file = join(dir, 'events.jsonl');
    const t = io();
    const code = await main(['--count', '3000', '--rate', '1000', '--time-scale', '600', '--seed', 'cli', '--start', '2025-01-07T08:00:00Z', '--attack-share', '0.3', '--drift-at', '0.8', '--out', file, '--fast'], t.io);
    expect(code).toBe(0);
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(3000);
    for (const line of lines) expect(NetworkEventV1.safeParse(JSON.parse(line)).success).toBe(true);
    expect(t.err()).toMatch(/done: 3000 events to .*events\.jsonl/);
    expect(t.err()).toMatch(/normal\s+\d+/);
    expect(t.err()).toContain('episode portscan');
    expect(t.err()).toContain('drift from 2025-01-07');
    expect(t.err()).not.toContain('NOT met');
  });
});
