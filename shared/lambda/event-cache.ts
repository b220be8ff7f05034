/**
 * The event cache a pipeline function reads events through: the events and sales tables in front of
 * Discovery, on the pipeline's clock. It is built at the first use, once Discovery's key is read.
 */
import { DiscoveryClient, type DiscoveryClientOptions } from '#shared/clients/discovery-client';
import { discoveryEnv, loadConfig } from '#shared/config/env';
import { lazySecret, once } from '#shared/config/secrets';
import type { EventsRepository } from '#shared/data/events-repository';
import type { SalesRepository } from '#shared/data/sales-repository';
import { EventCache } from '#shared/events/event-cache';
import { pipelineClock } from '#shared/time/clock';

export function lazyEventCache(
  tables: { events: EventsRepository; sales: SalesRepository },
  ttlSeconds: number,
  discovery: Omit<DiscoveryClientOptions, 'baseUrl' | 'apiKey'> = {},
): () => Promise<EventCache> {
  const config = loadConfig(discoveryEnv);
  const apiKey = lazySecret(config, 'DISCOVERY_API_KEY');
  return once(
    async () =>
      new EventCache({
        ...tables,
        discovery: new DiscoveryClient({
          baseUrl: config.DISCOVERY_BASE_URL,
          apiKey: await apiKey(),
          ...discovery,
        }),
        ttlSeconds,
        now: pipelineClock.now,
      }),
  );
}
