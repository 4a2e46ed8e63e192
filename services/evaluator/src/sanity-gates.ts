/** What the gates look at, measured on the held-out rows. */
export interface GateEvidence {
  agreement: { rows: number; maxAbsDiff: number; error?: string };
  /** Every challenger score is a finite number. */
  finiteScores: boolean;
  /** Alert rate on the held-out rows not labelled as attacks. */
  normalAlertRate: number;
  /** The alert rate the model was fitted for (model.json); null when the model does not say. */
  targetAlertRate: number | null;
  /** The challenger's ROC-AUC, when the holdout is labelled. */
  rocAuc?: number;
}

export interface GateSettings {
  agreementTolerance: number;
  maxAlertRateFactor: number;
}

export type GateName = 'engine-agreement' | 'finite-scores' | 'alert-rate' | 'better-than-chance';

export interface GateResult {
  gate: GateName;
  passed: boolean;
  detail: string;
}

/**
 * Checks a model must pass whatever the policy and whatever the champion: it means what the
 * trainer meant (two engines agree), it scores every row, it keeps the analysts' alert budget on
 * new traffic, and, where labels exist, it ranks attacks above normal flows better than chance.
 */
export function sanityGates(evidence: GateEvidence, settings: GateSettings): GateResult[] {
  const gates: GateResult[] = [];
  const { agreement } = evidence;
  gates.push({
    gate: 'engine-agreement',
    passed: agreement.error === undefined && agreement.maxAbsDiff <= settings.agreementTolerance,
    detail:
      agreement.error ??
      `onnxruntime and the forest kernel differ by at most ${fmt(agreement.maxAbsDiff)} on ${agreement.rows} held-out rows (tolerance ${fmt(settings.agreementTolerance)})`,
  });
  gates.push({ gate: 'finite-scores', passed: evidence.finiteScores, detail: evidence.finiteScores ? 'every held-out row has a finite score' : 'some held-out rows score NaN or ±Infinity' });
  if (evidence.targetAlertRate === null) {
    gates.push({ gate: 'alert-rate', passed: false, detail: 'model.json names no target alert rate, so the alert budget cannot be checked' });
  } else {
    // Counted on rows not labelled as attacks: attacks in the holdout are meant to alert, and counting them would reject a model for finding them.
    const limit = settings.maxAlertRateFactor * evidence.targetAlertRate;
    gates.push({
      gate: 'alert-rate',
      passed: evidence.normalAlertRate <= limit,
      detail: `alert rate on held-out normal rows ${pct(evidence.normalAlertRate)} against a limit of ${pct(limit)} (${settings.maxAlertRateFactor} × the ${pct(evidence.targetAlertRate)} target)`,
    });
  }
  if (evidence.rocAuc !== undefined) {
    gates.push({ gate: 'better-than-chance', passed: evidence.rocAuc > 0.5, detail: `ROC-AUC ${evidence.rocAuc.toFixed(4)} on labelled held-out rows (chance is 0.5)` });
  }
  return gates;
}

export function fmt(x: number): string {
  return Number.isFinite(x) ? x.toExponential(2) : String(x);
}

export function pct(x: number): string {
  return `${(100 * x).toFixed(3)}%`;
}
