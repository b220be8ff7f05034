/**
 * The bit every sandbox shares: a node:http server on 127.0.0.1 (port 0 by default) that tracks its
 * timers and held requests so stop() leaves nothing open.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SandboxServer {
  url: string;
  /** Runs fn after ms unless the server stops first. */
  later(ms: number, fn: () => void | Promise<void>): void;
  /** Resolves when every timer scheduled with later() has run (and its promise settled). */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

export type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => Promise<void> | void;

export interface ListenOptions {
  port?: number;
  host?: string;
}

export async function startServer(
  name: string,
  handler: Handler,
  opts: ListenOptions = {},
): Promise<SandboxServer> {
  const timers = new Set<NodeJS.Timeout>();
  const running = new Set<Promise<void>>();
  let stopped = false;

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      Promise.resolve()
        .then(() => handler(req, res, body))
        .catch((error: unknown) => {
          if (!res.headersSent && !res.destroyed) {
            sendJson(res, 500, { message: `${name} sandbox error`, detail: String(error) });
          }
        });
    });
  });
  // Idle connections are closed after 10 s, as real servers close them at some point (the response says
  // `Keep-Alive: timeout=10`): the provider clients must close theirs first (shared/clients/http.ts closes
  // them after 4 s, or 1 s before a shorter hint), or a request sent at the moment the server closes the
  // connection fails with ECONNRESET. Much shorter and clients that honour the hint with a margin would
  // open a connection per request.
  server.keepAliveTimeout = 10_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const url = `http://${address.address}:${address.port}`;

  return {
    url,
    later(ms, fn) {
      if (stopped) return;
      const timer = setTimeout(() => {
        timers.delete(timer);
        const p = Promise.resolve()
          .then(fn)
          .catch(() => undefined)
          .finally(() => running.delete(p));
        running.add(p);
      }, ms);
      timers.add(timer);
    },
    async idle() {
      while (timers.size > 0 || running.size > 0) {
        await new Promise((resolve) => setTimeout(resolve, 5));
        await Promise.all([...running]);
      }
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      for (const t of timers) clearTimeout(t);
      timers.clear();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
      await Promise.all([...running]);
    },
  };
}

/**
 * What every sandbox class shares: its server's life (start, url, idle, stop). A subclass answers requests
 * in `handle` and is started with `listen`.
 */
export abstract class HttpSandbox {
  private server: SandboxServer | undefined;

  protected constructor(private readonly sandboxName: string) {}

  get url(): string {
    return this.running().url;
  }

  /** Resolves when every scheduled callback has run. */
  idle(): Promise<void> {
    return this.running().idle();
  }

  stop(): Promise<void> {
    return this.running().stop();
  }

  protected async listen(options: ListenOptions): Promise<void> {
    this.server = await startServer(
      this.sandboxName.toLowerCase(),
      (req, res, raw) => this.handle(req, res, raw),
      options,
    );
  }

  protected abstract handle(req: IncomingMessage, res: ServerResponse, raw: string): Promise<void>;

  protected running(): SandboxServer {
    if (!this.server) throw new Error(`the ${this.sandboxName} sandbox is not started`);
    return this.server;
  }
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  if (res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

export function delay(ms: number): Promise<void> {
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}

/** True with probability `rate` (0..1). */
export function chance(rate: number | undefined, random: () => number): boolean {
  return rate !== undefined && rate > 0 && random() < rate;
}
