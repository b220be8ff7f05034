import { hashContact } from '#shared/domain/contacts';
import { classifyReply, normalizeKeyword, recordInboundReply } from '#shared/lifecycle/inbound-reply';

describe('inbound replies', () => {
  it.each([
    'STOP',
    'stop',
    ' Stop. ',
    'STOPALL',
    'unsubscribe',
    'CANCEL',
    'END',
    'QUIT',
    'Arrêt',
    'ARRET!',
    'arrêter',
  ])('reads %j as an opt-out', (body) => {
    expect(classifyReply(body)).toBe('stop');
  });

  it.each(['START', 'unstop', 'Yes', 'abonner'])('reads %j as an opt-in', (body) => {
    expect(classifyReply(body)).toBe('start');
  });

  it.each(['please stop texting me at night', 'Thanks!', '', 'STOP IT'])('reads %j as neither', (body) => {
    expect(classifyReply(body)).toBe('other');
  });

  it("takes the provider's OptOutType when present", () => {
    expect(classifyReply('Stop please', 'STOP')).toBe('stop');
    expect(classifyReply('whatever', 'START')).toBe('start');
  });

  it('normalizes accents, case and surrounding punctuation', () => {
    expect(normalizeKeyword('  «Arrêt»! ')).toBe('ARRET');
  });

  it('records a STOP by the hash of the E.164 number, and nothing for other replies', async () => {
    const add = jest.fn().mockResolvedValue(undefined);
    const now = () => new Date('2026-11-28T10:00:00Z');

    await expect(
      recordInboundReply({ from: '+1 (416) 555-0123', body: 'STOP' }, { optOuts: { add }, now }),
    ).resolves.toBe('stop');
    await recordInboundReply({ from: '+14165550123', body: 'START' }, { optOuts: { add }, now });
    await recordInboundReply({ from: '+14165550123', body: 'hello' }, { optOuts: { add }, now });

    expect(add).toHaveBeenCalledTimes(1);
    expect(add).toHaveBeenCalledWith({
      contactHash: hashContact('+14165550123'),
      reason: 'STOP_REPLY',
      source: 'inbound-reply',
      createdAt: '2026-11-28T10:00:00.000Z',
    });
    expect(JSON.stringify(add.mock.calls)).not.toContain('5550123');
  });
});
