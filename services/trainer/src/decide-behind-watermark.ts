import { StreamEnd } from './dataset-catalog';
import { Watermark } from './event-time-watermark';
import { SourceStreams } from './source-streams';
import { TrainingTrigger, TriggerDecision } from './training-trigger';

/**
 * A trigger decision behind the watermark. The streams on record decide first; only a decision to
 * train asks the broker which source partitions hold data and decides again counting them, so that
 * a partition whose first dataset is still on its way is waited for, at the cost of one broker
 * round trip per model rather than per event.
 */
export async function decideBehindWatermark(
  trigger: TrainingTrigger,
  onRecord: readonly StreamEnd[],
  sources: SourceStreams,
  decide: (watermark: Watermark | undefined) => TriggerDecision,
): Promise<TriggerDecision> {
  const onRecordOnly = decide(trigger.watermark(onRecord, []));
  if (!onRecordOnly.train) return onRecordOnly;
  return decide(trigger.watermark(onRecord, await sources.list()));
}
