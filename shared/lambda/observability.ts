/**
 * The logger and metrics of every function, created once per process. Service name, log level and metrics
 * namespace come from the Powertools environment variables set by the infrastructure (or the local stack).
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';

export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'dmd-workers' });

export const metrics = new Metrics({
  namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'dmd-workers',
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'dmd-workers',
  // The metrics library's own warnings go through the structured logger (and its level).
  logger,
});
