import { NetworkEventV1 } from '@flowsentry/contracts';
import { FlowContext, PROFILES, PROFILE_NAMES } from '.';
import { buildInventory } from '../hosts';
import { Rng } from '../random';
import { BASELINE, DRIFTED } from '../regime';

const inventory = buildInventory(new Rng('profiles').fork('inventory'), 60);
const T = Date.UTC(2025, 0, 7, 11);

describe.each(PROFILE_NAMES)('%s profile', (name) => {
  const profile = PROFILES[name];
  const rng = new Rng(`profile-${name}`);

  it('produces flows that validate against NetworkEvent v1 for every host, before and after drift', () => {
    for (const regime of [BASELINE, DRIFTED]) {
      for (const host of inventory.hosts) {
        for (let i = 0; i < 40; i++) {
          const ctx: FlowContext = { rng, host, inventory, regime, timeMs: T };
          const event = { ts: new Date(T).toISOString(), sensor_id: 's', label: 'normal', ...profile.flow(ctx) };
          const result = NetworkEventV1.safeParse(event);
          if (!result.success) throw new Error(`${JSON.stringify(event)}: ${result.error.message}`);
        }
      }
    }
  });

  it('uses the transport and ports its protocol runs on', () => {
    const ports: Record<string, number[]> = { web: [80, 443], dns: [53], ntp: [123], mail: [25, 587, 993], internal: [22, 88, 389, 445, 3389, 5432] };
    for (const host of inventory.hosts) {
      const flow = profile.flow({ rng, host, inventory, regime: DRIFTED, timeMs: T });
      expect(ports[name]).toContain(flow.dst_port);
      if (name === 'dns' || name === 'ntp') expect(flow.protocol === 'udp' || flow.dst_port === 53).toBe(true);
    }
  });
});

describe('web browsing sizes', () => {
  it('have a heavy tail: the largest downloads dwarf the median', () => {
    const rng = new Rng('tail');
    const host = inventory.hosts[0]!;
    const sizes = Array.from({ length: 20_000 }, () => PROFILES.web.flow({ rng, host, inventory, regime: BASELINE, timeMs: T }).bytes_in).sort((a, b) => a - b);
    const median = sizes[10_000]!;
    expect(sizes[sizes.length - 1]! / median).toBeGreaterThan(1000);
    // The top 1 % of flows carries a large share of all bytes, as on real networks.
    const total = sizes.reduce((a, b) => a + b, 0);
    const top = sizes.slice(-200).reduce((a, b) => a + b, 0);
    expect(top / total).toBeGreaterThan(0.3);
  });
});
