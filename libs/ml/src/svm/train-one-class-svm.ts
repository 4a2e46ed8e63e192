import { FeatureMatrix } from '../features/feature-matrix';
import { DEFAULT_SEED } from '../forest/train-isolation-forest';
import { assertFiniteMatrix } from '../preprocessing/finite-values';
import { fitStandardScaling, ScalingOption, scaledRows } from '../preprocessing/standard-scaling';
import { resolveMaxSamples, resolveSeed, trainingSubsample } from '../preprocessing/training-subsample';
import { KernelColumnCache } from './kernel-column-cache';
import { LANDMARK_SELECTIONS, LandmarkSelection } from './landmark-selection';
import { LinearOneClassSolution, solveLinearOneClass } from './linear-one-class-solver';
import { fitNystroem, landmarkCoefficients, NystroemFeatures } from './nystroem';
import { solveOneClassSmo } from './one-class-smo';
import { OneClassSvmApproximation, OneClassSvmModel } from './one-class-svm-model';
import { RbfTrainingColumns, resolveGamma } from './rbf-kernel';

/** Options named after scikit-learn's OneClassSVM (and Nystroem), with their defaults. */
export interface OneClassSvmOptions {
  /** Upper bound on the share of training outliers, lower bound on the share of support vectors (default 0.5). */
  readonly nu?: number;
  readonly gamma?: 'scale' | 'auto' | number;
  readonly kernel?: 'rbf';
  /**
   * 'exact' (default): libsvm's SMO on the training rows, O(n²) kernel evaluations and up to n support
   * vectors. 'nystroem': an nComponents-landmark kernel approximation with liblinear's linear one-class
   * solver, O(n·m²) and m "support vectors" whatever n is.
   */
  readonly approximation?: OneClassSvmApproximation;
  /** Nyström landmarks (default 100, sklearn's Nystroem default). */
  readonly nComponents?: number;
  /** How Nyström draws its landmarks (default 'uniform', sklearn's Nystroem; see LandmarkSelection). */
  readonly landmarks?: LandmarkSelection;
  /** Train on at most this many rows drawn with `seed` (default 'all'). */
  readonly maxSamples?: 'all' | number;
  /** Standardise columns on the training rows first (default 'none', sklearn's bare estimator). */
  readonly scaling?: ScalingOption;
  /** KKT gap at which the solver stops (default 1e-3, sklearn's tol). */
  readonly tol?: number;
  /** Kernel column cache for 'exact' (default 200 MB, sklearn's cache_size). */
  readonly cacheMb?: number;
  /** Iteration cap for 'exact' (default libsvm's max(10⁷, 100·n)). */
  readonly maxIterations?: number;
  readonly seed?: number;
}

export function trainOneClassSvm(matrix: FeatureMatrix, options: OneClassSvmOptions = {}): OneClassSvmModel {
  assertFiniteMatrix(matrix, 'training matrix');
  if (matrix.rows < 1) throw new RangeError('a one-class SVM needs at least 1 training row');
  const nu = options.nu ?? 0.5;
  if (!(nu > 0 && nu <= 1)) throw new RangeError(`nu must be in (0, 1], got ${nu}`);
  const kernel = options.kernel ?? 'rbf';
  if (kernel !== 'rbf') throw new RangeError(`only the 'rbf' kernel is implemented, got '${String(kernel)}'`);
  const approximation = options.approximation ?? 'exact';
  if (approximation !== 'exact' && approximation !== 'nystroem') throw new RangeError(`approximation must be 'exact' or 'nystroem', got '${String(approximation)}'`);
  const tol = options.tol ?? 1e-3;
  if (!(tol > 0)) throw new RangeError(`tol must be positive, got ${tol}`);
  const seed = resolveSeed(options.seed, DEFAULT_SEED);
  const scalingOption = options.scaling ?? 'none';

  const sample = trainingSubsample(matrix, resolveMaxSamples(options.maxSamples, matrix.rows), seed);
  const scaling = scalingOption === 'standard' ? fitStandardScaling(sample) : null;
  const rows = scaledRows(sample, scaling);
  const cols = sample.cols;
  const gamma = resolveGamma(options.gamma ?? 'scale', rows, cols);
  const common = { nFeatures: matrix.cols, scaling };
  const params = { kernel, nu, gamma, approximation, maxSamples: sample.rows, scaling: scalingOption, tol, seed };

  if (approximation === 'nystroem') {
    const components = options.nComponents ?? 100;
    if (!Number.isInteger(components) || components < 1) throw new RangeError(`nComponents must be a positive integer, got ${components}`);
    const landmarks = options.landmarks ?? 'uniform';
    if (!LANDMARK_SELECTIONS.includes(landmarks)) throw new RangeError(`landmarks must be one of ${LANDMARK_SELECTIONS.join(', ')}, got '${String(landmarks)}'`);
    const map = fitNystroem(rows, cols, components, gamma, seed, landmarks);
    const features = NystroemFeatures.of(map, rows, cols, gamma);
    let solution: LinearOneClassSolution;
    try {
      solution = solveLinearOneClass(features, nu, tol);
    } finally {
      features.release();
    }
    // w·φ(x) = w·R⁻¹k(x, L) = (R⁻ᵀw)·k(x, L): the landmarks carry the coefficients.
    const dualCoef = landmarkCoefficients(map, solution.w);
    const m = map.count;
    return {
      algorithm: 'one-class-svm',
      ...common,
      params: { ...params, nComponents: m, landmarks },
      supportVectors: map.landmarks,
      dualCoef,
      rho: solution.rho,
      offset: solution.rho,
      solver: { iterations: solution.iterations, converged: solution.converged },
    };
  }

  const l = sample.rows;
  const columns = new RbfTrainingColumns(rows, cols, gamma);
  const cache = new KernelColumnCache(l, (options.cacheMb ?? 200) * 1024 * 1024, (i, out) => columns.column(i, out));
  const solution = solveOneClassSmo({
    size: l,
    nu,
    column: (i) => cache.column(i),
    diagonal: new Float64Array(l).fill(1), // exp(−γ·0)
    tol,
    maxIterations: options.maxIterations ?? Math.max(10_000_000, 100 * l),
  });
  let count = 0;
  for (let i = 0; i < l; i++) if (solution.alpha[i] > 0) count++;
  const supportVectors = new Float64Array(count * cols);
  const dualCoef = new Float64Array(count);
  for (let i = 0, s = 0; i < l; i++) {
    if (!(solution.alpha[i] > 0)) continue;
    supportVectors.set(rows.subarray(i * cols, (i + 1) * cols), s * cols);
    dualCoef[s++] = solution.alpha[i];
  }
  return {
    algorithm: 'one-class-svm',
    ...common,
    params: { ...params, nComponents: null, landmarks: null },
    supportVectors,
    dualCoef,
    rho: solution.rho,
    offset: solution.rho,
    solver: { iterations: solution.iterations, converged: solution.converged },
  };
}
