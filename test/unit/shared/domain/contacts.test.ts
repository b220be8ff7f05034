import { createHash, createHmac } from 'node:crypto';
import {
  contactHashKey,
  hashContact,
  maskContact,
  normalizeContact,
  normalizeEmail,
  normalizePhone,
} from '#shared/domain/contacts';
import { InvalidContactError } from '#shared/domain/errors';

function contactError(fn: () => unknown): InvalidContactError {
  try {
    fn();
  } catch (error: unknown) {
    if (error instanceof InvalidContactError) return error;
    throw error;
  }
  throw new Error('expected InvalidContactError');
}

describe('normalizePhone', () => {
  it.each([
    ['(212) 736-3100', '+12127363100'],
    ['212-736-3100', '+12127363100'],
    ['212.736.3100', '+12127363100'],
    ['2127363100', '+12127363100'],
    ['1 212 736 3100', '+12127363100'],
    ['+1 (212) 736-3100', '+12127363100'],
    ['  +12127363100  ', '+12127363100'],
    ['(416) 979-1234', '+14169791234'],
    ['+1 514 285 4545', '+15142854545'],
    ['604-555-1234', '+16045551234'],
  ])('%s → %s', (raw, e164) => {
    expect(normalizePhone(raw)).toBe(e164);
  });

  it('accepts a Canadian default country', () => {
    expect(normalizePhone('416 979 1234', 'CA')).toBe('+14169791234');
  });

  it.each([
    ['', 'EMPTY'],
    ['123', 'INVALID_NUMBER'],
    ['(212) 736-31', 'INVALID_NUMBER'],
    ['+44 20 7946 0958', 'UNSUPPORTED_COUNTRY'],
    ['+1 876 555 1234', 'UNSUPPORTED_COUNTRY'],
    ['1-800-555-0100', 'NOT_SMS_CAPABLE'],
    ['call me maybe', 'UNPARSEABLE'],
    ['212-736-3100 ext. 12', 'HAS_EXTENSION'],
  ])('rejects %j (%s) without echoing it', (raw, reason) => {
    const error = contactError(() => normalizePhone(raw));
    expect(error).toMatchObject({ name: 'InvalidContactError', channel: 'SMS', reason });
    const digits = raw.replace(/\D/g, '');
    if (digits.length >= 3) expect(error.message.replace(/\D/g, '')).not.toContain(digits);
    expect(JSON.stringify(error)).not.toContain(raw.trim() || 'x-nothing');
  });
});

describe('normalizeEmail', () => {
  it('trims and lower-cases the domain only', () => {
    expect(normalizeEmail('  Jane.Doe+tm@Example.COM ')).toBe('Jane.Doe+tm@example.com');
  });

  it.each([
    '',
    'jane',
    'jane@',
    '@example.com',
    'jane@@example.com',
    'jane doe@example.com',
    `${'a'.repeat(250)}@x.com`,
  ])('rejects %j without echoing it', (raw) => {
    const error = contactError(() => normalizeEmail(raw));
    expect(error.channel).toBe('EMAIL');
    if (raw !== '') expect(error.message).not.toContain(raw);
  });
});

describe('normalizeContact', () => {
  it('dispatches on the channel', () => {
    expect(normalizeContact('SMS', '212 736 3100')).toBe('+12127363100');
    expect(normalizeContact('EMAIL', 'a@B.com')).toBe('a@b.com');
  });
});

describe('maskContact', () => {
  it('keeps only what identifies nobody', () => {
    expect(maskContact('+12125554567')).toBe('+1******4567');
    expect(maskContact('john@example.com')).toBe('j***@example.com');
    expect(maskContact('garbage')).toBe('***');
  });
});

describe('hashContact', () => {
  const KEY = 'k'.repeat(32);

  it('is the HMAC-SHA-256 (hex) of the contact with the stage key', () => {
    // RFC 4231-style check against node's own HMAC of a known input.
    expect(hashContact('abc', KEY)).toBe(createHmac('sha256', KEY).update('abc').digest('hex'));
    expect(hashContact('+12127363100')).toMatch(/^[0-9a-f]{64}$/);
    expect(hashContact('+12127363100')).toBe(hashContact(normalizePhone('(212) 736-3100')));
  });

  it('depends on the key: the same number hashes differently on another stage', () => {
    expect(hashContact('+12127363100', KEY)).not.toBe(hashContact('+12127363100', 'x'.repeat(32)));
    expect(hashContact('+12127363100', KEY)).not.toBe(
      createHash('sha256').update('+12127363100').digest('hex'),
    );
  });

  it('lower-cases a whole email address before hashing', () => {
    expect(hashContact('Jo.Smith@Example.COM', KEY)).toBe(hashContact('jo.smith@example.com', KEY));
  });

  it('refuses a missing or short CONTACT_HASH_KEY', () => {
    expect(() => contactHashKey({})).toThrow(/CONTACT_HASH_KEY: not set/);
    expect(() => contactHashKey({ CONTACT_HASH_KEY: 'short' })).toThrow(/shorter than 32/);
    expect(contactHashKey({ CONTACT_HASH_KEY: KEY })).toBe(KEY);
  });
});
