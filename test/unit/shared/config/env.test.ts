import { loadConfig, messagesEnv, smsEnv, suppressionEnv, windowEnv } from '#shared/config/env';
import { ConfigurationError } from '#shared/config/errors';

describe('configuration from the environment', () => {
  it('fills the documented defaults of the window settings', () => {
    expect(loadConfig(windowEnv, {})).toMatchObject({
      LEAD_MINUTES: 30,
      SHARD_COUNT: 16,
      PAGE_SIZE: 250,
      PROVIDER_MPS: 100,
      SEND_TIMEOUT_MS: 30_000,
    });
  });

  it('reads suppression lists as comma-separated stage configuration', () => {
    const rules = loadConfig(suppressionEnv, {
      SUPPRESSED_ARTIST_IDS: 'K8vZ917Gmr0, KovZpZA7AAEA',
      SUPPORTED_COUNTRIES: 'us,ca,mx',
      SUPPRESSED_SALE_TYPES: 'registration,vip',
    });
    expect(rules.SUPPRESSED_ARTIST_IDS).toEqual(['K8vZ917Gmr0', 'KovZpZA7AAEA']);
    expect(rules.SUPPORTED_COUNTRIES).toEqual(['US', 'CA', 'MX']);
    expect(rules.ALLOWED_SEGMENTS).toEqual(['Music', 'Arts & Theatre']);
    expect(rules.SUPPRESSED_SALE_TYPES).toEqual(['registration', 'vip']);
  });

  it('names every bad variable and what is wrong, never its value', () => {
    let error: unknown;
    try {
      loadConfig(windowEnv, { SHARD_COUNT: '-3', PAGE_SIZE: 'many' });
    } catch (caught: unknown) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigurationError);
    const issues = (error as ConfigurationError).issues;
    expect(issues.some((issue) => issue.startsWith('SHARD_COUNT:'))).toBe(true);
    expect(issues.some((issue) => issue.startsWith('PAGE_SIZE:'))).toBe(true);
    expect((error as Error).message).not.toContain('many');
  });

  it('needs an SMS auth token or the name of its parameter', () => {
    const base = {
      SMS_ACCOUNT_SID: 'AC00000000000000000000000000000000',
      SMS_MESSAGING_SERVICE_SID: 'MG00000000000000000000000000000000',
      SMS_STATUS_CALLBACK_URL: 'https://hooks.example.com/status',
    };
    expect(() => loadConfig(smsEnv, base)).toThrow(/SMS_AUTH_TOKEN/);
    expect(
      loadConfig(smsEnv, { ...base, SMS_AUTH_TOKEN_PARAM: '/dmd/prod/sms-auth-token' }).SMS_BASE_URL,
    ).toBe('https://api.twilio.com');
  });

  it('refuses an opt-out sentence override that overflows the longest reminder, naming it and by how much', () => {
    const attempt = () =>
      loadConfig(messagesEnv, {
        SMS_OPT_OUT_TEXT_EN: 'Reply STOP to stop all reminder texts from us', // 45 characters
        SMS_OPT_OUT_TEXT_FR: 'ARRET pour arreter',
      });
    expect(attempt).toThrow(ConfigurationError);
    expect(attempt).toThrow(
      /^.*SMS_OPT_OUT_TEXT_EN: 45 characters .* 10 over one SMS segment .*shorten it by 10/,
    );
    expect(attempt).not.toThrow(/SMS_OPT_OUT_TEXT_FR/);
    expect(loadConfig(messagesEnv, { SMS_OPT_OUT_TEXT_FR: 'ARRET pour arreter' }).SMS_OPT_OUT_TEXT_FR).toBe(
      'ARRET pour arreter',
    );
  });
});
