import { StandardScaling } from '../preprocessing/standard-scaling';
import { LandmarkSelection } from './landmark-selection';

/** How the dual was solved: libsvm's exact SMO, or a Nyström feature map with a linear one-class solver. */
export type OneClassSvmApproximation = 'exact' | 'nystroem';

/** Parameters after resolution against the training data. */
export interface OneClassSvmParams {
  readonly kernel: 'rbf';
  readonly nu: number;
  /** The resolved RBF γ (sklearn's `_gamma`): K(x, y) = exp(−γ‖x − y‖²). */
  readonly gamma: number;
  readonly approximation: OneClassSvmApproximation;
  /** Nyström landmarks actually used; null for 'exact'. */
  readonly nComponents: number | null;
  /** How the Nyström landmarks were drawn; null for 'exact'. */
  readonly landmarks: LandmarkSelection | null;
  /** Training rows kept (all of them unless maxSamples capped it). */
  readonly maxSamples: number;
  readonly scaling: 'none' | 'standard';
  /** Stopping tolerance on the KKT gap (sklearn's `tol`). */
  readonly tol: number;
  readonly seed: number;
}

/**
 * An RBF one-class SVM in libsvm's parameterisation (sklearn's OneClassSVM):
 *   decision_function(x) = Σ_i dualCoef_i · exp(−γ‖x − sv_i‖²) − rho,  score_samples = decision + offset.
 * For 'exact' the support vectors are training rows with 0 < α_i ≤ 1 (Σα = ν·n). For 'nystroem' they are
 * the landmarks and the coefficients fold the Nyström normalisation into the linear solution, so both
 * variants score, and export to ONNX, the same way.
 */
export interface OneClassSvmModel {
  readonly algorithm: 'one-class-svm';
  readonly nFeatures: number;
  readonly params: OneClassSvmParams;
  /** Applied to every row before the kernel; null for params.scaling 'none'. */
  readonly scaling: StandardScaling | null;
  /** Row-major, after scaling. */
  readonly supportVectors: Float64Array;
  readonly dualCoef: Float64Array;
  readonly rho: number;
  /** sklearn's `offset_` (= rho): decision_function = score_samples − offset. */
  readonly offset: number;
  /** Solver iterations, and whether the KKT gap fell below tol before the iteration limit. */
  readonly solver: { readonly iterations: number; readonly converged: boolean };
}
