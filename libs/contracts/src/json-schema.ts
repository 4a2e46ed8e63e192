import { z } from 'zod';
import { NetworkEventV1 } from './network-event';
import { PipelineEvents } from './registry';

/** JSON Schema (draft 2020-12) for every message we put on Kafka, keyed by file name. */
export function exportJsonSchemas(): Record<string, object> {
  const out: Record<string, object> = {
    'network-event.v1.json': { title: 'NetworkEvent v1', ...z.toJSONSchema(NetworkEventV1, { io: 'input', unrepresentable: 'any' }) },
  };
  for (const [topic, entry] of Object.entries(PipelineEvents)) {
    out[`${topic}.v1.json`] = { title: entry.type, ...z.toJSONSchema(entry.schema, { io: 'input', unrepresentable: 'any' }) };
  }
  return out;
}
