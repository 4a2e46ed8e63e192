import { GateResult } from './sanity-gates';

export const POLICY_NAMES = ['auto', 'manual'] as const;
export type PolicyName = (typeof POLICY_NAMES)[number];

export type Decision = 'approved' | 'pending' | 'rejected';

export interface PolicySettings {
  EVALUATOR_POLICY: PolicyName;
  EVALUATOR_POLICIES: Record<string, PolicyName>;
  EVALUATOR_TOLERANCE: number;
}

/**
 * What the champion comparison found on the same held-out rows:
 * - `none`: there is no champion (the first model of a name);
 * - `unscored`: there is one but it could not be scored on these rows (why is in `reason`);
 * - `labelled`: both scored, with labels: their primary metric (ROC-AUC);
 * - `unlabelled`: both scored, no labels to say which is better.
 */
export type ChampionComparison =
  | { kind: 'none' }
  | { kind: 'unscored'; version: string; reason: string }
  | { kind: 'labelled'; version: string; challenger: number; champion: number }
  | { kind: 'unlabelled'; version: string };

export interface PolicyDecision {
  policy: PolicyName;
  decision: Decision;
  reason: string;
}

/**
 * The metric `auto` compares on labelled rows: ROC-AUC. It does not depend on the model's
 * threshold (which each model fits for itself) nor on the share of attacks in the holdout (which
 * changes with every window), so "no worse than the champion" compares ranking quality alone.
 * Average precision is reported beside it but moves with prevalence and, with a few dozen attack
 * rows, with single rows.
 */
export const PRIMARY_METRIC = 'rocAuc';

export function policyFor(modelName: string, settings: Pick<PolicySettings, 'EVALUATOR_POLICY' | 'EVALUATOR_POLICIES'>): PolicyName {
  return settings.EVALUATOR_POLICIES[modelName] ?? settings.EVALUATOR_POLICY;
}

/**
 * The promotion decision. A failed gate rejects under either policy. `manual` then waits for a
 * person (`pending`). `auto` approves — the evaluator makes the model champion — when there is no
 * champion yet, or the challenger's ROC-AUC is at least the champion's minus the tolerance on
 * labelled rows; without labels on the shared rows there is nothing to rank them by, so the gates
 * alone decide (a drift retrain on unlabelled production traffic must still be able to replace a
 * stale champion). A challenger found worse is rejected; a champion that could not be scored leaves
 * the decision to a person (`pending`), since "no worse" could not be shown.
 */
export function decide(policy: PolicyName, gates: readonly GateResult[], comparison: ChampionComparison, tolerance: number): PolicyDecision {
  const failed = gates.filter((g) => !g.passed);
  if (failed.length > 0) return { policy, decision: 'rejected', reason: `failed sanity gates: ${failed.map((g) => `${g.gate} (${g.detail})`).join('; ')}` };
  if (policy === 'manual') return { policy, decision: 'pending', reason: `sanity gates passed${versus(comparison)}; the manual policy waits for a person to approve or reject` };
  switch (comparison.kind) {
    case 'none':
      return { policy, decision: 'approved', reason: 'first model of this name: sanity gates passed, no champion to compare with' };
    case 'unscored':
      return { policy, decision: 'pending', reason: `sanity gates passed, but champion v${comparison.version} could not be scored on the held-out rows (${comparison.reason}); waiting for a person` };
    case 'unlabelled':
      return { policy, decision: 'approved', reason: `sanity gates passed; the held-out rows carry no labels to rank it against champion v${comparison.version}, so the gates decide` };
    case 'labelled': {
      const floor = comparison.champion - tolerance;
      const figures = `ROC-AUC ${comparison.challenger.toFixed(4)} vs champion v${comparison.version}'s ${comparison.champion.toFixed(4)} (tolerance ${tolerance})`;
      return comparison.challenger >= floor
        ? { policy, decision: 'approved', reason: `sanity gates passed and no worse than the champion: ${figures}` }
        : { policy, decision: 'rejected', reason: `worse than the champion on labelled held-out rows: ${figures}` };
    }
  }
}

function versus(comparison: ChampionComparison): string {
  switch (comparison.kind) {
    case 'labelled':
      return ` (ROC-AUC ${comparison.challenger.toFixed(4)} vs champion v${comparison.version}'s ${comparison.champion.toFixed(4)})`;
    case 'unscored':
      return ` (champion v${comparison.version} could not be scored: ${comparison.reason})`;
    case 'unlabelled':
      return ` (no labels to compare with champion v${comparison.version})`;
    case 'none':
      return '';
  }
}
