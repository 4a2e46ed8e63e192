import { udpExchange } from '../flow';
import { ephemeralPort } from '../network';
import { TrafficProfile } from './profile';

/**
 * NTP is the steadiest traffic on a network: one 48-byte request and one 48-byte reply,
 * driven by a poll timer rather than by people. Clients sync to the internal server, servers
 * to a public pool. Windows' time service sends from port 123 itself; other clients use an
 * ephemeral port.
 */
export const ntpSync: TrafficProfile = {
  name: 'ntp',
  flow(ctx) {
    const { rng, host, inventory } = ctx;
    const external = host.persona === 'server';
    const dst = external ? rng.choice(inventory.externalNtp) : inventory.services.ntp;
    const answered = !rng.chance(external ? 0.02 : 0.003);
    return {
      src_ip: host.ip,
      dst_ip: dst,
      src_port: host.os === 'windows' ? 123 : ephemeralPort(rng, host.os),
      dst_port: 123,
      protocol: 'udp',
      app_proto: 'ntp',
      ...udpExchange({ payloadOut: 48, payloadIn: answered ? 48 : 0, durationMs: external ? rng.lognormal(25, 0.5) : rng.lognormal(0.6, 0.4) }),
    };
  },
};
