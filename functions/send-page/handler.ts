/** SendPage: lease, hand to the SMS/email provider at the iteration's pace, record QUEUED/retry/FAILED. */
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { sesClient } from '#shared/aws/clients';
import { metricNames } from '#shared/catalog';
import { EmailClient } from '#shared/clients/email-client';
import { SmsClient } from '#shared/clients/sms-client';
import { emailEnv, loadConfig, smsEnv, unsubscribeEnv } from '#shared/config/env';
import { ConfigurationError } from '#shared/config/errors';
import { contactHashKeyReady, lazySecret, once } from '#shared/config/secrets';
import { tallyProgress } from '#shared/data/tallies-repository';
import { hashContact, normalizeContact } from '#shared/domain/contacts';
import { repositories, windowSettings } from '#shared/lambda/dependencies';
import { idempotent } from '#shared/lambda/idempotency';
import { metrics } from '#shared/lambda/observability';
import { stepHandler } from '#shared/lambda/step-handler';
import { pipelineClock } from '#shared/time/clock';
import { checkedUnsubscribeSecret, unsubscribeUrl } from '#shared/unsubscribe/signed-link';
import { sendPage } from '#shared/window/send-page';
import { type PageLoopState, pageLogKeys, pageLoopSchema } from '#shared/window/state';
import type { ProviderSenders } from '#shared/window/stores';

const METRIC = metricNames('send-page');

const sms = loadConfig(smsEnv);
const email = loadConfig(emailEnv);
const { SEND_TIMEOUT_MS } = windowSettings();
const unsubscribe = loadConfig(unsubscribeEnv);
if (!unsubscribe.UNSUBSCRIBE_BASE_URL) {
  // Bulk email without a one-click unsubscribe is refused by large mailbox providers and by CASL.
  throw new ConfigurationError(['UNSUBSCRIBE_BASE_URL: not set (the unsubscribe link of every email)']);
}
const unsubscribeBase = unsubscribe.UNSUBSCRIBE_BASE_URL;
const unsubscribeSecret = lazySecret(unsubscribe, 'UNSUBSCRIBE_SECRET');
const { demand, notifications, optOuts, events, tallies } = repositories(
  'demand',
  'notifications',
  'optOuts',
  'events',
  'tallies',
);

const authToken = lazySecret(sms, 'SMS_AUTH_TOKEN');
const senders = once(async (): Promise<ProviderSenders> => {
  const smsClient = new SmsClient({
    baseUrl: sms.SMS_BASE_URL,
    accountSid: sms.SMS_ACCOUNT_SID,
    authToken: await authToken(),
    messagingServiceSid: sms.SMS_MESSAGING_SERVICE_SID,
    statusCallbackUrl: sms.SMS_STATUS_CALLBACK_URL,
    timeoutMs: SEND_TIMEOUT_MS,
  });
  const emailClient = new EmailClient({
    ses: sesClient(),
    fromEmailAddress: email.EMAIL_FROM,
    timeoutMs: SEND_TIMEOUT_MS,
    templatePrefix: email.EMAIL_TEMPLATE_PREFIX,
    sandbox: email.EMAIL_SANDBOX,
    ...(email.EMAIL_CONFIGURATION_SET ? { configurationSetName: email.EMAIL_CONFIGURATION_SET } : {}),
  });
  return {
    sms: async (input) => ({ messageId: (await smsClient.send(input)).sid }),
    findSms: async (input) => {
      const found = await smsClient.findSent(input);
      return found ? { messageId: found.sid } : undefined;
    },
    email: (input) => emailClient.send(input),
  };
});

/** The signed unsubscribe link of a recipient, valid UNSUBSCRIBE_LINK_DAYS from the send. */
const unsubscribeLink = once(async (): Promise<(contact: string) => string> => {
  const secret = checkedUnsubscribeSecret(await unsubscribeSecret());
  return (contact) =>
    unsubscribeUrl(
      unsubscribeBase,
      // The hash RenderPage checks opt-outs with: of the normalized address.
      hashContact(normalizeContact('EMAIL', contact)),
      secret,
      pipelineClock.now(),
      unsubscribe.UNSUBSCRIBE_LINK_DAYS,
    );
});

const sendOnce = idempotent(
  async (state: PageLoopState) =>
    sendPage(state, {
      demand,
      notifications,
      optOuts,
      events,
      senders: await senders(),
      clock: pipelineClock,
      unsubscribeLink: await unsubscribeLink(),
    }),
  {
    // One page round of one shard of one sale of one window (executionName is the window's run name), with
    // the fans it sends and the counts it carries: a retried or redriven invocation (the same input) returns
    // the stored result; another run of the window renders other input (the records exist, nothing to send)
    // and runs, handing nothing to the provider twice.
    eventKeyJmesPath: '[saleId, shard, page, round, executionName, send, totals]',
    expiresAfterSeconds: 24 * 3600,
  },
);

export const handler = stepHandler({
  what: 'SendPage input',
  schema: pageLoopSchema,
  correlate: (input) => ({ ...pageLogKeys(input), round: input.round }),
  run: async (input, context) => {
    await contactHashKeyReady();
    sendOnce.registerLambdaContext(context);
    const before = input.totals;
    const next = await sendOnce(input);
    // The shard's counts so far go to the tallies table (Summarize reads them there, not from the state).
    if (input.run) {
      await tallies.record(
        {
          run: input.run,
          saleId: input.saleId,
          pass: input.pass,
          shard: input.shard,
          progress: tallyProgress(input.page, input.round),
          totals: next.totals,
        },
        pipelineClock.now(),
      );
    }
    metrics.addMetric(METRIC.NotificationsQueued, MetricUnit.Count, next.totals.queued - before.queued);
    metrics.addMetric(METRIC.NotificationsFailed, MetricUnit.Count, next.totals.failed - before.failed);
    metrics.addMetric(METRIC.SendRetries, MetricUnit.Count, next.totals.retried - before.retried);
    return next;
  },
});
