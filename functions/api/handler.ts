/** AppSync resolvers: eventDetails, reminderStatus, requestReminder, cancelReminder (one Lambda, one router). */

import { apiCacheEnv } from '#shared/api/config';
import { apiHandler } from '#shared/api/lambda';
import { createApiResolver } from '#shared/api/resolver';
import { DiscoveryClient } from '#shared/clients/discovery-client';
import { discoveryEnv, loadConfig } from '#shared/config/env';
import { once, resolveSecret } from '#shared/config/secrets';
import { EventCache } from '#shared/events/event-cache';
import { repositories, suppressionRules, windowSettings } from '#shared/lambda/dependencies';
import { logger } from '#shared/lambda/observability';
import { pipelineClock } from '#shared/time/clock';

const discoveryConfig = loadConfig(discoveryEnv);
const cacheSettings = loadConfig(apiCacheEnv);
const { EVENT_CACHE_TTL_SECONDS } = windowSettings();
const rules = suppressionRules();
const { events, sales, demand, notifications, optOuts } = repositories();

const router = once(async () => {
  const apiKey = await resolveSecret(
    'DISCOVERY_API_KEY',
    discoveryConfig.DISCOVERY_API_KEY,
    discoveryConfig.DISCOVERY_API_KEY_PARAM,
  );
  const cache = new EventCache({
    events,
    sales,
    discovery: new DiscoveryClient({
      baseUrl: discoveryConfig.DISCOVERY_BASE_URL,
      apiKey,
      maxRetries: cacheSettings.API_DISCOVERY_MAX_RETRIES,
      timeoutMs: cacheSettings.API_DISCOVERY_TIMEOUT_MS,
    }),
    ttlSeconds: EVENT_CACHE_TTL_SECONDS,
    now: pipelineClock.now,
    staleWhileRevalidateSeconds: cacheSettings.EVENT_CACHE_STALE_SECONDS,
    memoryTtlMs: cacheSettings.EVENT_CACHE_MEMORY_TTL_MS,
    onBackgroundError: (eventId, error) => logger.warn('background refresh failed', { eventId, error }),
  });
  return createApiResolver({ cache, demand, notifications, optOuts, rules, now: pipelineClock.now }, logger);
});

export const handler = apiHandler(router);
