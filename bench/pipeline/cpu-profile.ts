import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The parts of a V8 .cpuprofile (what `node --cpu-prof` writes at exit) that self time needs. */
interface CpuProfile {
  nodes: Array<{ id: number; callFrame: { functionName: string; url: string; lineNumber: number } }>;
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileSummary {
  totalMs: number;
  /** Self time per place the time was spent: a package under node_modules, or a file of ours. */
  byArea: Array<{ area: string; ms: number; share: number }>;
  /** Self time per function, the heaviest first. */
  byFunction: Array<{ fn: string; ms: number; share: number }>;
}

/** Self time of every profile in `dir` (one per process that exited), summed and ranked. */
export function summarizeProfiles(dir: string, top = 15): ProfileSummary {
  const area = new Map<string, number>();
  const fn = new Map<string, number>();
  let total = 0;
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'))) {
    const profile = JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile;
    const frames = new Map(profile.nodes.map((n) => [n.id, n.callFrame]));
    profile.samples.forEach((id, i) => {
      const us = profile.timeDeltas[i] ?? 0;
      const frame = frames.get(id);
      if (!frame) return;
      total += us;
      const where = areaOf(frame.url, frame.functionName);
      area.set(where, (area.get(where) ?? 0) + us);
      const name = `${frame.functionName || '(anonymous)'} ${shortUrl(frame.url)}:${frame.lineNumber + 1}`;
      fn.set(name, (fn.get(name) ?? 0) + us);
    });
  }
  const ranked = (m: Map<string, number>, key: 'area' | 'fn') =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, us]) => ({ [key]: name, ms: Math.round(us / 1000), share: Number((us / total).toFixed(3)) }));
  return { totalMs: Math.round(total / 1000), byArea: ranked(area, 'area') as ProfileSummary['byArea'], byFunction: ranked(fn, 'fn') as ProfileSummary['byFunction'] };
}

/** `node_modules/<package>` for dependencies, the workspace-relative directory for our code, V8's own names otherwise. */
function areaOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  const dependency = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (dependency) return `node_modules/${dependency[1]}`;
  if (url.startsWith('node:')) return 'node internals';
  const ours = /\/(libs|services|tools)\/([^/]+)\/(?:dist|src)\/(.*\/)?/.exec(url);
  return ours ? `${ours[1]}/${ours[2]}/${ours[3] ?? ''}` : shortUrl(url);
}

function shortUrl(url: string): string {
  return url.replace(/^file:\/\//, '').replace(/^.*\/node_modules\//, '').replace(/^.*\/(libs|services|tools)\//, '$1/');
}
