/**
 * Secrets come either as a plain value (local stack) or as the name of an SSM SecureString parameter
 * (AWS), read once per cold start through Powertools Parameters (cached, decrypted). A placeholder (the
 * value infra creates until operators set the real one) fails the cold start wherever it comes from; a
 * value from SSM must also have its provider's format, so a half-configured stage never runs with a
 * token anyone could guess (a STOP or a status callback signed with the placeholder is not accepted).
 */
import { getParameter } from '@aws-lambda-powertools/parameters/ssm';
import { ConfigurationError } from './errors';

/** The value infra gives a secret parameter until operators set the real one (infra/components/secrets.ts). */
export const UNSET_SECRET_VALUE = 'unset: set by operators (docs/DEPLOY.md)';

const PLACEHOLDER =
  /^(unset\b.*|change[-_ ]?me|placeholder|todo|tbd|x+|dummy|secret|password|<.*>|\$\{.*\})$/i;

/** The shape of each provider's secret (a value from SSM must match it). */
export const SECRET_FORMATS: Readonly<Record<string, { pattern: RegExp; shape: string }>> = {
  SMS_AUTH_TOKEN: { pattern: /^[0-9a-f]{32}$/, shape: '32 lower-case hex characters (a Twilio auth token)' },
  DISCOVERY_API_KEY: {
    pattern: /^[A-Za-z0-9]{32}$/,
    shape: '32 letters and digits (a Ticketmaster API key)',
  },
  BITLY_TOKEN: { pattern: /^[0-9a-f]{40}$/, shape: '40 lower-case hex characters (a Bitly access token)' },
  CONTACT_HASH_KEY: { pattern: /^\S{32,}$/, shape: 'at least 32 characters without spaces' },
};

/** What is wrong with a secret's value (empty when nothing); never the value itself. */
export function secretIssues(name: string, value: string, source: 'plain' | 'parameter'): string[] {
  if (PLACEHOLDER.test(value.trim())) return [`${name}: holds a placeholder, not the real secret`];
  const format = SECRET_FORMATS[name];
  if (source === 'parameter' && format && !format.pattern.test(value)) {
    return [`${name}: is not ${format.shape}`];
  }
  return [];
}

export async function resolveSecret(
  name: string,
  plain: string | undefined,
  parameterName: string | undefined,
): Promise<string> {
  if (plain) {
    const issues = secretIssues(name, plain, 'plain');
    if (issues.length > 0) throw new ConfigurationError(issues);
    return plain;
  }
  if (!parameterName) throw new ConfigurationError([`${name}: neither a value nor a parameter name is set`]);
  const value = await getParameter(parameterName, { decrypt: true, maxAge: 900 });
  if (!value) throw new ConfigurationError([`${name}: parameter ${parameterName} is empty`]);
  const issues = secretIssues(name, value, 'parameter').map(
    (issue) => `${issue} (parameter ${parameterName})`,
  );
  if (issues.length > 0) throw new ConfigurationError(issues);
  return value;
}

/** Memoizes an async initializer so cold-start work runs once per process, even under concurrency. */
export function once<T>(init: () => Promise<T>): () => Promise<T> {
  let value: Promise<T> | undefined;
  return () => {
    value ??= init().catch((error: unknown) => {
      value = undefined;
      throw error;
    });
    return value;
  };
}

/**
 * The secret `name` of a validated config: its plain value (`config[name]`) or the SSM parameter named by
 * `config[name + '_PARAM']`. The read starts at cold start and is kept; a failed read is reported to the
 * invocation that needs the secret and tried again by the next one.
 */
export function lazySecret<N extends string>(
  config: Partial<Record<N | `${N}_PARAM`, string>>,
  name: N,
): () => Promise<string> {
  const parameter: `${N}_PARAM` = `${name}_PARAM`;
  const read = once(() => resolveSecret(name, config[name], config[parameter]));
  read().catch(() => undefined);
  return read;
}

/**
 * The stage's key of the contact hashes, made available to hashContact (which reads CONTACT_HASH_KEY):
 * the plain value locally, the SecureString parameter CONTACT_HASH_KEY_PARAM on AWS. Once per process.
 */
export const contactHashKeyReady = once(async (): Promise<void> => {
  const key = await resolveSecret(
    'CONTACT_HASH_KEY',
    process.env.CONTACT_HASH_KEY,
    process.env.CONTACT_HASH_KEY_PARAM,
  );
  const issues = secretIssues('CONTACT_HASH_KEY', key, 'parameter');
  if (issues.length > 0) throw new ConfigurationError(issues);
  process.env.CONTACT_HASH_KEY = key;
});
