/**
 * `npm run api`: the local stack plus the GraphQL server, until Ctrl-C. The resolver handler is imported
 * after the local environment is applied, as a Lambda reads its configuration at cold start.
 */
import { applyEnv, startLocalStack } from '#local/stack/stack';
import { parseApiArgs, USAGE, UsageError } from './cli';
import { type LambdaHandler, startApiServer } from './server';

async function main(): Promise<void> {
  const options = parseApiArgs(process.argv.slice(2));
  if (options.help) {
    process.stdout.write(USAGE);
    return;
  }
  const stack = await startLocalStack({
    ...(options.discoveryDir === undefined ? {} : { discoveryDir: options.discoveryDir }),
    ...(options.dataDir === undefined ? {} : { dataDir: options.dataDir }),
    env: {
      POWERTOOLS_METRICS_DISABLED: 'true',
      POWERTOOLS_LOG_LEVEL: options.quiet ? 'ERROR' : 'WARN',
    },
  });
  applyEnv(stack.env);
  // The inbound SMS webhook (replies YES / STOP / HELP) and the status stream, as in a session.
  const { bindDelivery } = await import('#local/delivery');
  await bindDelivery(stack);
  const { handler } = (await import('#functions/api/handler')) as { handler: LambdaHandler };
  let server: Awaited<ReturnType<typeof startApiServer>>;
  try {
    server = await startApiServer({ handler, port: options.port });
  } catch (error: unknown) {
    await stack.stop();
    throw error;
  }
  process.stderr.write(
    `GraphQL API at ${server.url} (Discovery sandbox ${stack.endpoints.discovery}, events: ${stack.sandboxes.discovery.eventIds().join(', ')})\n` +
      `Sign in: npm run --silent local -- token --fan ID  (then -H "Authorization: Bearer <token>")\n` +
      `Inbound SMS webhook: ${stack.endpoints.inboundWebhook}  (npm run local -- reply --to NUMBER --text YES --webhook URL)\n` +
      'Ctrl-C to stop\n',
  );
  const shutdown = () => {
    Promise.all([server.stop(), stack.stop()]).then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

main().catch((error: unknown) => {
  if (error instanceof UsageError) {
    process.stderr.write(`${error.message}\n\n${USAGE}`);
    process.exit(2);
  }
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
