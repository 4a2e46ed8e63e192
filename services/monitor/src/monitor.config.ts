import { z } from 'zod';
import { env } from '@flowsentry/config';
import { loadServiceConfig, stepSettingsShape } from '@flowsentry/runtime';
import { alertSettingsShape } from './alerts/alert-settings';

const positive = (fallback: number, max: number) => z.coerce.number().gt(0).max(max).default(fallback);

export const monitorConfigShape = {
  HOST: env.string('127.0.0.1'),
  PORT: env.int(8085, 0, 65535),
  MONITOR_GROUP_ID: env.string('flowsentry-monitor'),
  /** The registry name whose champion this monitor watches; champion moves of other names are skipped. */
  MONITOR_MODEL_NAME: z
    .string()
    .regex(/^[a-z0-9][a-z0-9._-]{0,99}$/, 'must be lower-case letters, digits, ".", "_" or "-" (it becomes an object key)')
    .default('network-flows'),
  /**
   * Share of the judged feature columns that must drift for a batch to count as drifted: Evidently's
   * dataset-drift default. Below half, a few features moving is what the day's rhythm does (night
   * traffic is DNS and NTP, not web); at half or more the traffic itself is different.
   */
  MONITOR_DRIFT_SHARE: positive(0.5, 1),
  /**
   * PSI of the champion's anomaly scores against its training scores for a batch to count as
   * drifted. 0.2 is the usual "significant shift" line (0.1 moderate, 0.25 major): where the alert
   * rate a SOC was sized for stops holding, even when no single feature crosses its own threshold.
   */
  MONITOR_SCORE_PSI: positive(0.2, 100),
  /**
   * Rows a batch needs before it counts for or against drift. At 500 rows a decile-bin PSI has a
   * sampling noise of ~0.02 (10 bins × ~50 rows), a tenth of MONITOR_SCORE_PSI, and the per-feature
   * tests have 5× the 100 values libs/ml requires; smaller batches still get their reports.
   */
  MONITOR_MIN_ROWS: env.int(500, 1, 10_000_000),
  /**
   * Consecutive drifted batches of one source stream before drift.detected. One batch can be a
   * burst of backups; three batches (minutes of traffic at the default ingest batch of 5,000
   * flows) is a regime. Batches below MONITOR_MIN_ROWS neither count nor break a streak.
   */
  MONITOR_DRIFT_CONSECUTIVE: env.int(3, 1, 1000),
  /**
   * After a drift.detected, none for the same champion until a new champion is in place or this
   * much event time has passed (ms). 6 h: a retrain waits for TRAINER_RETRAIN_MIN_ROWS (50,000
   * rows, minutes to hours by site), is evaluated and promoted; if no new champion came of it in 6
   * hours, saying so again is useful, saying so every few minutes is a retrain storm.
   */
  MONITOR_DRIFT_COOLDOWN_MS: env.int(6 * 3_600_000, 0),
  /** Data-quality violations (baseline drift checks aside) in one batch before a data-quality alert: any breakage is worth a look. */
  MONITOR_VIOLATION_ALERT_MIN: env.int(1, 1, 1_000_000),
  /**
   * Scoring threads of the forest kernel. 1: a SILVER batch of a few thousand rows scores in a few
   * milliseconds on one thread, and the monitor shares its node with the other services.
   */
  MONITOR_SCORING_THREADS: env.int(1, 1, 64),
  ...alertSettingsShape,
  ...stepSettingsShape,
};

export type MonitorConfig = ReturnType<typeof loadMonitorConfig>;

/** Everything the monitor reads from its environment, validated (every problem at once) before anything starts. */
export function loadMonitorConfig(source: Record<string, string | undefined> = process.env) {
  return loadServiceConfig('monitor', monitorConfigShape, source);
}
