import { judgeChallenger, JudgementSettings, ScoredModel } from './challenger-judgement';
import { labelsOf } from './holdout';
import { renderReportHtml } from './report-html';

const settings: JudgementSettings = { policy: 'auto', tolerance: 0.01, agreementTolerance: 1e-5, agreementSample: 2000, maxAlertRateFactor: 3, fpr: 0.01, topK: 10 };

/** 400 rows, every 20th an attack; the challenger ranks attacks worse than the champion. */
function reportFor(modelName = 'network-flows') {
  const n = 400;
  const label = Array.from({ length: n }, (_, i) => (i % 20 === 19 ? (i % 40 === 39 ? 'portscan' : 'beaconing') : 'normal'));
  const labels = labelsOf({ rowCount: n, names: ['label'], columns: [label] });
  const scored = (version: string, signal: number): ScoredModel => ({
    version,
    algorithm: 'isolation-forest',
    onnxKey: `models/${modelName}/${version}/model.onnx`,
    sha256: version.repeat(64).slice(0, 64),
    threshold: 0.62,
    targetAlertRate: 0.01,
    anomaly: Float64Array.from(label, (l, i) => 0.4 + ((i * 7919) % 97) / 1000 + (l === 'normal' ? 0 : signal * (0.1 + ((i * 31) % 13) / 100))),
  });
  return judgeChallenger(
    {
      modelName,
      holdout: { rows: n, datasets: [{ key: 'silver/date=2026-11-30/a.parquet', sha256: 'e'.repeat(64), rows: n }], labels },
      agreement: { rows: 400, maxAbsDiff: 5.9e-8 },
      challenger: scored('2', 0.3),
      champion: scored('1', 1.5),
    },
    settings,
  );
}

describe('report.html', () => {
  const report = reportFor();
  const html = renderReportHtml(report);

  it('states the decision and why', () => {
    expect(report.decision).toBe('rejected');
    expect(html).toContain('Decision: <strong>rejected</strong> (auto policy)');
    expect(html).toContain('worse than the champion on labelled held-out rows');
  });

  it('is self-contained: no scripts, no external URLs, no linked stylesheets, fonts or images', () => {
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/https?:\/\//i);
    expect(html).not.toMatch(/<link|@import|url\(|\bsrc=/i);
    expect(html).toMatch(/^<!doctype html>/);
  });

  it('draws the ROC and PR curves and the score histograms of challenger and champion as inline SVG', () => {
    expect(html.match(/<svg /g)).toHaveLength(3);
    for (const caption of ['ROC curve', 'Precision-recall curve', 'Anomaly scores on the held-out rows']) expect(html).toContain(caption);
    expect(html.match(/<polyline/g)).toHaveLength(4);
    expect(html).toContain('>champion v1<');
  });

  it('keeps the curves downsampled, whatever the number of held-out rows', () => {
    for (const curve of [report.challenger.curves!.roc, report.challenger.curves!.pr]) expect(curve.length).toBeLessThanOrEqual(200);
  });

  it('escapes names that come from events', () => {
    const hostile = renderReportHtml(reportFor('<img src=x onerror=alert(1)>'));
    expect(hostile).not.toContain('<img');
    expect(hostile).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });

  it('renders the same bytes for the same report', () => {
    expect(renderReportHtml(reportFor())).toBe(html);
  });
});
