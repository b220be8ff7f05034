import { pacingRuns, SPORTS_EVENT } from '#bench/runs';
import { DEMO_FR_EVENT } from '#local/demo';

describe('pacingRuns', () => {
  it('runs one minute of the budget with one sale, then with three sales of sizes 6 : 3 : 1', () => {
    const [one, three] = pacingRuns(50_000, 100);

    expect(one?.scenario).toMatchObject({ fans: 6000, smallFans: 0, mps: 100 });
    expect(three?.messages).toBe(6000);
    expect(three?.scenario).toMatchObject({
      fans: 3600,
      mps: 100,
      fansByEvent: { [DEMO_FR_EVENT]: 1800, [SPORTS_EVENT]: 600 },
    });
    expect(three?.scenario.env?.ALLOWED_SEGMENTS?.split(',')).toContain('Sports');
  });

  it('never asks for more fans than the run was given', () => {
    const [one, three] = pacingRuns(2000, 100);
    expect(one?.messages).toBe(2000);
    expect(three?.messages).toBe(2000);
  });
});
