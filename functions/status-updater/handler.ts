/**
 * Consumer of the delivery-status stream: each record moves its notification forward (forward-only by
 * rank), made idempotent on the status event's id since the stream delivers at least once. A poison
 * record is reported and skipped; an unknown notification is counted and skipped; only a failing
 * write is reported as a batch item failure, so Lambda retries from that record.
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { Context, KinesisStreamEvent, KinesisStreamRecord } from 'aws-lambda';
import { metricNames } from '#shared/catalog';
import { contactHashKeyReady } from '#shared/config/secrets';
import {
  InvalidStatusEventError,
  parseDeliveryRecord,
  type StatusEvent,
} from '#shared/delivery/status-event';
import { repositories } from '#shared/lambda/dependencies';
import { idempotent } from '#shared/lambda/idempotency';
import { logger, metrics } from '#shared/lambda/observability';
import { applyStatusEvent, type StatusOutcome } from '#shared/lifecycle/apply-status';
import { pipelineClock } from '#shared/time/clock';

const METRIC = metricNames('status-updater');

const { demand, notifications, optOuts } = repositories('demand', 'notifications', 'optOuts');
const processor = new BatchProcessor(EventType.KinesisDataStreams);

function count(outcome: StatusOutcome): void {
  if (outcome.result === 'applied') {
    if (outcome.status === 'SENT') metrics.addMetric(METRIC.NotificationsSent, MetricUnit.Count, 1);
    if (outcome.status === 'DELIVERED') metrics.addMetric(METRIC.NotificationsDelivered, MetricUnit.Count, 1);
    if (outcome.status === 'FAILED') {
      metrics.addMetric(METRIC.NotificationsFailed, MetricUnit.Count, 1);
      const byReason = metrics.singleMetric();
      byReason.addDimension('reason', outcome.failureReason ?? 'UNKNOWN');
      byReason.addMetric(METRIC.NotificationsFailedByReason, MetricUnit.Count, 1);
    }
    if (outcome.deliveryLatencyMs !== undefined) {
      metrics.addMetric(METRIC.DeliveryLatency, MetricUnit.Milliseconds, outcome.deliveryLatencyMs);
    }
  }
  if (outcome.result === 'stale') metrics.addMetric(METRIC.StaleStatusEvents, MetricUnit.Count, 1);
  if (outcome.result === 'unknown') metrics.addMetric(METRIC.UnknownNotifications, MetricUnit.Count, 1);
  if (outcome.optOut === 'added') metrics.addMetric(METRIC.OptOutsAdded, MetricUnit.Count, 1);
}

const applyOnce = idempotent(
  async (event: StatusEvent): Promise<StatusOutcome> => {
    const outcome = await applyStatusEvent(event, { notifications, demand, optOuts, now: pipelineClock.now });
    const keys = {
      notificationKey: event.notificationKey,
      messageSid: event.messageSid,
      providerStatus: event.status,
    };
    if (outcome.result === 'unknown') logger.warn('status for an unknown notification, skipped', keys);
    else logger.debug('status event applied', { ...keys, ...outcome });
    if (outcome.optOut === 'no-contact') logger.warn('opt-out without a sign-up to hash, skipped', keys);
    count(outcome);
    return outcome;
  },
  {
    // Deterministic per provider, message and status: a repeated callback or a redelivered record.
    eventKeyJmesPath: 'eventId',
    expiresAfterSeconds: 7 * 24 * 3600,
  },
);

async function recordHandler(record: KinesisStreamRecord): Promise<void> {
  let event: StatusEvent;
  try {
    event = parseDeliveryRecord(Buffer.from(record.kinesis.data, 'base64'));
  } catch (error: unknown) {
    if (!(error instanceof InvalidStatusEventError)) throw error;
    // Retrying a malformed record cannot fix it: report it (issue paths only) and move on.
    logger.error('poison status record skipped', {
      sequenceNumber: record.kinesis.sequenceNumber,
      partitionKey: record.kinesis.partitionKey,
      issues: error.issues,
      reason: error.message,
    });
    metrics.addMetric(METRIC.InvalidStatusEvents, MetricUnit.Count, 1);
    return;
  }
  await applyOnce(event);
}

export const handler = middy<KinesisStreamEvent, unknown, Error, Context>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics))
  .handler(async (event, context) => {
    await contactHashKeyReady();
    applyOnce.registerLambdaContext(context);
    metrics.addMetric(METRIC.StatusRecords, MetricUnit.Count, event.Records.length);
    // In order: statuses of one notification share a partition key and arrive in sequence.
    return processPartialResponse(event, recordHandler, processor, { context, processInParallel: false });
  });
