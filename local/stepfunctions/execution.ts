/**
 * One Step Functions execution on aws-local-stepfunctions, with the parts of the service the engine does
 * not model done here the way AWS documents them:
 *
 * - A Map state in DISTRIBUTED mode is a Map Run of child executions (each its own execution, its own
 *   history, its own failure point), run by `runMapRun` below. The engine runs every Map inline and ignores
 *   ToleratedFailurePercentage/ToleratedFailureCount.
 * - Redrive: a failed or aborted execution continues from the state where it stopped, with that state's
 *   input; a Map state that stopped redrives its Map Run, which reruns only the children that did not
 *   succeed (each again from its own failure point) and keeps the others' results.
 *   https://docs.aws.amazon.com/step-functions/latest/dg/redrive-executions.html
 *   https://docs.aws.amazon.com/step-functions/latest/dg/redrive-map-run.html
 * - The 256 KiB limit on every state's input and output (`States.DataLimitExceeded`, see limits.ts).
 */
import { StateMachine } from 'aws-local-stepfunctions';
import { checkPayload, DataLimitExceededError } from './limits';
import { applyTemplate, readPath } from './paths';
import type { ExecutionState, MapRunRecord } from './types';

/** An event of the engine's log (the package does not export the type). */
export type EventLog =
  ReturnType<StateMachine['run']>['eventLogs'] extends AsyncGenerator<infer E> ? E : never;

type Json = Record<string, unknown>;
type StateDefinition = Json & { Type: string };
export interface MachineDefinition {
  StartAt: string;
  States: Record<string, StateDefinition>;
  TimeoutSeconds?: number;
  Comment?: string;
}

export type TaskFunction = (input: unknown) => Promise<unknown>;

export interface EngineSetup {
  /** Task handlers by state name (the same for the parent and every child). */
  tasks: Record<string, TaskFunction>;
  waitTimeOverrides: Record<string, number>;
  /** Per Task state: one interval (ms) for every retrier, or one per retrier (negative: as defined). */
  retryIntervalOverrides: Record<string, number | number[]>;
  /** The context object's StateMachine part and the account's ARN prefix for executions. */
  stateMachine: { Id: string; Name: string };
  executionArnPrefix: string;
  roleArn: string;
  /** Every event of every execution, children's with the Map state and item index they belong to. */
  emit: (event: EventLog) => void;
}

/** The error a Map Run fails with once its failures exceed the tolerated threshold. */
export class ToleratedFailureThresholdError extends Error {
  constructor(failed: number, total: number) {
    super(`The Map Run failed: ${failed} of ${total} child executions failed, more than tolerated.`);
    this.name = 'States.ExceedToleratedFailureThreshold';
  }
}

class ExecutionStopped extends Error {}

/**
 * A Map Run has no time-out of its own (the engine would give the Task standing in for it 60 s): the
 * longest a Node timer can wait, about 24 days.
 */
const MAP_RUN_TIMEOUT_SECONDS = 2_000_000;
const MAP_RUN_RESOURCE = 'arn:aws:states:::local:map-run';

function isDistributedMap(state: StateDefinition): boolean {
  const processor = state.ItemProcessor as { ProcessorConfig?: { Mode?: string } } | undefined;
  return state.Type === 'Map' && processor?.ProcessorConfig?.Mode === 'DISTRIBUTED';
}

/** The definition the engine runs: every distributed Map becomes a Task this module handles. */
function engineDefinition(definition: MachineDefinition, startAt: string): MachineDefinition {
  const States: Record<string, StateDefinition> = {};
  for (const [name, state] of Object.entries(definition.States)) {
    if (!isDistributedMap(state)) {
      States[name] = state;
      continue;
    }
    const task: StateDefinition = {
      Type: 'Task',
      Resource: MAP_RUN_RESOURCE,
      TimeoutSeconds: MAP_RUN_TIMEOUT_SECONDS,
    };
    for (const field of ['InputPath', 'ResultSelector', 'ResultPath', 'OutputPath', 'Retry', 'Catch']) {
      if (field in state) task[field] = state[field];
    }
    if (state.Next) task.Next = state.Next;
    if (state.End) task.End = state.End;
    States[name] = task;
  }
  return { ...definition, StartAt: startAt, States };
}

export interface ExecutionParams {
  definition: MachineDefinition;
  name: string;
  input: unknown;
  /** Where this execution's status, failure point and Map Runs are recorded (and read back on redrive). */
  state: ExecutionState;
  redrive: boolean;
  setup: EngineSetup;
  signal?: AbortSignal;
  /** For a child execution: the Map state and item index its events are reported under. */
  parent?: { map: string; index: number; input: unknown };
}

/**
 * Runs (or redrives) one execution to its end; records SUCCEEDED with the output, or FAILED/ABORTED with
 * the error and the state it stopped in. Never throws for the execution's own failure.
 */
export async function runExecution(params: ExecutionParams): Promise<ExecutionState> {
  const { definition, state, setup } = params;
  let startAt = definition.StartAt;
  let input = params.input;
  const redriveMaps = new Set<string>();
  if (params.redrive && state.stoppedIn) {
    startAt = state.stoppedIn.state;
    input = state.stoppedIn.input;
    redriveMaps.add(startAt);
  }
  state.status = 'RUNNING';
  delete state.error;
  delete state.output;
  delete state.stoppedIn;
  state.mapRuns ??= {};

  const controller = new AbortController();
  const onParentAbort = () => controller.abort();
  params.signal?.addEventListener('abort', onParentAbort, { once: true });
  let limitError: DataLimitExceededError | undefined;

  const guard = (what: string, value: unknown) => {
    try {
      checkPayload(what, value);
    } catch (error: unknown) {
      if (error instanceof DataLimitExceededError) limitError ??= error;
      throw error;
    }
  };

  const handlers: Record<string, TaskFunction> = {};
  for (const [name, stateDefinition] of Object.entries(definition.States)) {
    if (isDistributedMap(stateDefinition)) {
      handlers[name] = async (mapInput) => {
        const result = await runMapRun({
          name,
          map: stateDefinition,
          input: mapInput,
          parentName: params.name,
          record: state.mapRuns as Record<string, MapRunRecord>,
          redrive: redriveMaps.delete(name),
          setup,
          signal: controller.signal,
        });
        guard(`the result of Map state ${name}`, result);
        return result;
      };
    } else if (stateDefinition.Type === 'Task') {
      const task = setup.tasks[name];
      if (!task) throw new Error(`no local handler for Task state ${name}`);
      handlers[name] = async (taskInput) => {
        guard(`the input of Task ${name}`, taskInput);
        const output = await task(taskInput);
        guard(`the output of Task ${name}`, output);
        return output;
      };
    }
  }

  const machine = new StateMachine(engineDefinition(definition, startAt) as never, {
    validationOptions: { noValidate: true },
  });
  const executionArn = `${setup.executionArnPrefix}:${params.name}`;
  const execution = machine.run(input as never, {
    overrides: {
      taskResourceLocalHandlers: handlers as never,
      waitTimeOverrides: setup.waitTimeOverrides,
      retryIntervalOverrides: setup.retryIntervalOverrides,
    },
    context: {
      Execution: {
        Id: executionArn,
        Name: params.name,
        StartTime: new Date().toISOString(),
        Input: input as never,
        RoleArn: setup.roleArn,
        ...(params.redrive ? { RedriveCount: 1 } : {}),
      },
      StateMachine: setup.stateMachine,
    } as never,
  });
  const onAbort = () => execution.abort();
  controller.signal.addEventListener('abort', onAbort, { once: true });

  let open: { state: string; input: unknown } | undefined;
  const collect = (async () => {
    for await (const event of execution.eventLogs) {
      if (event.type === 'StateEntered') {
        open = { state: event.state.name, input: event.state.input };
        checkEvent(`the input of state ${event.state.name}`, event.state.input);
      } else if (event.type === 'StateExited') {
        open = undefined;
        checkEvent(`the output of state ${event.state.name}`, event.state.output);
      }
      setup.emit(params.parent ? asChildEvent(event, params.parent) : event);
    }
  })();
  function checkEvent(what: string, value: unknown) {
    if (limitError) return;
    try {
      checkPayload(what, value);
    } catch (error: unknown) {
      if (!(error instanceof DataLimitExceededError)) throw error;
      limitError = error;
      execution.abort();
    }
  }

  try {
    state.output = await execution.result;
    state.status = 'SUCCEEDED';
  } catch (error: unknown) {
    const failure = (error as { cause?: unknown }).cause ?? error;
    const { name, message } = failure as { name?: string; message?: string };
    if (limitError) {
      state.status = 'FAILED';
      state.error = { error: limitError.name, cause: limitError.message };
    } else if ((error as Error).name === 'ExecutionAbortedError' || failure instanceof ExecutionStopped) {
      state.status = 'ABORTED';
      state.error = { error: 'States.Aborted', cause: 'aborted' };
    } else {
      state.status = 'FAILED';
      state.error = { error: name ?? 'Error', cause: message ?? String(failure) };
    }
  } finally {
    controller.signal.removeEventListener('abort', onAbort);
    params.signal?.removeEventListener('abort', onParentAbort);
  }
  await collect.catch(() => undefined);
  if (state.status !== 'SUCCEEDED' && open) state.stoppedIn = open;
  return state;
}

function asChildEvent(event: EventLog, parent: { map: string; index: number; input: unknown }): EventLog {
  // A grandchild's events already name their own Map state; a child's are reported under its Map state.
  if ('parentState' in event) return event;
  return {
    ...event,
    parentState: { name: parent.map, type: 'Map', input: parent.input },
    index: parent.index,
  } as unknown as EventLog;
}

interface MapRunParams {
  name: string;
  map: StateDefinition;
  input: unknown;
  parentName: string;
  record: Record<string, MapRunRecord>;
  redrive: boolean;
  setup: EngineSetup;
  signal: AbortSignal;
}

function optionalNumber(map: StateDefinition, field: string, input: unknown): number | undefined {
  if (typeof map[field] === 'number') return map[field] as number;
  const path = map[`${field}Path`];
  if (typeof path !== 'string') return undefined;
  const value = readPath(path, input, {});
  if (typeof value !== 'number' || value < 0) {
    throw Object.assign(new Error(`${field}Path ${path} is not a non-negative number`), {
      name: 'States.Runtime',
    });
  }
  return value;
}

/**
 * Whether `failed` of `total` children exceed the Map Run's tolerated failure threshold. Without either
 * field the threshold is 0: the first failed child fails the Map Run. With both, exceeding either fails it.
 * https://docs.aws.amazon.com/step-functions/latest/dg/state-map-distributed.html#maprun-fail-threshold
 */
export function exceedsTolerance(
  failed: number,
  total: number,
  tolerated: { percentage?: number | undefined; count?: number | undefined },
): boolean {
  if (tolerated.percentage === undefined && tolerated.count === undefined) return failed > 0;
  if (tolerated.count !== undefined && failed > tolerated.count) return true;
  if (tolerated.percentage !== undefined && total > 0 && (failed / total) * 100 > tolerated.percentage) {
    return true;
  }
  return false;
}

/**
 * One Map Run: a child execution per item, at most MaxConcurrency at once. Failed (and timed-out) children
 * count against ToleratedFailurePercentage/ToleratedFailureCount; once the threshold is exceeded the Map Run
 * fails with `States.ExceedToleratedFailureThreshold`, the children still running are aborted and the items
 * not started stay pending ("aborted: child workflow executions ... stopped by Step Functions because the
 * Map Run failed", https://docs.aws.amazon.com/step-functions/latest/apireference/API_MapRunExecutionCounts.html).
 * The result is the children's outputs in item order; a failed child's entry is its error output.
 */
async function runMapRun(params: MapRunParams): Promise<unknown[]> {
  const { map, input, setup } = params;
  const processor = map.ItemProcessor as MachineDefinition & { ProcessorConfig?: unknown };
  const definition: MachineDefinition = { StartAt: processor.StartAt, States: processor.States };
  let run = params.record[params.name];
  const redriving = params.redrive && run !== undefined && run.status !== 'SUCCEEDED';
  if (!redriving || !run) {
    const items = readPath(typeof map.ItemsPath === 'string' ? map.ItemsPath : '$', input, {});
    if (!Array.isArray(items)) {
      throw Object.assign(new Error(`ItemsPath of Map state ${params.name} does not select an array`), {
        name: 'States.Runtime',
      });
    }
    const inputs = items.map((item, index) =>
      map.ItemSelector
        ? applyTemplate(map.ItemSelector, input, {
            Map: { Item: { Value: item, Index: index } },
            Execution: { Name: params.parentName },
          })
        : item,
    );
    run = { status: 'RUNNING', inputs, children: inputs.map(() => ({ status: 'PENDING' })) };
    params.record[params.name] = run;
  }
  const current = run;
  current.status = 'RUNNING';
  const total = current.inputs.length;
  const tolerated = {
    percentage: optionalNumber(map, 'ToleratedFailurePercentage', input),
    count: optionalNumber(map, 'ToleratedFailureCount', input),
  };
  const maxConcurrency = optionalNumber(map, 'MaxConcurrency', input) || total || 1;

  const todo = current.children
    .map((child, index) => ({ child, index }))
    .filter(({ child }) => child.status !== 'SUCCEEDED');
  const controller = new AbortController();
  const onAbort = () => controller.abort();
  params.signal.addEventListener('abort', onAbort, { once: true });
  let failed = 0;
  let thresholdExceeded = false;

  const runChild = async ({ child, index }: { child: ExecutionState; index: number }) => {
    const redriveChild = child.status === 'FAILED' || child.status === 'ABORTED';
    const mapState = { name: params.name, type: 'Map', input } as never;
    setup.emit({ type: 'MapIterationStarted', timestamp: Date.now(), parentState: mapState, index });
    await runExecution({
      definition,
      name: `${params.parentName}/${params.name}/${index}`,
      input: current.inputs[index],
      state: child,
      redrive: redriveChild,
      setup,
      signal: controller.signal,
      parent: { map: params.name, index, input },
    });
    if (child.status === 'SUCCEEDED') {
      setup.emit({ type: 'MapIterationSucceeded', timestamp: Date.now(), parentState: mapState, index });
      return;
    }
    setup.emit({
      type: 'MapIterationFailed',
      timestamp: Date.now(),
      parentState: mapState,
      index,
      Error: child.error?.error ?? 'States.Aborted',
      Cause: child.error?.cause ?? '',
    });
    if (child.status === 'FAILED') {
      failed++;
      if (!thresholdExceeded && exceedsTolerance(failed, total, tolerated)) {
        thresholdExceeded = true;
        controller.abort();
      }
    }
  };

  try {
    let next = 0;
    const workers = Array.from({ length: Math.min(maxConcurrency, todo.length) }, async () => {
      while (next < todo.length && !controller.signal.aborted) {
        const item = todo[next++];
        if (item) await runChild(item);
      }
    });
    await Promise.all(workers);
  } finally {
    params.signal.removeEventListener('abort', onAbort);
  }
  if (thresholdExceeded) {
    current.status = 'FAILED';
    throw new ToleratedFailureThresholdError(failed, total);
  }
  if (params.signal.aborted) {
    current.status = 'FAILED';
    throw new ExecutionStopped('the execution running this Map Run was stopped');
  }
  current.status = 'SUCCEEDED';
  return current.children.map((child) =>
    child.status === 'SUCCEEDED' ? child.output : { Error: child.error?.error, Cause: child.error?.cause },
  );
}
