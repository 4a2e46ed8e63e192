import { labelledDetection } from './labelled-detection';
import { formatAnomalies, summarizeAnomalies } from './anomalies';

describe('detection against labels', () => {
  const flows = { normal: 29_000, portscan: 2_400, synflood: 7_300, beaconing: 24 };
  const alerts = { normal: 29, portscan: 2_398, synflood: 7_300 };

  it('gives each attack type its recall and normal traffic its false-positive rate, attacks first', () => {
    const d = labelledDetection(flows, alerts, 50);
    expect(d.byLabel.map((l) => [l.label, l.flows, l.alerts])).toEqual([
      ['beaconing', 24, 0],
      ['portscan', 2_400, 2_398],
      ['synflood', 7_300, 7_300],
      ['normal', 29_000, 29],
    ]);
    expect(d.byLabel.find((l) => l.label === 'portscan')!.rate).toBeCloseTo(0.99917, 5);
    expect(d.byLabel.find((l) => l.label === 'normal')!.rate).toBeCloseTo(0.001, 6);
    expect(d.precision).toBeCloseTo(9_698 / 9_727, 6);
    expect(d).toMatchObject({ scoredFlows: 38_724, scoredBatches: 50 });
  });

  it('counts unlabelled alerts against precision, and has no precision without alerts', () => {
    expect(labelledDetection({ unlabelled: 10 }, { unlabelled: 2 }, 1).precision).toBe(0);
    expect(labelledDetection({ normal: 10 }, {}, 1).precision).toBe(0);
  });

  it('prints the table under the summary', () => {
    const summary = { ...summarizeAnomalies([], { limit: 0 }), total: 1, byModel: { 'm v1': 1 }, detection: labelledDetection(flows, alerts, 50) };
    const text = formatAnomalies(summary);
    expect(text).toContain("against the events' own labels (38724 flows in 50 batches scored by the monitor):");
    expect(text).toMatch(/portscan\s+2400\s+2398\s+recall 0\.999/);
    expect(text).toMatch(/normal\s+29000\s+29\s+0\.10% alerted \(false positives\)/);
    expect(text).toContain('precision: 99.7% of the alerts are on attack flows');
  });
});
