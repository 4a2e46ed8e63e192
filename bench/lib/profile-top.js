// Top self-time functions of a V8 .cpuprofile (node --cpu-prof), aggregated by function name + url.
//   node bench/lib/profile-top.js <file.cpuprofile | dir> [top=25]
// A sample's self time is the delta to the next sample. Also prints self time per package/module
// (node_modules/<pkg>, libs/<lib>, services/<svc>, node:internal) to see which layer the time is in.
'use strict';
const { readFileSync, readdirSync, statSync } = require('node:fs');
const { join, relative } = require('node:path');

const [target, topArg] = process.argv.slice(2);
if (!target) {
  console.error('usage: profile-top.js <file.cpuprofile | dir> [top=25]');
  process.exit(2);
}
const TOP = Number(topArg ?? 25);
const files = statSync(target).isDirectory()
  ? readdirSync(target).filter((f) => f.endsWith('.cpuprofile')).map((f) => join(target, f))
  : [target];
if (files.length === 0) {
  console.error(`no .cpuprofile in ${target}`);
  process.exit(1);
}
const root = join(__dirname, '..', '..');

function shortUrl(url) {
  if (!url) return '';
  let u = url.replace(/^file:\/\//, '');
  if (u.startsWith('/')) u = relative(root, u);
  return u;
}
function moduleOf(url) {
  const u = shortUrl(url);
  if (!u) return '(native/vm)';
  if (u.startsWith('node:')) return 'node:' + u.slice(5).split('/')[0];
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(u);
  if (nm) {
    // workspace packages are symlinked; both spellings name the same lib
    return nm[1].startsWith('@flowsentry/') ? nm[1].replace('@flowsentry/', 'flowsentry:') : nm[1];
  }
  const ws = /^(libs|services|tools)\/([^/]+)/.exec(u);
  if (ws) return `flowsentry:${ws[2]}`;
  return u.split('/')[0];
}

const byFn = new Map();
const byModule = new Map();
const inclusive = new Map(); // flowsentry functions: time with the function anywhere on the stack
let total = 0;
const fnKey = (cf) => {
  const url = shortUrl(cf.url);
  return `${cf.functionName || '(anonymous)'}\t${url}${url ? `:${cf.lineNumber + 1}` : ''}`;
};
for (const file of files) {
  const profile = JSON.parse(readFileSync(file, 'utf8'));
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const { samples, timeDeltas } = profile;
  for (let i = 0; i < samples.length; i++) {
    const dt = (i + 1 < timeDeltas.length ? timeDeltas[i + 1] : 0) / 1000; // µs → ms
    if (dt <= 0) continue;
    const node = nodes.get(samples[i]);
    if (!node) continue;
    const cf = node.callFrame;
    const name = cf.functionName || '(anonymous)';
    const url = shortUrl(cf.url);
    const key = `${name}\t${url}${url ? `:${cf.lineNumber + 1}` : ''}`;
    byFn.set(key, (byFn.get(key) ?? 0) + dt);
    const mod = cf.url ? moduleOf(cf.url) : name.startsWith('(') ? name : '(native/vm)';
    byModule.set(mod, (byModule.get(mod) ?? 0) + dt);
    total += dt;
    const onStack = new Set();
    for (let id = samples[i]; id !== undefined; id = parent.get(id)) {
      const f = nodes.get(id).callFrame;
      if (/^(libs|services)\//.test(shortUrl(f.url)) || /node_modules\/@flowsentry\//.test(f.url)) onStack.add(fnKey(f));
    }
    for (const k of onStack) inclusive.set(k, (inclusive.get(k) ?? 0) + dt);
  }
}
const busy = total - (byFn.get('(idle)\t') ?? 0);
const pct = (ms, of) => `${((100 * ms) / of).toFixed(1).padStart(5)} %`;
console.log(`\nCPU profile: ${files.length} file(s), ${(total / 1000).toFixed(1)} s sampled, ${(busy / 1000).toFixed(1)} s not idle (% below are of not-idle)`);
console.log(`\ntop ${TOP} functions by self time`);
console.log(`${'self ms'.padStart(10)} ${'%'.padStart(7)}  function  (url:line)`);
for (const [key, ms] of [...byFn].sort((a, b) => b[1] - a[1]).slice(0, TOP)) {
  const [name, url] = key.split('\t');
  console.log(`${ms.toFixed(0).padStart(10)} ${key === '(idle)\t' ? '   idle' : pct(ms, busy)}  ${name}${url ? `  (${url})` : ''}`);
}
console.log(`\ntop ${TOP} flowsentry functions by total (inclusive) time`);
console.log(`${'total ms'.padStart(10)} ${'%'.padStart(7)}  function  (url:line)`);
for (const [key, ms] of [...inclusive].sort((a, b) => b[1] - a[1]).slice(0, TOP)) {
  const [name, url] = key.split('\t');
  console.log(`${ms.toFixed(0).padStart(10)} ${pct(ms, busy)}  ${name}  (${url})`);
}
console.log('\nself time by module');
for (const [mod, ms] of [...byModule].sort((a, b) => b[1] - a[1]).slice(0, 20)) {
  console.log(`${ms.toFixed(0).padStart(10)} ${mod === '(idle)' ? '   idle' : pct(ms, busy)}  ${mod}`);
}
