/**
 * A fan's SMS reply, delivered to the inbound webhook as Twilio delivers one: a signed form POST with
 * the Messaging webhook's parameters (https://www.twilio.com/docs/messaging/guides/webhook-request),
 * signed with the account's auth token (X-Twilio-Signature). `npm run local -- reply` uses it against a
 * running `npm run api`; the SMS sandbox's sendInbound does the same inside a session.
 */
import { randomBytes } from 'node:crypto';
import { twilioSignature } from '#shared/clients/twilio-signature';

/** The SMS sandbox's default account and token (local/sandboxes/sms.ts). */
export const LOCAL_SMS_ACCOUNT_SID = `AC${'0'.repeat(32)}`;
export const LOCAL_SMS_AUTH_TOKEN = 'local-sms-auth-token';

/**
 * The Messaging webhook's parameters of an incoming message `sid` (the opt-out keyword's OptOutType, when
 * the account has Advanced Opt-Out, is the caller's to add).
 */
export function replyParams(
  reply: { from: string; body: string; to?: string },
  message: { accountSid: string; sid: string; numSegments: number },
): Record<string, string> {
  return {
    AccountSid: message.accountSid,
    ApiVersion: '2010-04-01',
    Body: reply.body,
    From: reply.from,
    MessageSid: message.sid,
    NumMedia: '0',
    NumSegments: String(message.numSegments),
    SmsMessageSid: message.sid,
    SmsSid: message.sid,
    SmsStatus: 'received',
    To: reply.to ?? '+15550000000',
  };
}

/** POSTs a form signed as Twilio signs its webhooks (X-Twilio-Signature); gives up after 15 s. */
export async function postTwilioForm(
  url: string,
  params: Record<string, string>,
  authToken: string,
): Promise<{ status: number; body: string }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-twilio-signature': twilioSignature(authToken, url, params),
    },
    body: new URLSearchParams(params).toString(),
    signal: AbortSignal.timeout(15_000),
  });
  return { status: response.status, body: await response.text() };
}

export function postInboundReply(
  webhookUrl: string,
  reply: { from: string; body: string; to?: string },
  authToken = LOCAL_SMS_AUTH_TOKEN,
): Promise<{ status: number; body: string }> {
  const sid = `SM${randomBytes(16).toString('hex')}`;
  const params = replyParams(reply, { accountSid: LOCAL_SMS_ACCOUNT_SID, sid, numSegments: 1 });
  return postTwilioForm(webhookUrl, params, authToken);
}
