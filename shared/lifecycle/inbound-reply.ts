/**
 * Inbound SMS replies: STOP-like keywords put the sender in the opt-out table (by the hash of the
 * number, never the number itself). START-like keywords are recognized and reported, but do not lift
 * the opt-out: an opt-out may also come from a carrier error or a complaint, and lifting one is an
 * operator's decision (docs/OPERATIONS.md).
 */
import type { OptOutsRepository } from '#shared/data/opt-outs-repository';
import { hashContact, normalizePhone } from '#shared/domain/contacts';

/** Twilio's default opt-out keywords, and their French forms (messages to fr-CA fans say ARRET). */
export const STOP_KEYWORDS: ReadonlySet<string> = new Set([
  'STOP',
  'STOPALL',
  'UNSUBSCRIBE',
  'CANCEL',
  'END',
  'QUIT',
  'OPTOUT',
  'REVOKE',
  'ARRET',
  'ARRETER',
  'DESABONNER',
]);

export const START_KEYWORDS: ReadonlySet<string> = new Set(['START', 'UNSTOP', 'YES', 'ABONNER']);

export type ReplyKind = 'stop' | 'start' | 'other';

/** Upper case, accents and surrounding punctuation removed: "Arrêt." -> "ARRET". */
export function normalizeKeyword(body: string): string {
  return body
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .trim()
    .replace(/^[\p{P}\s]+|[\p{P}\s]+$/gu, '')
    .toUpperCase();
}

/**
 * The kind of a reply: the whole body must be the keyword, as the provider matches it. The provider's
 * own verdict (Twilio Advanced Opt-Out sends OptOutType=STOP/START) wins when present.
 */
export function classifyReply(body: string, optOutType?: string): ReplyKind {
  const type = optOutType?.trim().toUpperCase();
  if (type === 'STOP') return 'stop';
  if (type === 'START') return 'start';
  const word = normalizeKeyword(body);
  if (STOP_KEYWORDS.has(word)) return 'stop';
  if (START_KEYWORDS.has(word)) return 'start';
  return 'other';
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

export async function recordInboundReply(
  reply: InboundReply,
  deps: { optOuts: Pick<OptOutsRepository, 'add'>; now: () => Date },
): Promise<ReplyKind> {
  const kind = classifyReply(reply.body, reply.optOutType);
  if (kind === 'stop') {
    await deps.optOuts.add({
      contactHash: hashContact(senderContact(reply.from)),
      reason: 'STOP_REPLY',
      source: 'inbound-reply',
      createdAt: deps.now().toISOString(),
    });
  }
  return kind;
}
