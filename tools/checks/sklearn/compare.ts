import { trainIsolationForest } from '../../../libs/ml/src/forest';
import { referenceScore } from '../../../libs/ml/src/scoring/reference-score';
import { loadLabelledMatrix, loadSklearnReference, rocAuc } from '../../../libs/ml/fixtures/forest/parity-fixtures';

/** Prints flowsentry vs scikit-learn ROC-AUC (mean over the same 10 seeds) per fixture; exits 1 beyond 0.02. */
const TOLERANCE = 0.02;
const reference = loadSklearnReference();
let failed = false;
console.log(`scikit-learn ${reference.sklearnVersion}, seeds ${reference.seeds.join(',')}`);
console.log('dataset      rows  cols  anomalies  sklearn AUC  flowsentry AUC   diff');
for (const [name, ref] of Object.entries(reference.datasets)) {
  const { matrix, labels } = loadLabelledMatrix(name);
  let sum = 0;
  for (const seed of reference.seeds) {
    const { scoreSamples } = referenceScore(trainIsolationForest(matrix, { seed }), matrix);
    sum += rocAuc(labels, scoreSamples.map((s) => -s));
  }
  const ours = sum / reference.seeds.length;
  const diff = ours - ref.meanAuc;
  failed ||= Math.abs(diff) > TOLERANCE;
  console.log(
    `${name.padEnd(11)} ${String(ref.rows).padStart(5)} ${String(ref.cols).padStart(5)} ${String(ref.anomalies).padStart(10)} ${ref.meanAuc.toFixed(4).padStart(12)} ${ours.toFixed(4).padStart(15)} ${diff.toFixed(4).padStart(7)}`,
  );
}
process.exit(failed ? 1 : 0);
