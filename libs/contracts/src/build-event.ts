import { CLOUDEVENTS_SPECVERSION } from './envelope';
import { PipelineDataOf, PipelineEventOf, PipelineEvents, PipelineTopic } from './registry';

export interface BuildEventInput<T extends PipelineTopic> {
  id: string;
  service: string;
  subject: string;
  data: PipelineDataOf<T>;
  time?: Date;
}

/** Builds and validates an envelope, so no service can emit an event its consumers would reject. */
export function buildEvent<T extends PipelineTopic>(topic: T, input: BuildEventInput<T>): PipelineEventOf<T> {
  const entry = PipelineEvents[topic];
  const envelope = {
    specversion: CLOUDEVENTS_SPECVERSION,
    id: input.id,
    source: `flowsentry/${input.service}`,
    type: entry.type,
    time: (input.time ?? new Date()).toISOString(),
    subject: input.subject,
    datacontenttype: 'application/json' as const,
    data: input.data,
  };
  return entry.schema.parse(envelope) as PipelineEventOf<T>;
}
