/**
 * The logger and metrics of every function, created once per process. Service name, log level and metrics
 * namespace come from the Powertools environment variables set by the infrastructure (or the local stack).
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';

export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'dmd-workers' });

export const metrics = new Metrics({
  namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'dmd-workers',
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'dmd-workers',
  // The metrics library's own warnings go through the structured logger (and its level).
  logger,
});

/**
 * Counts and logs a webhook call a function refused: a bad signature (metric `forbidden`) or a body it
 * cannot use (metric `invalid`). The log has the refusal's kind and reason, never the body.
 */
export function reportRefusedWebhook(
  what: string,
  refusal: { kind: 'forbidden' | 'invalid'; reason: string },
  metricFor: { forbidden: string; invalid: string },
): void {
  metrics.addMetric(metricFor[refusal.kind], MetricUnit.Count, 1);
  logger.warn(`${what} refused`, { kind: refusal.kind, reason: refusal.reason });
}
