/**
 * The chaos suite at a small size, as CI runs it: `npm run chaos` (each scenario in its own process on
 * its own local stack), with the invariants read back from its JSON result. Plus the invariant checker
 * itself: a duplicate, a loss and a stuck record must each make `holds` false.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { holds, type InvariantReport } from '#chaos/invariants';
import type { ScenarioResult } from '#chaos/scenarios';
import { ROOT } from '#test/helpers/paths';

const SCENARIOS = ['schedule-twice-concurrent', 'crash-mid-page', 'provider-5xx'];

const clean: InvariantReport = {
  expected: 10,
  records: 10,
  sends: 9,
  maxSendsPerKey: 1,
  duplicates: 0,
  strays: 0,
  lost: {},
  failedByReason: { LANDLINE: 1 },
  failedWithoutReason: 0,
  maxAttempts: 3,
  overAttempts: 0,
  stuck: {},
  byStatus: { QUEUED: 9, FAILED: 1 },
  smsWithoutLink: 0,
  failedButSent: 0,
};

describe('chaos invariants', () => {
  it('hold for a clean report and fail on a duplicate, a loss, a stuck record or a fourth attempt', () => {
    expect(holds(clean)).toBe(true);
    expect(holds({ ...clean, maxSendsPerKey: 2, duplicates: 1 })).toBe(false);
    expect(holds({ ...clean, lost: { 'no notification record': 1 } })).toBe(false);
    expect(holds({ ...clean, stuck: { TRIGGERED: 1 } })).toBe(false);
    expect(holds({ ...clean, overAttempts: 1, maxAttempts: 4 })).toBe(false);
    expect(holds({ ...clean, records: 9 })).toBe(false);
  });
});

describe('npm run chaos (small size)', () => {
  it('runs the scenarios with no duplicate, no loss and nothing stuck', () => {
    const result = spawnSync(
      join(ROOT, 'node_modules', '.bin', 'tsx'),
      ['chaos/main.ts', '--fans', '100', '--only', SCENARIOS.join(','), '--no-corpus', '--json'],
      { cwd: ROOT, encoding: 'utf8', timeout: 110_000 },
    );
    const last = result.stdout.trim().split('\n').at(-1) ?? '{}';
    const parsed = JSON.parse(last) as { scenarios: ScenarioResult[] };
    expect(parsed.scenarios.map((s) => s.name)).toEqual(SCENARIOS);
    for (const scenario of parsed.scenarios) {
      expect({ name: scenario.name, outcome: scenario.outcome }).toEqual({
        name: scenario.name,
        outcome: expect.stringMatching(/SUCCEEDED$/),
      });
      expect(scenario.report.expected).toBeGreaterThan(50);
      expect(scenario.report.maxSendsPerKey).toBe(1);
      expect(scenario.report.lost).toEqual({});
      expect(scenario.report.stuck).toEqual({});
      expect(scenario.report.maxAttempts).toBeLessThanOrEqual(3);
    }
    expect(result.status).toBe(0);
  }, 120_000);
});
