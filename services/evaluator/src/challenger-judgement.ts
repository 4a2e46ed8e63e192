import { AnomalyAlgorithm } from '@flowsentry/ml';
import { EngineAgreement } from './engine-agreement';
import { EvaluationReport, flatMetrics, ModelEvaluation, REPORT_FORMAT } from './evaluation-report';
import { Holdout } from './holdout';
import { championAgreement, HoldoutScores, histograms, labelledMetrics, unlabelledMetrics } from './holdout-metrics';
import { ChampionComparison, decide, PolicyName, PRIMARY_METRIC } from './promotion-policy';
import { sanityGates } from './sanity-gates';

/** A model's scores on the held-out rows and what identifies it. */
export interface ScoredModel extends HoldoutScores {
  version: string;
  algorithm: AnomalyAlgorithm;
  onnxKey: string;
  sha256: string;
  targetAlertRate: number | null;
}

export interface JudgementSettings {
  policy: PolicyName;
  tolerance: number;
  agreementTolerance: number;
  agreementSample: number;
  maxAlertRateFactor: number;
  fpr: number;
  topK: number;
}

export interface JudgementInput {
  modelName: string;
  holdout: Pick<Holdout, 'rows' | 'datasets' | 'labels'>;
  agreement: EngineAgreement;
  challenger: ScoredModel;
  /** null: no champion; `unscored`: one exists but could not be scored on these rows. */
  champion: ScoredModel | { version: string; unscored: string } | null;
}

/**
 * Everything the evaluator concludes from the scores: each model's metrics on the held-out rows,
 * the sanity gates, the comparison with the champion and the policy's decision, as the report.
 * Pure: the same scores give the same report, byte for byte once serialized.
 */
export function judgeChallenger(input: JudgementInput, settings: JudgementSettings): EvaluationReport {
  const { holdout } = input;
  const challenger = evaluateModel(input.challenger, holdout, settings);
  const scoredChampion = input.champion !== null && !('unscored' in input.champion) ? input.champion : undefined;
  const champion = scoredChampion ? evaluateModel(scoredChampion, holdout, settings) : undefined;

  const finiteBoth = challenger.unlabelled.finite && champion?.unlabelled.finite;
  const agreement = scoredChampion && finiteBoth ? championAgreement(input.challenger.anomaly, scoredChampion.anomaly, settings.topK) : undefined;
  const comparison: ChampionComparison =
    input.champion === null
      ? { kind: 'none' }
      : 'unscored' in input.champion
        ? { kind: 'unscored', version: input.champion.version, reason: input.champion.unscored }
        : champion?.labelled && challenger.labelled
          ? { kind: 'labelled', version: input.champion.version, challenger: challenger.labelled.rocAuc, champion: champion.labelled.rocAuc }
          : champion && !champion.unlabelled.finite
            ? { kind: 'unscored', version: input.champion.version, reason: 'its scores on these rows are not all finite' }
            : { kind: 'unlabelled', version: input.champion.version };

  const gates = sanityGates(
    {
      agreement: input.agreement,
      finiteScores: challenger.unlabelled.finite,
      normalAlertRate: challenger.unlabelled.normalAlertRate,
      normalRows: challenger.unlabelled.normalRows,
      targetAlertRate: input.challenger.targetAlertRate,
      rocAuc: challenger.labelled?.rocAuc,
    },
    { agreementTolerance: settings.agreementTolerance, maxAlertRateFactor: settings.maxAlertRateFactor },
  );
  const { policy, decision, reason } = decide(settings.policy, gates, comparison, settings.tolerance);
  // Scores of different algorithms are on different scales (a forest's in [0, 1], a LOF's up to 1e10): only ranks compare, so no shared bins.
  const histChampion = scoredChampion?.algorithm === input.challenger.algorithm ? scoredChampion : undefined;
  const hist = histograms(histChampion ? [input.challenger.anomaly, histChampion.anomaly] : [input.challenger.anomaly]);

  return {
    format: REPORT_FORMAT,
    modelName: input.modelName,
    version: input.challenger.version,
    policy,
    decision,
    reason,
    gates,
    holdout: { rows: holdout.rows, datasets: holdout.datasets, labelled: holdout.labels.labelled, attackTypes: holdout.labels.attackTypes },
    agreement: { ...input.agreement, tolerance: settings.agreementTolerance },
    challenger,
    champion: champion ?? (input.champion !== null && 'unscored' in input.champion ? input.champion : null),
    comparison: { primaryMetric: holdout.labels.labelled ? PRIMARY_METRIC : null, tolerance: settings.tolerance, ...(agreement ? { agreement } : {}) },
    histogram: { edges: hist.edges, challenger: hist.counts[0]!, ...(histChampion ? { champion: hist.counts[1]! } : {}) },
    metrics: flatMetrics(challenger, {
      positives: Object.values(holdout.labels.attackTypes).reduce((a, b) => a + b, 0),
      agreementMaxAbsDiff: input.agreement.maxAbsDiff ?? undefined,
      spearmanWithChampion: agreement?.spearman,
      topKOverlapWithChampion: agreement?.topKOverlap,
    }),
    ...(champion ? { championMetrics: flatMetrics(champion) } : {}),
    settings: { fpr: settings.fpr, topK: settings.topK, agreementSample: settings.agreementSample, maxAlertRateFactor: settings.maxAlertRateFactor },
  };
}

function evaluateModel(model: ScoredModel, holdout: JudgementInput['holdout'], settings: JudgementSettings): ModelEvaluation {
  const unlabelled = unlabelledMetrics(model, holdout.labels);
  // rankByScore refuses NaN; a model with non-finite scores fails its gate and gets no label metrics.
  const labelled = holdout.labels.labelled && unlabelled.finite ? labelledMetrics(model, holdout.labels, settings) : undefined;
  return {
    version: model.version,
    algorithm: model.algorithm,
    onnxKey: model.onnxKey,
    sha256: model.sha256,
    threshold: model.threshold,
    targetAlertRate: model.targetAlertRate,
    unlabelled,
    ...(labelled ? { labelled: labelled.metrics, curves: labelled.curves } : {}),
  };
}
