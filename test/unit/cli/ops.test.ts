import {
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
  it('redrives one execution', async () => {
    sfnMock.on(RedriveExecutionCommand).resolves({ redriveDate: new Date('2026-11-28T11:00:00Z') });
    const { out, run } = harness();

    await expect(run('redrive', '--execution-arn', EXECUTION)).resolves.toBe(0);
    expect(sfnMock).toHaveReceivedCommandWith(RedriveExecutionCommand, { executionArn: EXECUTION });
    expect(JSON.parse(out[0] ?? '{}')).toEqual({
      executionArn: EXECUTION,
      redriveDate: '2026-11-28T11:00:00.000Z',
    });
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
