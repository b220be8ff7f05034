/**
 * `npm run local -- <command>`: operate the embedded local stack beyond the demo. Every command starts
 * the stack on its data dir (--data, default .local-data), does its work and stops it, so runs, tables
 * and stream persist between commands.
 */
import { resolve } from 'node:path';
import { issueLocalToken } from '#local/api/local-issuer';
import { postInboundReply } from '#local/inbound-reply';
import { formatMonitorReport } from '#local/monitor-report';
import { monitorPassBefore, type Session, startSession } from '#local/session';
import { FileRunStore } from '#local/stepfunctions/run-store';
import { formatTrace } from '#local/stepfunctions/trace';
import { buildSummary, formatSummary } from '#local/summary';
import { maskContact, normalizePhone } from '#shared/domain/contacts';
import { InvalidContactError } from '#shared/domain/errors';
import { parseNotificationKey } from '#shared/domain/keys';
import { instant, parse, positiveInt, runMain, UsageError } from './args';

const USAGE = `Usage: npm run local -- <command> [options]

Commands:
  seed [--fans N] [--event ID]         load the Discovery events and generate N fans (default 1000)
  sync [--window ISO]                  one sale monitoring pass: events with sign-ups and a sale in the next
                                       48 h refreshed from Discovery (at the time of the pass the schedule
                                       runs before that window, 5 minutes before it; default: now)
  run --window ISO                     run the window of that scheduled time (e.g. 2026-12-08T14:30:00Z),
                                       after the monitoring pass the schedule runs before it
  runs                                 list the local runs
  trace NAME                           the condensed history of a run
  redrive NAME                         resume a failed run: only unfinished work runs again
  notification KEY                     one notification by its key (saleId#fanId#channel), contact masked
  token --fan ID [--ttl SECONDS]       a token of the local issuer for fan ID (last line), for
                                       npm run api: -H "Authorization: Bearer <token>"
  reply --to NUMBER --text TEXT        the phone at NUMBER replies TEXT (YES, STOP, HELP...) to the
                                       messages it got: a signed inbound message to the webhook
                                       (--webhook URL: the one npm run api prints; else the stack on --data)

Options (every command):
  --data DIR        the local stack's data dir (default .local-data)
  --discovery DIR   Discovery event files to serve (default: the bundled samples)
  --json            machine-readable output
  -h, --help        this help`;

async function main(): Promise<number> {
  const [command, ...rest] = process.argv.slice(2);
  if (command === undefined || command === '-h' || command === '--help') {
    process.stdout.write(`${USAGE}\n`);
    return command === undefined ? 2 : 0;
  }
  const { values, positionals } = parse(
    rest,
    {
      data: { type: 'string' },
      discovery: { type: 'string' },
      window: { type: 'string' },
      fans: { type: 'string' },
      event: { type: 'string' },
      fan: { type: 'string' },
      ttl: { type: 'string' },
      to: { type: 'string' },
      text: { type: 'string' },
      webhook: { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    true,
  );
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const dataDir = resolve(values.data ?? '.local-data');
  const print = (text: string) => process.stdout.write(`${text}\n`);
  const one = (what: string) => {
    const value = positionals[0];
    if (!value || positionals.length > 1) throw new UsageError(`${command} takes exactly one ${what}`);
    return value;
  };

  if (command === 'token') {
    const fanId = values.fan;
    if (!fanId || !/^[^#\s\p{Cc}]{1,128}$/u.test(fanId)) {
      throw new UsageError('token needs --fan ID (1 to 128 characters, no #, spaces or control characters)');
    }
    const token = await issueLocalToken(fanId, positiveInt(values.ttl, '--ttl', 3600));
    process.stderr.write(
      `token of the local issuer for fan ${fanId}; use: -H "Authorization: Bearer <token>"\n`,
    );
    print(token);
    return 0;
  }

  if (command === 'reply') {
    if (!values.to || values.text === undefined)
      throw new UsageError('reply needs --to NUMBER and --text TEXT');
    let from: string;
    try {
      from = normalizePhone(values.to);
    } catch (error: unknown) {
      if (error instanceof InvalidContactError)
        throw new UsageError(`--to is not a usable number (${error.reason})`);
      throw error;
    }
    if (values.webhook) {
      const answer = await postInboundReply(values.webhook, { from, body: values.text });
      print(`${answer.status} ${answer.body}`);
      return answer.status < 300 ? 0 : 1;
    }
    const session = await startSession({ dataDir });
    try {
      const status = await session.stack.sandboxes.sms.sendInbound(session.stack.endpoints.inboundWebhook, {
        from,
        body: values.text,
      });
      print(`${status}`);
      return status < 300 ? 0 : 1;
    } finally {
      await session.stop();
    }
  }

  if (command === 'runs' || command === 'trace') {
    const store = new FileRunStore(dataDir);
    if (command === 'runs') {
      const runs = await store.list();
      if (values.json) print(JSON.stringify(runs.map(({ trace: _trace, ...run }) => run)));
      else if (runs.length === 0) print(`no runs in ${dataDir}`);
      else
        for (const run of runs)
          print(
            `${run.executionName.padEnd(28)} ${run.status.padEnd(9)} ${run.startedAt}  ${((run.durationMs ?? 0) / 1000).toFixed(1)} s`,
          );
      return 0;
    }
    const run = await store.get(one('run name'));
    if (!run)
      throw new UsageError(`no run named ${positionals[0]} in ${dataDir} (see: npm run local -- runs)`);
    print(values.json ? JSON.stringify(run) : formatTrace(run).join('\n'));
    return 0;
  }

  if (!['seed', 'sync', 'run', 'redrive', 'notification'].includes(command)) {
    throw new UsageError(`unknown command "${command}"`);
  }
  const window = instant(values.window, '--window');
  if (command === 'run' && !window) throw new UsageError('run needs --window ISO (the scheduled time)');
  const key = command === 'notification' ? one('notification key') : undefined;
  if (key) {
    try {
      parseNotificationKey(key);
    } catch {
      throw new UsageError(`"${key}" is not a notification key (saleId#fanId#channel)`);
    }
  }
  const name = command === 'redrive' ? one('run name') : undefined;

  const session = await startSession({
    dataDir,
    ...(values.discovery ? { discoveryDir: resolve(values.discovery) } : {}),
  });
  try {
    if (command === 'sync') {
      const report = await session.sync(window ? { at: monitorPassBefore(window) } : {});
      print(values.json ? JSON.stringify(report) : formatMonitorReport(report).join('\n'));
      return report.failed.length === 0 ? 0 : 1;
    }
    if (command === 'seed') {
      const events = await session.seedEvents();
      const chosen = values.event ? events.filter((event) => event.eventId === values.event) : events;
      if (chosen.length === 0) throw new UsageError(`no event ${values.event} in ${session.discoveryDir}`);
      const seeded = await session.seedFans(chosen, positiveInt(values.fans, '--fans', 1000));
      print(
        values.json
          ? JSON.stringify(seeded.byEvent)
          : `seeded ${events.length} events and ${seeded.demandRecords} sign-ups`,
      );
      return 0;
    }
    if (command === 'notification' && key) {
      const record = await session.repos.notifications.get(key);
      if (!record) {
        print(`no notification ${key}`);
        return 1;
      }
      const demand = await session.repos.demand.contacts(record.eventId, [
        { fanId: record.fanId, channel: record.channel },
      ]);
      const contact = [...demand.values()][0]?.contact;
      const shown = { ...record, contact: contact ? maskContact(contact) : null };
      print(JSON.stringify(shown, null, values.json ? 0 : 2));
      return 0;
    }
    const run =
      command === 'redrive' && name
        ? await session.redrive(name)
        : await runAfterMonitoring(session, window ?? '');
    if (!(await session.settleDelivery())) {
      process.stderr.write(
        'delivery statuses are still arriving: the summary shows the stored state so far\n',
      );
    }
    const summary = await buildSummary(session, run);
    print(
      values.json ? JSON.stringify(summary) : [...formatTrace(run), '', ...formatSummary(summary)].join('\n'),
    );
    return run.status === 'SUCCEEDED' ? 0 : 1;
  } finally {
    await session.stop();
  }
}

/** The monitoring pass the schedule runs before the window (its report on stderr), then the window. */
async function runAfterMonitoring(session: Session, scheduledTime: string) {
  const report = await session.sync({ at: monitorPassBefore(scheduledTime) });
  process.stderr.write(`${formatMonitorReport(report).join('\n')}\n`);
  return session.run({ scheduledTime });
}

void runMain(USAGE, main);
