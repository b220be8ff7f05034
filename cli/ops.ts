/**
 * ops: operator commands against a deployed stage (credentials and region from the usual AWS variables).
 *
 *   npm run --silent ops -- start --state-machine-arn ARN --window ISO [--lead-minutes N]
 *   npm run --silent ops -- start --state-machine-arn ARN --scheduled-time ISO [--lead-minutes N]
 *   npm run --silent ops -- redrive --execution-arn ARN
 *   npm run --silent ops -- executions --state-machine-arn ARN [--status FAILED] [--max N]
 *   npm run --silent ops -- stuck --sale SALE_ID [--older-than MINUTES]
 *
 * Results are JSON lines on stdout; errors on stderr. Exit 0 done, 1 the call failed, 2 bad arguments.
 */
import { parseArgs } from 'node:util';
import {
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

export const USAGE = `Usage: npm run --silent ops -- COMMAND [options]

Commands:
  start       start a window run by hand (backfill), named after its window: window-20261128T1000Z
                --state-machine-arn ARN   the stage's window state machine
                --window ISO              start of the window of sales to notify (a 30-minute slot), or
                --scheduled-time ISO      the time the schedule would have fired
                --lead-minutes N          the stage's LEAD_MINUTES (default: $LEAD_MINUTES or ${DEFAULT_LEAD_MINUTES})
  redrive     redrive a failed, timed-out or aborted run from where it stopped
                --execution-arn ARN
  executions  list runs of the state machine, newest first
                --state-machine-arn ARN
                --status STATUS           RUNNING | SUCCEEDED | FAILED | TIMED_OUT | ABORTED | PENDING_REDRIVE
                --max N                   at most N runs (default 50)
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

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
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
  redrive: ['execution-arn'],
  executions: ['state-machine-arn', 'status', 'max'],
  stuck: ['sale', 'older-than'],
};

const instant = z.iso.datetime({ offset: true });
const stateMachineArn = z.string().regex(/^arn:aws[\w-]*:states:[\w-]+:\d{12}:stateMachine:[\w-]+$/);
const executionArn = z.string().regex(/^arn:aws[\w-]*:states:[\w-]+:\d{12}:execution:[\w-]+:[\w-]+$/);

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

async function redrive(options: Options, io: OpsIo, deps: OpsDeps): Promise<number> {
  const arn = checked(executionArn, required(options, 'execution-arn'), 'execution-arn');
  const result = await deps.sfn().send(new RedriveExecutionCommand({ executionArn: arn }));
  io.out(JSON.stringify({ executionArn: arn, redriveDate: result.redriveDate?.toISOString() }));
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
  let listed = 0;
  let nextToken: string | undefined;
  do {
    const page = await deps.sfn().send(
      new ListExecutionsCommand({
        stateMachineArn: arn,
        ...(status ? { statusFilter: status as ExecutionStatus } : {}),
        maxResults: Math.min(100, max - listed),
        ...(nextToken ? { nextToken } : {}),
      }),
    );
    for (const execution of page.executions ?? []) {
      if (listed >= max) break;
      io.out(
        JSON.stringify({
          name: execution.name,
          status: execution.status,
          startDate: execution.startDate?.toISOString(),
          stopDate: execution.stopDate?.toISOString(),
          redriveCount: execution.redriveCount,
          executionArn: execution.executionArn,
        }),
      );
      listed += 1;
    }
    nextToken = page.nextToken;
  } while (nextToken && listed < max);
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
      return `the execution cannot be redriven (${error.message})`;
    case 'ExecutionDoesNotExist':
    case 'StateMachineDoesNotExist':
      return `not found: ${error.message}`;
    default:
      return `${error.name}: ${error.message}`;
  }
}

export async function runOps(argv: string[], io: OpsIo, deps: OpsDeps): Promise<number> {
  try {
    let parsed: { values: Options; positionals: string[] };
    try {
      parsed = parseArgs({ args: argv, options: OPTION_SPEC, allowPositionals: true, strict: true });
    } catch (error: unknown) {
      throw new UsageError(error instanceof Error ? error.message : String(error));
    }
    const { values, positionals } = parsed;
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
