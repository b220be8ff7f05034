/**
 * The delivery lifecycle on the local stack: the real status-updater handler driven by the stack's Kinesis
 * poller, the real webhook handlers behind the stack's function URLs, signed by the SMS sandbox.
 */
import { PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { runOps } from '#cli/ops';
import type { KinesisEventSourcePoller } from '#local/stack/kinesis-poller';
import { applyEnv, type LocalStack, startLocalStack } from '#local/stack/stack';
import { SmsClient } from '#shared/clients/sms-client';
import { twilioSignature } from '#shared/clients/twilio-signature';
import { DemandRepository } from '#shared/data/demand-repository';
import { type NotificationRecord, NotificationsRepository } from '#shared/data/notifications-repository';
import { OptOutsRepository } from '#shared/data/opt-outs-repository';
import { type StatusEvent, toKinesisRecord } from '#shared/delivery/status-event';
import { hashContact } from '#shared/domain/contacts';
import { notificationKey } from '#shared/domain/keys';
import type { Channel, NotificationStatus } from '#shared/domain/model';
import { STATUS_RANK } from '#shared/domain/model';
import type { metrics as Metrics } from '#shared/lambda/observability';
import { reconcileStuckTriggered } from '#shared/lifecycle/reconcile';

const EVENT_ID = 'evt-lifecycle';
const T0 = '2026-11-28T09:30:00.000Z';

let stack: LocalStack;
let restoreEnv: () => void;
let poller: KinesisEventSourcePoller;
let notifications: NotificationsRepository;
let demand: DemandRepository;
let optOuts: OptOutsRepository;
let metrics: typeof Metrics;
let addMetric: jest.SpyInstance;

beforeAll(async () => {
  stack = await startLocalStack({
    prefix: 'dmd-lifecycle',
    shardCount: 4,
    sms: { status: { delaysMs: { sent: 5, delivered: 15 } } },
    env: { POWERTOOLS_LOG_LEVEL: 'SILENT', POWERTOOLS_METRICS_DISABLED: 'true' },
  });
  restoreEnv = applyEnv(stack.env);
  // Handlers read the environment at load, as on a cold start.
  const [updater, statusWebhook, inboundWebhook, observability] = await Promise.all([
    import('#functions/status-updater/handler'),
    import('#functions/status-webhook/handler'),
    import('#functions/inbound-webhook/handler'),
    import('#shared/lambda/observability'),
  ]);
  metrics = observability.metrics;
  stack.bindWebhook('status-webhook', statusWebhook.handler);
  stack.bindWebhook('inbound-webhook', inboundWebhook.handler);
  poller = await stack.startDeliveryStatusPoller(updater.handler, { batchSize: 50, pollIntervalMs: 10 });
  const documents = DynamoDBDocumentClient.from(stack.clients.dynamo, {
    marshallOptions: { removeUndefinedValues: true },
  });
  notifications = new NotificationsRepository(documents, stack.tables.notifications);
  demand = new DemandRepository(documents, stack.tables.demand, 4);
  optOuts = new OptOutsRepository(documents, stack.tables.optOuts);
});

afterAll(async () => {
  await stack?.stop();
  restoreEnv?.();
});

beforeEach(() => {
  addMetric = jest.spyOn(metrics, 'addMetric');
});

afterEach(() => {
  addMetric.mockRestore();
});

const metricCount = (name: string) =>
  addMetric.mock.calls
    .filter(([metric]) => metric === name)
    .reduce((sum, [, , value]) => sum + Number(value), 0);

/** A notification handed to the provider (QUEUED) or leased (TRIGGERED), with its sign-up in the demand table. */
async function seed(
  saleId: string,
  fanId: string,
  options: {
    channel?: Channel;
    status?: NotificationStatus;
    contact?: string;
    extra?: Partial<NotificationRecord>;
  } = {},
): Promise<string> {
  const channel = options.channel ?? 'SMS';
  const status = options.status ?? 'QUEUED';
  const pk = notificationKey(saleId, fanId, channel);
  await notifications.createIfAbsent({
    pk,
    saleId,
    eventId: EVENT_ID,
    fanId,
    channel,
    shard: 0,
    status,
    statusRank: STATUS_RANK[status],
    attempts: 1,
    locale: 'en-us',
    brand: 'ticketmaster',
    createdAt: T0,
    updatedAt: T0,
    triggeredAt: T0,
    ...(status === 'QUEUED' ? { queuedAt: T0, providerMessageId: `SM-${fanId}` } : {}),
    expiresAt: 2_000_000_000,
    ...options.extra,
  });
  if (options.contact) {
    await demand.put({
      eventId: EVENT_ID,
      fanId,
      channel,
      contact: options.contact,
      brand: 'ticketmaster',
      createdAt: T0,
    });
  }
  return pk;
}

function smsEvent(pk: string, status: StatusEvent['status'], at: string, errorCode?: number): StatusEvent {
  return {
    eventId: `sms:SM-${pk}:${status}`,
    provider: 'sms',
    messageSid: `SM-${pk}`,
    notificationKey: pk,
    status,
    timestamp: at,
    ...(errorCode === undefined ? {} : { errorCode }),
  } as StatusEvent;
}

/** Puts raw records in this order on one partition (one shard: the poller keeps their order). */
async function putRecords(records: Array<StatusEvent | string>): Promise<void> {
  await stack.clients.kinesis.send(
    new PutRecordsCommand({
      StreamName: stack.deliveryStreamName,
      Records: records.map((record) =>
        typeof record === 'string'
          ? { PartitionKey: 'lifecycle', Data: new TextEncoder().encode(record) }
          : { ...toKinesisRecord(record), PartitionKey: 'lifecycle' },
      ),
    }),
  );
  await poller.drain(10_000);
}

describe('status updater on the stream', () => {
  it('(d) leaves the right final state when statuses come twice and out of order', async () => {
    const delivered = await seed('sale-d', 'fan-1');
    const failed = await seed('sale-d', 'fan-2', { contact: '+14165550101' });
    const failuresBefore = poller.stats.failures;

    await putRecords([
      smsEvent(delivered, 'delivered', '2026-11-28T09:30:09.000Z'),
      smsEvent(delivered, 'sent', '2026-11-28T09:30:04.000Z'),
      smsEvent(delivered, 'delivered', '2026-11-28T09:30:09.000Z'),
      smsEvent(delivered, 'queued', '2026-11-28T09:30:01.000Z'),
      smsEvent(failed, 'sent', '2026-11-28T09:30:04.000Z'),
      smsEvent(failed, 'undelivered', '2026-11-28T09:30:08.000Z', 30005),
      smsEvent(failed, 'delivered', '2026-11-28T09:30:12.000Z'),
      smsEvent(failed, 'undelivered', '2026-11-28T09:30:08.000Z', 30005),
    ]);

    expect(await notifications.get(delivered)).toMatchObject({
      status: 'DELIVERED',
      deliveredAt: '2026-11-28T09:30:09.000Z',
      providerMessageId: 'SM-fan-1',
    });
    expect((await notifications.get(delivered))?.sentAt).toBeUndefined();
    expect(await notifications.get(failed)).toMatchObject({
      status: 'FAILED',
      failureReason: 'UNKNOWN_DESTINATION',
      sentAt: '2026-11-28T09:30:04.000Z',
      lastError: { code: '30005', reason: 'UNKNOWN_DESTINATION', retryable: false },
    });
    expect((await notifications.get(failed))?.deliveredAt).toBeUndefined();
    // 30005: the number is unusable, so no later window sends to it.
    expect(await optOuts.optedOut([hashContact('+14165550101')])).toEqual(
      new Set([hashContact('+14165550101')]),
    );
    expect(metricCount('NotificationsDelivered')).toBe(1);
    expect(metricCount('NotificationsFailed')).toBe(1);
    // Three stale events (sent and queued after delivered, delivered after failed); the two exact
    // repeats were answered from the idempotency store without touching the table.
    expect(metricCount('StaleStatusEvents')).toBe(3);
    expect(addMetric).toHaveBeenCalledWith('DeliveryLatency', 'Milliseconds', 9000);
    expect(poller.stats.failures).toBe(failuresBefore);
  });

  it('(e) skips a poison record and an unknown notification without stopping the others', async () => {
    const pk = await seed('sale-e', 'fan-1');
    const unknown = notificationKey('sale-e', 'fan-nobody', 'SMS');
    const failuresBefore = poller.stats.failures;

    await putRecords([
      'this is not JSON',
      JSON.stringify({ provider: 'sms', status: 'delivered' }),
      smsEvent(unknown, 'delivered', '2026-11-28T09:30:05.000Z'),
      smsEvent(pk, 'delivered', '2026-11-28T09:30:06.000Z'),
    ]);

    expect((await notifications.get(pk))?.status).toBe('DELIVERED');
    expect(await notifications.get(unknown)).toBeUndefined();
    expect(metricCount('InvalidStatusEvents')).toBe(2);
    expect(metricCount('UnknownNotifications')).toBe(1);
    expect(poller.stats.failures).toBe(failuresBefore);
  });

  it('settles a TRIGGERED notification from the stream (crash between hand-off and update)', async () => {
    const pk = await seed('sale-t', 'fan-1', { status: 'TRIGGERED' });

    await putRecords([smsEvent(pk, 'sent', '2026-11-28T09:30:04.000Z')]);

    expect(await notifications.get(pk)).toMatchObject({ status: 'SENT', providerMessageId: `SM-${pk}` });
  });

  it('maps SES events forwarded as they are (bounce: FAILED and opt-out; complaint: opt-out only)', async () => {
    const bounced = await seed('sale-m', 'fan-1', { channel: 'EMAIL', contact: 'bounce@example.com' });
    const complained = await seed('sale-m', 'fan-2', { channel: 'EMAIL', contact: 'grumpy@example.com' });
    const ses = (pk: string, eventType: string, extra: Record<string, unknown>) =>
      JSON.stringify({
        eventType,
        mail: {
          timestamp: '2026-11-28T09:30:01.000Z',
          messageId: `ses-${pk}`,
          destination: ['never-logged@example.com'],
          tags: { notificationKey: [Buffer.from(pk).toString('base64url')] },
        },
        ...extra,
      });

    await putRecords([
      ses(bounced, 'Bounce', {
        bounce: { bounceType: 'Permanent', bounceSubType: 'General', timestamp: '2026-11-28T09:30:03.000Z' },
      }),
      ses(complained, 'Delivery', { delivery: { timestamp: '2026-11-28T09:30:03.000Z' } }),
      ses(complained, 'Complaint', { complaint: { timestamp: '2026-11-28T09:40:00.000Z' } }),
    ]);

    expect(await notifications.get(bounced)).toMatchObject({
      status: 'FAILED',
      failureReason: 'HARD_BOUNCE',
    });
    expect((await notifications.get(complained))?.status).toBe('DELIVERED');
    const hashes = [hashContact('bounce@example.com'), hashContact('grumpy@example.com')];
    expect(await optOuts.optedOut(hashes)).toEqual(new Set(hashes));
  });
});

describe('status webhook', () => {
  it('carries signed callbacks of a real send through the stream to DELIVERED', async () => {
    const pk = await seed('sale-w', 'fan-1', { status: 'TRIGGERED' });
    const sms = new SmsClient({
      baseUrl: stack.env.SMS_BASE_URL ?? '',
      accountSid: stack.env.SMS_ACCOUNT_SID ?? '',
      authToken: stack.env.SMS_AUTH_TOKEN ?? '',
      messagingServiceSid: stack.env.SMS_MESSAGING_SERVICE_SID ?? '',
      statusCallbackUrl: stack.env.SMS_STATUS_CALLBACK_URL ?? '',
    });
    const callbacksBefore = stack.sandboxes.sms.counters.callbacks;

    const { sid } = await sms.send({
      to: '+14165550111',
      body: 'Tickets on sale at 10:00',
      notificationKey: pk,
    });
    await notifications.markQueued(pk, sid, new Date().toISOString());
    await stack.sandboxes.sms.idle();
    await poller.drain(10_000);

    expect(stack.sandboxes.sms.counters.callbacks - callbacksBefore).toBe(3);
    expect(stack.sandboxes.sms.counters.callbackErrors).toBe(0);
    expect(await notifications.get(pk)).toMatchObject({ status: 'DELIVERED', providerMessageId: sid });
  });

  it('answers 403 to an unsigned callback and 400 to a malformed one', async () => {
    const url = `${stack.endpoints.statusWebhook}?key=${encodeURIComponent('sale-x#fan-1#SMS')}`;
    const post = (params: Record<string, string>, signature: string) =>
      fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
        body: new URLSearchParams(params),
      });
    const good = { MessageSid: 'SM1', MessageStatus: 'delivered', To: '+14165550199' };
    const bad = { MessageSid: 'SM1', MessageStatus: 'teleported', To: '+14165550199' };

    const forged = await post(good, 'AAAA');
    const malformed = await post(bad, twilioSignature(stack.env.SMS_AUTH_TOKEN ?? '', url, bad));
    const body = await malformed.text();

    expect(forged.status).toBe(403);
    expect(malformed.status).toBe(400);
    expect(body).toContain('MessageStatus');
    expect(body).not.toContain('5550199');
  });
});

describe('inbound webhook', () => {
  it('adds the opt-out of a STOP reply, found by OptOutsRepository.optedOut', async () => {
    const from = '+14165550177';

    const status = await stack.sandboxes.sms.sendInbound(stack.endpoints.inboundWebhook, {
      from,
      body: 'STOP',
    });
    const other = await stack.sandboxes.sms.sendInbound(stack.endpoints.inboundWebhook, {
      from: '+14165550178',
      body: 'thanks!',
    });

    expect(status).toBe(200);
    expect(other).toBe(200);
    expect(await optOuts.optedOut([hashContact(from), hashContact('+14165550178')])).toEqual(
      new Set([hashContact(from)]),
    );
  });
});

describe('reconciliation of stuck TRIGGERED notifications', () => {
  it('flags and lists only those leased before the time-out with no retry pending, keys only', async () => {
    const now = new Date('2026-11-28T10:00:00.000Z');
    const old = await seed('sale-r', 'fan-old', { status: 'TRIGGERED', contact: '+14165550133' });
    await seed('sale-r', 'fan-recent', {
      status: 'TRIGGERED',
      extra: { triggeredAt: '2026-11-28T09:55:00.000Z' },
    });
    await seed('sale-r', 'fan-retry', { status: 'TRIGGERED', extra: { retryPending: true } });
    await seed('sale-r', 'fan-done', { status: 'QUEUED' });

    const stuck = await reconcileStuckTriggered('sale-r', { olderThanMinutes: 15, now }, { notifications });

    expect(stuck).toEqual([
      { pk: old, saleId: 'sale-r', fanId: 'fan-old', channel: 'SMS', attempts: 1, triggeredAt: T0 },
    ]);
    expect(JSON.stringify(stuck)).not.toContain('5550133');
    expect(await notifications.get(old)).toMatchObject({
      status: 'TRIGGERED',
      review: true,
      reviewReason: 'STUCK_TRIGGERED',
    });
    expect((await notifications.get(notificationKey('sale-r', 'fan-recent', 'SMS')))?.review).toBeUndefined();
    expect((await notifications.get(notificationKey('sale-r', 'fan-retry', 'SMS')))?.review).toBeUndefined();
  });

  it('lists them with ops stuck against the stage tables', async () => {
    const pk = await seed('sale-o', 'fan-1', { status: 'TRIGGERED' });
    const out: string[] = [];
    const err: string[] = [];

    const code = await runOps(
      ['stuck', '--sale', 'sale-o', '--older-than', '20'],
      { out: (line) => out.push(line), err: (line) => err.push(line) },
      {
        sfn: () => {
          throw new Error('not used');
        },
        notifications: () => notifications,
        now: () => new Date('2026-11-28T10:00:00.000Z'),
        env: {},
      },
    );

    expect(code).toBe(0);
    expect(out.map((line) => JSON.parse(line).pk)).toEqual([pk]);
    expect(err.join('\n')).toContain('1 notification(s)');
  });
});
