import { tcpConversation } from '../flow';
import { clients } from '../hosts';
import { ATTACKER_NETS } from '../network';
import { clamp } from '../random';
import { AttackKind } from './attack';

/**
 * Command-and-control beaconing: implant check-ins on a fixed timer with a configured jitter
 * (±5–15 %, as common C2 frameworks do), each a short complete TLS exchange of nearly
 * constant size ("no tasks") to one external host; now and then a task comes back and the
 * reply is larger. The near-constant inter-arrival time is the signature.
 */
export const beaconing: AttackKind = {
  name: 'beaconing',
  naturalRatePerSec: 1 / 60,
  maxShareOfBackground: 0.2,
  minEvents: 12,
  start({ rng, inventory, episode }) {
    const victim = rng.choice(clients(inventory));
    const c2 = `${ATTACKER_NETS.c2}.${rng.int(1, 254)}`;
    const https = rng.chance(0.7);
    const intervalMs = 1 / episode.ratePerMs;
    const jitter = rng.uniform(0.05, 0.15);
    const checkIn = rng.int(560, 700);
    const noTasks = rng.int(380, 460);
    let srcPort = rng.int(49152, 65000);
    let next = episode.startMs + rng.uniform(0, intervalMs);
    return {
      get nextAt() {
        return next < episode.endMs ? next : Infinity;
      },
      take() {
        const timeMs = next;
        next += intervalMs * (1 + rng.uniform(-jitter, jitter));
        // The host opens other connections in between, so its ephemeral port moves on a little.
        srcPort = srcPort + rng.int(1, 40) > 65535 ? 49152 : srcPort + rng.int(1, 40);
        const tasked = rng.chance(0.04);
        return {
          timeMs,
          label: 'beaconing',
          flow: {
            src_ip: victim.ip,
            dst_ip: c2,
            src_port: srcPort,
            dst_port: https ? 443 : 8080,
            protocol: 'tcp',
            app_proto: https ? 'ssl' : 'http',
            ...tcpConversation({
              outcome: 'SF',
              payloadOut: clamp(rng.normal(checkIn, 8), 100, 10_000),
              payloadIn: tasked ? rng.lognormal(30_000, 1) : clamp(rng.normal(noTasks, 8), 100, 10_000),
              durationMs: rng.lognormal(250, 0.2),
            }),
          },
        };
      },
    };
  },
};
