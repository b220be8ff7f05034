/**
 * Secrets come either as a plain value (local stack) or as the name of an SSM SecureString parameter
 * (AWS), read once per cold start through Powertools Parameters (cached, decrypted).
 */
import { getParameter } from '@aws-lambda-powertools/parameters/ssm';
import { ConfigurationError } from './errors';

export async function resolveSecret(
  name: string,
  plain: string | undefined,
  parameterName: string | undefined,
): Promise<string> {
  if (plain) return plain;
  if (!parameterName) throw new ConfigurationError([`${name}: neither a value nor a parameter name is set`]);
  const value = await getParameter(parameterName, { decrypt: true, maxAge: 900 });
  if (!value) throw new ConfigurationError([`${name}: parameter ${parameterName} is empty`]);
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
