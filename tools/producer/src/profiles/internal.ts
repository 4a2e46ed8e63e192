import { TcpOutcome, tcpConversation, udpExchange } from '../flow';
import type { Persona } from '../hosts';
import { ephemeralPort } from '../network';
import { FlowContext, FlowDraft, TrafficProfile } from './profile';

type Service = 'ldap' | 'kerberos' | 'smb' | 'database' | 'ssh' | 'rdp';

/**
 * Who uses which internal service is what makes internal traffic look like an organisation:
 * office staff live on file shares and the directory, developers on databases and SSH,
 * admins on SSH and RDP. Servers mostly query the database and the directory.
 */
const SERVICE_MIX: Record<Persona, Record<Service, number>> = {
  office: { smb: 0.5, ldap: 0.25, kerberos: 0.2, database: 0.05, ssh: 0, rdp: 0 },
  developer: { smb: 0.15, ldap: 0.15, kerberos: 0.15, database: 0.3, ssh: 0.25, rdp: 0 },
  admin: { smb: 0.15, ldap: 0.2, kerberos: 0.15, database: 0, ssh: 0.3, rdp: 0.2 },
  server: { smb: 0, ldap: 0.4, kerberos: 0, database: 0.6, ssh: 0, rdp: 0 },
};

interface ServiceShape {
  port: number;
  appProto: string;
  dst: (ctx: FlowContext) => string;
  payloadOut: (ctx: FlowContext) => number;
  payloadIn: (ctx: FlowContext) => number;
  durationMs: (ctx: FlowContext) => number;
  resetShare: number;
}

/** Long sessions cap at 8 h: exporters split anything longer anyway. */
const MAX_SESSION_MS = 8 * 3600 * 1000;

const SHAPES: Record<Exclude<Service, 'kerberos'>, ServiceShape> = {
  // Windows LDAP clients often tear connections down with a RST, hence the reset share.
  ldap: {
    port: 389,
    appProto: 'ldap',
    dst: (c) => c.inventory.services.directory,
    payloadOut: (c) => c.rng.lognormal(400, 0.6),
    payloadIn: (c) => c.rng.lognormal(1500, 1),
    durationMs: (c) => c.rng.lognormal(15, 0.8),
    resetShare: 0.15,
  },
  // File reads dominate SMB; sizes are heavy-tailed like files themselves.
  smb: {
    port: 445,
    appProto: 'smb',
    dst: (c) => c.inventory.services.fileShare,
    payloadOut: (c) => c.rng.lognormal(3000, 1.2),
    payloadIn: (c) => (c.rng.chance(0.6) ? c.rng.lognormal(40_000, 1.3) : c.rng.pareto(200_000, 1.2)) * c.regime.transferScale,
    durationMs: (c) => c.rng.lognormal(30_000, 1.5),
    resetShare: 0.02,
  },
  // Pooled connections: long-lived, many small queries, result sets larger than queries.
  database: {
    port: 5432,
    appProto: 'postgresql',
    dst: (c) => c.inventory.services.database,
    payloadOut: (c) => c.rng.lognormal(2000, 1),
    payloadIn: (c) => c.rng.lognormal(20_000, 1.5),
    durationMs: (c) => c.rng.lognormal(60_000, 1.5),
    resetShare: 0.02,
  },
  // Interactive sessions: long, moderate bytes, output larger than keystrokes.
  ssh: {
    port: 22,
    appProto: 'ssh',
    dst: (c) => c.inventory.services.sshJump,
    payloadOut: (c) => c.rng.lognormal(30_000, 1.3),
    payloadIn: (c) => c.rng.lognormal(150_000, 1.5),
    durationMs: (c) => c.rng.lognormal(600_000, 1.2),
    resetShare: 0.01,
  },
  // Remote desktop: the screen stream makes the responder side heavy.
  rdp: {
    port: 3389,
    appProto: 'rdp',
    dst: (c) => c.inventory.services.rdpGateway,
    payloadOut: (c) => c.rng.lognormal(2e6, 1),
    payloadIn: (c) => c.rng.lognormal(20e6, 1),
    durationMs: (c) => c.rng.lognormal(1_800_000, 1),
    resetShare: 0.02,
  },
};

/** Kerberos tickets fit in one datagram most of the time; big PACs push it onto TCP. */
function kerberos(ctx: FlowContext): FlowDraft {
  const { rng, host, inventory } = ctx;
  const base = { src_ip: host.ip, dst_ip: inventory.services.directory, src_port: ephemeralPort(rng, host.os), dst_port: 88, app_proto: 'krb' };
  const request = rng.lognormal(1400, 0.3);
  const reply = rng.lognormal(1500, 0.3);
  const durationMs = rng.lognormal(3, 0.6);
  if (rng.chance(0.6)) return { ...base, protocol: 'udp', ...udpExchange({ payloadOut: request, payloadIn: reply, packetsIn: Math.ceil(reply / 1472), durationMs }) };
  return { ...base, protocol: 'tcp', ...tcpConversation({ outcome: 'SF', payloadOut: request, payloadIn: reply, durationMs }) };
}

export const internalServices: TrafficProfile = {
  name: 'internal',
  flow(ctx) {
    const { rng, host } = ctx;
    const service = rng.weighted(SERVICE_MIX[host.persona]);
    if (service === 'kerberos') return kerberos(ctx);
    const shape = SHAPES[service];
    const outcome: TcpOutcome = rng.chance(shape.resetShare) ? (rng.chance(0.7) ? 'RSTO' : 'RSTR') : 'SF';
    return {
      src_ip: host.ip,
      dst_ip: shape.dst(ctx),
      src_port: ephemeralPort(rng, host.os),
      dst_port: shape.port,
      protocol: 'tcp',
      app_proto: shape.appProto,
      ...tcpConversation({
        outcome,
        payloadOut: shape.payloadOut(ctx),
        payloadIn: shape.payloadIn(ctx),
        durationMs: Math.min(MAX_SESSION_MS, shape.durationMs(ctx)),
      }),
    };
  },
};
