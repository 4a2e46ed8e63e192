import { SeededRandom } from '../../../libs/ml/src/forest/seeded-random';

/**
 * Labelled, NetworkEvent-shaped flows for parity checks and benchmarks, independent of the demo producer.
 * Normal traffic is a mix of web, DNS, SSH and NTP sessions with log-normal volumes in working hours;
 * anomalies (label set) are port scans, bulk exfiltration, DNS tunnelling and odd-hour beacons.
 */
export interface SyntheticFlow {
  readonly ts: number;
  readonly sensor_id: string;
  readonly src_ip: string;
  readonly dst_ip: string;
  readonly src_port: number;
  readonly dst_port: number;
  readonly protocol: string;
  readonly bytes_in: number;
  readonly bytes_out: number;
  readonly packets_in: number;
  readonly packets_out: number;
  readonly duration_ms: number;
  readonly conn_state?: string;
  readonly label?: string;
}

const DAY_MS = 86_400_000;
const START_MS = Date.UTC(2025, 0, 6);

export function syntheticFlows(count: number, anomalyShare: number, seed: number): SyntheticFlow[] {
  const random = new SeededRandom(seed);
  const gaussian = (): number => {
    const u = 1 - random.nextDouble();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.nextDouble());
  };
  const logNormal = (median: number, sigma: number): number => Math.round(median * Math.exp(sigma * gaussian()));
  const pick = <T>(values: readonly T[]): T => values[random.nextInt(values.length)];
  const ephemeral = (): number => 49152 + random.nextInt(16384);
  const workHoursTs = (): number => START_MS + random.nextInt(7) * DAY_MS + (8 + 10 * random.nextDouble()) * 3_600_000;

  const flows: SyntheticFlow[] = new Array(count);
  for (let i = 0; i < count; i++) {
    const base = { sensor_id: `sensor-${random.nextInt(4)}`, src_ip: `10.0.${random.nextInt(8)}.${1 + random.nextInt(250)}`, dst_ip: `192.0.2.${1 + random.nextInt(250)}` };
    if (random.nextDouble() < anomalyShare) {
      const kind = random.nextInt(4);
      if (kind === 0) {
        flows[i] = { ...base, ts: workHoursTs(), src_port: ephemeral(), dst_port: random.nextInt(1024), protocol: 'tcp', bytes_in: random.nextInt(2) * 40, bytes_out: 44 + random.nextInt(20), packets_in: random.nextInt(2), packets_out: 1 + random.nextInt(2), duration_ms: random.nextInt(300), conn_state: pick(['S0', 'REJ', 'RSTOS0', 'SF']), label: 'port_scan' };
      } else if (kind === 1) {
        const packets = logNormal(2_000, 0.8);
        flows[i] = { ...base, ts: workHoursTs(), src_port: ephemeral(), dst_port: pick([443, 22, 8443]), protocol: 'tcp', bytes_in: logNormal(8_000, 0.6), bytes_out: packets * 1400, packets_in: logNormal(400, 0.5), packets_out: packets, duration_ms: logNormal(60_000, 0.8), conn_state: 'SF', label: 'exfiltration' };
      } else if (kind === 2) {
        flows[i] = { ...base, ts: workHoursTs(), src_port: ephemeral(), dst_port: 53, protocol: 'udp', bytes_in: logNormal(260, 0.4), bytes_out: logNormal(180, 0.4), packets_in: 1, packets_out: 1, duration_ms: logNormal(25, 0.6), label: 'dns_tunnel' };
      } else {
        flows[i] = { ...base, ts: random.nextDouble() < 0.5 ? workHoursTs() : START_MS + random.nextInt(7) * DAY_MS + (1 + 3 * random.nextDouble()) * 3_600_000, src_port: ephemeral(), dst_port: pick([443, 8080, 4444]), protocol: 'tcp', bytes_in: logNormal(300, 0.2), bytes_out: logNormal(250, 0.2), packets_in: 3, packets_out: 3, duration_ms: logNormal(30_000, 0.1), conn_state: pick(['SF', 'S1', 'OTH']), label: 'beacon' };
      }
      continue;
    }
    const service = random.nextDouble();
    if (service < 0.6) {
      const packetsIn = logNormal(40, 0.9) + 2;
      const packetsOut = Math.max(2, Math.round(packetsIn * (0.4 + 0.3 * random.nextDouble())));
      flows[i] = { ...base, ts: workHoursTs(), src_port: ephemeral(), dst_port: pick([443, 443, 443, 80]), protocol: 'tcp', bytes_in: packetsIn * logNormal(1_100, 0.3), bytes_out: packetsOut * logNormal(120, 0.4), packets_in: packetsIn, packets_out: packetsOut, duration_ms: logNormal(1_500, 1.0), conn_state: random.nextDouble() < 0.95 ? 'SF' : pick(['S1', 'RSTO', 'RSTR']) };
    } else if (service < 0.9) {
      flows[i] = { ...base, ts: workHoursTs(), src_port: ephemeral(), dst_port: 53, protocol: 'udp', bytes_in: logNormal(120, 0.3), bytes_out: logNormal(60, 0.2), packets_in: 1, packets_out: 1, duration_ms: logNormal(15, 0.6) };
    } else if (service < 0.97) {
      const packets = logNormal(300, 1.0) + 4;
      flows[i] = { ...base, ts: workHoursTs(), src_port: ephemeral(), dst_port: 22, protocol: 'tcp', bytes_in: packets * logNormal(90, 0.3), bytes_out: packets * logNormal(70, 0.3), packets_in: packets, packets_out: packets, duration_ms: logNormal(120_000, 1.2), conn_state: 'SF' };
    } else {
      flows[i] = { ...base, ts: START_MS + random.nextInt(7 * DAY_MS), src_port: 123, dst_port: 123, protocol: 'udp', bytes_in: 76, bytes_out: 76, packets_in: 1, packets_out: 1, duration_ms: logNormal(20, 0.3) };
    }
  }
  return flows;
}
