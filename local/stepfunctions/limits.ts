/**
 * The Step Functions payload limit, enforced locally the way the service does: "The maximum size of the
 * input or output of a state, task, or execution is 256 KiB of UTF-8 encoded data"; exceeding it fails the
 * state with `States.DataLimitExceeded`, an error no Retry or Catch of `States.ALL` handles.
 * https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html#service-limits-task-executions
 * https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html#error-handling-error-representation
 */

export const STATE_PAYLOAD_LIMIT_BYTES = 256 * 1024;

export class DataLimitExceededError extends Error {
  constructor(
    readonly what: string,
    readonly bytes: number,
  ) {
    super(
      `${what} is ${bytes} bytes, more than the ${STATE_PAYLOAD_LIMIT_BYTES} bytes (256 KiB) Step Functions allows`,
    );
    this.name = 'States.DataLimitExceeded';
  }

  /** Read by the engine: neither a Retry nor a Catch applies to this error. */
  get isRetryable(): boolean {
    return false;
  }

  get isCatchable(): boolean {
    return false;
  }
}

export function payloadBytes(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value ?? null), 'utf8');
}

/** Throws `States.DataLimitExceeded` when `value` serializes to more than 256 KiB. */
export function checkPayload(what: string, value: unknown): void {
  const bytes = payloadBytes(value);
  if (bytes > STATE_PAYLOAD_LIMIT_BYTES) throw new DataLimitExceededError(what, bytes);
}
