/**
 * `npm start`: the demo window on the embedded local stack. Starts dynalite, kinesalite and the provider
 * sandboxes, seeds the sample events and generated fans, runs one window with the real state machine and
 * handlers, waits for the delivery statuses, and prints the run's trace and summary.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { busiestWindow } from '#local/demo-window';
import { formatMonitorReport } from '#local/monitor-report';
import { RunProgress } from '#local/progress';
import { renderRunPicture } from '#local/run-picture';
import { readDiscoveryDir } from '#local/seed';
import { DEFAULT_DISCOVERY_DIR, monitorPassBefore, startSession } from '#local/session';
import { formatTrace } from '#local/stepfunctions/trace';
import { buildRunReport, formatSummary } from '#local/summary';
import { DEFAULT_LEAD_MINUTES, slotStart } from '#shared/domain/windows';
import { instant, parse, positiveInt, runMain, UsageError } from './args';

const USAGE = `Usage: npm start -- [options]

Runs one notification window end to end on the embedded local stack.

Options:
  --fans N           fans to generate for the window's events (default 3000)
  --window ISO       scheduled time of the run (default: the window holding the most sales of the
                     Discovery data, whatever today's date is); the local clock starts there
  --data DIR         keep tables, stream and runs in DIR between runs (default: in memory)
  --discovery DIR    folder of Discovery event JSON files to serve (default: the bundled samples)
  --mps M            SMS provider budget in messages per second (default 100)
  --picture FILE     where to write the run's picture, SVG (default: DIR/pictures/<run>.svg with
                     --data, else <tmp>/dmd-workers/<run>.svg)
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
    picture: { type: 'string' },
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
  const discoveryDir = values.discovery ? resolve(values.discovery) : DEFAULT_DISCOVERY_DIR;
  const { events } = await readDiscoveryDir(discoveryDir);
  if (events.length === 0) throw new UsageError(`no valid Discovery events in ${discoveryDir}`);
  const lead = Number(process.env.LEAD_MINUTES ?? DEFAULT_LEAD_MINUTES);
  const scheduledTime = requestedWindow ?? busiestWindow(events, lead);
  if (scheduledTime === undefined) throw new UsageError(`no sale in the Discovery events of ${discoveryDir}`);

  const session = await startSession({
    ...(values.data ? { dataDir: resolve(values.data) } : {}),
    discoveryDir,
    // The run happens at its scheduled time: sign-ups and event reads too, so a past window replays.
    clockStart: scheduledTime,
    logLevel: values.verbose ? 'INFO' : 'ERROR',
    env: { PROVIDER_MPS: String(mps) },
  });
  try {
    log(
      `local stack up: dynamodb ${session.stack.endpoints.dynamodb}, kinesis ${session.stack.endpoints.kinesis}`,
    );
    await session.seedEvents();
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
    // The monitoring pass the schedule runs 5 minutes before the window, then the window.
    const monitoring = await session.sync({ at: monitorPassBefore(scheduledTime) });
    for (const line of formatMonitorReport(monitoring)) log(line);
    progress.start();
    const run = await session.run({ scheduledTime, onEvent: progress.onEvent });
    progress.stop();
    log('waiting for delivery statuses...');
    const drained = await session.settleDelivery();
    if (!drained) log('delivery statuses are still arriving: the summary shows the stored state so far');

    const { summary, handOvers } = await buildRunReport(session, run);
    const picture =
      values.picture !== undefined
        ? resolve(values.picture)
        : join(
            values.data ? join(resolve(values.data), 'pictures') : join(tmpdir(), 'dmd-workers'),
            `${run.executionName}.svg`,
          );
    mkdirSync(dirname(picture), { recursive: true });
    writeFileSync(
      picture,
      renderRunPicture({ title: `${run.executionName}: reminders handed over`, series: handOvers }),
    );
    const out = process.stdout;
    out.write(
      `\n${formatTrace(run).join('\n')}\n\n${formatSummary(summary).join('\n')}\npicture of the run (reminders handed over against time, each sale's start marked): ${picture}\n`,
    );
    if (values.json) out.write(`${JSON.stringify(summary)}\n`);
    return run.status === 'SUCCEEDED' ? 0 : 1;
  } finally {
    await session.stop();
  }
}

void runMain(USAGE, main);
