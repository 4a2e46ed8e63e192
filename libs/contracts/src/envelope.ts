import { z } from 'zod';

export const CLOUDEVENTS_SPECVERSION = '1.0';
export const CLOUDEVENTS_CONTENT_TYPE = 'application/cloudevents+json';

/**
 * CloudEvents 1.0 in structured JSON mode: the Kafka value is the whole envelope, so any
 * consumer (or a human with kcat) sees type, id and data without reading headers.
 */
export function cloudEvent<T extends z.ZodType>(type: string, data: T) {
  return z.object({
    specversion: z.literal(CLOUDEVENTS_SPECVERSION),
    id: z.string().min(1),
    source: z.string().regex(/^flowsentry\/[a-z-]+$/),
    type: z.literal(type),
    time: z.iso.datetime({ offset: true }),
    subject: z.string().min(1),
    datacontenttype: z.literal('application/json').optional(),
    data,
  });
}

export interface CloudEvent<T> {
  specversion: typeof CLOUDEVENTS_SPECVERSION;
  id: string;
  source: string;
  type: string;
  time: string;
  subject: string;
  datacontenttype?: 'application/json';
  data: T;
}
