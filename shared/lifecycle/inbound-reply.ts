/**
 * Inbound SMS replies, matched the way people write them:
 * - STOP: the text is NFKC-normalized (full-width and styled letters become plain ones), accents and
 *   punctuation dropped, upper-cased; it is a STOP when it holds a stop word anywhere ("STOP", "stop
 *   please", "STOP ALL", "Arrête"), is a stop keyword on its own ("CANCEL", "END", "QUIT"), or holds a
 *   revocation phrase ("opt out", "stop texting me", "remove me", "ne plus recevoir"). US rules let a
 *   consumer revoke consent by any reasonable means (FCC 24-24, 47 CFR 64.1200(a)(10)): when in doubt, it
 *   is a STOP. The sender's hash goes to the opt-out table.
 * - HELP / AIDE / INFO: answered with the program's help text.
 * - START / UNSTOP / YES / OUI: lifts the sender's own STOP (never an opt-out from a carrier error, a
 *   complaint or an operator) and confirms the sender's pending sign-up, the one whose confirmation SMS
 *   went out last.
 * The provider's own verdict (Twilio Advanced Opt-Out's OptOutType: STOP, START, HELP) wins when present.
 */
import type { ConsentsRepository } from '#shared/data/consents-repository';
import type { OptOutsRepository } from '#shared/data/opt-outs-repository';
import { confirmedSms, helpSms, resumedSms } from '#shared/domain/consent';
import { hashContact, normalizePhone } from '#shared/domain/contacts';
import type { Locale } from '#shared/domain/model';

/** Stop words that revoke wherever they stand in the text. */
export const STOP_WORDS: ReadonlySet<string> = new Set([
  'STOP',
  'STOPALL',
  'UNSUBSCRIBE',
  'OPTOUT',
  'REVOKE',
  'ARRET',
  'ARRETE',
  'ARRETEZ',
  'ARRETER',
  'DESABONNER',
  'DESABONNEZ',
  'DESINSCRIRE',
  'DESINSCRIVEZ',
]);

/** Twilio's default opt-out keywords that are ordinary words in a sentence: only on their own. */
export const STOP_KEYWORDS: ReadonlySet<string> = new Set(['CANCEL', 'END', 'QUIT', 'FIN', 'REMOVE']);

/** Revocation phrases, matched as whole words anywhere in the normalized text. */
export const STOP_PHRASES: readonly string[] = [
  'OPT OUT',
  'REMOVE ME',
  'TAKE ME OFF',
  'DONT TEXT',
  'DON T TEXT',
  'DO NOT TEXT',
  'DONT MESSAGE',
  'DO NOT MESSAGE',
  'NO MORE TEXTS',
  'NO MORE MESSAGES',
  'LEAVE ME ALONE',
  'NE PLUS RECEVOIR',
  'NE M ECRIVEZ PLUS',
  'PLUS DE TEXTOS',
  'PLUS DE MESSAGES',
];

export const HELP_KEYWORDS: ReadonlySet<string> = new Set(['HELP', 'AIDE', 'INFO', 'INFOS']);

export const START_KEYWORDS: ReadonlySet<string> = new Set(['START', 'UNSTOP', 'YES', 'Y', 'OUI', 'ABONNER']);

const FRENCH_WORDS = new Set(['OUI', 'AIDE', 'ARRET', 'ARRETE', 'ARRETEZ', 'ARRETER', 'ABONNER', 'FIN']);

export type ReplyKind = 'stop' | 'start' | 'help' | 'other';

/**
 * NFKC (compatibility forms: 'ＳＴＯＰ', '𝐒𝐓𝐎𝐏' → 'STOP'), accents removed, punctuation and symbols as
 * spaces, spaces collapsed, upper case: "  «Arrête»! " → "ARRETE", "Don't text" → "DON T TEXT".
 */
export function normalizeReply(body: string): string {
  return body
    .normalize('NFKC')
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[\p{P}\p{S}\p{Z}\p{Cc}\p{Cf}]+/gu, ' ')
    .trim()
    .replace(/\s+/g, ' ')
    .toUpperCase();
}

/** The normalized text with spaces removed where a keyword is written apart ("S T O P", "OPT-OUT"). */
export function normalizeKeyword(body: string): string {
  return normalizeReply(body).replaceAll(' ', '');
}

function hasPhrase(text: string, phrase: string): boolean {
  return ` ${text} `.includes(` ${phrase} `);
}

/** The kind of a reply; the provider's OptOutType, when present, wins. */
export function classifyReply(body: string, optOutType?: string): ReplyKind {
  const type = optOutType?.trim().toUpperCase();
  if (type === 'STOP') return 'stop';
  if (type === 'START') return 'start';
  if (type === 'HELP') return 'help';
  const text = normalizeReply(body);
  const joined = text.replaceAll(' ', '');
  const words = text.split(' ');
  if (words.some((word) => STOP_WORDS.has(word)) || STOP_WORDS.has(joined)) return 'stop';
  if (STOP_KEYWORDS.has(joined)) return 'stop';
  if (STOP_PHRASES.some((phrase) => hasPhrase(text, phrase))) return 'stop';
  if (HELP_KEYWORDS.has(joined)) return 'help';
  if (START_KEYWORDS.has(joined)) return 'start';
  return 'other';
}

/** The language to answer in: French when the reply used a French keyword. */
export function replyLocale(body: string): Locale {
  return normalizeReply(body)
    .split(' ')
    .some((word) => FRENCH_WORDS.has(word))
    ? 'fr-ca'
    : 'en-us';
}

/** The sender's number as the demand table stores it (E.164), so the hashes match. */
export function senderContact(from: string): string {
  try {
    return normalizePhone(from);
  } catch {
    // Outside US/CA or not a phone number: hash it as received; it still matches nothing we send to.
    return from.trim();
  }
}

export interface InboundReply {
  from: string;
  body: string;
  optOutType?: string;
}

export interface InboundReplyDeps {
  optOuts: Pick<OptOutsRepository, 'add' | 'removeOwnStop'>;
  consents: Pick<ConsentsRepository, 'byContact' | 'confirm'>;
  now: () => Date;
}

export interface InboundReplyOutcome {
  kind: ReplyKind;
  /** START lifted the sender's own STOP. */
  resumed?: boolean;
  /** A pending sign-up was confirmed. */
  confirmed?: boolean;
  /** The SMS to answer with (TwiML), if any. */
  answer?: string;
}

export async function recordInboundReply(
  reply: InboundReply,
  deps: InboundReplyDeps,
): Promise<InboundReplyOutcome> {
  const kind = classifyReply(reply.body, reply.optOutType);
  const contactHash = hashContact(senderContact(reply.from));
  const now = deps.now().toISOString();
  const locale = replyLocale(reply.body);
  if (kind === 'stop') {
    await deps.optOuts.add({ contactHash, reason: 'STOP_REPLY', source: 'inbound-reply', createdAt: now });
    // The provider confirms the STOP it recognized itself; a phrase it did not know is confirmed here.
    return reply.optOutType ? { kind } : { kind, answer: stoppedSms(locale) };
  }
  if (kind === 'help') return { kind, answer: helpSms(locale) };
  if (kind !== 'start') return { kind };

  const resumed = await deps.optOuts.removeOwnStop(contactHash);
  const pending = (await deps.consents.byContact(contactHash))
    .filter((record) => record.status === 'PENDING' && record.channel === 'SMS' && record.confirmationSentAt)
    .sort((a, b) => (b.confirmationSentAt ?? '').localeCompare(a.confirmationSentAt ?? ''))[0];
  const confirmed = pending
    ? await deps.consents.confirm(contactHash, pending.fanId, 'sms-reply', now)
    : false;
  const answerLocale = pending?.locale ?? locale;
  const answer = confirmed ? confirmedSms(answerLocale) : resumed ? resumedSms(answerLocale) : undefined;
  return { kind, resumed, confirmed, ...(answer ? { answer } : {}) };
}

function stoppedSms(locale: Locale): string {
  return locale === 'fr-ca'
    ? 'Vous ne recevrez plus de rappels de mise en vente. Repondez START pour les reprendre.'
    : 'You will get no more on-sale reminder texts. Reply START to resume.';
}
