import { ConfigurationError } from '#shared/config/errors';
import {
  checkedUnsubscribeSecret,
  signUnsubscribeToken,
  UNSUBSCRIBE_TOKEN_PARAMETER,
  unsubscribeUrl,
  verifyUnsubscribeToken,
} from '#shared/unsubscribe/signed-link';

const SECRET = 'stage-secret-0123456789abcdef0123456789';
const HASH = 'a3f1c2d4e5b6a7980123456789abcdef0123456789abcdef0123456789abcdef';
const NOW = new Date('2026-12-08T15:00:00Z');

function tokenOf(url: string): string {
  return new URL(url).searchParams.get(UNSUBSCRIBE_TOKEN_PARAMETER) ?? '';
}

describe('signed unsubscribe links', () => {
  it('puts a token naming the contact hash and the expiry on the base URL, valid 90 days by default', () => {
    const url = unsubscribeUrl('https://hooks.example.com/email/unsubscribe', HASH, SECRET, NOW);
    expect(url.startsWith('https://hooks.example.com/email/unsubscribe?t=')).toBe(true);
    const verdict = verifyUnsubscribeToken(tokenOf(url), SECRET, NOW);
    expect(verdict).toEqual({
      ok: true,
      claims: { contactHash: HASH, expiresAt: NOW.getTime() / 1000 + 90 * 24 * 3600 },
    });
    expect(url).not.toContain('@');
  });

  it('refuses a link signed with another key, or whose hash or expiry was changed', () => {
    const token = signUnsubscribeToken({ contactHash: HASH, expiresAt: 2_000_000_000 }, SECRET);
    expect(verifyUnsubscribeToken(token, `${SECRET}x`, NOW)).toEqual({ ok: false, reason: 'FORGED' });
    const [hash, expires, signature] = token.split('.');
    const otherHash = `b${hash?.slice(1)}`;
    expect(verifyUnsubscribeToken(`${otherHash}.${expires}.${signature}`, SECRET, NOW)).toEqual({
      ok: false,
      reason: 'FORGED',
    });
    expect(verifyUnsubscribeToken(`${hash}.2000000001.${signature}`, SECRET, NOW)).toEqual({
      ok: false,
      reason: 'FORGED',
    });
  });

  it('refuses an expired link, even one correctly signed', () => {
    const url = unsubscribeUrl('https://h.example/u', HASH, SECRET, NOW, 60);
    const sixtyDaysLater = new Date(NOW.getTime() + 60 * 24 * 3600 * 1000);
    expect(verifyUnsubscribeToken(tokenOf(url), SECRET, new Date(sixtyDaysLater.getTime() - 1000)).ok).toBe(
      true,
    );
    expect(verifyUnsubscribeToken(tokenOf(url), SECRET, sixtyDaysLater)).toEqual({
      ok: false,
      reason: 'EXPIRED',
    });
  });

  it('refuses what is not a token', () => {
    for (const token of [
      undefined,
      '',
      'abc',
      `${HASH}.123`,
      `${HASH}.x.${'A'.repeat(43)}`,
      `<script>.1.${'A'.repeat(43)}`,
    ]) {
      expect(verifyUnsubscribeToken(token, SECRET, NOW)).toEqual({ ok: false, reason: 'MALFORMED' });
    }
  });

  it('refuses a missing, short or never-set signing key, naming the variable', () => {
    for (const secret of [undefined, '', 'short', 'unset: set by operators (docs/DEPLOY.md)']) {
      expect(() => checkedUnsubscribeSecret(secret)).toThrow(ConfigurationError);
      expect(() => checkedUnsubscribeSecret(secret)).toThrow(/UNSUBSCRIBE_SECRET/);
    }
    expect(checkedUnsubscribeSecret(SECRET)).toBe(SECRET);
  });
});
