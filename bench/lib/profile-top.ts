// Top self-time functions of V8 .cpuprofile files (node --cpu-prof), with self time per package or
// workspace directory and the inclusive time of our own functions.
//   node --import tsx bench/lib/profile-top.ts <file.cpuprofile | dir> [top=25]
import { IDLE, Ranked, summarizeProfiles } from './cpu-profile';

const [target, topArg] = process.argv.slice(2);
if (!target) {
  console.error('usage: profile-top.ts <file.cpuprofile | dir> [top=25]');
  process.exit(2);
}
const top = Number(topArg ?? 25);
const summary = summarizeProfiles(target);
if (summary.files === 0) {
  console.error(`no .cpuprofile in ${target}`);
  process.exit(1);
}
const share = (ms: number) => `${((100 * ms) / summary.busyMs).toFixed(1).padStart(5)} %`;
const print = (title: string, header: string, rows: Ranked[]) => {
  console.log(`\n${title}\n${header.padStart(10)} ${'%'.padStart(7)}  function or area`);
  for (const { name, ms } of rows.slice(0, top)) console.log(`${ms.toFixed(0).padStart(10)} ${name === IDLE ? '   idle' : share(ms)}  ${name}`);
};

console.log(`\nCPU profile: ${summary.files} file(s), ${(summary.totalMs / 1000).toFixed(1)} s sampled, ${(summary.busyMs / 1000).toFixed(1)} s not idle (% below are of not-idle)`);
print(`top ${top} functions by self time`, 'self ms', summary.byFunction);
print(`top ${top} flowsentry functions by total (inclusive) time`, 'total ms', summary.ourFunctionsInclusive);
print('self time by area', 'self ms', summary.byArea);
