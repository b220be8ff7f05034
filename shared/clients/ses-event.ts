/**
 * SES event publishing records (configuration set → Kinesis/SNS/EventBridge), reduced to the fields
 * the delivery-status stream needs. Wire format: { eventType, mail: { messageId, timestamp, tags }, ... }.
 */
import { z } from 'zod';

export const SES_EVENT_TYPES = ['Send', 'Reject', 'Delivery', 'Bounce', 'Complaint'] as const;
export type SesEventType = (typeof SES_EVENT_TYPES)[number];

/** An event section the input transformer filled with nulls (the event has no such section): absent. */
const section = <S extends z.ZodType>(schema: S) =>
  z.preprocess(
    (value) =>
      value !== null &&
      typeof value === 'object' &&
      Object.values(value as Record<string, unknown>).every((v) => v === null || v === undefined)
        ? undefined
        : value,
    schema.optional(),
  );

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
  delivery: section(z.object({ timestamp: z.string() }).loose()),
  bounce: section(
    z.object({ bounceType: z.string(), bounceSubType: z.string().nullish(), timestamp: z.string() }).loose(),
  ),
  complaint: section(z.object({ timestamp: z.string() }).loose()),
  reject: section(z.object({ reason: z.string().nullish() }).loose()),
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

/**
 * The EventBridge input transformer of the rule that puts SES events on the delivery-status stream: it
 * keeps the fields the status updater reads and no recipient address (SES events carry them in
 * mail.destination, mail.commonHeaders, delivery.recipients, bounce.bouncedRecipients and
 * complaint.complainedRecipients). A path the event lacks becomes null in the template, which the schema
 * above reads as an absent section. https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-transform-target-input.html
 * SES event fields: https://docs.aws.amazon.com/ses/latest/dg/event-publishing-retrieving-firehose-contents.html
 */
export const SES_EVENT_INPUT_TRANSFORMER = {
  inputPaths: {
    eventType: '$.detail.eventType',
    messageId: '$.detail.mail.messageId',
    mailTimestamp: '$.detail.mail.timestamp',
    tags: '$.detail.mail.tags',
    deliveryTimestamp: '$.detail.delivery.timestamp',
    bounceType: '$.detail.bounce.bounceType',
    bounceSubType: '$.detail.bounce.bounceSubType',
    bounceTimestamp: '$.detail.bounce.timestamp',
    complaintTimestamp: '$.detail.complaint.timestamp',
    rejectReason: '$.detail.reject.reason',
  },
  inputTemplate:
    '{"eventType": <eventType>, "mail": {"messageId": <messageId>, "timestamp": <mailTimestamp>, "tags": <tags>}, ' +
    '"delivery": {"timestamp": <deliveryTimestamp>}, ' +
    '"bounce": {"bounceType": <bounceType>, "bounceSubType": <bounceSubType>, "timestamp": <bounceTimestamp>}, ' +
    '"complaint": {"timestamp": <complaintTimestamp>}, "reject": {"reason": <rejectReason>}}',
} as const;

/**
 * What EventBridge makes of `event` with a transformer whose template is JSON with unquoted placeholders:
 * each <name> becomes the JSON value at its path, null where the event has none. Used by the local stack
 * (SES sandbox → stream) so the stream sees locally what it sees on AWS.
 */
export function applyInputTransformer(
  event: unknown,
  transformer: { inputPaths: Record<string, string>; inputTemplate: string },
): string {
  return transformer.inputTemplate.replace(/<([A-Za-z0-9_-]+)>/g, (_match, name: string) => {
    const path = transformer.inputPaths[name];
    if (path === undefined) throw new Error(`input template names <${name}>, which no input path defines`);
    let value: unknown = event;
    for (const part of path
      .replace(/^\$\.?/, '')
      .split('.')
      .filter(Boolean)) {
      value =
        value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[part] : undefined;
    }
    return JSON.stringify(value ?? null);
  });
}
