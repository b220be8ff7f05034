import {
  CreateEmailTemplateCommand,
  GetEmailTemplateCommand,
  type SESv2Client,
  SendEmailCommand,
} from '@aws-sdk/client-sesv2';
import { type BitlySandbox, shortCode, startBitlySandbox } from '#local/sandboxes/bitly';
import { type SesSandbox, startSesSandbox } from '#local/sandboxes/ses';
import { localSesClient } from '#test/helpers/clients';

describe('Bitly sandbox', () => {
  let sandbox: BitlySandbox;
  beforeAll(async () => {
    sandbox = await startBitlySandbox();
  });
  afterAll(() => sandbox.stop());

  const shorten = (body: unknown, token = sandbox.token) =>
    fetch(`${sandbox.baseUrl}/shorten`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  it('answers 201 the first time, 200 afterwards, with Bitly’s bitlink shape', async () => {
    const longUrl = 'https://www.livenation.com/event/123';
    const first = await shorten({ long_url: longUrl });
    const second = await shorten({ long_url: longUrl });

    expect(first.status).toBe(201);
    expect(second.status).toBe(200);
    const body = (await first.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      id: `bit.ly/${shortCode('bit.ly', longUrl)}`,
      link: `https://bit.ly/${shortCode('bit.ly', longUrl)}`,
      long_url: longUrl,
      archived: false,
    });
    expect(await second.json()).toEqual(body);
  });

  it('answers 403 FORBIDDEN for a wrong token', async () => {
    const res = await shorten({ long_url: 'https://x.example' }, 'nope');
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ message: 'FORBIDDEN', resource: 'bitlinks' });
  });
});

describe('SES v2 sandbox', () => {
  let sandbox: SesSandbox;
  let ses: SESv2Client;
  beforeAll(async () => {
    sandbox = await startSesSandbox({ strictTemplates: true });
    ses = localSesClient(sandbox.url);
  });
  afterAll(async () => {
    ses.destroy();
    await sandbox.stop();
  });

  const send = (templateName: string) =>
    ses.send(
      new SendEmailCommand({
        FromEmailAddress: 'reminders@example.com',
        Destination: { ToAddresses: ['fan@example.org'] },
        Content: { Template: { TemplateName: templateName, TemplateData: '{"artist":"X"}' } },
      }),
    );

  it('creates and gets templates, and refuses sends to unknown templates when strict', async () => {
    await expect(send('reminder')).rejects.toMatchObject({ name: 'NotFoundException' });

    await ses.send(
      new CreateEmailTemplateCommand({
        TemplateName: 'reminder',
        TemplateContent: { Subject: 'On sale soon: {{artist}}', Text: 'Hi' },
      }),
    );
    const got = await ses.send(new GetEmailTemplateCommand({ TemplateName: 'reminder' }));
    expect(got.TemplateContent?.Subject).toBe('On sale soon: {{artist}}');
    await expect(
      ses.send(
        new CreateEmailTemplateCommand({ TemplateName: 'reminder', TemplateContent: { Subject: 's' } }),
      ),
    ).rejects.toMatchObject({ name: 'AlreadyExistsException' });

    const out = await send('reminder');
    expect(out.MessageId).toBe(sandbox.emails.at(-1)?.messageId);
    expect(sandbox.counters.sent).toBe(1);
  });
});
