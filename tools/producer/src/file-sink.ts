import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { createGzip } from 'node:zlib';
import type { NetworkEvent } from '@flowsentry/contracts';
import type { EventSink } from './sink';

/**
 * JSON Lines, one NetworkEvent per line: the format RAW stores and the ML tools read, so a
 * file written here can feed offline checks directly. `-` writes to stdout; a `.gz` path is
 * gzip-compressed. Writes honour back-pressure so a slow disk or pipe slows the producer down
 * instead of buffering the run in memory.
 */
export class JsonLinesSink implements EventSink {
  private readonly out: Writable;
  private readonly finish: Writable;
  private readonly ownsStream: boolean;
  /** A stream error (disk full, reader of a pipe gone) surfaces on the next send instead of crashing. */
  private failure: Error | null = null;

  constructor(target: string, stdout: Writable = process.stdout) {
    if (target === '-') {
      this.out = stdout;
      this.finish = stdout;
      this.ownsStream = false;
    } else {
      const file = createWriteStream(target);
      this.finish = file;
      if (target.endsWith('.gz')) {
        const gzip = createGzip();
        gzip.pipe(file);
        this.out = gzip;
      } else {
        this.out = file;
      }
      this.ownsStream = true;
    }
    const remember = (err: Error) => {
      this.failure ??= err;
    };
    this.out.on('error', remember);
    if (this.finish !== this.out) this.finish.on('error', remember);
  }

  async send(events: NetworkEvent[]): Promise<void> {
    if (this.failure) throw this.failure;
    if (events.length === 0) return;
    const text = events.map((e) => JSON.stringify(e)).join('\n') + '\n';
    if (!this.out.write(text)) await once(this.out, 'drain');
  }

  async close(): Promise<void> {
    if (!this.ownsStream || this.failure) return;
    const finished = once(this.finish, 'finish');
    this.out.end();
    await finished;
  }
}
