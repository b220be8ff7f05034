import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DiscoverySandbox, startDiscoverySandbox } from '#local/sandboxes/discovery';

const event = (id: string, name: string) => ({ id, name, type: 'event', locale: 'en-us', _embedded: {} });

describe('Discovery sandbox', () => {
  let dir: string;
  let sandbox: DiscoverySandbox;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'discovery-'));
    writeFileSync(join(dir, 'a.json'), JSON.stringify(event('E1', 'First Show')));
    writeFileSync(join(dir, 'notes.txt'), 'not an event');
    sandbox = await startDiscoverySandbox({ dir, rateLimitPerSecond: 0 });
  });
  afterAll(async () => {
    await sandbox.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const get = (path: string, apikey: string | null = sandbox.apiKey) => {
    const sep = path.includes('?') ? '&' : '?';
    return fetch(`${sandbox.baseUrl}${path}${apikey === null ? '' : `${sep}apikey=${apikey}`}`);
  };

  it('answers 401 with Apigee’s fault shape when the apikey is missing', async () => {
    const res = await get('/events/E1.json', null);
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({
      fault: { faultstring: 'Invalid ApiKey', detail: { errorcode: 'oauth.v2.InvalidApiKey' } },
    });
  });

  it('answers 404 in Discovery’s error shape for unknown ids', async () => {
    const res = await get('/events/NOPE.json?locale=*');
    expect(res.status).toBe(404);
    const body = (await res.json()) as { errors: { code: string; status: string }[] };
    expect(body.errors[0]).toMatchObject({ code: 'DIS1004', status: '404' });
  });

  it('re-reads the folder on reload() and lets tests change an event with setEvent()', async () => {
    writeFileSync(
      join(dir, 'b.json'),
      JSON.stringify({ _embedded: { events: [event('E2', 'Second Show')] } }),
    );
    expect((await get('/events/E2.json')).status).toBe(404);

    sandbox.reload();
    expect(sandbox.eventIds().sort()).toEqual(['E1', 'E2']);
    expect(await (await get('/events/E2.json')).json()).toMatchObject({ name: 'Second Show' });

    sandbox.setEvent({ ...event('E1', 'First Show (rescheduled)') });
    expect(await (await get('/events/E1.json')).json()).toMatchObject({ name: 'First Show (rescheduled)' });
    expect(sandbox.counters.byEvent).toMatchObject({ E1: 1, E2: 2 });
  });

  it('enforces its per-second quota with 429', async () => {
    const limited = await startDiscoverySandbox({ dir, rateLimitPerSecond: 5, clock: () => 0 });
    try {
      const statuses = await Promise.all(
        Array.from({ length: 8 }, () =>
          fetch(`${limited.baseUrl}/events/E1.json?apikey=${limited.apiKey}`).then(async (r) => {
            await r.arrayBuffer();
            return r.status;
          }),
        ),
      );
      expect(statuses.filter((s) => s === 200)).toHaveLength(5);
      expect(statuses.filter((s) => s === 429)).toHaveLength(3);
      expect(limited.counters.throttled).toBe(3);
    } finally {
      await limited.stop();
    }
  });
});
