import { NetworkEvent, eventTimeMs } from '@flowsentry/contracts';
import { TrafficGenerator } from './generator';
import { ScenarioOptions, planScenario } from './scenario';

const NOW = Date.UTC(2025, 5, 1);
const MONDAY = Date.UTC(2025, 0, 6);
const DAY_S = 86_400;

/** One simulated day of normal traffic: count / rate real seconds, times the scale. */
function oneDay(over: Partial<ScenarioOptions> = {}): NetworkEvent[] {
  const count = 30_000;
  const rate = 100;
  const scenario = planScenario(
    { seed: 'rhythm', hosts: 60, count, rate, timeScale: DAY_S / (count / rate), startMs: MONDAY, attacks: [], attackShare: 0, driftAt: null, ...over },
    NOW,
  );
  return [...new TrafficGenerator(scenario)];
}

function perHour(events: NetworkEvent[]): number[] {
  const hours = new Array<number>(24).fill(0);
  for (const e of events) hours[new Date(eventTimeMs(e)).getUTCHours()]!++;
  return hours;
}

describe('daily rhythm of normal traffic', () => {
  const events = oneDay();
  const hours = perHour(events);
  const avg = (from: number, to: number) => hours.slice(from, to).reduce((a, b) => a + b, 0) / (to - from);

  it('covers the simulated day the options describe', () => {
    const first = eventTimeMs(events[0]!);
    const last = eventTimeMs(events[events.length - 1]!);
    expect(first - MONDAY).toBeLessThan(60_000);
    expect(Math.abs(last - (MONDAY + DAY_S * 1000))).toBeLessThan(2 * 3_600_000);
  });

  it('is several times busier in working hours than at night', () => {
    expect(avg(10, 16)).toBeGreaterThan(3 * avg(0, 5));
  });

  it('ramps up in the morning and fades in the evening', () => {
    expect(avg(7, 9)).toBeGreaterThan(avg(2, 4));
    expect(avg(18, 20)).toBeLessThan(avg(10, 16));
    expect(avg(18, 20)).toBeGreaterThan(avg(1, 4));
  });

  it('shifts the mix towards machine traffic (DNS, NTP) at night', () => {
    const share = (from: number, to: number, app: string) => {
      const slice = events.filter((e) => {
        const h = new Date(eventTimeMs(e)).getUTCHours();
        return h >= from && h < to;
      });
      return slice.filter((e) => e.app_proto === app).length / slice.length;
    };
    expect(share(1, 5, 'ntp')).toBeGreaterThan(2 * share(10, 16, 'ntp'));
  });

  it('is quieter on a weekend day than on a weekday', () => {
    const saturday = oneDay({ startMs: MONDAY + 5 * DAY_S * 1000 });
    const workday = perHour(events).slice(10, 16).reduce((a, b) => a + b, 0);
    const weekend = perHour(saturday).slice(10, 16).reduce((a, b) => a + b, 0);
    // Both days hold the same count, so a flat weekend spreads it evenly over the day.
    expect(weekend).toBeLessThan(workday * 0.8);
  });
});

describe('drift phase', () => {
  const count = 40_000;
  const scenario = planScenario(
    { seed: 'drift', hosts: 40, count, rate: 100, timeScale: (2 * DAY_S) / (count / 100), startMs: MONDAY, attacks: [], attackShare: 0, driftAt: 0.5 },
    NOW,
  );
  const events = [...new TrafficGenerator(scenario)];
  const before = events.filter((e) => eventTimeMs(e) < scenario.driftAtMs!);
  const after = events.filter((e) => eventTimeMs(e) >= scenario.driftAtMs!);
  const share = (xs: NetworkEvent[], p: (e: NetworkEvent) => boolean) => xs.filter(p).length / xs.length;
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

  it('starts at the requested fraction of the run', () => {
    expect(scenario.driftAtMs).toBe(MONDAY + DAY_S * 1000);
    expect(before.length).toBeGreaterThan(1000);
    expect(after.length).toBeGreaterThan(1000);
  });

  it('brings a new protocol share: QUIC over udp/443 goes from rare to common', () => {
    const quic = (e: NetworkEvent) => e.protocol === 'udp' && e.dst_port === 443;
    expect(share(before, quic)).toBeLessThan(0.01);
    expect(share(after, quic)).toBeGreaterThan(0.08);
  });

  it('makes web transfers larger', () => {
    const web = (xs: NetworkEvent[]) => xs.filter((e) => e.app_proto === 'ssl' && e.dst_port === 443 && e.conn_state === 'SF').map((e) => e.bytes_in);
    expect(median(web(after))).toBeGreaterThan(2 * median(web(before)));
  });

  it('changes the app mix: more web, less mail', () => {
    const isWeb = (e: NetworkEvent) => e.dst_port === 443 || e.dst_port === 80;
    expect(share(after, isWeb)).toBeGreaterThan(share(before, isWeb) + 0.05);
    const isMail = (e: NetworkEvent) => e.app_proto === 'smtp' || e.dst_port === 993;
    expect(share(after, isMail)).toBeLessThan(share(before, isMail));
  });

  it('still labels drifted traffic as normal', () => {
    expect(new Set(after.map((e) => e.label))).toEqual(new Set(['normal']));
  });
});
