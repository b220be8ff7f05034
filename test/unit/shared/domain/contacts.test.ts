import {
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
  it('is the SHA-256 hex of the contact', () => {
    expect(hashContact('+12127363100')).toMatch(/^[0-9a-f]{64}$/);
    expect(hashContact('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(hashContact('+12127363100')).toBe(hashContact(normalizePhone('(212) 736-3100')));
  });
});
