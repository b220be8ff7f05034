/**
 * The resolver Lambda's wiring: middy with the Powertools logger (Lambda context, the field being
 * resolved as a correlation key) and metrics (one count per field and cache status), then the router.
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { metricNames } from '#shared/catalog';
import { logger, metrics } from '#shared/lambda/observability';
import { isApiErrorResult } from './resolver';

const METRIC = metricNames('api');

export interface AppSyncEventLike {
  info?: { fieldName?: unknown; parentTypeName?: unknown };
}

/** Anything that resolves an AppSync event: the Powertools router. */
export interface Resolvable {
  resolve(event: unknown, context: Context): Promise<unknown> | undefined;
}

/** `router` is awaited per invocation (its cold-start setup, e.g. a secret read, runs once). */
export function apiHandler(router: () => Promise<Resolvable>) {
  return middy<unknown, unknown, Error, Context>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(logMetrics(metrics))
    .handler(async (event, context) => {
      const info = (event as AppSyncEventLike | null)?.info;
      const field = typeof info?.fieldName === 'string' ? info.fieldName : 'unknown';
      logger.appendKeys({ field });
      const result = await (await router()).resolve(event, context);
      if (isApiErrorResult(result)) {
        metrics.addMetric(METRIC.ApiError_ + result.apiError.type, MetricUnit.Count, 1);
      } else if (field === 'requestReminder') {
        metrics.addMetric('SignUps', MetricUnit.Count, 1);
      } else if (field === 'eventDetails') {
        const status = (result as { cacheStatus?: unknown } | undefined)?.cacheStatus;
        if (typeof status === 'string') metrics.addMetric(METRIC.EventCache_ + status, MetricUnit.Count, 1);
      }
      return result;
    });
}
