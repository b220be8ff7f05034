/**
 * Secrets come either as a plain value (local stack) or as the name of an SSM SecureString parameter
 * (AWS), read once per cold start through Powertools Parameters (cached, decrypted). A placeholder (the
 * value infra creates until operators set the real one), an empty value or one wrapped in whitespace (a
 * pasted newline) fails the cold start wherever it comes from, so a half-configured stage never runs with a
 * token anyone could guess (a STOP or a status callback signed with the placeholder is not accepted).
 *
 * The providers do not document the shape of their secrets, so none is required of them: Twilio's Auth
 * Token resource gives a pattern for the account SID (`^AC[0-9a-fA-F]{32}$`) but none for the token
 * (https://www.twilio.com/docs/iam/api/authtoken); Bitly's generic access token is only "your access token"
 * (https://dev.bitly.com/authentication.html); Ticketmaster's API key is the app's "Consumer Key"
 * (https://developer.ticketmaster.com/products-and-docs/apis/getting-started/). A real key of a shape we
 * have not seen must not fail the cold start. Only our own key, CONTACT_HASH_KEY, has a required shape.
 */
import { getParameter } from '@aws-lambda-powertools/parameters/ssm';
import { ConfigurationError } from './errors';

/** The value infra gives a secret parameter until operators set the real one (infra/components/secrets.ts). */
export const UNSET_SECRET_VALUE = 'unset: set by operators (docs/DEPLOY.md)';

const PLACEHOLDER =
  /^(unset\b.*|change[-_ ]?me|placeholder|todo|tbd|x+|dummy|secret|password|<.*>|\$\{.*\})$/i;

/** The shape a secret of our own must have (a value from SSM must match it); providers' secrets have none. */
export const SECRET_FORMATS: Readonly<Record<string, { pattern: RegExp; shape: string }>> = {
  CONTACT_HASH_KEY: { pattern: /^\S{32,}$/, shape: 'at least 32 characters without spaces' },
};

/** What is wrong with a secret's value (empty when nothing); never the value itself. */
export function secretIssues(name: string, value: string, source: 'plain' | 'parameter'): string[] {
  if (value.trim() === '') return [`${name}: is empty`];
  if (value !== value.trim()) return [`${name}: starts or ends with whitespace (a pasted newline?)`];
  if (PLACEHOLDER.test(value)) return [`${name}: holds a placeholder, not the real secret`];
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
