import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join, relative } from 'node:path';

// Runs tools/checks/deploy.sh for real (helm, kubernetes-validate, check-jsonschema, hadolint) and
// then reads what it rendered. The first run builds helm with `go install`, hence the long timeout.
const TEN_MINUTES = 10 * 60 * 1000;
const repoRoot = join(__dirname, '..', '..');
const SERVICES = ['ingest', 'transform', 'trainer', 'evaluator', 'monitor'];
/** The services that exist in code, started by default by compose and the chart. */
const BUILT = ['ingest', 'transform', 'trainer', 'evaluator', 'monitor'];

interface Run {
  code: number;
  output: string;
}

function runDeployCheck(outDir: string, env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      'bash',
      [join(repoRoot, 'tools/checks/deploy.sh')],
      { cwd: repoRoot, env: { ...process.env, FLOWSENTRY_DEPLOY_OUT: outDir, ...env }, timeout: TEN_MINUTES, maxBuffer: 16 * 1024 * 1024 },
      (err, stdout, stderr) => resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, output: `${stdout}${stderr}` }),
    );
  });
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/** The rendered YAML documents of one values set, split on helm's `---` separators. */
function renderedDocs(outDir: string, valuesSet: string): string[] {
  return filesUnder(join(outDir, valuesSet))
    .filter((f) => f.endsWith('.yaml'))
    .flatMap((f) => readFileSync(f, 'utf8').split(/^---\s*$/m))
    .filter((doc) => /^kind:/m.test(doc));
}

const kindOf = (doc: string): string => /^kind:\s*(\S+)/m.exec(doc)?.[1] ?? '';
const componentOf = (doc: string): string => /app\.kubernetes\.io\/component:\s*(\S+)/.exec(doc)?.[1] ?? '';
const count = (text: string, pattern: RegExp): number => text.match(new RegExp(pattern.source, 'gm'))?.length ?? 0;

describe('deploy files (Dockerfile, docker-compose.yml, helm/flowsentry) validated offline', () => {
  const outDir = mkdtempSync(join(tmpdir(), 'flowsentry-deploy-'));
  let run: Run;

  beforeAll(async () => {
    run = await runDeployCheck(outDir);
  }, TEN_MINUTES);
  afterAll(() => rmSync(outDir, { recursive: true, force: true }));

  it('passes every check and exits 0', () => {
    if (run.code !== 0) throw new Error(`deploy.sh exited ${run.code}:\n${run.output}`);
    expect(run.output).toContain('deploy-check: all deploy files valid');
    expect(run.output).not.toContain('deploy-check: FAIL');
  });

  it('fails on a compose file that leaves out a setting a service reads, or sets one no service declares', async () => {
    const compose = readFileSync(join(repoRoot, 'docker-compose.yml'), 'utf8');
    const broken = compose
      .replace(/^\s+INGEST_RAW_GZIP_LEVEL: .*\n/m, '')
      .replace(/^(\s+)TRAINER_SCHEDULE_MS: (.*)\n/m, (_, indent: string, value: string) => `${indent}TRAINER_SCHEDULE_MS: ${value}\n${indent}TRAINER_SCHEDUEL_MS: "0"\n`);
    expect(broken).not.toBe(compose);
    const file = join(outDir, 'broken-compose.yml');
    writeFileSync(file, broken);

    const refused = await runDeployCheck(join(outDir, 'broken'), { FLOWSENTRY_COMPOSE_FILE: file });

    expect(refused.code).not.toBe(0);
    expect(refused.output).toContain('ingest: services/ingest/src/ingest.config.ts reads INGEST_RAW_GZIP_LEVEL, which docker-compose.yml does not set');
    expect(refused.output).toContain('trainer: sets TRAINER_SCHEDUEL_MS, which services/trainer/src/trainer.config.ts does not declare');
  }, TEN_MINUTES);

  it('names each file it validated', () => {
    expect(run.output).toContain('ok: hadolint Dockerfile');
    expect(run.output).toContain('ok: check-jsonschema --builtin-schema vendor.compose-spec docker-compose.yml');
    expect(run.output).toContain('ok: docker-compose.yml cross-references');
    expect(run.output).toContain('ok: MinIO policies (tools/compose/init-minio.sh, tools/stack): read inputs, write own layer, no delete');
    expect(run.output).toContain('ok: helm/flowsentry/values.yaml agrees with docker-compose.yml');
    for (const valuesSet of ['default', 'all-services']) {
      expect(run.output).toContain(`ok: helm lint --strict helm/flowsentry (${valuesSet} values)`);
      for (const file of filesUnder(join(outDir, valuesSet)).filter((f) => f.endsWith('.yaml'))) {
        expect(run.output).toContain(`ok: kubernetes-validate -k 1.33 --strict ${relative(outDir, file)}`);
      }
    }
  });

  it('deploys all five services by default and with every service enabled', () => {
    const deployments = (set: string) => renderedDocs(outDir, set).filter((d) => kindOf(d) === 'Deployment').map(componentOf).sort();
    expect(deployments('default')).toEqual([...BUILT].sort());
    expect(deployments('all-services')).toEqual([...SERVICES].sort());
  });

  it('runs every pod as non-root with a read-only root filesystem and no capabilities', () => {
    const pods = renderedDocs(outDir, 'all-services').filter((d) => ['Deployment', 'Job'].includes(kindOf(d)));
    expect(pods.length).toBe(SERVICES.length + 1);
    for (const doc of pods) {
      const containers = count(doc, /^\s+- name: \S+\n\s+image:/);
      expect(containers).toBeGreaterThan(0);
      // pod-level and container-level runAsNonRoot
      expect(count(doc, /runAsNonRoot: true$/)).toBe(containers + 1);
      expect(count(doc, /readOnlyRootFilesystem: true$/)).toBe(containers);
      expect(count(doc, /allowPrivilegeEscalation: false$/)).toBe(containers);
      expect(count(doc, /drop:\n\s+- ALL$/)).toBe(containers);
    }
  });

  it('probes the health endpoints, exposes /metrics to Prometheus and gives ingest time to drain', () => {
    const ingest = renderedDocs(outDir, 'default').find((d) => kindOf(d) === 'Deployment' && componentOf(d) === 'ingest')!;
    expect(ingest).toMatch(/livenessProbe:\n\s+httpGet:\n\s+path: \/health\/live/);
    expect(ingest).toMatch(/readinessProbe:\n\s+httpGet:\n\s+path: \/health\/ready/);
    expect(ingest).toContain('prometheus.io/scrape: "true"');
    expect(ingest).toContain('prometheus.io/path: "/metrics"');
    const grace = Number(/terminationGracePeriodSeconds: (\d+)/.exec(ingest)?.[1]);
    expect(grace).toBeGreaterThanOrEqual(60);
  });

  it('configures transform with its own role, credentials files and settings', () => {
    const config = renderedDocs(outDir, 'default').find((d) => kindOf(d) === 'ConfigMap' && componentOf(d) === 'transform')!;
    expect(config).toContain('PORT: "8082"');
    expect(config).toContain('PGUSER: "flowsentry_transform"');
    expect(config).toContain('TRANSFORM_GROUP_ID: "flowsentry-transform"');
    expect(config).toContain('TRANSFORM_WINDOWS_MS: "60000,600000"');
    expect(config).toMatch(/MINIO_SECRET_KEY_FILE: "\/var\/run\/secrets\/flowsentry\/MINIO_SECRET_KEY"/);
    const deployment = renderedDocs(outDir, 'default').find((d) => kindOf(d) === 'Deployment' && componentOf(d) === 'transform')!;
    expect(deployment).toMatch(/secretName: flowsentry-transform$/m);
    expect(deployment).toMatch(/readinessProbe:\n\s+httpGet:\n\s+path: \/health\/ready/);
  });

  const rendered = (kind: string, component: string) => renderedDocs(outDir, 'default').find((d) => kindOf(d) === kind && componentOf(d) === component)!;

  it('configures the trainer with its own role, credentials files, training settings and room to train', () => {
    const config = rendered('ConfigMap', 'trainer');
    expect(config).toContain('PORT: "8083"');
    expect(config).toContain('PGUSER: "flowsentry_trainer"');
    expect(config).toMatch(/MINIO_SECRET_KEY_FILE: "\/var\/run\/secrets\/flowsentry\/MINIO_SECRET_KEY"/);
    for (const setting of ['TRAINER_GROUP_ID: "flowsentry-trainer"', 'TRAINER_MODEL_NAME: "network-flows"', 'TRAINER_MIN_ROWS: "50000"', 'TRAINER_ALERT_RATE: "0.001"', 'TRAINER_HOLDOUT_FRACTION: "0.2"', 'TRAINER_SEED: "42"', 'TRAINER_SCHEDULE_MS: "0"']) {
      expect(config).toContain(setting);
    }
    expect(config).not.toContain('REGISTRY_API_TOKEN');
    const deployment = rendered('Deployment', 'trainer');
    expect(deployment).toMatch(/secretName: flowsentry-trainer$/m);
    expect(deployment).toMatch(/readinessProbe:\n\s+httpGet:\n\s+path: \/health\/ready/);
    expect(deployment).toMatch(/requests:\n\s+cpu: 500m\n\s+memory: 1Gi/);
    expect(Number(/terminationGracePeriodSeconds: (\d+)/.exec(deployment)?.[1])).toBeGreaterThanOrEqual(300);
  });

  it('configures the evaluator with its own role, its settings and the registry API token from a Secret of its own, behind a Service', () => {
    const config = rendered('ConfigMap', 'evaluator');
    expect(config).toContain('PORT: "8084"');
    expect(config).toContain('PGUSER: "flowsentry_evaluator"');
    for (const setting of ['EVALUATOR_GROUP_ID: "flowsentry-evaluator"', 'EVALUATOR_POLICY: "auto"', 'EVALUATOR_TOLERANCE: "0.01"', 'EVALUATOR_AGREEMENT_TOLERANCE: "1e-5"', 'EVALUATOR_ANNOUNCE_INTERVAL_MS: "1000"']) {
      expect(config).toContain(setting);
    }
    expect(config).toContain('REGISTRY_API_TOKEN_FILE: "/var/run/secrets/flowsentry-registry-api/REGISTRY_API_TOKEN"');
    const deployment = rendered('Deployment', 'evaluator');
    expect(deployment).toMatch(/secretName: flowsentry-evaluator$/m);
    expect(deployment).toMatch(/- name: secret-registry-api\n\s+mountPath: \/var\/run\/secrets\/flowsentry-registry-api\n\s+readOnly: true/);
    expect(deployment).toMatch(/secretName: flowsentry-registry-api\n\s+defaultMode: 0440\n\s+items:\n\s+- key: REGISTRY_API_TOKEN\n\s+path: REGISTRY_API_TOKEN/);
    expect(deployment).toMatch(/readinessProbe:\n\s+httpGet:\n\s+path: \/health\/ready/);
    const service = rendered('Service', 'evaluator');
    expect(service).toMatch(/port: 8084\n\s+targetPort: http/);
    expect(service).toMatch(/app\.kubernetes\.io\/component: evaluator/);
  });

  it('configures the monitor with its own role, its settings and, only when a Secret is named, the alert webhook URL as a file', () => {
    const config = rendered('ConfigMap', 'monitor');
    expect(config).toContain('PORT: "8085"');
    expect(config).toContain('PGUSER: "flowsentry_monitor"');
    expect(config).toMatch(/MINIO_SECRET_KEY_FILE: "\/var\/run\/secrets\/flowsentry\/MINIO_SECRET_KEY"/);
    for (const setting of ['MONITOR_GROUP_ID: "flowsentry-monitor"', 'MONITOR_MODEL_NAME: "network-flows"', 'MONITOR_VIOLATION_ALERT_MIN: "1"', 'MONITOR_ALERT_DEDUP_MS: "600000"', 'MONITOR_WEBHOOK_TIMEOUT_MS: "5000"', 'MONITOR_ALERT_MAX_AGE_MS: "3600000"', 'MONITOR_ALERT_QUEUE_MAX: "100"']) {
      expect(config).toContain(setting);
    }
    // No webhook Secret named (the default): nothing mounted, no _FILE pointing at a missing file; alerts are logged.
    expect(config).not.toContain('MONITOR_WEBHOOK_URL');
    const deployment = rendered('Deployment', 'monitor');
    expect(deployment).toMatch(/secretName: flowsentry-monitor$/m);
    expect(deployment).not.toContain('alert-webhook');
    expect(deployment).toMatch(/readinessProbe:\n\s+httpGet:\n\s+path: \/health\/ready/);
    expect(deployment).toMatch(/livenessProbe:\n\s+httpGet:\n\s+path: \/health\/live/);
    expect(Number(/terminationGracePeriodSeconds: (\d+)/.exec(deployment)?.[1])).toBeGreaterThanOrEqual(60);
    expect(rendered('Service', 'monitor')).toMatch(/port: 8085\n\s+targetPort: http/);

    const withWebhook = (kind: string) => renderedDocs(outDir, 'all-services').find((d) => kindOf(d) === kind && componentOf(d) === 'monitor')!;
    expect(withWebhook('ConfigMap')).toContain('MONITOR_WEBHOOK_URL_FILE: "/var/run/secrets/flowsentry-alert-webhook/MONITOR_WEBHOOK_URL"');
    expect(withWebhook('Deployment')).toMatch(/- name: secret-alert-webhook\n\s+mountPath: \/var\/run\/secrets\/flowsentry-alert-webhook\n\s+readOnly: true/);
    expect(withWebhook('Deployment')).toMatch(/secretName: flowsentry-monitor-webhook\n\s+defaultMode: 0440\n\s+items:\n\s+- key: MONITOR_WEBHOOK_URL\n\s+path: MONITOR_WEBHOOK_URL/);
  });

  const helmTemplate = (...args: string[]) => {
    const helm = join(process.env.FLOWSENTRY_CACHE ?? join(homedir(), '.cache', 'flowsentry'), 'bin', 'helm');
    return new Promise<Run>((resolve) =>
      execFile(helm, ['template', 'flowsentry', join(repoRoot, 'helm/flowsentry'), '--kube-version', '1.33', ...args], (err, stdout, stderr) =>
        resolve({ code: err ? 1 : 0, output: `${stdout}${stderr}` }),
      ),
    );
  };

  it('refuses to render a token set inline in values instead of a Secret', async () => {
    const result = await helmTemplate('--set', 'services.evaluator.env.REGISTRY_API_TOKEN=abc');
    expect(result.code).toBe(1);
    expect(result.output).toContain('services.evaluator.env.REGISTRY_API_TOKEN: credentials belong in the existingSecret, not in values');
  });

  it('refuses to render the alert webhook URL (it carries a token) set inline in values', async () => {
    const result = await helmTemplate('--set', 'services.monitor.env.MONITOR_WEBHOOK_URL=https://hooks.example.org/services/T0/B0/secret');
    expect(result.code).toBe(1);
    expect(result.output).toContain('services.monitor.env.MONITOR_WEBHOOK_URL: credentials belong in the existingSecret, not in values');
    expect(result.output).not.toContain('/services/T0/B0/secret');
  });

  it('still requires the Secret of an extraSecrets entry that is not optional', async () => {
    const result = await helmTemplate('--set', 'services.evaluator.extraSecrets[0].name=registry-api', '--set', 'services.evaluator.extraSecrets[0].existingSecret=', '--set', 'services.evaluator.extraSecrets[0].keys[0]=REGISTRY_API_TOKEN');
    expect(result.code).toBe(1);
    expect(result.output).toContain('services.evaluator.extraSecrets[registry-api].existingSecret is required');
  });

  it('applies migrations in a pre-install/pre-upgrade hook as the schema owner', () => {
    const job = renderedDocs(outDir, 'default').find((d) => kindOf(d) === 'Job')!;
    expect(job).toContain('helm.sh/hook: pre-install,pre-upgrade');
    expect(job).toContain('command: ["node", "libs/audit/dist/cli/migrate.js"]');
    expect(job).toMatch(/name: PGUSER\n\s+value: "flowsentry_owner"/);
  });

  it('renders no Secret and no credential values, only references to existing Secrets', () => {
    for (const valuesSet of ['default', 'all-services']) {
      const docs = renderedDocs(outDir, valuesSet);
      expect(docs.map(kindOf)).not.toContain('Secret');
      const configData = docs.filter((d) => kindOf(d) === 'ConfigMap').join('\n');
      const credentialKeys = configData.match(/^\s+\w*(PASSWORD|SECRET|ACCESS_KEY|TOKEN|WEBHOOK_URL)\w*:/gm) ?? [];
      expect(credentialKeys.length).toBeGreaterThan(0);
      for (const key of credentialKeys) expect(key.trim()).toMatch(/_FILE:$/);
      for (const doc of docs.filter((d) => kindOf(d) === 'Deployment')) expect(doc).toMatch(/secret:\n\s+secretName: flowsentry-\w+/);
    }
  });

  it('keeps generated compose credentials out of every deploy file', () => {
    const secretsDir = join(outDir, 'compose-secrets');
    // The webhook URL is the operator's to write in; make-secrets.sh leaves that file empty.
    const values = readdirSync(secretsDir)
      .filter((name) => name !== 'monitor-webhook-url')
      .map((name) => readFileSync(join(secretsDir, name), 'utf8'));
    expect(values.length).toBeGreaterThanOrEqual(15);
    const deployText = [
      readFileSync(join(repoRoot, 'docker-compose.yml'), 'utf8'),
      readFileSync(join(repoRoot, 'Dockerfile'), 'utf8'),
      readFileSync(join(repoRoot, 'helm/flowsentry/values.yaml'), 'utf8'),
      ...['default', 'all-services'].flatMap((set) => filesUnder(join(outDir, set)).map((f) => readFileSync(f, 'utf8'))),
    ].join('\n');
    for (const value of values) {
      expect(value.length).toBeGreaterThanOrEqual(16);
      expect(deployText).not.toContain(value);
    }
  });

  it("leaves the monitor's webhook URL to the operator: make-secrets.sh starts it empty and keeps what was written into it", () => {
    const dir = mkdtempSync(join(tmpdir(), 'flowsentry-secrets-'));
    try {
      const makeSecrets = () => execFileSync('bash', [join(repoRoot, 'tools/compose/make-secrets.sh')], { env: { ...process.env, FLOWSENTRY_SECRETS_DIR: join(dir, 's') } });
      makeSecrets();
      const file = join(dir, 's', 'monitor-webhook-url');
      expect(readFileSync(file, 'utf8')).toBe('');
      writeFileSync(file, 'https://hooks.example.org/services/T0/B0/token\n');
      makeSecrets();
      expect(readFileSync(file, 'utf8')).toBe('https://hooks.example.org/services/T0/B0/token\n');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('builds every compose service from the one Dockerfile, starts the built ones by default and gates the unbuilt ones behind "full"', () => {
    const compose = readFileSync(join(repoRoot, 'docker-compose.yml'), 'utf8');
    // A service's block: from `  <name>:` to the next line indented by two spaces or less.
    const block = (name: string) => new RegExp(`^  ${name}:\\n((?:    .*\\n|\\s*\\n)+)`, 'm').exec(compose)?.[1] ?? '';
    for (const service of SERVICES) {
      const own = block(service);
      expect(own).toContain(`args: { SERVICE: ${service},`);
      const inTree = existsSync(join(repoRoot, 'services', service, 'package.json'));
      if (!inTree) expect(own).toContain('profiles: ["full"]');
    }
    for (const service of BUILT) {
      expect(block(service)).not.toContain('profiles:');
      expect(block(service)).toContain(`MINIO_SECRET_KEY_FILE: /run/secrets/minio_${service}`);
      expect(block(service)).toContain(`PGUSER: flowsentry_${service}`);
    }
    expect(block('evaluator')).toContain('REGISTRY_API_TOKEN_FILE: /run/secrets/registry_api_token');
    expect(block('evaluator')).toContain('secrets: [minio_evaluator, pg_evaluator, registry_api_token]');
    expect(block('monitor')).toContain('PORT: "8085"');
    expect(block('monitor')).toContain('MONITOR_WEBHOOK_URL_FILE: /run/secrets/monitor_webhook_url');
    expect(block('monitor')).toContain('secrets: [minio_monitor, pg_monitor, monitor_webhook_url]');
    expect(compose).toMatch(/^ {2}monitor_webhook_url: \{ file: \.\/\.secrets\/monitor-webhook-url \}$/m);
    // The operator CLI runs on demand (profile "cli") as flowsentry_cli, with that role's password only.
    expect(block('cli')).toContain('profiles: ["cli"]');
    expect(block('cli')).toContain('entrypoint: ["node", "tools/cli/dist/cli.js"]');
    expect(block('cli')).toContain('PGUSER: flowsentry_cli');
    expect(block('cli')).toContain('secrets: [pg_cli]');
    expect(readFileSync(join(repoRoot, 'Dockerfile'), 'utf8')).toMatch(/^USER 1000:1000$/m);
  });
});
