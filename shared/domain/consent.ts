/**
 * What a contact's owner is asked and answered when a fan signs the contact up: the confirmation SMS
 * ("Reply YES…" / "Répondez OUI…", CTIA: one confirmation message per opt-in, naming the program, the
 * frequency, HELP and STOP), the email with its confirmation link, and the link's token. The text
 * version is stored with each consent record, so what was agreed to can be shown later.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Brand, Locale } from './model';

/** Bump when a confirmation text changes: consent records keep the version their owner saw. */
export const CONSENT_TEXT_VERSION = 'consent-2026-12-v1';

const BRANDS: Record<Brand, string> = { ticketmaster: 'Ticketmaster', livenation: 'Live Nation' };

/** The confirmation SMS (GSM-7 only, one message). */
export function confirmationSms(locale: Locale, brand: Brand): string {
  const name = BRANDS[brand];
  if (locale === 'fr-ca') {
    return `${name} : répondez OUI pour recevoir par texto les rappels de mise en vente choisis (1 par vente). Frais de msg possibles. AIDE: aide. ARRET: fin.`;
  }
  return `${name}: Reply YES to get the on-sale reminder texts you asked for (1 per sale). Msg&data rates may apply. Reply HELP for help, STOP to end.`;
}

/** The answer to HELP / AIDE / INFO. */
export function helpSms(locale: Locale): string {
  if (locale === 'fr-ca') {
    return 'Rappels de mise en vente Ticketmaster/Live Nation: 1 texto par vente choisie. Aide: ticketmaster.ca/aide. Repondez ARRET pour ne plus en recevoir.';
  }
  return 'Ticketmaster/Live Nation on-sale reminders: 1 text per sale you chose. Help: help.ticketmaster.com. Reply STOP to end, START to resume.';
}

/** The answer once a YES / OUI confirmed a pending sign-up. */
export function confirmedSms(locale: Locale): string {
  return locale === 'fr-ca'
    ? 'Merci! Vos rappels de mise en vente sont confirmes. Repondez ARRET pour ne plus en recevoir.'
    : 'Thanks! Your on-sale reminders are confirmed. Reply STOP to end, HELP for help.';
}

/** The answer once START lifted the sender's own STOP. */
export function resumedSms(locale: Locale): string {
  return locale === 'fr-ca'
    ? 'Vous recevrez de nouveau les rappels de mise en vente. ARRET pour ne plus en recevoir.'
    : 'You will get on-sale reminder texts again. Reply STOP to end.';
}

export interface ConfirmationEmail {
  subject: string;
  text: string;
}

export function confirmationEmail(locale: Locale, brand: Brand, link: string): ConfirmationEmail {
  const name = BRANDS[brand];
  if (locale === 'fr-ca') {
    return {
      subject: `${name} : confirmez vos rappels de mise en vente`,
      text: `Bonjour,\n\nQuelqu'un a demandé des rappels de mise en vente ${name} à cette adresse. Pour les recevoir, confirmez ici :\n${link}\n\nSans confirmation, vous ne recevrez rien.\n`,
    };
  }
  return {
    subject: `${name}: confirm your on-sale reminders`,
    text: `Hello,\n\nSomeone asked for ${name} on-sale reminders at this address. To get them, confirm here:\n${link}\n\nWithout a confirmation you will receive nothing.\n`,
  };
}

/** A confirmation link's token: names the consent record and carries a secret whose hash is stored. */
export interface ConsentToken {
  token: string;
  tokenHash: string;
}

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

export function createConsentToken(contactHash: string, fanId: string): ConsentToken {
  const secret = randomBytes(24).toString('base64url');
  const ref = Buffer.from(JSON.stringify([contactHash, fanId]), 'utf8').toString('base64url');
  return { token: `${ref}.${secret}`, tokenHash: sha256(secret) };
}

/** The record a token names, or undefined when the token is not one of ours. */
export function parseConsentToken(
  token: string,
): { contactHash: string; fanId: string; secret: string } | undefined {
  const [ref, secret, extra] = token.split('.');
  if (!ref || !secret || extra !== undefined || token.length > 1024) return undefined;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(ref, 'base64url').toString('utf8'));
    if (!Array.isArray(parsed) || parsed.length !== 2) return undefined;
    const [contactHash, fanId] = parsed as unknown[];
    if (typeof contactHash !== 'string' || typeof fanId !== 'string') return undefined;
    return { contactHash, fanId, secret };
  } catch {
    return undefined;
  }
}

export function tokenMatches(secret: string, tokenHash: string | undefined): boolean {
  if (!tokenHash) return false;
  const a = Buffer.from(sha256(secret));
  const b = Buffer.from(tokenHash);
  return a.length === b.length && timingSafeEqual(a, b);
}
