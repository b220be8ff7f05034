/** Arguments of `npm run api`, parsed and checked (pure: the tests call it directly). */
import { existsSync, statSync } from 'node:fs';
import { parse, UsageError } from '#cli/args';

export const USAGE = `Usage: npm run api -- [options]

Serves schema/schema.graphql at http://127.0.0.1:PORT/graphql on the local stack (dynalite and the
Discovery sandbox), resolving every field with the resolver Lambda handler (functions/api/handler.ts).

Options:
  --port N           port to listen on (default 4000; 0 picks a free one)
  --discovery DIR    folder of Discovery events the sandbox serves (default test/fixtures/discovery)
  --data DIR         keep the tables between runs in DIR (default: in memory)
  --quiet            no per-request logs from the handler
  -h, --help         this text

Example:
  curl -s http://127.0.0.1:4000/graphql -H 'content-type: application/json' \\
    -d '{"query":"{ eventDetails(eventId: \\"vvG1fZ4Ax3kTpQ\\") { name city sales { name localStart { short } } } }"}'
`;

export { UsageError };

export interface ApiCliOptions {
  help: boolean;
  port: number;
  discoveryDir?: string;
  dataDir?: string;
  quiet: boolean;
}

export function parseApiArgs(argv: string[]): ApiCliOptions {
  const { values } = parse(argv, {
    port: { type: 'string' },
    discovery: { type: 'string' },
    data: { type: 'string' },
    quiet: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  const help = values.help === true;
  const rawPort = typeof values.port === 'string' ? values.port : '4000';
  if (!/^\d{1,5}$/.test(rawPort) || Number(rawPort) > 65_535) {
    throw new UsageError(`--port must be a number from 0 to 65535, got '${rawPort}'`);
  }
  const options: ApiCliOptions = { help, port: Number(rawPort), quiet: values.quiet === true };
  if (typeof values.discovery === 'string') {
    if (!existsSync(values.discovery) || !statSync(values.discovery).isDirectory()) {
      throw new UsageError(`--discovery: '${values.discovery}' is not a folder`);
    }
    options.discoveryDir = values.discovery;
  }
  if (typeof values.data === 'string') {
    if (values.data.trim() === '') throw new UsageError('--data needs a folder');
    options.dataDir = values.data;
  }
  return options;
}
