import { TABLES, tableName } from '#shared/data/tables';

describe('table definitions', () => {
  it('names each table with the stage prefix', () => {
    expect(tableName('dmd-dev', 'optOuts')).toBe('dmd-dev-opt-outs');
  });

  it('gives every table a distinct environment variable', () => {
    const envVars = Object.values(TABLES).map((t) => t.envVar);
    expect(new Set(envVars).size).toBe(envVars.length);
  });
});
