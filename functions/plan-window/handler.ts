/** PlanWindow: the sales this run hands over (its window, and later ones that must start now), each paced. */
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { metricNames } from '#shared/catalog';
import { repositories, suppressionRules, windowSettings } from '#shared/lambda/dependencies';
import { metrics } from '#shared/lambda/observability';
import { stepHandler } from '#shared/lambda/step-handler';
import { pipelineClock } from '#shared/time/clock';
import { planInputSchema, planWindow, suppressedByStoredEvent } from '#shared/window/plan-window';

const METRIC = metricNames('plan-window');

const settings = windowSettings();
const rules = suppressionRules();
const { sales, demand, notifications, events } = repositories('sales', 'demand', 'notifications', 'events');

export const handler = stepHandler({
  what: 'PlanWindow input',
  schema: planInputSchema,
  correlate: (input) => ({ executionName: input.executionName, scheduledTime: input.scheduledTime }),
  run: async (input) => {
    const plan = await planWindow(input, {
      sales,
      demand,
      notifications,
      suppressed: suppressedByStoredEvent(events, rules, pipelineClock),
      clock: pipelineClock,
      settings: {
        leadMinutes: settings.LEAD_MINUTES,
        shardCount: settings.SHARD_COUNT,
        providerMps: settings.PROVIDER_MPS,
        iterationMps: settings.ITERATION_MPS,
        lookAheadMinutes: settings.PLAN_LOOKAHEAD_MINUTES,
        sendStartSeconds: settings.SEND_START_SECONDS,
      },
    });
    metrics.addMetric(METRIC.SalesPlanned, MetricUnit.Count, plan.plannedSales);
    metrics.addMetric(
      METRIC.SalesPlannedLate,
      MetricUnit.Count,
      plan.sales.filter((sale) => sale.onTime === false).length,
    );
    return plan;
  },
});
