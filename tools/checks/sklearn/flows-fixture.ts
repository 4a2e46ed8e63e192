import { readFileSync, writeFileSync } from 'node:fs';
import { FeaturePipeline, FlowRecord } from '../../../libs/ml/src/features';

/**
 * Featurises the traffic producer's labelled NetworkEvents (JSONL) with the default NetworkEvent pipeline
 * and writes the matrix as CSV (last column `label`, 1 = anomaly, i.e. any label but `normal`), so
 * scikit-learn and flowsentry train on the same numbers. Values are written with 6 significant digits,
 * then both sides read them as float32.
 */
const [events, out] = process.argv.slice(2);
if (!events || !out) throw new Error('usage: flows-fixture.ts <events.jsonl> <out.csv>');
const flows = readFileSync(events, 'utf8')
  .trim()
  .split('\n')
  .map((line) => JSON.parse(line) as FlowRecord & { label: string });
const pipeline = FeaturePipeline.fit(flows);
const matrix = pipeline.transform(flows);
const lines = [[...pipeline.featureNames, 'label'].join(',')];
for (let r = 0; r < matrix.rows; r++) {
  const row: string[] = [];
  for (let c = 0; c < matrix.cols; c++) row.push(String(Number(matrix.data[r * matrix.cols + c].toPrecision(6))));
  row.push(flows[r].label === 'normal' ? '0' : '1');
  lines.push(row.join(','));
}
writeFileSync(out, lines.join('\n') + '\n');
const attacks = new Map<string, number>();
for (const flow of flows) if (flow.label !== 'normal') attacks.set(flow.label, (attacks.get(flow.label) ?? 0) + 1);
console.log(`flows: ${matrix.rows} producer events, ${matrix.cols} features, anomalies ${[...attacks].map(([k, v]) => `${k} ${v}`).join(', ')}`);
