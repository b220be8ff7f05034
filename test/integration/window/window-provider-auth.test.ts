/**
 * The SMS provider refuses the account's credentials (HTTP 401, Twilio 20003) for the whole run: a
 * configuration error, not the fans' fault. The run stops early and fails, no notification is FAILED,
 * and once the credentials work a redrive sends every fan exactly once.
 */
import type { WindowSummary } from '#shared/window/summarize';
import { DEMO_WINDOW, seedValidSmsFans, sendsByKey, US_EVENT, useWindowSession } from '#test/helpers/window';

const FANS = 60;

describe('window run: the provider refuses the credentials', () => {
  const setup = useWindowSession({ shardCount: 2, pageSize: 10 });

  it('stops the run with a clear error, fails no notification, and a redrive after the fix sends each fan once', async () => {
    const { session } = setup;
    await seedValidSmsFans(setup, US_EVENT, FANS);
    const sms = session.stack.sandboxes.sms;
    sms.setFaults({ errorRates: { '20003': 1 } });

    const run = await session.run({ scheduledTime: DEMO_WINDOW });

    expect(run.status).toBe('FAILED');
    const summary = run.summary as WindowSummary;
    expect(summary.unfinished.errors).toEqual({ ProviderConfigurationError: 2 });
    // Stopped early: each shard stopped at its first refused send (16 in flight at most), in each pass.
    expect(sms.counters.accepted).toBe(0);
    expect(sms.counters.rejected['20003']).toBeLessThanOrEqual(2 * 2 * 16);
    const processed = summary.sales.detail
      .filter((sale) => sale.status === 'processed')
      .map((sale) => sale.saleId);
    const before = await session.lifecycle(processed);
    expect(before.byStatus.FAILED).toBeUndefined();

    sms.setFaults({});
    const redriven = await session.redrive(run.executionName);

    expect(redriven.status).toBe('SUCCEEDED');
    const sends = sendsByKey(session);
    const after = await session.lifecycle(processed);
    expect(sends.size).toBe(after.total);
    expect(Math.max(...sends.values())).toBe(1);
    expect(after.byStatus.FAILED).toBeUndefined();
  }, 180_000);
});
