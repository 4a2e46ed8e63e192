import { EntityManager } from 'typeorm';
import { ModelAliasChange, ModelRegistry } from '@flowsentry/audit';
import { buildEvent, deterministicId, Topics } from '@flowsentry/contracts';
import { formatRef, modelRefs } from '@flowsentry/storage';

/** One `champion.changed` as it goes on the wire, with the trace the move was made in. */
export interface Announcement {
  key: string;
  value: string;
  eventId: string;
  traceparent: string | null;
}

export interface ChampionOutboxPorts {
  /** Runs `work` in one database transaction (DataSource.transaction). */
  transaction<T>(work: (em: EntityManager) => Promise<T>): Promise<T>;
  registry: Pick<ModelRegistry, 'unannounced' | 'markAnnounced' | 'get'>;
  /** Resolves once the broker acknowledged the event. */
  send(announcement: Announcement): Promise<void>;
}

/** Alias moves announced per transaction: bounds how long the rows stay locked. */
export const ANNOUNCE_BATCH = 100;

/**
 * Sends `champion.changed` for every alias move the registry has not announced yet, oldest first,
 * and marks them announced in the same transaction that locked them (FOR UPDATE SKIP LOCKED, so a
 * second evaluator skips them instead of sending them twice). A send that is not acknowledged
 * rolls the transaction back: the row stays unannounced for the next round. A crash between the
 * acknowledgement and the commit sends the move again with the same id (derived from the history
 * row), which consumers de-duplicate.
 */
export class ChampionOutbox {
  constructor(
    private readonly ports: ChampionOutboxPorts,
    private readonly modelNamePrefix = '',
  ) {}

  /** One round; resolves with the number of moves announced. */
  announcePending(): Promise<number> {
    return this.ports.transaction(async (em) => {
      const moves = await this.ports.registry.unannounced(em, ANNOUNCE_BATCH, this.modelNamePrefix);
      for (const move of moves) await this.ports.send(await this.announcement(em, move));
      await this.ports.registry.markAnnounced(
        em,
        moves.map((m) => m.id),
      );
      return moves.length;
    });
  }

  private async announcement(em: EntityManager, move: ModelAliasChange): Promise<Announcement> {
    const version = await this.ports.registry.get(move.modelName, move.toVersion, em);
    if (!version) throw new Error(`alias move ${move.id} points ${move.modelName} at v${move.toVersion}, which is not in model_versions`);
    const eventId = deterministicId('champion.changed', move.modelName, move.id);
    const event = buildEvent(Topics.championChanged, {
      id: eventId,
      service: 'evaluator',
      subject: move.modelName,
      // The move's own time, so a re-send after a crash is the same bytes.
      time: move.changedAt,
      data: {
        modelName: move.modelName,
        version: move.toVersion,
        previousVersion: move.fromVersion,
        change: move.change,
        actor: move.actor,
        reason: move.reason,
        onnxKey: version.onnxRef,
        sha256: version.sha256,
        metadataKey: version.metadataRef ?? formatRef(modelRefs(move.modelName, move.toVersion).metadata),
        changedAt: move.changedAt.toISOString(),
      },
    });
    return { key: move.modelName, value: JSON.stringify(event), eventId, traceparent: move.traceparent };
  }
}
