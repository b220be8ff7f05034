/**
 * Sign-ups as an attacker and as a fan would make them, over HTTP on `npm run api`'s server: the local
 * issuer's tokens, the resolver Lambda handler, dynalite, the SMS sandbox and its inbound webhook, and a
 * window run on the real state machine afterwards.
 */
import type { ApiServer } from '#local/api/server';
import { postInboundReply } from '#local/inbound-reply';
import { type Session, startSession } from '#local/session';
import { hashContact } from '#shared/domain/contacts';
import { notificationKey } from '#shared/domain/keys';
import { postGraphql, startApiHandlerServer } from '#test/helpers/graphql';
import { DEMO_WINDOW, US_EVENT } from '#test/helpers/window';

const SIGN_UP =
  'mutation S($input: RequestReminderInput!) { requestReminder(input: $input) { fanId maskedContact created consent } }';

describe('sign-ups only the fan can make, with consent and limits', () => {
  let session: Session;
  let server: ApiServer;

  beforeAll(async () => {
    session = await startSession({ prefix: 'dmd-consent', shardCount: 2 });
    server = await startApiHandlerServer();
  }, 60_000);

  afterAll(async () => {
    await server?.stop();
    await session?.stop();
  });

  const graphql = (query: string, variables: Record<string, unknown> = {}, fanId?: string) =>
    postGraphql(server.url, query, variables, fanId);
  const signUp = (fanId: string | undefined, contact: string, eventId = US_EVENT) =>
    graphql(SIGN_UP, { input: { eventId, channel: 'SMS', contact, locale: 'EN_US' } }, fanId);

  it('an anonymous mutation is refused and changes nothing', async () => {
    const answer = await signUp(undefined, '(212) 736-4501');

    expect(answer.data).toBeNull();
    expect(answer.errors?.[0]).toMatchObject({ errorType: 'Unauthorized', path: ['requestReminder'] });
    expect(await session.repos.demand.byFan('fan-anon')).toEqual([]);
    expect(session.stack.sandboxes.sms.messagesTo('+12127364501')).toHaveLength(0);
  });

  it('fan A can neither see nor change fan B’s sign-up', async () => {
    const b = await signUp('fan-b', '(212) 736-4502');
    expect(b.data?.requestReminder).toMatchObject({ fanId: 'fan-b', created: true });

    const status = await graphql(
      `{ reminderStatus(eventId: "${US_EVENT}") { fanId signUps { maskedContact } } }`,
      {},
      'fan-a',
    );
    const cancel = await graphql(
      `mutation { cancelReminder(input: {eventId: "${US_EVENT}", channel: SMS}) { fanId cancelled } }`,
      {},
      'fan-a',
    );
    // Signing up B's number for the same event under A: refused, B's sign-up stays as it was.
    const takeOver = await signUp('fan-a', '+1 212 736 4502');
    // A fanId in the input is not part of the schema at all.
    const forged = await graphql(
      `mutation { requestReminder(input: {eventId: "${US_EVENT}", fanId: "fan-b", channel: SMS, contact: "2127364599"}) { fanId } }`,
      {},
      'fan-a',
    );

    expect(status.data?.reminderStatus).toEqual({ fanId: 'fan-a', signUps: [] });
    expect(cancel.data?.cancelReminder).toEqual({ fanId: 'fan-a', cancelled: false });
    expect(takeOver.errors?.[0]).toMatchObject({
      errorType: 'LimitExceeded',
      errorInfo: { reason: 'CONTACT_EVENT_LIMIT' },
    });
    expect(forged.errors?.[0]?.message).toContain('fanId');
    const bSignUps = await session.repos.demand.byFan('fan-b');
    expect(bSignUps).toEqual([expect.objectContaining({ eventId: US_EVENT, contact: '+12127364502' })]);
    expect(await session.repos.demand.byFan('fan-a')).toEqual([]);
  });

  it('50 aliased sign-ups in one request are counted one by one and limited', async () => {
    const aliases = (first: number) =>
      Array.from(
        { length: 50 },
        (_, i) =>
          `s${i}: requestReminder(input: {eventId: "${US_EVENT}", channel: SMS, contact: "+1212736${String(first + i)}"}) { consent }`,
      ).join('\n');
    const before = session.stack.sandboxes.sms.messages.length;

    const answer = await graphql(`mutation {\n${aliases(5100)}\n}`, {}, 'fan-aliases');

    // Mutation fields run one after the other; the fields are non-null, so the first refusal nulls
    // `data` and ends the request (graphql-js). The first five aliases signed up, the sixth was refused.
    expect(answer.data).toBeNull();
    expect(answer.errors).toEqual([
      expect.objectContaining({
        path: ['s5'],
        errorType: 'LimitExceeded',
        errorInfo: expect.objectContaining({ reason: 'FAN_DAILY_CONTACTS' }),
      }),
    ]);
    expect(session.stack.sandboxes.sms.messages.length - before).toBe(5);
    // One sign-up record (same fan, event, channel), holding the fifth contact.
    expect(await session.repos.demand.byFan('fan-aliases')).toEqual([
      expect.objectContaining({ contact: '+12127365104' }),
    ]);

    // The same request again: the fan's contacts for the day are used up, the first alias is refused.
    const again = await graphql(`mutation {\n${aliases(5200)}\n}`, {}, 'fan-aliases');
    expect(again.errors?.[0]).toMatchObject({ path: ['s0'], errorType: 'LimitExceeded' });
    expect(session.stack.sandboxes.sms.messages.length - before).toBe(5);
  });

  it('a new SMS contact is PENDING, gets one confirmation, is CONFIRMED after YES, and only then is reminded', async () => {
    const confirmedNumber = '+12127364567';
    const pendingNumber = '+12127364568';
    const first = await signUp('fan-yes', '(212) 736-4567');
    const again = await signUp('fan-yes', '212.736.4567');
    const other = await signUp('fan-silent', '(212) 736-4568');

    expect(first.data?.requestReminder).toMatchObject({ consent: 'PENDING', created: true });
    expect(again.data?.requestReminder).toMatchObject({ consent: 'PENDING', created: false });
    expect(other.data?.requestReminder).toMatchObject({ consent: 'PENDING' });
    const confirmations = session.stack.sandboxes.sms.messagesTo(confirmedNumber);
    expect(confirmations).toHaveLength(1);
    expect(confirmations[0]?.body).toContain('Reply YES');

    const reply = await postInboundReply(session.stack.endpoints.inboundWebhook, {
      from: confirmedNumber,
      body: 'YES',
    });
    expect(reply.status).toBe(200);
    expect(reply.body).toContain('<Message>Thanks! Your on-sale reminders are confirmed.');
    const consent = await session.repos.consents.get(hashContact(confirmedNumber), 'fan-yes');
    expect(consent).toMatchObject({
      status: 'CONFIRMED',
      source: 'sms-reply',
      locale: 'en-us',
      textVersion: expect.any(String),
      originHash: expect.stringMatching(/^[0-9a-f]{64}$/),
      requestedAt: expect.any(String),
      confirmedAt: expect.any(String),
    });
    const after = await signUp('fan-yes', '(212) 736-4567');
    expect(after.data?.requestReminder).toMatchObject({ consent: 'CONFIRMED' });

    const run = await session.run({ scheduledTime: DEMO_WINDOW });
    expect(run.status).toBe('SUCCEEDED');
    await session.settleDelivery();

    const saleId = `${US_EVENT}.presale.verified-fan-presale`;
    const reminded = await session.repos.notifications.get(notificationKey(saleId, 'fan-yes', 'SMS'));
    const skipped = await session.repos.notifications.get(notificationKey(saleId, 'fan-silent', 'SMS'));
    expect(reminded).toMatchObject({ contactHash: hashContact(confirmedNumber) });
    expect(['QUEUED', 'SENT', 'DELIVERED']).toContain(reminded?.status);
    expect(skipped).toMatchObject({ status: 'FAILED', failureReason: 'CONSENT_PENDING' });
    // The confirmed number: the confirmation, then the reminder(s); the unconfirmed one: the confirmation only.
    expect(session.stack.sandboxes.sms.messagesTo(confirmedNumber).length).toBeGreaterThan(1);
    expect(session.stack.sandboxes.sms.messagesTo(pendingNumber)).toHaveLength(1);
    const summary = run.output as { failures?: Record<string, number> } & Record<string, unknown>;
    expect(JSON.stringify(summary)).toContain('CONSENT_PENDING');
  });
});
