/**
 * A delivery-status record as it travels on the Kinesis stream "delivery-status" (JSON in the record's
 * data). Modeled on Twilio's status callbacks; SES events map onto the same shape. It carries our
 * notification key and the provider's message id, never a phone number or email address.
 */

import { z } from 'zod';
import {
  decodeTagValue,
  NOTIFICATION_KEY_TAG,
  type SesEvent,
  sesEventSchema,
} from '#shared/clients/ses-event';
import { notificationKeyFromUrl } from '#shared/clients/sms-client';
import type { NotificationStatus } from '#shared/domain/model';
import { pipelineClock } from '#shared/time/clock';

export const SMS_DELIVERY_STATUSES = [
  'accepted',
  'scheduled',
  'queued',
  'sending',
  'sent',
  'delivered',
  'undelivered',
  'failed',
  'read',
  'canceled',
] as const;
export const EMAIL_DELIVERY_STATUSES = ['send', 'delivery', 'bounce', 'complaint', 'reject'] as const;
export type SmsDeliveryStatus = (typeof SMS_DELIVERY_STATUSES)[number];
export type EmailDeliveryStatus = (typeof EMAIL_DELIVERY_STATUSES)[number];

const common = {
  /** Unique id of this status event (deterministic: provider, message and status), for idempotency. */
  eventId: z.string().min(1),
  messageSid: z.string().min(1),
  notificationKey: z.string().min(1),
  errorCode: z.union([z.number(), z.string()]).optional(),
  timestamp: z.iso.datetime({ offset: true }),
  segments: z.number().int().positive().optional(),
};

export const statusEventSchema = z.discriminatedUnion('provider', [
  z.object({ provider: z.literal('sms'), status: z.enum(SMS_DELIVERY_STATUSES), ...common }).strict(),
  z.object({ provider: z.literal('email'), status: z.enum(EMAIL_DELIVERY_STATUSES), ...common }).strict(),
]);
export type StatusEvent = z.infer<typeof statusEventSchema>;

export class InvalidStatusEventError extends Error {
  readonly issues: string[];
  constructor(message: string, issues: string[] = [], options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'InvalidStatusEventError';
    this.issues = issues;
  }
}

/** A record's data as a value: an object as it is, a JSON string or the raw bytes of a Kinesis record parsed. */
function decodeRecordData(data: unknown, what: string): unknown {
  const value = data instanceof Uint8Array ? new TextDecoder().decode(data) : data;
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch (error: unknown) {
    throw new InvalidStatusEventError(`${what} is not JSON`, [], { cause: error });
  }
}

/** Parses a record's data: an object, a JSON string, or the raw bytes of a Kinesis record. */
export function parseStatusEvent(data: unknown): StatusEvent {
  const value = decodeRecordData(data, 'status event');
  const result = statusEventSchema.safeParse(value);
  if (!result.success) {
    // Issue paths and messages only: never the offending values.
    const issues = result.error.issues.map((i) => `${i.path.join('.')}: ${i.code}`);
    throw new InvalidStatusEventError(`invalid status event (${issues.join('; ')})`, issues);
  }
  return result.data;
}

const twilioCallbackSchema = z.object({
  MessageSid: z.string().min(1),
  MessageStatus: z.enum(SMS_DELIVERY_STATUSES),
  ErrorCode: z.string().optional(),
  NumSegments: z.string().regex(/^\d+$/).optional(),
});

/**
 * A Twilio status callback's form parameters (+ our key from the StatusCallback URL's ?key=) as a
 * status event. `To`, `From` and `Body` are dropped.
 */
export function fromTwilioCallback(
  params: Record<string, string>,
  notificationKey: string,
  now: Date = pipelineClock.now(),
): StatusEvent {
  const parsed = twilioCallbackSchema.safeParse(params);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.code}`);
    throw new InvalidStatusEventError(`invalid Twilio status callback (${issues.join('; ')})`, issues);
  }
  if (!notificationKey) throw new InvalidStatusEventError('status callback without notification key');
  const p = parsed.data;
  const event: StatusEvent = {
    eventId: `sms:${p.MessageSid}:${p.MessageStatus}`,
    provider: 'sms',
    messageSid: p.MessageSid,
    notificationKey,
    status: p.MessageStatus,
    timestamp: now.toISOString(),
  };
  if (p.ErrorCode && p.ErrorCode !== '0') {
    event.errorCode = /^\d+$/.test(p.ErrorCode) ? Number(p.ErrorCode) : p.ErrorCode;
  }
  if (p.NumSegments !== undefined && Number(p.NumSegments) > 0) event.segments = Number(p.NumSegments);
  return event;
}

/** The same, taking the key from the callback URL the message was sent with (?key=...). */
export function statusEventFromCallback(
  params: Record<string, string>,
  callbackUrl: string,
  now: Date = pipelineClock.now(),
): StatusEvent {
  const key = notificationKeyFromUrl(callbackUrl);
  if (!key) throw new InvalidStatusEventError('status callback URL without ?key=');
  return fromTwilioCallback(params, key, now);
}

/** An SES event-publishing record as a status event; the key comes from the notificationKey EmailTag. */
export function fromSesEvent(input: unknown): StatusEvent {
  const parsed = sesEventSchema.safeParse(input);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.code}`);
    throw new InvalidStatusEventError(`invalid SES event (${issues.join('; ')})`, issues);
  }
  const e: SesEvent = parsed.data;
  const tag = e.mail.tags[NOTIFICATION_KEY_TAG]?.[0];
  if (!tag) throw new InvalidStatusEventError('SES event without notification key tag');
  const timestamp =
    e.delivery?.timestamp ?? e.bounce?.timestamp ?? e.complaint?.timestamp ?? e.mail.timestamp;
  const status = e.eventType.toLowerCase() as EmailDeliveryStatus;
  const event: StatusEvent = {
    eventId: `email:${e.mail.messageId}:${status}`,
    provider: 'email',
    messageSid: e.mail.messageId,
    notificationKey: decodeTagValue(tag),
    status,
    timestamp: new Date(timestamp).toISOString(),
  };
  if (e.bounce)
    event.errorCode = `${e.bounce.bounceType}${e.bounce.bounceSubType ? `:${e.bounce.bounceSubType}` : ''}`;
  return event;
}

/** The Kinesis record for an event: partitioned by message so one message's statuses stay in order. */
export function toKinesisRecord(event: StatusEvent): { Data: Uint8Array; PartitionKey: string } {
  return { Data: new TextEncoder().encode(JSON.stringify(event)), PartitionKey: event.messageSid };
}

/**
 * Where a status event moves the notification lifecycle; undefined when it moves nothing (still in
 * the provider's queue, or a complaint, which is an opt-out matter, not a delivery state).
 */
export function lifecycleStatusOf(event: StatusEvent): NotificationStatus | undefined {
  switch (event.status) {
    case 'sent':
    case 'send':
      return 'SENT';
    case 'delivered':
    case 'read':
    case 'delivery':
      return 'DELIVERED';
    case 'undelivered':
    case 'failed':
    case 'canceled':
    case 'bounce':
    case 'reject':
      return 'FAILED';
    default:
      return undefined;
  }
}

/**
 * A record of the delivery-status stream: a status event (the status webhook puts those), or an SES
 * event as EventBridge forwards it (the rule's input path is the event's detail, the SES record itself).
 */
export function parseDeliveryRecord(data: unknown): StatusEvent {
  const value = decodeRecordData(data, 'status record');
  if (typeof value === 'object' && value !== null && 'eventType' in value && 'mail' in value) {
    return fromSesEvent(value);
  }
  return parseStatusEvent(value);
}
