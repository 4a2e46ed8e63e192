import type { NetworkEvent } from '@flowsentry/contracts';

/** Where generated events go. send() resolves once the batch is accepted (written or acknowledged). */
export interface EventSink {
  send(events: NetworkEvent[]): Promise<void>;
  close(): Promise<void>;
}
