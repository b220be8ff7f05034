/** PrepareSale: load the event (cache, else Discovery), check the sale is still in the window, suppress. */
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { metricNames } from '#shared/catalog';
import { repositories, suppressionRules, windowSettings } from '#shared/lambda/dependencies';
import { lazyEventCache } from '#shared/lambda/event-cache';
import { logger, metrics } from '#shared/lambda/observability';
import { stepHandler } from '#shared/lambda/step-handler';
import { pipelineClock } from '#shared/time/clock';
import { prepareInputSchema, prepareSale } from '#shared/window/prepare-sale';

const METRIC = metricNames('prepare-sale');

const { EVENT_CACHE_TTL_SECONDS, EVENT_MAX_AGE_AT_PREPARE_SECONDS } = windowSettings();
const rules = suppressionRules();
const { events, sales } = repositories('events', 'sales');
const cache = lazyEventCache({ events, sales }, EVENT_CACHE_TTL_SECONDS);

export const handler = stepHandler({
  what: 'PrepareSale input',
  schema: prepareInputSchema,
  correlate: (input) => ({
    executionName: input.executionName,
    saleId: input.sale.saleId,
    eventId: input.sale.eventId,
  }),
  run: async (input) => {
    const prepared = await prepareSale(input, {
      cache: await cache(),
      rules,
      clock: pipelineClock,
      maxEventAgeSeconds: EVENT_MAX_AGE_AT_PREPARE_SECONDS,
    });
    metrics.addMetric(METRIC.EventFrom_ + prepared.source, MetricUnit.Count, 1);
    if (prepared.suppressed) {
      for (const reason of prepared.reasons)
        metrics.addMetric(METRIC.Suppressed_ + reason, MetricUnit.Count, 1);
      logger.info('sale suppressed', { reasons: prepared.reasons });
    }
    return prepared;
  },
});
