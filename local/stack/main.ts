/**
 * Runs the local stack on its own until Ctrl-C and prints its environment as `export` lines:
 *   npx tsx local/stack/main.ts [--data DIR] [--discovery DIR] [--prefix NAME]
 *     [--dynamodb-port N] [--kinesis-port N]
 */
import { parse } from '#cli/args';
import { startLocalStack } from './stack';

const { values } = parse(process.argv.slice(2), {
  data: { type: 'string' },
  discovery: { type: 'string' },
  prefix: { type: 'string' },
  'dynamodb-port': { type: 'string' },
  'kinesis-port': { type: 'string' },
});

const port = (value: string | undefined) => (value === undefined ? undefined : Number(value));
const quote = (value: string) => `'${value.replaceAll("'", "'\\''")}'`;

async function main(): Promise<void> {
  const dynamodb = port(values['dynamodb-port']);
  const kinesis = port(values['kinesis-port']);
  const stack = await startLocalStack({
    ...(values.data === undefined ? {} : { dataDir: values.data }),
    ...(values.discovery === undefined ? {} : { discoveryDir: values.discovery }),
    ...(values.prefix === undefined ? {} : { prefix: values.prefix }),
    ports: { ...(dynamodb === undefined ? {} : { dynamodb }), ...(kinesis === undefined ? {} : { kinesis }) },
  });
  for (const [key, value] of Object.entries(stack.env))
    process.stdout.write(`export ${key}=${quote(value)}\n`);
  process.stderr.write('local stack running; Ctrl-C to stop\n');
  const shutdown = () => {
    stack.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
