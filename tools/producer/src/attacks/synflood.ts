import { tcpConversation } from '../flow';
import { randomPublicIp } from '../network';
import { AttackKind, PoissonArrivals } from './attack';

/**
 * SYN flood against the public web server: a torrent of SYNs from spoofed random sources and
 * ports, none of which ever completes (S0). Flood tools craft bare 40-byte SYNs without
 * options and never retransmit, which distinguishes them from a real client's failed attempt.
 */
export const synflood: AttackKind = {
  name: 'synflood',
  naturalRatePerSec: 5000,
  maxShareOfBackground: 3,
  minEvents: 60,
  start({ rng, inventory, episode }) {
    const port = rng.chance(0.8) ? 443 : 80;
    const arrivals = new PoissonArrivals(rng, episode);
    return {
      get nextAt() {
        return arrivals.nextAt;
      },
      take() {
        return {
          timeMs: arrivals.advance(),
          label: 'synflood',
          flow: {
            src_ip: randomPublicIp(rng),
            dst_ip: inventory.services.webDmz,
            src_port: rng.int(1024, 65535),
            dst_port: port,
            protocol: 'tcp',
            ...tcpConversation({ outcome: 'S0', durationMs: 0, bareSyn: true }),
          },
        };
      },
    };
  },
};
