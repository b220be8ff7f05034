/** Errors of the Pulumi program: each names what is wrong so that `pulumi up` fails with a readable line. */

export class InfraError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'InfraError';
  }
}

/** A stage configuration key is missing or invalid. `issues` holds one `key: problem` line per key. */
export class StageConfigError extends InfraError {
  readonly issues: string[];

  constructor(issues: string[]) {
    super(`Invalid stage configuration:\n  - ${issues.join('\n  - ')}`);
    this.name = 'StageConfigError';
    this.issues = issues;
  }
}

/** A policy document would grant more than the project allows (a wildcard where none is needed). */
export class PolicyError extends InfraError {
  readonly statement: unknown;

  constructor(message: string, statement: unknown) {
    super(message);
    this.name = 'PolicyError';
    this.statement = statement;
  }
}

/** esbuild could not bundle a function. */
export class BundleError extends InfraError {
  readonly functionName: string;

  constructor(functionName: string, cause: unknown) {
    super(`Bundling function "${functionName}" failed`, { cause });
    this.name = 'BundleError';
    this.functionName = functionName;
  }
}
