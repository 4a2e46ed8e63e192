import { PipelineEventOf, Topics } from '@flowsentry/contracts';
import { readTopic } from '@flowsentry/messaging';
import { formatRef, sha256Hex, silverRef, writeParquet } from '@flowsentry/storage';
import { eventually } from '../../test/support/eventually';
import { PipelineFixture } from '../../test/support/pipeline-fixture';
import { startService } from '../../test/support/service-process';
import { CatalogDataset } from '../../services/trainer/src/dataset-catalog';
import { FEATURE_VERSION, silverTable } from '../../services/trainer/test/silver-fixtures';
import { silverReadyEvent } from '../../services/trainer/test/trainer-fakes';

/**
 * The model half of the pipeline on the real stack, trainer and evaluator as their own processes
 * with default settings (100 trees, 256 samples, 20 % holdout):
 *   silver.ready → model.trained: from sending the silver.ready that brings the catalog to
 *     TRAINER_MIN_ROWS to the model.trained record's broker timestamp (read + verify SILVER, fit
 *     the features, grow the forest, export, write, register, emit);
 *   model.trained → eval.done: between the two records' broker timestamps (load and check the
 *     ONNX, read the holdout, score with onnxruntime and with the forest kernel, judge, report);
 *   the evaluator's scoring rate per engine on the holdout (from its step record).
 * SILVER is written straight to MinIO in datasets of 5,000 rows (a transform batch at the ingest
 * default), so the holdout is whole datasets as in production; all datasets but the last are
 * announced and recorded first, so the first figure is the training step alone. Not a test.
 * Usage: bench/models/run.sh [rows...]   (one run per window size, default 50000 and 1000000 rows)
 */
const HOUR = 3_600_000;

async function main(): Promise<void> {
  const rows = Number(process.argv[2] ?? 50_000);
  const rowsPerDataset = Number(process.argv[3] ?? 5_000);
  const fx = new PipelineFixture();
  await fx.setUp(3);
  const model = `${fx.prefix}-bench`;
  const datasets: CatalogDataset[] = [];
  for (let i = 0; i * rowsPerDataset < rows; i++) {
    const n = Math.min(rowsPerDataset, rows - i * rowsPerDataset);
    const startMs = Date.parse('2026-09-01T00:00:00Z') + i * HOUR;
    const datasetId = `${fx.prefix}.network.events-p0-${i}.${FEATURE_VERSION}`;
    const bytes = await writeParquet(silverTable({ rows: n, seed: i, startMs, spanMs: HOUR - 1, attackEvery: 500 }));
    const ref = silverRef(datasetId, '2026-09-01');
    await fx.store.put(ref, bytes, 'application/vnd.apache.parquet');
    datasets.push({ datasetId, silverKey: formatRef(ref), sha256: sha256Hex(bytes), rows: n, featureVersion: FEATURE_VERSION, minEventTime: startMs, maxEventTime: startMs + HOUR - 1 });
  }
  const evaluator = await startService('evaluator', fx.serviceEnv('evaluator', { EVALUATOR_ANNOUNCE_MODEL_PREFIX: fx.prefix, LOG_LEVEL: 'warn' }));
  const trainer = await startService('trainer', fx.serviceEnv('trainer', { TRAINER_MODEL_NAME: model, TRAINER_MIN_ROWS: String(rows), TRAINER_WINDOW_ROWS: String(rows), TRAINER_RETRAIN_MIN_ROWS: String(rows) }));
  try {
    const processed = async () => (await fx.db.query(`SELECT count(*)::int AS n FROM processed_events WHERE consumer_group = $1`, [fx.group('trainer')]))[0].n as number;
    const announce = (d: CatalogDataset) => fx.producer.emit(Topics.silverReady, d.datasetId, silverReadyEvent(d), `bench-${d.datasetId}`);
    for (const d of datasets.slice(0, -1)) await announce(d);
    await eventually(async () => (await processed()) === datasets.length - 1, 'the datasets before the threshold', 600_000, 200);

    const sentAt = Date.now();
    await announce(datasets.at(-1)!);
    const first = (topic: typeof Topics.modelTrained | typeof Topics.evalDone) =>
      eventually(async () => (await readTopic(fx.kafka, fx.topic(topic), { count: 1, timeoutMs: 1_000 }))[0], topic, 1_800_000, 100);
    const trainedRecord = await first(Topics.modelTrained);
    const doneRecord = await first(Topics.evalDone);
    const trained = JSON.parse(trainedRecord.value!.toString()) as PipelineEventOf<typeof Topics.modelTrained>;
    const done = JSON.parse(doneRecord.value!.toString()) as PipelineEventOf<typeof Topics.evalDone>;
    const [evaluation] = await fx.db.query(`SELECT details FROM step_records WHERE service = 'evaluator' AND step = 'evaluation' AND input_ref = $1`, [trained.data.onnxKey]);
    const m = trained.data.trainMetrics;
    console.log(
      JSON.stringify({
        rows,
        datasets: datasets.length,
        trainingRows: m.training_rows,
        holdoutRows: m.holdout_rows,
        silverReadyToModelTrainedSeconds: round((Number(trainedRecord.timestamp) - sentAt) / 1000),
        trainingSeconds: m.training_seconds,
        modelTrainedToEvalDoneSeconds: round((Number(doneRecord.timestamp) - Number(trainedRecord.timestamp)) / 1000),
        evaluationSeconds: round(evaluation?.details?.seconds ?? NaN),
        decision: done.data.decision,
        scoringRowsPerSecond: evaluation?.details?.rowsPerSecond ?? null,
      }),
    );
  } finally {
    for (const service of [trainer, evaluator]) {
      service.kill('SIGTERM');
      await service.exited;
    }
    await fx.tearDown();
  }
}

function round(seconds: number): number {
  return Number(seconds.toFixed(2));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
