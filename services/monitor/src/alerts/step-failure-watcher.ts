import { BeforeApplicationShutdown, OnApplicationBootstrap } from '@nestjs/common';
import { ALL_TOPICS } from '@flowsentry/contracts';
import { backoffDelay, ConsumedMessage, EventConsumer, EventHandler, KafkaClient, KafkaSettings, physicalTopic } from '@flowsentry/messaging';
import { Logger } from '@flowsentry/telemetry';
import { AlertSink } from './alert';
import { alertMetrics } from './alert-metrics';
import { deadLetterSeen, StepFailureDigest, stepFailureAlert } from './step-failure-digest';

export interface StepFailureWatcherOptions {
  /** The watcher's own consumer group (`<MONITOR_GROUP_ID>-dlq`): it must not share offsets with the monitor's steps. */
  groupId: string;
  /** Dead letters arriving within this long of the first become one alert per (topic, reason). */
  digestMs?: number;
  /** First wait before trying to join again after Kafka refused (doubling up to a minute). */
  restartDelayMs?: number;
}

/**
 * A burst of rejections (one bad producer deploy) lands within seconds; 2 s turns it into one
 * alert with the full count while still telling people within seconds of the first failure.
 */
const DEFAULT_DIGEST_MS = 2_000;
const RESTART_POLICY = { retries: Number.MAX_SAFE_INTEGER, initialDelayMs: 1_000, maxDelayMs: 60_000, factor: 2 };

/** Every dead-letter topic of the pipeline, from the contracts' one list of topics. */
export function pipelineDeadLetterTopics(settings: Pick<KafkaSettings, 'topicPrefix'>): string[] {
  return ALL_TOPICS.filter((topic) => topic.endsWith('.dlq')).map((topic) => physicalTopic(settings, topic));
}

/**
 * Turns any step's dead letters into 'step-failure' alerts: it consumes every `*.dlq` topic in a
 * group of its own and raises one alert per (source topic, reason) per digest period, with the
 * count and an example error (the sink's de-duplication then keeps a lasting failure to one alert
 * per window). A new group starts from the latest offsets: the DLQ's history was someone's
 * problem before this monitor existed, and alerting on it at every fresh deployment would be noise.
 *
 * Alerting about failures must not become one: the handler never rejects (so no record is read
 * twice and none blocks a partition), and a broker that refuses the watcher at start is retried
 * in the background while the monitor's own steps run. Offsets are committed once a record is
 * counted, not once its alert is delivered: alerts are best effort, and replaying a DLQ to
 * re-alert would be worse than one missed alert after a crash.
 */
export class StepFailureWatcher implements EventHandler, OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly digest = new StepFailureDigest();
  private readonly topics: string[];
  private consumer?: EventConsumer;
  private digestTimer?: NodeJS.Timeout;
  private restartTimer?: NodeJS.Timeout;
  private starting?: Promise<void>;
  private stopped = false;

  constructor(
    private readonly kafka: KafkaClient,
    settings: KafkaSettings,
    private readonly sink: AlertSink,
    private readonly log: Logger,
    private readonly options: StepFailureWatcherOptions,
  ) {
    this.topics = pipelineDeadLetterTopics(settings);
  }

  /** Joins in the background: resolves at once, whether or not Kafka is reachable yet. */
  start(): void {
    this.stopped = false;
    this.join(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.restartTimer);
    await this.starting;
    await this.consumer?.drain().catch((err: unknown) => this.log.warn({ err }, 'leaving the DLQ watcher group failed'));
    this.consumer = undefined;
    this.flush();
  }

  onApplicationBootstrap(): void {
    this.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.stop();
  }

  async handle(message: ConsumedMessage): Promise<void> {
    try {
      const letter = deadLetterSeen(message);
      alertMetrics.deadLetters.inc({ topic: letter.sourceTopic, reason: letter.reason });
      this.digest.add(letter);
      if (!this.digestTimer) {
        this.digestTimer = setTimeout(() => this.flush(), this.options.digestMs ?? DEFAULT_DIGEST_MS);
        this.digestTimer.unref?.();
      }
    } catch (err) {
      this.log.error({ err, topic: message.topic, partition: message.partition, offset: message.offset }, 'could not read a dead letter; skipped');
    }
  }

  private flush(): void {
    clearTimeout(this.digestTimer);
    this.digestTimer = undefined;
    for (const summary of this.digest.drain()) this.sink.raise(stepFailureAlert(summary));
  }

  private join(attempt: number): void {
    if (this.stopped) return;
    const consumer = new EventConsumer(
      this.kafka,
      {
        groupId: this.options.groupId,
        topics: this.topics,
        fromBeginning: false,
        onError: (err, context) => this.log.warn({ err, context }, 'DLQ watcher error'),
      },
      this,
    );
    this.starting = consumer
      .start()
      .then(() => {
        this.consumer = consumer;
        this.log.info({ groupId: this.options.groupId, topics: this.topics.length }, 'watching the pipeline DLQ topics for failed steps');
      })
      .catch(async (err: unknown) => {
        await consumer.disconnect().catch(() => undefined);
        if (this.stopped) return;
        const delay = backoffDelay({ ...RESTART_POLICY, initialDelayMs: this.options.restartDelayMs ?? RESTART_POLICY.initialDelayMs }, Math.min(attempt, 16));
        this.log.error({ err, retryInMs: delay }, 'DLQ watcher could not join; step failures are not alerted until it does');
        this.restartTimer = setTimeout(() => this.join(attempt + 1), delay);
        this.restartTimer.unref?.();
      })
      .finally(() => {
        this.starting = undefined;
      });
  }
}
