import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { currentTelemetry } from './start-telemetry';

/**
 * Flushes spans as the last step of Nest's shutdown, after consumers have drained and before
 * Nest re-raises the signal that ends the process.
 */
@Injectable()
export class TelemetryFlush implements OnApplicationShutdown {
  async onApplicationShutdown(): Promise<void> {
    await currentTelemetry()?.shutdown();
  }
}
