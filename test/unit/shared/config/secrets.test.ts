import { getParameter } from '@aws-lambda-powertools/parameters/ssm';
import { resolveSecret, secretIssues, UNSET_SECRET_VALUE } from '#shared/config/secrets';

jest.mock('@aws-lambda-powertools/parameters/ssm', () => ({ getParameter: jest.fn() }));
const fromSsm = getParameter as jest.MockedFunction<typeof getParameter>;

describe('provider secrets at cold start', () => {
  it.each([UNSET_SECRET_VALUE, 'CHANGE_ME', 'placeholder', 'xxxx', '<your token>', '${SMS_AUTH_TOKEN}'])(
    'a placeholder (%j) fails the cold start, from SSM or plain',
    async (value) => {
      fromSsm.mockResolvedValueOnce(value as never);
      await expect(resolveSecret('SMS_AUTH_TOKEN', undefined, '/dmd/dev/sms-auth-token')).rejects.toThrow(
        /SMS_AUTH_TOKEN: holds a placeholder.*\/dmd\/dev\/sms-auth-token/,
      );
      await expect(resolveSecret('SMS_AUTH_TOKEN', value, undefined)).rejects.toThrow(/placeholder/);
    },
  );

  it.each([
    ['SMS_AUTH_TOKEN', 'abc123', /32 lower-case hex/],
    ['DISCOVERY_API_KEY', 'short-key', /32 letters and digits/],
    ['BITLY_TOKEN', 'f'.repeat(39), /40 lower-case hex/],
    ['CONTACT_HASH_KEY', 'too short', /at least 32/],
  ])(
    'a malformed %s from SSM fails the cold start, naming the shape, not the value',
    async (name, value, shape) => {
      fromSsm.mockResolvedValueOnce(value as never);
      const failure = resolveSecret(name, undefined, `/dmd/dev/${name}`);
      await expect(failure).rejects.toThrow(shape);
      await expect(resolveSecret(name, undefined, `/dmd/dev/${name}`)).rejects.not.toThrow(value);
    },
  );

  it('well-formed values pass', async () => {
    fromSsm.mockResolvedValueOnce('0123456789abcdef0123456789abcdef' as never);
    await expect(resolveSecret('SMS_AUTH_TOKEN', undefined, '/p')).resolves.toBe(
      '0123456789abcdef0123456789abcdef',
    );
    expect(secretIssues('DISCOVERY_API_KEY', 'A'.repeat(32), 'parameter')).toEqual([]);
    // Local sandboxes' plain values are not held to the providers' formats.
    expect(secretIssues('SMS_AUTH_TOKEN', 'local-sms-auth-token', 'plain')).toEqual([]);
  });
});
