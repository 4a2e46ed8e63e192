import { averagePrecision, precisionRecallCurve, recallAtFpr, rocAuc, rocCurve } from '../../libs/ml/src/metrics';

/** What the report shows for one model's scores on one data set. Anomaly score = −score_samples. */
export interface QualityFigures {
  readonly rocAuc: number;
  readonly averagePrecision: number;
  /** Recall with at most 1% of normal rows above the threshold. */
  readonly recallAt1PctFpr: number;
  /** The same threshold's recall per attack kind (producer traffic only). */
  readonly recallByKind: Record<string, number>;
  readonly roc: Array<[number, number]>;
  readonly pr: Array<[number, number]>;
}

const CURVE_POINTS = 150;

function thin<T>(points: T[]): T[] {
  if (points.length <= CURVE_POINTS) return points;
  const step = points.length / CURVE_POINTS;
  const out: T[] = [];
  for (let i = 0; i < CURVE_POINTS; i++) out.push(points[Math.floor(i * step)]);
  out.push(points[points.length - 1]);
  return out;
}

export function qualityFigures(labels: Uint8Array, scoreSamples: Float64Array, kinds: readonly string[] | null): QualityFigures {
  const anomaly = Array.from(scoreSamples, (s) => -s);
  const { threshold, recall } = recallAtFpr(labels, anomaly, 0.01);
  const recallByKind: Record<string, number> = {};
  if (kinds) {
    const hits = new Map<string, [number, number]>();
    kinds.forEach((kind, i) => {
      if (kind === 'normal') return;
      const [hit, total] = hits.get(kind) ?? [0, 0];
      hits.set(kind, [hit + (anomaly[i] >= threshold ? 1 : 0), total + 1]);
    });
    for (const [kind, [hit, total]] of [...hits].sort()) recallByKind[kind] = hit / total;
  }
  const roc = rocCurve(labels, anomaly);
  const pr = precisionRecallCurve(labels, anomaly);
  return {
    rocAuc: rocAuc(labels, anomaly),
    averagePrecision: averagePrecision(labels, anomaly),
    recallAt1PctFpr: recall,
    recallByKind,
    roc: thin(roc.fpr.map((f, i): [number, number] => [f, roc.tpr[i]])),
    pr: thin(pr.recall.map((r, i): [number, number] => [r, pr.precision[i]])),
  };
}
