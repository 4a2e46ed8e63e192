import { QualityFigures } from './comparison-metrics';

/** Everything one run measured, as the report renders it. */
export interface ComparisonResults {
  readonly settings: string[];
  readonly algorithms: ReadonlyArray<{ key: string; label: string; sklearnLabel: string }>;
  readonly datasets: ReadonlyArray<{
    name: string;
    description: string;
    rows: number;
    anomalies: number;
    kinds: string[];
    quality: Record<string, { ours: QualityFigures; sklearn: QualityFigures }>;
  }>;
  /** Per timed data set and algorithm. */
  readonly costs: ReadonlyArray<{
    dataset: string;
    algorithm: string;
    trainingRows: number;
    testRows: number;
    /** The first fit in the process, 1 thread: compilation and fresh memory included. */
    oursFirstTrainS: number;
    /** Warm: the median after untimed fits. */
    oursTrainS: number;
    /** Training on 2 threads, for the algorithms that can (LOF). */
    oursTrainS2?: number;
    oursTsRowsPerS: number;
    oursOnnxRowsPerS: Record<'1' | '2', number>;
    oursBytes: number;
    sklearnFirstFitS: number;
    sklearnFitS: Record<string, number>;
    sklearnRowsPerS: Record<string, number>;
    sklearnNJobs: boolean;
    sklearnBytes: number;
  }>;
  readonly notes: string[];
}

const f3 = (n: number): string => (Number.isFinite(n) ? n.toFixed(3) : '–');
const int = (n: number): string => Math.round(n).toLocaleString('en-US');
const pct = (n: number): string => `${(100 * n).toFixed(1)}%`;
const kb = (n: number): string => `${(n / 1024).toFixed(0)} KB`;
const pair = (ours: string, theirs: string): string => `${ours} (${theirs})`;

function jobsCell(values: Record<string, number>, nJobs: boolean, format: (n: number) => string): string {
  return nJobs ? `${format(values['1'])} / ${format(values['2'] ?? NaN)}` : `${format(values['1'])} (no n_jobs)`;
}

export function markdownReport(results: ComparisonResults): string {
  const lines: string[] = ['# Anomaly detection algorithms: flowsentry next to scikit-learn', ''];
  lines.push(...results.settings.map((s) => `- ${s}`), '');
  lines.push('## Detection quality', '', 'Each cell: flowsentry (scikit-learn, same run, same rows, same parameters). Anomaly score = −score_samples.', '');
  lines.push('| data set | algorithm | ROC-AUC | average precision | recall at 1% FPR |', '| --- | --- | ---: | ---: | ---: |');
  for (const d of results.datasets) {
    for (const a of results.algorithms) {
      const q = d.quality[a.key];
      lines.push(`| ${d.name} | ${a.label} | ${pair(f3(q.ours.rocAuc), f3(q.sklearn.rocAuc))} | ${pair(f3(q.ours.averagePrecision), f3(q.sklearn.averagePrecision))} | ${pair(pct(q.ours.recallAt1PctFpr), pct(q.sklearn.recallAt1PctFpr))} |`);
    }
  }
  for (const d of results.datasets.filter((x) => x.kinds.length > 0)) {
    lines.push('', `### Recall at 1% FPR per attack kind: ${d.name}`, '', `| algorithm | ${d.kinds.join(' | ')} |`, `| --- |${d.kinds.map(() => ' ---: |').join('')}`);
    for (const a of results.algorithms) {
      const q = d.quality[a.key];
      lines.push(`| ${a.label} | ${d.kinds.map((k) => pair(pct(q.ours.recallByKind[k] ?? 0), pct(q.sklearn.recallByKind[k] ?? 0))).join(' | ')} |`);
    }
  }
  lines.push('', '## Cost', '', 'flowsentry trains on 1 thread, and LOF also on 2 (1 / 2 thr); scoring is the TypeScript reference (1 thread) and onnxruntime through `OnnxScorer` with 1 and 2 threads (row split), fed as the monitor and evaluator feed it (`onnxSliceRows`): LOF and the SVMs in slices of 2,000,000 / compared rows, at most 4,096 (LOF 200 rows, exact OC-SVM 400, Nyström 4,096), the forest whole. scikit-learn: n_jobs 1 / 2 where the estimator has n_jobs.', '');
  lines.push('| data set | algorithm | training rows | flowsentry train s, warm (1 / 2 thr) | sklearn fit s, warm (1 / 2 jobs) | first fit s, cold: flowsentry (sklearn) | flowsentry TS rows/s | flowsentry ONNX rows/s (1 / 2 thr) | sklearn score_samples rows/s (1 / 2 jobs) | ONNX size | sklearn pickle |');
  lines.push('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const c of results.costs) {
    lines.push(
      `| ${c.dataset} | ${c.algorithm} | ${int(c.trainingRows)} | ${c.oursTrainS2 === undefined ? f3(c.oursTrainS) : `${f3(c.oursTrainS)} / ${f3(c.oursTrainS2)}`} | ${jobsCell(c.sklearnFitS, c.sklearnNJobs, f3)} | ${pair(f3(c.oursFirstTrainS), f3(c.sklearnFirstFitS))} | ${int(c.oursTsRowsPerS)} | ${int(c.oursOnnxRowsPerS['1'])} / ${int(c.oursOnnxRowsPerS['2'])} | ${jobsCell(c.sklearnRowsPerS, c.sklearnNJobs, int)} | ${kb(c.oursBytes)} | ${kb(c.sklearnBytes)} |`,
    );
  }
  lines.push('', '## Notes', '', ...results.notes.map((n) => `- ${n}`), '');
  return lines.join('\n');
}

const COLORS = ['#1b6ca8', '#d1495b', '#2e8b57', '#e09f3e'];

function curveSvg(title: string, xLabel: string, yLabel: string, series: Array<{ name: string; color: string; dashed: boolean; points: Array<[number, number]> }>): string {
  const w = 360;
  const h = 300;
  const m = { left: 44, right: 10, top: 24, bottom: 36 };
  const x = (v: number): number => m.left + v * (w - m.left - m.right);
  const y = (v: number): number => h - m.bottom - v * (h - m.top - m.bottom);
  const ticks = [0, 0.25, 0.5, 0.75, 1];
  const grid = ticks
    .map((t) => `<line x1="${x(t)}" y1="${y(0)}" x2="${x(t)}" y2="${y(1)}" stroke="#eee"/><line x1="${x(0)}" y1="${y(t)}" x2="${x(1)}" y2="${y(t)}" stroke="#eee"/>` +
      `<text x="${x(t)}" y="${y(0) + 14}" font-size="10" text-anchor="middle">${t}</text><text x="${x(0) - 6}" y="${y(t) + 3}" font-size="10" text-anchor="end">${t}</text>`)
    .join('');
  const lines = series
    .map((s) => `<polyline fill="none" stroke="${s.color}" stroke-width="1.5"${s.dashed ? ' stroke-dasharray="4 3"' : ''} points="${s.points.map(([a, b]) => `${x(a).toFixed(1)},${y(b).toFixed(1)}`).join(' ')}"><title>${s.name}</title></polyline>`)
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" role="img" aria-label="${title}"><text x="${w / 2}" y="14" font-size="12" text-anchor="middle" font-weight="bold">${title}</text>${grid}` +
    `<rect x="${x(0)}" y="${y(1)}" width="${x(1) - x(0)}" height="${y(0) - y(1)}" fill="none" stroke="#999"/>${lines}` +
    `<text x="${w / 2}" y="${h - 4}" font-size="11" text-anchor="middle">${xLabel}</text><text x="12" y="${h / 2}" font-size="11" text-anchor="middle" transform="rotate(-90 12 ${h / 2})">${yLabel}</text></svg>`;
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** A self-contained page: the markdown tables as HTML plus inline SVG ROC and PR curves (no scripts, no CDN). */
export function htmlReport(results: ComparisonResults, markdown: string): string {
  const legend = results.algorithms
    .map((a, i) => `<span style="color:${COLORS[i]}">━ ${escapeHtml(a.label)}</span> <span style="color:${COLORS[i]}">╌ ${escapeHtml(a.sklearnLabel)} (sklearn)</span>`)
    .join('<br>');
  const panels = results.datasets
    .map((d) => {
      const series = (pick: (q: QualityFigures) => Array<[number, number]>) =>
        results.algorithms.flatMap((a, i) => [
          { name: `${a.label}`, color: COLORS[i], dashed: false, points: pick(d.quality[a.key].ours) },
          { name: `${a.sklearnLabel} (sklearn)`, color: COLORS[i], dashed: true, points: pick(d.quality[a.key].sklearn) },
        ]);
      return `<section><h3>${escapeHtml(d.name)}</h3><p>${escapeHtml(d.description)}: ${d.rows.toLocaleString('en-US')} rows, ${d.anomalies.toLocaleString('en-US')} anomalies</p>` +
        curveSvg('ROC', 'false-positive rate', 'true-positive rate', series((q) => q.roc)) +
        curveSvg('Precision–recall', 'recall', 'precision', series((q) => q.pr)) +
        '</section>';
    })
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>flowsentry: algorithm comparison</title>
<style>body{font-family:system-ui,sans-serif;margin:2em;max-width:1200px}table{border-collapse:collapse;font-size:13px;margin:1em 0}td,th{border:1px solid #ccc;padding:3px 6px;text-align:right}td:nth-child(-n+2),th:nth-child(-n+2){text-align:left}section{display:inline-block;vertical-align:top;margin:0 1em 1em 0}pre{white-space:pre-wrap}</style>
</head><body>
${markdownToHtml(markdown)}
<h2>Curves</h2><p>${legend}</p>
${panels}
</body></html>
`;
}

/** Just enough markdown for this report: headings, bullet lists, pipe tables, paragraphs. */
function markdownToHtml(markdown: string): string {
  const out: string[] = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line.startsWith('|')) {
      const rows: string[][] = [];
      while (i < lines.length && lines[i].startsWith('|')) {
        if (!/^\|[\s:|-]+\|$/.test(lines[i])) rows.push(lines[i].slice(1, -1).split('|').map((c) => c.trim()));
        i++;
      }
      i--;
      out.push(`<table>${rows.map((r, n) => `<tr>${r.map((c) => (n === 0 ? `<th>${escapeHtml(c)}</th>` : `<td>${escapeHtml(c)}</td>`)).join('')}</tr>`).join('')}</table>`);
    } else if (line.startsWith('#')) {
      const level = line.indexOf(' ');
      out.push(`<h${level}>${escapeHtml(line.slice(level + 1))}</h${level}>`);
    } else if (line.startsWith('- ')) {
      out.push(`<li>${escapeHtml(line.slice(2))}</li>`);
    } else if (line.trim()) {
      out.push(`<p>${escapeHtml(line)}</p>`);
    }
  }
  return out.join('\n');
}
