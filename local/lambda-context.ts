/**
 * The Lambda context a handler receives when the local stack (or a test) invokes it in process: the
 * deployed function's name, ARN, memory and time-out, a fresh request id per invocation.
 */
import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';

export interface LambdaContextOptions {
  /** The function's time-out: `getRemainingTimeInMillis` counts down from it. Default 300 s. */
  timeoutMs?: number;
  memoryMb?: number;
  region?: string;
}

/** The local stack's account id in ARNs. */
export const LOCAL_ACCOUNT_ID = '000000000000';

export function lambdaContext(functionName: string, options: LambdaContextOptions = {}): Context {
  const { timeoutMs = 300_000, memoryMb = 512, region = 'us-east-1' } = options;
  const deadline = Date.now() + timeoutMs;
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${region}:${LOCAL_ACCOUNT_ID}:function:${functionName}`,
    memoryLimitInMB: String(memoryMb),
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
