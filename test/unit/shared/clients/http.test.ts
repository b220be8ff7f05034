import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ProviderUnavailableError } from '#shared/clients/errors';
import { httpRequest, retryAfterMs } from '#shared/clients/http';

describe('httpRequest', () => {
  let server: Server;
  let baseUrl: string;
  const sockets = new Set<number>();

  beforeAll(async () => {
    server = createServer((req, res) => {
      sockets.add(req.socket.remotePort ?? 0);
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => {
        body += chunk;
      });
      req.on('end', () => {
        if (req.url === '/busy') {
          res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '7' });
          res.end('{"code":20429}');
          return;
        }
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ method: req.method, body, length: req.headers['content-length'] ?? null }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const request = (path: string, body?: string) =>
    httpRequest({
      provider: 'sms',
      operation: 'test',
      method: body === undefined ? 'GET' : 'POST',
      url: `${baseUrl}${path}`,
      ...(body === undefined ? {} : { body, headers: { 'content-type': 'text/plain; charset=utf-8' } }),
      timeoutMs: 2000,
    });

  it('sends the body with its length in bytes and parses the JSON answer', async () => {
    const response = await request('/echo', 'Prévente à 10 h');
    expect(response.status).toBe(200);
    expect(response.malformed).toBe(false);
    expect(response.json).toEqual({ method: 'POST', body: 'Prévente à 10 h', length: '17' });
  });

  it('keeps the connection open between requests', async () => {
    sockets.clear();
    for (let i = 0; i < 5; i++) await request('/echo');
    expect(sockets.size).toBe(1);
  });

  it("closes an idle connection before the server does, by the server's Keep-Alive hint", async () => {
    // A server that closes idle connections after 3 s and says so (Keep-Alive: timeout=3).
    const closedAt: number[] = [];
    const short = createServer((_req, res) => res.end('{}'));
    short.keepAliveTimeout = 3_000;
    short.on('connection', (socket) => socket.on('close', () => closedAt.push(Date.now())));
    await new Promise<void>((resolve) => short.listen(0, '127.0.0.1', resolve));
    try {
      const answered = Date.now();
      await httpRequest({
        provider: 'sms',
        operation: 'test',
        method: 'GET',
        url: `http://127.0.0.1:${(short.address() as AddressInfo).port}/`,
        timeoutMs: 1000,
      });
      await new Promise((resolve) => setTimeout(resolve, 2_600));
      // Closed by the client about 2 s after the answer (the hint less 1 s), not by the server at 3 s.
      expect(closedAt).toHaveLength(1);
      expect((closedAt[0] ?? 0) - answered).toBeLessThan(2_600);
    } finally {
      short.closeAllConnections();
      await new Promise((resolve) => short.close(resolve));
    }
  });

  it("gives the status and the provider's Retry-After", async () => {
    const response = await request('/busy');
    expect(response.status).toBe(429);
    expect(retryAfterMs(response.headers)).toBe(7000);
  });

  it('refuses a URL it cannot parse without repeating it (it may carry an API key)', async () => {
    const failure = httpRequest({
      provider: 'discovery',
      operation: 'test',
      method: 'GET',
      url: 'app.ticketmaster.com/events.json?apikey=SECRET-KEY',
      timeoutMs: 100,
    });
    await expect(failure).rejects.toMatchObject({ code: 'INVALID_URL', ambiguous: false });
    await expect(failure).rejects.not.toThrow(/SECRET-KEY/);
  });

  it('refuses a URL that is neither http nor https without sending anything', async () => {
    await expect(
      httpRequest({
        provider: 'sms',
        operation: 'test',
        method: 'GET',
        url: 'ftp://example.com/',
        timeoutMs: 100,
      }),
    ).rejects.toMatchObject({
      constructor: ProviderUnavailableError,
      code: 'UNSUPPORTED_PROTOCOL',
      ambiguous: false,
    });
  });
});

describe('retryAfterMs', () => {
  const now = Date.parse('2026-12-08T14:30:00Z');

  it('reads seconds and HTTP dates, and nothing else', () => {
    expect(retryAfterMs({ 'retry-after': '2' }, now)).toBe(2000);
    expect(retryAfterMs({ 'retry-after': 'Tue, 08 Dec 2026 14:30:05 GMT' }, now)).toBe(5000);
    expect(retryAfterMs({ 'retry-after': 'Tue, 08 Dec 2026 14:29:00 GMT' }, now)).toBe(0);
    expect(retryAfterMs({ 'retry-after': 'soon' }, now)).toBeUndefined();
    expect(retryAfterMs({}, now)).toBeUndefined();
  });
});
