import { ModelAliasChange, ModelVersion, RegistryAction, RetrainRequest } from '@flowsentry/audit';
import { formatAliasMove, formatModelDetail, formatRejection, formatVersionList } from './models-format';

const at = (iso: string) => new Date(iso);

function version(overrides: Partial<ModelVersion>): ModelVersion {
  return Object.assign(new ModelVersion(), {
    modelName: 'network-flows',
    version: '1',
    status: 'candidate',
    onnxRef: 'models/network-flows/1/model.onnx',
    sha256: 'ab12cd34ef56'.padEnd(64, '0'),
    params: { seed: 42 },
    metrics: {},
    trainingRefs: ['silver/2026/11/01/batch-a.parquet'],
    runId: 'run-1',
    metadataRef: 'models/network-flows/1/model.json',
    featureVersion: 'fv-1a2b',
    threshold: 0.612345,
    evalRef: null,
    decidedBy: null,
    decidedAt: null,
    decisionReason: null,
    approvedBy: null,
    approvedAt: null,
    createdAt: at('2026-11-01T10:00:00.123Z'),
    updatedAt: at('2026-11-01T10:00:00.123Z'),
    ...overrides,
  });
}

const champion = version({
  version: '2',
  status: 'champion',
  metrics: { roc_auc: 0.912345, alert_rate: 0.00101, rows: 40000 },
  evalRef: 'eval/network-flows/2/report.json',
  decidedBy: 'alice',
  decidedAt: at('2026-11-02T09:30:00Z'),
  decisionReason: 'reviewed the eval report',
  approvedBy: 'alice',
  approvedAt: at('2026-11-02T09:30:00Z'),
});
const archived = version({ status: 'archived', decidedBy: 'evaluator:auto', decidedAt: at('2026-11-01T11:00:00Z'), decisionReason: 'first model passes the sanity gates', approvedBy: 'evaluator:auto', approvedAt: at('2026-11-01T11:00:00Z') });

describe('formatVersionList', () => {
  it('prints one aligned row per version with status, threshold and the decision', () => {
    expect(formatVersionList([champion, archived, version({ version: '3', modelName: 'dns-flows', threshold: null })]).split('\n')).toEqual([
      'MODEL          VERSION  STATUS     THRESHOLD  DECIDED BY      DECIDED AT            REASON',
      'network-flows  v2       champion   0.6123     alice           2026-11-02T09:30:00Z  reviewed the eval report',
      'network-flows  v1       archived   0.6123     evaluator:auto  2026-11-01T11:00:00Z  first model passes the sanity gates',
      'dns-flows      v3       candidate  -          -               -',
    ]);
  });

  it('says so when the registry is empty', () => {
    expect(formatVersionList([])).toBe('no model versions');
  });
});

const history: ModelAliasChange[] = [
  Object.assign(new ModelAliasChange(), { id: '7', modelName: 'network-flows', alias: 'champion', fromVersion: null, toVersion: '1', actor: 'evaluator:auto', reason: 'first model passes the sanity gates', change: 'promotion', traceparent: null, announcedAt: at('2026-11-01T11:00:01Z'), changedAt: at('2026-11-01T11:00:00Z') }),
  Object.assign(new ModelAliasChange(), { id: '9', modelName: 'network-flows', alias: 'champion', fromVersion: '1', toVersion: '2', actor: 'alice', reason: 'reviewed the eval report', change: 'approval', traceparent: null, announcedAt: null, changedAt: at('2026-11-02T09:30:00Z') }),
];
const actions: RegistryAction[] = [
  Object.assign(new RegistryAction(), { id: '3', modelName: 'network-flows', version: '2', action: 'approve', actor: 'alice', reason: 'reviewed the eval report', channel: 'cli', outcome: 'applied', detail: '', at: at('2026-11-02T09:30:00Z') }),
  Object.assign(new RegistryAction(), { id: '4', modelName: 'network-flows', version: null, action: 'rollback', actor: 'anonymous', reason: 'test', channel: 'http', outcome: 'refused', detail: 'missing bearer token', at: at('2026-11-02T10:00:00Z') }),
];

describe('formatModelDetail', () => {
  const retrains: RetrainRequest[] = [
    {
      trigger: 'drift.detected',
      eventId: 'd1',
      regimeSince: at('2026-11-02T08:30:00Z'),
      status: 'done',
      resolvedBy: '2',
      detail: { severity: 'high', championVersion: '1', reason: '3 consecutive drifted batches of stream p0' },
      createdAt: at('2026-11-02T08:40:00Z'),
    },
    { trigger: 'drift.detected', eventId: 'd2', regimeSince: null, status: 'absorbed', resolvedBy: null, detail: { severity: 'medium', championVersion: '1' }, createdAt: at('2026-11-02T08:45:00Z') },
  ];
  const text = formatModelDetail({ modelName: 'network-flows', champion: '2', versions: [champion, archived], history, actions, retrains, traces: { '2': 'a'.repeat(32) } }, 'http://jaeger:16686');

  it('leads with the champion, then every version with threshold, metrics, decision, approval, eval report, lineage and the trace of its run', () => {
    expect(text.split('\n').slice(0, 13)).toEqual([
      'network-flows: champion v2',
      '',
      'versions (newest first):',
      '  v2  champion  (created 2026-11-01T10:00:00Z)',
      '      threshold    0.6123',
      '      features     fv-1a2b',
      '      metrics      alert_rate=0.00101 roc_auc=0.9123 rows=40000',
      '      decided      by alice at 2026-11-02T09:30:00Z: "reviewed the eval report"',
      '      approved     by alice at 2026-11-02T09:30:00Z',
      '      eval report  eval/network-flows/2/report.json',
      '      model        models/network-flows/1/model.onnx (sha256 ab12cd34ef56…), models/network-flows/1/model.json',
      '      trained on   1 dataset(s): silver/2026/11/01/batch-a.parquet',
      `      trace        http://jaeger:16686/trace/${'a'.repeat(32)}`,
    ]);
  });

  it('lists every move of the champion with who and why, and whether it was announced', () => {
    expect(text).toContain('champion history (oldest first):\n' +
      '  2026-11-01T11:00:00Z  promotion  none -> v1  by evaluator:auto: "first model passes the sanity gates"  (announced 2026-11-01T11:00:01Z)\n' +
      '  2026-11-02T09:30:00Z  approval   v1 -> v2  by alice: "reviewed the eval report"  (not announced yet)');
  });

  it('lists operator actions through every channel, refused ones with the refusal', () => {
    expect(text).toContain('operator actions (oldest first):\n' +
      '  2026-11-02T09:30:00Z  approve   v2  alice (cli)  applied: "reviewed the eval report"\n' +
      '  2026-11-02T10:00:00Z  rollback  -  anonymous (http)  refused: "test" — missing bearer token\n');
  });

  it('ends with the retrain requests: the drift that asked, and the version that answered or the request that absorbed it', () => {
    expect(text.endsWith('retrain requests (oldest first):\n' +
      '  2026-11-02T08:40:00Z  drift.detected (high, against v1)  -> retrained as v2, new regime from 2026-11-02T08:30:00Z: "3 consecutive drifted batches of stream p0"\n' +
      '  2026-11-02T08:45:00Z  drift.detected (medium, against v1)  -> absorbed by the request already open')).toBe(true);
  });

  it('says "none" for a model without champion, moves or actions', () => {
    const fresh = formatModelDetail({ modelName: 'network-flows', champion: null, versions: [version({})], history: [], actions: [], retrains: [], traces: {} }, 'http://jaeger:16686');
    expect(fresh).toMatch(/^network-flows: champion none\n/);
    expect(fresh).toContain('champion history (oldest first):\n  none\n');
    expect(fresh).toContain('operator actions (oldest first):\n  none\n');
    expect(fresh.endsWith('retrain requests (oldest first):\n  none')).toBe(true);
    expect(fresh).not.toContain('decided');
    expect(fresh).toContain('      trace        -\n');
    expect(fresh).toContain('eval report  -');
  });
});

describe('mutation results', () => {
  it('names the move of the champion, who made it and why', () => {
    expect(formatAliasMove({ modelName: 'network-flows', from: '2', to: '1', change: 'rollback' }, 'carol', 'v2 floods the SOC')).toBe(
      'network-flows: champion v2 -> v1 (rollback by carol: "v2 floods the SOC")',
    );
    expect(formatAliasMove({ modelName: 'network-flows', from: null, to: '1', change: 'approval' }, 'alice', 'first')).toBe('network-flows: champion none -> v1 (approval by alice: "first")');
  });

  it('names the rejected version, who rejected it and why', () => {
    expect(formatRejection(version({ version: '3', status: 'rejected', decidedBy: 'bob', decisionReason: 'alert rate far above budget' }))).toBe('network-flows v3: rejected by bob: "alert rate far above budget"');
  });
});
