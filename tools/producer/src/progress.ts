import type { RunStats, RunSummary } from './runner';

export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return '?';
  if (ms > 0 && ms < 1000) return `${Math.round(ms)}ms`;
  const s = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  if (h > 0) return `${h}h${String(m).padStart(2, '0')}m`;
  if (m > 0) return `${m}m${String(sec).padStart(2, '0')}s`;
  return `${sec}s`;
}

function labelMix(labels: Record<string, number>, sent: number): string {
  if (sent === 0) return '-';
  return Object.entries(labels)
    .sort((a, b) => b[1] - a[1])
    .map(([label, n]) => `${label} ${((100 * n) / sent).toFixed(1)}%`)
    .join(' ');
}

export function formatProgress(stats: RunStats, targetRate: number, paced: boolean): string {
  const rate = stats.elapsedMs > 0 ? stats.sent / (stats.elapsedMs / 1000) : 0;
  const pct = stats.total > 0 ? (100 * stats.sent) / stats.total : 100;
  const etaMs = rate > 0 ? ((stats.total - stats.sent) / rate) * 1000 : Infinity;
  const target = paced ? ` (target ${targetRate})` : ' (unpaced)';
  return (
    `sent ${stats.sent}/${stats.total} (${pct.toFixed(1)}%) | ${rate.toFixed(0)} ev/s${target} | ` +
    `${labelMix(stats.labels, stats.sent)} | elapsed ${formatDuration(stats.elapsedMs)} eta ${formatDuration(etaMs)}`
  );
}

export function formatSummary(summary: RunSummary, destination: string): string {
  const lines = [
    `${summary.interrupted ? 'interrupted' : 'done'}: ${summary.sent} events to ${destination} in ${formatDuration(summary.elapsedMs)} (${summary.achievedRate.toFixed(0)} ev/s)`,
  ];
  for (const [label, n] of Object.entries(summary.labels).sort((a, b) => b[1] - a[1])) {
    lines.push(`  ${label.padEnd(14)} ${String(n).padStart(10)}  ${((100 * n) / Math.max(1, summary.sent)).toFixed(2)}%`);
  }
  if (!summary.rateMet) {
    const bottleneck = summary.sendMs >= summary.generateMs ? `the sink (${formatDuration(summary.sendMs)} in send)` : `event generation (${formatDuration(summary.generateMs)})`;
    lines.push(`target rate NOT met: achieved ${summary.achievedRate.toFixed(0)} ev/s of ${summary.targetRate} ev/s; bottleneck: ${bottleneck}`);
  }
  return lines.join('\n');
}

/**
 * Progress on stderr (stdout may carry the events). On a terminal one line is rewritten in
 * place; in a log or pipe a line is printed every few seconds instead.
 */
export class ProgressLine {
  private lastLine = 0;

  constructor(
    private readonly stream: NodeJS.WriteStream,
    private readonly targetRate: number,
    private readonly paced: boolean,
    private readonly logEveryMs = 5000,
  ) {}

  update(stats: RunStats): void {
    const text = formatProgress(stats, this.targetRate, this.paced);
    if (this.stream.isTTY) {
      this.stream.write(`\r${text}\x1b[K`);
    } else if (stats.elapsedMs - this.lastLine >= this.logEveryMs) {
      this.lastLine = stats.elapsedMs;
      this.stream.write(`${text}\n`);
    }
  }

  finish(): void {
    if (this.stream.isTTY) this.stream.write('\n');
  }
}
