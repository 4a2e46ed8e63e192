import type { NetworkEvent } from '@flowsentry/contracts';
import { KafkaEventSink } from './kafka-sink';

describe('KafkaEventSink', () => {
  it('sends one JSON document per message, keyed by sensor id, to its topic', async () => {
    const send = jest.fn().mockResolvedValue(undefined);
    const disconnect = jest.fn().mockResolvedValue(undefined);
    const sink = new KafkaEventSink({ send, disconnect }, 'test.network.events');
    const events = [
      { event_id: 'a', sensor_id: 'edge-fw-01', label: 'normal' },
      { event_id: 'b', sensor_id: 'hq-core-01', label: 'portscan' },
    ] as unknown as NetworkEvent[];
    await sink.send(events);
    await sink.close();
    expect(send).toHaveBeenCalledTimes(1);
    const [topic, messages] = send.mock.calls[0]!;
    expect(topic).toBe('test.network.events');
    expect(messages.map((m: { key: string }) => m.key)).toEqual(['edge-fw-01', 'hq-core-01']);
    expect(JSON.parse(messages[1].value)).toEqual(events[1]);
    expect(disconnect).toHaveBeenCalled();
  });
});
