/**
 * The embedded local stack: dynalite, kinesalite and the provider sandboxes on 127.0.0.1, with the tables
 * and the delivery-status stream created from the same definitions the infrastructure uses. Functions
 * run against it unchanged: only the environment (endpoints, names, local credentials) differs.
 */

import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { KinesisClient } from '@aws-sdk/client-kinesis';
import { PutRecordCommand } from '@aws-sdk/client-kinesis';
import { type BitlySandbox, startBitlySandbox } from '#local/sandboxes/bitly';
import { type DiscoverySandbox, startDiscoverySandbox } from '#local/sandboxes/discovery';
import { type SesSandbox, type SesSandboxOptions, startSesSandbox } from '#local/sandboxes/ses';
import { type SmsSandbox, type SmsSandboxOptions, startSmsSandbox } from '#local/sandboxes/sms';
import { applyInputTransformer, SES_EVENT_INPUT_TRANSFORMER } from '#shared/clients/ses-event';
import { defaultEnvironment } from '#shared/config/settings';
import { TABLES, type TableKey, tableName } from '#shared/data/tables';
import { EMAIL_TEMPLATES } from '#shared/messages/email-templates';
import { pipelineClock } from '#shared/time/clock';
import { DEMO_DISCOVERY_DIR } from '../demo';
import { ensureTables, startDynamo } from './dynamodb';
import { type FunctionUrlHandler, startFunctionUrlHost } from './function-url';
import { ensureStream, LOCAL_CREDENTIALS, LOCAL_REGION, makeKinesisClient, startKinesis } from './kinesis';
import {
  KinesisEventSourcePoller,
  type KinesisEventSourcePollerOptions,
  type KinesisHandler,
} from './kinesis-poller';

export interface LocalStackOptions {
  /** Keeps tables and streams between runs in DIR/dynamodb and DIR/kinesis; in memory when absent. */
  dataDir?: string;
  /** Folder of Discovery events the sandbox serves (default test/fixtures/discovery). */
  discoveryDir?: string;
  /** Resource name prefix, as the stage's prefix on AWS (default 'dmd-local'). */
  prefix?: string;
  /** SHARD_COUNT: demand shards per event (default 16). */
  shardCount?: number;
  /** Shards of the delivery-status stream (default 2). */
  streamShardCount?: number;
  /** Fixed ports (0 or absent: free ports). */
  ports?: { dynamodb?: number; kinesis?: number };
  /** Discovery quota of the sandbox per second (default 0: unlimited, so a run is not throttled). */
  discoveryRateLimitPerSecond?: number;
  /** Options of the SMS sandbox (faults, throughput, status timing, onStatus...). */
  sms?: SmsSandboxOptions;
  /** Options of the SES v2 sandbox (faults, events, templates...). */
  ses?: SesSandboxOptions;
  /** Value of AWS_ENDPOINT_URL_SFN, when a local Step Functions endpoint exists. */
  stepFunctionsEndpoint?: string;
  /** Overrides of any variable of the environment (PAGE_SIZE, POWERTOOLS_LOG_LEVEL, ...). */
  env?: Record<string, string>;
}

export interface LocalStackEndpoints {
  dynamodb: string;
  kinesis: string;
  discovery: string;
  bitly: string;
  sms: string;
  sesv2: string;
  /** Function URLs of the webhooks (SMS_STATUS_CALLBACK_URL, and the inbound SMS webhook). */
  statusWebhook: string;
  inboundWebhook: string;
  /** The one-click unsubscribe endpoint of reminder emails (UNSUBSCRIBE_BASE_URL). */
  unsubscribeWebhook: string;
}

export interface LocalStackSandboxes {
  discovery: DiscoverySandbox;
  bitly: BitlySandbox;
  sms: SmsSandbox;
  ses: SesSandbox;
}

/** The function URLs the stack serves. */
export type WebhookName = 'status-webhook' | 'inbound-webhook' | 'unsubscribe-webhook';

export interface LocalStack {
  prefix: string;
  deliveryStreamName: string;
  endpoints: LocalStackEndpoints;
  /** Every variable of the configuration contract, with local values. */
  env: Record<string, string>;
  clients: { dynamo: DynamoDBClient; kinesis: KinesisClient };
  sandboxes: LocalStackSandboxes;
  /** Table names by key of TABLES. */
  tables: Record<TableKey, string>;
  /**
   * Starts the event source mapping of the delivery-status stream for `handler` (the status-updater);
   * stop() stops it with the rest.
   */
  startDeliveryStatusPoller(
    handler: KinesisHandler,
    options?: Partial<Omit<KinesisEventSourcePollerOptions, 'client' | 'streamName' | 'handler'>>,
  ): Promise<KinesisEventSourcePoller>;
  /** Serves `handler` (a function URL handler) at endpoints.statusWebhook or endpoints.inboundWebhook. */
  bindWebhook(name: WebhookName, handler: FunctionUrlHandler): void;
  /** Stops pollers, sandboxes and emulators and closes every port. */
  stop(): Promise<void>;
}

/** Starts everything, creates tables and stream, and returns the environment to run functions with. */
export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const prefix = options.prefix ?? 'dmd-local';
  const deliveryStreamName = `${prefix}-delivery-status`;
  const stoppers: Array<() => Promise<void>> = [];
  const stopAll = async () => {
    // Last started, first stopped; keep going when one fails so no port stays open.
    const errors: unknown[] = [];
    for (const stop of stoppers.splice(0).reverse()) {
      try {
        await stop();
      } catch (error: unknown) {
        errors.push(error);
      }
    }
    if (errors.length > 0) throw new AggregateError(errors, 'local stack did not stop cleanly');
  };

  /** Registers the stop of what started, even when a sibling start fails. */
  const started = async <T extends { stop(): Promise<void> }>(starting: Promise<T>): Promise<T> => {
    const service = await starting;
    stoppers.push(() => service.stop());
    return service;
  };

  try {
    const [dynamo, kinesis] = await settleAll([
      started(
        startDynamo({
          ...(options.dataDir === undefined ? {} : { dataDir: join(options.dataDir, 'dynamodb') }),
          ...(options.ports?.dynamodb === undefined ? {} : { port: options.ports.dynamodb }),
        }),
      ),
      started(
        startKinesis({
          ...(options.dataDir === undefined ? {} : { dataDir: join(options.dataDir, 'kinesis') }),
          ...(options.ports?.kinesis === undefined ? {} : { port: options.ports.kinesis }),
        }),
      ),
    ]);

    const dynamoClient = new DynamoDBClient({
      endpoint: dynamo.endpoint,
      region: LOCAL_REGION,
      credentials: LOCAL_CREDENTIALS,
    });
    const kinesisClient = makeKinesisClient(kinesis.endpoint);
    stoppers.push(async () => {
      dynamoClient.destroy();
      kinesisClient.destroy();
    });

    const [discovery, bitly, sms, ses, webhooks] = await settleAll([
      started(
        startDiscoverySandbox({
          dir: options.discoveryDir ?? DEMO_DISCOVERY_DIR,
          rateLimitPerSecond: options.discoveryRateLimitPerSecond ?? 0,
        }),
      ),
      started(startBitlySandbox()),
      started(startSmsSandbox({ now: pipelineClock.now, ...options.sms })),
      started(
        startSesSandbox({
          // SES events reach the delivery-status stream as on AWS (SES → EventBridge → Kinesis), without
          // the recipients' addresses.
          onEvent: async (event) => {
            // EventBridge's event around the SES record, then the rule's input transformer (no recipients).
            const data = applyInputTransformer(
              { source: 'aws.ses', detail: event },
              SES_EVENT_INPUT_TRANSFORMER,
            );
            await kinesisClient.send(
              new PutRecordCommand({
                StreamName: deliveryStreamName,
                PartitionKey: event.mail.messageId,
                Data: Buffer.from(data),
              }),
            );
          },
          // The reminder templates, as the stage's Pulumi program creates them in SES (prefix '' here):
          // sends are rendered as SES renders them, so the final HTML can be read.
          templates: Object.fromEntries(
            EMAIL_TEMPLATES.map((template) => [
              template.name,
              { Subject: template.subject, Html: template.html, Text: template.text },
            ]),
          ),
          ...options.ses,
        }),
      ),
      started(startFunctionUrlHost()),
      ensureTables(dynamoClient, prefix),
      ensureStream(kinesisClient, deliveryStreamName, options.streamShardCount ?? 2),
    ]);

    const tables = Object.fromEntries(
      (Object.keys(TABLES) as TableKey[]).map((key) => [key, tableName(prefix, key)]),
    ) as Record<TableKey, string>;

    const env: Record<string, string> = {
      STAGE: 'local',
      AWS_REGION: LOCAL_REGION,
      AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
      POWERTOOLS_SERVICE_NAME: 'dmd-workers',
      POWERTOOLS_LOG_LEVEL: 'INFO',
      POWERTOOLS_METRICS_NAMESPACE: 'dmd-workers',
      AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
      AWS_ENDPOINT_URL_KINESIS: kinesis.endpoint,
      ...(options.stepFunctionsEndpoint ? { AWS_ENDPOINT_URL_SFN: options.stepFunctionsEndpoint } : {}),
      ...Object.fromEntries(
        (Object.keys(TABLES) as TableKey[]).map((key) => [TABLES[key].envVar, tables[key]]),
      ),
      DELIVERY_STREAM_NAME: deliveryStreamName,
      DISCOVERY_BASE_URL: discovery.baseUrl,
      DISCOVERY_API_KEY: discovery.apiKey,
      BITLY_BASE_URL: bitly.baseUrl,
      BITLY_TOKEN: bitly.token,
      BITLY_DOMAIN: 'bit.ly',
      SMS_BASE_URL: sms.baseUrl,
      SMS_ACCOUNT_SID: sms.accountSid,
      SMS_AUTH_TOKEN: sms.authToken,
      SMS_MESSAGING_SERVICE_SID: `MG${'0'.repeat(32)}`,
      SMS_STATUS_CALLBACK_URL: webhooks.urlOf('status-webhook'),
      AWS_ENDPOINT_URL_SESV2: ses.url,
      EMAIL_FROM: 'reminders@example.com',
      EMAIL_CONFIGURATION_SET: `${prefix}-email`,
      // The stage's key of the contact hashes (opt-outs, consents): a fixed value on this machine only.
      CONTACT_HASH_KEY: 'local-contact-hash-key-not-a-secret-0123456789',
      UNSUBSCRIBE_BASE_URL: webhooks.urlOf('unsubscribe-webhook'),
      // A local signing key for unsubscribe links (a SecureString parameter on AWS).
      UNSUBSCRIBE_SECRET: `local-unsubscribe-${prefix}-${'k'.repeat(32)}`,
      // The window and suppression settings at their declared defaults (shared/config/settings.ts).
      ...defaultEnvironment(['window', 'suppression']),
      ...(options.shardCount === undefined ? {} : { SHARD_COUNT: String(options.shardCount) }),
      ...options.env,
    };

    const startDeliveryStatusPoller: LocalStack['startDeliveryStatusPoller'] = async (
      handler,
      pollerOptions,
    ) => {
      const poller = new KinesisEventSourcePoller({
        functionName: 'status-updater',
        ...pollerOptions,
        client: kinesisClient,
        streamName: deliveryStreamName,
        handler,
      });
      await poller.start();
      // Pollers stop before the emulators they read from.
      stoppers.push(() => poller.stop());
      return poller;
    };

    return {
      prefix,
      deliveryStreamName,
      endpoints: {
        dynamodb: dynamo.endpoint,
        kinesis: kinesis.endpoint,
        discovery: discovery.baseUrl,
        bitly: bitly.baseUrl,
        sms: sms.baseUrl,
        sesv2: ses.url,
        statusWebhook: webhooks.urlOf('status-webhook'),
        inboundWebhook: webhooks.urlOf('inbound-webhook'),
        unsubscribeWebhook: webhooks.urlOf('unsubscribe-webhook'),
      },
      env,
      clients: { dynamo: dynamoClient, kinesis: kinesisClient },
      sandboxes: { discovery, bitly, sms, ses },
      tables,
      startDeliveryStatusPoller,
      bindWebhook: (name, handler) => webhooks.bind(name, handler),
      stop: stopAll,
    };
  } catch (error: unknown) {
    await stopAll().catch(() => undefined);
    throw error;
  }
}

/** Like Promise.all, but waits for every start so none is left running unseen when one fails. */
async function settleAll<T extends readonly unknown[]>(
  promises: readonly [...{ [K in keyof T]: Promise<T[K]> }],
): Promise<T> {
  const results = await Promise.allSettled(promises);
  for (const result of results) if (result.status === 'rejected') throw result.reason;
  return results.map((result) => (result as PromiseFulfilledResult<unknown>).value) as unknown as T;
}

/** Sets every variable of `env` in process.env; returns a function that restores the previous values. */
export function applyEnv(env: Record<string, string>): () => void {
  const previous = new Map(Object.keys(env).map((key) => [key, process.env[key]]));
  Object.assign(process.env, env);
  return () => {
    for (const [key, value] of previous) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  };
}
