import fc from 'fast-check';
import type { Sale } from '#shared/domain/model';
import {
  executionName,
  isInWindow,
  SLOT_MINUTES,
  salesInWindow,
  slotStart,
  utcDay,
  windowDays,
  windowFor,
} from '#shared/domain/windows';

const sale = (saleId: string, startsAt: string): Sale => ({
  saleId,
  eventId: 'E1',
  name: saleId,
  type: 'presale',
  startsAt,
});

/** The UTC instant of a wall-clock time in a zone (no DST ambiguity in the times used here). */
function zoned(local: string, timeZone: string): string {
  const guess = Date.parse(`${local}Z`);
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  }).formatToParts(new Date(guess));
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '00';
  const asUtc = Date.parse(
    `${get('year')}-${get('month')}-${get('day')}T${get('hour')}:${get('minute')}:00Z`,
  );
  const offset = asUtc - guess;
  return new Date(guess - offset).toISOString();
}

describe('windowFor', () => {
  it('takes the slot of the scheduled time plus the 30-minute default lead', () => {
    expect(windowFor('2026-11-28T10:00:00Z')).toEqual({
      start: '2026-11-28T10:30:00.000Z',
      end: '2026-11-28T11:00:00.000Z',
    });
  });

  it('floors a late or early trigger to its slot', () => {
    expect(windowFor('2026-11-28T10:29:59.999Z')).toEqual(windowFor('2026-11-28T10:00:00Z'));
    expect(windowFor(new Date('2026-11-28T10:30:00.001Z')).start).toBe('2026-11-28T11:00:00.000Z');
  });

  it('applies a configured lead', () => {
    expect(windowFor('2026-11-28T10:07:00Z', 60)).toEqual({
      start: '2026-11-28T11:00:00.000Z',
      end: '2026-11-28T11:30:00.000Z',
    });
    expect(windowFor('2026-11-28T10:07:00Z', 0).start).toBe('2026-11-28T10:00:00.000Z');
  });

  it('crosses midnight UTC and the year end', () => {
    expect(windowFor('2026-12-31T23:30:00Z')).toEqual({
      start: '2027-01-01T00:00:00.000Z',
      end: '2027-01-01T00:30:00.000Z',
    });
    expect(windowFor('2026-12-31T23:00:00Z')).toEqual({
      start: '2026-12-31T23:30:00.000Z',
      end: '2027-01-01T00:00:00.000Z',
    });
  });

  it('rejects a bad lead or time', () => {
    expect(() => windowFor('2026-11-28T10:00:00Z', -30)).toThrow('lead');
    expect(() => windowFor('2026-11-28T10:00:00Z', 1.5)).toThrow('lead');
    expect(() => windowFor('not a time')).toThrow('scheduledTime');
  });

  it('always yields a 30-minute window starting on a slot boundary, lead after the trigger slot', () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date('2000-01-01T00:00:00Z'),
          max: new Date('2100-01-01T00:00:00Z'),
          noInvalidDate: true,
        }),
        fc.integer({ min: 0, max: 24 * 60 }),
        (t, lead) => {
          const w = windowFor(t, lead);
          const start = Date.parse(w.start);
          expect(Date.parse(w.end) - start).toBe(SLOT_MINUTES * 60_000);
          expect(Date.parse(slotStart(t)) + lead * 60_000).toBe(start);
          expect(t.getTime() - Date.parse(slotStart(t))).toBeLessThan(SLOT_MINUTES * 60_000);
        },
      ),
    );
  });
});

describe('windows across DST changes (America/New_York)', () => {
  it('spring forward 2026-03-08: a 10:00 EDT sale is handled by the 13:30Z run, not the 14:30Z one', () => {
    const startsAt = zoned('2026-03-08T10:00:00', 'America/New_York');
    expect(startsAt).toBe('2026-03-08T14:00:00.000Z');
    expect(isInWindow(startsAt, windowFor('2026-03-08T13:30:00Z'))).toBe(true);
    expect(isInWindow(startsAt, windowFor('2026-03-08T14:30:00Z'))).toBe(false);
    // The day before, 10:00 EST is an hour later in UTC.
    const dayBefore = zoned('2026-03-07T10:00:00', 'America/New_York');
    expect(dayBefore).toBe('2026-03-07T15:00:00.000Z');
    expect(isInWindow(dayBefore, windowFor('2026-03-07T14:30:00Z'))).toBe(true);
  });

  it('fall back 2026-11-01: the two 01:30 local sales fall in different windows', () => {
    const firstOneThirty = '2026-11-01T05:30:00Z'; // 01:30 EDT
    const secondOneThirty = '2026-11-01T06:30:00Z'; // 01:30 EST
    const sales = [sale('edt', firstOneThirty), sale('est', secondOneThirty)];
    expect(salesInWindow(sales, windowFor('2026-11-01T05:00:00Z')).map((s) => s.saleId)).toEqual(['edt']);
    expect(salesInWindow(sales, windowFor('2026-11-01T06:00:00Z')).map((s) => s.saleId)).toEqual(['est']);
    expect(salesInWindow(sales, windowFor('2026-11-01T05:30:00Z'))).toEqual([]);
  });

  it('every instant belongs to exactly one window of a day of runs, DST day included', () => {
    const runs = Array.from({ length: 48 }, (_, i) =>
      windowFor(new Date(Date.parse('2026-11-01T00:00:00Z') + i * 1_800_000)),
    );
    fc.assert(
      fc.property(fc.integer({ min: 30 * 60_000, max: 24 * 3_600_000 + 29 * 60_000 }), (offset) => {
        const instant = new Date(Date.parse('2026-11-01T00:00:00Z') + offset).toISOString();
        expect(runs.filter((w) => isInWindow(instant, w))).toHaveLength(1);
      }),
    );
  });
});

describe('isInWindow and salesInWindow', () => {
  const w = windowFor('2026-12-09T14:30:00Z');

  it('is inclusive at the start and exclusive at the end', () => {
    expect(isInWindow('2026-12-09T15:00:00Z', w)).toBe(true);
    expect(isInWindow('2026-12-09T15:29:59.999Z', w)).toBe(true);
    expect(isInWindow('2026-12-09T15:30:00Z', w)).toBe(false);
    expect(isInWindow('2026-12-09T14:59:59.999Z', w)).toBe(false);
    expect(isInWindow('garbage', w)).toBe(false);
  });

  it('compares instants, not strings (offsets are honoured)', () => {
    expect(isInWindow('2026-12-09T10:00:00-05:00', w)).toBe(true);
  });

  it('returns the sales of the window ordered by start then id', () => {
    const sales = [
      sale('c', '2026-12-09T15:10:00Z'),
      sale('b', '2026-12-09T15:00:00Z'),
      sale('a', '2026-12-09T15:00:00Z'),
      sale('late', '2026-12-09T15:30:00Z'),
      sale('early', '2026-12-09T14:00:00Z'),
    ];
    expect(salesInWindow(sales, w).map((s) => s.saleId)).toEqual(['a', 'b', 'c']);
  });
});

describe('windowDays, utcDay and executionName', () => {
  it('lists one day, or two when the window crosses midnight UTC', () => {
    expect(windowDays(windowFor('2026-12-09T14:30:00Z'))).toEqual(['2026-12-09']);
    expect(windowDays({ start: '2026-12-31T23:45:00.000Z', end: '2027-01-01T00:15:00.000Z' })).toEqual([
      '2026-12-31',
      '2027-01-01',
    ]);
    // A window ending exactly at midnight does not touch the next day.
    expect(windowDays(windowFor('2026-12-31T23:00:00Z'))).toEqual(['2026-12-31']);
  });

  it('gives the UTC day of an instant, not the local one', () => {
    expect(utcDay('2026-12-09T23:30:00-05:00')).toBe('2026-12-10');
  });

  it('names an execution after the window start', () => {
    expect(executionName(windowFor('2026-11-28T09:30:00Z'))).toBe('window-20261128T1000Z');
    expect(executionName(windowFor('2026-12-31T23:30:00Z'))).toBe('window-20270101T0000Z');
    expect(executionName(windowFor('2026-11-28T09:30:00Z'))).toMatch(/^[A-Za-z0-9_-]{1,80}$/);
  });
});
