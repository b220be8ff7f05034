import { DEMO_DISCOVERY_DIR } from '#local/demo';
import { busiestWindow } from '#local/demo-window';
import { readDiscoveryDir } from '#local/seed';

const event = (...starts: string[]) => ({ sales: starts.map((startsAt) => ({ startsAt })) });

describe('busiestWindow', () => {
  it('picks the scheduled time whose window holds the most sales, the earliest on a tie', () => {
    const events = [
      event('2022-03-22T14:00:00Z', '2022-03-25T15:00:00Z'),
      event('2022-03-25T15:10:00Z', '2022-03-22T14:00:00Z'),
      event('2022-03-25T15:20:00Z', '2022-03-20T10:00:00Z'),
    ];
    // Three sales in [15:00, 15:30) of March 25 (run at 14:30), two at 14:00 on March 22 (run at 13:30).
    expect(busiestWindow(events, 30)).toBe('2022-03-25T14:30:00.000Z');
    expect(busiestWindow([event('2022-03-22T14:00:00Z'), event('2022-03-21T14:00:00Z')], 30)).toBe(
      '2022-03-21T13:30:00.000Z',
    );
  });

  it('has no answer without sales', () => {
    expect(busiestWindow([event()], 30)).toBeUndefined();
  });

  it('picks the same demo window from the bundled samples whatever the real date is', async () => {
    const { events } = await readDiscoveryDir(DEMO_DISCOVERY_DIR);
    const realNow = jest.spyOn(Date, 'now').mockReturnValue(Date.parse('2030-01-01T00:00:00Z'));
    try {
      expect(busiestWindow(events, 30)).toBe('2026-12-08T14:30:00.000Z');
    } finally {
      realNow.mockRestore();
    }
  });
});
