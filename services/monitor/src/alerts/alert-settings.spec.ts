import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '@flowsentry/config';
import { alertSettingsShape, webhookRetryPolicy } from './alert-settings';

describe('alert settings', () => {
  const dir = mkdtempSync(join(tmpdir(), 'alert-settings-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const load = (env: Record<string, string>) => loadConfig(alertSettingsShape, env);

  it('defaults to no webhook, a ten-minute de-duplication window and a bounded, retried delivery', () => {
    const settings = load({});
    expect(settings).toEqual({
      MONITOR_WEBHOOK_URL: undefined,
      MONITOR_ALERT_DEDUP_MS: 600_000,
      MONITOR_WEBHOOK_TIMEOUT_MS: 5_000,
      MONITOR_ALERT_MAX_AGE_MS: 3_600_000,
      MONITOR_WEBHOOK_RETRY_INITIAL_MS: 1_000,
      MONITOR_WEBHOOK_RETRY_MAX_MS: 60_000,
      MONITOR_ALERT_QUEUE_MAX: 100,
    });
    expect(webhookRetryPolicy(settings)).toEqual({ retries: Number.POSITIVE_INFINITY, initialDelayMs: 1_000, maxDelayMs: 60_000, factor: 2 });
  });

  it('reads the webhook URL from MONITOR_WEBHOOK_URL_FILE (a mounted secret)', () => {
    const file = join(dir, 'webhook-url');
    writeFileSync(file, 'https://hooks.slack.com/services/T0/B0/token\n');
    expect(load({ MONITOR_WEBHOOK_URL_FILE: file }).MONITOR_WEBHOOK_URL).toBe('https://hooks.slack.com/services/T0/B0/token');
  });

  it('treats an empty secret file as "no webhook", the compose default', () => {
    const file = join(dir, 'empty');
    writeFileSync(file, '\n');
    expect(load({ MONITOR_WEBHOOK_URL_FILE: file }).MONITOR_WEBHOOK_URL).toBeUndefined();
  });

  it('refuses a URL that is not http(s), without echoing it (it may carry a token)', () => {
    for (const bad of ['hooks.slack.com/services/T0/B0/secret-token', 'ftp://example.org/secret-token']) {
      let error: unknown;
      try {
        load({ MONITOR_WEBHOOK_URL: bad });
      } catch (err) {
        error = err;
      }
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).message).toContain('MONITOR_WEBHOOK_URL');
      expect((error as ConfigError).message).not.toContain('secret-token');
    }
  });

  it('refuses an alert age under a second and a zero-sized queue', () => {
    expect(() => load({ MONITOR_ALERT_MAX_AGE_MS: '999' })).toThrow(/MONITOR_ALERT_MAX_AGE_MS/);
    expect(() => load({ MONITOR_ALERT_QUEUE_MAX: '0' })).toThrow(/MONITOR_ALERT_QUEUE_MAX/);
  });
});
