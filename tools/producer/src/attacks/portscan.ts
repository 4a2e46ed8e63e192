import { halfOpenProbe, tcpConversation } from '../flow';
import { clients } from '../hosts';
import { ATTACKER_NETS } from '../network';
import { AttackKind, PoissonArrivals } from './attack';

/** The ports scanners try first (nmap's most common TCP ports), before sweeping the rest. */
const TOP_PORTS = [80, 23, 443, 21, 22, 25, 3389, 110, 445, 139, 143, 53, 135, 3306, 8080, 1723, 111, 995, 993, 5900, 1025, 587, 8888, 199, 1720, 465, 548, 113, 81, 6001, 10000, 514, 5060, 179, 1026, 2000, 8443, 8000, 32768, 554];

/**
 * Vertical SYN scan: one source probes many ports of one target, never completing a handshake.
 * Closed ports answer with RST (REJ), filtered ports stay silent (S0), the few open ones
 * answer SYN-ACK and get a RST back. Raw-socket scanners reuse one source port for the whole
 * sweep, so the source port is constant too. Half the episodes come from outside against the
 * DMZ (mostly filtered by the firewall), half from a compromised client moving laterally.
 */
export const portscan: AttackKind = {
  name: 'portscan',
  naturalRatePerSec: 300,
  maxShareOfBackground: 1,
  minEvents: 40,
  start({ rng, inventory, episode }) {
    const lateral = rng.chance(0.5);
    const { services } = inventory;
    const scanner = lateral ? rng.choice(clients(inventory)).ip : `${ATTACKER_NETS.scanners}.${rng.int(1, 254)}`;
    const target = lateral ? rng.choice([services.fileShare, services.database, services.directory, services.sshJump]) : rng.choice([services.webDmz, services.sshDmz]);
    const open = new Set(lateral ? [22, 135, 139, 389, 445, 5432] : [22, 80, 443]);
    const filteredShare = lateral ? 0.1 : 0.75;
    const order = [...rng.shuffle(TOP_PORTS)];
    const tried = new Set<number>();
    const nextPort = (): number => {
      if (tried.size >= 65535) tried.clear(); // a long episode starts a second sweep
      for (;;) {
        const port = order.length > 0 ? order.shift()! : rng.int(1, 65535);
        if (!tried.has(port)) {
          tried.add(port);
          return port;
        }
      }
    };
    let srcPort = rng.int(32768, 65535);
    const arrivals = new PoissonArrivals(rng, episode);
    return {
      get nextAt() {
        return arrivals.nextAt;
      },
      take() {
        const timeMs = arrivals.advance();
        const port = nextPort();
        if (rng.chance(0.001)) srcPort = rng.int(32768, 65535); // scanner restarted
        const rtt = lateral ? rng.lognormal(0.5, 0.4) : rng.lognormal(30, 0.4);
        const counters = open.has(port)
          ? halfOpenProbe(rtt)
          : rng.chance(filteredShare)
            ? tcpConversation({ outcome: 'S0', durationMs: 0 })
            : tcpConversation({ outcome: 'REJ', durationMs: rtt });
        return {
          timeMs,
          label: 'portscan',
          flow: { src_ip: scanner, dst_ip: target, src_port: srcPort, dst_port: port, protocol: 'tcp', ...counters },
        };
      },
    };
  },
};
