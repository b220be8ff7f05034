/** PlanWindow: the sales starting in the run's window and the widths of the maps. */
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { repositories, windowSettings } from '#shared/lambda/dependencies';
import { metrics } from '#shared/lambda/observability';
import { stepHandler } from '#shared/lambda/step-handler';
import { planInputSchema, planWindow } from '#shared/window/plan-window';

const settings = windowSettings();
const { sales } = repositories();

export const handler = stepHandler({
  what: 'PlanWindow input',
  schema: planInputSchema,
  correlate: (input) => ({ executionName: input.executionName, scheduledTime: input.scheduledTime }),
  run: async (input) => {
    const plan = await planWindow(input, {
      sales,
      settings: {
        leadMinutes: settings.LEAD_MINUTES,
        shardCount: settings.SHARD_COUNT,
        providerMps: settings.PROVIDER_MPS,
        iterationMps: settings.ITERATION_MPS,
        salesConcurrency: settings.SALES_CONCURRENCY,
      },
    });
    metrics.addMetric('SalesPlanned', MetricUnit.Count, plan.plannedSales);
    return plan;
  },
});
