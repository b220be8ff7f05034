import { startSmsSandboxProcess } from '#local/sandboxes/sms-process';
import { SmsClient } from '#shared/clients/sms-client';

const clientFor = (s: { baseUrl: string; accountSid: string; authToken: string }) =>
  new SmsClient({
    baseUrl: s.baseUrl,
    accountSid: s.accountSid,
    authToken: s.authToken,
    messagingServiceSid: 'MG00000000000000000000000000000001',
    statusCallbackUrl: 'https://hooks.example.com/s',
  });

describe('SMS sandbox in a process of its own', () => {
  it('accepts messages over HTTP and reports its counters and acceptance times over IPC', async () => {
    const sandbox = await startSmsSandboxProcess({ messagesPerSecond: 3, status: { enabled: false } });
    try {
      expect(sandbox.pid).not.toBe(process.pid);
      const client = clientFor(sandbox);
      const results = await Promise.allSettled(
        Array.from({ length: 5 }, (_, i) => client.send({ to: `+1416555010${i}`, body: 'x' })),
      );
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(3);

      const first = await sandbox.snapshot();
      expect(first.counters).toMatchObject({ accepted: 3, throttled: 2 });
      expect(first.acceptedAtMs).toHaveLength(3);
      expect(first.acceptedAtMs.every((ms) => Math.abs(Date.now() - ms) < 60_000)).toBe(true);

      // Reset: counters start again, the messages stay (as the provider keeps them); times from an index.
      const next = await sandbox.resetCounters();
      expect(next).toBe(3);
      await new Promise((resolve) => setTimeout(resolve, 1100));
      await client.send({ to: '+14165550199', body: 'y' });
      const second = await sandbox.snapshot(next);
      expect(second.counters).toMatchObject({ accepted: 1, throttled: 0 });
      expect(second.acceptedAtMs).toHaveLength(1);
      expect(second.messages).toBe(4);
    } finally {
      await sandbox.stop();
    }
    await expect(sandbox.snapshot()).rejects.toThrow('not running');
  });
});
