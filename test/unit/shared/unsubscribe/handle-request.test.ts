import type { OptOutRecord } from '#shared/data/opt-outs-repository';
import { handleUnsubscribe } from '#shared/unsubscribe/handle-request';
import { signUnsubscribeToken, unsubscribeUrl } from '#shared/unsubscribe/signed-link';

const SECRET = 'stage-secret-0123456789abcdef0123456789';
const HASH = 'a3f1c2d4e5b6a7980123456789abcdef0123456789abcdef0123456789abcdef';
const NOW = new Date('2026-12-08T15:00:00Z');

function setup() {
  const recorded: OptOutRecord[] = [];
  const deps = {
    secret: SECRET,
    optOuts: { add: async (r: OptOutRecord) => void recorded.push(r) },
    now: () => NOW,
  };
  const query = (url: string) => Object.fromEntries(new URL(url).searchParams);
  return { recorded, deps, query };
}

describe('the unsubscribe endpoint', () => {
  const link = unsubscribeUrl('https://hooks.example.com/email/unsubscribe', HASH, SECRET, NOW);

  it('records the opt-out of the address the link was made for on the one-click POST (RFC 8058)', async () => {
    const { recorded, deps, query } = setup();
    const { outcome, response } = await handleUnsubscribe({ method: 'POST', query: query(link) }, deps);
    expect(outcome).toEqual({ kind: 'recorded' });
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('You are unsubscribed');
    expect(response.body).toContain('Vous êtes désabonné');
    expect(recorded).toEqual([
      {
        contactHash: HASH,
        reason: 'UNSUBSCRIBE_LINK',
        source: 'unsubscribe-link',
        createdAt: NOW.toISOString(),
      },
    ]);
  });

  it('only asks for confirmation on a GET (mail scanners open links), recording nothing', async () => {
    const { recorded, deps, query } = setup();
    const { outcome, response } = await handleUnsubscribe({ method: 'GET', query: query(link) }, deps);
    expect(outcome).toEqual({ kind: 'confirm' });
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('<form method="post" action="?t=');
    expect(recorded).toEqual([]);
  });

  it('refuses a forged link (403), an expired one (410) and a malformed one (400), recording nothing', async () => {
    const { recorded, deps } = setup();
    const forged = signUnsubscribeToken(
      { contactHash: HASH, expiresAt: 2_000_000_000 },
      'another-secret-0123456789abcdef01234',
    );
    const expired = signUnsubscribeToken({ contactHash: HASH, expiresAt: NOW.getTime() / 1000 - 1 }, SECRET);
    const cases = [
      { t: forged, status: 403, reason: 'FORGED' },
      { t: expired, status: 410, reason: 'EXPIRED' },
      { t: 'not-a-token', status: 400, reason: 'MALFORMED' },
      { t: undefined, status: 400, reason: 'MALFORMED' },
    ];
    for (const { t, status, reason } of cases) {
      for (const method of ['GET', 'POST']) {
        const { outcome, response } = await handleUnsubscribe({ method, query: { t } }, deps);
        expect(outcome).toEqual({ kind: 'refused', reason });
        expect(response.statusCode).toBe(status);
      }
    }
    expect(recorded).toEqual([]);
  });

  it('answers 405 to other methods', async () => {
    const { deps, query } = setup();
    const { response } = await handleUnsubscribe({ method: 'DELETE', query: query(link) }, deps);
    expect(response).toMatchObject({ statusCode: 405, headers: { allow: 'GET, POST' } });
  });
});
