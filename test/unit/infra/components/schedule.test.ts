import { saleMonitorScheduleExpression } from '#infra/components/schedule';

describe('saleMonitorScheduleExpression', () => {
  it.each([
    [10, 'cron(5/10 * * * ? *)'],
    [5, 'cron(0/5 * * * ? *)'],
    [15, 'cron(10/15 * * * ? *)'],
    [30, 'cron(25/30 * * * ? *)'],
    [60, 'cron(55 * * * ? *)'],
  ])('every %i minutes, one pass 5 minutes before each window run: %s', (minutes, expression) => {
    expect(saleMonitorScheduleExpression(minutes)).toBe(expression);
    // Window runs are at :00 and :30; a pass falls at :25 and :55 whatever the interval.
    const first = Number(/^cron\((\d+)/.exec(expression)?.[1]);
    const passes = Array.from({ length: 60 / minutes }, (_, i) => first + i * minutes);
    expect(passes).toEqual(expect.arrayContaining(minutes <= 30 ? [25, 55] : [55]));
  });

  it('refuses an interval that does not divide the hour, naming it', () => {
    expect(() => saleMonitorScheduleExpression(7)).toThrow(
      'sale monitor interval must divide 60 minutes, got 7',
    );
  });
});
