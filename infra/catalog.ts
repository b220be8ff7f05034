/**
 * The functions of the project: what each one may touch. Each role is built from this list only, so a
 * function's permissions are reviewable here in one screen.
 */
import type { TableKey } from '#shared/data/tables';
import { type DynamoAction, IDEMPOTENCY_ACTIONS } from './policies';

/** Secrets held in SSM SecureString parameters. */
export type SecretKey = 'discovery' | 'bitly' | 'sms';

/** Groups of non-secret settings (see shared/config/env.ts) a function receives as environment variables. */
export type SettingsGroup = 'window' | 'suppression' | 'discovery' | 'bitly' | 'sms' | 'email';

export type ReservedConcurrencyKey = 'sendPageConcurrency' | 'prepareSaleConcurrency' | 'shortenConcurrency';

export interface FunctionSpec {
  /** Folder under functions/ (entry `functions/<name>/handler.ts`, export `handler`). */
  name: string;
  description: string;
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
}

export const FUNCTIONS = [
  {
    name: 'plan-window',
    description: 'PlanWindow: the sales whose start lies in the window',
    memoryMb: 512,
    timeoutSeconds: 60,
    // Sign-ups are counted per event (Query, Select COUNT); one notification per sale tells who took it.
    tables: { sales: ['Query'], events: ['GetItem'], demand: ['Query'], notifications: ['Query'] },
    secrets: [],
    settings: ['window', 'suppression'],
  },
  {
    name: 'prepare-sale',
    description: 'LoadEvent + Suppress: the event from cache or Discovery, suppression rules',
    memoryMb: 512,
    timeoutSeconds: 60,
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
    memoryMb: 512,
    timeoutSeconds: 60,
    // The demand is read (locale, brand, channel only) to shorten just the links fans will receive.
    tables: { events: ['GetItem', 'UpdateItem'], demand: ['Query'], idempotency: IDEMPOTENCY_ACTIONS },
    secrets: ['bitly'],
    settings: ['window', 'bitly'],
    reservedConcurrency: 'shortenConcurrency',
  },
  {
    name: 'render-page',
    description: 'Render: one page of a demand shard into CREATED notifications',
    memoryMb: 1024,
    timeoutSeconds: 120,
    // A conditional create that finds a record reads it (GetItem) to tell duplicates from unsent ones.
    tables: {
      demand: ['Query'],
      optOuts: ['BatchGetItem'],
      events: ['GetItem'],
      notifications: ['PutItem', 'GetItem'],
    },
    secrets: [],
    settings: ['window', 'suppression'],
  },
  {
    name: 'send-page',
    description: 'Send: lease, provider call, QUEUED or FAILED for one page',
    memoryMb: 1024,
    timeoutSeconds: 300,
    tables: {
      notifications: ['GetItem', 'BatchGetItem', 'UpdateItem'],
      demand: ['GetItem', 'BatchGetItem'],
      optOuts: ['PutItem'],
      idempotency: IDEMPOTENCY_ACTIONS,
    },
    secrets: ['sms'],
    settings: ['window', 'sms', 'email'],
    sendsEmail: true,
    reservedConcurrency: 'sendPageConcurrency',
  },
  {
    name: 'summarize',
    description: 'Summarize: counts of the run per outcome',
    memoryMb: 512,
    timeoutSeconds: 120,
    tables: { notifications: ['Query'] },
    secrets: [],
    settings: ['window'],
  },
  {
    name: 'status-updater',
    description: 'Consumer of the delivery-status stream: moves notifications forward',
    memoryMb: 512,
    timeoutSeconds: 120,
    tables: {
      notifications: ['GetItem', 'UpdateItem', 'Query'],
      // The opt-out of a failed number looks its contact up by the notification's sign-up.
      demand: ['GetItem', 'BatchGetItem'],
      optOuts: ['PutItem'],
      idempotency: IDEMPOTENCY_ACTIONS,
    },
    secrets: [],
    settings: ['window'],
    deliveryStream: 'read',
  },
  {
    name: 'status-webhook',
    description: 'SMS status callback: verifies the signature, puts the status on the stream',
    memoryMb: 256,
    timeoutSeconds: 10,
    tables: {},
    secrets: ['sms'],
    settings: ['sms'],
    deliveryStream: 'write',
  },
  {
    name: 'inbound-webhook',
    description: 'Inbound SMS (STOP/ARRET): verifies the signature, records the opt-out',
    memoryMb: 256,
    timeoutSeconds: 10,
    tables: { optOuts: ['PutItem'] },
    secrets: ['sms'],
    settings: ['sms'],
  },
  {
    // Resolvers of the AppSync API; the API itself (ApiComponent) is added in infra/components/api.ts.
    name: 'api',
    description: 'AppSync resolvers: eventDetails, requestReminder, cancelReminder, reminderStatus',
    memoryMb: 512,
    timeoutSeconds: 15,
    tables: {
      events: ['GetItem', 'PutItem', 'UpdateItem'],
      sales: ['GetItem', 'Query', 'PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem'],
      demand: ['GetItem', 'BatchGetItem', 'Query', 'PutItem', 'UpdateItem', 'DeleteItem'],
      optOuts: ['BatchGetItem'],
      notifications: ['Query'],
    },
    secrets: ['discovery'],
    settings: ['window', 'suppression', 'discovery'],
  },
] as const satisfies readonly FunctionSpec[];

export type FunctionName = (typeof FUNCTIONS)[number]['name'];

/** Lambda's hard ceiling is 900 s; the project's is 300 s (CONST-003). */
export const MAX_TIMEOUT_SECONDS = 300;
