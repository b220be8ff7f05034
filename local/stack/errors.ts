/** Errors of the local stack. */
export class LocalStackError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'LocalStackError';
  }
}

/** A table or stream did not become ACTIVE in time. */
export class ResourceNotReadyError extends LocalStackError {
  constructor(
    readonly resource: string,
    readonly waitedMs: number,
  ) {
    super(`${resource} was not ACTIVE after ${waitedMs} ms`);
    this.name = 'ResourceNotReadyError';
  }
}

/** drain() ran out of time before every shard caught up. */
export class DrainTimeoutError extends LocalStackError {
  constructor(
    readonly timeoutMs: number,
    readonly pendingShards: string[],
  ) {
    super(`shards not caught up after ${timeoutMs} ms: ${pendingShards.join(', ')}`);
    this.name = 'DrainTimeoutError';
  }
}

/** The poller was used in a state that does not allow it (drain before start, start twice). */
export class PollerStateError extends LocalStackError {
  constructor(message: string) {
    super(message);
    this.name = 'PollerStateError';
  }
}

/** The handler reported some records of its batch as failed (ReportBatchItemFailures). */
export class BatchItemFailuresError extends LocalStackError {
  constructor(readonly sequenceNumbers: string[]) {
    super(`handler reported ${sequenceNumbers.length} failed record(s)`);
    this.name = 'BatchItemFailuresError';
  }
}
