import { ObjectRef } from './layers';

/** UTC calendar day, the partition column every layer's keys start with. */
export function dayOf(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(0, 10);
}

/**
 * RAW key from the Kafka coordinates of the batch only, so a retry or a replay of the same
 * offsets writes the same key. The day is the first message's Kafka timestamp, not the
 * wall clock, for the same reason.
 */
export function rawBatchRef(topic: string, partition: number, firstOffset: string, lastOffset: string, firstTimestampMs: number): ObjectRef {
  return { layer: 'raw', key: `date=${dayOf(firstTimestampMs)}/${topic}/p${partition}-${firstOffset}-${lastOffset}.jsonl.gz` };
}

export function silverRef(datasetId: string, day: string): ObjectRef {
  return { layer: 'silver', key: `date=${day}/${datasetId}.parquet` };
}

export function modelRefs(name: string, version: string): { onnx: ObjectRef; metadata: ObjectRef } {
  return { onnx: { layer: 'models', key: `${name}/${version}/model.onnx` }, metadata: { layer: 'models', key: `${name}/${version}/model.json` } };
}

export function evalReportRef(name: string, version: string): ObjectRef {
  return { layer: 'eval', key: `${name}/${version}/report.json` };
}
