/**
 * Contacts: phone numbers (E.164, US/CA only) and emails, validated and normalized before they are stored.
 * Errors name the reason, never the contact.
 */
import { createHash } from 'node:crypto';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { z } from 'zod';
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

/** SHA-256 hex of a normalized contact: the opt-out table key, so the table holds no contact data. */
export function hashContact(contact: string): string {
  return createHash('sha256').update(contact, 'utf8').digest('hex');
}
