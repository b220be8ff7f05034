/**
 * Repositories and settings built from the environment once per process (cold start). Each function asks
 * for the repositories it uses, by table key, and reads only those tables' names: its environment and
 * its role (infra/catalog.ts) need no other table.
 */

import { documentClient } from '#shared/aws/clients';
import { FUNCTIONS } from '#shared/catalog';
import { loadConfig, suppressionEnv, windowEnv } from '#shared/config/env';
import { ConfigurationError } from '#shared/config/errors';
import { ConsentsRepository } from '#shared/data/consents-repository';
import { DemandRepository } from '#shared/data/demand-repository';
import { EventsRepository } from '#shared/data/events-repository';
import { LimitsRepository } from '#shared/data/limits-repository';
import { NotificationsRepository } from '#shared/data/notifications-repository';
import { OptOutsRepository } from '#shared/data/opt-outs-repository';
import { SalesRepository } from '#shared/data/sales-repository';
import { TABLES, type TableKey } from '#shared/data/tables';
import { TalliesRepository } from '#shared/data/tallies-repository';
import type { SuppressionRules } from '#shared/domain/suppression';
import { timeoutProblems } from '#shared/window/timeouts';

const SEND_PAGE_TIMEOUT_SECONDS = FUNCTIONS.find((fn) => fn.name === 'send-page')?.timeoutSeconds ?? 300;

/** The window settings; a page that cannot fit SendPage's timeout at the slowest pace fails the cold start. */
export function windowSettings() {
  const settings = loadConfig(windowEnv);
  const problems = timeoutProblems(
    {
      leadMinutes: settings.LEAD_MINUTES,
      lookAheadMinutes: settings.PLAN_LOOKAHEAD_MINUTES,
      pageSize: settings.PAGE_SIZE,
      sendTimeoutMs: settings.SEND_TIMEOUT_MS,
    },
    { sendPageSeconds: SEND_PAGE_TIMEOUT_SECONDS },
    {
      leadMinutes: 'LEAD_MINUTES',
      lookAheadMinutes: 'PLAN_LOOKAHEAD_MINUTES',
      pageSize: 'PAGE_SIZE',
      sendTimeoutMs: 'SEND_TIMEOUT_MS',
    },
  );
  if (problems.length > 0) throw new ConfigurationError(problems);
  return settings;
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

/** The physical name of a table, from its variable (`TABLES[key].envVar`), or a ConfigurationError naming it. */
export function tableNameFromEnv(
  key: TableKey,
  env: Record<string, string | undefined> = process.env,
): string {
  const variable = TABLES[key].envVar;
  const value = env[variable]?.trim();
  if (!value) throw new ConfigurationError([`${variable}: not set (name of the ${key} table)`]);
  return value;
}

const BUILDERS = {
  events: () => new EventsRepository(documentClient(), tableNameFromEnv('events')),
  sales: () => new SalesRepository(documentClient(), tableNameFromEnv('sales')),
  demand: () =>
    new DemandRepository(documentClient(), tableNameFromEnv('demand'), windowSettings().SHARD_COUNT),
  notifications: () => new NotificationsRepository(documentClient(), tableNameFromEnv('notifications')),
  optOuts: () => new OptOutsRepository(documentClient(), tableNameFromEnv('optOuts')),
  consents: () => new ConsentsRepository(documentClient(), tableNameFromEnv('consents')),
  limits: () => new LimitsRepository(documentClient(), tableNameFromEnv('limits')),
  tallies: () => new TalliesRepository(documentClient(), tableNameFromEnv('tallies')),
} satisfies Partial<Record<TableKey, () => unknown>>;

export type Repositories = { [K in keyof typeof BUILDERS]: ReturnType<(typeof BUILDERS)[K]> };

/** The repositories of the tables named, and no other: `repositories('demand', 'notifications')`. */
export function repositories<K extends keyof Repositories>(...keys: [K, ...K[]]): Pick<Repositories, K> {
  return Object.fromEntries(keys.map((key) => [key, BUILDERS[key]()])) as Pick<Repositories, K>;
}
