import { NetworkEventV1 } from '@flowsentry/contracts';
import { readParquet, SilverRows, SilverValue, writeParquet } from '@flowsentry/storage';
import { silverFlows } from '../test/monitor-fixtures';
import { NetworkEventRows } from './network-event-row';

/** The fixture's flows written to Parquet and read back, exactly as the monitor reads a SILVER object. */
async function silverRows(overrides: Record<string, SilverValue[]> = {}): Promise<SilverRows> {
  const table = silverFlows({ rows: 4, seed: 3, scanEvery: 2 });
  for (const column of table.columns) if (overrides[column.name]) column.values = overrides[column.name]!;
  const read = await readParquet(await writeParquet(table));
  return { rowCount: read.rowCount, names: read.columns.map((c) => c.name), types: read.columns.map((c) => c.type), columns: read.columns.map((c) => c.values as SilverValue[]), datasets: [] };
}

describe('NetworkEventRows: the NetworkEvent behind a SILVER row', () => {
  it('rebuilds a flow that passes NetworkEventV1: int64 counters as numbers, ts as ISO-8601, fields in schema order', async () => {
    const rows = await silverRows();
    expect(typeof rows.columns[rows.names.indexOf('bytes_in')]![0]).toBe('bigint');
    const event = new NetworkEventRows(rows).event(0)!;
    expect(NetworkEventV1.safeParse(event).success).toBe(true);
    expect(event).toMatchObject({ event_id: 'e-3-0', sensor_id: 'edge-fw-01', src_ip: '10.1.0.1', protocol: 'tcp', conn_state: 'SF', app_proto: 'tls', label: 'normal' });
    expect(event.ts).toBe('2026-11-20T08:00:00.000Z');
    expect(typeof event.bytes_in).toBe('number');
    expect(Object.keys(event)).toEqual(['event_id', 'ts', 'sensor_id', 'src_ip', 'dst_ip', 'src_port', 'dst_port', 'protocol', 'bytes_in', 'bytes_out', 'packets_in', 'packets_out', 'duration_ms', 'tcp_flags', 'conn_state', 'app_proto', 'label']);
  });

  it('leaves out an optional field the flow did not have (null in SILVER) rather than sending null', async () => {
    const event = new NetworkEventRows(await silverRows()).event(1)!;
    expect(event.label).toBe('portscan');
    expect('app_proto' in event).toBe(false);
    expect(NetworkEventV1.safeParse(event).success).toBe(true);
  });

  it('drops an optional field the schema refuses (a conn_state it does not know) and keeps the flow', async () => {
    const event = new NetworkEventRows(await silverRows({ conn_state: ['XYZ', 'SF', 'SF', 'SF'] })).event(0)!;
    expect(event).toBeDefined();
    expect('conn_state' in event).toBe(false);
    expect(NetworkEventV1.safeParse(event).success).toBe(true);
  });

  it('yields nothing for a row whose required field is invalid, or a batch without a required column', async () => {
    expect(new NetworkEventRows(await silverRows({ src_ip: ['not-an-ip', '10.0.0.1', '10.0.0.1', '10.0.0.1'] })).event(0)).toBeUndefined();
    const rows = await silverRows();
    const without = { names: rows.names.filter((n) => n !== 'dst_ip'), columns: rows.columns.filter((_, c) => rows.names[c] !== 'dst_ip') };
    const events = new NetworkEventRows(without);
    expect(events.missing).toEqual(['dst_ip']);
    expect(events.event(0)).toBeUndefined();
  });
});
