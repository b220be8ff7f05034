import {
  applyInputTransformer,
  SES_EVENT_INPUT_TRANSFORMER,
  sesEventSchema,
} from '#shared/clients/ses-event';

/** An SES Bounce event as EventBridge delivers it (shape of the SES event publishing examples). */
const bounce = {
  version: '0',
  source: 'aws.ses',
  'detail-type': 'Email Bounced',
  detail: {
    eventType: 'Bounce',
    bounce: {
      bounceType: 'Permanent',
      bounceSubType: 'General',
      bouncedRecipients: [
        {
          emailAddress: 'recipient@example.com',
          action: 'failed',
          status: '5.1.1',
          diagnosticCode: 'smtp; 550 5.1.1 user unknown',
        },
      ],
      timestamp: '2017-08-05T00:41:02.669Z',
      feedbackId: '01000157c44f053b-61b59c11-9236-11e6-8f96-7be8aexample-000000',
      reportingMTA: 'dsn; mta.example.com',
    },
    mail: {
      timestamp: '2017-08-05T00:40:02.012Z',
      source: 'Sender Name <sender@example.com>',
      sendingAccountId: '123456789012',
      messageId: 'EXAMPLE7c191be45-e9aedb9a-02f9-4d12-a87d-dd0099a07f8a-000000',
      destination: ['recipient@example.com'],
      headersTruncated: false,
      commonHeaders: { from: ['Sender Name <sender@example.com>'], to: ['recipient@example.com'] },
      tags: { 'ses:configuration-set': ['dev-email'], notificationKey: ['UzEjZmFuLTEjRU1BSUw'] },
    },
  },
};

describe('the SES input transformer', () => {
  it('keeps what the status updater reads and no recipient address', () => {
    const out = applyInputTransformer(bounce, SES_EVENT_INPUT_TRANSFORMER);

    expect(out).not.toContain('example.com');
    const parsed = sesEventSchema.parse(JSON.parse(out));
    expect(parsed).toMatchObject({
      eventType: 'Bounce',
      mail: {
        messageId: bounce.detail.mail.messageId,
        timestamp: '2017-08-05T00:40:02.012Z',
        tags: { notificationKey: ['UzEjZmFuLTEjRU1BSUw'] },
      },
      bounce: { bounceType: 'Permanent', bounceSubType: 'General', timestamp: '2017-08-05T00:41:02.669Z' },
    });
    // Sections the event does not have come out null and read as absent.
    expect(parsed.delivery).toBeUndefined();
    expect(parsed.complaint).toBeUndefined();
  });

  it('a Delivery event keeps its time, not its recipients', () => {
    const delivery = {
      detail: {
        eventType: 'Delivery',
        mail: { ...bounce.detail.mail },
        delivery: { timestamp: '2017-08-05T00:40:03.000Z', recipients: ['recipient@example.com'] },
      },
    };
    const out = applyInputTransformer(delivery, SES_EVENT_INPUT_TRANSFORMER);
    expect(out).not.toContain('recipient@');
    expect(sesEventSchema.parse(JSON.parse(out)).delivery).toEqual({ timestamp: '2017-08-05T00:40:03.000Z' });
  });

  it('names a placeholder no input path defines', () => {
    expect(() => applyInputTransformer({}, { inputPaths: {}, inputTemplate: '{"a": <nope>}' })).toThrow(
      /<nope>/,
    );
  });
});
