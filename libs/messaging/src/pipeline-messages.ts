import { CLOUDEVENTS_CONTENT_TYPE, Headers, PipelineTopic } from '@flowsentry/contracts';
import { injectTraceHeaders } from '@flowsentry/telemetry';
import { KafkaSettings, physicalTopic } from './kafka-settings';
import { OutgoingMessage } from './outgoing-message';
import { chunkBySize, messageBytes } from './request-chunks';

/** A pipeline event already serialised (a step's stored output is re-sent byte for byte). */
export interface SerializedEvent {
  topic: PipelineTopic;
  key: string;
  value: string;
}

export interface TopicMessages {
  topic: string;
  messages: OutgoingMessage[];
}

/**
 * The produce requests that carry `events`, in order: CloudEvents structured mode with the run id
 * and the current trace context in headers, on the deployment's physical topics, grouped per topic
 * within each request, each request under `maxRequestBytes` (request-chunks.ts).
 */
export function pipelineRequests(settings: KafkaSettings, events: SerializedEvent[], runId: string, maxRequestBytes: number): TopicMessages[][] {
  const addressed = events.map((event) => {
    const headers: Record<string, string | Buffer | undefined> = { [Headers.runId]: runId, [Headers.contentType]: CLOUDEVENTS_CONTENT_TYPE };
    injectTraceHeaders(headers);
    const message: OutgoingMessage = { key: event.key, value: event.value, headers };
    return { topic: physicalTopic(settings, event.topic), message };
  });
  return chunkBySize(addressed, (a) => messageBytes(a.message), maxRequestBytes).map((chunk) => {
    const byTopic = new Map<string, OutgoingMessage[]>();
    for (const { topic, message } of chunk) {
      const messages = byTopic.get(topic) ?? [];
      messages.push(message);
      byTopic.set(topic, messages);
    }
    return [...byTopic].map(([topic, messages]) => ({ topic, messages }));
  });
}
