/** RenderPage: one page of a demand shard becomes CREATED notifications (conditional creates). */
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { metricNames } from '#shared/catalog';
import { loadConfig, messagesEnv } from '#shared/config/env';
import { contactHashKeyReady } from '#shared/config/secrets';
import { repositories, windowSettings } from '#shared/lambda/dependencies';
import { metrics } from '#shared/lambda/observability';
import { stepHandler } from '#shared/lambda/step-handler';
import { pipelineClock } from '#shared/time/clock';
import { renderPage } from '#shared/window/render-page';
import { pageLogKeys, pageLoopSchema } from '#shared/window/state';

const METRIC = metricNames('render-page');

const { PAGE_SIZE, SHARD_COUNT } = windowSettings();
const { demand, notifications, optOuts, consents, events } = repositories(
  'demand',
  'notifications',
  'optOuts',
  'consents',
  'events',
);
const messages = loadConfig(messagesEnv);
const optOutText = {
  ...(messages.SMS_OPT_OUT_TEXT_EN !== undefined ? { en: messages.SMS_OPT_OUT_TEXT_EN } : {}),
  ...(messages.SMS_OPT_OUT_TEXT_FR !== undefined ? { fr: messages.SMS_OPT_OUT_TEXT_FR } : {}),
};

export const handler = stepHandler({
  what: 'RenderPage input',
  schema: pageLoopSchema,
  correlate: pageLogKeys,
  run: async (input) => {
    await contactHashKeyReady();
    const before = input.totals;
    const next = await renderPage(input, {
      demand,
      notifications,
      optOuts,
      consents,
      events,
      pageSize: PAGE_SIZE,
      shardCount: SHARD_COUNT,
      clock: pipelineClock,
      optOutText,
    });
    metrics.addMetric(METRIC.NotificationsCreated, MetricUnit.Count, next.totals.created - before.created);
    metrics.addMetric(
      METRIC.NotificationsDuplicate,
      MetricUnit.Count,
      next.totals.duplicates - before.duplicates,
    );
    return next;
  },
});
