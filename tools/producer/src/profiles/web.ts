import { tcpConversation, udpExchange } from '../flow';
import { ephemeralPort } from '../network';
import { FlowContext, FlowDraft, TrafficProfile, synTimeoutMs } from './profile';

/** 4 GiB: a larger single download would be a different story than web browsing. */
const MAX_RESPONSE = 4 * 1024 ** 3;

/**
 * Responses are a mixture: most are pages, API calls and small assets (log-normal around
 * ~18 kB), and a minority are downloads whose sizes follow a Pareto tail (alpha ≈ 1.15, so
 * the occasional multi-hundred-megabyte transfer happens and dominates the byte count).
 */
function responseSize(ctx: FlowContext): number {
  const { rng, regime } = ctx;
  const base = rng.chance(0.8) ? rng.lognormal(18_000, 1.2) : rng.pareto(60_000, 1.15);
  return Math.min(MAX_RESPONSE, base * regime.transferScale);
}

function requestSize(ctx: FlowContext): number {
  const { rng, regime } = ctx;
  if (rng.chance(regime.cloudUploadShare)) return Math.min(MAX_RESPONSE, rng.pareto(250_000, 1.3) * regime.transferScale);
  return rng.lognormal(900, 0.5);
}

/** QUIC runs over UDP with ~1250-byte datagrams and ACK frames roughly every other packet. */
function quicFlow(ctx: FlowContext, dst: string): FlowDraft {
  const { rng, host } = ctx;
  const payloadOut = requestSize(ctx) + 1200; // padded Initial
  const payloadIn = responseSize(ctx);
  const packetsIn = Math.max(1, Math.ceil(payloadIn / 1250));
  const packetsOut = Math.max(1, Math.ceil(payloadOut / 1250)) + Math.ceil(packetsIn / 2);
  const rtt = rng.lognormal(30, 0.6);
  return {
    src_ip: host.ip,
    dst_ip: dst,
    src_port: ephemeralPort(rng, host.os),
    dst_port: 443,
    protocol: 'udp',
    app_proto: 'quic',
    ...udpExchange({ payloadOut, packetsOut, payloadIn, packetsIn, durationMs: 2 * rtt + (payloadIn / rng.lognormal(6e6, 0.8)) * 1000 + rng.exponential(1 / 8000) }),
  };
}

export const webBrowsing: TrafficProfile = {
  name: 'web',
  flow(ctx) {
    const { rng, host, inventory, regime } = ctx;
    const dst = inventory.externalWeb[inventory.webPopularity.sample(rng)]!;
    if (rng.chance(regime.quicShare)) return quicFlow(ctx, dst);

    const tls = rng.chance(0.9);
    const outcome = rng.weighted({ SF: 0.955, RSTO: 0.02, RSTR: 0.012, S0: 0.008, REJ: 0.005 });
    const rtt = rng.lognormal(35, 0.6);
    let payloadOut = requestSize(ctx);
    let payloadIn = responseSize(ctx);
    // Browsers keep idle connections open for a while before closing them.
    let durationMs = 3 * rtt + ((payloadIn + payloadOut) / rng.lognormal(4e6, 0.9)) * 1000 + rng.exponential(1 / 5000);
    if (outcome === 'RSTO' || outcome === 'RSTR') {
      const cut = rng.uniform(0.05, 0.9);
      payloadIn *= cut;
      payloadOut = Math.min(payloadOut, payloadOut * (cut + 0.2));
      durationMs *= cut;
    }
    const synRetries = rng.int(0, 2);
    if (outcome === 'S0') durationMs = synTimeoutMs(synRetries);
    if (outcome === 'REJ') durationMs = rtt;
    return {
      src_ip: host.ip,
      dst_ip: dst,
      src_port: ephemeralPort(rng, host.os),
      dst_port: tls ? 443 : 80,
      protocol: 'tcp',
      // Zeek names the TLS analyzer "ssl"; an attempt that never got an answer has no service.
      app_proto: outcome === 'S0' || outcome === 'REJ' ? undefined : tls ? 'ssl' : 'http',
      ...tcpConversation({ outcome, payloadOut, payloadIn, durationMs, synRetries }),
    };
  },
};
