import { DynamoDBClient, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { lambdaContext } from '#local/lambda-context';
import { idempotent } from '#shared/lambda/idempotency';

const dynamo = mockClient(DynamoDBClient);
const saved = process.env.IDEMPOTENCY_TABLE;

beforeEach(() => {
  dynamo.reset();
  dynamo.on(PutItemCommand).resolves({});
  dynamo.on(UpdateItemCommand).resolves({});
  process.env.IDEMPOTENCY_TABLE = 'test-idempotency';
});
afterAll(() => {
  process.env.IDEMPOTENCY_TABLE = saved;
});

/** The hash part of the idempotency record ids written, in call order. */
function keysWritten(): string[] {
  return dynamo
    .commandCalls(PutItemCommand)
    .map((call) => String(call.args[0].input.Item?.id?.S).split('#').pop() ?? '');
}

describe('idempotent', () => {
  it('runs the function and records its call in the idempotency table', async () => {
    const double = idempotent(async (input: { n: number }) => input.n * 2, { expiresAfterSeconds: 60 });
    double.registerLambdaContext(lambdaContext('double', { timeoutMs: 10_000 }));

    await expect(double({ n: 21 })).resolves.toBe(42);

    const put = dynamo.commandCalls(PutItemCommand)[0]?.args[0].input;
    expect(put?.TableName).toBe('test-idempotency');
    // The in-progress record expires with the invocation (10 s from now, in milliseconds).
    const expiry = Number(put?.Item?.in_progress_expiration?.N);
    expect(expiry - Date.now()).toBeGreaterThan(9_000);
    expect(expiry - Date.now()).toBeLessThanOrEqual(10_000);
    expect(dynamo.commandCalls(UpdateItemCommand)).toHaveLength(1);
  });

  it('keys each function on its own path, also when several live in one process', async () => {
    const byA = idempotent(async (input: { a: number; b: number }) => input.a, {
      eventKeyJmesPath: 'a',
      expiresAfterSeconds: 60,
    });
    const byB = idempotent(async (input: { a: number; b: number }) => input.b, {
      eventKeyJmesPath: 'b',
      expiresAfterSeconds: 60,
    });

    for (const fn of [byA, byB]) fn.registerLambdaContext(lambdaContext('fn'));
    await byA({ a: 1, b: 2 });
    await byB({ a: 1, b: 2 });
    await byA({ a: 2, b: 1 });

    const [first, second, third] = keysWritten();
    expect(second).not.toBe(first);
    // byB keyed on b = 2 and byA keyed on a = 2: the same key value, the same hash.
    expect(third).toBe(second);
  });
});
