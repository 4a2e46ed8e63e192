import { context, trace } from '@opentelemetry/api';
import { deterministicId, Headers, PipelineEventOf, PoisonMessageError, Topics } from '@flowsentry/contracts';
import { ConsumedMessage, DeadLetter } from '@flowsentry/messaging';
import { ATTR_RUN_ID, injectTraceHeaders, startInMemoryTracing, type InMemoryTracing } from '@flowsentry/telemetry';
import { PipelineStep, StepContext, StepOutcome } from './pipeline-step';
import { stepMetrics } from './step-metrics';
import { ConsumedSource, OutputsNotSentError, RETRIES_EXHAUSTED, StepRuntime } from './step-runtime';
import { ProcessedRecord, SerializedOutput, StepCommit, StepFailure, StepStore } from './step-store';

type RawLanded = PipelineEventOf<typeof Topics.rawLanded>;

/** The guard and audit trail in memory; `failNextCommits` makes the database "unavailable". */
class FakeStore implements StepStore {
  readonly records = new Map<string, ProcessedRecord>();
  readonly commits: StepCommit[] = [];
  readonly failures: StepFailure[] = [];
  failNextCommits = 0;

  async processed(group: string, id: string) {
    const r = this.records.get(`${group}/${id}`);
    return r && { ...r };
  }
  async commit(commit: StepCommit) {
    if (this.failNextCommits > 0) {
      this.failNextCommits--;
      throw new Error('connect ECONNREFUSED 127.0.0.1:5432');
    }
    const key = `${commit.consumerGroup}/${commit.eventId}`;
    const winner = this.records.get(key);
    if (winner) return { ...winner };
    this.commits.push(commit);
    const record = { runId: commit.runId, outputs: commit.outputs, sent: false };
    this.records.set(key, record);
    return { ...record };
  }
  async markSent(group: string, id: string) {
    this.records.get(`${group}/${id}`)!.sent = true;
  }
  async recordFailure(failure: StepFailure) {
    this.failures.push(failure);
  }
}

class FakeSender {
  readonly sent: Array<{ outputs: SerializedOutput[]; runId: string; traceId?: string }> = [];
  /** The consumed offsets committed with each send (a transactional sender's). */
  readonly committed: ConsumedSource[] = [];
  failNext = 0;
  async send(outputs: SerializedOutput[], runId: string, consumed: ConsumedSource) {
    if (this.failNext > 0) {
      this.failNext--;
      throw new Error('broker not available');
    }
    this.sent.push({ outputs, runId, traceId: trace.getActiveSpan()?.spanContext().traceId });
    this.committed.push(consumed);
  }
}

class FakeDeadLetters {
  readonly letters: Array<{ topic: string; letter: DeadLetter }> = [];
  down = false;
  async publish(topic: string, letter: DeadLetter) {
    if (this.down) throw new Error('broker not available');
    this.letters.push({ topic, letter });
  }
}

/** A step that turns raw.landed into silver.ready, counting its calls; `behaviour` can make it fail. */
class CountingStep implements PipelineStep<typeof Topics.rawLanded> {
  readonly input = Topics.rawLanded;
  readonly step = 'transformation' as const;
  calls: StepContext[] = [];
  behaviour: (attempt: number) => void = () => undefined;

  async handle(event: RawLanded, context: StepContext): Promise<StepOutcome> {
    this.calls.push(context);
    this.behaviour(context.attempt);
    const silverKey = `silver/date=2026-11-30/${event.data.datasetId}.parquet`;
    return {
      outputs: [
        {
          topic: Topics.silverReady,
          id: deterministicId('silver.ready', event.id),
          key: event.data.datasetId,
          subject: event.data.datasetId,
          data: {
            datasetId: event.data.datasetId,
            silverKey,
            sha256: 'b'.repeat(64),
            rawKeys: [{ key: event.data.objectKey, sha256: event.data.sha256 }],
            rows: event.data.count,
            featuresSchemaVersion: 'fv-test',
            quality: { inputRows: event.data.count, duplicates: 0, dropped: 0, nullRatio: {} },
          },
        },
      ],
      artifacts: [{ ref: silverKey, layer: 'silver', sha256: 'b'.repeat(64), sizeBytes: 10, contentType: 'application/vnd.apache.parquet' }],
      lineage: [{ parentRef: event.data.objectKey, childRef: silverKey, relation: 'transformed' }],
      record: { inputRef: event.data.objectKey, details: { rows: event.data.count } },
    };
  }
}

function rawLanded(n: number): RawLanded {
  return {
    specversion: '1.0',
    id: deterministicId('raw.landed', n),
    source: 'flowsentry/ingest',
    type: 'io.flowsentry.raw.landed.v1',
    time: '2026-11-30T00:00:00.000Z',
    subject: `network.events-p0-${n}-${n + 9}`,
    datacontenttype: 'application/json',
    data: {
      datasetId: `network.events-p0-${n}-${n + 9}`,
      objectKey: `raw/date=2026-11-30/network.events/p0-${n}-${n + 9}.jsonl.gz`,
      sha256: 'a'.repeat(64),
      bytes: 100,
      count: 10,
      rejected: 0,
      source: { topic: 'network.events', partition: 0, firstOffset: String(n), lastOffset: String(n + 9) },
    },
  };
}

function message(value: unknown, headers: ConsumedMessage['headers'] = {}, offset = '7'): ConsumedMessage {
  return {
    topic: 'it.raw.landed',
    partition: 1,
    offset,
    key: Buffer.from('network.events/0'),
    value: Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)),
    headers,
    timestamp: '0',
  };
}

describe('StepRuntime', () => {
  let tracing: InMemoryTracing;
  let store: FakeStore;
  let sender: FakeSender;
  let deadLetters: FakeDeadLetters;
  let step: CountingStep;
  let sleeps: number[];
  let beats: number;
  let runtime: StepRuntime;
  const tools = { heartbeat: async () => void beats++, assignment: 1 };
  const log = { warn: jest.fn(), info: jest.fn(), error: jest.fn() } as never;

  beforeAll(() => {
    tracing = startInMemoryTracing('transform');
  });
  afterAll(() => tracing.shutdown());

  beforeEach(() => {
    tracing.reset();
    store = new FakeStore();
    sender = new FakeSender();
    deadLetters = new FakeDeadLetters();
    step = new CountingStep();
    sleeps = [];
    beats = 0;
    runtime = runtimeWith(async (ms) => {
      sleeps.push(ms);
    });
  });

  /** The runtime under test over this test's fakes; `sleep` is how it waits between attempts. */
  const runtimeWith = (sleep: (ms: number) => Promise<void>) =>
    new StepRuntime(
      [step],
      { service: 'transform', consumerGroup: 'g-transform', retry: { retries: 3, initialDelayMs: 100, maxDelayMs: 1000, factor: 2 }, logicalTopic: () => Topics.rawLanded },
      { store, sender, deadLetters, metrics: stepMetrics('spec'), log, random: () => 1, sleep },
    );

  it('handles an event once: records it with its output and sends that output with the run id', async () => {
    await runtime.handle(message(rawLanded(0), { [Headers.runId]: Buffer.from('run-7') }), tools);

    expect(step.calls).toHaveLength(1);
    expect(step.calls[0]).toMatchObject({ runId: 'run-7', attempt: 1, source: { topic: 'it.raw.landed', partition: 1, offset: '7' } });
    expect(store.commits).toHaveLength(1);
    expect(store.commits[0]).toMatchObject({ consumerGroup: 'g-transform', service: 'transform', step: 'transformation', eventId: rawLanded(0).id, trigger: 'raw.landed' });
    expect(sender.sent).toHaveLength(1);
    expect(sender.sent[0]!.runId).toBe('run-7');
    expect(sender.committed).toEqual([{ topic: 'it.raw.landed', partition: 1, offset: '7' }]);
    expect(sender.sent[0]!.outputs[0]!.value).toBe(store.commits[0]!.outputs[0]!.value);
    const emitted = JSON.parse(sender.sent[0]!.outputs[0]!.value);
    expect(emitted).toMatchObject({ type: 'io.flowsentry.silver.ready.v1', source: 'flowsentry/transform', id: deterministicId('silver.ready', rawLanded(0).id) });
    expect((await store.processed('g-transform', rawLanded(0).id))!.sent).toBe(true);
    expect(deadLetters.letters).toHaveLength(0);
  });

  it('derives the run id from the event id when the producer sent none', async () => {
    await runtime.handle(message(rawLanded(0)), tools);
    expect(step.calls[0]!.runId).toBe(deterministicId('run', rawLanded(0).id));
  });

  it("offers the handler the partition's next event, decoded, when the consumer has fetched one that is valid", async () => {
    const next = (value: unknown, partition = 1) => ({ ...message(value, {}, '8'), partition });
    await runtime.handle(message(rawLanded(0)), { ...tools, upcoming: next(rawLanded(10)) });
    await runtime.handle(message(rawLanded(10)), { ...tools, upcoming: next('{"specversion":') });
    await runtime.handle(message(rawLanded(20)), { ...tools, upcoming: next(rawLanded(30), 2) });
    await runtime.handle(message(rawLanded(30)), tools);

    expect(step.calls.map((c) => c.upcoming()?.id)).toEqual([rawLanded(10).id, undefined, undefined, undefined]);
    expect(step.calls[0]!.upcoming()).toEqual(rawLanded(10));
    // A hint, nothing more: only the events handled were recorded.
    expect(store.commits.map((c) => c.eventId)).toEqual([0, 10, 20, 30].map((n) => rawLanded(n).id));
  });

  it("tells the handler the consumer's group assignment, so state it keeps per partition can be checked after a rebalance", async () => {
    await runtime.handle(message(rawLanded(0)), { ...tools, assignment: 4 });
    await runtime.handle(message(rawLanded(10)), tools);

    expect(step.calls.map((c) => c.assignment)).toEqual([4, 1]);
  });

  it.each([
    ['malformed-json', '{"specversion":'],
    ['schema', JSON.stringify({ ...rawLanded(0), data: { ...rawLanded(0).data, sha256: 'not-a-hash' } })],
    ['schema', JSON.stringify({ ...rawLanded(0), type: 'io.flowsentry.silver.ready.v1' })],
    ['empty', ''],
  ])('dead-letters an event it cannot decode (%s) with the original bytes and goes on', async (reason, value) => {
    const bad = message(value);
    await expect(runtime.handle(bad, tools)).resolves.toBeUndefined();

    expect(step.calls).toHaveLength(0);
    expect(deadLetters.letters).toHaveLength(1);
    expect(deadLetters.letters[0]!.topic).toBe('raw.landed');
    expect(deadLetters.letters[0]!.letter).toMatchObject({ reason, sourceTopic: 'it.raw.landed', partition: 1, offset: '7', value: bad.value, key: bad.key });

    await runtime.handle(message(rawLanded(10), {}, '8'), tools);
    expect(step.calls).toHaveLength(1);
  });

  it('re-sends the stored output byte for byte after a crash between the database commit and the send', async () => {
    sender.failNext = 100; // the process "dies" before the broker acknowledges
    const delivery = message(rawLanded(0));
    await expect(runtime.handle(delivery, tools)).rejects.toBeInstanceOf(OutputsNotSentError);
    // The commit happened: a fresh runtime (the restarted process) gets the redelivery.
    sender.failNext = 0;
    step.calls.length = 0;
    const stored = store.commits[0]!.outputs;

    await runtime.handle(delivery, tools);

    expect(step.calls).toHaveLength(0);
    expect(store.commits).toHaveLength(1);
    expect(sender.sent).toHaveLength(1);
    expect(sender.sent[0]!.outputs).toEqual(stored);
    expect(sender.sent[0]!.outputs[0]!.value).toBe(stored[0]!.value);
  });

  it('sends nothing for a redelivery after the output was sent', async () => {
    const delivery = message(rawLanded(0));
    await runtime.handle(delivery, tools);
    await runtime.handle(delivery, tools);
    await runtime.handle(delivery, tools);

    expect(step.calls).toHaveLength(1);
    expect(sender.sent).toHaveLength(1);
  });

  it('never dead-letters an event whose outputs are on record when the broker stays down past the retries: the error goes to the consumer, which reads the event again', async () => {
    sender.failNext = 100;
    const delivery = message(rawLanded(0));

    const error = await runtime.handle(delivery, tools).catch((err: unknown) => err);

    expect(error).toBeInstanceOf(OutputsNotSentError);
    expect((error as Error).message).toContain('outputs on record but not sent');
    expect(deadLetters.letters).toHaveLength(0);
    expect(store.failures).toHaveLength(0);
    expect(sleeps).toHaveLength(3); // the whole retry budget was spent first
    // The broker is back when the consumer reads the event again: the stored outputs go out, the step does not run again.
    sender.failNext = 0;
    await runtime.handle(delivery, tools);
    expect(step.calls).toHaveLength(1);
    expect(sender.sent).toHaveLength(1);
    expect(sender.sent[0]!.outputs).toEqual(store.commits[0]!.outputs);
  });

  it('resumes a failed send from the stored output without running the step again', async () => {
    sender.failNext = 2;
    await runtime.handle(message(rawLanded(0)), tools);

    expect(step.calls).toHaveLength(1);
    expect(sender.sent).toHaveLength(1);
    expect(sleeps).toHaveLength(2);
  });

  it('retries a transient failure with growing backoff, beating the heartbeat while it waits, and commits nothing meanwhile', async () => {
    store.failNextCommits = 2;
    runtime = runtimeWith((ms) => {
      sleeps.push(ms);
      expect(store.commits).toHaveLength(0);
      return new Promise((resolve) => setTimeout(resolve, 3100));
    });

    await runtime.handle(message(rawLanded(0)), tools);

    expect(sleeps).toEqual([100, 200]);
    expect(beats).toBeGreaterThanOrEqual(2);
    expect(step.calls.map((c) => c.attempt)).toEqual([1, 2, 3]);
    expect(store.commits).toHaveLength(1);
    expect(deadLetters.letters).toHaveLength(0);
  }, 20_000);

  it('dead-letters a failure that outlasts the attempt budget, records the failed step, and goes on', async () => {
    step.behaviour = () => {
      throw new Error('S3 SlowDown');
    };

    await expect(runtime.handle(message(rawLanded(0)), tools)).resolves.toBeUndefined();

    expect(step.calls).toHaveLength(4);
    expect(sleeps).toEqual([100, 200, 400]);
    expect(deadLetters.letters).toHaveLength(1);
    expect(deadLetters.letters[0]!.letter.reason).toBe(RETRIES_EXHAUSTED);
    expect(deadLetters.letters[0]!.letter.error).toMatch(/4 attempts failed; last: S3 SlowDown/);
    expect(store.failures).toEqual([expect.objectContaining({ step: 'transformation', reason: RETRIES_EXHAUSTED, inputRef: rawLanded(0).subject })]);
    expect(store.commits).toHaveLength(0);
  });

  it('dead-letters bad input found by the step at once, with the step’s reason code', async () => {
    step.behaviour = () => {
      throw new PoisonMessageError('hash-mismatch', 'RAW object sha256 differs from raw.landed');
    };

    await runtime.handle(message(rawLanded(0)), tools);

    expect(step.calls).toHaveLength(1);
    expect(sleeps).toHaveLength(0);
    expect(deadLetters.letters[0]!.letter).toMatchObject({ reason: 'hash-mismatch', error: 'RAW object sha256 differs from raw.landed' });
  });

  it('rejects (so nothing is committed) when even the dead-letter topic cannot be written', async () => {
    deadLetters.down = true;
    await expect(runtime.handle(message('not json'), tools)).rejects.toThrow('broker not available');
  });

  it('sends the record of the delivery that committed first when two deliveries race', async () => {
    const event = rawLanded(0);
    const theirs = { runId: 'run-other', outputs: [{ topic: Topics.silverReady, key: 'k', value: '{"id":"theirs"}' }], sent: false };
    const original = store.commit.bind(store);
    store.commit = async (commit) => {
      store.records.set(`${commit.consumerGroup}/${commit.eventId}`, { ...theirs });
      return original(commit);
    };

    await runtime.handle(message(event), tools);

    expect(sender.sent).toEqual([{ outputs: theirs.outputs, runId: 'run-other', traceId: expect.any(String) }]);
  });

  it('runs the step in a consumer span that continues the producer’s trace and carries the run id', async () => {
    const producer = trace.getTracer('spec').startSpan('raw.landed send');
    const headers = injectTraceHeaders({ [Headers.runId]: 'run-9' }, trace.setSpan(context.active(), producer));
    producer.end();

    await runtime.handle(message(rawLanded(0), Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, Buffer.from(String(v))]))), tools);

    const span = tracing.finishedSpans().find((s) => s.name === 'transform.transformation')!;
    expect(span.spanContext().traceId).toBe(producer.spanContext().traceId);
    expect(span.parentSpanContext?.spanId).toBe(producer.spanContext().spanId);
    expect(span.attributes[ATTR_RUN_ID]).toBe('run-9');
    expect(sender.sent[0]!.traceId).toBe(producer.spanContext().traceId);
  });

  it('links the step span to the spans a step fans in (not to itself), keeping the producer as its parent', async () => {
    const producer = trace.getTracer('spec').startSpan('raw.landed send');
    const headers = injectTraceHeaders({}, trace.setSpan(context.active(), producer));
    producer.end();
    const earlier = trace.getTracer('spec').startSpan('an earlier run', { root: true });
    earlier.end();
    const { traceId, spanId } = earlier.spanContext();
    step.behaviour = () => undefined;
    const handle = step.handle.bind(step);
    step.handle = async (event, ctx) => {
      const own = trace.getActiveSpan()!.spanContext();
      ctx.link([`00-${traceId}-${spanId}-01`, undefined, `00-${own.traceId}-${own.spanId}-01`]);
      return handle(event, ctx);
    };

    await runtime.handle(message(rawLanded(0), Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, Buffer.from(String(v))]))), tools);

    const span = tracing.finishedSpans().find((s) => s.name === 'transform.transformation')!;
    expect(span.parentSpanContext?.spanId).toBe(producer.spanContext().spanId);
    expect(span.links.map((link) => [link.context.traceId, link.context.spanId])).toEqual([[traceId, spanId]]);
  });

  it('refuses two steps for one topic', () => {
    expect(() => new StepRuntime([step, new CountingStep()], { service: 's', consumerGroup: 'g', retry: { retries: 0, initialDelayMs: 1, maxDelayMs: 1, factor: 2 }, logicalTopic: () => Topics.rawLanded }, {} as never)).toThrow(/two steps consume raw.landed/);
  });
});
