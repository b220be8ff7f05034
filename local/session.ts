/**
 * A local session: the stack started and its environment applied, the repositories and event cache over
 * it, and helpers to seed events and fans and run windows. Used by `npm start`, the local CLI, the
 * integration tests, the benchmark and the chaos suite.
 */
import { documentClient } from '#shared/aws/clients';
import { DiscoveryClient } from '#shared/clients/discovery-client';
import { ConsentsRepository } from '#shared/data/consents-repository';
import { DemandRepository } from '#shared/data/demand-repository';
import { EventsRepository } from '#shared/data/events-repository';
import { NotificationsRepository } from '#shared/data/notifications-repository';
import { OptOutsRepository } from '#shared/data/opt-outs-repository';
import { SalesRepository } from '#shared/data/sales-repository';
import type { Demand, EventRecord, NotificationStatus } from '#shared/domain/model';
import { EventCache } from '#shared/events/event-cache';
import type { SaleMonitorReport } from '#shared/monitoring/sale-monitor';
import { ShiftedClock, useClock } from '#shared/time/clock';
import { DEMO_DISCOVERY_DIR } from './demo';
import { lambdaContext } from './lambda-context';
import { type FanMix, readDiscoveryDir, type SeededFans, seedConsent, seedEvents, seedFans } from './seed';
import { DrainTimeoutError } from './stack/errors';
import type { KinesisEventSourcePoller } from './stack/kinesis-poller';
import { applyEnv, type LocalStack, type LocalStackOptions, startLocalStack } from './stack/stack';
import { type RunStore, runStoreFor } from './stepfunctions/run-store';
import { type LocalRunOptions, redriveRun, runWindow } from './stepfunctions/runner';
import type { LocalRunRecord } from './stepfunctions/types';

/** The sample Discovery events a session loads unless told otherwise. */
export const DEFAULT_DISCOVERY_DIR = DEMO_DISCOVERY_DIR;

export interface SessionOptions extends LocalStackOptions {
  /** Powertools log level of the functions (default ERROR: a run's output stays readable). */
  logLevel?: string;
  /** Bind the status updater and the webhooks, so delivery statuses flow back (default true). */
  delivery?: boolean;
  /**
   * What the pipeline's clock reads when the session starts (default: the real time). It advances at
   * real speed from there; each window run sets it to the run's scheduled time.
   */
  clockStart?: string;
}

export interface Session {
  stack: LocalStack;
  store: RunStore;
  repos: {
    events: EventsRepository;
    sales: SalesRepository;
    demand: DemandRepository;
    notifications: NotificationsRepository;
    optOuts: OptOutsRepository;
    consents: ConsentsRepository;
  };
  cache: EventCache;
  /**
   * The pipeline's clock in this process (handlers, cache, sandboxes): the scheduled time of the window
   * being run, advancing with real time.
   */
  clock: ShiftedClock;
  discoveryDir: string;
  /** Reads the Discovery folder and loads every valid event through the cache. */
  seedEvents(): Promise<EventRecord[]>;
  seedFans(
    events: EventRecord[],
    count: number,
    options?: { seed?: number; mix?: Partial<FanMix>; offset?: number },
  ): Promise<SeededFans>;
  /** Writes one sign-up with a confirmed consent (source `seed`), as seedFans does for its fans. */
  seedSignUp(demand: Demand): Promise<void>;
  /**
   * Runs a window as it would have run at its scheduled time: the clock is set to `scheduledTime` first,
   * so a past window replays exactly and a future one runs as it will then. The monitoring pass the
   * schedule runs before it is `sync({ at: monitorPassBefore(scheduledTime) })`.
   */
  run(options: Omit<LocalRunOptions, 'prefix' | 'store'>): Promise<LocalRunRecord>;
  /**
   * One sale monitoring pass at the clock's time (or at `at`), by the same handler module the Lambda
   * deploys: events with sign-ups and a sale in the next 48 hours refreshed from the Discovery sandbox.
   */
  sync(options?: { at?: string }): Promise<SaleMonitorReport>;
  /** Resumes a failed run in its own time: the clock is set to the run's scheduled time. */
  redrive(
    executionName: string,
    options?: Partial<Omit<LocalRunOptions, 'prefix' | 'store'>>,
  ): Promise<LocalRunRecord>;
  /**
   * Waits until the SMS sandbox has reported every status and the stream is drained. Resolves false when
   * statuses are still arriving after `timeoutMs` (default: 60 s plus 10 ms per message handed over).
   */
  settleDelivery(timeoutMs?: number): Promise<boolean>;
  /** Notification records of the given sales, by status and failure reason (from the table). */
  lifecycle(saleIds: string[]): Promise<LifecycleCounts>;
  stop(): Promise<void>;
}

export interface LifecycleCounts {
  total: number;
  /** Keys of the records read. */
  keys: Set<string>;
  byStatus: Partial<Record<NotificationStatus, number>>;
  failuresByReason: Record<string, number>;
  /** When each sale's reminders were handed to the provider (queuedAt), by sale id. */
  handedOverAt: Map<string, string[]>;
}

export async function startSession(options: SessionOptions = {}): Promise<Session> {
  const discoveryDir = options.discoveryDir ?? DEFAULT_DISCOVERY_DIR;
  const clock = new ShiftedClock(options.clockStart ?? new Date());
  const restoreClock = useClock(clock);
  const stack = await startLocalStack({
    // Four stream shards: the status updater then works on four batches at once, as the event source
    // mapping does per shard.
    streamShardCount: 4,
    ...options,
    discoveryDir,
    env: {
      POWERTOOLS_LOG_LEVEL: options.logLevel ?? 'ERROR',
      POWERTOOLS_METRICS_DISABLED: 'true',
      ...options.env,
    },
  }).catch((error: unknown) => {
    restoreClock();
    throw error;
  });
  const restoreEnv = applyEnv(stack.env);
  const documents = documentClient();
  const shardCount = Number(stack.env.SHARD_COUNT);
  const repos = {
    events: new EventsRepository(documents, stack.tables.events),
    sales: new SalesRepository(documents, stack.tables.sales),
    demand: new DemandRepository(documents, stack.tables.demand, shardCount),
    notifications: new NotificationsRepository(documents, stack.tables.notifications),
    optOuts: new OptOutsRepository(documents, stack.tables.optOuts),
    consents: new ConsentsRepository(documents, stack.tables.consents),
  };
  const cache = new EventCache({
    events: repos.events,
    sales: repos.sales,
    discovery: new DiscoveryClient({
      baseUrl: stack.env.DISCOVERY_BASE_URL ?? '',
      apiKey: stack.env.DISCOVERY_API_KEY ?? '',
    }),
    ttlSeconds: Number(stack.env.EVENT_CACHE_TTL_SECONDS ?? 3600),
  });
  const store = runStoreFor(options.dataDir);

  let poller: KinesisEventSourcePoller | undefined;
  if (options.delivery ?? true) {
    const { bindDelivery } = await import('./delivery');
    poller = await bindDelivery(stack);
  }

  const sync = async (syncOptions: { at?: string } = {}): Promise<SaleMonitorReport> => {
    if (syncOptions.at !== undefined) clock.setTo(syncOptions.at);
    const { handler } = await import('#functions/sale-monitor/handler');
    const report = await handler({ scheduledTime: clock.now().toISOString() }, lambdaContext('sale-monitor'));
    return report as SaleMonitorReport;
  };

  return {
    stack,
    store,
    repos,
    cache,
    clock,
    discoveryDir,
    async seedEvents() {
      const { events } = await readDiscoveryDir(discoveryDir);
      await seedEvents(
        cache,
        events.map((event) => event.eventId),
      );
      return events;
    },
    async seedFans(events, count, seedOptions = {}) {
      const seeded = await seedFans({
        documents,
        demand: repos.demand,
        tableName: stack.tables.demand,
        consentsTable: stack.tables.consents,
        events,
        count,
        ...seedOptions,
      });
      stack.sandboxes.sms.setFaults({ perNumber: seeded.perNumber });
      return seeded;
    },
    async seedSignUp(demand) {
      await repos.demand.put(demand);
      await repos.consents.put(
        seedConsent({ ...demand, locale: demand.locale ?? 'en-us' }, demand.createdAt),
      );
    },
    async run(runOptions) {
      clock.setTo(runOptions.scheduledTime);
      return runWindow({ ...runOptions, prefix: stack.prefix, store });
    },
    sync,

    async redrive(executionName, runOptions = {}) {
      const previous = await store.get(executionName);
      if (previous) clock.setTo(previous.scheduledTime);
      return redriveRun({ ...runOptions, executionName, prefix: stack.prefix, store });
    },
    async settleDelivery(timeoutMs) {
      const messages = stack.sandboxes.sms.counters.accepted + stack.sandboxes.ses.counters.sent;
      const budget = timeoutMs ?? 60_000 + 10 * messages;
      const deadline = Date.now() + budget;
      await Promise.all([stack.sandboxes.sms.idle(), stack.sandboxes.ses.idle()]);
      if (!poller) return true;
      try {
        await poller.drain(Math.max(1000, deadline - Date.now()));
        return true;
      } catch (error: unknown) {
        if (error instanceof DrainTimeoutError) return false;
        throw error;
      }
    },
    async lifecycle(saleIds) {
      const counts: LifecycleCounts = {
        total: 0,
        keys: new Set(),
        byStatus: {},
        failuresByReason: {},
        handedOverAt: new Map(),
      };
      for (const saleId of saleIds) {
        for await (const record of repos.notifications.bySale(saleId)) {
          // A record whose status changes while the index is paged can be read twice or not at all.
          if (counts.keys.has(record.pk)) continue;
          counts.keys.add(record.pk);
          counts.total++;
          counts.byStatus[record.status] = (counts.byStatus[record.status] ?? 0) + 1;
          if (record.queuedAt) {
            const times = counts.handedOverAt.get(saleId) ?? [];
            times.push(record.queuedAt);
            counts.handedOverAt.set(saleId, times);
          }
          if (record.status === 'FAILED') {
            const reason = record.failureReason ?? 'UNKNOWN';
            counts.failuresByReason[reason] = (counts.failuresByReason[reason] ?? 0) + 1;
          }
        }
      }
      return counts;
    },
    async stop() {
      await stack.stop();
      restoreEnv();
      restoreClock();
    },
  };
}

/** When the schedule runs the monitoring pass before a window run: 5 minutes before it (:25, :55). */
export function monitorPassBefore(scheduledTime: string): string {
  return new Date(Date.parse(scheduledTime) - 5 * 60_000).toISOString();
}
