/**
 * Powertools idempotency for the unit whose repetition would hurt (a provider call, a page round, a
 * status event), stored in the idempotency table, one call per use.
 */
import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import type { Context } from 'aws-lambda';
import { dynamoClient } from '#shared/aws/clients';
import { tableNameFromEnv } from './dependencies';

/**
 * A persistence layer on the idempotency table (IDEMPOTENCY_TABLE). One per idempotent function: a layer
 * keeps the configuration of the first function that uses it and ignores any other.
 */
export function idempotencyStore(): DynamoDBPersistenceLayer {
  return new DynamoDBPersistenceLayer({
    tableName: tableNameFromEnv('idempotency'),
    awsSdkV3Client: dynamoClient(),
  });
}

export interface IdempotentOptions {
  /** JMESPath of the key within the function's first argument; the whole argument when absent. */
  eventKeyJmesPath?: string;
  /** How long a result is replayed instead of running the function again. */
  expiresAfterSeconds: number;
}

// biome-ignore lint/suspicious/noExplicitAny: the wrapped function's own parameter types are kept as they are
type AnyFunction = (...args: any[]) => Promise<unknown>;

/**
 * `fn` made idempotent on its first argument: a repeated call with the same key returns the stored result.
 * Call `registerLambdaContext` in each invocation so an in-progress record expires with the invocation.
 */
export function idempotent<F extends AnyFunction>(
  fn: F,
  options: IdempotentOptions,
): ((...args: Parameters<F>) => ReturnType<F>) & { registerLambdaContext(context: Context): void } {
  const config = new IdempotencyConfig(options);
  const once = makeIdempotent(fn, { persistenceStore: idempotencyStore(), config });
  return Object.assign(once, {
    registerLambdaContext: (context: Context) => config.registerLambdaContext(context),
  });
}
