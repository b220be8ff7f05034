import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type SmsSandboxOptions, segmentCount, startSmsSandbox } from '#local/sandboxes/sms';
import { ProviderRejectedError } from '#shared/clients/errors';
import { SmsClient } from '#shared/clients/sms-client';
import { verifyTwilioSignature } from '#shared/clients/twilio-signature';
import { type StatusEvent, statusEventFromCallback } from '#shared/delivery/status-event';

const TO = '+14165550123';
const KEY = 'sale-1#fan-42#SMS';

/** A webhook receiver on 127.0.0.1 that checks Twilio signatures, like the real status/inbound webhooks. */
async function startReceiver(authToken: string) {
  const received: { path: string; params: Record<string, string>; signed: boolean }[] = [];
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => {
      raw += c.toString('utf8');
    });
    req.on('end', () => {
      const params = Object.fromEntries(new URLSearchParams(raw));
      const url = `http://${req.headers.host}${req.url}`;
      const signed = verifyTwilioSignature(
        authToken,
        url,
        params,
        req.headers['x-twilio-signature'] as string,
      );
      received.push({ path: req.url ?? '', params, signed });
      res.writeHead(signed ? 204 : 403).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function withSandbox(
  opts: SmsSandboxOptions,
  fn: (s: Awaited<ReturnType<typeof startSmsSandbox>>) => Promise<void>,
) {
  const sandbox = await startSmsSandbox(opts);
  try {
    await fn(sandbox);
  } finally {
    await sandbox.stop();
  }
}

const clientFor = (
  s: { baseUrl: string; accountSid: string; authToken: string },
  callback = 'https://hooks.example.com/s',
) =>
  new SmsClient({
    baseUrl: s.baseUrl,
    accountSid: s.accountSid,
    authToken: s.authToken,
    messagingServiceSid: 'MG00000000000000000000000000000001',
    statusCallbackUrl: callback,
  });

describe('SMS sandbox status callbacks', () => {
  it('reports queued → sent → delivered to onStatus, which the stack turns into status events', async () => {
    const events: StatusEvent[] = [];
    const seenTo: string[] = [];
    await withSandbox(
      {
        status: { delaysMs: { sent: 5, delivered: 10 } },
        onStatus: async (params, callbackUrl) => {
          seenTo.push(params.To ?? '');
          events.push(statusEventFromCallback(params, callbackUrl));
        },
      },
      async (sandbox) => {
        const { sid } = await clientFor(sandbox).send({ to: TO, body: 'hello', notificationKey: KEY });
        await sandbox.idle();

        expect(events.map((e) => e.status)).toEqual(['queued', 'sent', 'delivered']);
        expect(events.every((e) => e.messageSid === sid && e.notificationKey === KEY)).toBe(true);
        expect(seenTo).toEqual([TO, TO, TO]);
        expect(JSON.stringify(events)).not.toContain(TO);
        expect(sandbox.messages[0]?.status).toBe('delivered');
        expect(sandbox.counters.callbacks).toBe(3);
      },
    );
  });

  it('ends undelivered with the configured error code', async () => {
    const events: StatusEvent[] = [];
    await withSandbox(
      {
        status: { delaysMs: { sent: 1, delivered: 2 }, undeliveredRate: 1, undeliveredCode: 30006 },
        onStatus: async (p, url) => {
          events.push(statusEventFromCallback(p, url));
        },
      },
      async (sandbox) => {
        await clientFor(sandbox).send({ to: TO, body: 'hello', notificationKey: KEY });
        await sandbox.idle();
        expect(events.map((e) => [e.status, e.errorCode])).toEqual([
          ['queued', undefined],
          ['sent', undefined],
          ['undelivered', 30006],
        ]);
      },
    );
  });

  it('accepts a message with an injected 3xxxx code and fails it later, as the carrier would', async () => {
    const events: StatusEvent[] = [];
    await withSandbox(
      {
        faults: { errorRates: { '30005': 1 } },
        status: { delaysMs: { sent: 1, delivered: 2 } },
        onStatus: async (p, url) => {
          events.push(statusEventFromCallback(p, url));
        },
      },
      async (sandbox) => {
        await expect(
          clientFor(sandbox).send({ to: TO, body: 'x', notificationKey: KEY }),
        ).resolves.toBeDefined();
        await sandbox.idle();
        expect(events.at(-1)).toMatchObject({ status: 'undelivered', errorCode: 30005 });
      },
    );
  });

  it('keeps reporting statuses for a message whose answer was dropped (reconciliation)', async () => {
    const statuses: string[] = [];
    await withSandbox(
      {
        faults: { crashAfterAcceptRate: 1 },
        status: { delaysMs: { sent: 1, delivered: 2 } },
        onStatus: async (p) => {
          statuses.push(p.MessageStatus ?? '');
        },
      },
      async (sandbox) => {
        await expect(clientFor(sandbox).send({ to: TO, body: 'x', notificationKey: KEY })).rejects.toThrow();
        await sandbox.idle();
        expect(statuses).toEqual(['queued', 'sent', 'delivered']);
      },
    );
  });

  it('POSTs signed callbacks to the StatusCallback URL when no onStatus is given', async () => {
    const authToken = 'callback-signing-token';
    const receiver = await startReceiver(authToken);
    try {
      await withSandbox({ authToken, status: { delaysMs: { sent: 1, delivered: 2 } } }, async (sandbox) => {
        const client = clientFor(sandbox, `${receiver.url}/sms/status`);
        await client.send({ to: TO, body: 'hello', notificationKey: KEY });
        await sandbox.idle();

        expect(receiver.received).toHaveLength(3);
        expect(receiver.received.every((r) => r.signed)).toBe(true);
        expect(receiver.received.map((r) => r.params.MessageStatus)).toEqual(['queued', 'sent', 'delivered']);
        expect(new URL(receiver.received[0]?.path ?? '', receiver.url).searchParams.get('key')).toBe(KEY);
        expect(sandbox.counters).toMatchObject({ callbacks: 3, callbackErrors: 0 });
      });
    } finally {
      await receiver.stop();
    }
  });
});

describe('SMS sandbox behaviour', () => {
  it('opts a number out after an inbound STOP (signed), then answers 21610', async () => {
    const receiver = await startReceiver('inbound-token');
    try {
      await withSandbox({ authToken: 'inbound-token', status: { enabled: false } }, async (sandbox) => {
        const status = await sandbox.sendInbound(`${receiver.url}/sms/inbound`, { from: TO, body: 'stop' });

        expect(status).toBe(204);
        expect(receiver.received[0]).toMatchObject({
          signed: true,
          params: { Body: 'stop', OptOutType: 'STOP' },
        });
        const error = await clientFor(sandbox)
          .send({ to: TO, body: 'x' })
          .catch((e: unknown) => e);
        expect(error).toBeInstanceOf(ProviderRejectedError);
        expect(error).toMatchObject({ code: 21610 });
      });
    } finally {
      await receiver.stop();
    }
  });

  it('throttles above messagesPerSecond with 20429 and counts the peak rate', async () => {
    await withSandbox(
      { messagesPerSecond: 3, clock: () => 0, status: { enabled: false } },
      async (sandbox) => {
        const client = clientFor(sandbox);
        const results = await Promise.allSettled(
          Array.from({ length: 6 }, (_, i) => client.send({ to: `+1416555010${i}`, body: 'x' })),
        );

        expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(3);
        expect(sandbox.counters).toMatchObject({ accepted: 3, throttled: 3, peakPerSecond: 3 });
        expect(sandbox.counters.rejected['20429']).toBe(3);
      },
    );
  });

  it('changes faults at run time', async () => {
    await withSandbox({ status: { enabled: false } }, async (sandbox) => {
      const client = clientFor(sandbox);
      sandbox.setFaults({ perNumber: { [TO]: 21614 } });
      await expect(client.send({ to: TO, body: 'x' })).rejects.toMatchObject({ code: 21614 });
      sandbox.setFaults({});
      await expect(client.send({ to: TO, body: 'x' })).resolves.toMatchObject({ status: 'queued' });
    });
  });

  it('fetches a message resource by SID with its current status', async () => {
    await withSandbox({ status: { delaysMs: { sent: 1, delivered: 2 } } }, async (sandbox) => {
      const { sid } = await clientFor(sandbox).send({ to: TO, body: 'x' });
      await sandbox.idle();
      const auth = Buffer.from(`${sandbox.accountSid}:${sandbox.authToken}`).toString('base64');
      const res = await fetch(
        `${sandbox.url}/2010-04-01/Accounts/${sandbox.accountSid}/Messages/${sid}.json`,
        {
          headers: { authorization: `Basic ${auth}` },
        },
      );
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ sid, status: 'delivered', num_segments: '1' });
    });
  });

  it('lists messages as Twilio does: DateSent filters skip a message still queued (no date_sent), most recent first', async () => {
    await withSandbox({ status: { enabled: false } }, async (sandbox) => {
      await clientFor(sandbox).send({ to: TO, body: 'first' });
      await clientFor(sandbox).send({ to: TO, body: 'second' });
      const auth = Buffer.from(`${sandbox.accountSid}:${sandbox.authToken}`).toString('base64');
      const list = async (query: string) => {
        const res = await fetch(
          `${sandbox.url}/2010-04-01/Accounts/${sandbox.accountSid}/Messages.json?${query}`,
          {
            headers: { authorization: `Basic ${auth}` },
          },
        );
        return (await res.json()) as {
          messages: Array<{ body: string; date_sent: string | null }>;
          next_page_uri: string | null;
        };
      };
      const today = new Date().toISOString().slice(0, 10);

      const queued = await list(`To=${encodeURIComponent(TO)}&${encodeURIComponent('DateSent>')}=${today}`);
      expect(queued.messages).toEqual([]);
      const all = await list(`To=${encodeURIComponent(TO)}&PageSize=1`);
      expect(all.messages.map((m) => [m.body, m.date_sent])).toEqual([['second', null]]);
      expect(all.next_page_uri).toContain('Page=1');
    });
  });

  it('sets date_sent once a message is sent, and DateSent filters then find it', async () => {
    await withSandbox({ status: { delaysMs: { sent: 1, delivered: 2 } } }, async (sandbox) => {
      await clientFor(sandbox).send({ to: TO, body: 'x' });
      await sandbox.idle();
      const auth = Buffer.from(`${sandbox.accountSid}:${sandbox.authToken}`).toString('base64');
      const today = new Date().toISOString().slice(0, 10);
      const res = await fetch(
        `${sandbox.url}/2010-04-01/Accounts/${sandbox.accountSid}/Messages.json?${encodeURIComponent('DateSent>')}=${today}`,
        { headers: { authorization: `Basic ${auth}` } },
      );
      const { messages } = (await res.json()) as { messages: Array<{ date_sent: string | null }> };
      expect(messages).toHaveLength(1);
      expect(Date.parse(messages[0]?.date_sent ?? '')).not.toBeNaN();
    });
  });

  it('counts segments the way the carrier bills them', () => {
    expect(segmentCount('a'.repeat(160))).toBe(1);
    expect(segmentCount('a'.repeat(161))).toBe(2);
    expect(segmentCount(`${'a'.repeat(150)}{}`)).toBe(1);
    expect(segmentCount(`${'a'.repeat(69)}®`)).toBe(1);
    expect(segmentCount(`${'a'.repeat(70)}®`)).toBe(2);
    expect(segmentCount('Prévente à Montréal')).toBe(1);
  });
});
