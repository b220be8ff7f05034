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
    logger.info('window summarized', { sales: summary.sales, notifications: summary.notifications });
    return summary;
  },
});
