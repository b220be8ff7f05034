/**
 * Runs the window state machine locally: the same ASL file, every Task bound to the same handler module
 * the Lambda deploys, executed by aws-local-stepfunctions. Records each run (status, trace, counts) so
 * the CLI can show and redrive it.
 */
import { lambdaContext } from '#local/lambda-context';
import { executionName as windowExecutionName, windowFor } from '#shared/domain/windows';
import { renderWindowDefinition } from '#statemachines/definition';
import { localFunctionArn, type TaskHandler, WINDOW_TASKS } from './bindings';
import { type EventLog, type MachineDefinition, runExecution, type TaskFunction } from './execution';
import type { RunStore } from './run-store';
import type { LocalRunRecord, TraceEntry } from './types';

export type { EventLog } from './execution';

export type Invoke = (input: unknown) => Promise<unknown>;

/** Wraps a task's invocation: fault injection (crash before/after), counting, delays. */
export type TaskInterceptor = (input: unknown, invoke: Invoke, attempt: number) => Promise<unknown>;

export interface LocalRunOptions {
  prefix: string;
  store: RunStore;
  /** The run's scheduled time (what EventBridge Scheduler passes). */
  scheduledTime: string;
  /** Default: the readable window name, made unique among the stored runs. */
  executionName?: string;
  leadMinutes?: number;
  /** Called for each engine event as it happens (progress display). */
  onEvent?: (event: EventLog) => void;
  intercept?: Partial<Record<string, TaskInterceptor>>;
  /**
   * Wait state `WaitBeforeRetry` in ms (default 1000: time for status callbacks to arrive); null waits the
   * state's own backoffSeconds, as on AWS (30 s after an ambiguous failure).
   */
  retryWaitMs?: number | null;
  /**
   * Wait state `WaitForProviderAck` (retry after an ambiguous failure) in ms; by default (or null) it waits
   * the state's backoffSeconds as on AWS (30 s): the acknowledgement must come through the status stream,
   * which is slowest exactly when the provider is.
   */
  ackWaitMs?: number | null;
  /** Interval between Step Functions retries of a failed Task in ms (default 100). */
  retryIntervalMs?: number;
}

const handlers = new Map<string, Promise<TaskHandler>>();

function loadHandler(state: string): Promise<TaskHandler> {
  const binding = WINDOW_TASKS.find((task) => task.state === state);
  if (!binding) throw new Error(`no handler bound to state ${state}`);
  let handler = handlers.get(state);
  if (!handler) {
    handler = binding.load();
    handlers.set(state, handler);
  }
  return handler;
}

/** A name not used by a stored run: the window's name, then -2, -3... */
export async function uniqueExecutionName(store: RunStore, base: string): Promise<string> {
  if (!(await store.get(base))) return base;
  for (let n = 2; ; n++) {
    const candidate = `${base}-${n}`;
    if (!(await store.get(candidate))) return candidate;
  }
}

export async function runWindow(options: LocalRunOptions): Promise<LocalRunRecord> {
  const lead = options.leadMinutes ?? Number(process.env.LEAD_MINUTES ?? 30);
  const name =
    options.executionName ??
    (await uniqueExecutionName(options.store, windowExecutionName(windowFor(options.scheduledTime, lead))));
  const record: LocalRunRecord = {
    executionName: name,
    scheduledTime: options.scheduledTime,
    input: { scheduledTime: options.scheduledTime },
    status: 'RUNNING',
    startedAt: new Date().toISOString(),
    transitions: 0,
    invocations: {},
    redrives: 0,
    trace: [],
  };
  return execute(record, options);
}

/**
 * Redrives a stored run the way RedriveExecution does: under its own name, from the state it stopped in
 * with that state's input; a Map state there redrives its Map Run, whose children that succeeded keep
 * their results and whose failed or aborted children continue from their own failure point. The work
 * itself is idempotent too (conditional creates, the TRIGGERED lease, Send pages keyed by round).
 */
export async function redriveRun(
  options: Omit<LocalRunOptions, 'scheduledTime' | 'executionName'> & { executionName: string },
): Promise<LocalRunRecord> {
  const previous = await options.store.get(options.executionName);
  if (!previous) throw new Error(`no local run named ${options.executionName}`);
  if (previous.status === 'SUCCEEDED' || previous.status === 'RUNNING') {
    throw new Error(
      `run ${previous.executionName} is ${previous.status}: only failed or aborted runs are redriven`,
    );
  }
  const record: LocalRunRecord = {
    ...previous,
    status: 'RUNNING',
    startedAt: new Date().toISOString(),
    redrives: previous.redrives + 1,
    trace: [],
    transitions: 0,
    invocations: {},
  };
  delete record.error;
  delete record.output;
  return execute(record, { ...options, scheduledTime: previous.scheduledTime }, true);
}

async function execute(
  record: LocalRunRecord,
  options: LocalRunOptions,
  redrive = false,
): Promise<LocalRunRecord> {
  const definition = JSON.parse(
    renderWindowDefinition((name) => localFunctionArn(options.prefix, name)),
  ) as MachineDefinition;
  const attempts = new Map<string, number>();

  const tasks: Record<string, TaskFunction> = Object.fromEntries(
    WINDOW_TASKS.map((task) => [
      task.state,
      async (input: unknown) => {
        record.invocations[task.functionName] = (record.invocations[task.functionName] ?? 0) + 1;
        const invoke: Invoke = async (payload) => {
          const handler = await loadHandler(task.state);
          // A Lambda sees JSON in and returns JSON out.
          const result = await handler(JSON.parse(JSON.stringify(payload)), lambdaContext(task.functionName));
          return JSON.parse(JSON.stringify(result ?? null));
        };
        const interceptor = options.intercept?.[task.state];
        const output = await (async () => {
          if (!interceptor) return invoke(input);
          const key = `${task.state}:${JSON.stringify(input)}`;
          const attempt = (attempts.get(key) ?? 0) + 1;
          attempts.set(key, attempt);
          return interceptor(input, invoke, attempt);
        })();
        // The Summarize step returns the summary with what a second pass needs.
        if (task.state === 'Summarize') record.summary = (output as { summary?: unknown } | null)?.summary;
        return output;
      },
    ]),
  );
  const retryInterval = options.retryIntervalMs ?? 100;
  const started = Date.now();
  record.startedAt = new Date(started).toISOString();
  await options.store.save(record);

  const stateMachineArn = `arn:aws:states:us-east-1:000000000000:stateMachine:${options.prefix}-window`;
  await runExecution({
    definition,
    name: record.executionName,
    input: record.input,
    state: record,
    redrive,
    setup: {
      tasks,
      waitTimeOverrides: {
        ...(options.retryWaitMs === null ? {} : { WaitBeforeRetry: options.retryWaitMs ?? 1000 }),
        ...(options.ackWaitMs == null ? {} : { WaitForProviderAck: options.ackWaitMs }),
      },
      retryIntervalOverrides: retryIntervals(definition, retryInterval),
      stateMachine: { Id: stateMachineArn, Name: `${options.prefix}-window` },
      executionArnPrefix: `arn:aws:states:us-east-1:000000000000:execution:${options.prefix}-window`,
      roleArn: `arn:aws:iam::000000000000:role/${options.prefix}-window`,
      emit: (event) => {
        options.onEvent?.(event);
        const entry = traceEntry(event, started);
        if (entry.type === 'StateEntered') record.transitions++;
        record.trace.push(entry);
      },
    },
  });
  record.stoppedAt = new Date().toISOString();
  record.durationMs = Date.now() - started;
  await options.store.save(record);
  return record;
}

/** The error of a Lambda started with the input of an invocation still running (Powertools idempotency). */
const IN_PROGRESS = 'IdempotencyAlreadyInProgressError';

/**
 * Step Functions retry intervals, per Task state and retrier: shortened to `intervalMs`, except the
 * retrier of an invocation still in progress, which waits as defined. An invocation can outlive its Task
 * (a Task time-out, a child aborted by its Map Run, a Lambda service error): the next attempt with the
 * same input must wait for it to finish, as it would on AWS, instead of running out of attempts at once.
 */
function retryIntervals(definition: MachineDefinition, intervalMs: number): Record<string, number[]> {
  const intervals: Record<string, number[]> = {};
  const walk = (states: MachineDefinition['States']) => {
    for (const [name, state] of Object.entries(states)) {
      const retry = state.Retry as Array<{ ErrorEquals: string[] }> | undefined;
      if (state.Type === 'Task' && retry) {
        intervals[name] = retry.map((retrier) =>
          retrier.ErrorEquals.includes(IN_PROGRESS) ? -1 : intervalMs,
        );
      }
      const processor = state.ItemProcessor as MachineDefinition | undefined;
      if (processor?.States) walk(processor.States);
    }
  };
  walk(definition.States);
  return intervals;
}

function traceEntry(event: EventLog, started: number): TraceEntry {
  const entry: TraceEntry = { at: event.timestamp - started, type: event.type };
  if ('state' in event) entry.state = event.state.name;
  if ('parentState' in event) entry.parent = event.parentState.name;
  if ('index' in event && typeof event.index === 'number') entry.index = event.index;
  if ('Error' in event) {
    entry.error = event.Error;
    entry.cause = typeof event.Cause === 'string' ? event.Cause : JSON.stringify(event.Cause);
  }
  if ('retry' in event) entry.attempt = event.retry.attempt;
  return entry;
}
