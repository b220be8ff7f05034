/** Summarize: the window run's counts, as the execution's output and as metrics. */
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { metricNames } from '#shared/catalog';
import { logger, metrics } from '#shared/lambda/observability';
import { stepHandler } from '#shared/lambda/step-handler';
import { summarize, summarizeInputSchema } from '#shared/window/summarize';

const METRIC = metricNames('summarize');

export const handler = stepHandler({
  what: 'Summarize input',
  schema: summarizeInputSchema,
  correlate: (input) => ({ executionName: input.executionName, windowStart: input.window.start }),
  run: async (input) => {
    const summary = summarize(input);
    metrics.addMetric(METRIC.SalesProcessed, MetricUnit.Count, summary.sales.processed);
    metrics.addMetric(METRIC.SalesSuppressed, MetricUnit.Count, summary.sales.suppressed);
    metrics.addMetric(METRIC.WindowNotificationsQueued, MetricUnit.Count, summary.notifications.queued);
    metrics.addMetric(METRIC.WindowNotificationsFailed, MetricUnit.Count, summary.notifications.failed);
    // On-time delivery (seed metric, > 98 %): counts, so the alarm's hourly rate weighs every reminder.
    const { onTime } = summary;
    metrics.addMetric(METRIC.RemindersOnTime, MetricUnit.Count, onTime.handedOverBeforeStart);
    metrics.addMetric(METRIC.RemindersNotOnTime, MetricUnit.Count, onTime.late + onTime.skippedStarted);
    if (onTime.rate !== null) metrics.addMetric(METRIC.OnTimeRate, MetricUnit.Percent, onTime.rate * 100);
    logger.info('window summarized', {
      sales: { ...summary.sales, detail: undefined },
      notifications: summary.notifications,
      onTime,
    });
    return summary;
  },
});
