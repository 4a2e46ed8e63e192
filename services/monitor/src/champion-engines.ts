import { AnomalyAlgorithm, AttributionMatrix, ForestKernelScorer, OnnxScorer, onnxSliceRows, PathAttribution, scoreInSlices } from '@flowsentry/ml';
import { BatchScorer } from './champion-baseline';
import { DeviationAttribution } from './deviation-attribution';

export interface FlowExplainer {
  /** Per-feature share of what makes a row anomalous, summing to 1. */
  explain(matrix: AttributionMatrix, row: number): Float64Array;
}

/** A scorer the monitor holds while its champion is in force, and releases (threads, sessions) when it is not. */
export type ChampionScorer = BatchScorer & { release(): Promise<void> };

/**
 * How a champion is scored and explained, by algorithm. A forest keeps the WebAssembly kernel (~3×
 * onnxruntime per thread) and its path attribution. LOF and SVM champions are scored by onnxruntime,
 * the engine the evaluator judged them with (in slices: their graphs' memory grows with batch ×
 * stored rows), and explained by their standardised deviation from the training mean.
 */
export async function championEngines(onnx: Uint8Array, algorithm: AnomalyAlgorithm, threads: number): Promise<{ scorer: ChampionScorer; explainer: FlowExplainer }> {
  if (algorithm === 'isolation-forest') {
    const explainer = PathAttribution.fromOnnx(onnx);
    return { scorer: await ForestKernelScorer.create(onnx, { threads }), explainer };
  }
  const explainer = DeviationAttribution.fromOnnx(onnx);
  const session = await OnnxScorer.create(onnx, { threads });
  const sliceRows = onnxSliceRows(session.metadata);
  return { scorer: { score: (matrix) => scoreInSlices(session, matrix, sliceRows), release: () => session.release() }, explainer };
}
