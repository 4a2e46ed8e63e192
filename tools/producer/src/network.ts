import { Rng } from './random';

/**
 * Addressing plan of the simulated organisation. Internal space is 10.0.0.0/8:
 * 10.1/16 head-office clients, 10.2/16 branch clients, 10.20/16 data-centre servers,
 * 10.30/16 DMZ. Attack infrastructure is drawn from the RFC 5737 documentation ranges so
 * synthetic attackers never point at a real network and never collide with the random
 * public addresses used for benign destinations.
 */
export const ATTACKER_NETS = { scanners: '192.0.2', c2: '198.51.100', dropZones: '203.0.113' } as const;

export type Site = 'hq' | 'branch' | 'dc' | 'dmz';

export function isInternal(ip: string): boolean {
  return ip.startsWith('10.');
}

/**
 * Which sensor saw the flow: the perimeter firewall for anything crossing the edge, the
 * site's core switch span port otherwise. The sensor id is also the Kafka key, so the three
 * sensors spread over partitions the way real exporters would.
 */
export function sensorFor(srcIp: string, dstIp: string): string {
  if (!isInternal(srcIp) || !isInternal(dstIp)) return 'edge-fw-01';
  if (srcIp.startsWith('10.2.') || dstIp.startsWith('10.2.')) return 'branch-core-01';
  return 'hq-core-01';
}

function isReservedOrPrivate(a: number, b: number, c: number): boolean {
  if (a === 0 || a === 10 || a === 127 || a >= 224) return true;
  if (a === 100 && b >= 64 && b <= 127) return true; // carrier-grade NAT
  if (a === 169 && b === 254) return true;
  if (a === 172 && b >= 16 && b <= 31) return true;
  if (a === 192 && b === 168) return true;
  if (a === 198 && (b === 18 || b === 19)) return true; // benchmarking
  if (a === 192 && b === 0 && (c === 0 || c === 2)) return true;
  if (a === 198 && b === 51 && c === 100) return true;
  if (a === 203 && b === 0 && c === 113) return true;
  return false;
}

/** A routable-looking public IPv4 address outside every private, reserved and documentation range. */
export function randomPublicIp(rng: Rng): string {
  for (;;) {
    const a = rng.int(1, 223);
    const b = rng.int(0, 255);
    const c = rng.int(0, 255);
    if (!isReservedOrPrivate(a, b, c)) return `${a}.${b}.${c}.${rng.int(1, 254)}`;
  }
}

export type Os = 'windows' | 'linux' | 'macos';

/** Each OS draws client ports from its own ephemeral range, a detail flow analytics do see. */
const EPHEMERAL: Record<Os, [number, number]> = {
  windows: [49152, 65535],
  linux: [32768, 60999],
  macos: [49152, 65535],
};

export function ephemeralPort(rng: Rng, os: Os): number {
  const [lo, hi] = EPHEMERAL[os];
  return rng.int(lo, hi);
}
