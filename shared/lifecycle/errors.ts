/** Errors of the delivery lifecycle (status stream, webhooks, reconciliation). */
export class LifecycleError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'LifecycleError';
  }
}

/** A webhook request that cannot be turned into anything: missing body, bad form, missing key. */
export class InvalidWebhookRequestError extends LifecycleError {
  readonly issues: string[];

  constructor(message: string, issues: string[] = [], options?: ErrorOptions) {
    super(message, options);
    this.name = 'InvalidWebhookRequestError';
    this.issues = issues;
  }
}
