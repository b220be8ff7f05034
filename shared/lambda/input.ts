import type { z } from 'zod';
import { InvalidInputError } from './errors';

/** Validates a function's input at the edge; the error names each bad field (never its value). */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, what: string): z.infer<S> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    throw new InvalidInputError(
      what,
      parsed.error.issues.map((issue) => `${issue.path.join('.') || '(input)'}: ${issue.message}`),
    );
  }
  return parsed.data;
}
