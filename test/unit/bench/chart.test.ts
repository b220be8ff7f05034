import { scaleChartSvg } from '#bench/chart';

describe('scaleChartSvg', () => {
  it('draws one point per size in both panels', () => {
    const svg = scaleChartSvg([
      { fans: 1000, msPerNotification: 20, requestsPerNotification: 3.2 },
      { fans: 10_000, msPerNotification: 18, requestsPerNotification: 3.1 },
    ]);
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg.match(/<circle/g)).toHaveLength(4);
    expect(svg).toContain('10,000');
  });
});
