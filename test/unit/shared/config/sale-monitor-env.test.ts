import { loadConfig, monitorRequestBudget, saleMonitorEnv } from '#shared/config/env';
import { ConfigurationError } from '#shared/config/errors';

describe('sale monitoring settings', () => {
  it('defaults to a pass every 10 minutes over 48 hours, using half of 5,000 daily requests', () => {
    const env = loadConfig(saleMonitorEnv, {});
    expect(env).toEqual({
      SALE_MONITOR_INTERVAL_MINUTES: 10,
      SALE_MONITOR_HORIZON_HOURS: 48,
      DISCOVERY_DAILY_QUOTA: 5000,
      SALE_MONITOR_QUOTA_PERCENT: 50,
      SALE_MONITOR_REQUESTS_PER_SECOND: 2,
    });
    // 144 passes a day share 2,500 requests: 17 each, 2,448 a day at most.
    expect(monitorRequestBudget(env)).toBe(17);
    expect(monitorRequestBudget(env) * 144).toBeLessThanOrEqual(2500);
  });

  it('gives fewer, larger passes the same daily share', () => {
    const env = loadConfig(saleMonitorEnv, {
      SALE_MONITOR_INTERVAL_MINUTES: '30',
      SALE_MONITOR_QUOTA_PERCENT: '60',
    });
    expect(monitorRequestBudget(env)).toBe(62);
  });

  it('refuses a pace above Discovery’s 5 requests a second, naming the variable', () => {
    expect(() => loadConfig(saleMonitorEnv, { SALE_MONITOR_REQUESTS_PER_SECOND: '8' })).toThrow(
      ConfigurationError,
    );
    expect(() => loadConfig(saleMonitorEnv, { SALE_MONITOR_REQUESTS_PER_SECOND: '8' })).toThrow(
      /SALE_MONITOR_REQUESTS_PER_SECOND/,
    );
  });
});
