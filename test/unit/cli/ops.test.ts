import {
  DescribeExecutionCommand,
  DescribeMapRunCommand,
  ExecutionAlreadyExists,
  ListExecutionsCommand,
  RedriveExecutionCommand,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { type OpsDeps, runOps, startRequest } from '#cli/ops';

const sfnMock = mockClient(SFNClient);
const SM = 'arn:aws:states:us-east-1:123456789012:stateMachine:prod-window';
const EXECUTION = 'arn:aws:states:us-east-1:123456789012:execution:prod-window:window-20261128T1000Z';
/** A scheduled run: EventBridge Scheduler names it, not the window. */
const SCHEDULED =
  'arn:aws:states:us-east-1:123456789012:execution:prod-window:3f1e2d4c-aaaa-bbbb-cccc-0123456789ab';
const SALES_MAP_RUN =
  'arn:aws:states:us-east-1:123456789012:mapRun:prod-window/Sales:5d0c2b1e-1111-2222-3333-444455556666';
const SALE_CHILD =
  'arn:aws:states:us-east-1:123456789012:execution:prod-window/Sales:7a9e0c3d-1111-2222-3333-444455556666';
const FANS_MAP_RUN = `arn:aws:states:us-east-1:123456789012:mapRun:prod-window/Sales:7a9e0c3d/Fans:0b1c2d3e`;
const SHARD_CHILD =
  'arn:aws:states:us-east-1:123456789012:execution:prod-window/Fans:9c8b7a6d-1111-2222-3333-444455556666';

function harness(overrides: Partial<OpsDeps> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const deps: OpsDeps = {
    sfn: () => new SFNClient({ region: 'us-east-1' }),
    notifications: () => {
      throw new Error('not used');
    },
    now: () => new Date('2026-11-28T10:00:00Z'),
    env: {},
    ...overrides,
  };
  const run = (...argv: string[]) => runOps(argv, { out: (l) => out.push(l), err: (l) => err.push(l) }, deps);
  return { out, err, run };
}

beforeEach(() => sfnMock.reset());

describe('ops start', () => {
  it('starts the window run with its readable name and the scheduled time as input', async () => {
    sfnMock
      .on(StartExecutionCommand)
      .resolves({ executionArn: EXECUTION, startDate: new Date('2026-11-28T09:31:00Z') });
    const { out, run } = harness();

    await expect(run('start', '--state-machine-arn', SM, '--window', '2026-11-28T10:00:00Z')).resolves.toBe(
      0,
    );

    expect(sfnMock).toHaveReceivedCommandTimes(StartExecutionCommand, 1);
    expect(sfnMock).toHaveReceivedCommandWith(StartExecutionCommand, {
      stateMachineArn: SM,
      name: 'window-20261128T1000Z',
      input: JSON.stringify({ scheduledTime: '2026-11-28T09:30:00.000Z' }),
    });
    expect(JSON.parse(out[0] ?? '{}')).toMatchObject({
      name: 'window-20261128T1000Z',
      executionArn: EXECUTION,
    });
  });

  it('takes the scheduled time instead, and the stage lead from LEAD_MINUTES', async () => {
    sfnMock.on(StartExecutionCommand).resolves({ executionArn: EXECUTION });
    const { run } = harness({ env: { LEAD_MINUTES: '60' } });

    await run('start', '--state-machine-arn', SM, '--scheduled-time', '2026-11-28T09:30:00-05:00');

    expect(sfnMock).toHaveReceivedCommandWith(StartExecutionCommand, {
      name: 'window-20261128T1530Z',
      input: JSON.stringify({ scheduledTime: '2026-11-28T14:30:00.000Z' }),
    });
  });

  it('names the run as PlanWindow will compute its window', () => {
    expect(startRequest({ window: '2026-12-31T23:30:00Z', leadMinutes: 30 })).toEqual({
      scheduledTime: '2026-12-31T23:00:00.000Z',
      name: 'window-20261231T2330Z',
    });
  });

  it('explains an existing execution and exits 1', async () => {
    sfnMock
      .on(StartExecutionCommand)
      .rejects(new ExecutionAlreadyExists({ message: 'Execution Already Exists', $metadata: {} }));
    const { err, run } = harness();

    await expect(run('start', '--state-machine-arn', SM, '--window', '2026-11-28T10:00:00Z')).resolves.toBe(
      1,
    );
    expect(err.join('\n')).toContain('redrive');
  });
});

describe('ops redrive and executions', () => {
  it('redrives a window run itself', async () => {
    sfnMock.on(DescribeExecutionCommand).resolves({ executionArn: EXECUTION, status: 'FAILED' });
    sfnMock.on(RedriveExecutionCommand).resolves({ redriveDate: new Date('2026-11-28T11:00:00Z') });
    const { out, run } = harness();

    await expect(run('redrive', '--execution-arn', EXECUTION)).resolves.toBe(0);
    expect(sfnMock).toHaveReceivedCommandWith(RedriveExecutionCommand, { executionArn: EXECUTION });
    expect(JSON.parse(out[0] ?? '{}')).toEqual({
      executionArn: EXECUTION,
      redriveDate: '2026-11-28T11:00:00.000Z',
    });
  });

  it('given a failed shard execution, redrives the window run above it (the only redrive AWS allows)', async () => {
    sfnMock
      .on(DescribeExecutionCommand, { executionArn: SHARD_CHILD })
      .resolves({ executionArn: SHARD_CHILD, mapRunArn: FANS_MAP_RUN })
      .on(DescribeExecutionCommand, { executionArn: SALE_CHILD })
      .resolves({ executionArn: SALE_CHILD, mapRunArn: SALES_MAP_RUN })
      .on(DescribeExecutionCommand, { executionArn: SCHEDULED })
      .resolves({ executionArn: SCHEDULED });
    sfnMock
      .on(DescribeMapRunCommand, { mapRunArn: FANS_MAP_RUN })
      .resolves({ mapRunArn: FANS_MAP_RUN, executionArn: SALE_CHILD })
      .on(DescribeMapRunCommand, { mapRunArn: SALES_MAP_RUN })
      .resolves({ mapRunArn: SALES_MAP_RUN, executionArn: SCHEDULED });
    sfnMock.on(RedriveExecutionCommand).resolves({ redriveDate: new Date('2026-11-28T11:00:00Z') });
    const { out, run } = harness();

    await expect(run('redrive', '--execution-arn', SHARD_CHILD)).resolves.toBe(0);
    expect(sfnMock.commandCalls(RedriveExecutionCommand).map((call) => call.args[0].input)).toEqual([
      { executionArn: SCHEDULED },
    ]);
    expect(JSON.parse(out[0] ?? '{}')).toEqual({
      executionArn: SCHEDULED,
      requested: SHARD_CHILD,
      redriveDate: '2026-11-28T11:00:00.000Z',
    });
  });

  it('given a Map Run, redrives its window run', async () => {
    sfnMock.on(DescribeMapRunCommand).resolves({ mapRunArn: SALES_MAP_RUN, executionArn: SCHEDULED });
    sfnMock.on(DescribeExecutionCommand).resolves({ executionArn: SCHEDULED });
    sfnMock.on(RedriveExecutionCommand).resolves({ redriveDate: new Date('2026-11-28T11:00:00Z') });
    const { run } = harness();

    await expect(run('redrive', '--execution-arn', SALES_MAP_RUN)).resolves.toBe(0);
    expect(sfnMock).toHaveReceivedCommandWith(RedriveExecutionCommand, { executionArn: SCHEDULED });
  });

  /**
   * Two runs: one named after a window but started for the 09:30 window, one with a generated name for
   * the 10:00 window; only their inputs tell their windows.
   */
  const twoRunsOfTwoWindows = () => {
    sfnMock.on(ListExecutionsCommand).resolves({
      executions: [
        {
          executionArn: EXECUTION,
          stateMachineArn: SM,
          name: 'window-20261128T1000Z',
          status: 'SUCCEEDED',
          startDate: new Date(),
        },
        {
          executionArn: SCHEDULED,
          stateMachineArn: SM,
          name: '3f1e2d4c',
          status: 'FAILED',
          startDate: new Date(),
        },
      ],
    });
    sfnMock
      .on(DescribeExecutionCommand, { executionArn: EXECUTION })
      .resolves({ executionArn: EXECUTION, input: '{"scheduledTime":"2026-11-28T09:30:00Z"}' })
      .on(DescribeExecutionCommand, { executionArn: SCHEDULED })
      .resolves({ executionArn: SCHEDULED, input: '{"scheduledTime":"2026-11-28T10:00:00Z"}' });
  };

  it('finds the run of a window by its input, not its name, and redrives it', async () => {
    twoRunsOfTwoWindows();
    sfnMock.on(RedriveExecutionCommand).resolves({ redriveDate: new Date('2026-11-28T11:00:00Z') });
    const { out, run } = harness();

    await expect(
      run('redrive', '--state-machine-arn', SM, '--window', '2026-11-28T10:30:00Z', '--lead-minutes', '30'),
    ).resolves.toBe(0);
    expect(sfnMock).toHaveReceivedCommandWith(RedriveExecutionCommand, { executionArn: SCHEDULED });
    expect(JSON.parse(out[0] ?? '{}').executionArn).toBe(SCHEDULED);
  });

  it('lists the runs of one window, found by their input', async () => {
    twoRunsOfTwoWindows();
    const { out, run } = harness();

    await expect(
      run(
        'executions',
        '--state-machine-arn',
        SM,
        '--window',
        '2026-11-28T10:00:00Z',
        '--lead-minutes',
        '30',
      ),
    ).resolves.toBe(0);
    expect(out.map((line) => JSON.parse(line))).toEqual([
      expect.objectContaining({
        name: 'window-20261128T1000Z',
        window: '2026-11-28T10:00:00.000Z',
        scheduledTime: '2026-11-28T09:30:00Z',
      }),
    ]);
  });

  it('lists executions with a status filter, across pages, up to --max', async () => {
    const execution = (name: string) => ({
      executionArn: `${EXECUTION.replace(/:[^:]+$/, '')}:${name}`,
      stateMachineArn: SM,
      name,
      status: 'FAILED' as const,
      startDate: new Date('2026-11-28T09:30:00Z'),
    });
    sfnMock
      .on(ListExecutionsCommand)
      .resolvesOnce({ executions: [execution('a'), execution('b')], nextToken: 't1' })
      .resolvesOnce({ executions: [execution('c'), execution('d')] });
    sfnMock.on(DescribeExecutionCommand).resolves({ input: '{"scheduledTime":"2026-11-28T09:30:00Z"}' });
    const { out, run } = harness();

    await expect(
      run('executions', '--state-machine-arn', SM, '--status', 'failed', '--max', '3'),
    ).resolves.toBe(0);
    expect(out.map((line) => JSON.parse(line).name)).toEqual(['a', 'b', 'c']);
    const inputs = sfnMock.commandCalls(ListExecutionsCommand).map((call) => call.args[0].input);
    expect(inputs).toEqual([
      { stateMachineArn: SM, statusFilter: 'FAILED', maxResults: 3 },
      { stateMachineArn: SM, statusFilter: 'FAILED', maxResults: 1, nextToken: 't1' },
    ]);
  });
});

describe('ops arguments', () => {
  it.each([
    [[], 'a command is required'],
    [['launch'], 'unknown command'],
    [['start', '--window', '2026-11-28T10:00:00Z'], '--state-machine-arn is required'],
    [
      ['start', '--state-machine-arn', 'not-an-arn', '--window', '2026-11-28T10:00:00Z'],
      '--state-machine-arn: invalid',
    ],
    [['start', '--state-machine-arn', SM, '--window', 'tomorrow'], '--window: invalid'],
    [['start', '--state-machine-arn', SM], 'exactly one of --window and --scheduled-time'],
    [['redrive', '--execution-arn', SM], '--execution-arn: invalid'],
    [['redrive', '--execution-arn', EXECUTION, '--sale', 's'], '--sale does not apply to redrive'],
    [['redrive', '--execution-arn', EXECUTION, '--window', '2026-11-28T10:00:00Z'], 'give either'],
    [['redrive', '--state-machine-arn', SM], '--window is required'],
    [['executions', '--state-machine-arn', SM, '--status', 'BROKEN'], '--status: expected one of'],
    [['stuck'], '--sale is required'],
    [['stuck', '--sale', 's', '--older-than', '-5'], 'older-than'],
    [['stuck', '--sale', 's', '--bogus'], 'bogus'],
  ])('%j: exit 2 with a clear message', async (argv, message) => {
    const { err, run } = harness();
    await expect(run(...argv)).resolves.toBe(2);
    expect(err[0]).toContain(message);
    expect(sfnMock.calls()).toHaveLength(0);
  });

  it('prints the usage with --help', async () => {
    const { out, run } = harness();
    await expect(run('--help')).resolves.toBe(0);
    expect(out[0]).toContain('Usage: npm run --silent ops -- COMMAND');
  });
});
