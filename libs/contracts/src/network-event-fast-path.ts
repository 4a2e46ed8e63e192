import { CONN_STATES, MAX_FUTURE_SKEW_MS, MIN_TS_MS, PROTOCOLS } from './network-event';

/*
 * Ingest validates every event on its hot path, and the zod schema costs several microseconds per
 * event. This check accepts only what it can decide exactly and cheaply; everything else (IPv6, other
 * timestamp spellings, anything invalid) falls through to the zod schema, which stays the single
 * authority and the source of error messages. A differential spec asserts it never accepts what
 * the schema rejects. It returns the event time it read, so callers do not parse the timestamp twice.
 */

const PROTOCOL_SET = new Set<string>(PROTOCOLS);
const CONN_STATE_SET = new Set<string>(CONN_STATES);
const IPV4 = /^(?:(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])\.){3}(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])$/;
const TCP_FLAGS = /^[FSRPAUECN]*$/;
const MAX_DURATION_MS = 7 * 24 * 3600 * 1000;

/** The event time (epoch ms) of an event this check accepts; NaN when the schema must decide. */
export function fastAcceptedEventTimeMs(v: unknown, now = Date.now()): number {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return NaN;
  const e = v as Record<string, unknown>;
  const ms = timestampMs(e.ts, now);
  return !Number.isNaN(ms) && otherFieldsValid(e) ? ms : NaN;
}

export function fastAcceptNetworkEvent(v: unknown, now = Date.now()): boolean {
  return !Number.isNaN(fastAcceptedEventTimeMs(v, now));
}

function otherFieldsValid(e: Record<string, unknown>): boolean {
  return (
    optionalString(e.event_id, 1, 128) &&
    string(e.sensor_id, 1, 128) &&
    ipv4(e.src_ip) &&
    ipv4(e.dst_ip) &&
    port(e.src_port) &&
    port(e.dst_port) &&
    typeof e.protocol === 'string' &&
    PROTOCOL_SET.has(e.protocol) &&
    counter(e.bytes_in) &&
    counter(e.bytes_out) &&
    counter(e.packets_in) &&
    counter(e.packets_out) &&
    typeof e.duration_ms === 'number' &&
    e.duration_ms >= 0 &&
    e.duration_ms <= MAX_DURATION_MS &&
    (e.tcp_flags === undefined || (typeof e.tcp_flags === 'string' && e.tcp_flags.length <= 16 && TCP_FLAGS.test(e.tcp_flags))) &&
    (e.conn_state === undefined || (typeof e.conn_state === 'string' && CONN_STATE_SET.has(e.conn_state))) &&
    optionalString(e.app_proto, 0, 32) &&
    optionalString(e.label, 1, 64)
  );
}

function string(v: unknown, min: number, max: number): boolean {
  return typeof v === 'string' && v.length >= min && v.length <= max;
}

function optionalString(v: unknown, min: number, max: number): boolean {
  return v === undefined || string(v, min, max);
}

function ipv4(v: unknown): boolean {
  return typeof v === 'string' && v.length <= 15 && IPV4.test(v);
}

function port(v: unknown): boolean {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 65535;
}

function counter(v: unknown): boolean {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}

/** Epoch ms, or exactly the canonical `toISOString()` spelling (what most producers emit); NaN sends other spellings to the schema. */
function timestampMs(v: unknown, now: number): number {
  let ms: number;
  if (typeof v === 'number') {
    if (!Number.isSafeInteger(v)) return NaN;
    ms = v;
  } else if (typeof v === 'string') {
    ms = canonicalIsoMs(v);
  } else {
    return NaN;
  }
  return ms >= MIN_TS_MS && ms <= now + MAX_FUTURE_SKEW_MS ? ms : NaN;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** `YYYY-MM-DDTHH:MM:SS.sssZ` read digit by digit (Date.parse plus a round trip costs more than the rest of the check). */
function canonicalIsoMs(s: string): number {
  if (s.length !== 24 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || s.charCodeAt(10) !== 84 || s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58 || s.charCodeAt(19) !== 46 || s.charCodeAt(23) !== 90) {
    return NaN;
  }
  const year = digits(s, 0, 4);
  const month = digits(s, 5, 2);
  const day = digits(s, 8, 2);
  const hour = digits(s, 11, 2);
  const minute = digits(s, 14, 2);
  const second = digits(s, 17, 2);
  const milli = digits(s, 20, 3);
  if (year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59 || milli < 0) return NaN;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  if (day > (month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1]!)) return NaN;
  return Date.UTC(year, month - 1, day, hour, minute, second, milli);
}

/** The decimal number in s[from, from+count), or -1 if any character is not a digit. */
function digits(s: string, from: number, count: number): number {
  let n = 0;
  for (let i = from; i < from + count; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}
