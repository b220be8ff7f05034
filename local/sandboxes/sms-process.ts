/**
 * Starts the SMS sandbox in a Node process of its own (sms-process-child.ts) and talks to it over the IPC
 * channel: the benchmark's window runs hand their messages to it, so the provider's side of every
 * hand-over (HTTP parsing, validation, the message record) is not counted in the pipeline's process.
 * Only serializable options cross: no callbacks, no custom clock; the child stamps messages with its own
 * (real) clock, so its acceptance times are for differences (rates, per-second counts), not the pipeline's
 * simulated time.
 */
import { fork } from 'node:child_process';
import { join } from 'node:path';
import { LocalStackError } from '#local/stack/errors';
import type { SmsCounters, SmsSandboxOptions } from './sms';

export type SmsProcessOptions = Pick<
  SmsSandboxOptions,
  'port' | 'host' | 'accountSid' | 'authToken' | 'messagesPerSecond' | 'faults' | 'status'
>;

export type SmsProcessRequest =
  | { type: 'snapshot'; id: number; fromMessage: number }
  | { type: 'reset'; id: number }
  | { type: 'stop' };

export interface SmsProcessReady {
  baseUrl: string;
  accountSid: string;
  authToken: string;
}

export interface SmsProcessReply {
  id: number;
  ready?: SmsProcessReady;
  counters?: SmsCounters;
  acceptedAtMs?: number[];
  /** Messages the sandbox holds. */
  messages: number;
  /** Set (parent side only) when the process exited before answering. */
  exitCode?: number | null;
}

export interface SmsSnapshot {
  counters: SmsCounters;
  /** Acceptance time (ms since the epoch, the child's clock) of each message since `fromMessage`. */
  acceptedAtMs: number[];
  messages: number;
}

export interface SmsSandboxProcess extends SmsProcessReady {
  pid: number;
  /** Counters now, and the acceptance times of the messages from index `fromMessage` on. */
  snapshot(fromMessage?: number): Promise<SmsSnapshot>;
  /** Zeroes the counters; resolves to the number of messages held (the index of the next one). */
  resetCounters(): Promise<number>;
  stop(): Promise<void>;
}

const CHILD = join(__dirname, 'sms-process-child.ts');

export async function startSmsSandboxProcess(options: SmsProcessOptions = {}): Promise<SmsSandboxProcess> {
  const child = fork(CHILD, [JSON.stringify(options)], {
    execPath: process.execPath,
    // The child is TypeScript: tsx's loader, whatever loaded this process (tsx, jest).
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const pending = new Map<number, (reply: SmsProcessReply) => void>();
  let nextId = 1;
  const ready = new Promise<SmsProcessReady>((resolve, reject) => {
    child.on('message', (reply: SmsProcessReply) => {
      if (reply.ready) resolve(reply.ready);
      pending.get(reply.id)?.(reply);
      pending.delete(reply.id);
    });
    child.once('error', reject);
    exited.then((code) => {
      reject(new LocalStackError(`the SMS sandbox process exited with code ${code} before listening`));
      // Questions it will never answer.
      for (const answer of pending.values()) answer({ id: 0, messages: 0, exitCode: code });
      pending.clear();
    });
  });
  const ask = (request: SmsProcessRequest & { id: number }): Promise<SmsProcessReply> =>
    new Promise((resolve, reject) => {
      if (!child.connected) {
        reject(new LocalStackError('the SMS sandbox process is not running'));
        return;
      }
      pending.set(request.id, (reply) =>
        reply.exitCode === undefined
          ? resolve(reply)
          : reject(new LocalStackError(`the SMS sandbox process exited with code ${reply.exitCode}`)),
      );
      child.send(request);
    });
  const started = await ready;
  let stopped: Promise<void> | undefined;
  return {
    ...started,
    pid: child.pid ?? 0,
    async snapshot(fromMessage = 0) {
      const reply = await ask({ type: 'snapshot', id: nextId++, fromMessage });
      return {
        counters: reply.counters as SmsCounters,
        acceptedAtMs: reply.acceptedAtMs ?? [],
        messages: reply.messages,
      };
    },
    async resetCounters() {
      return (await ask({ type: 'reset', id: nextId++ })).messages;
    },
    stop() {
      stopped ??= (async () => {
        if (child.connected) child.send({ type: 'stop' } satisfies SmsProcessRequest);
        const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
        await exited;
        clearTimeout(timer);
      })();
      return stopped;
    },
  };
}
