import type { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { type SesSandbox, startSesSandbox } from '#local/sandboxes/ses';
import { EmailClient, SANDBOX_RECIPIENT_NOT_VERIFIED } from '#shared/clients/email-client';
import {
  ProviderRateLimitedError,
  ProviderRejectedError,
  ProviderTimeoutError,
  ProviderUnavailableError,
} from '#shared/clients/errors';
import { decodeTagValue, NOTIFICATION_KEY_TAG, type SesEvent } from '#shared/clients/ses-event';
import { fromSesEvent } from '#shared/delivery/status-event';
import { emailTemplateName, renderEmail } from '#shared/messages/email';
import { EMAIL_TEMPLATES } from '#shared/messages/email-templates';
import { localSesClient, thrown } from '#test/helpers/clients';
import { makeEvent, makeSale } from '#test/helpers/message-factories';

const KEY = 'sale-1#fan-42#EMAIL';

describe('EmailClient against the SES v2 sandbox', () => {
  let sandbox: SesSandbox;
  let ses: SESv2Client;
  const events: SesEvent[] = [];

  beforeAll(async () => {
    sandbox = await startSesSandbox({
      onEvent: async (e) => {
        events.push(e);
      },
      events: { delayMs: 5 },
    });
    ses = localSesClient(sandbox.url);
  });
  afterAll(async () => {
    ses.destroy();
    await sandbox.stop();
  });
  beforeEach(async () => {
    await sandbox.idle();
    sandbox.setFaults({});
    sandbox.resetCounters();
    sandbox.emails.length = 0;
    events.length = 0;
  });

  const client = (timeoutMs?: number) =>
    new EmailClient({
      ses,
      fromEmailAddress: 'reminders@example.com',
      configurationSetName: 'dmd-dev',
      ...(timeoutMs === undefined ? {} : { timeoutMs }),
    });
  const input = {
    to: 'fan@example.org',
    templateName: 'onsale-reminder-en-us',
    templateData: { artist: 'Hamilton', saleTime: '10:00 AM CST' },
    notificationKey: KEY,
  };

  it('sends a templated email and returns the SES message id', async () => {
    const { messageId } = await client().send(input);

    expect(messageId).toMatch(/^010001[0-9a-f]{12}-/);
    const [email] = sandbox.emails;
    expect(email).toMatchObject({
      messageId,
      to: 'fan@example.org',
      from: 'reminders@example.com',
      template: 'onsale-reminder-en-us',
      templateData: { artist: 'Hamilton', saleTime: '10:00 AM CST' },
      configurationSetName: 'dmd-dev',
    });
    expect(decodeTagValue(email?.tags[NOTIFICATION_KEY_TAG] ?? '')).toBe(KEY);
  });

  it('sends the one-click unsubscribe headers (RFC 8058) and the visible link, rendered as SES renders the template', async () => {
    const template = EMAIL_TEMPLATES.find((t) => t.name === emailTemplateName('fr-ca'));
    if (!template) throw new Error('no fr-ca template');
    const name = `unsubscribe-test-${emailTemplateName('fr-ca')}`;
    sandbox.templates.set(name, { Subject: template.subject, Html: template.html, Text: template.text });
    const { variables } = renderEmail({
      event: makeEvent({ artists: [{ id: 'a', name: 'Simon & <Garfunkel>' }] }),
      sale: makeSale({ name: 'Citi® Cardmember Presale' }),
      locale: 'fr-ca',
      brand: 'ticketmaster',
      shortUrl: 'https://tmev.co/abc1234',
    });
    const unsubscribeUrl = 'https://hooks.example.com/email/unsubscribe?t=ab12.1800000000.sig';

    await client().send({
      to: 'fan@example.org',
      templateName: name,
      templateData: { ...variables },
      notificationKey: KEY,
      unsubscribeUrl,
    });

    const email = sandbox.emails.at(-1);
    expect(email?.headers).toEqual({
      'List-Unsubscribe': `<${unsubscribeUrl}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    });
    // SES does not escape variables: the HTML holds the pre-escaped ones, once escaped, never raw.
    expect(email?.rendered?.html).toContain(
      `<a href="${unsubscribeUrl}" style="color: #646f7a;">Se désabonner de ces rappels</a>`,
    );
    expect(email?.rendered?.html).toContain('Simon &amp; &lt;Garfunkel&gt;');
    expect(email?.rendered?.html).not.toContain('<Garfunkel>');
    expect(email?.rendered?.html).not.toContain('&amp;amp;');
    expect(email?.rendered?.text).toContain(`Se désabonner de ces rappels: ${unsubscribeUrl}`);
    expect(email?.rendered?.subject).toContain('Prévente Citi pour Simon & <Garfunkel>');
  });

  it('sends no unsubscribe header and no link when none is given', async () => {
    await client().send(input);
    expect(sandbox.emails.at(-1)?.headers).toEqual({});
  });

  it('publishes Send then Delivery events that become status events with our key and no address', async () => {
    const { messageId } = await client().send(input);
    await sandbox.idle();

    expect(events.map((e) => e.eventType)).toEqual(['Send', 'Delivery']);
    const statuses = events.map((e) => fromSesEvent(e));
    expect(statuses.map((s) => s.status)).toEqual(['send', 'delivery']);
    expect(statuses[1]).toMatchObject({ provider: 'email', messageSid: messageId, notificationKey: KEY });
    expect(JSON.stringify(statuses)).not.toContain('fan@example.org');
  });

  it('bounces mail to the simulator bounce address', async () => {
    await client().send({ ...input, to: 'bounce@simulator.amazonses.com' });
    await sandbox.idle();
    const status = fromSesEvent(events[1]);
    expect(status).toMatchObject({ status: 'bounce', errorCode: 'Permanent:General' });
  });

  it('maps throttling to ProviderRateLimitedError', async () => {
    sandbox.setFaults({ throttleRate: 1 });
    const error = await thrown(() => client().send(input));
    expect(error).toBeInstanceOf(ProviderRateLimitedError);
    expect(error).toMatchObject({ provider: 'email', code: 'TooManyRequestsException', httpStatus: 429 });
  });

  it('maps MessageRejected to a permanent ProviderRejectedError without the address', async () => {
    sandbox.setFaults({ rejectRate: 1 });
    const error = await thrown(() => client().send(input));
    expect(error).toBeInstanceOf(ProviderRejectedError);
    expect(error).toMatchObject({ code: 'MessageRejected', retryable: false, httpStatus: 400 });
    expect((error as Error).message).not.toContain('fan@example.org');
  });

  it('maps a 500 to ProviderUnavailableError', async () => {
    sandbox.setFaults({ rate500: 1 });
    const error = await thrown(() => client().send(input));
    expect(error).toBeInstanceOf(ProviderUnavailableError);
    expect(error).toMatchObject({ retryable: true, httpStatus: 500 });
  });

  it('times out with ProviderTimeoutError', async () => {
    sandbox.setFaults({ latencyMs: 300 });
    const error = await thrown(() => client(50).send(input));
    expect(error).toBeInstanceOf(ProviderTimeoutError);
  });
});

describe('EmailClient template names', () => {
  it("sends with the stage's template name (prefix + locale template), as the stage created it in SES", async () => {
    const sent: SendEmailCommand[] = [];
    const ses = {
      send: async (command: SendEmailCommand) => {
        sent.push(command);
        return { MessageId: 'm-1' };
      },
    } as unknown as SESv2Client;
    const client = new EmailClient({
      ses,
      fromEmailAddress: 'reminders@example.com',
      templatePrefix: 'dev-',
    });

    await client.send({
      to: 'fan@example.org',
      templateName: 'onsale-reminder-fr-ca',
      templateData: {},
      notificationKey: KEY,
    });

    expect(sent[0]?.input.Content?.Template?.TemplateName).toBe('dev-onsale-reminder-fr-ca');
  });
});

describe('EmailClient in an SES sandbox account', () => {
  const ACCOUNT = '123456789012';
  /** What the SDK throws: the error's name, SES's or IAM's message (quoting addresses), the HTTP status. */
  const sdkError = (name: string, message: string, httpStatusCode: number) =>
    Object.assign(new Error(message), { name, $metadata: { httpStatusCode } });
  const iamDenied = (identity: string) =>
    sdkError(
      'AccessDeniedException',
      `User \`arn:aws:sts::${ACCOUNT}:assumed-role/dev-send-page-role/dev-send-page' is not authorized to perform \`ses:SendEmail' on resource \`arn:aws:ses:us-east-1:${ACCOUNT}:identity/${identity}'`,
      403,
    );
  const notVerified = sdkError(
    'MessageRejected',
    'Email address is not verified. The following identities failed the check in region US-EAST-1: fan@example.org',
    400,
  );
  const failing = (error: Error) => ({ send: async () => Promise.reject(error) }) as unknown as SESv2Client;
  const send = (error: Error, sandbox: boolean) =>
    thrown(() =>
      new EmailClient({ ses: failing(error), fromEmailAddress: 'reminders@dev.example.com', sandbox }).send({
        to: 'fan@example.org',
        templateName: 'onsale-reminder-en-us',
        templateData: {},
        notificationKey: KEY,
      }),
    );

  it.each([
    ['IAM refuses the unverified recipient', iamDenied('fan@example.org')],
    ['SES refuses the unverified recipient', notVerified],
  ])('%s: that notification fails as SandboxRecipientNotVerified, without the address', async (_, error) => {
    const failure = await send(error, true);

    expect(failure).toBeInstanceOf(ProviderRejectedError);
    expect(failure).toMatchObject({ code: SANDBOX_RECIPIENT_NOT_VERIFIED });
    expect(String(failure)).not.toContain('fan@example.org');
    expect(JSON.stringify(failure)).not.toContain('fan@example.org');
  });

  it("a denial on the sender's own identity is not a sandbox refusal", async () => {
    const failure = await send(iamDenied('dev.example.com'), true);
    expect(failure).toMatchObject({ code: 'AccessDeniedException' });
  });

  it('out of the sandbox the same denial keeps its own code', async () => {
    const failure = await send(iamDenied('fan@example.org'), false);
    expect(failure).toMatchObject({ code: 'AccessDeniedException' });
    expect(String(failure)).not.toContain('fan@example.org');
  });
});
