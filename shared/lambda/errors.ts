/**
 * Errors whose names Step Functions matches in Retry/Catch. `RetryableError` is retried with backoff by
 * every Task; `InvalidInputError` is not (the same input would fail again).
 */
export class RetryableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RetryableError';
  }
}

export class InvalidInputError extends Error {
  readonly issues: string[];

  constructor(what: string, issues: string[]) {
    super(`Invalid ${what}: ${issues.join('; ')}`);
    this.name = 'InvalidInputError';
    this.issues = issues;
  }
}
