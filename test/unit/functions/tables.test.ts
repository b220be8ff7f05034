/**
 * Each function reads the names of the tables it uses, and only those: a handler loads (cold start) with
 * just the table variables its catalog entry binds, and names the variable it misses otherwise.
 */
import { FUNCTIONS } from '#shared/catalog';
import { TABLES, type TableKey } from '#shared/data/tables';

/** Every setting but the table names, as a stage would give them (plain secrets, as on the local stack). */
const SETTINGS = {
  AWS_REGION: 'us-east-1',
  SMS_ACCOUNT_SID: 'AC00000000000000000000000000000000',
  SMS_AUTH_TOKEN: 'token',
  SMS_MESSAGING_SERVICE_SID: 'MG00000000000000000000000000000000',
  SMS_STATUS_CALLBACK_URL: 'https://example.com/status',
  EMAIL_FROM: 'reminders@example.com',
  DISCOVERY_API_KEY: 'key',
  BITLY_TOKEN: 'token',
  DELIVERY_STREAM_NAME: 'status-stream',
  UNSUBSCRIBE_BASE_URL: 'https://example.com/email/unsubscribe',
  UNSUBSCRIBE_SECRET: 'unsubscribe-signing-key-0123456789abcdef',
};

function load(name: string, tables: readonly TableKey[]): void {
  const saved = process.env;
  process.env = {
    ...SETTINGS,
    ...Object.fromEntries(tables.map((key) => [TABLES[key].envVar, `test-${key}`])),
  };
  try {
    jest.isolateModules(() => {
      require(`#functions/${name}/handler`);
    });
  } finally {
    process.env = saved;
  }
}

const CASES = FUNCTIONS.map((spec) => [spec.name, Object.keys(spec.tables) as TableKey[]] as const);

it.each(CASES)('%s starts with only the table names its catalog entry binds (%j)', (name, tables) => {
  expect(() => load(name, tables)).not.toThrow();
});

// A table granted but never read would be a permission too many.
it.each(CASES.flatMap(([name, tables]) => tables.map((missing) => [name, missing, tables] as const)))(
  '%s needs the %s table it is granted',
  (name, missing, tables) => {
    expect(() =>
      load(
        name,
        tables.filter((key) => key !== missing),
      ),
    ).toThrow(`${TABLES[missing].envVar}: not set`);
  },
);
