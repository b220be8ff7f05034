/**
 * SMS status callback (function URL / HTTP API): verifies the provider's signature and puts the status
 * on the delivery-status stream, partitioned by notification key so one notification's statuses keep
 * their order. The status updater does the rest.
 */

import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { PutRecordCommand } from '@aws-sdk/client-kinesis';
import middy from '@middy/core';
import type { Context, LambdaFunctionURLEvent } from 'aws-lambda';
import { kinesisClient } from '#shared/aws/clients';
import { metricNames } from '#shared/catalog';
import { loadConfig, smsEnv, streamEnv } from '#shared/config/env';
import { lazySecret } from '#shared/config/secrets';
import { logger, metrics, reportRefusedWebhook } from '#shared/lambda/observability';
import { handleStatusCallback, type WebhookResponse } from '#shared/lifecycle/webhook';
import { pipelineClock } from '#shared/time/clock';

const METRIC = metricNames('status-webhook');

const sms = loadConfig(smsEnv);
const { DELIVERY_STREAM_NAME } = loadConfig(streamEnv);
const authToken = lazySecret(sms, 'SMS_AUTH_TOKEN');

export const handler = middy<LambdaFunctionURLEvent, WebhookResponse, Error, Context>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics))
  .handler(async (event) => {
    const outcome = await handleStatusCallback(event, {
      authToken: await authToken(),
      callbackUrl: sms.SMS_STATUS_CALLBACK_URL,
      now: pipelineClock.now,
      put: async (status) => {
        await kinesisClient().send(
          new PutRecordCommand({
            StreamName: DELIVERY_STREAM_NAME,
            PartitionKey: status.notificationKey,
            Data: new TextEncoder().encode(JSON.stringify(status)),
          }),
        );
      },
    });
    if (outcome.kind === 'accepted') {
      metrics.addMetric(METRIC.StatusCallbacksAccepted, MetricUnit.Count, 1);
      logger.debug('status callback on the stream', {
        notificationKey: outcome.event.notificationKey,
        messageSid: outcome.event.messageSid,
        providerStatus: outcome.event.status,
      });
    } else {
      reportRefusedWebhook('status callback', outcome, {
        forbidden: METRIC.WebhookSignatureRejected,
        invalid: METRIC.StatusCallbacksInvalid,
      });
    }
    return outcome.response;
  });
