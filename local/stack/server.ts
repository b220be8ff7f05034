import { mkdir } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A running emulator on the loopback interface. */
export interface LocalServer {
  endpoint: string;
  port: number;
  stop(): Promise<void>;
}

export const LOOPBACK = '127.0.0.1';

/** Listens on 127.0.0.1 (port 0 picks a free one) and returns the endpoint and a stop that frees the port. */
export async function listenOnLoopback(server: Server, port = 0): Promise<LocalServer> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, LOOPBACK, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port: actualPort } = server.address() as AddressInfo;
  let stopped: Promise<void> | undefined;
  return {
    endpoint: `http://${LOOPBACK}:${actualPort}`,
    port: actualPort,
    stop() {
      stopped ??= new Promise<void>((resolve, reject) => {
        server.close((error?: Error) => (error ? reject(error) : resolve()));
        // SDK clients keep connections alive; without this close() waits for them.
        server.closeAllConnections();
      });
      return stopped;
    },
  };
}

/** Creates the directory of a persisted store (LevelDB creates only the last level itself). */
export async function ensureDir(dir: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  return dir;
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
