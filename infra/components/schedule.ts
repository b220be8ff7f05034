import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { assumeRolePolicy, policyDocument, sqsSendStatement } from '../policies';

/** Every half hour, on the hour and the half hour, UTC. */
export const WINDOW_SCHEDULE_EXPRESSION = 'cron(0,30 * * * ? *)';

/** The execution input: the scheduler fills in the instant the run was scheduled for. */
export const WINDOW_SCHEDULE_INPUT = JSON.stringify({ scheduledTime: '<aws.scheduler.scheduled-time>' });

export interface WindowScheduleArgs {
  /** Physical name prefix (`<stage>-window`). */
  scheduleName: string;
  stateMachineArn: pulumi.Input<string>;
  /** false: the schedule exists but is DISABLED. */
  enabled: boolean;
}

interface ScheduledTargetSpec {
  /** Physical name prefix of the schedule and its dead-letter queue. */
  scheduleName: string;
  targetArn: pulumi.Input<string>;
  /** The one action the scheduler's role may take on the target. */
  statement: { sid: string; action: 'states:StartExecution' | 'lambda:InvokeFunction' };
  /** How the role's description names what it does (`start`, `invoke`). */
  verb: string;
  description: string;
  scheduleExpression: string;
  retryPolicy: { maximumRetryAttempts: number; maximumEventAgeInSeconds: number };
  enabled: boolean;
}

/**
 * One EventBridge Scheduler schedule with `{scheduledTime}` as input, its dead-letter queue and a role that
 * may act on that one target only. Children are created under `parent` with the names the components had
 * before this helper, so deployed stacks keep their resources.
 */
function scheduledTarget(
  parent: pulumi.ComponentResource,
  name: string,
  spec: ScheduledTargetSpec,
): { schedule: aws.scheduler.Schedule; deadLetterQueue: aws.sqs.Queue } {
  const deadLetterQueue = new aws.sqs.Queue(
    `${name}-dlq`,
    {
      name: `${spec.scheduleName}-schedule-dlq`,
      messageRetentionSeconds: 14 * 24 * 3600,
      sqsManagedSseEnabled: true,
    },
    { parent },
  );
  const role = new aws.iam.Role(
    `${name}-role`,
    {
      description: `EventBridge Scheduler: ${spec.verb} ${spec.scheduleName}`,
      assumeRolePolicy: JSON.stringify(assumeRolePolicy('scheduler.amazonaws.com')),
    },
    { parent },
  );
  const policy = new aws.iam.RolePolicy(
    `${name}-policy`,
    {
      role: role.id,
      policy: pulumi.all([pulumi.output(spec.targetArn), deadLetterQueue.arn]).apply(([targetArn, dlqArn]) =>
        JSON.stringify(
          policyDocument([
            {
              Sid: spec.statement.sid,
              Effect: 'Allow',
              Action: [spec.statement.action],
              Resource: [targetArn],
            },
            sqsSendStatement(dlqArn, 'DeadLetters'),
          ]),
        ),
      ),
    },
    { parent },
  );
  const schedule = new aws.scheduler.Schedule(
    `${name}-schedule`,
    {
      name: `${spec.scheduleName}-schedule`,
      description: spec.description,
      scheduleExpression: spec.scheduleExpression,
      scheduleExpressionTimezone: 'UTC',
      flexibleTimeWindow: { mode: 'OFF' },
      state: spec.enabled ? 'ENABLED' : 'DISABLED',
      target: {
        arn: spec.targetArn,
        roleArn: role.arn,
        input: WINDOW_SCHEDULE_INPUT,
        retryPolicy: spec.retryPolicy,
        deadLetterConfig: { arn: deadLetterQueue.arn },
      },
    },
    { parent, dependsOn: [policy] },
  );
  return { schedule, deadLetterQueue };
}

/**
 * EventBridge Scheduler starts the window state machine every 30 minutes with `{scheduledTime}`. Failed
 * starts are retried, then land in a dead-letter queue; the role can start only that machine.
 */
export class WindowSchedule extends pulumi.ComponentResource {
  readonly schedule: aws.scheduler.Schedule;
  readonly deadLetterQueue: aws.sqs.Queue;

  constructor(name: string, args: WindowScheduleArgs, opts?: pulumi.ComponentResourceOptions) {
    super('dmd:orchestration:WindowSchedule', name, {}, opts);
    ({ schedule: this.schedule, deadLetterQueue: this.deadLetterQueue } = scheduledTarget(this, name, {
      scheduleName: args.scheduleName,
      targetArn: args.stateMachineArn,
      statement: { sid: 'StartWindowRun', action: 'states:StartExecution' },
      verb: 'start',
      description: 'Starts a window run every 30 minutes',
      scheduleExpression: WINDOW_SCHEDULE_EXPRESSION,
      retryPolicy: { maximumRetryAttempts: 3, maximumEventAgeInSeconds: 600 },
      enabled: args.enabled,
    }));
    this.registerOutputs({ scheduleName: this.schedule.name, deadLetterQueueUrl: this.deadLetterQueue.url });
  }
}

/**
 * The sale monitoring passes: every `intervalMinutes` (a divisor of 60), falling 5 minutes before each
 * window run (:25 and :55 with the 30-minute windows), so each run plans from a table refreshed just before.
 */
export function saleMonitorScheduleExpression(intervalMinutes: number): string {
  if (!Number.isInteger(intervalMinutes) || intervalMinutes < 1 || 60 % intervalMinutes !== 0) {
    throw new RangeError(`sale monitor interval must divide 60 minutes, got ${intervalMinutes}`);
  }
  const first = 55 % intervalMinutes;
  return intervalMinutes === 60 ? 'cron(55 * * * ? *)' : `cron(${first}/${intervalMinutes} * * * ? *)`;
}

export interface SaleMonitorScheduleArgs {
  /** Physical name prefix (`<stage>-sale-monitor`). */
  scheduleName: string;
  functionArn: pulumi.Input<string>;
  intervalMinutes: number;
  /** false: the schedule exists but is DISABLED. */
  enabled: boolean;
}

/**
 * EventBridge Scheduler invokes the sale monitoring Lambda with `{scheduledTime}`; failed invocations are
 * retried, then land in a dead-letter queue; the role can invoke only that function.
 */
export class SaleMonitorSchedule extends pulumi.ComponentResource {
  readonly schedule: aws.scheduler.Schedule;
  readonly deadLetterQueue: aws.sqs.Queue;

  constructor(name: string, args: SaleMonitorScheduleArgs, opts?: pulumi.ComponentResourceOptions) {
    super('dmd:orchestration:SaleMonitorSchedule', name, {}, opts);
    ({ schedule: this.schedule, deadLetterQueue: this.deadLetterQueue } = scheduledTarget(this, name, {
      scheduleName: args.scheduleName,
      targetArn: args.functionArn,
      statement: { sid: 'InvokeSaleMonitor', action: 'lambda:InvokeFunction' },
      verb: 'invoke',
      description: `Runs a sale monitoring pass every ${args.intervalMinutes} minutes`,
      scheduleExpression: saleMonitorScheduleExpression(args.intervalMinutes),
      // A pass older than one interval is superseded by the next one.
      retryPolicy: { maximumRetryAttempts: 2, maximumEventAgeInSeconds: args.intervalMinutes * 60 },
      enabled: args.enabled,
    }));
    this.registerOutputs({ scheduleName: this.schedule.name, deadLetterQueueUrl: this.deadLetterQueue.url });
  }
}
