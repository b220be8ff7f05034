/**
 * One-click unsubscribe of reminder emails (HTTP API route / function URL): checks the signed link and
 * records the opt-out for the address it was made for (RFC 8058). Logs the outcome only, never the hash.
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { Context, LambdaFunctionURLEvent } from 'aws-lambda';
import { metricNames } from '#shared/catalog';
import { loadConfig, unsubscribeEnv } from '#shared/config/env';
import { lazySecret, once } from '#shared/config/secrets';
import { repositories } from '#shared/lambda/dependencies';
import { logger, metrics } from '#shared/lambda/observability';
import { pipelineClock } from '#shared/time/clock';
import { handleUnsubscribe, type UnsubscribeResponse } from '#shared/unsubscribe/handle-request';
import { checkedUnsubscribeSecret } from '#shared/unsubscribe/signed-link';

const METRIC = metricNames('unsubscribe-webhook');
const config = loadConfig(unsubscribeEnv);
const { optOuts } = repositories('optOuts');
const configuredSecret = lazySecret(config, 'UNSUBSCRIBE_SECRET');
const secret = once(async () => checkedUnsubscribeSecret(await configuredSecret()));

export const handler = middy<LambdaFunctionURLEvent, UnsubscribeResponse, Error, Context>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics))
  .handler(async (event) => {
    const { outcome, response } = await handleUnsubscribe(
      { method: event.requestContext.http.method, query: event.queryStringParameters ?? {} },
      { secret: await secret(), optOuts, now: () => pipelineClock.now() },
    );
    if (outcome.kind === 'recorded') metrics.addMetric(METRIC.EmailUnsubscribes, MetricUnit.Count, 1);
    if (outcome.kind === 'refused') {
      metrics.addMetric(METRIC.UnsubscribeLinksRefused, MetricUnit.Count, 1);
      logger.warn('unsubscribe refused', { reason: outcome.reason });
    } else {
      logger.info('unsubscribe', { outcome: outcome.kind });
    }
    return response;
  });
