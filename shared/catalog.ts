/**
 * The catalog of the project's functions, the one place each fact about a function is written: its entry
 * point (`functions/<name>/handler.ts`, export `handler`), the Task state of the window definition it runs
 * (and so the `${<State>FunctionArn}` token of `statemachines/window.asl.json`), what it may touch (tables
 * and actions, secrets, settings, the delivery stream, SES), its sizing, and the metrics it publishes.
 * The Pulumi program (infra/stack.ts), the local runner (local/stepfunctions/) and the definition check
 * (statemachines/definition.ts) all derive from it: adding a Lambda step means adding it here, writing its
 * handler and naming its state in the ASL file.
 *
 * Plain data with no dependency beyond shared/, so handlers may import it for their metric names.
 */
import type { TableKey } from '#shared/data/tables';

/** DynamoDB actions a function may be granted on a table. */
export type DynamoAction =
  | 'GetItem'
  | 'BatchGetItem'
  | 'Query'
  | 'PutItem'
  | 'UpdateItem'
  | 'DeleteItem'
  | 'BatchWriteItem'
  | 'ConditionCheckItem';

/** What Powertools idempotency does with its table. */
export const IDEMPOTENCY_ACTIONS = [
  'GetItem',
  'PutItem',
  'UpdateItem',
  'DeleteItem',
] as const satisfies readonly DynamoAction[];

/** Secrets held in SSM SecureString parameters. */
export type SecretKey = 'discovery' | 'bitly' | 'sms' | 'contactHash' | 'unsubscribe';

/** Groups of non-secret settings (see shared/config/env.ts) a function receives as environment variables. */
export type SettingsGroup =
  | 'window'
  | 'suppression'
  | 'discovery'
  | 'bitly'
  | 'sms'
  | 'email'
  | 'saleMonitor'
  | 'unsubscribe'
  | 'signUp'
  | 'messages'
  | 'apiCache';

export type ReservedConcurrencyKey = 'sendPageConcurrency' | 'prepareSaleConcurrency' | 'shortenConcurrency';

export interface FunctionSpec {
  /** Folder under functions/ (entry `functions/<name>/handler.ts`, export `handler`). */
  name: string;
  description: string;
  /** The Task state of the window definition that invokes this function (its token is `${<state>FunctionArn}`). */
  state?: string;
  memoryMb: number;
  /** Seconds; at most 300 (CONST-003). */
  timeoutSeconds: number;
  tables: Partial<Record<TableKey, readonly DynamoAction[]>>;
  secrets: readonly SecretKey[];
  settings: readonly SettingsGroup[];
  /** Access to the delivery-status stream. */
  deliveryStream?: 'read' | 'write';
  sendsEmail?: boolean;
  /** Stage key holding the reserved concurrency that protects a provider's rate limit. */
  reservedConcurrency?: ReservedConcurrencyKey;
  /**
   * Custom metrics the handler publishes through Powertools (namespace `<metricsNamespace>/<stage>`,
   * dimension `service` = the function name). A name ending in `_` is a prefix completed at run time
   * (`Suppressed_<reason>`).
   */
  metrics: readonly string[];
}

export const FUNCTIONS = [
  {
    name: 'plan-window',
    description: 'PlanWindow: the sales whose start lies in the window',
    state: 'PlanWindow',
    memoryMb: 512,
    timeoutSeconds: 60,
    metrics: ['SalesPlanned', 'SalesPlannedLate'],
    // Sign-ups are counted per event (Query, Select COUNT); one notification per sale tells who took it;
    // the stored event tells which sales the suppression rules already exclude from the budget.
    tables: { sales: ['Query'], demand: ['Query'], notifications: ['Query'], events: ['GetItem'] },
    secrets: [],
    settings: ['window', 'suppression'],
  },
  {
    name: 'prepare-sale',
    description: 'LoadEvent + Suppress: the event from cache or Discovery, suppression rules',
    state: 'PrepareSale',
    memoryMb: 512,
    timeoutSeconds: 60,
    metrics: ['EventFrom_', 'Suppressed_'],
    // The event cache saves with UpdateItem; SalesRepository.sync writes and deletes rows in BatchWriteItem.
    tables: {
      events: ['GetItem', 'PutItem', 'UpdateItem'],
      sales: ['PutItem', 'DeleteItem', 'BatchWriteItem'],
    },
    secrets: ['discovery'],
    settings: ['window', 'suppression', 'discovery'],
    reservedConcurrency: 'prepareSaleConcurrency',
  },
  {
    name: 'shorten',
    description: "Shorten: one Bitly link per locale, brand and channel the sale's fans use",
    state: 'Shorten',
    memoryMb: 512,
    timeoutSeconds: 60,
    metrics: ['BitlyCalls', 'ShortLinksCreated'],
    // The demand is read (locale, brand, channel only) to shorten just the links fans will receive.
    tables: { events: ['GetItem', 'UpdateItem'], demand: ['Query'], idempotency: IDEMPOTENCY_ACTIONS },
    secrets: ['bitly'],
    settings: ['window', 'bitly'],
    reservedConcurrency: 'shortenConcurrency',
  },
  {
    name: 'render-page',
    description: 'Render: one page of a demand shard into CREATED notifications',
    state: 'RenderPage',
    memoryMb: 1024,
    timeoutSeconds: 120,
    metrics: ['NotificationsCreated', 'NotificationsDuplicate'],
    // A conditional create that finds a record reads it (GetItem) to tell duplicates from unsent ones.
    tables: {
      demand: ['Query'],
      optOuts: ['BatchGetItem'],
      consents: ['BatchGetItem'],
      events: ['GetItem'],
      notifications: ['PutItem', 'GetItem'],
    },
    secrets: ['contactHash'],
    settings: ['window', 'suppression', 'messages'],
  },
  {
    name: 'send-page',
    description: 'Send: lease, provider call, QUEUED or FAILED for one page',
    state: 'SendPage',
    memoryMb: 1024,
    timeoutSeconds: 300,
    metrics: ['NotificationsQueued', 'NotificationsFailed', 'SendRetries'],
    // The sale is checked against the stored event before each page; a moved sale's unsent records are
    // released (conditional DeleteItem) for the window of its new time.
    tables: {
      notifications: ['GetItem', 'BatchGetItem', 'UpdateItem', 'DeleteItem'],
      events: ['GetItem'],
      demand: ['GetItem', 'BatchGetItem'],
      // The opt-out check right before each provider call reads by key.
      optOuts: ['PutItem', 'BatchGetItem'],
      // The shard's counts after each page round (conditional put: never older counts over newer).
      tallies: ['PutItem'],
      idempotency: IDEMPOTENCY_ACTIONS,
    },
    // Every email carries its recipient's signed unsubscribe link.
    secrets: ['sms', 'contactHash', 'unsubscribe'],
    settings: ['window', 'sms', 'email', 'unsubscribe'],
    sendsEmail: true,
    reservedConcurrency: 'sendPageConcurrency',
  },
  {
    name: 'sale-monitor',
    description:
      'Sale monitoring: refreshes from Discovery the events with sign-ups and a sale in the next 48 h',
    memoryMb: 512,
    timeoutSeconds: 300,
    metrics: [
      'SaleMonitorEventsWatched',
      'SaleMonitorEventsRefreshed',
      'SaleMonitorEventsUnreached',
      'SaleMonitorEventsFailed',
      'SaleMonitorSalesAdded',
      'SaleMonitorSalesMoved',
    ],
    // Watched events from the sales table, sign-ups checked on the demand table; the event cache saves the
    // event (UpdateItem) and re-keys its sales (BatchWriteItem of puts and deletes).
    tables: {
      sales: ['Query', 'PutItem', 'DeleteItem', 'BatchWriteItem'],
      demand: ['Query'],
      events: ['GetItem', 'PutItem', 'UpdateItem'],
    },
    secrets: ['discovery'],
    settings: ['window', 'discovery', 'saleMonitor'],
  },
  {
    name: 'summarize',
    description: 'Summarize: counts of the run per outcome',
    state: 'Summarize',
    memoryMb: 512,
    timeoutSeconds: 120,
    metrics: [
      'SalesProcessed',
      'SalesSuppressed',
      'WindowNotificationsQueued',
      'WindowNotificationsFailed',
      'RemindersOnTime',
      'RemindersNotOnTime',
      'OnTimeRate',
    ],
    // Sums the counts the shards recorded in the tallies table (they do not travel in the state); keeps
    // the first pass's summary there for the second pass and reads it back.
    tables: { tallies: ['Query', 'GetItem', 'PutItem'] },
    secrets: [],
    settings: ['window'],
  },
  {
    name: 'status-updater',
    description: 'Consumer of the delivery-status stream: moves notifications forward',
    memoryMb: 512,
    timeoutSeconds: 120,
    metrics: [
      'NotificationsSent',
      'NotificationsDelivered',
      'NotificationsFailed',
      'NotificationsFailedByReason',
      'DeliveryLatency',
      'StaleStatusEvents',
      'UnknownNotifications',
      'OptOutsAdded',
      'InvalidStatusEvents',
      'StatusRecords',
    ],
    tables: {
      notifications: ['GetItem', 'UpdateItem', 'Query'],
      // The opt-out of a failed number looks its contact up by the notification's sign-up.
      demand: ['GetItem', 'BatchGetItem'],
      optOuts: ['PutItem'],
      idempotency: IDEMPOTENCY_ACTIONS,
    },
    secrets: ['contactHash'],
    settings: ['window'],
    deliveryStream: 'read',
  },
  {
    name: 'status-webhook',
    description: 'SMS status callback: verifies the signature, puts the status on the stream',
    memoryMb: 256,
    timeoutSeconds: 10,
    metrics: ['StatusCallbacksAccepted', 'StatusCallbacksInvalid', 'WebhookSignatureRejected'],
    tables: {},
    secrets: ['sms'],
    settings: ['sms'],
    deliveryStream: 'write',
  },
  {
    name: 'inbound-webhook',
    description: 'Inbound SMS (STOP, HELP, YES): verifies the signature, opt-outs and consent confirmations',
    memoryMb: 256,
    timeoutSeconds: 10,
    metrics: [
      'OptOutReplies',
      'OptInReplies',
      'HelpReplies',
      'ConsentsConfirmed',
      'InboundMessagesInvalid',
      'WebhookSignatureRejected',
    ],
    // START deletes the number's own STOP (conditional DeleteItem); YES confirms its pending consent.
    tables: { optOuts: ['PutItem', 'DeleteItem'], consents: ['Query', 'UpdateItem'] },
    secrets: ['sms', 'contactHash'],
    settings: ['sms'],
  },
  {
    name: 'unsubscribe-webhook',
    description: 'One-click unsubscribe of reminder emails: checks the signed link, records the opt-out',
    memoryMb: 256,
    timeoutSeconds: 10,
    metrics: ['EmailUnsubscribes', 'UnsubscribeLinksRefused'],
    tables: { optOuts: ['PutItem'] },
    secrets: ['unsubscribe'],
    settings: ['unsubscribe'],
  },
  {
    // Resolvers of the AppSync API; the API itself (ApiComponent) is added in infra/components/api.ts.
    name: 'api',
    description:
      'AppSync resolvers: eventDetails, requestReminder, cancelReminder, reminderStatus, confirmContact',
    memoryMb: 512,
    timeoutSeconds: 15,
    metrics: ['ApiError_', 'EventCache_', 'SignUps'],
    tables: {
      events: ['GetItem', 'PutItem', 'UpdateItem'],
      sales: ['GetItem', 'Query', 'PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem'],
      demand: ['GetItem', 'BatchGetItem', 'Query', 'PutItem', 'UpdateItem', 'DeleteItem'],
      optOuts: ['BatchGetItem'],
      notifications: ['Query'],
      consents: ['GetItem', 'PutItem', 'UpdateItem'],
      // Limits: conditional counters and claims (UpdateItem), released claims (DeleteItem).
      limits: ['UpdateItem', 'DeleteItem'],
    },
    // The SMS token: sign-ups send the consent confirmation.
    secrets: ['discovery', 'sms', 'contactHash'],
    settings: ['window', 'suppression', 'discovery', 'sms', 'email', 'signUp', 'apiCache'],
    sendsEmail: true,
  },
] as const satisfies readonly FunctionSpec[];

export type FunctionName = (typeof FUNCTIONS)[number]['name'];

/** The functions the window state machine invokes, each with the Task state that runs it. */
export type WindowStep = Extract<(typeof FUNCTIONS)[number], { state: string }>;
export type WindowFunctionName = WindowStep['name'];
export type WindowState = WindowStep['state'];
export type WindowToken = `${WindowState}FunctionArn`;

/** The `${Token}` of the window definition that a Task state's ARN fills. */
export function tokenOf<S extends string>(state: S): `${S}FunctionArn` {
  return `${state}FunctionArn`;
}

export const WINDOW_STEPS: readonly WindowStep[] = FUNCTIONS.filter(
  (spec): spec is WindowStep => 'state' in spec && typeof spec.state === 'string',
);

/** Path of a function's entry point, relative to the repository root (export `handler`). */
export function entryPointOf(name: string): string {
  return `functions/${name}/handler.ts`;
}

type MetricOf<F extends FunctionName> = Extract<(typeof FUNCTIONS)[number], { name: F }>['metrics'][number];

/**
 * The metric names a function declares, each mapped to itself: handlers write `METRIC.NotificationsQueued`
 * (or `METRIC.Suppressed_ + reason`), so a name they publish is one the catalog lists.
 */
export function metricNames<F extends FunctionName>(name: F): { readonly [M in MetricOf<F>]: M } {
  const spec = (FUNCTIONS as readonly FunctionSpec[]).find((candidate) => candidate.name === name);
  return Object.fromEntries((spec?.metrics ?? []).map((metric) => [metric, metric])) as {
    readonly [M in MetricOf<F>]: M;
  };
}

/** A metric as the alarms and the dashboard read it: its name and the function (service) publishing it. */
export function publishedMetric<F extends FunctionName, M extends MetricOf<F>>(
  service: F,
  name: M,
): { name: M; service: F } {
  return { name, service };
}

/** Lambda's hard ceiling is 900 s; the project's is 300 s (CONST-003). */
export const MAX_TIMEOUT_SECONDS = 300;

/**
 * How much longer a Task waits than its function may run: the invocation's own overhead (cold start,
 * the Lambda service's queueing). A Task whose TimeoutSeconds equals the function's time-out can fail with
 * `States.Timeout` (and be retried) while the function is still running and sending.
 */
export const TASK_TIMEOUT_MARGIN_SECONDS = 60;

/** The TimeoutSeconds of the Task state that runs a window step: the function's time-out plus the margin. */
export function taskTimeoutSeconds(step: Pick<FunctionSpec, 'timeoutSeconds'>): number {
  return step.timeoutSeconds + TASK_TIMEOUT_MARGIN_SECONDS;
}
