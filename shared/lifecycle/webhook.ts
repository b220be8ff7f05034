/**
 * The provider's webhooks (Twilio status callbacks and inbound messages), behind a Lambda function URL or
 * an HTTP API (payload 2.0): read the form, verify X-Twilio-Signature against the public URL the
 * provider called, then act. Responses never echo the request: its form carries phone numbers.
 */
import type { APIGatewayProxyResultV2, LambdaFunctionURLEvent } from 'aws-lambda';
import { verifyTwilioSignature } from '#shared/clients/twilio-signature';
import type { ConsentsRepository } from '#shared/data/consents-repository';
import type { OptOutsRepository } from '#shared/data/opt-outs-repository';
import { fromTwilioCallback, InvalidStatusEventError, type StatusEvent } from '#shared/delivery/status-event';
import { InvalidWebhookRequestError } from './errors';
import { type InboundReplyOutcome, type ReplyKind, recordInboundReply } from './inbound-reply';

export type WebhookEvent = Pick<
  LambdaFunctionURLEvent,
  'body' | 'isBase64Encoded' | 'headers' | 'rawPath' | 'rawQueryString' | 'queryStringParameters'
> & { requestContext: Pick<LambdaFunctionURLEvent['requestContext'], 'domainName'> };

export type WebhookResponse = Exclude<APIGatewayProxyResultV2, string>;

/** The empty TwiML answer: no auto-reply (the provider sends its own opt-out confirmation). */
export const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response/>';

/** TwiML answering with one SMS (https://www.twilio.com/docs/messaging/twiml/message). */
export function messageTwiml(text: string): string {
  const escaped = text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&apos;');
  return `<?xml version="1.0" encoding="UTF-8"?><Response><Message>${escaped}</Message></Response>`;
}

/** The form parameters of a provider request (application/x-www-form-urlencoded). */
export function formParams(event: WebhookEvent): Record<string, string> {
  if (event.body === undefined || event.body === '') throw new InvalidWebhookRequestError('empty body');
  const type = event.headers['content-type'] ?? '';
  if (!type.toLowerCase().startsWith('application/x-www-form-urlencoded')) {
    throw new InvalidWebhookRequestError('expected a form (application/x-www-form-urlencoded)');
  }
  const text = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  return Object.fromEntries(new URLSearchParams(text));
}

/**
 * The URLs the provider may have signed. With a configured public URL (the StatusCallback base, or the
 * number's webhook URL), that URL's origin and path with the query string received; without one, the
 * URL rebuilt from the request (scheme from X-Forwarded-Proto, both when absent).
 */
export function signedUrlCandidates(event: WebhookEvent, configuredUrl?: string): string[] {
  const query = event.rawQueryString ? `?${event.rawQueryString}` : '';
  if (configuredUrl) {
    const url = new URL(configuredUrl);
    return [`${url.origin}${url.pathname}${query}`];
  }
  const host = event.headers.host ?? event.requestContext.domainName;
  const proto = event.headers['x-forwarded-proto'];
  const schemes = proto ? [proto] : ['https', 'http'];
  return schemes.map((scheme) => `${scheme}://${host}${event.rawPath}${query}`);
}

export function isSignedByProvider(
  event: WebhookEvent,
  params: Record<string, string>,
  authToken: string,
  configuredUrl?: string,
): boolean {
  const signature = event.headers['x-twilio-signature'];
  return signedUrlCandidates(event, configuredUrl).some((url) =>
    verifyTwilioSignature(authToken, url, params, signature),
  );
}

function text(statusCode: number, message: string): WebhookResponse {
  return { statusCode, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: message };
}

type Rejection = { kind: 'forbidden' | 'invalid'; reason: string; response: WebhookResponse };

/** The form of a provider webhook, once parsed and its signature checked; else the answer to give. */
function verifiedForm(
  event: WebhookEvent,
  authToken: string,
  url: string | undefined,
): { params: Record<string, string> } | { rejected: Rejection } {
  let params: Record<string, string>;
  try {
    params = formParams(event);
  } catch (error: unknown) {
    if (!(error instanceof InvalidWebhookRequestError)) throw error;
    return { rejected: { kind: 'invalid', reason: error.message, response: text(400, error.message) } };
  }
  if (!isSignedByProvider(event, params, authToken, url)) {
    return {
      rejected: { kind: 'forbidden', reason: 'bad signature', response: text(403, 'invalid signature') },
    };
  }
  return { params };
}

export interface StatusCallbackDeps {
  authToken: string;
  /** SMS_STATUS_CALLBACK_URL: the base every message's StatusCallback was built from. */
  callbackUrl: string;
  /** Puts the event on the delivery-status stream. */
  put: (event: StatusEvent) => Promise<void>;
  now: () => Date;
}

export type StatusCallbackOutcome =
  | { kind: 'accepted'; event: StatusEvent; response: WebhookResponse }
  | { kind: 'forbidden' | 'invalid'; reason: string; response: WebhookResponse };

/** A status callback: 204 once the status is on the stream; 403 unsigned; 400 malformed. */
export async function handleStatusCallback(
  event: WebhookEvent,
  deps: StatusCallbackDeps,
): Promise<StatusCallbackOutcome> {
  const verified = verifiedForm(event, deps.authToken, deps.callbackUrl);
  if ('rejected' in verified) return verified.rejected;
  const { params } = verified;
  // From the very query string the signature covered.
  const key = new URLSearchParams(event.rawQueryString ?? '').get('key');
  if (!key) {
    const reason = 'status callback without ?key= (notification key)';
    return { kind: 'invalid', reason, response: text(400, reason) };
  }
  let status: StatusEvent;
  try {
    status = fromTwilioCallback(params, key, deps.now());
  } catch (error: unknown) {
    if (!(error instanceof InvalidStatusEventError)) throw error;
    // The message names fields and issue codes only, never values.
    return { kind: 'invalid', reason: error.message, response: text(400, error.message) };
  }
  await deps.put(status);
  return { kind: 'accepted', event: status, response: { statusCode: 204 } };
}

export interface InboundMessageDeps {
  authToken: string;
  /** The number's public webhook URL, when known; otherwise rebuilt from the request. */
  webhookUrl?: string;
  optOuts: Pick<OptOutsRepository, 'add' | 'removeOwnStop'>;
  consents: Pick<ConsentsRepository, 'byContact' | 'confirm'>;
  now: () => Date;
}

export type InboundMessageOutcome =
  | { kind: 'recorded'; reply: ReplyKind; outcome: InboundReplyOutcome; response: WebhookResponse }
  | { kind: 'forbidden' | 'invalid'; reason: string; response: WebhookResponse };

/** An inbound SMS: STOP-like replies go to the opt-out table, YES confirms; HELP and the rest answered in TwiML. */
export async function handleInboundMessage(
  event: WebhookEvent,
  deps: InboundMessageDeps,
): Promise<InboundMessageOutcome> {
  const verified = verifiedForm(event, deps.authToken, deps.webhookUrl);
  if ('rejected' in verified) return verified.rejected;
  const { params } = verified;
  const from = params.From;
  if (!from || params.Body === undefined) {
    const reason = 'inbound message without From or Body';
    return { kind: 'invalid', reason, response: text(400, reason) };
  }
  const outcome = await recordInboundReply(
    { from, body: params.Body, ...(params.OptOutType ? { optOutType: params.OptOutType } : {}) },
    deps,
  );
  return {
    kind: 'recorded',
    reply: outcome.kind,
    outcome,
    response: {
      statusCode: 200,
      headers: { 'content-type': 'text/xml' },
      body: outcome.answer ? messageTwiml(outcome.answer) : EMPTY_TWIML,
    },
  };
}
