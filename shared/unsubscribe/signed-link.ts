/**
 * Signed one-click unsubscribe links (RFC 8058) for reminder emails. The link names the contact only by
 * its hash (the opt-out table's key), carries an expiry, and is signed with the stage's secret
 * (HMAC-SHA-256), so nobody can unsubscribe an address they did not receive mail for, and an old link
 * stops working. CASL asks that the mechanism work for at least 60 days after the message is sent: links
 * live 90 days by default.
 *
 *   <base>?t=<contactHash>.<expiresAt (epoch seconds)>.<signature (base64url)>
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { ConfigurationError } from '#shared/config/errors';
import { epochSecondsAfterDays } from '#shared/time/epoch';

export const UNSUBSCRIBE_TOKEN_PARAMETER = 't';
export const DEFAULT_UNSUBSCRIBE_LINK_DAYS = 90;
/** Shortest accepted secret: 32 characters (a 256-bit key written in hex or base64 is longer). */
export const MIN_UNSUBSCRIBE_SECRET_LENGTH = 32;

export interface UnsubscribeClaims {
  /** The contact's hash, as the opt-out table keys it. */
  contactHash: string;
  /** Epoch seconds after which the link is refused. */
  expiresAt: number;
}

export type UnsubscribeVerdict =
  | { ok: true; claims: UnsubscribeClaims }
  | { ok: false; reason: 'MALFORMED' | 'FORGED' | 'EXPIRED' };

/** Refuses a secret that is missing, short, or the placeholder of a parameter nobody has set. */
export function checkedUnsubscribeSecret(
  secret: string | undefined,
  variable = 'UNSUBSCRIBE_SECRET',
): string {
  if (!secret) throw new ConfigurationError([`${variable}: not set (the key that signs unsubscribe links)`]);
  if (secret.startsWith('unset:') || secret.length < MIN_UNSUBSCRIBE_SECRET_LENGTH) {
    throw new ConfigurationError([
      `${variable}: must be a secret of at least ${MIN_UNSUBSCRIBE_SECRET_LENGTH} characters`,
    ]);
  }
  return secret;
}

function signature(contactHash: string, expiresAt: number, secret: string): Buffer {
  return createHmac('sha256', secret).update(`unsubscribe/v1|${contactHash}|${expiresAt}`, 'utf8').digest();
}

const TOKEN = /^([0-9a-f]{16,128})\.(\d{1,12})\.([A-Za-z0-9_-]{43})$/;

export function signUnsubscribeToken(claims: UnsubscribeClaims, secret: string): string {
  if (!/^[0-9a-f]{16,128}$/.test(claims.contactHash)) throw new Error('contactHash must be a hex hash');
  const expiresAt = Math.floor(claims.expiresAt);
  return `${claims.contactHash}.${expiresAt}.${signature(claims.contactHash, expiresAt, secret).toString('base64url')}`;
}

/** The link for one email: `base` with the signed token, valid `days` from `now`. */
export function unsubscribeUrl(
  base: string,
  contactHash: string,
  secret: string,
  now: Date,
  days = DEFAULT_UNSUBSCRIBE_LINK_DAYS,
): string {
  const expiresAt = epochSecondsAfterDays(now.getTime(), days);
  const url = new URL(base);
  url.searchParams.set(UNSUBSCRIBE_TOKEN_PARAMETER, signUnsubscribeToken({ contactHash, expiresAt }, secret));
  return url.toString();
}

/** Checks a token: its shape, its signature (constant time), then its expiry. */
export function verifyUnsubscribeToken(
  token: string | undefined,
  secret: string,
  now: Date,
): UnsubscribeVerdict {
  const match = TOKEN.exec(token ?? '');
  if (!match) return { ok: false, reason: 'MALFORMED' };
  const [, contactHash = '', expires = '', given = ''] = match;
  const expiresAt = Number(expires);
  const expected = signature(contactHash, expiresAt, secret);
  const received = Buffer.from(given, 'base64url');
  if (received.length !== expected.length || !timingSafeEqual(received, expected)) {
    return { ok: false, reason: 'FORGED' };
  }
  if (expiresAt * 1000 <= now.getTime()) return { ok: false, reason: 'EXPIRED' };
  return { ok: true, claims: { contactHash, expiresAt } };
}
