import { BeforeApplicationShutdown, Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { ModelRegistry } from '@flowsentry/audit';
import { deterministicId, Topics } from '@flowsentry/contracts';
import { SERVICE_CONFIG, ServiceConnections } from '@flowsentry/runtime';
import { ATTR_MESSAGING_MESSAGE_ID, Logger, LOGGER, withConsumerSpan } from '@flowsentry/telemetry';
import { ChampionOutbox } from './champion-outbox';
import { EvaluatorConfig } from './evaluator.config';
import { evaluatorMetrics } from './evaluator.metrics';

/**
 * Runs the champion outbox every EVALUATOR_ANNOUNCE_INTERVAL_MS for as long as the process lives.
 * Rounds never overlap (the next is scheduled when one ends); on shutdown the round in hand
 * finishes before the connections close. Each announcement continues the trace its move was made
 * in (the stored traceparent): the outbox row is handed from the transaction that moved the alias
 * to this process like a message, so its span is a consumer of it.
 */
@Injectable()
export class ChampionAnnouncer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly outbox: ChampionOutbox;
  private timer?: NodeJS.Timeout;
  private round?: Promise<void>;
  private stopped = false;

  constructor(
    private readonly connections: ServiceConnections,
    @Inject(SERVICE_CONFIG) private readonly config: EvaluatorConfig,
    @Inject(LOGGER) private readonly log: Logger,
    registry: ModelRegistry,
  ) {
    const { db, producer } = connections;
    this.outbox = new ChampionOutbox(
      {
        transaction: (work) => db.transaction(work),
        registry,
        send: ({ key, value, eventId, traceparent }) =>
          withConsumerSpan('evaluator.announce champion.changed', traceparent ? { traceparent } : undefined, { [ATTR_MESSAGING_MESSAGE_ID]: eventId }, () =>
            producer.emitSerialized(Topics.championChanged, key, value, deterministicId('run', eventId)),
          ),
      },
      config.EVALUATOR_ANNOUNCE_MODEL_PREFIX,
    );
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.connections.open();
    this.schedule(0);
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.round;
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.round = this.announce().finally(() => this.schedule(this.config.EVALUATOR_ANNOUNCE_INTERVAL_MS));
    }, delayMs);
  }

  private async announce(): Promise<void> {
    try {
      const sent = await this.outbox.announcePending();
      if (sent > 0) {
        evaluatorMetrics.announced.inc(sent);
        this.log.info({ announced: sent }, 'champion changes announced');
      }
    } catch (err) {
      this.log.warn({ err }, 'announcing champion changes failed; the moves stay in the outbox for the next round');
    }
  }
}
