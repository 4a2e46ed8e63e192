import { EntityManager } from 'typeorm';
import { Artifact, LineageEdge, PipelineRun, StepRecord } from '../entities';

export type NewStep = Omit<StepRecord, 'id' | 'finishedAt' | 'details' | 'error' | 'outputEventId'> &
  Partial<Pick<StepRecord, 'details' | 'error' | 'outputEventId'>>;
export type NewArtifact = Omit<Artifact, 'createdAt'>;

/**
 * Writes of runs, steps, artifacts and lineage, all insert-if-absent: a redelivered event
 * replays the same writes and they change nothing. Callers pass the transaction's manager so
 * a step and its artifacts commit together or not at all.
 */
export class RunLedger {
  constructor(private readonly em: EntityManager) {}

  async ensureRun(run: Pick<PipelineRun, 'runId' | 'trigger' | 'traceId'>): Promise<void> {
    await this.em.createQueryBuilder().insert().into(PipelineRun).values(run).orIgnore().execute();
  }

  async recordStep(step: NewStep): Promise<void> {
    await this.em.query(
      `INSERT INTO step_records (run_id, service, step, status, input_ref, output_event_id, details, error, started_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (service, step, input_ref) WHERE status <> 'failed' DO NOTHING`,
      [step.runId, step.service, step.step, step.status, step.inputRef, step.outputEventId ?? null, JSON.stringify(step.details ?? {}), step.error ?? null, step.startedAt],
    );
  }

  async recordArtifact(artifact: NewArtifact): Promise<void> {
    const existing = await this.em.findOne(Artifact, { where: { ref: artifact.ref } });
    if (existing && existing.sha256 !== artifact.sha256) {
      throw new Error(`artifact ${artifact.ref} is already recorded with sha256 ${existing.sha256}, not ${artifact.sha256}`);
    }
    if (!existing) await this.em.createQueryBuilder().insert().into(Artifact).values(artifact).orIgnore().execute();
  }

  async link(edges: Array<Omit<LineageEdge, 'createdAt'>>): Promise<void> {
    if (edges.length === 0) return;
    await this.em.createQueryBuilder().insert().into(LineageEdge).values(edges).orIgnore().execute();
  }
}

export function kafkaRangeRef(topic: string, partition: number, firstOffset: string, lastOffset: string): string {
  return `kafka://${topic}/${partition}/${firstOffset}-${lastOffset}`;
}
