/**
 * Inbound SMS (the number's messaging webhook): verifies the provider's signature, records STOP-like
 * replies in the opt-out table by the hash of the sender's number, confirms a pending sign-up on YES /
 * OUI, lifts the sender's own STOP on START, answers HELP / AIDE / INFO (TwiML).
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { Context, LambdaFunctionURLEvent } from 'aws-lambda';
import { metricNames } from '#shared/catalog';
import { inboundWebhookEnv, loadConfig, smsEnv } from '#shared/config/env';
import { contactHashKeyReady, lazySecret } from '#shared/config/secrets';
import { repositories } from '#shared/lambda/dependencies';
import { logger, metrics, reportRefusedWebhook } from '#shared/lambda/observability';
import { handleInboundMessage, type WebhookResponse } from '#shared/lifecycle/webhook';
import { pipelineClock } from '#shared/time/clock';

const METRIC = metricNames('inbound-webhook');

const sms = loadConfig(smsEnv);
/** The public URL the provider calls; without it the URL is rebuilt from the request. */
const { SMS_INBOUND_WEBHOOK_URL } = loadConfig(inboundWebhookEnv);
const { optOuts, consents } = repositories('optOuts', 'consents');
const authToken = lazySecret(sms, 'SMS_AUTH_TOKEN');

export const handler = middy<LambdaFunctionURLEvent, WebhookResponse, Error, Context>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics))
  .handler(async (event) => {
    await contactHashKeyReady();
    const outcome = await handleInboundMessage(event, {
      authToken: await authToken(),
      ...(SMS_INBOUND_WEBHOOK_URL ? { webhookUrl: SMS_INBOUND_WEBHOOK_URL } : {}),
      optOuts,
      consents,
      now: pipelineClock.now,
    });
    if (outcome.kind === 'recorded') {
      if (outcome.reply === 'stop') metrics.addMetric(METRIC.OptOutReplies, MetricUnit.Count, 1);
      if (outcome.reply === 'start') metrics.addMetric(METRIC.OptInReplies, MetricUnit.Count, 1);
      if (outcome.reply === 'help') metrics.addMetric(METRIC.HelpReplies, MetricUnit.Count, 1);
      if (outcome.outcome.confirmed) metrics.addMetric(METRIC.ConsentsConfirmed, MetricUnit.Count, 1);
      // The reply's kind only: never the number or the text.
      logger.info('inbound message', { reply: outcome.reply });
    } else {
      reportRefusedWebhook('inbound message', outcome, {
        forbidden: METRIC.WebhookSignatureRejected,
        invalid: METRIC.InboundMessagesInvalid,
      });
    }
    return outcome.response;
  });
