/**
 * SES event publishing records (configuration set → Kinesis/SNS/EventBridge), reduced to the fields
 * the delivery-status stream needs. Wire format: { eventType, mail: { messageId, timestamp, tags }, ... }.
 */
import { z } from 'zod';

export const SES_EVENT_TYPES = ['Send', 'Reject', 'Delivery', 'Bounce', 'Complaint'] as const;
export type SesEventType = (typeof SES_EVENT_TYPES)[number];

export const sesEventSchema = z.object({
  eventType: z.enum(SES_EVENT_TYPES),
  mail: z.object({
    timestamp: z.string(),
    messageId: z.string().min(1),
    source: z.string().optional(),
    destination: z.array(z.string()).optional(),
    /** SES keeps every EmailTag as name -> [values]. */
    tags: z.record(z.string(), z.array(z.string())).default({}),
  }),
  delivery: z.object({ timestamp: z.string() }).loose().optional(),
  bounce: z
    .object({ bounceType: z.string(), bounceSubType: z.string().optional(), timestamp: z.string() })
    .loose()
    .optional(),
  complaint: z.object({ timestamp: z.string() }).loose().optional(),
  reject: z.object({ reason: z.string().optional() }).loose().optional(),
});
export type SesEvent = z.infer<typeof sesEventSchema>;

/** The EmailTag that carries our notification key. */
export const NOTIFICATION_KEY_TAG = 'notificationKey';

/**
 * SES tag values allow only [A-Za-z0-9_-]; notification keys contain '#', so the tag holds the key
 * as base64url.
 */
export function encodeTagValue(value: string): string {
  return Buffer.from(value, 'utf8').toString('base64url');
}

export function decodeTagValue(value: string): string {
  return Buffer.from(value, 'base64url').toString('utf8');
}
