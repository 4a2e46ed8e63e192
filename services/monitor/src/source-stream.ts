import { SilverRows, SilverValue } from '@flowsentry/storage';
import { columnOf } from './silver-batch';

/**
 * Source streams of SILVER rows: the Kafka partition of network.events each was read from
 * (SILVER's `source_partition`), named `p<partition>`. A SILVER batch is one partition's slice of
 * traffic, and a partition carries the flows of the sensors whose key hashes to it (the perimeter
 * firewall on one, the core switches on another), so a batch is a sample of its stream, not of the
 * whole network: its drift is judged against what the champion saw from the same stream.
 * null where a row does not say.
 */
export function rowStreams(rows: Pick<SilverRows, 'rowCount' | 'names' | 'columns'>): Array<string | null> {
  const column = columnOf(rows, 'source_partition');
  return Array.from({ length: rows.rowCount }, (_, i) => streamName(column?.[i]));
}

/** The stream a batch's rows share; undefined when they do not share one or do not say. */
export function streamOf(rows: Pick<SilverRows, 'rowCount' | 'names' | 'columns'>): string | undefined {
  const streams = new Set(rowStreams(rows));
  const [only] = streams;
  return streams.size === 1 && only !== null ? only : undefined;
}

function streamName(value: SilverValue | undefined): string | null {
  return typeof value === 'number' || typeof value === 'bigint' ? `p${value}` : null;
}
