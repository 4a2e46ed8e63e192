import { Categorical, Rng, clamp } from './random';
import { Os, Site, randomPublicIp } from './network';

/** What kind of user sits behind a client, which decides what the client talks to. */
export type Persona = 'office' | 'developer' | 'admin' | 'server';

export interface Host {
  name: string;
  ip: string;
  site: Site;
  os: Os;
  persona: Persona;
  /** Relative flow rate of this host when fully active; log-normal across hosts (a few heavy users). */
  activity: number;
  /** Share of the host's flows that are automated (updates, NTP, directory polling) and ignore the clock. */
  machineShare: number;
  /** Personal working hours (UTC), so the aggregate day has soft edges. */
  workStart: number;
  workEnd: number;
}

/** Well-known internal services every client depends on. */
export interface ServiceAddresses {
  dnsResolver: string;
  ntp: string;
  mail: string;
  directory: string;
  fileShare: string;
  database: string;
  sshJump: string;
  rdpGateway: string;
  webDmz: string;
  sshDmz: string;
}

export interface Inventory {
  /** Hosts that originate background traffic: the clients plus a few busy servers. */
  hosts: Host[];
  services: ServiceAddresses;
  externalWeb: string[];
  webPopularity: Categorical;
  externalDns: string[];
  externalNtp: string[];
  externalMail: string[];
}

const SERVICES: ServiceAddresses = {
  dnsResolver: '10.20.0.53',
  ntp: '10.20.0.123',
  mail: '10.20.0.25',
  directory: '10.20.0.10',
  fileShare: '10.20.0.20',
  database: '10.20.0.30',
  sshJump: '10.20.0.22',
  rdpGateway: '10.20.0.40',
  webDmz: '10.30.0.80',
  sshDmz: '10.30.0.22',
};

const PERSONAS: Record<Exclude<Persona, 'server'>, number> = { office: 0.65, developer: 0.25, admin: 0.1 };
const OS_BY_PERSONA: Record<Exclude<Persona, 'server'>, Record<Os, number>> = {
  office: { windows: 0.85, macos: 0.15, linux: 0 },
  developer: { windows: 0.3, macos: 0.4, linux: 0.3 },
  admin: { windows: 0.5, macos: 0.1, linux: 0.4 },
};

/**
 * Builds a stable organisation: the same seed and host count always give the same hosts with
 * the same personalities, so two runs can be compared host by host.
 */
export function buildInventory(rng: Rng, clientCount: number): Inventory {
  const hosts: Host[] = [];
  for (let i = 0; i < clientCount; i++) {
    const persona = rng.weighted(PERSONAS);
    // Roughly three clients in four at head office; the branch keeps the sensor mix realistic.
    const site: Site = rng.chance(0.75) ? 'hq' : 'branch';
    const subnet = site === 'hq' ? 1 : 2;
    const start = clamp(rng.normal(8.5, 0.8), 6.5, 10.5);
    hosts.push({
      name: `${site}-ws-${String(i + 1).padStart(3, '0')}`,
      ip: `10.${subnet}.${Math.floor(i / 250)}.${(i % 250) + 2}`,
      site,
      os: rng.weighted(OS_BY_PERSONA[persona]),
      persona,
      activity: clamp(rng.lognormal(1, 0.6), 0.15, 8),
      machineShare: clamp(rng.normal(0.12, 0.04), 0.04, 0.3),
      workStart: start,
      workEnd: start + clamp(rng.normal(8.5, 0.7), 7, 10.5),
    });
  }
  // Servers talk around the clock (replication, outbound mail, recursive DNS); their volume
  // scales with the organisation so they stay a steady minority of the traffic.
  const serverActivity = Math.max(0.5, clientCount / 25);
  for (const [name, ip] of [
    ['dc-app-01', '10.20.0.60'],
    ['dc-mail-01', SERVICES.mail],
    ['dc-dns-01', SERVICES.dnsResolver],
  ] as const) {
    hosts.push({ name, ip, site: 'dc', os: 'linux', persona: 'server', activity: serverActivity, machineShare: 1, workStart: 0, workEnd: 24 });
  }

  const pools = rng.fork('external-pools');
  const externalWeb = Array.from({ length: 400 }, () => randomPublicIp(pools));
  return {
    hosts,
    services: SERVICES,
    externalWeb,
    webPopularity: Categorical.zipf(externalWeb.length, 1.1),
    externalDns: Array.from({ length: 13 }, () => randomPublicIp(pools)),
    externalNtp: Array.from({ length: 4 }, () => randomPublicIp(pools)),
    externalMail: Array.from({ length: 60 }, () => randomPublicIp(pools)),
  };
}

export function clients(inventory: Inventory): Host[] {
  return inventory.hosts.filter((h) => h.persona !== 'server');
}
