import type { StatusEvent } from '#shared/delivery/status-event';
import { planStatusUpdate } from '#shared/lifecycle/status-mapping';

const sms = (status: string, errorCode?: number | string): StatusEvent =>
  ({
    eventId: `sms:SM1:${status}`,
    provider: 'sms',
    messageSid: 'SM1',
    notificationKey: 'sale-1#fan-1#SMS',
    status,
    timestamp: '2026-11-28T10:00:00.000Z',
    ...(errorCode === undefined ? {} : { errorCode }),
  }) as StatusEvent;

const email = (status: string, errorCode?: string): StatusEvent =>
  ({
    eventId: `email:m1:${status}`,
    provider: 'email',
    messageSid: 'm1',
    notificationKey: 'sale-1#fan-1#EMAIL',
    status,
    timestamp: '2026-11-28T10:00:00.000Z',
    ...(errorCode === undefined ? {} : { errorCode }),
  }) as unknown as StatusEvent;

describe('status mapping (provider status -> lifecycle)', () => {
  it.each(['accepted', 'scheduled', 'queued', 'sending'])(
    'confirms the hand-off on SMS %s (QUEUED)',
    (status) => {
      expect(planStatusUpdate(sms(status))).toEqual({ status: 'QUEUED' });
    },
  );

  it('maps sent, delivered and read', () => {
    expect(planStatusUpdate(sms('sent'))).toEqual({ status: 'SENT' });
    expect(planStatusUpdate(sms('delivered'))).toEqual({ status: 'DELIVERED' });
    expect(planStatusUpdate(sms('read'))).toEqual({ status: 'DELIVERED' });
  });

  it.each([
    [21211, 'INVALID_NUMBER'],
    [21610, 'OPTED_OUT'],
    [21614, 'NOT_MOBILE'],
    [30005, 'UNKNOWN_DESTINATION'],
    [30006, 'LANDLINE'],
  ])('fails and opts out on undelivered with code %s', (code, reason) => {
    expect(planStatusUpdate(sms('undelivered', code))).toEqual({
      status: 'FAILED',
      failureReason: reason,
      error: { code: String(code), reason, retryable: false },
      optOut: { reason },
    });
  });

  it('fails without opt-out on a carrier code without a fixed meaning, or without a code', () => {
    expect(planStatusUpdate(sms('undelivered', 30003))).toEqual({
      status: 'FAILED',
      failureReason: 'UNDELIVERED',
      error: { code: '30003', reason: 'UNDELIVERED', retryable: false },
    });
    expect(planStatusUpdate(sms('failed'))).toEqual({ status: 'FAILED', failureReason: 'UNDELIVERED' });
    expect(planStatusUpdate(sms('failed', 30007))).toMatchObject({ failureReason: 'FILTERED' });
    expect(planStatusUpdate(sms('failed', 30007)).optOut).toBeUndefined();
  });

  it('maps SES events onto the same lifecycle', () => {
    expect(planStatusUpdate(email('send'))).toEqual({ status: 'SENT' });
    expect(planStatusUpdate(email('delivery'))).toEqual({ status: 'DELIVERED' });
    expect(planStatusUpdate(email('bounce', 'Permanent:General'))).toEqual({
      status: 'FAILED',
      failureReason: 'HARD_BOUNCE',
      error: { code: 'Permanent:General', reason: 'HARD_BOUNCE', retryable: false },
      optOut: { reason: 'HARD_BOUNCE' },
    });
    expect(planStatusUpdate(email('bounce', 'Transient:MailboxFull'))).toMatchObject({
      status: 'FAILED',
      failureReason: 'SOFT_BOUNCE',
    });
    expect(planStatusUpdate(email('bounce', 'Transient:MailboxFull')).optOut).toBeUndefined();
    expect(planStatusUpdate(email('reject'))).toEqual({ status: 'FAILED', failureReason: 'REJECTED' });
  });

  it('turns a complaint into an opt-out that leaves the status alone', () => {
    expect(planStatusUpdate(email('complaint'))).toEqual({ optOut: { reason: 'COMPLAINT' } });
  });
});
