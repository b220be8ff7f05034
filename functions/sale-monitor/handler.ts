/**
 * Sale monitoring (EventBridge Scheduler, every 10 minutes by default): one pass over the events with
 * sign-ups and a sale in the next 48 hours, refreshed from Discovery within the pass's share of the quota.
 */
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { z } from 'zod';
import { metricNames } from '#shared/catalog';
import { loadConfig, monitorRequestBudget, saleMonitorEnv } from '#shared/config/env';
import { repositories, windowSettings } from '#shared/lambda/dependencies';
import { lazyEventCache } from '#shared/lambda/event-cache';
import { logger, metrics } from '#shared/lambda/observability';
import { stepHandler } from '#shared/lambda/step-handler';
import { monitorSales } from '#shared/monitoring/sale-monitor';
import { pipelineClock } from '#shared/time/clock';

const METRIC = metricNames('sale-monitor');
const monitorConfig = loadConfig(saleMonitorEnv);
const { EVENT_CACHE_TTL_SECONDS } = windowSettings();
const { events, sales, demand } = repositories('events', 'sales', 'demand');
/** Time kept back at the end of the invocation to save the last event and report. */
const STOP_MARGIN_MS = 20_000;

const cache = lazyEventCache({ events, sales }, EVENT_CACHE_TTL_SECONDS, {
  // The client paces every request of the pass (its share of Discovery's 5 requests a second).
  requestsPerSecond: monitorConfig.SALE_MONITOR_REQUESTS_PER_SECOND,
});

/** What EventBridge Scheduler sends (the scheduled instant); a manual invocation may send nothing. */
const scheduleInputSchema = z.object({ scheduledTime: z.string().optional() }).loose();

export const handler = stepHandler({
  what: 'sale monitor input',
  schema: scheduleInputSchema,
  correlate: (input) => ({ scheduledTime: input.scheduledTime }),
  run: async (_input, context) => {
    const eventCache = await cache();
    const report = await monitorSales(
      {
        horizonHours: monitorConfig.SALE_MONITOR_HORIZON_HOURS,
        maxRequests: monitorRequestBudget(monitorConfig),
      },
      {
        sales,
        demand,
        events,
        refresh: (eventId, previous) => eventCache.refresh(eventId, previous),
        clock: pipelineClock,
        remainingMs: () => context.getRemainingTimeInMillis() - STOP_MARGIN_MS,
      },
    );
    metrics.addMetric(METRIC.SaleMonitorEventsWatched, MetricUnit.Count, report.watched);
    metrics.addMetric(METRIC.SaleMonitorEventsRefreshed, MetricUnit.Count, report.refreshed);
    metrics.addMetric(METRIC.SaleMonitorEventsUnreached, MetricUnit.Count, report.unreached.length);
    metrics.addMetric(METRIC.SaleMonitorEventsFailed, MetricUnit.Count, report.failed.length);
    metrics.addMetric(METRIC.SaleMonitorSalesAdded, MetricUnit.Count, report.added.length);
    metrics.addMetric(METRIC.SaleMonitorSalesMoved, MetricUnit.Count, report.moved.length);
    logger.info('sale monitoring pass', {
      watched: report.watched,
      refreshed: report.refreshed,
      added: report.added.length,
      moved: report.moved.length,
      removed: report.removed.length,
      cancelled: report.cancelled,
      postponed: report.postponed,
      unreached: report.unreached,
      failed: report.failed,
    });
    return report;
  },
});
