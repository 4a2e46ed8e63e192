import { TcpOutcome, tcpConversation } from '../flow';
import { ATTACKER_NETS } from '../network';
import { clamp } from '../random';
import { AttackKind, PoissonArrivals } from './attack';

/**
 * Password guessing against SSH (exposed in the DMZ) or RDP. Every guess is a fresh short
 * connection to the same port whose sizes barely vary (same key exchange, same failed auth),
 * from source ports that climb as the tool opens connection after connection. The server
 * fights back: many attempts end in resets or are refused outright once rate limits kick in.
 */
const TARGETS = {
  ssh: { port: 22, appProto: 'ssh', out: 2150, in: 2900, durationMs: 1600 },
  rdp: { port: 3389, appProto: 'rdp', out: 3500, in: 6500, durationMs: 2500 },
} as const;

export const bruteforce: AttackKind = {
  name: 'bruteforce',
  naturalRatePerSec: 6,
  maxShareOfBackground: 0.5,
  minEvents: 40,
  start({ rng, inventory, episode }) {
    const service = rng.chance(0.6) ? 'ssh' : 'rdp';
    const target = TARGETS[service];
    const dst = service === 'ssh' ? inventory.services.sshDmz : inventory.services.rdpGateway;
    const attacker = `${ATTACKER_NETS.scanners}.${rng.int(1, 254)}`;
    let srcPort = rng.int(32768, 50000);
    const arrivals = new PoissonArrivals(rng, episode);
    return {
      get nextAt() {
        return arrivals.nextAt;
      },
      take() {
        const timeMs = arrivals.advance();
        srcPort = srcPort >= 60999 ? 32768 : srcPort + rng.int(1, 3);
        const outcome: TcpOutcome = rng.weighted({ SF: 0.35, RSTO: 0.25, RSTR: 0.15, REJ: 0.25 });
        const counters =
          outcome === 'REJ'
            ? tcpConversation({ outcome, durationMs: rng.lognormal(30, 0.3) })
            : tcpConversation({
                outcome,
                payloadOut: clamp(rng.normal(target.out, target.out * 0.03), 100, 1e6),
                payloadIn: clamp(rng.normal(target.in, target.in * 0.03), 100, 1e6),
                durationMs: rng.lognormal(target.durationMs, 0.25),
              });
        return {
          timeMs,
          label: 'bruteforce',
          flow: {
            src_ip: attacker,
            dst_ip: dst,
            src_port: srcPort,
            dst_port: target.port,
            protocol: 'tcp',
            app_proto: outcome === 'REJ' ? undefined : target.appProto,
            ...counters,
          },
        };
      },
    };
  },
};
