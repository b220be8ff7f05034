/**
 * The local runner's distributed Map Runs: tolerated failure thresholds, aborting the children still
 * running once the threshold is exceeded, redrive from the failure point, and the 256 KiB state limit.
 */
import {
  type EngineSetup,
  exceedsTolerance,
  type MachineDefinition,
  runExecution,
  type TaskFunction,
} from '#local/stepfunctions/execution';
import type { ExecutionState } from '#local/stepfunctions/types';

function setup(tasks: Record<string, TaskFunction>): EngineSetup {
  return {
    tasks,
    waitTimeOverrides: {},
    retryIntervalOverrides: {},
    stateMachine: { Id: 'arn:aws:states:us-east-1:000000000000:stateMachine:test', Name: 'test' },
    executionArnPrefix: 'arn:aws:states:us-east-1:000000000000:execution:test',
    roleArn: 'arn:aws:iam::000000000000:role/test',
    emit: () => undefined,
  };
}

function mapMachine(tolerance: Record<string, number> = {}, maxConcurrency = 10): MachineDefinition {
  return {
    StartAt: 'Items',
    States: {
      Items: {
        Type: 'Map',
        ItemsPath: '$.items',
        ItemSelector: { 'item.$': '$$.Map.Item.Value' },
        MaxConcurrency: maxConcurrency,
        ...tolerance,
        ItemProcessor: {
          ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
          StartAt: 'Work',
          States: { Work: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:0:function:work', End: true } },
        },
        End: true,
      },
    },
  };
}

/**
 * Runs `definition` over `items`, each child's Work task answering `work(item)` (or throwing), into `state`
 * (a fresh one by default, a failed one to redrive); returns that state.
 */
async function runItems(
  definition: MachineDefinition,
  items: number[],
  work: (item: number) => Promise<unknown>,
  { state = { status: 'PENDING' } as ExecutionState, redrive = false } = {},
): Promise<ExecutionState> {
  await runExecution({
    definition,
    name: 'run',
    input: { items },
    state,
    redrive,
    setup: setup({ Work: async (input) => work((input as { item: number }).item) }),
  });
  return state;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('exceedsTolerance', () => {
  it('fails the Map Run on the first failure when no threshold is set (the default 0)', () => {
    expect(exceedsTolerance(0, 10, {})).toBe(false);
    expect(exceedsTolerance(1, 10, {})).toBe(true);
  });

  it('compares the failed share of all items with ToleratedFailurePercentage', () => {
    expect(exceedsTolerance(5, 10, { percentage: 50 })).toBe(false);
    expect(exceedsTolerance(6, 10, { percentage: 50 })).toBe(true);
    expect(exceedsTolerance(10, 10, { percentage: 100 })).toBe(false);
  });

  it('fails when either threshold is exceeded', () => {
    expect(exceedsTolerance(2, 10, { count: 1, percentage: 100 })).toBe(true);
    expect(exceedsTolerance(1, 10, { count: 1 })).toBe(false);
  });
});

describe('distributed Map Run', () => {
  it('with the default threshold the first failure fails the Map Run and aborts the children still running', async () => {
    const finished: number[] = [];
    const state = await runItems(mapMachine(), [0, 1, 2], async (item) => {
      if (item === 1) throw Object.assign(new Error('bad page'), { name: 'PageError' });
      await sleep(item === 0 ? 300 : 5);
      finished.push(item);
      return { item };
    });
    expect(state.status).toBe('FAILED');
    expect(state.error?.error).toBe('States.ExceedToleratedFailureThreshold');
    expect(state.stoppedIn?.state).toBe('Items');
    const children = state.mapRuns?.Items?.children.map((child) => child.status);
    expect(children?.[0]).toBe('ABORTED');
    expect(children?.[1]).toBe('FAILED');
    expect(finished).not.toContain(0);
  });

  it('with ToleratedFailurePercentage 100 every other child runs to completion and the failed one is in the result', async () => {
    const state = await runItems(mapMachine({ ToleratedFailurePercentage: 100 }), [0, 1, 2], async (item) => {
      if (item === 1) throw Object.assign(new Error('bad page'), { name: 'PageError' });
      await sleep(item === 0 ? 100 : 5);
      return { item };
    });
    expect(state.status).toBe('SUCCEEDED');
    expect(state.output).toEqual([{ item: 0 }, { Error: 'PageError', Cause: 'bad page' }, { item: 2 }]);
  });

  it('a ToleratedFailureCount of 1 tolerates one failure, not two', async () => {
    const run = (failing: number[]) =>
      runItems(mapMachine({ ToleratedFailureCount: 1 }, 1), [0, 1, 2, 3], async (item) => {
        if (failing.includes(item)) throw new Error('bad page');
        return { item };
      });
    expect((await run([1])).status).toBe('SUCCEEDED');
    const failed = await run([1, 2]);
    expect(failed.status).toBe('FAILED');
    // One at a time: the item after the second failure was never started.
    expect(failed.mapRuns?.Items?.children.map((child) => child.status)).toEqual([
      'SUCCEEDED',
      'FAILED',
      'FAILED',
      'PENDING',
    ]);
  });

  it('a redrive reruns only the children that did not succeed, each from its failure point', async () => {
    const calls: number[] = [];
    let broken = true;
    const definition: MachineDefinition = mapMachine({}, 1);
    const processor = (definition.States.Items as unknown as { ItemProcessor: MachineDefinition })
      .ItemProcessor;
    processor.States = {
      Before: { Type: 'Pass', Next: 'Work' },
      Work: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:0:function:work', End: true },
    };
    processor.StartAt = 'Before';
    const work = async (item: number) => {
      calls.push(item);
      if (broken && item === 1) throw new Error('bad page');
      return { item };
    };
    const state = await runItems(definition, [0, 1, 2], work);
    expect(state.status).toBe('FAILED');
    expect(state.mapRuns?.Items?.children[1]?.stoppedIn?.state).toBe('Work');
    expect(calls).toEqual([0, 1]);

    broken = false;
    await runItems(definition, [0, 1, 2], work, { state, redrive: true });
    expect(state.status).toBe('SUCCEEDED');
    expect(calls).toEqual([0, 1, 1, 2]);
    expect(state.output).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
  });

  it('fails the execution with States.DataLimitExceeded when a state output passes 256 KiB, whatever catches errors', async () => {
    const state: ExecutionState = { status: 'PENDING' };
    await runExecution({
      definition: {
        StartAt: 'Big',
        States: {
          Big: {
            Type: 'Task',
            Resource: 'arn:aws:lambda:us-east-1:0:function:big',
            Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Handled' }],
            End: true,
          },
          Handled: { Type: 'Succeed' },
        },
      },
      name: 'run',
      input: {},
      state,
      redrive: false,
      setup: setup({ Big: async () => ({ blob: 'x'.repeat(256 * 1024) }) }),
    });
    expect(state.status).toBe('FAILED');
    expect(state.error?.error).toBe('States.DataLimitExceeded');
    expect(state.error?.cause).toMatch(/output of Task Big/);
  });
});
