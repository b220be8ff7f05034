/**
 * The wiring every Step Functions task shares: middy, the Powertools logger with the Lambda context and
 * the run's correlation keys (execution, sale, shard), metrics flushed per invocation, input validated
 * by zod before any work.
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import type { z } from 'zod';
import { parseInput } from './input';
import { logger, metrics } from './observability';

export interface StepOptions<S extends z.ZodType, R> {
  /** What the input is, for error messages ("PlanWindow input"). */
  what: string;
  schema: S;
  /** Keys added to every log line of this invocation: ids only, never contact data. */
  correlate?: (input: z.infer<S>) => Record<string, string | number | undefined>;
  run: (input: z.infer<S>, context: Context) => Promise<R>;
}

export function stepHandler<S extends z.ZodType, R>(options: StepOptions<S, R>) {
  return middy<unknown, R, Error, Context>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(logMetrics(metrics))
    .handler(async (event, context) => {
      const input = parseInput(options.schema, event, options.what);
      if (options.correlate) logger.appendKeys(options.correlate(input));
      return options.run(input, context);
    });
}
