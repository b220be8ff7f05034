/**
 * Repositories and settings built from the environment once per process (cold start).
 */
import { documentClient } from '#shared/aws/clients';
import { loadConfig, suppressionEnv, tablesEnv, windowEnv } from '#shared/config/env';
import { ConsentsRepository } from '#shared/data/consents-repository';
import { DemandRepository } from '#shared/data/demand-repository';
import { EventsRepository } from '#shared/data/events-repository';
import { LimitsRepository } from '#shared/data/limits-repository';
import { NotificationsRepository } from '#shared/data/notifications-repository';
import { OptOutsRepository } from '#shared/data/opt-outs-repository';
import { SalesRepository } from '#shared/data/sales-repository';
import type { SuppressionRules } from '#shared/domain/suppression';

export function tableSettings() {
  return loadConfig(tablesEnv);
}

export function windowSettings() {
  return loadConfig(windowEnv);
}

export function suppressionRules(): SuppressionRules {
  const env = loadConfig(suppressionEnv);
  return {
    suppressedArtistIds: env.SUPPRESSED_ARTIST_IDS,
    supportedCountries: env.SUPPORTED_COUNTRIES,
    allowedSegments: env.ALLOWED_SEGMENTS,
    suppressedSaleTypes: env.SUPPRESSED_SALE_TYPES,
  };
}

export function repositories() {
  const tables = tableSettings();
  const documents = documentClient();
  return {
    events: new EventsRepository(documents, tables.EVENTS_TABLE),
    sales: new SalesRepository(documents, tables.SALES_TABLE),
    demand: new DemandRepository(documents, tables.DEMAND_TABLE, windowSettings().SHARD_COUNT),
    notifications: new NotificationsRepository(documents, tables.NOTIFICATIONS_TABLE),
    optOuts: new OptOutsRepository(documents, tables.OPT_OUTS_TABLE),
    consents: new ConsentsRepository(documents, tables.CONSENTS_TABLE),
    limits: new LimitsRepository(documents, tables.LIMITS_TABLE),
    idempotencyTable: tables.IDEMPOTENCY_TABLE,
  };
}
