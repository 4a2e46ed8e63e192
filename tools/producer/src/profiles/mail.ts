import { tcpConversation } from '../flow';
import { ephemeralPort } from '../network';
import { FlowContext, FlowDraft, TrafficProfile } from './profile';

/**
 * Clients mostly poll their mailbox over IMAPS (small exchanges, occasionally a message with
 * an attachment) and now and then submit mail on 587. The mail server relays to and accepts
 * from external MTAs on port 25, which is the one place normal traffic arrives from outside.
 */
function clientMail(ctx: FlowContext): FlowDraft {
  const { rng, host, inventory } = ctx;
  const submit = rng.chance(0.08);
  const payloadOut = submit ? rng.lognormal(25_000, 1.5) + (rng.chance(0.1) ? rng.pareto(500_000, 1.3) : 0) : rng.lognormal(1200, 0.5);
  const payloadIn = submit ? rng.lognormal(1500, 0.3) : rng.chance(0.8) ? rng.lognormal(2000, 0.6) : rng.lognormal(60_000, 1.4);
  return {
    src_ip: host.ip,
    dst_ip: inventory.services.mail,
    src_port: ephemeralPort(rng, host.os),
    dst_port: submit ? 587 : 993,
    protocol: 'tcp',
    app_proto: submit ? 'smtp' : 'ssl',
    ...tcpConversation({ outcome: rng.chance(0.02) ? 'RSTO' : 'SF', payloadOut, payloadIn, durationMs: rng.lognormal(2000, 1.5) }),
  };
}

function relay(ctx: FlowContext): FlowDraft {
  const { rng, inventory } = ctx;
  const peer = rng.choice(inventory.externalMail);
  const inbound = rng.chance(0.55);
  const message = rng.lognormal(30_000, 1.5);
  const dialogue = rng.lognormal(800, 0.4);
  return {
    src_ip: inbound ? peer : inventory.services.mail,
    dst_ip: inbound ? inventory.services.mail : peer,
    src_port: rng.int(32768, 60999),
    dst_port: 25,
    protocol: 'tcp',
    app_proto: 'smtp',
    // The sender is always the originator; some inbound peers are spammers the server cuts off.
    ...tcpConversation({
      outcome: inbound && rng.chance(0.04) ? 'RSTR' : 'SF',
      payloadOut: message,
      payloadIn: dialogue,
      durationMs: rng.lognormal(900, 0.8),
    }),
  };
}

export const mailTraffic: TrafficProfile = {
  name: 'mail',
  flow(ctx) {
    return ctx.host.ip === ctx.inventory.services.mail ? relay(ctx) : clientMail(ctx);
  },
};
