/**
 * `npm start` on a machine whose date is in 2030, years after the bundled sample sales: the demo still
 * picks its window from the sample data and runs it in that window's own time, so its sales are processed,
 * not suppressed as started or ended.
 */
import { join } from 'node:path';
import { lastJsonLine, runChild, TSX } from '#cli/child';

function runDemo(env: NodeJS.ProcessEnv) {
  return runChild(
    TSX,
    ['--require', join(__dirname, 'real-date-2030.cjs'), 'cli/start.ts', '--fans', '120', '--json'],
    { env: { ...process.env, ...env } },
  );
}

describe('the demo in 2030', () => {
  it('runs the sample data’s window in its own time and processes its sales', async () => {
    const shift = Date.parse('2030-01-01T00:00:00Z') - Date.now();
    const result = await runDemo({ REAL_DATE_SHIFT_MS: String(shift) });
    expect(result.stderr).not.toMatch(/no upcoming sale/);
    expect(result.code).toBe(0);
    const summary = lastJsonLine<{
      window: { start: string };
      sales: { total: number; processed: number; suppressed: number };
      suppressionReasons: Record<string, number>;
      notifications: { created: number; queued: number };
    }>(result.stdout);
    if (!summary) throw new Error(`npm start printed no JSON summary: ${result.stdout.slice(-500)}`);
    expect(summary.window.start).toBe('2026-12-08T15:00:00.000Z');
    expect(summary.sales).toMatchObject({ total: 5, processed: 2, suppressed: 3 });
    expect(summary.suppressionReasons).not.toHaveProperty('SALE_STARTED');
    expect(summary.suppressionReasons).not.toHaveProperty('SALE_ENDED');
    expect(summary.notifications.created).toBeGreaterThan(0);
    expect(summary.notifications.queued).toBe(summary.notifications.created);
  }, 150_000);
});
