import { z } from 'zod';
import { env } from '@flowsentry/config';
import { loadServiceConfig, stepSettingsShape } from '@flowsentry/runtime';
import { PolicyName, POLICY_NAMES } from './promotion-policy';

const fraction = (fallback: number, min: number, max: number) => z.coerce.number().min(min).max(max).default(fallback);

/** "name=manual,other=auto": the models whose policy differs from EVALUATOR_POLICY. */
const policyOverrides = z
  .string()
  .default('')
  .transform((v, ctx) => {
    const overrides: Record<string, PolicyName> = {};
    for (const entry of v.split(',').map((s) => s.trim()).filter(Boolean)) {
      const [name, policy, ...rest] = entry.split('=').map((s) => s.trim());
      if (!name || rest.length > 0 || !POLICY_NAMES.includes(policy as PolicyName)) {
        ctx.addIssue({ code: 'custom', message: `"${entry}" is not <model name>=<${POLICY_NAMES.join('|')}>` });
        return z.NEVER;
      }
      overrides[name] = policy as PolicyName;
    }
    return overrides;
  });

export const evaluatorConfigShape = {
  HOST: env.string('127.0.0.1'),
  PORT: env.int(8084, 0, 65535),
  EVALUATOR_GROUP_ID: env.string('flowsentry-evaluator'),
  /**
   * `auto`: the pipeline runs unattended from traffic to a serving model, and the sanity gates and
   * the champion comparison are what stands between a bad model and production. A team that wants a
   * person to sign off sets `manual` (for all, or per model in EVALUATOR_POLICIES).
   */
  EVALUATOR_POLICY: z.enum(POLICY_NAMES).default('auto'),
  EVALUATOR_POLICIES: policyOverrides,
  /**
   * How much lower a challenger's ROC-AUC may be than the champion's and still be promoted. A model
   * that separates attacks well varies by ~0.001 between training seeds (measured: 100 trees, 100
   * attack rows in 20,000), so 0.01 keeps noise from blocking a retrain, while a regression that
   * matters (an attack family no longer isolated) costs several hundredths. Weak models vary more
   * (~0.04 at ROC-AUC 0.63), which this tolerance does not absorb: for them "no worse" is strict.
   */
  EVALUATOR_TOLERANCE: fraction(0.01, 0, 1),
  /**
   * Rows both engines score for the agreement check: 2,000 rows put every tree's leaves through
   * thousands of paths in ~10 ms per engine, and a model whose export is wrong disagrees on
   * nearly every row, so more rows would add time and no certainty.
   */
  EVALUATOR_AGREEMENT_SAMPLE: env.int(2000, 1, 1_000_000),
  /**
   * Largest |Δ score_samples| allowed between onnxruntime (float32 arithmetic) and the forest
   * kernel (float64 after the walk). Scores lie in [−1, 0]; float32 rounding of the exp and the mean
   * gives differences of ~1e-7, so 1e-5 (the issue's bar) passes honest rounding and catches any
   * different routing: one row one level off in one of 100 trees moves its score by ~3e-4.
   */
  EVALUATOR_AGREEMENT_TOLERANCE: fraction(1e-5, 0, 1),
  /**
   * The model's alert rate on held-out normal traffic may be at most this many times the rate it
   * was fitted for. Held-out rows are newer than the training rows, so some drift is expected; 3×
   * the budget is the point where a SOC sized for the target rate falls behind.
   */
  EVALUATOR_MAX_ALERT_RATE_FACTOR: fraction(3, 1, 1000),
  /** Recall is reported at this false-positive rate: 1% of normal flows is already thousands of alerts a day on a busy sensor. */
  EVALUATOR_FPR: fraction(0.01, 0, 1),
  /** k of precision@k and of the top-k overlap with the champion: about an analyst's first hour of triage. */
  EVALUATOR_TOP_K: env.int(100, 1, 1_000_000),
  /** Outbox poll: a champion move reaches `champion.changed` within about a second, at one cheap indexed query per second. */
  EVALUATOR_ANNOUNCE_INTERVAL_MS: env.int(1000, 50, 3_600_000),
  /**
   * Only alias moves of model names starting with this are announced by this process ('' = all).
   * One evaluator deployment per database announces everything; isolated test environments that
   * share one database each announce only their own models.
   */
  EVALUATOR_ANNOUNCE_MODEL_PREFIX: z.string().default(''),
  /**
   * Scoring threads per engine. 1: the evaluator runs beside the other services on small nodes,
   * and an evaluation is not latency-critical (it gates a promotion, minutes after training).
   */
  EVALUATOR_SCORING_THREADS: env.int(1, 1, 64),
  /**
   * The registry API's bearer token. REGISTRY_API_TOKEN_FILE wins over REGISTRY_API_TOKEN when both
   * are set (a mounted secret is the deliberate choice; an env value may be a leftover). Unset: the
   * API refuses every request with 403. Shorter than RECOMMENDED_TOKEN_LENGTH is accepted (local and
   * test setups) but warned about at start-up.
   */
  REGISTRY_API_TOKEN: z.string().min(1).optional(),
  ...stepSettingsShape,
};

/** A random token of 16+ characters cannot be guessed online; shorter ones are warned about. */
export const RECOMMENDED_TOKEN_LENGTH = 16;

export type EvaluatorConfig = ReturnType<typeof loadEvaluatorConfig>;

/** Everything the evaluator reads from its environment, validated (every problem at once) before anything starts. */
export function loadEvaluatorConfig(source: Record<string, string | undefined> = process.env) {
  return loadServiceConfig('evaluator', evaluatorConfigShape, source);
}
