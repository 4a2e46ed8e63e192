import { BeforeApplicationShutdown, OnApplicationBootstrap } from '@nestjs/common';
import { deadLetterTopic, PipelineTopic } from '@flowsentry/contracts';
import { DeadLetterPublisher, EventConsumer, physicalTopic, TransactionalEmitter } from '@flowsentry/messaging';
import { Logger } from '@flowsentry/telemetry';
import { ServiceConnections } from '../service-connections';
import { PipelineStep } from './pipeline-step';
import { stepMetrics } from './step-metrics';
import { DeadLetterSink, StepRuntime } from './step-runtime';
import { retryPolicyOf, StepSettings, transactionalIdOf } from './step-settings';
import { AuditStepStore } from './step-store';

export interface StepConsumerOptions {
  service: string;
  groupId: string;
  settings: StepSettings;
  /**
   * Input partitions handled side by side, each still in offset order (default 1). Only for steps whose
   * state is per partition: one partition's CPU work then overlaps another's waits on storage, the
   * database and Kafka.
   */
  concurrentPartitions?: number;
}

/**
 * Hosts a service's steps in Nest's lifecycle: once the app is up it opens the connections and
 * consumes the steps' topics through the StepRuntime in the service's own consumer group; on
 * SIGTERM it finishes the event in hand, commits it and leaves the group. A service's
 * `<input-topic>.consumer.ts` is a subclass that only names its steps.
 */
export abstract class StepConsumer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private consumer?: EventConsumer;
  private emitter?: TransactionalEmitter;

  protected constructor(
    private readonly connections: ServiceConnections,
    private readonly options: StepConsumerOptions,
    private readonly steps: PipelineStep[],
    private readonly log: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const { kafka, kafkaSettings, db } = this.connections;
    const { service, groupId } = this.options;
    await this.connections.open();
    const emitter = new TransactionalEmitter(kafka, kafkaSettings, { transactionalId: transactionalIdOf(groupId, this.options.settings) });
    await emitter.connect();
    this.emitter = emitter;
    const metrics = stepMetrics(service);
    const byPhysical = new Map(this.steps.map((step) => [physicalTopic(kafkaSettings, step.input), step.input]));
    const runtime = new StepRuntime(
      this.steps,
      { service, consumerGroup: groupId, retry: retryPolicyOf(this.options.settings), logicalTopic: (physical) => byPhysical.get(physical)! },
      {
        store: new AuditStepStore(db),
        sender: { send: (outputs, runId, consumed) => emitter.emitAndCommit(outputs, runId, { groupId, ...consumed }) },
        deadLetters: deadLetterSink(this.connections, groupId),
        metrics,
        log: this.log,
      },
    );
    this.consumer = new EventConsumer(
      kafka,
      {
        groupId,
        topics: [...byPhysical.keys()],
        onError: (err, where) => this.log.error({ err }, `${service} ${where} failed; the event will be read again`),
        onLag: (topic, partition, lag) => metrics.lag.set({ topic, partition: String(partition) }, lag),
        partitionsConsumedConcurrently: this.options.concurrentPartitions,
      },
      runtime,
    );
    await this.consumer.start();
    this.log.info({ group: groupId, topics: [...byPhysical.keys()] }, `${service} consuming`);
  }

  async beforeApplicationShutdown(signal?: string): Promise<void> {
    if (!this.consumer) return;
    this.log.info({ signal }, 'draining: finishing the event in hand before exit');
    await this.consumer.drain();
    await this.emitter?.disconnect();
    this.log.info('drained');
  }
}

/** One DeadLetterPublisher per consumed topic, each writing to that topic's `<topic>.dlq`. */
function deadLetterSink(connections: ServiceConnections, groupId: string): DeadLetterSink {
  const publishers = new Map<PipelineTopic, DeadLetterPublisher>();
  return {
    publish: async (topic, letter) => {
      let publisher = publishers.get(topic);
      if (!publisher) {
        publisher = new DeadLetterPublisher(connections.producer, connections.kafkaSettings, groupId, deadLetterTopic(topic));
        publishers.set(topic, publisher);
      }
      await publisher.publish([letter]);
    },
  };
}
