import { DriftDetectedData } from '@flowsentry/contracts';

export type DriftSeverity = DriftDetectedData['severity'];

export interface DriftRuleSettings {
  /** A batch is drifted when at least this share of its judged features drifted… */
  driftShare: number;
  /** …or its anomaly scores' PSI against the training scores is at least this. */
  scorePsi: number;
  /** Batches with fewer rows are no evidence either way. */
  minRows: number;
  /** Consecutive drifted batches of one stream before drift.detected. */
  consecutive: number;
  /** Event time (ms) after a drift.detected during which the same champion raises none. */
  cooldownMs: number;
}

/** One source stream's run of drifted batches. */
export interface StreamStreak {
  streak: number;
  /** The drifted batches' dataset ids, oldest first (at most `consecutive`). */
  datasets: string[];
}

/** What the monitor remembers about drift for the champion in force (its table, committed with each batch). */
export interface DriftState {
  /** Per source stream (source-stream.ts; `*` for batches that name none): drifted batches in a row since its last stable one. */
  streams: Record<string, StreamStreak>;
  /** Event time of the batch that raised the last drift.detected for this champion; null: none yet. */
  raisedAtMs: number | null;
  raisedDataset: string | null;
}

/** A new champion starts with no drift on record: its baseline is new, so is any shift. */
export const NO_DRIFT: DriftState = { streams: {}, raisedAtMs: null, raisedDataset: null };

/** The stream key of a batch that names no source stream. */
export const UNKNOWN_STREAM = '*';

/** One batch's drift evidence. */
export interface BatchEvidence {
  datasetId: string;
  stream: string;
  /** Rows the distributions were compared on. */
  rows: number;
  /** The batch's latest event time (epoch ms): the clock of the cool-down. */
  eventTimeMs: number | null;
  /** Drifted share of judged features; null when the batch was not judged. */
  driftShare: number | null;
  /** PSI of its anomaly scores; null when not measured (too few scores, not scored). */
  scorePsi: number | null;
}

export type DriftVerdict =
  | { kind: 'too-small'; state: DriftState; streak: number }
  | { kind: 'stable'; state: DriftState; streak: 0 }
  | { kind: 'drifting'; state: DriftState; streak: number }
  | { kind: 'cooling-down'; state: DriftState; streak: number; until: number }
  | { kind: 'raise'; state: DriftState; streak: number; severity: DriftSeverity; datasets: string[]; reason: string };

/**
 * The drift.detected rule. A batch of at least `minRows` rows is drifted when its dataset drift
 * share or its score PSI reaches the threshold. `consecutive` drifted batches in a row **of one
 * source stream** raise one drift.detected. Streams are counted apart because a batch is one
 * stream's sample: with a global count, the batches of a stream that did not change would break
 * every streak of one that did, and its shift would never be reported.
 *
 * After a drift.detected, the same champion raises none for `cooldownMs` of event time (the retrain
 * it asked for takes that long at most; a new champion starts over with NO_DRIFT). Raising clears
 * every stream's streak, so each drift.detected rests on its own `consecutive` batches; a streak
 * that reaches `consecutive` during the cool-down raises at the stream's first drifted batch after
 * it. A stable batch breaks its stream's streak; a small batch neither extends nor breaks it.
 *
 * A pure function of the state on record and the batch: a retried step decides the same.
 */
export function judgeDrift(state: DriftState, batch: BatchEvidence, settings: DriftRuleSettings): DriftVerdict {
  const current = state.streams[batch.stream] ?? { streak: 0, datasets: [] };
  if (batch.rows < settings.minRows) return { kind: 'too-small', state, streak: current.streak };
  const shareRatio = (batch.driftShare ?? 0) / settings.driftShare;
  const psiRatio = (batch.scorePsi ?? 0) / settings.scorePsi;
  const withStream = (s: StreamStreak): DriftState => ({ ...state, streams: { ...state.streams, [batch.stream]: s } });
  if (shareRatio < 1 && psiRatio < 1) return { kind: 'stable', state: withStream({ streak: 0, datasets: [] }), streak: 0 };

  const streak = current.streak + 1;
  const datasets = [...current.datasets, batch.datasetId].slice(-settings.consecutive);
  const drifting = withStream({ streak, datasets });
  if (streak < settings.consecutive) return { kind: 'drifting', state: drifting, streak };

  const now = batch.eventTimeMs ?? state.raisedAtMs ?? 0;
  if (state.raisedAtMs !== null && now - state.raisedAtMs < settings.cooldownMs) {
    return { kind: 'cooling-down', state: drifting, streak, until: state.raisedAtMs + settings.cooldownMs };
  }
  const reasons = [
    ...(shareRatio >= 1 ? [`${pct(batch.driftShare!)} of features drifted (threshold ${pct(settings.driftShare)})`] : []),
    ...(psiRatio >= 1 ? [`anomaly-score PSI ${batch.scorePsi!.toFixed(3)} (threshold ${settings.scorePsi})`] : []),
  ];
  const where = batch.stream === UNKNOWN_STREAM ? '' : ` of stream ${batch.stream}`;
  return {
    kind: 'raise',
    state: { streams: {}, raisedAtMs: now, raisedDataset: batch.datasetId },
    streak,
    severity: severityOf(Math.max(shareRatio, psiRatio)),
    datasets,
    reason: `${streak} consecutive drifted batches${where}; the last: ${reasons.join(', ')}`,
  };
}

/**
 * Severity from how far past its threshold the raising batch is: up to 1.4× low (PSI 0.2–0.28,
 * half to 70 % of the features), up to 2× medium, beyond that high (PSI ≥ 0.4, every feature at
 * the default share of 0.5). PSI's own reading agrees: 0.25 is where a shift is called major.
 */
export function severityOf(ratio: number): DriftSeverity {
  if (ratio >= 2) return 'high';
  if (ratio >= 1.4) return 'medium';
  return 'low';
}

function pct(x: number): string {
  return `${Math.round(x * 1000) / 10}%`;
}
