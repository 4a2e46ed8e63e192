import { writeFileSync } from 'node:fs';
import { FeaturePipeline } from '../../../libs/ml/src/features';
import { syntheticFlows } from './synthetic-flows';

/**
 * Featurises synthetic labelled flows with the default NetworkEvent pipeline and writes the matrix as CSV
 * (last column `label`, 1 = anomaly), so scikit-learn and flowsentry train on the same numbers.
 * Values are written with 6 significant digits, then both sides read them as float32.
 */
const [out, rowsArg = '1000'] = process.argv.slice(2);
if (!out) throw new Error('usage: flows-fixture.ts <out.csv> [rows]');
const flows = syntheticFlows(Number(rowsArg), 0.05, 20250106);
const pipeline = FeaturePipeline.fit(flows);
const matrix = pipeline.transform(flows);
const lines = [[...pipeline.featureNames, 'label'].join(',')];
for (let r = 0; r < matrix.rows; r++) {
  const row: string[] = [];
  for (let c = 0; c < matrix.cols; c++) row.push(String(Number(matrix.data[r * matrix.cols + c].toPrecision(6))));
  row.push(flows[r].label ? '1' : '0');
  lines.push(row.join(','));
}
writeFileSync(out, lines.join('\n') + '\n');
console.log(`flows: ${matrix.rows} rows, ${matrix.cols} features, ${flows.filter((f) => f.label).length} anomalies`);
