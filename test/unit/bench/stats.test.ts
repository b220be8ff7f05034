import { bounds, percentile, perThousand, round } from '#bench/stats';

describe('percentile', () => {
  it('uses the nearest rank', () => {
    const samples = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(percentile(samples, 50)).toBe(50);
    expect(percentile(samples, 95)).toBe(95);
    expect(percentile(samples, 99)).toBe(99);
    expect(percentile(samples, 100)).toBe(100);
    expect(percentile([7], 50)).toBe(7);
    expect(percentile([], 50)).toBe(0);
  });

  it('does not reorder the samples it is given', () => {
    const samples = [3, 1, 2];
    percentile(samples, 50);
    expect(samples).toEqual([3, 1, 2]);
  });
});

describe('perThousand and round', () => {
  it('scales counts to 1,000 notifications', () => {
    expect(perThousand(150, 50_000)).toBe(3);
    expect(perThousand(5, 0)).toBe(0);
    expect(round(1.23456, 2)).toBe(1.23);
  });
});

describe('bounds', () => {
  it('gives the smallest and largest sample, none for no samples', () => {
    expect(bounds([5, -2, 9, 0])).toEqual({ min: -2, max: 9 });
    expect(bounds([])).toBeUndefined();
  });

  it('takes 300,000 samples, more than spreading into Math.min allows', () => {
    const samples = Array.from({ length: 300_000 }, (_, i) => 1_000_000 + ((i * 7919) % 300_000));
    expect(() => Math.min(...samples)).toThrow(RangeError);
    expect(bounds(samples)).toEqual({ min: 1_000_000, max: 1_299_999 });
  });
});
