import { Inject, Injectable, type BeforeApplicationShutdown } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { HEALTH_OPTIONS, type HealthOptions } from './health.tokens';

/**
 * Whether the service is draining. It flips on Nest's first shutdown hook (SIGTERM with
 * enableShutdownHooks) and then holds shutdown for `drainDelayMs`, while the HTTP server is
 * still up, so readiness reports 503 before consumers and connections start closing.
 */
@Injectable()
export class ShutdownState implements BeforeApplicationShutdown {
  private draining = false;

  constructor(@Inject(HEALTH_OPTIONS) private readonly options: HealthOptions) {}

  get isDraining(): boolean {
    return this.draining;
  }

  beginDraining(): void {
    this.draining = true;
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.beginDraining();
    if (this.options.drainDelayMs > 0) await sleep(this.options.drainDelayMs);
  }
}
