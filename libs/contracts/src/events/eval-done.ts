import { z } from 'zod';
import { cloudEvent } from '../envelope';
import { objectKey } from './common';

export const EVAL_DONE_TYPE = 'io.flowsentry.eval.done.v1';

export const PromotionDecision = z.enum(['approved', 'pending', 'rejected']);
export type PromotionDecision = z.infer<typeof PromotionDecision>;

export const EvalDoneData = z.object({
  modelName: z.string().min(1),
  version: z.string().min(1),
  evalKey: objectKey,
  /** The self-contained HTML report beside report.json. */
  htmlKey: objectKey.optional(),
  metrics: z.record(z.string(), z.number()),
  decision: PromotionDecision,
  reason: z.string(),
  /** True when this evaluation made the model the champion (auto policy); the move itself is announced on `champion.changed`. */
  promoted: z.boolean(),
  champion: z.object({ version: z.string(), metrics: z.record(z.string(), z.number()) }).optional(),
});
export type EvalDoneData = z.infer<typeof EvalDoneData>;
export const EvalDoneEvent = cloudEvent(EVAL_DONE_TYPE, EvalDoneData);
