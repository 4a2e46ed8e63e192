import { DataSource } from 'typeorm';
import { ProcessedEvents, RunLedger, StepName } from '@flowsentry/audit';
import { PipelineTopic } from '@flowsentry/contracts';
import { SourcePosition, StepOutcome } from './pipeline-step';

/** An output exactly as it goes on the wire: what the guard stores and re-sends. */
export interface SerializedOutput {
  topic: PipelineTopic;
  key: string;
  value: string;
}

/** What the guard knows of an event some delivery already committed. */
export interface ProcessedRecord {
  runId: string;
  outputs: SerializedOutput[];
  /** The broker acknowledged every output: nothing is to be sent again. */
  sent: boolean;
}

export interface StepCommit {
  consumerGroup: string;
  service: string;
  step: StepName;
  eventId: string;
  trigger: PipelineTopic;
  source: SourcePosition;
  runId: string;
  traceId: string | null;
  startedAt: Date;
  outcome: StepOutcome;
  outputs: SerializedOutput[];
}

export interface StepFailure {
  service: string;
  step: StepName;
  trigger: PipelineTopic;
  runId: string;
  traceId: string | null;
  inputRef: string;
  reason: string;
  error: string;
  startedAt: Date;
}

/** The database side of a step: the idempotency guard and the audit trail (a port, so the runtime is unit-tested with a fake). */
export interface StepStore {
  processed(consumerGroup: string, eventId: string): Promise<ProcessedRecord | undefined>;
  /**
   * Records run, artifacts, lineage, step, the step's own rows and the guard with the outputs in
   * one transaction. Returns what is now on record: ours, or, when another delivery committed
   * the same event first, that delivery's (and ours is rolled back).
   */
  commit(commit: StepCommit): Promise<ProcessedRecord>;
  markSent(consumerGroup: string, eventId: string): Promise<void>;
  /** A failed step row for an event that went to the dead-letter topic. */
  recordFailure(failure: StepFailure): Promise<void>;
}

/** A claim lost to another delivery of the same event; rolls the losing transaction back. */
class AlreadyProcessed extends Error {}

export class AuditStepStore implements StepStore {
  constructor(private readonly db: DataSource) {}

  async processed(consumerGroup: string, eventId: string): Promise<ProcessedRecord | undefined> {
    const row = await new ProcessedEvents(this.db.manager).find(consumerGroup, eventId);
    if (!row) return undefined;
    return { runId: row.runId ?? '', outputs: row.outputs ? (JSON.parse(row.outputs) as SerializedOutput[]) : [], sent: row.outputsSentAt !== null || !row.outputs };
  }

  async commit(commit: StepCommit): Promise<ProcessedRecord> {
    const { outcome } = commit;
    try {
      await this.db.transaction(async (em) => {
        const ledger = new RunLedger(em);
        await ledger.ensureRun({ runId: commit.runId, trigger: commit.trigger, traceId: commit.traceId });
        for (const artifact of outcome.artifacts) {
          await ledger.recordArtifact({ ...artifact, sizeBytes: String(artifact.sizeBytes), producedBy: commit.service, runId: commit.runId });
        }
        await ledger.link(outcome.lineage.map((edge) => ({ ...edge, runId: commit.runId })));
        await ledger.recordStep({
          runId: commit.runId,
          service: commit.service,
          step: commit.step,
          status: outcome.record.status ?? 'succeeded',
          inputRef: outcome.record.inputRef,
          outputEventId: commit.outputs.length > 0 ? idOf(commit.outputs[0]!) : null,
          details: outcome.record.details ?? {},
          startedAt: commit.startedAt,
        });
        await outcome.persist?.(em);
        const claimed = await new ProcessedEvents(em).claim({
          consumerGroup: commit.consumerGroup,
          eventId: commit.eventId,
          topic: commit.source.topic,
          partition: commit.source.partition,
          offset: commit.source.offset,
          outputEventId: commit.outputs.length > 0 ? idOf(commit.outputs[0]!) : null,
          runId: commit.runId,
          outputs: JSON.stringify(commit.outputs),
        });
        if (!claimed) throw new AlreadyProcessed();
      });
    } catch (err) {
      if (!(err instanceof AlreadyProcessed)) throw err;
      const winner = await this.processed(commit.consumerGroup, commit.eventId);
      if (winner) return winner;
      throw new Error(`event ${commit.eventId} was claimed by another delivery but its record is gone`);
    }
    return { runId: commit.runId, outputs: commit.outputs, sent: false };
  }

  async markSent(consumerGroup: string, eventId: string): Promise<void> {
    await new ProcessedEvents(this.db.manager).markSent(consumerGroup, eventId);
  }

  async recordFailure(failure: StepFailure): Promise<void> {
    await this.db.transaction(async (em) => {
      const ledger = new RunLedger(em);
      await ledger.ensureRun({ runId: failure.runId, trigger: failure.trigger, traceId: failure.traceId });
      await ledger.recordStep({
        runId: failure.runId,
        service: failure.service,
        step: failure.step,
        status: 'failed',
        inputRef: failure.inputRef,
        details: { reason: failure.reason },
        error: failure.error,
        startedAt: failure.startedAt,
      });
    });
  }
}

function idOf(output: SerializedOutput): string {
  return (JSON.parse(output.value) as { id: string }).id;
}
