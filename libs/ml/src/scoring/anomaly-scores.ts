import { ForestScores } from './forest-scores';

/** What every float64 reference scorer returns (forest, LOF, one-class SVM): sklearn's three outputs per row. */
export type AnomalyScores = ForestScores & { scoreSamples: Float64Array; decision: Float64Array };
