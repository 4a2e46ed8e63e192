import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/** The parts of a V8 .cpuprofile (what `node --cpu-prof` writes at exit) a summary needs. */
interface CpuProfile {
  nodes: Array<{ id: number; callFrame: CallFrame; children?: number[] }>;
  samples: number[];
  timeDeltas: number[];
}

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}

export interface Ranked {
  name: string;
  ms: number;
}

export interface ProfileSummary {
  files: number;
  totalMs: number;
  /** Sampled time minus V8's `(idle)`: what the shares below are of. */
  busyMs: number;
  /** Self time per function (`name url:line`), heaviest first. */
  byFunction: Ranked[];
  /** Self time per package under node_modules, workspace directory of ours, or V8's own names. */
  byArea: Ranked[];
  /** Time with one of our functions anywhere on the stack, heaviest first. */
  ourFunctionsInclusive: Ranked[];
}

const ROOT = join(__dirname, '..', '..');
export const IDLE = '(idle)';

/** The .cpuprofile files at `target`: the file itself, or every one in the directory (one per process and worker that exited). */
export function profileFiles(target: string): string[] {
  if (!statSync(target).isDirectory()) return [target];
  return readdirSync(target)
    .filter((f) => f.endsWith('.cpuprofile'))
    .map((f) => join(target, f));
}

/**
 * Self and inclusive time over the profiles at `target`. A sample lasts until the next one, so its
 * time is the next sample's delta (V8 stores the delta to the previous sample).
 */
export function summarizeProfiles(target: string): ProfileSummary {
  const files = profileFiles(target);
  const self = new Map<string, number>();
  const areas = new Map<string, number>();
  const inclusive = new Map<string, number>();
  let total = 0;
  for (const file of files) {
    const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
    const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
    const parent = new Map<number, number>();
    for (const n of profile.nodes) for (const child of n.children ?? []) parent.set(child, n.id);
    const { samples, timeDeltas } = profile;
    for (let i = 0; i < samples.length; i++) {
      const ms = (timeDeltas[i + 1] ?? 0) / 1000;
      const node = nodes.get(samples[i]!);
      if (ms <= 0 || !node) continue;
      total += ms;
      add(self, functionName(node.callFrame), ms);
      add(areas, areaOf(node.callFrame), ms);
      const onStack = new Set<string>();
      for (let id: number | undefined = samples[i]; id !== undefined; id = parent.get(id)) {
        const frame = nodes.get(id)!.callFrame;
        if (isOurs(frame.url)) onStack.add(functionName(frame));
      }
      for (const name of onStack) add(inclusive, name, ms);
    }
  }
  return {
    files: files.length,
    totalMs: total,
    busyMs: total - (self.get(IDLE) ?? 0),
    byFunction: ranked(self),
    byArea: ranked(areas),
    ourFunctionsInclusive: ranked(inclusive),
  };
}

function add(map: Map<string, number>, key: string, ms: number): void {
  map.set(key, (map.get(key) ?? 0) + ms);
}

function ranked(map: Map<string, number>): Ranked[] {
  return [...map].sort((a, b) => b[1] - a[1]).map(([name, ms]) => ({ name, ms }));
}

function functionName(frame: CallFrame): string {
  const name = frame.functionName || '(anonymous)';
  const url = shortUrl(frame.url);
  return url ? `${name}  (${url}:${frame.lineNumber + 1})` : name;
}

/** `node_modules/<package>` for dependencies, the workspace directory for our code, V8's own names otherwise. */
function areaOf(frame: CallFrame): string {
  if (!frame.url) return frame.functionName.startsWith('(') ? frame.functionName : '(native)';
  const dependency = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(frame.url);
  // Workspace packages are symlinked under node_modules/@flowsentry; they are ours, not dependencies.
  if (dependency && !dependency[1]!.startsWith('@flowsentry/')) return `node_modules/${dependency[1]}`;
  if (frame.url.startsWith('node:')) return `node:${frame.url.slice('node:'.length).split('/')[0]}`;
  const ours = /(?:^|\/)(libs|services|tools)\/([^/]+)\/(?:dist|src)\/(.*\/)?/.exec(shortUrl(frame.url));
  return ours ? `${ours[1]}/${ours[2]}/${ours[3] ?? ''}` : shortUrl(frame.url);
}

function isOurs(url: string): boolean {
  return /^(libs|services)\//.test(shortUrl(url)) || /node_modules\/@flowsentry\//.test(url);
}

function shortUrl(url: string): string {
  if (!url) return '';
  const path = url.replace(/^file:\/\//, '');
  return path.startsWith('/') ? relative(ROOT, path) : path;
}
