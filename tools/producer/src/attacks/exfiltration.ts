import { tcpConversation } from '../flow';
import { clients } from '../hosts';
import { ATTACKER_NETS } from '../network';
import { AttackKind } from './attack';

/**
 * Slow exfiltration: a compromised client uploads to a drop zone nobody else talks to,
 * through long-lived TLS connections at a modest, steady rate, to stay under volume alarms.
 * Long connections are exported on the active timeout, so the attack appears as back-to-back
 * records of the same connection (same source port, S1 until the final SF), each with a large
 * bytes_out and only ACKs coming back. The tool reconnects every few records.
 */
export const exfiltration: AttackKind = {
  name: 'exfiltration',
  // One record per active-timeout window (60 s).
  naturalRatePerSec: 1 / 60,
  maxShareOfBackground: 0.2,
  minEvents: 12,
  start({ rng, inventory, episode }) {
    const victim = rng.choice(clients(inventory));
    const dropZone = `${ATTACKER_NETS.dropZones}.${rng.int(1, 254)}`;
    const windowMs = 1 / episode.ratePerMs;
    const bytesPerSec = rng.lognormal(40_000, 0.3);
    let next = episode.startMs;
    let srcPort = 0;
    let recordsLeft = 0;
    let opening = true;
    return {
      get nextAt() {
        return next + windowMs <= episode.endMs ? next : Infinity;
      },
      take() {
        const timeMs = next;
        next += windowMs;
        if (recordsLeft === 0) {
          recordsLeft = rng.int(5, 15);
          srcPort = rng.int(49152, 65535);
          opening = true;
        }
        recordsLeft--;
        const lastOfConnection = recordsLeft === 0 || next + windowMs > episode.endMs;
        const counters = tcpConversation({
          outcome: lastOfConnection ? 'SF' : 'S1',
          opening,
          payloadOut: bytesPerSec * rng.uniform(0.85, 1.15) * (windowMs / 1000),
          payloadIn: rng.int(0, 300),
          durationMs: windowMs,
        });
        opening = false;
        if (lastOfConnection) recordsLeft = 0;
        return {
          timeMs,
          label: 'exfiltration',
          flow: { src_ip: victim.ip, dst_ip: dropZone, src_port: srcPort, dst_port: 443, protocol: 'tcp', app_proto: 'ssl', ...counters },
        };
      },
    };
  },
};
