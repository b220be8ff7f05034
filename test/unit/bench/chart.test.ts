import { pacingChartSvg, scaleChartSvg } from '#bench/chart';

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

describe('pacingChartSvg', () => {
  it('draws one line per run against a dashed budget line, labels escaped', () => {
    const svg = pacingChartSvg(
      [
        { label: 'one sale: 99 % <of> budget', perSecond: [100, 99, 98] },
        { label: 'three sales', perSecond: [90, 100] },
      ],
      100,
    );
    expect(svg.match(/<polyline/g)).toHaveLength(2);
    expect(svg).toContain('stroke-dasharray');
    expect(svg).toContain('&lt;of&gt;');
    expect(svg).toContain('budget (100 msg/s)');
  });
});
