/** Summarize: the window run's counts, as the execution's output and as metrics. */
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { metricNames } from '#shared/catalog';
import { repositories } from '#shared/lambda/dependencies';
import { logger, metrics } from '#shared/lambda/observability';
import { stepHandler } from '#shared/lambda/step-handler';
import { pipelineClock } from '#shared/time/clock';
import { previousSummarySchema, summarizeInputSchema, summarizeStep } from '#shared/window/summarize';

const METRIC = metricNames('summarize');
const { tallies } = repositories('tallies');

export const handler = stepHandler({
  what: 'Summarize input',
  schema: summarizeInputSchema,
  correlate: (input) => ({ executionName: input.executionName, windowStart: input.window.start }),
  run: async (input) => {
    const { run } = input;
    const pass = input.mapRun?.pass ?? 1;
    // The second pass keeps the first pass's rows of the sales it does not run again.
    const previous = run && pass > 1 ? previousSummarySchema.parse(await tallies.firstPass(run)) : undefined;
    const output = summarizeStep(input, {
      tallies: run ? await tallies.ofRun(run) : [],
      ...(previous ? { previous } : {}),
    });
    const { summary } = output;
    if (run && pass === 1 && summary.unfinished.sales > 0) {
      await tallies.saveFirstPass(run, summary, pipelineClock.now());
    }
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
    return output;
  },
});
