/**
 * Binds the delivery lifecycle functions to the local stack: the status webhook, the inbound (STOP)
 * webhook and the email unsubscribe endpoint as function URLs, and the status updater behind the
 * delivery-status stream's poller.
 */
import type { Context, KinesisStreamEvent, LambdaFunctionURLEvent } from 'aws-lambda';
import type { KinesisEventSourcePoller } from './stack/kinesis-poller';
import type { LocalStack } from './stack/stack';

/** Returns the status updater's poller (the session drains it to wait for statuses). */
export async function bindDelivery(stack: LocalStack): Promise<KinesisEventSourcePoller> {
  const statusWebhook = await import('#functions/status-webhook/handler');
  const inboundWebhook = await import('#functions/inbound-webhook/handler');
  const statusUpdater = await import('#functions/status-updater/handler');
  const unsubscribe = await import('#functions/unsubscribe-webhook/handler');
  stack.bindWebhook(
    'status-webhook',
    statusWebhook.handler as (e: LambdaFunctionURLEvent, c: Context) => Promise<unknown>,
  );
  stack.bindWebhook(
    'inbound-webhook',
    inboundWebhook.handler as (e: LambdaFunctionURLEvent, c: Context) => Promise<unknown>,
  );
  stack.bindWebhook(
    'unsubscribe-webhook',
    unsubscribe.handler as (e: LambdaFunctionURLEvent, c: Context) => Promise<unknown>,
  );
  return stack.startDeliveryStatusPoller(
    statusUpdater.handler as (e: KinesisStreamEvent, c: Context) => Promise<unknown>,
    { batchSize: 100, maximumRetryAttempts: 3, bisectBatchOnFunctionError: true, pollIntervalMs: 50 },
  );
}
