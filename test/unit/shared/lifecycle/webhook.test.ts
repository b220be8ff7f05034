import { twilioSignature } from '#shared/clients/twilio-signature';
import type { StatusEvent } from '#shared/delivery/status-event';
import { hashContact } from '#shared/domain/contacts';
import {
  EMPTY_TWIML,
  handleInboundMessage,
  handleStatusCallback,
  signedUrlCandidates,
  type WebhookEvent,
} from '#shared/lifecycle/webhook';

const TOKEN = 'test-auth-token';
const CALLBACK_BASE = 'https://hooks.example.com/sms/status';
const KEY = 'sale-1#fan-42#SMS';
const NOW = new Date('2026-11-28T10:00:05.000Z');
const PHONE = '+14165550123';

function request(url: string, params: Record<string, string>, signature?: string): WebhookEvent {
  const parsed = new URL(url);
  return {
    body: new URLSearchParams(params).toString(),
    isBase64Encoded: false,
    headers: {
      host: parsed.host,
      'content-type': 'application/x-www-form-urlencoded',
      'x-forwarded-proto': parsed.protocol.replace(':', ''),
      'x-twilio-signature': signature ?? twilioSignature(TOKEN, url, params),
    },
    rawPath: parsed.pathname,
    rawQueryString: parsed.search.replace(/^\?/, ''),
    queryStringParameters: Object.fromEntries(parsed.searchParams),
    requestContext: { domainName: parsed.host },
  };
}

const callbackUrl = () => {
  const url = new URL(CALLBACK_BASE);
  url.searchParams.set('key', KEY);
  return url.toString();
};

const STATUS = {
  AccountSid: 'AC0',
  MessageSid: 'SM0123456789abcdef0123456789abcdef',
  MessageStatus: 'delivered',
  To: PHONE,
  NumSegments: '1',
};

describe('status webhook', () => {
  const deps = (put = jest.fn().mockResolvedValue(undefined)) => ({
    authToken: TOKEN,
    callbackUrl: CALLBACK_BASE,
    put,
    now: () => NOW,
  });

  it('verifies the signature over the callback URL with its ?key= and puts the status event', async () => {
    const put = jest.fn().mockResolvedValue(undefined);
    const outcome = await handleStatusCallback(request(callbackUrl(), STATUS), deps(put));

    expect(outcome.response).toEqual({ statusCode: 204 });
    expect(put).toHaveBeenCalledWith({
      eventId: 'sms:SM0123456789abcdef0123456789abcdef:delivered',
      provider: 'sms',
      messageSid: STATUS.MessageSid,
      notificationKey: KEY,
      status: 'delivered',
      timestamp: NOW.toISOString(),
      segments: 1,
    } satisfies StatusEvent);
    expect(JSON.stringify(put.mock.calls)).not.toContain('5550123');
  });

  it('answers 403 to a bad or missing signature and puts nothing', async () => {
    const put = jest.fn();
    const forged = await handleStatusCallback(
      request(callbackUrl(), STATUS, 'bm90IGEgc2lnbmF0dXJl'),
      deps(put),
    );
    const signedForAnotherKey = request(callbackUrl(), STATUS);
    signedForAnotherKey.rawQueryString = 'key=sale-1%23fan-43%23SMS';
    const replayed = await handleStatusCallback(signedForAnotherKey, deps(put));

    expect(forged.response.statusCode).toBe(403);
    expect(replayed.response.statusCode).toBe(403);
    expect(put).not.toHaveBeenCalled();
  });

  it('answers 400 with a clear message and no contact data to a malformed callback', async () => {
    const put = jest.fn();
    const badStatus = { ...STATUS, MessageStatus: 'exploded' };
    const outcome = await handleStatusCallback(request(callbackUrl(), badStatus), deps(put));
    const noKey = await handleStatusCallback(request(CALLBACK_BASE, STATUS), deps(put));
    const notForm = request(callbackUrl(), STATUS);
    notForm.headers['content-type'] = 'application/json';
    const notFormOutcome = await handleStatusCallback(notForm, deps(put));

    expect(outcome.response.statusCode).toBe(400);
    expect(outcome.response.body).toContain('MessageStatus');
    expect(outcome.response.body).not.toContain('5550123');
    expect(noKey.response).toMatchObject({ statusCode: 400, body: expect.stringContaining('key') });
    expect(notFormOutcome.response).toMatchObject({ statusCode: 400 });
    expect(put).not.toHaveBeenCalled();
  });
});

describe('inbound webhook', () => {
  const INBOUND = 'https://hooks.example.com/sms/inbound';
  const message = (body: string) => ({
    AccountSid: 'AC0',
    From: PHONE,
    To: '+15550000000',
    Body: body,
    MessageSid: 'SM1',
  });

  it('records a STOP reply by hash and answers empty TwiML', async () => {
    const add = jest.fn().mockResolvedValue(undefined);
    const outcome = await handleInboundMessage(request(INBOUND, { ...message('STOP'), OptOutType: 'STOP' }), {
      authToken: TOKEN,
      optOuts: { add, removeOwnStop: jest.fn() },
      consents: { byContact: jest.fn(), confirm: jest.fn() },
      now: () => NOW,
    });

    expect(outcome.response).toEqual({
      statusCode: 200,
      headers: { 'content-type': 'text/xml' },
      body: EMPTY_TWIML,
    });
    expect(add).toHaveBeenCalledWith(
      expect.objectContaining({ contactHash: hashContact(PHONE), source: 'inbound-reply' }),
    );
  });

  it('answers HELP with a TwiML message', async () => {
    const outcome = await handleInboundMessage(request(INBOUND, message('Help')), {
      authToken: TOKEN,
      optOuts: { add: jest.fn(), removeOwnStop: jest.fn() },
      consents: { byContact: jest.fn(), confirm: jest.fn() },
      now: () => NOW,
    });
    expect(outcome.response.body).toMatch(
      /^<\?xml[^>]+><Response><Message>Ticketmaster\/Live Nation .*Reply STOP to end/,
    );
  });

  it('refuses an unsigned message (403) and one without From (400)', async () => {
    const add = jest.fn();
    const deps = {
      authToken: TOKEN,
      optOuts: { add, removeOwnStop: jest.fn() },
      consents: { byContact: jest.fn(), confirm: jest.fn() },
      now: () => NOW,
    };
    const unsigned = await handleInboundMessage(request(INBOUND, message('STOP'), 'AAAA'), deps);
    const { From: _from, ...withoutFrom } = message('STOP');
    const noFrom = await handleInboundMessage(request(INBOUND, withoutFrom), deps);

    expect(unsigned.response.statusCode).toBe(403);
    expect(noFrom.response.statusCode).toBe(400);
    expect(add).not.toHaveBeenCalled();
  });

  it('rebuilds the public URL from the request when none is configured, trying both schemes without a proxy header', () => {
    const event = request('http://127.0.0.1:4567/inbound-webhook', message('hi'));
    delete event.headers['x-forwarded-proto'];
    expect(signedUrlCandidates(event)).toEqual([
      'https://127.0.0.1:4567/inbound-webhook',
      'http://127.0.0.1:4567/inbound-webhook',
    ]);
    expect(signedUrlCandidates(event, 'https://public.example.com/sms/inbound?x=1')).toEqual([
      'https://public.example.com/sms/inbound',
    ]);
  });
});
