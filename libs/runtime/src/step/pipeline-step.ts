import { EntityManager } from 'typeorm';
import { PipelineDataOf, PipelineEventOf, PipelineTopic } from '@flowsentry/contracts';
import { StepName } from '@flowsentry/audit';

/** Where the message being handled sits in Kafka: the lineage root of what the step makes. */
export interface SourcePosition {
  topic: string;
  partition: number;
  offset: string;
}

export interface StepContext<I extends PipelineTopic = PipelineTopic> {
  /** The pipeline run this event belongs to (from `x-run-id`, else derived from the event id). */
  readonly runId: string;
  /** 1 on the first try; a handler that is retried sees 2, 3, … */
  readonly attempt: number;
  readonly source: SourcePosition;
  /** Beats the group heartbeat from inside a long loop (the runtime also beats while the handler runs). */
  heartbeat(): Promise<void>;
  /** Adds attributes to the step's span, e.g. the dataset id or the model version once known. */
  annotate(attributes: Record<string, string | number | boolean>): void;
  /**
   * Links the step's span to spans of other runs it fans in, given as stored `traceparent`s (a
   * model links to the runs of the datasets it was trained on). Its parent stays the triggering event.
   */
  link(traceparents: Iterable<string | undefined>): void;
  /**
   * The next event of this partition, when the consumer has already fetched it and it decodes: a
   * step may start preparing it (read it ahead) while it finishes this one. It is only a hint: the
   * runtime hands that event to `handle` later, after this one is committed, and nothing may be
   * recorded for it before then.
   */
  upcoming(): PipelineEventOf<I> | undefined;
  /**
   * Which of the consumer's group assignments the event is handled under; it changes with every
   * rebalance. A step that keeps per-partition state in memory must not trust state kept under an
   * earlier one without checking it: another instance may have handled the partition meanwhile.
   */
  readonly assignment: number;
}

/** One event the step emits. Its id must be derived from the input, so a replay yields the same id. */
export interface StepOutput<O extends PipelineTopic = PipelineTopic> {
  topic: O;
  id: string;
  key: string;
  subject: string;
  data: PipelineDataOf<O>;
}

/** An object the step wrote (write-once, content-addressed by its sha256). */
export interface StepArtifact {
  ref: string;
  layer: string;
  sha256: string;
  sizeBytes: number;
  contentType: string;
}

export interface LineageLink {
  parentRef: string;
  childRef: string;
  relation: string;
}

/** What one input led to. The runtime records all of it in one transaction with the idempotency guard. */
export interface StepOutcome {
  outputs: StepOutput[];
  artifacts: StepArtifact[];
  lineage: LineageLink[];
  record: {
    /** What the audit trail names as this step's input (an object ref, or the event's subject). */
    inputRef: string;
    status?: 'succeeded' | 'skipped' | 'pending_approval';
    details?: Record<string, unknown>;
  };
  /** The step's own rows (window checkpoints, registry entries) that must commit with the guard or not at all. */
  persist?(em: EntityManager): Promise<void>;
}

/**
 * A pipeline step's own logic, and nothing else: decode, dead-lettering, tracing, idempotency,
 * retries, emitting and committing belong to the StepRuntime. A step is a plain class, so its
 * logic is unit-tested with fakes of the stores it reads.
 *
 * A handler must be deterministic in its input (ids, object keys and bytes derived from the
 * event and the state it reads), because a crash before the guard commits runs it again.
 */
export interface PipelineStep<I extends PipelineTopic = PipelineTopic> {
  /** The topic this step consumes (one handler per consumed topic). */
  readonly input: I;
  /** What the audit trail calls this step. */
  readonly step: StepName;
  handle(event: PipelineEventOf<I>, context: StepContext<I>): Promise<StepOutcome>;
}
