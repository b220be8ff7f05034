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

/**
 * EventBridge Scheduler starts the window state machine every 30 minutes with `{scheduledTime}`. Failed
 * starts are retried, then land in a dead-letter queue; the role can start only that machine.
 */
export class WindowSchedule extends pulumi.ComponentResource {
  readonly schedule: aws.scheduler.Schedule;
  readonly deadLetterQueue: aws.sqs.Queue;

  constructor(name: string, args: WindowScheduleArgs, opts?: pulumi.ComponentResourceOptions) {
    super('dmd:orchestration:WindowSchedule', name, {}, opts);
    this.deadLetterQueue = new aws.sqs.Queue(
      `${name}-dlq`,
      {
        name: `${args.scheduleName}-schedule-dlq`,
        messageRetentionSeconds: 14 * 24 * 3600,
        sqsManagedSseEnabled: true,
      },
      { parent: this },
    );
    const role = new aws.iam.Role(
      `${name}-role`,
      {
        description: `EventBridge Scheduler: start ${args.scheduleName}`,
        assumeRolePolicy: JSON.stringify(assumeRolePolicy('scheduler.amazonaws.com')),
      },
      { parent: this },
    );
    const policy = new aws.iam.RolePolicy(
      `${name}-policy`,
      {
        role: role.id,
        policy: pulumi
          .all([pulumi.output(args.stateMachineArn), this.deadLetterQueue.arn])
          .apply(([machineArn, dlqArn]) =>
            JSON.stringify(
              policyDocument([
                {
                  Sid: 'StartWindowRun',
                  Effect: 'Allow',
                  Action: ['states:StartExecution'],
                  Resource: [machineArn],
                },
                sqsSendStatement(dlqArn, 'DeadLetters'),
              ]),
            ),
          ),
      },
      { parent: this },
    );
    this.schedule = new aws.scheduler.Schedule(
      `${name}-schedule`,
      {
        name: `${args.scheduleName}-schedule`,
        description: 'Starts a window run every 30 minutes',
        scheduleExpression: WINDOW_SCHEDULE_EXPRESSION,
        scheduleExpressionTimezone: 'UTC',
        flexibleTimeWindow: { mode: 'OFF' },
        state: args.enabled ? 'ENABLED' : 'DISABLED',
        target: {
          arn: args.stateMachineArn,
          roleArn: role.arn,
          input: WINDOW_SCHEDULE_INPUT,
          retryPolicy: { maximumRetryAttempts: 3, maximumEventAgeInSeconds: 600 },
          deadLetterConfig: { arn: this.deadLetterQueue.arn },
        },
      },
      { parent: this, dependsOn: [policy] },
    );
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
    this.deadLetterQueue = new aws.sqs.Queue(
      `${name}-dlq`,
      {
        name: `${args.scheduleName}-schedule-dlq`,
        messageRetentionSeconds: 14 * 24 * 3600,
        sqsManagedSseEnabled: true,
      },
      { parent: this },
    );
    const role = new aws.iam.Role(
      `${name}-role`,
      {
        description: `EventBridge Scheduler: invoke ${args.scheduleName}`,
        assumeRolePolicy: JSON.stringify(assumeRolePolicy('scheduler.amazonaws.com')),
      },
      { parent: this },
    );
    const policy = new aws.iam.RolePolicy(
      `${name}-policy`,
      {
        role: role.id,
        policy: pulumi
          .all([pulumi.output(args.functionArn), this.deadLetterQueue.arn])
          .apply(([functionArn, dlqArn]) =>
            JSON.stringify(
              policyDocument([
                {
                  Sid: 'InvokeSaleMonitor',
                  Effect: 'Allow',
                  Action: ['lambda:InvokeFunction'],
                  Resource: [functionArn],
                },
                sqsSendStatement(dlqArn, 'DeadLetters'),
              ]),
            ),
          ),
      },
      { parent: this },
    );
    this.schedule = new aws.scheduler.Schedule(
      `${name}-schedule`,
      {
        name: `${args.scheduleName}-schedule`,
        description: `Runs a sale monitoring pass every ${args.intervalMinutes} minutes`,
        scheduleExpression: saleMonitorScheduleExpression(args.intervalMinutes),
        scheduleExpressionTimezone: 'UTC',
        flexibleTimeWindow: { mode: 'OFF' },
        state: args.enabled ? 'ENABLED' : 'DISABLED',
        target: {
          arn: args.functionArn,
          roleArn: role.arn,
          input: WINDOW_SCHEDULE_INPUT,
          // A pass older than one interval is superseded by the next one.
          retryPolicy: { maximumRetryAttempts: 2, maximumEventAgeInSeconds: args.intervalMinutes * 60 },
          deadLetterConfig: { arn: this.deadLetterQueue.arn },
        },
      },
      { parent: this, dependsOn: [policy] },
    );
    this.registerOutputs({ scheduleName: this.schedule.name, deadLetterQueueUrl: this.deadLetterQueue.url });
  }
}
