import type { DemandItem } from '#shared/data/demand-repository';
import type { NotificationRecord } from '#shared/data/notifications-repository';
import { parseDeliveryRecord, type StatusEvent } from '#shared/delivery/status-event';
import { hashContact } from '#shared/domain/contacts';
import { applyStatusEvent } from '#shared/lifecycle/apply-status';

const PK = 'sale-1#fan-1#SMS';
const RECORD = {
  pk: PK,
  saleId: 'sale-1',
  eventId: 'evt-1',
  fanId: 'fan-1',
  channel: 'SMS',
  status: 'QUEUED',
  queuedAt: '2026-11-28T09:30:00.000Z',
} as NotificationRecord;

const event = (status: string, errorCode?: number): StatusEvent =>
  ({
    eventId: `sms:SM1:${status}`,
    provider: 'sms',
    messageSid: 'SM1',
    notificationKey: PK,
    status,
    timestamp: '2026-11-28T09:30:07.500Z',
    ...(errorCode === undefined ? {} : { errorCode }),
  }) as StatusEvent;

function deps(applied: 'applied' | 'stale' | 'unknown', contact?: string, record = RECORD) {
  const contacts = new Map<string, DemandItem>(contact ? [['fan-1#SMS', { contact } as DemandItem]] : []);
  return {
    notifications: {
      applyStatus: jest.fn().mockResolvedValue(applied),
      get: jest.fn().mockResolvedValue(applied === 'unknown' ? undefined : record),
    },
    demand: { contacts: jest.fn().mockResolvedValue(contacts) },
    optOuts: { add: jest.fn().mockResolvedValue(undefined) },
    now: () => new Date('2026-11-28T09:31:00.000Z'),
  };
}

describe('applyStatusEvent', () => {
  it('applies DELIVERED with the event time and measures the latency from queuedAt', async () => {
    const d = deps('applied');
    await expect(applyStatusEvent(event('delivered'), d)).resolves.toEqual({
      result: 'applied',
      status: 'DELIVERED',
      deliveryLatencyMs: 7500,
    });
    expect(d.notifications.applyStatus).toHaveBeenCalledWith(PK, 'DELIVERED', '2026-11-28T09:30:07.500Z', {
      providerMessageId: 'SM1',
    });
  });

  it('confirms a hand-off with queued (a record Send left TRIGGERED moves to QUEUED)', async () => {
    const d = deps('applied');
    await expect(applyStatusEvent(event('queued'), d)).resolves.toEqual({
      result: 'applied',
      status: 'QUEUED',
    });
    expect(d.notifications.applyStatus).toHaveBeenCalledWith(PK, 'QUEUED', expect.any(String), {
      providerMessageId: 'SM1',
    });
  });

  it('reports an unknown notification instead of throwing', async () => {
    await expect(applyStatusEvent(event('sent'), deps('unknown'))).resolves.toEqual({ result: 'unknown' });
  });

  it('opts out the sign-up contact, by hash, on an undelivered 21610, even when the status is stale', async () => {
    const d = deps('stale', '+14165550123');
    await expect(applyStatusEvent(event('undelivered', 21610), d)).resolves.toEqual({
      result: 'stale',
      status: 'FAILED',
      failureReason: 'OPTED_OUT',
      optOut: 'added',
    });
    expect(d.demand.contacts).toHaveBeenCalledWith('evt-1', [{ fanId: 'fan-1', channel: 'SMS' }]);
    expect(d.optOuts.add).toHaveBeenCalledWith({
      contactHash: hashContact('+14165550123'),
      reason: 'OPTED_OUT',
      source: 'status-stream',
      createdAt: '2026-11-28T09:31:00.000Z',
    });
  });

  it('opts out the contact that was messaged (the hash kept at render), not the one the sign-up holds now', async () => {
    const messaged = hashContact('+14165550123');
    const d = deps('applied', '+14165559999', { ...RECORD, contactHash: messaged });

    await expect(applyStatusEvent(event('undelivered', 21610), d)).resolves.toMatchObject({
      optOut: 'added',
    });

    expect(d.demand.contacts).not.toHaveBeenCalled();
    expect(d.optOuts.add).toHaveBeenCalledWith(expect.objectContaining({ contactHash: messaged }));
  });

  it('skips the opt-out when the sign-up is gone', async () => {
    const d = deps('applied');
    await expect(applyStatusEvent(event('failed', 21211), d)).resolves.toMatchObject({
      optOut: 'no-contact',
    });
    expect(d.optOuts.add).not.toHaveBeenCalled();
  });
});

describe('parseDeliveryRecord', () => {
  it('reads status events and SES events as EventBridge forwards them', () => {
    const status = event('sent');
    expect(parseDeliveryRecord(new TextEncoder().encode(JSON.stringify(status)))).toEqual(status);
    const ses = {
      eventType: 'Delivery',
      mail: {
        timestamp: '2026-11-28T09:30:00.000Z',
        messageId: 'ses-1',
        tags: { notificationKey: [Buffer.from('sale-1#fan-1#EMAIL').toString('base64url')] },
      },
      delivery: { timestamp: '2026-11-28T09:30:02.000Z' },
    };
    expect(parseDeliveryRecord(JSON.stringify(ses))).toMatchObject({
      eventId: 'email:ses-1:delivery',
      provider: 'email',
      notificationKey: 'sale-1#fan-1#EMAIL',
      status: 'delivery',
    });
  });

  it('rejects what is neither, naming fields only', () => {
    expect(() => parseDeliveryRecord('nope')).toThrow('not JSON');
    expect(() => parseDeliveryRecord(JSON.stringify({ provider: 'sms', to: '+14165550123' }))).toThrow(
      /invalid status event/,
    );
    expect(() => parseDeliveryRecord(JSON.stringify({ provider: 'sms', to: '+14165550123' }))).not.toThrow(
      /5550123/,
    );
  });
});
