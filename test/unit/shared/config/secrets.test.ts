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
    ['empty', '   ', /SMS_AUTH_TOKEN: is empty/],
    [
      'wrapped in whitespace',
      '0123456789abcdef0123456789abcdef\n',
      /SMS_AUTH_TOKEN: starts or ends with whitespace/,
    ],
  ])('a secret that is %s fails the cold start, from SSM or plain', async (_, value, problem) => {
    fromSsm.mockResolvedValueOnce(value as never);
    await expect(resolveSecret('SMS_AUTH_TOKEN', undefined, '/dmd/dev/sms-auth-token')).rejects.toThrow(
      problem,
    );
    await expect(resolveSecret('SMS_AUTH_TOKEN', value, undefined)).rejects.toThrow(problem);
  });

  it('a malformed CONTACT_HASH_KEY (our own key) from SSM fails the cold start, naming the shape, not the value', async () => {
    fromSsm.mockResolvedValue('too short' as never);
    await expect(resolveSecret('CONTACT_HASH_KEY', undefined, '/dmd/dev/contact-hash-key')).rejects.toThrow(
      /CONTACT_HASH_KEY: is not at least 32 characters/,
    );
    await expect(
      resolveSecret('CONTACT_HASH_KEY', undefined, '/dmd/dev/contact-hash-key'),
    ).rejects.not.toThrow('too short');
    fromSsm.mockReset();
  });

  // The providers document no shape for these secrets (shared/config/secrets.ts): a real one of a shape
  // not seen before is accepted.
  it.each([
    ['SMS_AUTH_TOKEN', '0123456789abcdef0123456789abcdef'],
    ['SMS_AUTH_TOKEN', 'A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8S9t0'],
    ['DISCOVERY_API_KEY', 'A'.repeat(32)],
    ['DISCOVERY_API_KEY', 'Gx7kQ2mV9pLw3RtZ-8yN_4bHc6dFj1sE'],
    ['BITLY_TOKEN', 'f'.repeat(40)],
    ['BITLY_TOKEN', 'o_1a2b3c4d5e6f7g8h9i0jKLMNOPQRSTUVWXYZ'],
  ])('a real-looking %s of any shape from SSM passes', async (name, value) => {
    fromSsm.mockResolvedValueOnce(value as never);
    await expect(resolveSecret(name, undefined, `/dmd/dev/${name}`)).resolves.toBe(value);
  });

  it('local plain values pass', () => {
    expect(secretIssues('SMS_AUTH_TOKEN', 'local-sms-auth-token', 'plain')).toEqual([]);
  });
});
