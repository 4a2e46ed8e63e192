import { z } from 'zod';
import { cloudEvent } from '../envelope';
import { objectKey, sha256Hex } from './common';

export const CHAMPION_CHANGED_TYPE = 'io.flowsentry.champion.changed.v1';

/** How the champion alias moved: the evaluator's automatic promotion, or a person's approval or rollback. */
export const ChampionChange = z.enum(['promotion', 'approval', 'rollback']);
export type ChampionChange = z.infer<typeof ChampionChange>;

/**
 * The model that scores live traffic changed. `eval.done` says what an evaluation decided; this
 * says what is live now, whoever moved it, so a consumer (the monitor) follows one topic for every
 * promotion, approval and rollback. Sent from the registry's outbox: one event per alias move,
 * its id derived from the move, in the order the moves were made (key: model name).
 */
export const ChampionChangedData = z.object({
  modelName: z.string().min(1),
  version: z.string().min(1),
  previousVersion: z.string().min(1).nullable(),
  change: ChampionChange,
  actor: z.string().min(1),
  reason: z.string().min(1),
  onnxKey: objectKey,
  sha256: sha256Hex,
  metadataKey: objectKey,
  changedAt: z.iso.datetime(),
});
export type ChampionChangedData = z.infer<typeof ChampionChangedData>;
export const ChampionChangedEvent = cloudEvent(CHAMPION_CHANGED_TYPE, ChampionChangedData);
