import type { Host, Persona } from './hosts';
import type { ProfileName } from './profiles/profile';
import type { Rng } from './random';
import type { Regime } from './regime';

/**
 * What a host's next flow is, split by what drives it. People browse, read mail and open
 * files, and follow the working day; machines resolve names, sync clocks, poll the directory
 * and fetch updates, and do not. A host's flows are a mixture of the two in proportion to its
 * current human activity, which is how the daily rhythm also shifts the protocol mix.
 */
const HUMAN_MIX: Record<Exclude<Persona, 'server'>, Record<ProfileName, number>> = {
  office: { web: 0.6, dns: 0.22, internal: 0.1, mail: 0.08, ntp: 0 },
  developer: { web: 0.5, dns: 0.2, internal: 0.24, mail: 0.06, ntp: 0 },
  admin: { web: 0.35, dns: 0.2, internal: 0.4, mail: 0.05, ntp: 0 },
};

const CLIENT_MACHINE_MIX: Record<ProfileName, number> = { dns: 0.4, ntp: 0.12, internal: 0.25, web: 0.18, mail: 0.05 };

/** Servers by role; recognised by name because the inventory fixes them. */
const SERVER_MIX: Record<string, Record<ProfileName, number>> = {
  'dc-app-01': { internal: 0.7, dns: 0.2, ntp: 0.05, web: 0.05, mail: 0 },
  'dc-mail-01': { mail: 0.75, dns: 0.2, ntp: 0.05, web: 0, internal: 0 },
  'dc-dns-01': { dns: 0.97, ntp: 0.03, web: 0, internal: 0, mail: 0 },
};

/** Drift also brings a different mix for people (not machines): see Regime. */
function boosted(mix: Record<ProfileName, number>, regime: Regime): Record<ProfileName, number> {
  if (!regime.drifted) return mix;
  const out = { ...mix };
  for (const [name, factor] of Object.entries(regime.humanMixBoost) as [ProfileName, number][]) out[name] *= factor;
  return out;
}

export function chooseProfile(rng: Rng, host: Host, humanActivity: number, regime: Regime): ProfileName {
  if (host.persona === 'server') return rng.weighted(SERVER_MIX[host.name] ?? CLIENT_MACHINE_MIX);
  const human = (1 - host.machineShare) * humanActivity;
  const humanDriven = rng.next() * (human + host.machineShare) < human;
  return humanDriven ? rng.weighted(boosted(HUMAN_MIX[host.persona], regime)) : rng.weighted(CLIENT_MACHINE_MIX);
}
