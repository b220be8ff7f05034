/**
 * Sends the consent confirmations of the API: the SMS through the Messages API (no status callback: a
 * confirmation is not a notification), the email through SES v2 SendEmail with simple content (subject
 * and text; https://docs.aws.amazon.com/ses/latest/APIReference-V2/API_SendEmail.html).
 */
import { type SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { mapSesError } from '#shared/clients/email-client';
import type { SmsClient } from '#shared/clients/sms-client';
import type { ConfirmationSender } from './consent';

export function confirmationSender(options: {
  sms: Pick<SmsClient, 'send'>;
  ses: SESv2Client;
  fromEmailAddress: string;
  timeoutMs?: number;
}): ConfirmationSender {
  const timeoutMs = options.timeoutMs ?? 10_000;
  return {
    async sms(to, body) {
      await options.sms.send({ to, body });
    },
    async email(to, message) {
      const command = new SendEmailCommand({
        FromEmailAddress: options.fromEmailAddress,
        Destination: { ToAddresses: [to] },
        Content: {
          Simple: {
            Subject: { Data: message.subject, Charset: 'UTF-8' },
            Body: { Text: { Data: message.text, Charset: 'UTF-8' } },
          },
        },
      });
      try {
        await options.ses.send(command, { abortSignal: AbortSignal.timeout(timeoutMs) });
      } catch (error: unknown) {
        throw mapSesError(error, timeoutMs);
      }
    },
  };
}
