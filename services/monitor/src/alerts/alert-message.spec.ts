import { Alert } from './alert';
import { alertMessage, alertText } from './alert-message';

const alert = (severity: Alert['severity'], title: string): Alert => ({ kind: 'drift', severity, key: 'k', title, details: {} });

describe('alert text (Slack-compatible)', () => {
  it('leads with an emoji and the severity, then the title', () => {
    expect(alertText(alert('high', 'drift on network-flows v3: 4 of 12 features drifted'))).toBe(':rotating_light: [high] drift on network-flows v3: 4 of 12 features drifted');
    expect(alertText(alert('medium', 'x'))).toBe(':warning: [medium] x');
    expect(alertText(alert('low', 'x'))).toBe(':information_source: [low] x');
  });

  it("escapes the characters Slack's mrkdwn treats as markup, so a title cannot become a link or a mention", () => {
    expect(alertText(alert('high', 'rows < 10 & <!channel> > none'))).toBe(':rotating_light: [high] rows &lt; 10 &amp; &lt;!channel&gt; &gt; none');
  });

  it('cuts a runaway title to one readable line', () => {
    const text = alertText(alert('low', 'e'.repeat(5_000)));
    expect(text.length).toBeLessThan(1_100);
    expect(text.endsWith('…')).toBe(true);
  });

  it('keeps the full title, the details and the time of raising beside the text', () => {
    const message = alertMessage({ kind: 'data-quality', severity: 'medium', key: 'dq:d1', title: 'a & b', details: { violations: 3 } }, new Date('2026-11-30T00:00:00Z'));
    expect(message).toEqual({
      text: ':warning: [medium] a &amp; b',
      kind: 'data-quality',
      severity: 'medium',
      key: 'dq:d1',
      title: 'a & b',
      details: { violations: 3 },
      service: 'flowsentry-monitor',
      at: '2026-11-30T00:00:00.000Z',
    });
  });
});
