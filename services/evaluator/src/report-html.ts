import { EvaluationReport, isScored, ModelEvaluation } from './evaluation-report';

/**
 * report.html: the evaluation for a person, in one file that opens in a browser with no network —
 * inline CSS and inline SVG only, no scripts, no fonts, no URLs. Rendered from report.json alone
 * (same report, same bytes), with every value from an event or a label escaped.
 */
export function renderReportHtml(report: EvaluationReport): string {
  const champion = isScored(report.champion) ? report.champion : undefined;
  const title = `${report.modelName} v${report.version}: ${report.decision}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>${esc(report.modelName)} v${esc(report.version)}</h1>
<section class="decision ${esc(report.decision)}">
<p class="verdict">Decision: <strong>${esc(report.decision)}</strong> (${esc(report.policy)} policy)</p>
<p class="why">${esc(report.reason)}</p>
</section>
<h2>Sanity gates</h2>
<table><tr><th>gate</th><th>result</th><th>detail</th></tr>
${report.gates.map((g) => `<tr><td>${esc(g.gate)}</td><td class="${g.passed ? 'pass' : 'fail'}">${g.passed ? 'passed' : 'failed'}</td><td>${esc(g.detail)}</td></tr>`).join('\n')}
</table>
<h2>Held-out data</h2>
<p>${report.holdout.rows} rows from ${report.holdout.datasets.length} SILVER dataset(s), ${report.holdout.labelled ? `labelled: ${esc(attackList(report.holdout.attackTypes))}` : 'without labels'}.</p>
<ul class="datasets">${report.holdout.datasets.map((d) => `<li><code>${esc(d.key)}</code> ${d.rows} rows, sha256 <code>${esc(d.sha256.slice(0, 12))}…</code></li>`).join('')}</ul>
<h2>Challenger${champion ? ' and champion' : ''}</h2>
${metricsTable(report.challenger, champion, report)}
${championNote(report)}
${report.challenger.labelled ? perAttackTable(report.challenger, champion) : ''}
<div class="charts">
${report.challenger.curves ? curveChart('ROC curve', 'false-positive rate', 'true-positive rate', [series('challenger', CHALLENGER, report.challenger.curves.roc), ...(champion?.curves ? [series('champion', CHAMPION, champion.curves.roc)] : [])], true) : ''}
${report.challenger.curves ? curveChart('Precision-recall curve', 'recall', 'precision', [series('challenger', CHALLENGER, report.challenger.curves.pr), ...(champion?.curves ? [series('champion', CHAMPION, champion.curves.pr)] : [])], false) : ''}
${histogramChart(report, champion)}
</div>
<h2>Engines</h2>
${engines(report)}
<p class="foot">Model <code>${esc(report.challenger.onnxKey)}</code>, sha256 <code>${esc(report.challenger.sha256)}</code>. Recall is reported at a false-positive rate of ${num(report.settings.fpr, 4)}; k = ${report.settings.topK}.</p>
</body>
</html>
`;
}

const CHALLENGER = '#1f6feb';
const CHAMPION = '#d97706';

const STYLE = `body{font:14px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:1100px;color:#1b1f24;padding:0 1rem}
h1{margin-bottom:.5rem}h2{margin-top:2rem;border-bottom:1px solid #d0d7de;padding-bottom:.25rem}
.decision{padding:.75rem 1rem;border-radius:6px;border:1px solid}.decision.approved{background:#dafbe1;border-color:#4ac26b}
.decision.pending{background:#fff8c5;border-color:#d4a72c}.decision.rejected{background:#ffebe9;border-color:#ff8182}
.verdict{font-size:1.2rem;margin:0}.why{margin:.25rem 0 0}
table{border-collapse:collapse;margin:.5rem 0}td,th{border:1px solid #d0d7de;padding:.25rem .6rem;text-align:left}
td.num{text-align:right;font-variant-numeric:tabular-nums}.pass{color:#1a7f37}.fail{color:#cf222e;font-weight:600}
.charts{display:flex;flex-wrap:wrap;gap:1.5rem;margin-top:1rem}figure{margin:0}figcaption{font-weight:600;margin-bottom:.25rem}
svg text{font:11px system-ui,sans-serif;fill:#57606a}.foot{color:#57606a;font-size:12px}code{font-size:12px}`;

interface Series {
  name: string;
  color: string;
  points: Array<[number, number]>;
}

function series(name: string, color: string, points: Array<[number, number]>): Series {
  return { name, color, points };
}

function metricsTable(challenger: ModelEvaluation, champion: ModelEvaluation | undefined, report: EvaluationReport): string {
  const rows: Array<[string, (m: ModelEvaluation) => number | undefined, number]> = [
    ['ROC-AUC', (m) => m.labelled?.rocAuc, 4],
    ['average precision', (m) => m.labelled?.averagePrecision, 4],
    [`precision@${report.settings.topK}`, (m) => m.labelled?.precisionAtK, 4],
    [`recall at FPR ${report.settings.fpr}`, (m) => m.labelled?.recallAtFpr, 4],
    ['recall at the threshold', (m) => m.labelled?.atThreshold.recall, 4],
    ['alert rate (all rows)', (m) => m.unlabelled.alertRate, 5],
    ['alert rate (normal rows)', (m) => m.unlabelled.normalAlertRate, 5],
    ['target alert rate', (m) => m.targetAlertRate ?? undefined, 5],
    ['threshold (anomaly score)', (m) => m.threshold, 5],
    ['anomaly score mean', (m) => m.unlabelled.distribution.mean, 5],
    ['anomaly score p99', (m) => m.unlabelled.distribution.quantiles.p99, 5],
  ];
  const shown = rows.filter(([, get]) => get(challenger) !== undefined);
  return `<table><tr><th>metric</th><th>challenger v${esc(challenger.version)}</th>${champion ? `<th>champion v${esc(champion.version)}</th>` : ''}</tr>
${shown.map(([name, get, digits]) => `<tr><td>${esc(name)}</td><td class="num">${num(get(challenger), digits)}</td>${champion ? `<td class="num">${num(get(champion), digits)}</td>` : ''}</tr>`).join('\n')}
</table>`;
}

function championNote(report: EvaluationReport): string {
  if (report.champion === null) return '<p>No champion yet: this is the first model of its name.</p>';
  if (!isScored(report.champion)) return `<p>Champion v${esc(report.champion.version)} could not be scored on these rows: ${esc(report.champion.unscored)}</p>`;
  const agreement = report.comparison.agreement;
  return agreement
    ? `<p>Agreement with the champion on these rows: Spearman rank correlation ${num(agreement.spearman, 4)}, top-${agreement.k} overlap ${num(agreement.topKOverlap, 3)}.</p>`
    : '';
}

function perAttackTable(challenger: ModelEvaluation, champion: ModelEvaluation | undefined): string {
  const attacks = Object.keys(challenger.labelled!.perAttack);
  if (attacks.length === 0) return '';
  return `<h3>Per attack type (each against the normal rows)</h3>
<table><tr><th>attack</th><th>rows</th><th>ROC-AUC</th><th>recall at FPR</th><th>recall at threshold</th>${champion ? '<th>champion ROC-AUC</th>' : ''}</tr>
${attacks
  .map((a) => {
    const m = challenger.labelled!.perAttack[a]!;
    return `<tr><td>${esc(a)}</td><td class="num">${m.rows}</td><td class="num">${num(m.rocAuc, 4)}</td><td class="num">${num(m.recallAtFpr, 4)}</td><td class="num">${num(m.recallAtThreshold, 4)}</td>${champion ? `<td class="num">${num(champion.labelled?.perAttack[a]?.rocAuc, 4)}</td>` : ''}</tr>`;
  })
  .join('\n')}
</table>`;
}

const W = 340;
const H = 260;
const PAD = { left: 44, right: 12, top: 24, bottom: 36 };
const PW = W - PAD.left - PAD.right;
const PH = H - PAD.top - PAD.bottom;

/** A unit-square line chart (ROC, PR) with an optional chance diagonal. */
function curveChart(title: string, xLabel: string, yLabel: string, lines: Series[], diagonal: boolean): string {
  const x = (v: number) => PAD.left + v * PW;
  const y = (v: number) => PAD.top + (1 - v) * PH;
  const paths = lines.map((s) => `<polyline fill="none" stroke="${s.color}" stroke-width="2" points="${s.points.map(([a, b]) => `${r(x(a))},${r(y(b))}`).join(' ')}"/>`).join('');
  const chance = diagonal ? `<line x1="${x(0)}" y1="${y(0)}" x2="${x(1)}" y2="${y(1)}" stroke="#8c959f" stroke-dasharray="4 4"/>` : '';
  return figure(title, `${axes(xLabel, yLabel, [0, 1], [0, 1])}${chance}${paths}${legend(lines)}`);
}

/** Challenger and champion anomaly-score histograms on shared bins, each normalised to its share of rows, with each threshold. */
function histogramChart(report: EvaluationReport, champion: ModelEvaluation | undefined): string {
  const { edges, challenger, champion: championCounts } = report.histogram;
  if (edges.length < 2) return '';
  const bars: Array<{ s: Series; counts: number[]; threshold: number }> = [{ s: series('challenger', CHALLENGER, []), counts: challenger, threshold: report.challenger.threshold }];
  if (champion && championCounts) bars.push({ s: series('champion', CHAMPION, []), counts: championCounts, threshold: champion.threshold });
  const shares = bars.map((b) => {
    const total = b.counts.reduce((a, c) => a + c, 0) || 1;
    return b.counts.map((c) => c / total);
  });
  const top = Math.max(...shares.flat(), 1e-9);
  const lo = edges[0]!;
  const hi = edges[edges.length - 1]!;
  const x = (v: number) => PAD.left + ((v - lo) / (hi - lo)) * PW;
  const y = (v: number) => PAD.top + (1 - v / top) * PH;
  let body = axes('anomaly score (−score_samples)', 'share of rows', [lo, hi], [0, top]);
  bars.forEach((b, k) => {
    body += shares[k]!.map((share, i) => (share > 0 ? `<rect x="${r(x(edges[i]!))}" y="${r(y(share))}" width="${r(Math.max(0.5, x(edges[i + 1]!) - x(edges[i]!)))}" height="${r(PAD.top + PH - y(share))}" fill="${b.s.color}" fill-opacity="0.45"/>` : '')).join('');
    if (b.threshold >= lo && b.threshold <= hi) body += `<line x1="${r(x(b.threshold))}" y1="${PAD.top}" x2="${r(x(b.threshold))}" y2="${PAD.top + PH}" stroke="${b.s.color}" stroke-dasharray="5 3"/>`;
  });
  return figure('Anomaly scores on the held-out rows (dashed: threshold)', body + legend(bars.map((b) => b.s)));
}

function axes(xLabel: string, yLabel: string, [x0, x1]: [number, number], [y0, y1]: [number, number]): string {
  const ticks = [0, 0.25, 0.5, 0.75, 1];
  const xt = ticks.map((t) => `<text x="${r(PAD.left + t * PW)}" y="${PAD.top + PH + 14}" text-anchor="middle">${num(x0 + t * (x1 - x0), 2)}</text>`).join('');
  const yt = ticks.map((t) => `<text x="${PAD.left - 4}" y="${r(PAD.top + (1 - t) * PH + 4)}" text-anchor="end">${num(y0 + t * (y1 - y0), 2)}</text>`).join('');
  return `<rect x="${PAD.left}" y="${PAD.top}" width="${PW}" height="${PH}" fill="#fff" stroke="#d0d7de"/>${xt}${yt}<text x="${PAD.left + PW / 2}" y="${H - 4}" text-anchor="middle">${esc(xLabel)}</text><text transform="translate(11 ${PAD.top + PH / 2}) rotate(-90)" text-anchor="middle">${esc(yLabel)}</text>`;
}

/** Above the plot, where no curve or bar can hide it. */
function legend(lines: Series[]): string {
  return lines.map((s, i) => `<rect x="${PAD.left + i * 90}" y="6" width="10" height="10" fill="${s.color}"/><text x="${PAD.left + 14 + i * 90}" y="15">${esc(s.name)}</text>`).join('');
}

function figure(title: string, body: string): string {
  return `<figure><figcaption>${esc(title)}</figcaption><svg width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" role="img" aria-label="${esc(title)}">${body}</svg></figure>`;
}

function attackList(types: Record<string, number>): string {
  const entries = Object.entries(types);
  return entries.length === 0 ? 'no attack rows' : entries.map(([name, n]) => `${name} ${n}`).join(', ');
}

/** Which algorithms were judged, and what the second engine said about the challenger's graph (or why there is none). */
function engines(report: EvaluationReport): string {
  const a = report.agreement;
  const champion = isScored(report.champion) ? report.champion : undefined;
  const algorithms = `<p>Challenger: ${esc(report.challenger.algorithm ?? 'isolation-forest')}${champion ? `; champion: ${esc(champion.algorithm ?? 'isolation-forest')}` : ''}.${
    champion && (champion.algorithm ?? 'isolation-forest') !== (report.challenger.algorithm ?? 'isolation-forest') ? ' Their scores are on different scales: they are compared by rank only, and the histogram shows the challenger alone.' : ''
  }</p>`;
  if (a.notApplicable !== undefined) return `${algorithms}\n<p>No second engine: ${esc(a.notApplicable)}.</p>`;
  return `${algorithms}\n<p>onnxruntime and the forest kernel scored the same ${a.rows} held-out rows; largest |Δ score_samples| = ${num(a.maxAbsDiff, 3, true)} (tolerance ${num(a.tolerance, 1, true)}).${a.error ? ` ${esc(a.error)}` : ''}</p>`;
}

function num(v: number | undefined | null, digits: number, exponential = false): string {
  if (v === undefined || v === null) return '–';
  if (!Number.isFinite(v)) return String(v);
  return exponential ? v.toExponential(digits) : v.toFixed(digits);
}

function r(v: number): string {
  return String(Math.round(v * 10) / 10);
}

function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
