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
