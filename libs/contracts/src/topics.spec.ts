import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ALL_TOPICS, deadLetterTopic, Topics } from './topics';

const repoRoot = join(__dirname, '..', '..', '..');

/** The topic list a provisioning script spells out (shell cannot import the contracts). */
function scriptTopics(file: string, pattern: RegExp): string[] {
  const match = pattern.exec(readFileSync(join(repoRoot, file), 'utf8'));
  if (!match) throw new Error(`no topic list in ${file}`);
  return match[1]!.trim().split(/\s+/);
}

describe('topics', () => {
  it('are provisioned by the local stack and by compose exactly as the contracts list them', () => {
    expect(scriptTopics('tools/stack/lib/kafka.sh', /^KAFKA_TOPICS=\(([^)]*)\)/m).sort()).toEqual([...ALL_TOPICS].sort());
    expect(scriptTopics('tools/compose/init-kafka.sh', /^TOPICS="([^"]*)"/m).sort()).toEqual([...ALL_TOPICS].sort());
  });

  it('give every pipeline topic a dead-letter topic and refuse one that has none', () => {
    expect(deadLetterTopic(Topics.rawLanded)).toBe('raw.landed.dlq');
    expect(deadLetterTopic(Topics.driftDetected)).toBe('drift.detected.dlq');
    expect(() => deadLetterTopic(Topics.anomaliesDetected)).toThrow(/anomalies.detected has no dead-letter topic/);
  });
});
