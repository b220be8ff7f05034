/**
 * Contacts: phone numbers (E.164, US/CA only) and emails, validated and normalized before they are stored.
 * Errors name the reason, never the contact.
 */
import { createHmac } from 'node:crypto';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { z } from 'zod';
import { ConfigurationError } from '#shared/config/errors';
import { InvalidContactError } from '#shared/domain/errors';
import type { Channel } from '#shared/domain/model';

export const SUPPORTED_PHONE_COUNTRIES = ['US', 'CA'] as const;
export type PhoneCountry = (typeof SUPPORTED_PHONE_COUNTRIES)[number];

/** Number types that cannot receive a reminder by SMS. */
const NON_SMS_TYPES = new Set(['TOLL_FREE', 'PREMIUM_RATE', 'SHARED_COST', 'VOICEMAIL', 'PAGER', 'UAN']);

export function normalizePhone(raw: string, defaultCountry: PhoneCountry = 'US'): string {
  const input = raw.trim();
  if (input === '') throw new InvalidContactError('SMS', 'EMPTY');
  if (input.length > 32 || /[a-z]/i.test(input.replace(/\s*(ext\.?|x)\s*\d+$/i, ''))) {
    throw new InvalidContactError('SMS', 'UNPARSEABLE');
  }
  const phone = parsePhoneNumberFromString(input, defaultCountry);
  if (!phone) throw new InvalidContactError('SMS', 'UNPARSEABLE');
  if (phone.ext) throw new InvalidContactError('SMS', 'HAS_EXTENSION');
  if (!phone.isValid()) throw new InvalidContactError('SMS', 'INVALID_NUMBER');
  if (!phone.country || !(SUPPORTED_PHONE_COUNTRIES as readonly string[]).includes(phone.country)) {
    throw new InvalidContactError('SMS', 'UNSUPPORTED_COUNTRY');
  }
  const type = phone.getType();
  if (type && NON_SMS_TYPES.has(type)) throw new InvalidContactError('SMS', 'NOT_SMS_CAPABLE');
  return phone.number;
}

const emailSchema = z.email();

export function normalizeEmail(raw: string): string {
  const input = raw.trim();
  if (input === '') throw new InvalidContactError('EMAIL', 'EMPTY');
  if (input.length > 254) throw new InvalidContactError('EMAIL', 'TOO_LONG');
  if (!emailSchema.safeParse(input).success) throw new InvalidContactError('EMAIL', 'INVALID_EMAIL');
  const at = input.lastIndexOf('@');
  return `${input.slice(0, at)}@${input.slice(at + 1).toLowerCase()}`;
}

export function normalizeContact(channel: Channel, raw: string): string {
  return channel === 'SMS' ? normalizePhone(raw) : normalizeEmail(raw);
}

/** For logs: '+1******4567', 'j***@example.com'. */
export function maskContact(contact: string): string {
  const at = contact.lastIndexOf('@');
  if (at > 0) return `${contact.slice(0, 1)}***@${contact.slice(at + 1)}`;
  if (/^\+\d{8,15}$/.test(contact)) {
    const keep = contact.startsWith('+1') ? 2 : 3;
    return `${contact.slice(0, keep)}${'*'.repeat(contact.length - keep - 4)}${contact.slice(-4)}`;
  }
  return '***';
}

/** Shortest accepted CONTACT_HASH_KEY: 32 characters (a 256-bit key in hex or base64 is longer). */
export const MIN_CONTACT_HASH_KEY_LENGTH = 32;

/**
 * The stage's key of the contact hashes (CONTACT_HASH_KEY, a secret per stage): without it a hash could
 * be reversed by hashing every phone number of a country.
 */
export function contactHashKey(env: Record<string, string | undefined> = process.env): string {
  const key = env.CONTACT_HASH_KEY;
  if (!key) throw new ConfigurationError(['CONTACT_HASH_KEY: not set (the key of the contact hashes)']);
  if (key.length < MIN_CONTACT_HASH_KEY_LENGTH) {
    throw new ConfigurationError([
      `CONTACT_HASH_KEY: shorter than ${MIN_CONTACT_HASH_KEY_LENGTH} characters`,
    ]);
  }
  return key;
}

/**
 * Keyed hash (HMAC-SHA-256, hex) of a normalized contact: the key of the opt-out and consent tables, so
 * they hold no contact data. A whole email address is lower-cased first ('Jo@Example.com' and
 * 'jo@example.com' are one opt-out), a phone number is hashed in E.164 as stored.
 */
export function hashContact(contact: string, key: string = contactHashKey()): string {
  const canonical = contact.includes('@') ? contact.trim().toLowerCase() : contact.trim();
  return createHmac('sha256', key).update(canonical, 'utf8').digest('hex');
}
