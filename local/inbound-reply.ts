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

export async function postInboundReply(
  webhookUrl: string,
  reply: { from: string; body: string; to?: string },
  authToken = LOCAL_SMS_AUTH_TOKEN,
): Promise<{ status: number; body: string }> {
  const sid = `SM${randomBytes(16).toString('hex')}`;
  const params: Record<string, string> = {
    AccountSid: LOCAL_SMS_ACCOUNT_SID,
    ApiVersion: '2010-04-01',
    Body: reply.body,
    From: reply.from,
    MessageSid: sid,
    NumMedia: '0',
    NumSegments: '1',
    SmsMessageSid: sid,
    SmsSid: sid,
    SmsStatus: 'received',
    To: reply.to ?? '+15550000000',
  };
  const response = await fetch(webhookUrl, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-twilio-signature': twilioSignature(authToken, webhookUrl, params),
    },
    body: new URLSearchParams(params).toString(),
  });
  return { status: response.status, body: await response.text() };
}
