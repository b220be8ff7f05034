/**
 * Fault injectors that are not sandbox options: DynamoDB write throttling (a middleware on the process's
 * DynamoDB client, below the SDK's retry so the SDK retries it as it would a real throttle), Lambda
 * crashes around a Task's work, and raw records on the delivery status stream.
 */
import { PutRecordCommand } from '@aws-sdk/client-kinesis';
import type { Invoke, TaskInterceptor } from '#local/stepfunctions/runner';
import { dynamoClient } from '#shared/aws/clients';

const WRITE_COMMANDS = new Set([
  'PutItemCommand',
  'UpdateItemCommand',
  'DeleteItemCommand',
  'BatchWriteItemCommand',
  'TransactWriteItemsCommand',
]);

/** The error DynamoDB answers when a table's write capacity is exceeded (the SDK retries it). */
export class ProvisionedThroughputExceededException extends Error {
  readonly $fault = 'client';
  readonly $metadata: Record<string, unknown> = { httpStatusCode: 400 };
  constructor() {
    super('The level of configured provisioned throughput for the table was exceeded (injected)');
    this.name = 'ProvisionedThroughputExceededException';
  }
}

export interface ThrottleCounters {
  writes: number;
  throttled: number;
}

const THROTTLE_MIDDLEWARE = 'chaosWriteThrottle';

/**
 * Throttles `rate` of the DynamoDB write requests of this process (each SDK attempt draws again).
 * Returns the counters and a function that removes the middleware.
 */
export function throttleDynamoWrites(
  rate: number,
  random: () => number,
): { counters: ThrottleCounters; remove: () => void } {
  const counters: ThrottleCounters = { writes: 0, throttled: 0 };
  const stack = dynamoClient().middlewareStack;
  stack.add(
    (next, context) => async (args) => {
      if (WRITE_COMMANDS.has(String(context.commandName))) {
        counters.writes++;
        if (random() < rate) {
          counters.throttled++;
          throw new ProvisionedThroughputExceededException();
        }
      }
      return next(args);
    },
    { step: 'finalizeRequest', priority: 'low', name: THROTTLE_MIDDLEWARE },
  );
  return { counters, remove: () => void stack.remove(THROTTLE_MIDDLEWARE) };
}

/** The error a Task sees when its Lambda crashed (the window ASL retries Lambda.ServiceException). */
export class LambdaCrash extends Error {
  constructor(where: string) {
    super(`injected crash ${where}`);
    this.name = 'Lambda.ServiceException';
  }
}

/** Crash once per distinct input, on the first attempt: before the work, or after it was done. */
export function crashOnFirstAttempt(when: 'before' | 'after', counter: { crashes: number }): TaskInterceptor {
  return async (input: unknown, invoke: Invoke, attempt: number) => {
    if (attempt > 1) return invoke(input);
    counter.crashes++;
    if (when === 'after') await invoke(input);
    throw new LambdaCrash(`${when} the work`);
  };
}

/**
 * Crash in the middle of a Send page: the first half of the page's fans is sent, then the Lambda dies;
 * the Step Functions retry sends the whole page again.
 */
export function crashMidPage(counter: { crashes: number }): TaskInterceptor {
  return async (input: unknown, invoke: Invoke, attempt: number) => {
    const state = input as { send?: unknown; executionName?: unknown };
    if (attempt > 1 || !Array.isArray(state.send) || state.send.length < 2) return invoke(input);
    counter.crashes++;
    // A Lambda that dies half-way never completes its idempotency record: the half page runs under a
    // key no later call uses (otherwise its stored result would answer the retry of the whole page).
    await invoke({
      ...state,
      executionName: `${String(state.executionName)}-crashed`,
      send: state.send.slice(0, Math.floor(state.send.length / 2)),
    });
    throw new LambdaCrash('in the middle of a page');
  };
}

/**
 * Crash after the work on every attempt of the first `pages` distinct inputs: the retries run out, the
 * execution fails, and only a redrive finishes the window.
 */
export function crashUntilRedrive(pages: number, counter: { crashes: number }): TaskInterceptor {
  const doomed = new Set<string>();
  return async (input: unknown, invoke: Invoke) => {
    const key = JSON.stringify(input);
    if (doomed.size < pages) doomed.add(key);
    if (!doomed.has(key)) return invoke(input);
    counter.crashes++;
    await invoke(input);
    throw new LambdaCrash('after the work, on every attempt');
  };
}

/** Puts one raw record on the delivery status stream. */
export async function putStreamRecord(
  stack: {
    clients: { kinesis: import('@aws-sdk/client-kinesis').KinesisClient };
    deliveryStreamName: string;
  },
  data: string,
  partitionKey: string,
): Promise<void> {
  await stack.clients.kinesis.send(
    new PutRecordCommand({
      StreamName: stack.deliveryStreamName,
      Data: new TextEncoder().encode(data),
      PartitionKey: partitionKey,
    }),
  );
}
