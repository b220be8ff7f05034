import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeTableCommand, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { DescribeStreamSummaryCommand, PutRecordCommand } from '@aws-sdk/client-kinesis';
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { applyEnv, type LocalStack, startLocalStack } from '#local/stack/stack';
import { twilioSignature } from '#shared/clients/twilio-signature';
import { TABLES } from '#shared/data/tables';

/** Every variable of the configuration contract that has a local value. */
const CONTRACT = [
  'STAGE',
  'AWS_REGION',
  'POWERTOOLS_SERVICE_NAME',
  'POWERTOOLS_LOG_LEVEL',
  'POWERTOOLS_METRICS_NAMESPACE',
  'AWS_ENDPOINT_URL_DYNAMODB',
  'AWS_ENDPOINT_URL_KINESIS',
  'AWS_ENDPOINT_URL_SESV2',
  ...Object.values(TABLES).map((t) => t.envVar),
  'DELIVERY_STREAM_NAME',
  'DISCOVERY_BASE_URL',
  'DISCOVERY_API_KEY',
  'BITLY_BASE_URL',
  'BITLY_TOKEN',
  'BITLY_DOMAIN',
  'SMS_BASE_URL',
  'SMS_ACCOUNT_SID',
  'SMS_AUTH_TOKEN',
  'SMS_MESSAGING_SERVICE_SID',
  'SMS_STATUS_CALLBACK_URL',
  'EMAIL_FROM',
  'EMAIL_CONFIGURATION_SET',
  'LEAD_MINUTES',
  'SHARD_COUNT',
  'PAGE_SIZE',
  'PROVIDER_MPS',
  'SEND_TIMEOUT_MS',
  'EVENT_CACHE_TTL_SECONDS',
  'SUPPRESSED_ARTIST_IDS',
  'SUPPORTED_COUNTRIES',
  'ALLOWED_SEGMENTS',
  'SUPPRESSED_SALE_TYPES',
];

describe('startLocalStack', () => {
  let stack: LocalStack;

  beforeAll(async () => {
    stack = await startLocalStack({
      prefix: 'dmd-stacktest',
      shardCount: 4,
      sms: { status: { delaysMs: { sent: 5, delivered: 10 } } },
    });
  });

  afterAll(async () => {
    await stack.stop();
  });

  it('returns every variable of the configuration contract, with loopback endpoints and local credentials', () => {
    for (const name of CONTRACT)
      expect({ name, value: stack.env[name] }).toEqual({ name, value: expect.any(String) });
    expect(stack.env.AWS_ACCESS_KEY_ID).toBe('local');
    expect(stack.env.AWS_SECRET_ACCESS_KEY).toBe('local');
    expect(stack.env.AWS_REGION).toBe('us-east-1');
    expect(stack.env.SHARD_COUNT).toBe('4');
    expect(stack.env.DELIVERY_STREAM_NAME).toBe('dmd-stacktest-delivery-status');
    expect(stack.env.NOTIFICATIONS_TABLE).toBe('dmd-stacktest-notifications');
    for (const key of [
      'AWS_ENDPOINT_URL_DYNAMODB',
      'AWS_ENDPOINT_URL_KINESIS',
      'AWS_ENDPOINT_URL_SESV2',
      'DISCOVERY_BASE_URL',
      'BITLY_BASE_URL',
      'SMS_BASE_URL',
      'SMS_STATUS_CALLBACK_URL',
    ]) {
      expect(stack.env[key]).toMatch(/^http:\/\/127\.0\.0\.1:\d+/);
    }
  });

  it('creates the tables and the delivery-status stream', async () => {
    for (const name of Object.values(stack.tables)) {
      const { Table } = await stack.clients.dynamo.send(new DescribeTableCommand({ TableName: name }));
      expect(Table?.TableStatus).toBe('ACTIVE');
    }
    const { StreamDescriptionSummary } = await stack.clients.kinesis.send(
      new DescribeStreamSummaryCommand({ StreamName: stack.deliveryStreamName }),
    );
    expect(StreamDescriptionSummary?.StreamStatus).toBe('ACTIVE');
    expect(StreamDescriptionSummary?.OpenShardCount).toBe(2);
  });

  it('serves the sample Discovery events by default', () => {
    expect(stack.sandboxes.discovery.eventIds().length).toBeGreaterThan(0);
  });

  it('lets an SDK client configured only by the environment reach the sandboxes', async () => {
    const restore = applyEnv(stack.env);
    try {
      const ses = new SESv2Client({});
      const { MessageId } = await ses.send(
        new SendEmailCommand({
          FromEmailAddress: stack.env.EMAIL_FROM,
          Destination: { ToAddresses: ['success@simulator.amazonses.com'] },
          Content: { Simple: { Subject: { Data: 'hello' }, Body: { Text: { Data: 'hi' } } } },
        }),
      );
      ses.destroy();
      expect(MessageId).toEqual(expect.any(String));
      expect(stack.sandboxes.ses.emails).toHaveLength(1);
    } finally {
      restore();
    }
    expect(process.env.AWS_ENDPOINT_URL_SESV2).toBeUndefined();
  });

  it('carries SMS statuses through the status webhook and the stream to the status consumer', async () => {
    const { env, sandboxes } = stack;
    // The status webhook's job, in brief: verify Twilio's signature, put the status on the stream.
    stack.bindWebhook('status-webhook', async (event) => {
      const body = event.body ?? '';
      const params = Object.fromEntries(new URLSearchParams(body));
      const expected = twilioSignature(env.SMS_AUTH_TOKEN ?? '', env.SMS_STATUS_CALLBACK_URL ?? '', params);
      if (event.headers['x-twilio-signature'] !== expected) return { statusCode: 403 };
      await stack.clients.kinesis.send(
        new PutRecordCommand({
          StreamName: stack.deliveryStreamName,
          PartitionKey: params.MessageSid ?? 'unknown',
          Data: Buffer.from(JSON.stringify({ sid: params.MessageSid, status: params.MessageStatus })),
        }),
      );
      return { statusCode: 204 };
    });
    const statuses: string[] = [];
    const sesEvents: string[] = [];
    const poller = await stack.startDeliveryStatusPoller(async (event) => {
      for (const record of event.Records) {
        const text = Buffer.from(record.kinesis.data, 'base64').toString();
        if (text.includes('"eventType"')) sesEvents.push(text);
        const data = JSON.parse(text) as {
          status?: string;
          eventType?: string;
        };
        // SES events of the email sent earlier in this file share the stream.
        if (data.status !== undefined) statuses.push(data.status);
      }
    });

    const response = await fetch(
      `${env.SMS_BASE_URL}/2010-04-01/Accounts/${env.SMS_ACCOUNT_SID}/Messages.json`,
      {
        method: 'POST',
        headers: {
          authorization: `Basic ${Buffer.from(`${env.SMS_ACCOUNT_SID}:${env.SMS_AUTH_TOKEN}`).toString('base64')}`,
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: new URLSearchParams({
          To: '+15145550123',
          Body: 'Tickets on sale at 10:00',
          MessagingServiceSid: env.SMS_MESSAGING_SERVICE_SID ?? '',
          StatusCallback: env.SMS_STATUS_CALLBACK_URL ?? '',
        }),
      },
    );
    expect(response.status).toBe(201);
    await sandboxes.sms.idle();
    await poller.drain(5000);

    expect(sandboxes.sms.counters.callbacks).toBe(3);
    // The email sent earlier produced SES events on the stream, without the recipient's address.
    expect(sesEvents.length).toBeGreaterThan(0);
    for (const text of sesEvents) expect(text).not.toContain('simulator.amazonses.com');
    expect(statuses).toEqual(['queued', 'sent', 'delivered']);
  });

  it('answers 404 on an unbound webhook', async () => {
    const response = await fetch(stack.endpoints.inboundWebhook, { method: 'POST', body: 'x' });
    expect(response.status).toBe(404);
  });
});

describe('startLocalStack with a data dir', () => {
  it('keeps items between runs and closes every port on stop', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'dmd-stack-'));
    try {
      const first = await startLocalStack({ dataDir });
      await first.clients.dynamo.send(
        new PutItemCommand({ TableName: first.tables.events, Item: { eventId: { S: 'ev-1' } } }),
      );
      const endpoints = Object.values(first.endpoints);
      await first.stop();
      for (const endpoint of endpoints) await expect(fetch(endpoint)).rejects.toThrow();

      const second = await startLocalStack({ dataDir });
      try {
        const { Item } = await second.clients.dynamo.send(
          new GetItemCommand({ TableName: second.tables.events, Key: { eventId: { S: 'ev-1' } } }),
        );
        expect(Item?.eventId?.S).toBe('ev-1');
      } finally {
        await second.stop();
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
