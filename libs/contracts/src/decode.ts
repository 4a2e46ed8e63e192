import { z } from 'zod';
import { eventTimeMs, NetworkEvent, NetworkEventV1 } from './network-event';
import { fastAcceptedEventTimeMs } from './network-event-fast-path';
import { PipelineEventOf, PipelineEvents, PipelineTopic } from './registry';

export type DecodeFailureReason = 'empty' | 'not-utf8' | 'too-large' | 'malformed-json' | 'schema';

/** A payload that cannot be processed; `reason` is the machine-readable DLQ reason. */
export class DecodeError extends Error {
  constructor(
    readonly reason: DecodeFailureReason,
    message: string,
  ) {
    super(message);
    this.name = 'DecodeError';
  }
}

export type Decoded<T> = { ok: true; value: T } | { ok: false; error: DecodeError };
/** A valid event and its time in epoch ms, read once by whichever check accepted it. */
export type DecodedNetworkEvent = { ok: true; value: NetworkEvent; eventTimeMs: number } | { ok: false; error: DecodeError };

const utf8 = new TextDecoder('utf-8', { fatal: true });

export function decodeJson(payload: Buffer | null | undefined, maxBytes = Infinity): Decoded<unknown> {
  if (!payload || payload.length === 0) return fail('empty', 'message has no value');
  if (payload.length > maxBytes) return fail('too-large', `message is ${payload.length} bytes, limit is ${maxBytes}`);
  let text: string;
  try {
    text = utf8.decode(payload);
  } catch {
    return fail('not-utf8', 'message value is not valid UTF-8');
  }
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (err) {
    return fail('malformed-json', `message value is not JSON: ${(err as Error).message}`);
  }
}

export function decodeNetworkEvent(payload: Buffer | null | undefined, maxBytes = Infinity): DecodedNetworkEvent {
  const json = decodeJson(payload, maxBytes);
  if (!json.ok) return json;
  // The common, clearly valid case skips the schema; the schema decides every other case.
  const fastMs = fastAcceptedEventTimeMs(json.value);
  if (!Number.isNaN(fastMs)) return { ok: true, value: json.value as NetworkEvent, eventTimeMs: fastMs };
  const checked = validate(NetworkEventV1, json.value);
  return checked.ok ? { ok: true, value: checked.value, eventTimeMs: eventTimeMs(checked.value) } : checked;
}

export function decodePipelineEvent<T extends PipelineTopic>(topic: T, payload: Buffer | null | undefined): Decoded<PipelineEventOf<T>> {
  const json = decodeJson(payload);
  return json.ok ? (validate(PipelineEvents[topic].schema, json.value) as Decoded<PipelineEventOf<T>>) : json;
}

export function validate<S extends z.ZodType>(schema: S, value: unknown): Decoded<z.infer<S>> {
  const result = schema.safeParse(value);
  if (result.success) return { ok: true, value: result.data };
  return fail('schema', formatIssues(result.error));
}

/** "src_port: Too big: expected number to be <=65535; dst_ip: must be an IPv4 or IPv6 address" */
export function formatIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.length ? issue.path.join('.') : '(root)'}: ${issue.message}`)
    .join('; ');
}

function fail(reason: DecodeFailureReason, message: string): { ok: false; error: DecodeError } {
  return { ok: false, error: new DecodeError(reason, message) };
}
