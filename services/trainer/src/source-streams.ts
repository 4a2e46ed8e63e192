import { rawLandedKey } from '@flowsentry/contracts';
import { TopicAdmin } from '@flowsentry/messaging';

/** The source streams that hold data, whether or not a dataset of theirs has reached the trainer yet (see watermarkOf). */
export interface SourceStreams {
  list(): Promise<string[]>;
}

/**
 * The partitions of the source topic (network.events) that hold messages, named like raw.landed's
 * key. A partition no producer key hashes to holds none and is not waited for; one whose first
 * batch is still on its way through ingest and transform is. Asked fresh each time: the trainer
 * asks only when it is about to decide, which is rare.
 */
export class TopicPartitionStreams implements SourceStreams {
  constructor(
    private readonly admin: Pick<TopicAdmin, 'offsets'>,
    private readonly topic: string,
  ) {}

  async list(): Promise<string[]> {
    return (await this.admin.offsets(this.topic)).filter((p) => p.high !== p.low).map((p) => rawLandedKey(this.topic, p.partition));
  }
}
