import { formatLineage, LineageReport } from './lineage';

const onnx = 'models/network-flows/1/model.onnx';
const silver = (p: number) => `silver/date=2026-11-17/network.events-p${p}-0-99.f1.w1-1m-10m.parquet`;
const raw = (p: number) => `raw/date=2026-11-17/network.events/p${p}-0-99.jsonl.gz`;
const kafka = (p: number) => `kafka://network.events/${p}/0-99`;

const report: LineageReport = {
  ref: onnx,
  label: 'network-flows v1 (champion)',
  upstream: [
    { parentRef: silver(0), childRef: onnx, relation: 'trained-on' },
    { parentRef: silver(1), childRef: onnx, relation: 'trained-on' },
    { parentRef: raw(0), childRef: silver(0), relation: 'transformed' },
    { parentRef: raw(1), childRef: silver(1), relation: 'transformed' },
    { parentRef: kafka(0), childRef: raw(0), relation: 'ingested' },
    { parentRef: kafka(1), childRef: raw(1), relation: 'ingested' },
    // a second path to an object already printed
    { parentRef: raw(0), childRef: silver(1), relation: 'transformed' },
  ],
  downstream: [
    { relation: 'evaluated', count: 1, refs: ['eval/network-flows/1/report.json'] },
    { relation: 'scored-with', count: 120, refs: ['monitor/a', 'monitor/b', 'monitor/c'] },
  ],
};

describe('lineage tree', () => {
  const text = formatLineage(report);

  it('starts from the object and walks each source down to its Kafka offsets, indented by depth', () => {
    expect(text.split('\n').slice(0, 4)).toEqual([
      `${onnx}  [network-flows v1 (champion)]`,
      `   <- trained-on  ${silver(0)}`,
      `      <- transformed  ${raw(0)}`,
      `         <- ingested  ${kafka(0)}`,
    ]);
  });

  it('prints an object reached twice once, and refers back to it', () => {
    expect(text).toContain(`      <- transformed  ${raw(0)}  (above)`);
    expect(text.split('\n').filter((l) => l.includes(`ingested  ${kafka(0)}`))).toHaveLength(1);
  });

  it('names the sources at the root of the chain and what was made from the object', () => {
    expect(text).toContain(`sources: ${kafka(0)}, ${kafka(1)}`);
    expect(text).toContain('   -> evaluated  eval/network-flows/1/report.json');
    expect(text).toContain('   -> scored-with  monitor/a, monitor/b, monitor/c … (120 in all)');
  });

  it('says so when nothing is on record', () => {
    expect(formatLineage({ ref: 'raw/x', label: 'object', upstream: [], downstream: [] })).toBe(
      'raw/x  [object]\n   (no sources on record)\n\nsources: none\n\ndownstream:\n   (nothing on record)',
    );
  });
});
