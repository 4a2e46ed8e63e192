import type { NetworkEvent } from '@flowsentry/contracts';
import { ATTACKS } from './attacks';
import { BackgroundTraffic } from './background';
import type { EventSource, TimedFlow } from './event-source';
import { Inventory, buildInventory } from './hosts';
import { sensorFor } from './network';
import { Rng } from './random';
import type { Scenario } from './scenario';

/**
 * The event stream of a scenario: background traffic and every attack episode merged in time
 * order, stamped with timestamp, sensor, id and label. Lazy, so a run of any length holds only
 * the current flow of each source in memory.
 */
export class TrafficGenerator implements Iterable<NetworkEvent> {
  readonly inventory: Inventory;

  constructor(readonly scenario: Scenario) {
    this.inventory = buildInventory(new Rng(scenario.options.seed).fork('inventory'), scenario.options.hosts);
  }

  *[Symbol.iterator](): Iterator<NetworkEvent> {
    const { scenario, inventory } = this;
    const root = new Rng(scenario.options.seed);
    const sources: EventSource[] = [
      new BackgroundTraffic(root.fork('background'), inventory, {
        startMs: scenario.startMs,
        endMs: scenario.endMs,
        expectedEvents: scenario.backgroundEvents,
        driftAtMs: scenario.driftAtMs,
      }),
      ...scenario.episodes.map((episode, i) => ATTACKS[episode.attack].start({ rng: root.fork(`episode/${i}/${episode.attack}`), inventory, episode })),
    ];
    for (let seq = 0; seq < scenario.options.count; seq++) {
      let earliest = sources[0]!;
      for (const source of sources) if (source.nextAt < earliest.nextAt) earliest = source;
      if (earliest.nextAt === Infinity) return;
      yield toNetworkEvent(earliest.take(), `${scenario.runId}-${seq}`);
    }
  }
}

/** Fixed key order and no undefined fields, so equal events serialise to equal bytes. */
function toNetworkEvent({ timeMs, label, flow }: TimedFlow, eventId: string): NetworkEvent {
  const event: NetworkEvent = {
    event_id: eventId,
    ts: new Date(Math.floor(timeMs)).toISOString(),
    sensor_id: sensorFor(flow.src_ip, flow.dst_ip),
    src_ip: flow.src_ip,
    dst_ip: flow.dst_ip,
    src_port: flow.src_port,
    dst_port: flow.dst_port,
    protocol: flow.protocol,
    bytes_in: flow.bytes_in,
    bytes_out: flow.bytes_out,
    packets_in: flow.packets_in,
    packets_out: flow.packets_out,
    duration_ms: flow.duration_ms,
  };
  if (flow.tcp_flags !== undefined) event.tcp_flags = flow.tcp_flags;
  if (flow.conn_state !== undefined) event.conn_state = flow.conn_state;
  if (flow.app_proto !== undefined) event.app_proto = flow.app_proto;
  event.label = label;
  return event;
}
