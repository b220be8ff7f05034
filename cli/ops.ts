/**
 * ops: operator commands against a deployed stage (credentials and region from the usual AWS variables).
 *
 *   npm run --silent ops -- start --state-machine-arn ARN --window ISO [--lead-minutes N]
 *   npm run --silent ops -- start --state-machine-arn ARN --scheduled-time ISO [--lead-minutes N]
 *   npm run --silent ops -- redrive --execution-arn ARN
 *   npm run --silent ops -- redrive --state-machine-arn ARN --window ISO
 *   npm run --silent ops -- executions --state-machine-arn ARN [--status FAILED] [--window ISO] [--max N]
 *   npm run --silent ops -- stuck --sale SALE_ID [--older-than MINUTES]
 *
 * Results are JSON lines on stdout; errors on stderr. Exit 0 done, 1 the call failed, 2 bad arguments.
 */
import type { parseArgs } from 'node:util';
import {
  DescribeExecutionCommand,
  DescribeMapRunCommand,
  ExecutionStatus,
  ListExecutionsCommand,
  RedriveExecutionCommand,
  type SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { z } from 'zod';
import { documentClient, sfnClient } from '#shared/aws/clients';
import { loadConfig } from '#shared/config/env';
import { NotificationsRepository } from '#shared/data/notifications-repository';
import { DEFAULT_LEAD_MINUTES, executionName, windowFor } from '#shared/domain/windows';
import { DEFAULT_STUCK_MINUTES, reconcileStuckTriggered } from '#shared/lifecycle/reconcile';
import { parse, UsageError } from './args';

export const USAGE = `Usage: npm run --silent ops -- COMMAND [options]

Commands:
  start       start a window run by hand (backfill), named after its window: window-20261128T1000Z
                --state-machine-arn ARN   the stage's window state machine
                --window ISO              start of the window of sales to notify (a 30-minute slot), or
                --scheduled-time ISO      the time the schedule would have fired
                --lead-minutes N          the stage's LEAD_MINUTES (default: $LEAD_MINUTES or ${DEFAULT_LEAD_MINUTES})
  redrive     redrive a failed, timed-out or aborted window run from where it stopped; its failed Map
              Runs rerun only their failed children. Given a child execution (a sale or a shard) or a
              Map Run, redrives the window run it belongs to: AWS redrives Map Runs of STANDARD children
              only through their parent.
                --execution-arn ARN       a window run, a child execution, or a Map Run ARN, or
                --state-machine-arn ARN --window ISO   the latest unsuccessful run of that window
                --lead-minutes N          with --window (default: $LEAD_MINUTES or ${DEFAULT_LEAD_MINUTES})
  executions  list runs of the state machine, newest first, with the window each ran (from its
              input: scheduled runs are not named after their window)
                --state-machine-arn ARN
                --status STATUS           RUNNING | SUCCEEDED | FAILED | TIMED_OUT | ABORTED | PENDING_REDRIVE
                --window ISO              only the runs of this window
                --lead-minutes N          with --window (default: $LEAD_MINUTES or ${DEFAULT_LEAD_MINUTES})
                --max N                   at most N runs listed (default 50; with --window, of the
                                          newest 10 x N runs looked at)
  stuck       flag and list notifications of a sale left TRIGGERED (no status settled them); never resends
                --sale SALE_ID
                --older-than MINUTES      leased more than this long ago (default ${DEFAULT_STUCK_MINUTES})
  -h, --help  this text

Exit status: 0 done; 1 the AWS call failed (message on stderr); 2 invalid arguments.`;

export interface OpsIo {
  out: (line: string) => void;
  err: (line: string) => void;
}

export interface OpsDeps {
  sfn: () => Pick<SFNClient, 'send'>;
  /** The notifications table of the stage (NOTIFICATIONS_TABLE and the AWS environment). */
  notifications: () => Pick<NotificationsRepository, 'bySale' | 'markForReview'>;
  now: () => Date;
  env: Record<string, string | undefined>;
}

const OPTION_SPEC = {
  'state-machine-arn': { type: 'string' },
  'execution-arn': { type: 'string' },
  window: { type: 'string' },
  'scheduled-time': { type: 'string' },
  'lead-minutes': { type: 'string' },
  status: { type: 'string' },
  max: { type: 'string' },
  sale: { type: 'string' },
  'older-than': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

type Options = ReturnType<
  typeof parseArgs<{ options: typeof OPTION_SPEC; allowPositionals: true }>
>['values'];

const COMMAND_OPTIONS: Record<string, ReadonlyArray<keyof typeof OPTION_SPEC>> = {
  start: ['state-machine-arn', 'window', 'scheduled-time', 'lead-minutes'],
  redrive: ['execution-arn', 'state-machine-arn', 'window', 'lead-minutes'],
  executions: ['state-machine-arn', 'status', 'window', 'lead-minutes', 'max'],
  stuck: ['sale', 'older-than'],
};

const instant = z.iso.datetime({ offset: true });
const stateMachineArn = z.string().regex(/^arn:aws[\w-]*:states:[\w-]+:\d{12}:stateMachine:[\w-]+$/);
/** A window run, or a child execution of a Map Run (`execution:<machine>/<map run label>:<id>`). */
const executionArn = z
  .string()
  .regex(/^arn:aws[\w-]*:states:[\w-]+:\d{12}:execution:[\w-]+(\/[\w.-]+)?:[\w.-]+$/);
const mapRunArn = z.string().regex(/^arn:aws[\w-]*:states:[\w-]+:\d{12}:mapRun:[\w-]+\/[\w./:-]+$/);

function required(options: Options, name: keyof typeof OPTION_SPEC): string {
  const value = options[name];
  if (typeof value !== 'string' || value === '') throw new UsageError(`--${name} is required`);
  return value;
}

function checked<T>(schema: z.ZodType<T>, value: string, what: string): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new UsageError(`--${what}: invalid value ${JSON.stringify(value)}`);
  return parsed.data;
}

function wholeNumber(value: string | undefined, what: string, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value) || Number(value) < min) {
    throw new UsageError(`--${what}: expected a whole number >= ${min}, got ${JSON.stringify(value)}`);
  }
  return Number(value);
}

/** The scheduled time and execution name of a hand-started run, as PlanWindow will see them. */
export function startRequest(options: { window?: string; scheduledTime?: string; leadMinutes: number }): {
  scheduledTime: string;
  name: string;
} {
  const lead = options.leadMinutes * 60_000;
  const scheduledTime = options.scheduledTime
    ? new Date(options.scheduledTime).toISOString()
    : new Date(Date.parse(options.window ?? '') - lead).toISOString();
  return { scheduledTime, name: executionName(windowFor(scheduledTime, options.leadMinutes)) };
}

async function start(options: Options, io: OpsIo, deps: OpsDeps): Promise<number> {
  const arn = checked(stateMachineArn, required(options, 'state-machine-arn'), 'state-machine-arn');
  if ((options.window === undefined) === (options['scheduled-time'] === undefined)) {
    throw new UsageError('give exactly one of --window and --scheduled-time');
  }
  const leadMinutes = wholeNumber(
    options['lead-minutes'] ?? deps.env.LEAD_MINUTES,
    'lead-minutes',
    DEFAULT_LEAD_MINUTES,
    0,
  );
  const request = startRequest({
    ...(options.window === undefined ? {} : { window: checked(instant, options.window, 'window') }),
    ...(options['scheduled-time'] === undefined
      ? {}
      : { scheduledTime: checked(instant, options['scheduled-time'], 'scheduled-time') }),
    leadMinutes,
  });
  const result = await deps.sfn().send(
    new StartExecutionCommand({
      stateMachineArn: arn,
      name: request.name,
      input: JSON.stringify({ scheduledTime: request.scheduledTime }),
    }),
  );
  io.out(
    JSON.stringify({
      name: request.name,
      scheduledTime: request.scheduledTime,
      executionArn: result.executionArn,
      startDate: result.startDate?.toISOString(),
    }),
  );
  return 0;
}

function leadMinutesOf(options: Options, deps: OpsDeps): number {
  return wholeNumber(
    options['lead-minutes'] ?? deps.env.LEAD_MINUTES,
    'lead-minutes',
    DEFAULT_LEAD_MINUTES,
    0,
  );
}

/** The window (its start, ISO) a run handles, from its input `{"scheduledTime": ...}`. */
export function windowOfInput(input: string | undefined, leadMinutes: number): string | undefined {
  try {
    const scheduledTime = (JSON.parse(input ?? '') as { scheduledTime?: unknown }).scheduledTime;
    if (typeof scheduledTime !== 'string' || Number.isNaN(Date.parse(scheduledTime))) return undefined;
    return windowFor(scheduledTime, leadMinutes).start;
  } catch {
    return undefined;
  }
}

interface ListedRun {
  name?: string;
  status?: string;
  executionArn?: string;
  startDate?: Date;
  stopDate?: Date;
  redriveCount?: number;
  scheduledTime?: string;
  window?: string;
}

/**
 * The runs of the state machine, newest first, each with the window of its input. Scheduled runs carry
 * EventBridge Scheduler's execution names, so the window is read from the input (DescribeExecution).
 */
async function* runsOf(
  sfn: Pick<SFNClient, 'send'>,
  stateMachineArn: string,
  options: { status?: ExecutionStatus; leadMinutes: number; scan: number },
): AsyncGenerator<ListedRun> {
  let seen = 0;
  let nextToken: string | undefined;
  do {
    const page = await sfn.send(
      new ListExecutionsCommand({
        stateMachineArn,
        ...(options.status ? { statusFilter: options.status } : {}),
        maxResults: Math.min(100, options.scan - seen),
        ...(nextToken ? { nextToken } : {}),
      }),
    );
    for (const execution of page.executions ?? []) {
      if (seen >= options.scan) return;
      seen += 1;
      const described = await sfn.send(
        new DescribeExecutionCommand({ executionArn: execution.executionArn }),
      );
      const window = windowOfInput(described.input, options.leadMinutes);
      let scheduledTime: string | undefined;
      try {
        scheduledTime = (JSON.parse(described.input ?? '{}') as { scheduledTime?: string }).scheduledTime;
      } catch {
        scheduledTime = undefined;
      }
      yield {
        ...(execution.name ? { name: execution.name } : {}),
        ...(execution.status ? { status: execution.status } : {}),
        ...(execution.executionArn ? { executionArn: execution.executionArn } : {}),
        ...(execution.startDate ? { startDate: execution.startDate } : {}),
        ...(execution.stopDate ? { stopDate: execution.stopDate } : {}),
        ...(execution.redriveCount !== undefined ? { redriveCount: execution.redriveCount } : {}),
        ...(scheduledTime ? { scheduledTime } : {}),
        ...(window ? { window } : {}),
      };
    }
    nextToken = page.nextToken;
  } while (nextToken && seen < options.scan);
}

/**
 * The window run an ARN belongs to: a Map Run's parent execution, and a child execution's Map Run's
 * parent, up to the top. AWS redrives a failed Map Run with STANDARD children by redriving that parent
 * (https://docs.aws.amazon.com/step-functions/latest/dg/redrive-map-run.html).
 */
export async function windowRunOf(sfn: Pick<SFNClient, 'send'>, arn: string): Promise<string> {
  let current = arn;
  for (let depth = 0; depth < 10; depth++) {
    if (mapRunArn.safeParse(current).success) {
      const mapRun = await sfn.send(new DescribeMapRunCommand({ mapRunArn: current }));
      if (!mapRun.executionArn) throw new Error(`Map Run ${current} names no parent execution`);
      current = mapRun.executionArn;
      continue;
    }
    const execution = await sfn.send(new DescribeExecutionCommand({ executionArn: current }));
    if (!execution.mapRunArn) return current;
    current = execution.mapRunArn;
  }
  throw new Error(`no top-level execution found above ${arn}`);
}

async function redrive(options: Options, io: OpsIo, deps: OpsDeps): Promise<number> {
  const sfn = deps.sfn();
  let target: string;
  if (options['execution-arn'] !== undefined) {
    if (options.window !== undefined || options['state-machine-arn'] !== undefined) {
      throw new UsageError('give either --execution-arn or --state-machine-arn with --window');
    }
    const given = options['execution-arn'];
    if (!executionArn.safeParse(given).success && !mapRunArn.safeParse(given).success) {
      throw new UsageError(`--execution-arn: invalid value ${JSON.stringify(given)}`);
    }
    target = given;
  } else {
    const machine = checked(stateMachineArn, required(options, 'state-machine-arn'), 'state-machine-arn');
    const window = new Date(checked(instant, required(options, 'window'), 'window')).toISOString();
    const leadMinutes = leadMinutesOf(options, deps);
    let found: string | undefined;
    for await (const run of runsOf(sfn, machine, { leadMinutes, scan: 500 })) {
      if (run.window !== window || !run.executionArn) continue;
      if (run.status === 'SUCCEEDED' || run.status === 'RUNNING') {
        io.err(`ops: the latest run of window ${window} (${run.name}) is ${run.status}: nothing to redrive`);
        return 1;
      }
      found = run.executionArn;
      break;
    }
    if (!found) {
      io.err(`ops: no run of window ${window} among the last 500 runs of ${machine}`);
      return 1;
    }
    target = found;
  }
  const windowRun = await windowRunOf(sfn, target);
  const result = await sfn.send(new RedriveExecutionCommand({ executionArn: windowRun }));
  io.out(
    JSON.stringify({
      executionArn: windowRun,
      ...(windowRun !== target ? { requested: target } : {}),
      redriveDate: result.redriveDate?.toISOString(),
    }),
  );
  return 0;
}

async function executions(options: Options, io: OpsIo, deps: OpsDeps): Promise<number> {
  const arn = checked(stateMachineArn, required(options, 'state-machine-arn'), 'state-machine-arn');
  const statuses = Object.values(ExecutionStatus) as string[];
  const status = options.status?.toUpperCase();
  if (status !== undefined && !statuses.includes(status)) {
    throw new UsageError(`--status: expected one of ${statuses.join(', ')}`);
  }
  const max = wholeNumber(options.max, 'max', 50, 1);
  const window =
    options.window === undefined
      ? undefined
      : new Date(checked(instant, options.window, 'window')).toISOString();
  const leadMinutes = leadMinutesOf(options, deps);
  let listed = 0;
  for await (const run of runsOf(deps.sfn(), arn, {
    ...(status ? { status: status as ExecutionStatus } : {}),
    leadMinutes,
    scan: window ? max * 10 : max,
  })) {
    if (window && run.window !== window) continue;
    io.out(
      JSON.stringify({
        name: run.name,
        status: run.status,
        window: run.window,
        scheduledTime: run.scheduledTime,
        startDate: run.startDate?.toISOString(),
        stopDate: run.stopDate?.toISOString(),
        redriveCount: run.redriveCount,
        executionArn: run.executionArn,
      }),
    );
    listed += 1;
    if (listed >= max) break;
  }
  return 0;
}

async function stuck(options: Options, io: OpsIo, deps: OpsDeps): Promise<number> {
  const saleId = required(options, 'sale');
  const olderThanMinutes = wholeNumber(options['older-than'], 'older-than', DEFAULT_STUCK_MINUTES, 1);
  const found = await reconcileStuckTriggered(
    saleId,
    { olderThanMinutes, now: deps.now() },
    { notifications: deps.notifications() },
  );
  for (const notification of found) io.out(JSON.stringify(notification));
  io.err(`${found.length} notification(s) of sale ${saleId} flagged for review (STUCK_TRIGGERED)`);
  return 0;
}

const COMMANDS: Record<string, (options: Options, io: OpsIo, deps: OpsDeps) => Promise<number>> = {
  start,
  redrive,
  executions,
  stuck,
};

/** What an AWS error means to an operator; the SDK's own message otherwise. */
function explain(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  switch (error.name) {
    case 'ExecutionAlreadyExists':
      return 'an execution with this name already exists (a window runs once): redrive it instead';
    case 'ExecutionNotRedrivable':
      return `the execution cannot be redriven (${error.message}); a child of a Map Run is redriven through its window run`;
    case 'ExecutionDoesNotExist':
    case 'StateMachineDoesNotExist':
      return `not found: ${error.message}`;
    default:
      return `${error.name}: ${error.message}`;
  }
}

export async function runOps(argv: string[], io: OpsIo, deps: OpsDeps): Promise<number> {
  try {
    const { values, positionals } = parse(argv, OPTION_SPEC, true);
    if (values.help) {
      io.out(USAGE);
      return 0;
    }
    const [command, ...extra] = positionals;
    if (command === undefined) throw new UsageError('a command is required');
    const run = COMMANDS[command];
    const allowed = COMMAND_OPTIONS[command];
    if (!run || !allowed) throw new UsageError(`unknown command ${JSON.stringify(command)}`);
    if (extra.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(extra[0])}`);
    for (const name of Object.keys(values) as Array<keyof typeof OPTION_SPEC>) {
      if (name !== 'help' && !allowed.includes(name)) {
        throw new UsageError(`--${name} does not apply to ${command}`);
      }
    }
    return await run(values, io, deps);
  } catch (error: unknown) {
    if (error instanceof UsageError) {
      io.err(`ops: ${error.message}`);
      io.err('Run with --help for usage.');
      return 2;
    }
    io.err(`ops: ${explain(error)}`);
    return 1;
  }
}

if (require.main === module) {
  void runOps(
    process.argv.slice(2),
    {
      out: (line) => process.stdout.write(`${line}\n`),
      err: (line) => process.stderr.write(`${line}\n`),
    },
    {
      sfn: sfnClient,
      notifications: () => {
        // Read on use: only `stuck` needs a table name in the environment.
        const { NOTIFICATIONS_TABLE } = loadConfig(z.object({ NOTIFICATIONS_TABLE: z.string().min(1) }));
        return new NotificationsRepository(documentClient(), NOTIFICATIONS_TABLE);
      },
      now: () => new Date(),
      env: process.env,
    },
  ).then((code) => {
    process.exitCode = code;
  });
}
