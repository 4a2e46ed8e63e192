import { Headers } from '@flowsentry/contracts';
import { ConsumedMessage } from '@flowsentry/messaging';
import { Alert } from './alert';
import { truncate } from './alert-message';

/** One dead letter, as the DeadLetterPublisher's `x-dlq-*` headers describe it. */
export interface DeadLetterSeen {
  dlqTopic: string;
  sourceTopic: string;
  reason: string;
  error: string;
  consumerGroup?: string;
  /** When the failing step gave up on the message (x-dlq-time). */
  at?: string;
}

/** Dead letters of one (source topic, reason) within one digest period. */
export interface StepFailureSummary {
  dlqTopic: string;
  sourceTopic: string;
  reason: string;
  count: number;
  exampleError: string;
  consumerGroups: string[];
  firstAt?: string;
  lastAt?: string;
}

const header = (message: ConsumedMessage, name: string): string | undefined => {
  const value = message.headers[name];
  return value === undefined ? undefined : value.toString();
};

/**
 * Reads a DLQ record's headers. A record someone produced by hand, without them, is still a
 * failure worth reporting: its source is the DLQ topic's name without `.dlq`.
 */
export function deadLetterSeen(message: ConsumedMessage): DeadLetterSeen {
  return {
    dlqTopic: message.topic,
    sourceTopic: header(message, Headers.dlqSourceTopic) || message.topic.replace(/\.dlq$/, ''),
    reason: header(message, Headers.dlqReason) || 'unknown',
    error: header(message, Headers.dlqError) || '(no x-dlq-error header)',
    consumerGroup: header(message, Headers.dlqConsumerGroup),
    at: header(message, Headers.dlqTime),
  };
}

/** The de-duplication key: one alert per source topic and reason, whatever the count. */
export function stepFailureKey(sourceTopic: string, reason: string): string {
  return `step-failure:${sourceTopic}:${reason}`;
}

/** Longest example error in an alert's title; the details carry the DLQ's own (already capped) text. */
const TITLE_ERROR_CHARS = 200;

export function stepFailureAlert(summary: StepFailureSummary): Alert {
  const messages = summary.count === 1 ? '1 message' : `${summary.count} messages`;
  const by = summary.consumerGroups.length > 0 ? ` by ${summary.consumerGroups.join(', ')}` : '';
  return {
    kind: 'step-failure',
    // Every dead letter is an event the pipeline stopped processing until someone repairs and replays it.
    severity: 'high',
    key: stepFailureKey(summary.sourceTopic, summary.reason),
    title: `step failure: ${messages} from ${summary.sourceTopic} dead-lettered${by} (reason ${summary.reason}): ${truncate(summary.exampleError, TITLE_ERROR_CHARS)}`,
    details: { ...summary },
  };
}

/**
 * Groups dead letters by (source topic, reason) between two `drain`s, so a burst of a thousand
 * rejected messages becomes one alert saying "1000", not one alert and 999 duplicates.
 */
export class StepFailureDigest {
  private readonly groups = new Map<string, StepFailureSummary>();

  add(letter: DeadLetterSeen): void {
    const key = stepFailureKey(letter.sourceTopic, letter.reason);
    const group = this.groups.get(key);
    if (!group) {
      this.groups.set(key, {
        dlqTopic: letter.dlqTopic,
        sourceTopic: letter.sourceTopic,
        reason: letter.reason,
        count: 1,
        exampleError: letter.error,
        consumerGroups: letter.consumerGroup ? [letter.consumerGroup] : [],
        firstAt: letter.at,
        lastAt: letter.at,
      });
      return;
    }
    group.count += 1;
    if (letter.consumerGroup && !group.consumerGroups.includes(letter.consumerGroup)) group.consumerGroups.push(letter.consumerGroup);
    if (letter.at) {
      if (!group.firstAt || letter.at < group.firstAt) group.firstAt = letter.at;
      if (!group.lastAt || letter.at > group.lastAt) group.lastAt = letter.at;
    }
  }

  get size(): number {
    return this.groups.size;
  }

  drain(): StepFailureSummary[] {
    const summaries = [...this.groups.values()];
    this.groups.clear();
    return summaries;
  }
}
