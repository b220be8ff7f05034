import {
  type EmailDeliveryStatus,
  fromTwilioCallback,
  InvalidStatusEventError,
  lifecycleStatusOf,
  parseStatusEvent,
  type SmsDeliveryStatus,
  type StatusEvent,
  statusEventFromCallback,
  toKinesisRecord,
} from '#shared/delivery/status-event';

const NOW = new Date('2026-11-28T10:00:05.000Z');
const CALLBACK = {
  AccountSid: 'AC00000000000000000000000000000000',
  ApiVersion: '2010-04-01',
  MessageSid: 'SM0123456789abcdef0123456789abcdef',
  MessageStatus: 'undelivered',
  SmsSid: 'SM0123456789abcdef0123456789abcdef',
  SmsStatus: 'undelivered',
  To: '+14165550123',
  ErrorCode: '30003',
  NumSegments: '2',
};

describe('delivery status events', () => {
  it('turns a Twilio callback into a status event without the phone number', () => {
    const event = fromTwilioCallback(CALLBACK, 'sale-1#fan-42#SMS', NOW);

    expect(event).toEqual({
      eventId: 'sms:SM0123456789abcdef0123456789abcdef:undelivered',
      provider: 'sms',
      messageSid: 'SM0123456789abcdef0123456789abcdef',
      notificationKey: 'sale-1#fan-42#SMS',
      status: 'undelivered',
      errorCode: 30003,
      timestamp: '2026-11-28T10:00:05.000Z',
      segments: 2,
    });
    expect(JSON.stringify(event)).not.toContain('4165550123');
  });

  it('takes the key from the callback URL', () => {
    const url = 'https://hooks.example.com/status?key=sale-1%23fan-42%23SMS';
    const event = statusEventFromCallback(
      { ...CALLBACK, MessageStatus: 'delivered', ErrorCode: '' },
      url,
      NOW,
    );
    expect(event).toMatchObject({ notificationKey: 'sale-1#fan-42#SMS', status: 'delivered' });
    expect(event.errorCode).toBeUndefined();
    expect(() => statusEventFromCallback(CALLBACK, 'https://hooks.example.com/status', NOW)).toThrow(
      InvalidStatusEventError,
    );
  });

  it('gives the same eventId to a repeated callback (idempotency)', () => {
    const a = fromTwilioCallback(CALLBACK, 'k', NOW);
    const b = fromTwilioCallback(CALLBACK, 'k', new Date());
    expect(a.eventId).toBe(b.eventId);
  });

  it('round-trips through a Kinesis record', () => {
    const event = fromTwilioCallback(CALLBACK, 'sale-1#fan-42#SMS', NOW);
    const record = toKinesisRecord(event);

    expect(record.PartitionKey).toBe(event.messageSid);
    expect(parseStatusEvent(record.Data)).toEqual(event);
    expect(parseStatusEvent(new TextDecoder().decode(record.Data))).toEqual(event);
  });

  it('rejects records with unknown statuses, extra fields (like To) or no key, without echoing values', () => {
    const good: StatusEvent = fromTwilioCallback(CALLBACK, 'k', NOW);

    expect(() => parseStatusEvent({ ...good, status: 'bounce' })).toThrow(InvalidStatusEventError);
    expect(() => parseStatusEvent({ ...good, to: '+14165550123' })).toThrow(InvalidStatusEventError);
    expect(() => parseStatusEvent({ ...good, notificationKey: '' })).toThrow(InvalidStatusEventError);
    expect(() => parseStatusEvent('{not json')).toThrow(InvalidStatusEventError);
    try {
      parseStatusEvent({ ...good, to: '+14165550123' });
    } catch (error: unknown) {
      expect((error as Error).message).not.toContain('4165550123');
    }
  });

  it('rejects a callback with an unknown status', () => {
    expect(() => fromTwilioCallback({ ...CALLBACK, MessageStatus: 'exploded' }, 'k', NOW)).toThrow(
      InvalidStatusEventError,
    );
  });

  it('maps provider statuses onto the notification lifecycle', () => {
    const base = { eventId: 'e', messageSid: 'm', notificationKey: 'k', timestamp: NOW.toISOString() };
    const sms = (status: SmsDeliveryStatus): StatusEvent => ({ ...base, provider: 'sms', status });
    const email = (status: EmailDeliveryStatus): StatusEvent => ({ ...base, provider: 'email', status });

    expect(lifecycleStatusOf(sms('queued'))).toBeUndefined();
    expect(lifecycleStatusOf(sms('sent'))).toBe('SENT');
    expect(lifecycleStatusOf(sms('delivered'))).toBe('DELIVERED');
    expect(lifecycleStatusOf(sms('undelivered'))).toBe('FAILED');
    expect(lifecycleStatusOf(email('bounce'))).toBe('FAILED');
    expect(lifecycleStatusOf(email('complaint'))).toBeUndefined();
  });
});
