/** A message as a consumer sees it, independent of the Kafka client library. */
export interface ConsumedMessage {
  topic: string;
  partition: number;
  offset: string;
  key: Buffer | null;
  value: Buffer | null;
  headers: Record<string, Buffer | string | undefined>;
  /** Broker or producer timestamp, epoch ms as a string (Kafka's own representation). */
  timestamp: string;
}

export function messageSize(message: ConsumedMessage): number {
  return (message.value?.length ?? 0) + (message.key?.length ?? 0);
}
