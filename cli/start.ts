/**
 * `npm start`: the demo window on the embedded local stack. Starts dynalite, kinesalite and the provider
 * sandboxes, seeds the sample events and generated fans, runs one window with the real state machine and
 * handlers, waits for the delivery statuses, and prints the run's trace and summary.
 */
import { resolve } from 'node:path';
import { slotStart } from '#shared/domain/windows';
import { RunProgress } from '../local/progress';
import { startSession } from '../local/session';
import { formatTrace } from '../local/stepfunctions/trace';
import { buildSummary, formatSummary } from '../local/summary';
import { instant, parse, positiveInt, runMain, UsageError } from './args';

const USAGE = `Usage: npm start -- [options]

Runs one notification window end to end on the embedded local stack.

Options:
  --fans N           fans to generate for the window's events (default 3000)
  --window ISO       scheduled time of the run (default: the window holding the earliest upcoming sale)
  --data DIR         keep tables, stream and runs in DIR between runs (default: in memory)
  --discovery DIR    folder of Discovery event JSON files to serve (default: the bundled samples)
  --mps M            SMS provider budget in messages per second (default 100)
  --json             print the summary as one JSON object on the last line of stdout
  --verbose          the functions' logs (INFO) on stdout
  -h, --help         this help`;

async function main(): Promise<number> {
  const { values } = parse(process.argv.slice(2), {
    fans: { type: 'string' },
    window: { type: 'string' },
    data: { type: 'string' },
    discovery: { type: 'string' },
    mps: { type: 'string' },
    json: { type: 'boolean', default: false },
    verbose: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const fans = positiveInt(values.fans, '--fans', 3000);
  const mps = positiveInt(values.mps, '--mps', 100);
  const requestedWindow = instant(values.window, '--window');
  const log = (line: string) => process.stderr.write(`${line}\n`);

  const session = await startSession({
    ...(values.data ? { dataDir: resolve(values.data) } : {}),
    ...(values.discovery ? { discoveryDir: resolve(values.discovery) } : {}),
    logLevel: values.verbose ? 'INFO' : 'ERROR',
    env: { PROVIDER_MPS: String(mps) },
  });
  try {
    log(
      `local stack up: dynamodb ${session.stack.endpoints.dynamodb}, kinesis ${session.stack.endpoints.kinesis}`,
    );
    const events = await session.seedEvents();
    if (events.length === 0) throw new UsageError(`no valid Discovery events in ${session.discoveryDir}`);
    const lead = Number(session.stack.env.LEAD_MINUTES);
    const scheduledTime = requestedWindow ?? defaultScheduledTime(events, lead);
    const windowStart = Date.parse(slotStart(scheduledTime)) + lead * 60_000;
    const inWindow = events.filter((event) =>
      event.sales.some((sale) => {
        const t = Date.parse(sale.startsAt);
        return t >= windowStart && t < windowStart + 30 * 60_000;
      }),
    );
    const seeded = await session.seedFans(inWindow.length > 0 ? inWindow : events, fans);
    log(
      `seeded ${events.length} events, ${seeded.demandRecords} sign-ups (${seeded.signUps - seeded.demandRecords} repeated) for ${Object.keys(seeded.byEvent).length} events; running the window scheduled at ${scheduledTime}`,
    );

    const progress = new RunProgress(
      process.stderr,
      () => session.stack.sandboxes.sms.counters.accepted + session.stack.sandboxes.ses.counters.sent,
    );
    progress.start();
    const run = await session.run({ scheduledTime, onEvent: progress.onEvent });
    progress.stop();
    log('waiting for delivery statuses...');
    const drained = await session.settleDelivery();
    if (!drained) log('delivery statuses are still arriving: the summary shows the stored state so far');

    const summary = await buildSummary(session, run);
    const out = process.stdout;
    out.write(`\n${formatTrace(run).join('\n')}\n\n${formatSummary(summary).join('\n')}\n`);
    if (values.json) out.write(`${JSON.stringify(summary)}\n`);
    return run.status === 'SUCCEEDED' ? 0 : 1;
  } finally {
    await session.stop();
  }
}

/** The scheduled time whose window holds the earliest sale still ahead (its start minus the lead). */
function defaultScheduledTime(
  events: Array<{ sales: Array<{ startsAt: string }> }>,
  leadMinutes: number,
): string {
  const now = Date.now() + leadMinutes * 60_000;
  const upcoming = events
    .flatMap((event) => event.sales.map((sale) => Date.parse(sale.startsAt)))
    .filter((t) => t >= now)
    .sort((a, b) => a - b);
  const first = upcoming[0];
  if (first === undefined) throw new UsageError('no upcoming sale in the Discovery events: pass --window');
  return slotStart(new Date(first - leadMinutes * 60_000));
}

void runMain(USAGE, main);
