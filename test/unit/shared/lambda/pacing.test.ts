import { mapConcurrent, paced } from '#shared/lambda/pacing';

describe('paced', () => {
  afterEach(() => jest.useRealTimers());

  it('starts no more than perSecond tasks a second, in order, and returns results in input order', async () => {
    jest.useFakeTimers({ now: 0 });
    const starts: Array<[number, number]> = [];
    const run = paced([0, 1, 2, 3], { perSecond: 2, maxInFlight: 4 }, async (item) => {
      starts.push([item, Date.now()]);
      return item * 10;
    });

    await jest.advanceTimersByTimeAsync(2000);

    await expect(run).resolves.toEqual([0, 10, 20, 30]);
    expect(starts).toEqual([
      [0, 0],
      [1, 500],
      [2, 1000],
      [3, 1500],
    ]);
  });

  it('keeps at most maxInFlight tasks running at once', async () => {
    let running = 0;
    let most = 0;
    const results = await mapConcurrent(
      Array.from({ length: 20 }, (_, i) => i),
      3,
      async (item) => {
        running += 1;
        most = Math.max(most, running);
        await new Promise((resolve) => setImmediate(resolve));
        running -= 1;
        return item;
      },
    );

    expect(most).toBe(3);
    expect(results).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });

  it('returns nothing for no items and runs no task', async () => {
    const task = jest.fn();

    await expect(paced([], { perSecond: 1, maxInFlight: 4 }, task)).resolves.toEqual([]);
    expect(task).not.toHaveBeenCalled();
  });

  it('fails with the first task that fails', async () => {
    await expect(
      mapConcurrent([1, 2, 3], 2, async (item) => {
        if (item === 2) throw new Error('task 2 failed');
        return item;
      }),
    ).rejects.toThrow('task 2 failed');
  });
});

describe('paced with a schedule', () => {
  afterEach(() => jest.useRealTimers());

  it('continues the turns of earlier calls, so time spent between calls is made up', async () => {
    jest.useFakeTimers({ now: 0 });
    const schedule = { from: 0, turns: 0 };
    const starts: number[] = [];
    const task = async () => {
      starts.push(Date.now());
    };
    const first = paced([1, 2], { perSecond: 10, maxInFlight: 1, schedule, maxLagMs: 500 }, task);
    await jest.advanceTimersByTimeAsync(200);
    await first;
    // 300 ms between the two calls (rendering the next page): turns 2 and 3 were due at 200 and 300 ms.
    await jest.advanceTimersByTimeAsync(300);
    const second = paced([3, 4, 5], { perSecond: 10, maxInFlight: 1, schedule, maxLagMs: 500 }, task);
    await jest.advanceTimersByTimeAsync(500);
    await second;

    expect(starts).toEqual([0, 100, 500, 500, 500]);
    expect(schedule).toEqual({ from: 0, turns: 5 });
  });

  it('makes up at most maxLagMs of turns after a stall: the schedule moves on instead of bursting', async () => {
    jest.useFakeTimers({ now: 10_000 });
    const schedule = { from: 0, turns: 0 };
    const starts: number[] = [];
    const run = paced(
      [1, 2, 3, 4, 5, 6, 7],
      { perSecond: 10, maxInFlight: 1, schedule, maxLagMs: 300 },
      async () => {
        starts.push(Date.now());
      },
    );
    await jest.advanceTimersByTimeAsync(1000);
    await run;

    // Ten seconds behind: three turns (300 ms) are made up at once, then one every 100 ms.
    expect(starts).toEqual([10_000, 10_000, 10_000, 10_000, 10_100, 10_200, 10_300]);
  });
});
