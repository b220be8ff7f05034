import type { ConsentRecord } from '#shared/data/consents-repository';
import { hashContact } from '#shared/domain/contacts';
import {
  classifyReply,
  type InboundReplyDeps,
  normalizeKeyword,
  normalizeReply,
  recordInboundReply,
} from '#shared/lifecycle/inbound-reply';

/** What people write to stop texts: keywords, phrases, French, styled and full-width letters. */
const STOPS = [
  'STOP',
  'stop',
  ' Stop. ',
  'STOP!!!',
  'STOPALL',
  'STOP ALL',
  'stop all',
  'S T O P',
  'ＳＴＯＰ', // full-width (NFKC)
  '𝐒𝐓𝐎𝐏', // mathematical bold (NFKC)
  'Ｓｔｏｐ ｐｌｅａｓｅ',
  'stop texting me',
  'Please stop texting me at night',
  'STOP IT',
  'Stop sending these',
  'unsubscribe',
  'Unsubscribe me please',
  'CANCEL',
  'END',
  'QUIT',
  'opt out',
  'Opt-out',
  'OPTOUT',
  'I want to opt out',
  'remove me',
  'Take me off this list',
  "Don't text me again",
  'do not text this number',
  'no more texts',
  'leave me alone',
  'revoke',
  'Arrêt',
  'ARRET!',
  'arrête',
  'Arrêtez svp',
  'arrêter',
  'désabonner',
  'Je veux me désabonner',
  'ne plus recevoir de messages',
  'FIN',
  '«Arrêt»',
];

const HELPS = ['HELP', 'help', 'Help?', 'AIDE', 'aide', 'INFO', 'info.', 'ＨＥＬＰ'];
const STARTS = ['START', 'start', 'unstop', 'Yes', 'YES!', 'y', 'OUI', 'oui.', 'Oui!', 'abonner', 'ＹＥＳ'];
const OTHERS = [
  'Thanks!',
  '',
  'hello',
  'When is the presale?',
  'See you at the show',
  'What time?',
  'yes please let me know the end time',
];

describe('reply matching', () => {
  it.each(STOPS)('reads %j as STOP', (body) => {
    expect(classifyReply(body)).toBe('stop');
  });

  it.each(HELPS)('reads %j as HELP', (body) => {
    expect(classifyReply(body)).toBe('help');
  });

  it.each(STARTS)('reads %j as START', (body) => {
    expect(classifyReply(body)).toBe('start');
  });

  it.each(OTHERS)('reads %j as neither', (body) => {
    expect(classifyReply(body)).toBe('other');
  });

  it('a STOP wins over a START or HELP in the same text', () => {
    expect(classifyReply('YES STOP')).toBe('stop');
    expect(classifyReply('help stop')).toBe('stop');
  });

  it("takes the provider's OptOutType when present", () => {
    expect(classifyReply('Stop please', 'STOP')).toBe('stop');
    expect(classifyReply('whatever', 'START')).toBe('start');
    expect(classifyReply('whatever', 'HELP')).toBe('help');
  });

  it('normalizes compatibility forms, accents, case and punctuation', () => {
    expect(normalizeKeyword('  «Arrêt»! ')).toBe('ARRET');
    expect(normalizeReply('Ｄｏｎ’t  text-me')).toBe('DON T TEXT ME');
    expect(normalizeKeyword('ﬁn')).toBe('FIN'); // the ligature 'ﬁ' is two letters after NFKC
  });
});

function deps(consents: ConsentRecord[] = [], ownStop = false) {
  const add = jest.fn().mockResolvedValue(undefined);
  const removeOwnStop = jest.fn().mockResolvedValue(ownStop);
  const confirm = jest.fn().mockResolvedValue(true);
  const byContact = jest.fn().mockResolvedValue(consents);
  const d: InboundReplyDeps = {
    optOuts: { add, removeOwnStop },
    consents: { byContact, confirm },
    now: () => new Date('2026-11-28T10:00:00Z'),
  };
  return { d, add, removeOwnStop, confirm, byContact };
}

const pending = (fanId: string, sentAt: string | undefined): ConsentRecord => ({
  contactHash: hashContact('+14165550123'),
  fanId,
  channel: 'SMS',
  status: 'PENDING',
  textVersion: 'v',
  locale: 'fr-ca',
  requestedAt: '2026-11-28T09:00:00Z',
  ...(sentAt ? { confirmationSentAt: sentAt } : {}),
  originHash: 'o',
});

describe('recording replies', () => {
  it('records a STOP by the hash of the E.164 number, and nothing for other replies', async () => {
    const { d, add } = deps();

    const stop = await recordInboundReply({ from: '+1 (416) 555-0123', body: 'stop texting me' }, d);
    await recordInboundReply({ from: '+14165550123', body: 'hello' }, d);

    expect(stop.kind).toBe('stop');
    // A phrase the provider did not recognize as STOP: the opt-out is confirmed by our answer.
    expect(stop.answer).toContain('no more');
    expect(add).toHaveBeenCalledTimes(1);
    expect(add).toHaveBeenCalledWith({
      contactHash: hashContact('+14165550123'),
      reason: 'STOP_REPLY',
      source: 'inbound-reply',
      createdAt: '2026-11-28T10:00:00.000Z',
    });
    expect(JSON.stringify(add.mock.calls)).not.toContain('5550123');
  });

  it('answers HELP and AIDE in the language of the keyword', async () => {
    const { d, add } = deps();
    const help = await recordInboundReply({ from: '+14165550123', body: 'HELP' }, d);
    const aide = await recordInboundReply({ from: '+14165550123', body: 'aide' }, d);
    expect(help.answer).toContain('Reply STOP');
    expect(aide.answer).toContain('ARRET');
    expect(add).not.toHaveBeenCalled();
  });

  it('YES confirms the pending sign-up whose confirmation went out last, never one never messaged', async () => {
    const { d, confirm } = deps([
      pending('fan-old', '2026-11-27T10:00:00Z'),
      pending('fan-new', '2026-11-28T09:30:00Z'),
      pending('fan-unsent', undefined),
    ]);

    const outcome = await recordInboundReply({ from: '+14165550123', body: 'OUI' }, d);

    expect(outcome).toMatchObject({ kind: 'start', confirmed: true });
    expect(outcome.answer).toContain('confirm');
    expect(confirm).toHaveBeenCalledTimes(1);
    expect(confirm).toHaveBeenCalledWith(
      hashContact('+14165550123'),
      'fan-new',
      'sms-reply',
      '2026-11-28T10:00:00.000Z',
    );
  });

  it('START lifts only the sender’s own STOP (the repository refuses any other opt-out)', async () => {
    const own = deps([], true);
    const other = deps([], false);

    const lifted = await recordInboundReply({ from: '+14165550123', body: 'START' }, own.d);
    const kept = await recordInboundReply({ from: '+14165550123', body: 'START' }, other.d);

    expect(own.removeOwnStop).toHaveBeenCalledWith(hashContact('+14165550123'));
    expect(lifted).toMatchObject({ resumed: true, answer: expect.stringContaining('again') });
    expect(kept).toMatchObject({ resumed: false, confirmed: false });
    expect(kept.answer).toBeUndefined();
  });
});
