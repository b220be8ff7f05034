import { readFileSync } from 'node:fs';
import path from 'node:path';
import { withSettingsTable } from '#cli/settings-table';
import { STAGE_CONFIG_KEYS } from '#infra/config';
import { settingsEnvironment } from '#infra/stack';
import { signUpEnv } from '#shared/api/config';
import { FUNCTIONS } from '#shared/catalog';
import { loadConfig, suppressionEnv, windowEnv } from '#shared/config/env';
import { defaultEnvironment, SETTINGS, type Setting, settingsSchema } from '#shared/config/settings';
import { ROOT } from '#test/helpers/paths';

const specs = Object.entries(SETTINGS) as Array<[string, Setting]>;

describe('the settings spec', () => {
  it('is what the README configuration table shows (npm run settings-table -- --write)', () => {
    const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    expect(withSettingsTable(readme)).toBe(readme);
  });

  it('names only stage configuration keys that exist', () => {
    const keys = specs.flatMap(([, spec]) => (spec.stageKey ? [spec.stageKey] : []));
    expect(keys.filter((key) => !(STAGE_CONFIG_KEYS as string[]).includes(key))).toEqual([]);
  });

  it('gives every setting a group some function of the catalog receives', () => {
    const groups = new Set(FUNCTIONS.flatMap((spec) => [...spec.settings]));
    expect(specs.filter(([, spec]) => !groups.has(spec.group)).map(([name]) => name)).toEqual([]);
  });

  it('parses each default with its own schema, as an absent variable', () => {
    for (const [name, spec] of specs) {
      if (spec.default === undefined) continue;
      const schema = settingsSchema(name as keyof typeof SETTINGS);
      expect(schema.parse({})).toEqual(schema.parse({ [name]: spec.default }));
    }
    expect(loadConfig(windowEnv, defaultEnvironment(['window']))).toEqual(loadConfig(windowEnv, {}));
    expect(loadConfig(suppressionEnv, {}).SUPPORTED_COUNTRIES).toEqual(['US', 'CA']);
  });

  it('maps a stage configuration onto the variables, lists joined, unset and false keys left out', () => {
    const config = {
      stage: 'dev',
      leadMinutes: 45,
      suppressedArtistIds: [],
      supportedCountries: ['US'],
      bitlyBaseUrl: 'https://api-ssl.bitly.com/v4',
      sesSandbox: false,
      emailFrom: 'reminders@example.com',
    } as unknown as Parameters<typeof settingsEnvironment>[0];
    const env = settingsEnvironment(config, ['window', 'suppression', 'bitly', 'email'], {
      statusCallbackUrl: 'https://hooks.example.com/status',
      configurationSetName: 'dev-notifications',
      unsubscribeUrl: 'https://hooks.example.com/email/unsubscribe',
    });
    expect(env).toMatchObject({
      LEAD_MINUTES: '45',
      SUPPRESSED_ARTIST_IDS: '',
      SUPPORTED_COUNTRIES: 'US',
      BITLY_BASE_URL: 'https://api-ssl.bitly.com/v4',
      EMAIL_FROM: 'reminders@example.com',
      EMAIL_CONFIGURATION_SET: 'dev-notifications',
      EMAIL_TEMPLATE_PREFIX: 'dev-',
    });
    expect(Object.keys(env)).not.toContain('BITLY_DOMAIN');
    expect(Object.keys(env)).not.toContain('EMAIL_SANDBOX');
    expect(Object.keys(env)).not.toContain('SMS_STATUS_CALLBACK_URL');
  });

  it('gives RenderPage the opt-out sentences of the stage', () => {
    const config = { stage: 'prod', smsOptOutTextEn: 'Txt STOP to end' } as unknown as Parameters<
      typeof settingsEnvironment
    >[0];
    const groups = FUNCTIONS.find((fn) => fn.name === 'render-page')?.settings ?? [];
    const env = settingsEnvironment(config, groups, {
      statusCallbackUrl: 'https://hooks.example.com/status',
      configurationSetName: 'prod-notifications',
      unsubscribeUrl: 'https://hooks.example.com/email/unsubscribe',
    });
    expect(env.SMS_OPT_OUT_TEXT_EN).toBe('Txt STOP to end');
    expect(Object.keys(env)).not.toContain('SMS_OPT_OUT_TEXT_FR');
  });

  it('gives the API the sign-up limits and consent settings of the stage', () => {
    const config = {
      stage: 'prod',
      signUpFanDailyRequests: 20,
      signUpFanDailyContacts: 3,
      consentConfirmUrl: 'https://www.example.com/reminders/confirm',
    } as unknown as Parameters<typeof settingsEnvironment>[0];
    const groups = FUNCTIONS.find((fn) => fn.name === 'api')?.settings ?? [];
    const env = settingsEnvironment(config, groups, {
      statusCallbackUrl: 'https://hooks.example.com/status',
      configurationSetName: 'prod-notifications',
      unsubscribeUrl: 'https://hooks.example.com/email/unsubscribe',
    });
    expect(env).toMatchObject({
      SIGNUP_FAN_DAILY_REQUESTS: '20',
      SIGNUP_FAN_DAILY_CONTACTS: '3',
      CONSENT_CONFIRM_URL: 'https://www.example.com/reminders/confirm',
    });
    expect(loadConfig(signUpEnv, env as Record<string, string>)).toMatchObject({
      SIGNUP_FAN_DAILY_REQUESTS: 20,
      SIGNUP_FAN_DAILY_CONTACTS: 3,
      SIGNUP_RETENTION_DAYS: 7,
      CONSENT_CONTACT_DAILY_MESSAGES: 3,
      CONSENT_PENDING_DAYS: 7,
      CONSENT_CONFIRM_URL: 'https://www.example.com/reminders/confirm',
    });
  });

  it('refuses a sign-up limit that is not a positive whole number, naming the variable', () => {
    expect(() => loadConfig(signUpEnv, { SIGNUP_FAN_DAILY_CONTACTS: '0' })).toThrow(
      /SIGNUP_FAN_DAILY_CONTACTS/,
    );
    expect(() => loadConfig(signUpEnv, { CONSENT_CONFIRM_URL: 'not a url' })).toThrow(/CONSENT_CONFIRM_URL/);
  });
});
