import { AttackKind, AttackName } from './attack';
import { beaconing } from './beaconing';
import { bruteforce } from './bruteforce';
import { exfiltration } from './exfiltration';
import { portscan } from './portscan';
import { synflood } from './synflood';

export * from './attack';

export const ATTACKS: Record<AttackName, AttackKind> = { portscan, synflood, bruteforce, exfiltration, beaconing };

export const ATTACK_NAMES = Object.keys(ATTACKS) as AttackName[];

export function isAttackName(name: string): name is AttackName {
  return Object.prototype.hasOwnProperty.call(ATTACKS, name);
}
