import { halfOpenProbe, tcpConversation, udpExchange } from './flow';

describe('tcpConversation', () => {
  it('records an unanswered SYN as S0 with nothing coming back', () => {
    const f = tcpConversation({ outcome: 'S0', durationMs: 3000, synRetries: 2 });
    expect(f).toMatchObject({ conn_state: 'S0', tcp_flags: 'S', packets_out: 3, packets_in: 0, bytes_in: 0, bytes_out: 180 });
  });

  it('records a refused connection as REJ: one SYN, one RST', () => {
    expect(tcpConversation({ outcome: 'REJ', durationMs: 1 })).toMatchObject({ conn_state: 'REJ', packets_out: 1, packets_in: 1, tcp_flags: 'ARS' });
  });

  it('counts payload plus headers and segments for a completed exchange', () => {
    const f = tcpConversation({ outcome: 'SF', payloadOut: 1000, payloadIn: 100_000, durationMs: 200 });
    expect(f.conn_state).toBe('SF');
    expect(f.tcp_flags).toBe('APSF');
    expect(f.bytes_in).toBeGreaterThan(100_000);
    expect(f.packets_in).toBeGreaterThanOrEqual(Math.ceil(100_000 / 1448));
    expect(f.bytes_out).toBeGreaterThanOrEqual(1000 + 40 * f.packets_out);
  });

  it('leaves out the SYN on a mid-connection record and the FIN on a still-open one', () => {
    const f = tcpConversation({ outcome: 'S1', opening: false, payloadOut: 1e6, payloadIn: 0, durationMs: 60_000 });
    expect(f.tcp_flags).toBe('AP');
    expect(f.conn_state).toBe('S1');
  });

  it('marks resets with R and keeps the SYN of the handshake', () => {
    expect(tcpConversation({ outcome: 'RSTO', payloadOut: 10, payloadIn: 10, durationMs: 5 }).tcp_flags).toBe('APRS');
  });

  it('records a half-open probe of an open port as SYN, SYN-ACK, RST', () => {
    expect(halfOpenProbe(1)).toMatchObject({ packets_out: 2, packets_in: 1, conn_state: 'RSTO' });
  });
});

describe('udpExchange', () => {
  it('is S0 with no bytes back when nothing answered', () => {
    expect(udpExchange({ payloadOut: 40, payloadIn: 0, durationMs: 5 })).toEqual({ bytes_out: 68, bytes_in: 0, packets_out: 1, packets_in: 0, duration_ms: 0, conn_state: 'S0' });
  });

  it('is SF and carries no TCP flags when answered', () => {
    const f = udpExchange({ payloadOut: 48, payloadIn: 48, durationMs: 1.4 });
    expect(f).toMatchObject({ conn_state: 'SF', bytes_in: 76, packets_in: 1, duration_ms: 1 });
    expect(f.tcp_flags).toBeUndefined();
  });
});
