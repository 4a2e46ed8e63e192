import { tcpConversation, udpExchange } from '../flow';
import { ephemeralPort } from '../network';
import { FlowDraft, TrafficProfile } from './profile';

/**
 * Clients ask the internal resolver (mostly cache hits, sub-millisecond); the resolver itself
 * recurses to external servers with randomised source ports. Queries are a few dozen bytes,
 * answers a little larger; a small share is large (DNSSEC, TXT) and a few go unanswered.
 * Truncated answers are retried over TCP, which is why a trickle of tcp/53 exists.
 */
export const dnsLookups: TrafficProfile = {
  name: 'dns',
  flow(ctx) {
    const { rng, host, inventory } = ctx;
    const isResolver = host.ip === inventory.services.dnsResolver;
    const dst = isResolver
      ? rng.chance(0.3)
        ? rng.choice(inventory.externalDns)
        : inventory.externalWeb[inventory.webPopularity.sample(rng)]!
      : inventory.services.dnsResolver;
    const srcPort = isResolver ? rng.int(1024, 65535) : ephemeralPort(rng, host.os);
    const query = rng.int(17, 60) + 12;
    const large = rng.chance(0.03);
    const answer = query + (large ? rng.int(500, 1200) : rng.lognormal(90, 0.5));
    const durationMs = isResolver || rng.chance(0.3) ? rng.lognormal(30, 0.7) : rng.lognormal(0.8, 0.5);

    const base: Pick<FlowDraft, 'src_ip' | 'dst_ip' | 'src_port' | 'dst_port' | 'app_proto'> = {
      src_ip: host.ip,
      dst_ip: dst,
      src_port: srcPort,
      dst_port: 53,
      app_proto: 'dns',
    };
    if (large && rng.chance(0.3)) {
      return { ...base, protocol: 'tcp', ...tcpConversation({ outcome: 'SF', payloadOut: query + 2, payloadIn: answer + 2, durationMs: durationMs + 3 * rng.lognormal(2, 0.5) }) };
    }
    const answered = !rng.chance(0.015);
    return { ...base, protocol: 'udp', ...udpExchange({ payloadOut: query, payloadIn: answered ? answer : 0, durationMs }) };
  },
};
