/** Shorten: the short links the sale's fans will receive (per locale, brand, channel), one Bitly call per link ever. */
import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { dynamoClient } from '#shared/aws/clients';
import { metricNames } from '#shared/catalog';
import { BitlyClient } from '#shared/clients/bitly-client';
import { bitlyEnv, loadConfig } from '#shared/config/env';
import { resolveSecret } from '#shared/config/secrets';
import { repositories } from '#shared/lambda/dependencies';
import { metrics } from '#shared/lambda/observability';
import { stepHandler } from '#shared/lambda/step-handler';
import { shortenInputSchema, shortenLinks } from '#shared/window/shorten-links';

const METRIC = metricNames('shorten');

const config = loadConfig(bitlyEnv);
const { events, demand, idempotencyTable } = repositories();
const bitly = resolveSecret('BITLY_TOKEN', config.BITLY_TOKEN, config.BITLY_TOKEN_PARAM).then(
  (token) =>
    new BitlyClient({
      baseUrl: config.BITLY_BASE_URL,
      token,
      ...(config.BITLY_DOMAIN ? { domain: config.BITLY_DOMAIN } : {}),
    }),
);
bitly.catch(() => undefined);

const idempotency = new IdempotencyConfig({ expiresAfterSeconds: 7 * 24 * 3600 });

/** The Bitly call, idempotent on the long URL: a retried step never asks for the same link twice. */
const shorten = makeIdempotent(
  async (longUrl: string): Promise<string> => {
    metrics.addMetric(METRIC.BitlyCalls, MetricUnit.Count, 1);
    return (await (await bitly).shorten(longUrl)).link;
  },
  {
    persistenceStore: new DynamoDBPersistenceLayer({
      tableName: idempotencyTable,
      awsSdkV3Client: dynamoClient(),
    }),
    config: idempotency,
  },
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
    idempotency.registerLambdaContext(context);
    const result = await shortenLinks(input, { events, demand, shorten });
    metrics.addMetric(METRIC.ShortLinksCreated, MetricUnit.Count, result.created);
    return result;
  },
});
