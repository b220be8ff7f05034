import { timeoutProblems, worstPageSeconds, worstRunSeconds } from '#shared/window/timeouts';

const names = {
  leadMinutes: 'dmd:leadMinutes',
  lookAheadMinutes: 'dmd:planLookAheadMinutes',
  pageSize: 'dmd:pageSize',
  sendTimeoutMs: 'dmd:sendTimeoutMs',
};
const defaults = { leadMinutes: 30, lookAheadMinutes: 180, pageSize: 250, sendTimeoutMs: 30_000 };

describe('timeoutProblems', () => {
  it('accepts the defaults against the state machine (18000 s) and SendPage (300 s)', () => {
    expect(worstRunSeconds(defaults)).toBe((30 + 30 + 180) * 60 + 600);
    expect(worstPageSeconds(defaults)).toBe(290);
    expect(timeoutProblems(defaults, { executionSeconds: 18_000, sendPageSeconds: 300 }, names)).toEqual([]);
  });

  it('names the page size when a page at the slowest pace cannot fit SendPage, with the most that fits', () => {
    const problems = timeoutProblems({ ...defaults, pageSize: 1000 }, { sendPageSeconds: 300 }, names);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(
      /^dmd:pageSize 1000: .* 1040 s, more than SendPage's 300 s timeout; use at most 260$/,
    );
  });

  it('names the look-ahead when a run may outlast the execution timeout', () => {
    const problems = timeoutProblems(
      { ...defaults, lookAheadMinutes: 600 },
      { executionSeconds: 18_000, sendPageSeconds: 300 },
      names,
    );
    expect(problems).toEqual([
      expect.stringMatching(
        /^dmd:planLookAheadMinutes 600 with dmd:leadMinutes 30: .*TimeoutSeconds \(18000 s\); lower dmd:planLookAheadMinutes$/,
      ),
    ]);
  });
});
