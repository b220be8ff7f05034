/** Shorten: the short links the sale's fans will receive (per locale, brand, channel), one Bitly call per link ever. */
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { metricNames } from '#shared/catalog';
import { BitlyClient } from '#shared/clients/bitly-client';
import { bitlyEnv, loadConfig } from '#shared/config/env';
import { lazySecret, once } from '#shared/config/secrets';
import { repositories } from '#shared/lambda/dependencies';
import { idempotent } from '#shared/lambda/idempotency';
import { metrics } from '#shared/lambda/observability';
import { stepHandler } from '#shared/lambda/step-handler';
import { shortenInputSchema, shortenLinks } from '#shared/window/shorten-links';

const METRIC = metricNames('shorten');

const config = loadConfig(bitlyEnv);
const { events, demand } = repositories('events', 'demand');
const token = lazySecret(config, 'BITLY_TOKEN');
const bitly = once(
  async () =>
    new BitlyClient({
      baseUrl: config.BITLY_BASE_URL,
      token: await token(),
      ...(config.BITLY_DOMAIN ? { domain: config.BITLY_DOMAIN } : {}),
    }),
);

/** The Bitly call, idempotent on the long URL: a retried step never asks for the same link twice. */
const shorten = idempotent(
  async (longUrl: string): Promise<string> => {
    metrics.addMetric(METRIC.BitlyCalls, MetricUnit.Count, 1);
    return (await (await bitly()).shorten(longUrl)).link;
  },
  { expiresAfterSeconds: 7 * 24 * 3600 },
);

export const handler = stepHandler({
  what: 'Shorten input',
  schema: shortenInputSchema,
  correlate: (input) => ({
    executionName: input.executionName,
    eventId: input.eventId,
    saleId: input.saleId,
  }),
  run: async (input, context) => {
    shorten.registerLambdaContext(context);
    const result = await shortenLinks(input, { events, demand, shorten });
    metrics.addMetric(METRIC.ShortLinksCreated, MetricUnit.Count, result.created);
    return result;
  },
});
