import { Headers } from '@flowsentry/contracts';
import { ConsumedMessage, deadLetterOf, toDeadLetterMessage } from '@flowsentry/messaging';
import { deadLetterSeen, StepFailureDigest, stepFailureAlert } from './step-failure-digest';

/** A DLQ record exactly as DeadLetterPublisher writes it, read back as a consumer sees it. */
function dlqRecord(sourceTopic: string, reason: string, error: string, group = 'flowsentry-transform', at = new Date('2026-11-30T10:00:00Z')): ConsumedMessage {
  const original: ConsumedMessage = { topic: sourceTopic, partition: 1, offset: '42', key: null, value: Buffer.from('{not json'), headers: {}, timestamp: '0' };
  const outgoing = toDeadLetterMessage(deadLetterOf(original, reason, error), group, at);
  return { topic: `${sourceTopic}.dlq`, partition: 0, offset: '7', key: null, value: outgoing.value as Buffer, headers: outgoing.headers as ConsumedMessage['headers'], timestamp: '0' };
}

describe('step-failure digest', () => {
  it("reads a dead letter's source topic, reason, error, group and time from its x-dlq-* headers", () => {
    expect(deadLetterSeen(dlqRecord('it1.raw.landed', 'schema-invalid', 'field "rows" missing'))).toEqual({
      dlqTopic: 'it1.raw.landed.dlq',
      sourceTopic: 'it1.raw.landed',
      reason: 'schema-invalid',
      error: 'field "rows" missing',
      consumerGroup: 'flowsentry-transform',
      at: '2026-11-30T10:00:00.000Z',
    });
  });

  it('still reports a record without headers, named after its DLQ topic', () => {
    const bare: ConsumedMessage = { topic: 'silver.ready.dlq', partition: 0, offset: '0', key: null, value: null, headers: {}, timestamp: '0' };
    expect(deadLetterSeen(bare)).toMatchObject({ sourceTopic: 'silver.ready', reason: 'unknown' });
    expect(deadLetterSeen({ ...bare, headers: { [Headers.dlqReason]: Buffer.from('retries-exhausted') } }).reason).toBe('retries-exhausted');
  });

  it('groups a burst by (source topic, reason), counting each group and keeping the first error as the example', () => {
    const digest = new StepFailureDigest();
    for (let i = 0; i < 5; i++) digest.add(deadLetterSeen(dlqRecord('raw.landed', 'schema-invalid', `bad row ${i}`, 'flowsentry-transform', new Date(Date.UTC(2026, 10, 30, 10, i)))));
    digest.add(deadLetterSeen(dlqRecord('raw.landed', 'retries-exhausted', 'minio down')));
    digest.add(deadLetterSeen(dlqRecord('model.trained', 'schema-invalid', 'no version', 'flowsentry-evaluator')));

    const summaries = digest.drain();
    expect(summaries.map((s) => [s.sourceTopic, s.reason, s.count])).toEqual([
      ['raw.landed', 'schema-invalid', 5],
      ['raw.landed', 'retries-exhausted', 1],
      ['model.trained', 'schema-invalid', 1],
    ]);
    expect(summaries[0]).toMatchObject({ exampleError: 'bad row 0', firstAt: '2026-11-30T10:00:00.000Z', lastAt: '2026-11-30T10:04:00.000Z', consumerGroups: ['flowsentry-transform'] });
    expect(digest.drain()).toEqual([]);
  });

  it('makes one high-severity step-failure alert per group, keyed by topic and reason, naming both', () => {
    const digest = new StepFailureDigest();
    digest.add(deadLetterSeen(dlqRecord('it1.raw.landed', 'schema-invalid', 'field "rows" missing')));
    digest.add(deadLetterSeen(dlqRecord('it1.raw.landed', 'schema-invalid', 'field "sha256" missing')));

    const alert = stepFailureAlert(digest.drain()[0]!);
    expect(alert).toMatchObject({ kind: 'step-failure', severity: 'high', key: 'step-failure:it1.raw.landed:schema-invalid' });
    expect(alert.title).toBe('step failure: 2 messages from it1.raw.landed dead-lettered by flowsentry-transform (reason schema-invalid): field "rows" missing');
    expect(alert.details).toMatchObject({ count: 2, dlqTopic: 'it1.raw.landed.dlq', exampleError: 'field "rows" missing' });
  });
});
