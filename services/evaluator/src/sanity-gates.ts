/** What the gates look at, measured on the held-out rows. */
export interface GateEvidence {
  agreement: { rows: number; maxAbsDiff: number | null; error?: string; notApplicable?: string };
  /** Every challenger score is a finite number. */
  finiteScores: boolean;
  /** Alert rate on the held-out rows not labelled as attacks. */
  normalAlertRate: number;
  /** Rows that rate was counted on. */
  normalRows: number;
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
  if (agreement.notApplicable !== undefined) {
    gates.push({ gate: 'engine-agreement', passed: true, detail: `not applicable: ${agreement.notApplicable}` });
  } else {
    const maxAbsDiff = agreement.maxAbsDiff ?? Infinity;
    gates.push({
      gate: 'engine-agreement',
      passed: agreement.error === undefined && maxAbsDiff <= settings.agreementTolerance,
      detail: agreement.error ?? `onnxruntime and the forest kernel differ by at most ${fmt(maxAbsDiff)} on ${agreement.rows} held-out rows (tolerance ${fmt(settings.agreementTolerance)})`,
    });
  }
  gates.push({ gate: 'finite-scores', passed: evidence.finiteScores, detail: evidence.finiteScores ? 'every held-out row has a finite score' : 'some held-out rows score NaN or ±Infinity' });
  if (evidence.targetAlertRate === null) {
    gates.push({ gate: 'alert-rate', passed: false, detail: 'model.json names no target alert rate, so the alert budget cannot be checked' });
  } else {
    // Counted on rows not labelled as attacks: attacks in the holdout are meant to alert, and counting them would reject a model for finding them.
    const limit = alertRateLimit(evidence.targetAlertRate, evidence.normalRows, settings.maxAlertRateFactor);
    gates.push({
      gate: 'alert-rate',
      passed: evidence.normalAlertRate <= limit,
      detail: `alert rate on ${evidence.normalRows} held-out normal rows ${pct(evidence.normalAlertRate)} against a limit of ${pct(limit)} (${settings.maxAlertRateFactor} × the ${pct(evidence.targetAlertRate)} target, plus three standard errors of a rate counted on that many rows)`,
    });
  }
  if (evidence.rocAuc !== undefined) {
    gates.push({ gate: 'better-than-chance', passed: evidence.rocAuc > 0.5, detail: `ROC-AUC ${evidence.rocAuc.toFixed(4)} on labelled held-out rows (chance is 0.5)` });
  }
  return gates;
}

/**
 * The highest normal-row alert rate that still keeps the budget. The factor allows for traffic
 * moving between training and holdout; the binomial term allows for counting: at a 0.1% target,
 * 4,000 rows expect 4 alerts with a standard deviation of 2, so 13 alerts (0.33%) is noise,
 * not a broken model, and a fixed 3× would reject it. On large holdouts the term vanishes.
 */
export function alertRateLimit(target: number, rows: number, factor: number): number {
  const standardError = rows > 0 ? Math.sqrt((target * (1 - target)) / rows) : 1;
  return factor * target + 3 * standardError;
}

export function fmt(x: number): string {
  return Number.isFinite(x) ? x.toExponential(2) : String(x);
}

export function pct(x: number): string {
  return `${(100 * x).toFixed(3)}%`;
}
