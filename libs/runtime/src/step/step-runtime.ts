import { Span } from '@opentelemetry/api';
import { buildEvent, decodePipelineEvent, deadLetterTopic, deterministicId, FlowsentryError, PipelineEventOf, PipelineTopic } from '@flowsentry/contracts';
import { ConsumedMessage, DeadLetter, deadLetterOf, EventHandler, EventHandlerTools, RetriesExhaustedError, RetryPolicy, withHeartbeat, withRetry } from '@flowsentry/messaging';
import {
  ATTR_MESSAGING_CONSUMER_GROUP_NAME,
  ATTR_MESSAGING_DESTINATION_NAME,
  ATTR_MESSAGING_DESTINATION_PARTITION_ID,
  ATTR_MESSAGING_KAFKA_OFFSET,
  ATTR_MESSAGING_MESSAGE_ID,
  ATTR_RUN_ID,
  currentTraceId,
  linksFromTraceparents,
  Logger,
  readRunId,
  withConsumerSpan,
} from '@flowsentry/telemetry';
import { PipelineStep, StepContext } from './pipeline-step';
import { StepMetrics } from './step-metrics';
import { ProcessedRecord, SerializedOutput, StepStore } from './step-store';

/** Where the outputs came from: the consumed message, whose offset a transactional sender commits with them. */
export interface ConsumedSource {
  topic: string;
  partition: number;
  offset: string;
}

/**
 * Sends outputs with the current trace context and the run id header. In production a
 * TransactionalEmitter: the outputs and the consumed offset commit together, so an output is on
 * its topic once even when the process dies between the send and `markSent`.
 */
export interface OutputSender {
  send(outputs: SerializedOutput[], runId: string, consumed: ConsumedSource): Promise<void>;
}

/** Publishes a dead letter to the dead-letter topic of the topic it came from. */
export interface DeadLetterSink {
  publish(topic: PipelineTopic, letter: DeadLetter): Promise<void>;
}

export interface StepRuntimeOptions {
  service: string;
  consumerGroup: string;
  retry: RetryPolicy;
  /** Maps a consumed topic's physical name (with the deployment prefix) to its logical name. */
  logicalTopic(physical: string): PipelineTopic;
}

export interface StepRuntimePorts {
  store: StepStore;
  sender: OutputSender;
  deadLetters: DeadLetterSink;
  metrics: StepMetrics;
  log: Logger;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

/** DLQ reason when a retriable failure outlasted the attempt budget. */
export const RETRIES_EXHAUSTED = 'retries-exhausted';

/**
 * The step's outputs are on record but the broker did not take them. Never dead-lettered: the
 * event was handled, only the transport failed, and a dead letter would strand outputs that exist.
 */
export class OutputsNotSentError extends Error {
  constructor(cause: unknown) {
    super(`outputs on record but not sent: ${errorText(cause)}`, { cause });
    this.name = 'OutputsNotSentError';
  }
}

/**
 * The one way a pipeline step handles an event (brief §8):
 * decode and validate → dead-letter what cannot be read → continue the producer's trace → skip
 * or re-send what the guard already holds → run the step → record artifacts, lineage, step,
 * the step's own rows and the guard with the output events in one transaction → send → mark
 * sent. The consumer commits the offset only after this resolves.
 *
 * Crash safety at every instant: before the commit nothing is on record and the redelivery
 * runs the step again (handlers are deterministic, objects write-once); between the commit and
 * the send the redelivery re-sends the stored bytes; after the send it sends nothing (the
 * transactional sender committed the offset with the outputs, so there is no redelivery; a
 * replay that reads the event again finds it sent, or, if the process died before `markSent`,
 * sends the stored bytes again, which consumers drop by event id).
 * Failures: bad input (a FlowsentryError that is not retriable) is dead-lettered at once with
 * its code as the reason; anything else is retried with backoff, heartbeating, and
 * dead-lettered as `retries-exhausted` once the budget is spent. Sending outputs that are on
 * record is the exception: a broker that stays down longer than the budget propagates the error,
 * nothing is committed, and the consumer re-reads the event after a pause and re-sends the stored
 * bytes, for as long as the outage lasts. If even a dead-letter send fails the error propagates
 * the same way.
 */
export class StepRuntime implements EventHandler {
  private readonly steps = new Map<PipelineTopic, PipelineStep>();
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(
    steps: PipelineStep[],
    private readonly options: StepRuntimeOptions,
    private readonly ports: StepRuntimePorts,
  ) {
    for (const step of steps) {
      if (this.steps.has(step.input)) throw new Error(`two steps consume ${step.input}; a service declares one handler per topic`);
      this.steps.set(step.input, step);
    }
    this.sleep = ports.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  get topics(): PipelineTopic[] {
    return [...this.steps.keys()];
  }

  async handle(message: ConsumedMessage, tools: EventHandlerTools): Promise<void> {
    const topic = this.options.logicalTopic(message.topic);
    const step = this.steps.get(topic);
    if (!step) throw new Error(`no step consumes ${message.topic}`);
    this.ports.metrics.consumed.inc({ topic });
    const decoded = decodePipelineEvent(topic, message.value);
    if (!decoded.ok) return this.deadLetter(message, topic, decoded.error.reason, decoded.error.message);
    const event = decoded.value;
    const runId = readRunId(message.headers) ?? deterministicId('run', event.id);
    await withConsumerSpan(
      `${this.options.service}.${step.step}`,
      message.headers,
      {
        [ATTR_RUN_ID]: runId,
        [ATTR_MESSAGING_DESTINATION_NAME]: message.topic,
        [ATTR_MESSAGING_DESTINATION_PARTITION_ID]: String(message.partition),
        [ATTR_MESSAGING_KAFKA_OFFSET]: message.offset,
        [ATTR_MESSAGING_CONSUMER_GROUP_NAME]: this.options.consumerGroup,
        [ATTR_MESSAGING_MESSAGE_ID]: event.id,
      },
      (span) => this.handleWithRetries(step, event, message, runId, tools, span),
    );
  }

  private async handleWithRetries(step: PipelineStep, event: PipelineEventOf<PipelineTopic>, message: ConsumedMessage, runId: string, tools: EventHandlerTools, span: Span): Promise<void> {
    let startedAt = new Date();
    const failed = (err: unknown) => this.ports.metrics.failed.inc({ reason: err instanceof FlowsentryError ? err.code : 'transient' });
    try {
      await withRetry(
        (attempt) => {
          startedAt = new Date();
          return this.handleOnce(step, event, message, runId, attempt + 1, tools, span);
        },
        this.options.retry,
        {
          random: this.ports.random,
          sleep: (ms) => withHeartbeat(tools.heartbeat, () => this.sleep(ms)),
          onRetry: (attempt, err, delay) => {
            failed(err);
            this.ports.log.warn({ err, attempt, delay_ms: delay, event_id: event.id }, `${step.step} failed; retrying`);
          },
        },
      );
    } catch (err) {
      if (err instanceof RetriesExhaustedError && err.lastError instanceof OutputsNotSentError) throw err.lastError;
      if (err instanceof RetriesExhaustedError) {
        failed(err.lastError);
        return this.giveUp(step, event, message, runId, RETRIES_EXHAUSTED, `${err.attempts} attempts failed; last: ${errorText(err.lastError)}`, startedAt);
      }
      failed(err);
      if (err instanceof FlowsentryError) return this.giveUp(step, event, message, runId, err.code, err.message, startedAt);
      throw err;
    }
  }

  private async handleOnce(step: PipelineStep, event: PipelineEventOf<PipelineTopic>, message: ConsumedMessage, runId: string, attempt: number, tools: EventHandlerTools, span: Span): Promise<void> {
    const { consumerGroup, service } = this.options;
    const done = await this.ports.store.processed(consumerGroup, event.id);
    if (done) {
      this.ports.metrics.redelivered.inc({ topic: step.input });
      span.setAttribute('flowsentry.redelivery', true);
      return this.send(done, event.id, message);
    }
    const startedAt = new Date();
    const endTimer = this.ports.metrics.handlerSeconds.startTimer({ topic: step.input });
    const source = { topic: message.topic, partition: message.partition, offset: message.offset };
    const context: StepContext = {
      runId,
      attempt,
      source,
      heartbeat: tools.heartbeat,
      annotate: (attributes) => span.setAttributes(attributes),
      // A link to the step's own span (a dataset recorded by this very step) would only repeat the parent chain.
      link: (traceparents) => span.addLinks(linksFromTraceparents(traceparents).filter((link) => link.context.spanId !== span.spanContext().spanId)),
      upcoming: () => upcomingEvent(step.input, message, tools.upcoming),
      assignment: tools.assignment,
    };
    const outcome = await step.handle(event, context);
    const outputs = outcome.outputs.map(
      (output): SerializedOutput => ({
        topic: output.topic,
        key: output.key,
        value: JSON.stringify(buildEvent(output.topic, { id: output.id, service, subject: output.subject, data: output.data })),
      }),
    );
    const record = await this.ports.store.commit({ consumerGroup, service, step: step.step, eventId: event.id, trigger: step.input, source, runId, traceId: currentTraceId() ?? null, startedAt, outcome, outputs });
    await this.send(record, event.id, message);
    endTimer();
  }

  private async send(record: ProcessedRecord, eventId: string, consumed: ConsumedMessage): Promise<void> {
    if (record.sent) return;
    await this.ports.sender.send(record.outputs, record.runId, { topic: consumed.topic, partition: consumed.partition, offset: consumed.offset }).catch((err) => {
      throw new OutputsNotSentError(err);
    });
    await this.ports.store.markSent(this.options.consumerGroup, eventId);
    for (const output of record.outputs) this.ports.metrics.emitted.inc({ topic: output.topic });
  }

  private async giveUp(step: PipelineStep, event: PipelineEventOf<PipelineTopic>, message: ConsumedMessage, runId: string, reason: string, error: string, startedAt: Date): Promise<void> {
    await this.deadLetter(message, step.input, reason, error);
    // The dead letter is the record that counts; the audit row is best effort (the database may be what failed).
    await this.ports.store
      .recordFailure({ service: this.options.service, step: step.step, trigger: step.input, runId, traceId: currentTraceId() ?? null, inputRef: event.subject, reason, error, startedAt })
      .catch((err) => this.ports.log.warn({ err, event_id: event.id }, 'could not record the failed step'));
  }

  private async deadLetter(message: ConsumedMessage, topic: PipelineTopic, reason: string, error: string): Promise<void> {
    await this.ports.deadLetters.publish(topic, deadLetterOf(message, reason, error));
    this.ports.metrics.deadLettered.inc({ topic: deadLetterTopic(topic), reason });
    this.ports.log.warn({ topic: message.topic, partition: message.partition, offset: message.offset, reason, error }, 'event dead-lettered');
  }
}

/** The partition's next message as an event of the step's topic, when it is one that decodes (else it is not worth preparing). */
function upcomingEvent<I extends PipelineTopic>(topic: I, current: ConsumedMessage, next: ConsumedMessage | undefined): PipelineEventOf<I> | undefined {
  if (!next || next.topic !== current.topic || next.partition !== current.partition) return undefined;
  const decoded = decodePipelineEvent(topic, next.value);
  return decoded.ok ? decoded.value : undefined;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
