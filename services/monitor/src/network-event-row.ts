import { NetworkEvent, NetworkEventV1 } from '@flowsentry/contracts';
import { SilverRows, SilverValue } from '@flowsentry/storage';

/** NetworkEvent v1 fields in schema order, as SILVER keeps them (services/transform silver-table.ts). */
const REQUIRED_FIELDS = ['ts', 'sensor_id', 'src_ip', 'dst_ip', 'src_port', 'dst_port', 'protocol', 'bytes_in', 'bytes_out', 'packets_in', 'packets_out', 'duration_ms'] as const;
const OPTIONAL_FIELDS = ['event_id', 'tcp_flags', 'conn_state', 'app_proto', 'label'] as const;
const FIELD_ORDER = ['event_id', ...REQUIRED_FIELDS, 'tcp_flags', 'conn_state', 'app_proto', 'label'] as const;
type EventField = (typeof FIELD_ORDER)[number];
/** The largest epoch ms a Date holds; beyond it toISOString throws. */
const MAX_DATE_MS = 8.64e15;

/**
 * Rebuilds the NetworkEvent a SILVER row was cleaned from, for anomalies.detected: SILVER keeps
 * every v1 field as its own column (int64 counters come back as bigint, ts as epoch ms), and an
 * optional field the event did not have is null there. So: bigint → number (counters are safe
 * integers by the schema), ts → ISO-8601, null optional fields left out, fields in schema order.
 *
 * The result is checked against NetworkEventV1, as a consumer would. A row that fails only on
 * optional fields (a conn_state written by a newer sensor version, say) is emitted without them;
 * one that fails on a required field cannot be emitted truthfully and yields undefined.
 */
export class NetworkEventRows {
  private readonly columns: Partial<Record<EventField, readonly SilverValue[]>> = {};
  /** Required fields the batch has no column for: no row of it can be rebuilt. */
  readonly missing: readonly string[];

  constructor(rows: Pick<SilverRows, 'names' | 'columns'>) {
    for (const field of FIELD_ORDER) {
      const index = rows.names.indexOf(field);
      if (index >= 0) this.columns[field] = rows.columns[index];
    }
    this.missing = REQUIRED_FIELDS.filter((f) => !this.columns[f]);
  }

  event(row: number): NetworkEvent | undefined {
    if (this.missing.length > 0) return undefined;
    const event: Record<string, unknown> = {};
    for (const field of FIELD_ORDER) {
      const value = this.cell(field, row);
      if (value !== undefined) event[field] = value;
    }
    const parsed = NetworkEventV1.safeParse(event);
    if (parsed.success) return event as NetworkEvent;
    const bad = new Set(parsed.error.issues.map((issue) => String(issue.path[0])));
    if (![...bad].every((field) => (OPTIONAL_FIELDS as readonly string[]).includes(field))) return undefined;
    for (const field of bad) delete event[field];
    return NetworkEventV1.safeParse(event).success ? (event as NetworkEvent) : undefined;
  }

  private cell(field: EventField, row: number): unknown {
    const value = this.columns[field]?.[row];
    if (value === null || value === undefined) return undefined;
    if (field === 'ts') {
      const ms = typeof value === 'bigint' ? Number(value) : value;
      return typeof ms === 'number' && Math.abs(ms) <= MAX_DATE_MS ? new Date(ms).toISOString() : value;
    }
    return typeof value === 'bigint' ? Number(value) : value;
  }
}
