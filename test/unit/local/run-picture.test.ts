import { cumulative, escapeXml, renderRunPicture } from '#local/run-picture';

const times = (start: string, count: number, everyMs: number) =>
  Array.from({ length: count }, (_, i) => new Date(Date.parse(start) + i * everyMs).toISOString());

/** Attributes of every element named `tag`. */
function elements(svg: string, tag: string): Array<Record<string, string>> {
  return [...svg.matchAll(new RegExp(`<${tag} ([^>]*)/>`, 'g'))].map((match) =>
    Object.fromEntries([...(match[1] ?? '').matchAll(/([\w-]+)="([^"]*)"/g)].map((m) => [m[1], m[2]])),
  );
}

describe('renderRunPicture', () => {
  const picture = renderRunPicture({
    title: 'window-20261208T1500Z',
    series: [
      {
        saleId: 'A',
        name: 'Verified Fan <Presale> & more',
        startsAt: '2026-12-08T15:00:00Z',
        times: times('2026-12-08T14:31:00Z', 120, 500),
      },
      {
        saleId: 'B',
        name: null,
        startsAt: '2026-12-08T15:20:00Z',
        times: times('2026-12-08T14:31:00Z', 40, 1500),
      },
    ],
  });

  it('draws one cumulative curve per sale, ending at its number of reminders handed over', () => {
    const curves = elements(picture, 'polyline');
    expect(curves.map((curve) => [curve['data-sale'], curve['data-total']])).toEqual([
      ['A', '120'],
      ['B', '40'],
    ]);
    // Cumulative: the curve only goes up (SVG y grows downwards) and never goes back in time.
    for (const curve of curves) {
      const points = (curve.points ?? '').split(' ').map((p) => p.split(',').map(Number));
      for (let i = 1; i < points.length; i++) {
        expect(points[i]?.[0]).toBeGreaterThanOrEqual(points[i - 1]?.[0] ?? 0);
        expect(points[i]?.[1]).toBeLessThanOrEqual(points[i - 1]?.[1] ?? 0);
      }
    }
  });

  it("marks each sale's start right of its curve when every reminder went before it", () => {
    const starts = elements(picture, 'line').filter((line) => line.class === 'start');
    expect(starts.map((line) => line['data-sale'])).toEqual(['A', 'B']);
    const curves = elements(picture, 'polyline');
    starts.forEach((start, i) => {
      const lastX = Math.max(...(curves[i]?.points ?? '').split(' ').map((p) => Number(p.split(',')[0])));
      expect(Number(start.x1)).toBeGreaterThan(lastX);
      expect(start.stroke).toBe(curves[i]?.stroke);
    });
    expect(elements(picture, 'line').filter((line) => line.class === 'on-time-limit')).toHaveLength(2);
  });

  it('escapes sale names and is one svg document', () => {
    expect(picture).toContain(
      'Verified Fan &lt;Presale&gt; &amp; more (A): 120 handed over 14:31:00-14:31:59',
    );
    expect(picture).not.toContain('<Presale>');
    expect(picture.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(picture.trimEnd().endsWith('</svg>')).toBe(true);
    expect(escapeXml(`"'`)).toBe('&quot;&apos;');
  });

  it('draws a run with nothing handed over without failing', () => {
    const empty = renderRunPicture({
      title: 't',
      series: [{ saleId: 'A', name: 'x', startsAt: '2026-12-08T15:00:00Z', times: [] }],
    });
    expect(elements(empty, 'polyline')).toHaveLength(0);
    expect(empty).toContain('nothing handed over');
  });
});

describe('cumulative', () => {
  it('keeps at most the given number of steps and ends at the exact total', () => {
    const points = cumulative(times('2026-12-08T14:31:00Z', 50_003, 10), 400);
    expect(points.length).toBeLessThanOrEqual(401);
    expect(points.at(-1)?.[1]).toBe(50_003);
    expect(points.at(-1)?.[0]).toBe(Date.parse('2026-12-08T14:31:00Z') + 50_002 * 10);
  });
});
