import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { publishedMetric } from '#shared/catalog';

/**
 * Metrics the functions publish through Powertools (namespace `<metricsNamespace>/<stage>`, default
 * dimension `service` = the function name), as declared in the catalog (shared/catalog.ts). The alarms and
 * the dashboard read exactly these.
 */
/** Sign-ups in 5 minutes above which the sign-up rate alarm fires. */
export const SIGN_UP_ALARM_PER_5_MIN = 2000;

export const METRICS = {
  /** api: requestReminder calls that recorded or refreshed a sign-up. */
  signUps: publishedMetric('api', 'SignUps'),
  /** send-page: messages accepted by the provider (QUEUED), i.e. sent. */
  sent: publishedMetric('send-page', 'NotificationsQueued'),
  /** send-page: sends that failed for good. */
  failed: publishedMetric('send-page', 'NotificationsFailed'),
  /** status-updater: DELIVERED statuses applied. */
  delivered: publishedMetric('status-updater', 'NotificationsDelivered'),
  /** status-updater: milliseconds from hand-off to DELIVERED. */
  deliveryLatency: publishedMetric('status-updater', 'DeliveryLatency'),
  /** summarize: reminders handed over at least 5 minutes before their sale's start. */
  onTime: publishedMetric('summarize', 'RemindersOnTime'),
  /** summarize: reminders handed over later than that, or not at all because the sale had started. */
  notOnTime: publishedMetric('summarize', 'RemindersNotOnTime'),
  /** prepare-sale: one metric per suppression reason, `Suppressed_<reason>`. */
  suppressed: publishedMetric('prepare-sale', 'Suppressed_'),
} as const;

/** Custom metric from the state machine's log group: history events of type MapRunFailed. */
export const MAP_RUN_FAILED_METRIC = 'MapRunsFailed';

export interface ObservabilityArgs {
  stage: string;
  /** Region of every dashboard metric widget (PutDashboard rejects a metric widget without one). */
  region: string;
  /** Powertools namespace of the stage. */
  metricsNamespace: string;
  alarmEmail?: string;
  stateMachineArn: pulumi.Input<string>;
  stateMachineLogGroupName: pulumi.Input<string>;
  statusUpdaterFunctionName: pulumi.Input<string>;
  /** Queues whose depth must stay at zero (dead letters, stream failures). */
  deadLetterQueues: Array<{ key: string; name: pulumi.Input<string> }>;
  functionNames: pulumi.Input<string>[];
  sendFailureRatePercent: number;
  deliveryRatePercent: number;
  /** Alarm when fewer reminders than this percentage are handed over 5 minutes before their sale. */
  onTimeRatePercent: number;
}

/** What an alarm watches and when it fires; its name, actions and missing-data rule come from `alarm`. */
export type AlarmSpec = Omit<
  aws.cloudwatch.MetricAlarmArgs,
  'name' | 'alarmDescription' | 'alarmActions' | 'okActions' | 'evaluationPeriods'
> & {
  /** What happened and what to do, as the notification shows it. */
  description: string;
  /** Default 1. */
  evaluationPeriods?: number;
};

/**
 * One alarm of the stage, named `<stage>-<key>` (resource `<component>-<key>`), notifying the alarm topic
 * when it fires and when it clears; no data counts as healthy unless the spec says otherwise.
 */
export function alarm(
  scope: { component: string; stage: string; topicArn: pulumi.Input<string>; parent: pulumi.Resource },
  key: string,
  { description, ...spec }: AlarmSpec,
): aws.cloudwatch.MetricAlarm {
  return new aws.cloudwatch.MetricAlarm(
    `${scope.component}-${key}`,
    {
      name: `${scope.stage}-${key}`,
      alarmDescription: description,
      evaluationPeriods: 1,
      treatMissingData: 'notBreaching',
      ...spec,
      alarmActions: [scope.topicArn],
      okActions: [scope.topicArn],
    },
    { parent: scope.parent },
  );
}

/** Alarms on the window run, the stream consumer, the dead letters and the delivery rates; one dashboard. */
export class Observability extends pulumi.ComponentResource {
  readonly alarmTopicArn: pulumi.Output<string>;
  readonly dashboardName: pulumi.Output<string>;

  constructor(name: string, args: ObservabilityArgs, opts?: pulumi.ComponentResourceOptions) {
    super('dmd:observability:Observability', name, {}, opts);
    const parent = { parent: this };
    // CloudWatch cannot use the AWS managed alias/aws/sns key (its policy cannot be changed), so an alarm
    // topic encrypted with it drops every notification. A customer managed key whose policy lets CloudWatch
    // encrypt the message is required:
    // https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services
    const account = aws.getCallerIdentityOutput({}, parent);
    const key = new aws.kms.Key(
      `${name}-alarms-key`,
      {
        description: `${args.stage}: encrypts the alarm topic; CloudWatch may use it`,
        enableKeyRotation: true,
        deletionWindowInDays: 30,
        policy: account.accountId.apply((accountId) => JSON.stringify(alarmTopicKeyPolicy(accountId))),
      },
      parent,
    );
    new aws.kms.Alias(
      `${name}-alarms-key-alias`,
      { name: `alias/${args.stage}-alarms`, targetKeyId: key.keyId },
      parent,
    );
    const topic = new aws.sns.Topic(
      `${name}-alarms`,
      { name: `${args.stage}-alarms`, kmsMasterKeyId: key.arn },
      parent,
    );
    if (args.alarmEmail) {
      new aws.sns.TopicSubscription(
        `${name}-alarms-email`,
        { topic: topic.arn, protocol: 'email', endpoint: args.alarmEmail },
        parent,
      );
    }
    const scope = { component: name, stage: args.stage, topicArn: topic.arn, parent: this };
    const custom = (metric: { name: string; service: string }, stat = 'Sum') => ({
      namespace: args.metricsNamespace,
      metricName: metric.name,
      dimensions: { service: metric.service },
      period: 3600,
      stat,
    });
    /** The queries of a percentage (id `rate`) of custom metrics over the last hour, by their ids. */
    const percentage = (
      inputs: Record<string, { name: string; service: string }>,
      expression: string,
      label: string,
    ) => [
      ...Object.entries(inputs).map(([id, metric]) => ({ id, metric: custom(metric) })),
      { id: 'rate', expression, label, returnData: true },
    ];

    alarm(scope, 'window-runs-failed', {
      description: 'A window run failed, timed out or was aborted: see docs/DEPLOY.md (redrive).',
      comparisonOperator: 'GreaterThanOrEqualToThreshold',
      threshold: 1,
      metricQueries: [
        ...['ExecutionsFailed', 'ExecutionsTimedOut', 'ExecutionsAborted'].map((metricName, i) => ({
          id: `m${i}`,
          metric: {
            namespace: 'AWS/States',
            metricName,
            dimensions: { StateMachineArn: args.stateMachineArn },
            period: 300,
            stat: 'Sum',
          },
        })),
        { id: 'failed', expression: 'm0 + m1 + m2', label: 'Failed window runs', returnData: true },
      ],
    });

    new aws.cloudwatch.LogMetricFilter(
      `${name}-map-runs-failed-filter`,
      {
        logGroupName: args.stateMachineLogGroupName,
        name: `${args.stage}-map-runs-failed`,
        pattern: '{ $.type = "MapRunFailed" }',
        metricTransformation: {
          name: MAP_RUN_FAILED_METRIC,
          namespace: args.metricsNamespace,
          value: '1',
          defaultValue: '0',
        },
      },
      parent,
    );
    alarm(scope, 'map-runs-failed', {
      description: 'A distributed map run of a window run failed: redrive it from the console.',
      namespace: args.metricsNamespace,
      metricName: MAP_RUN_FAILED_METRIC,
      statistic: 'Sum',
      period: 300,
      threshold: 1,
      comparisonOperator: 'GreaterThanOrEqualToThreshold',
    });

    alarm(scope, 'status-updater-iterator-age', {
      description: 'The status updater is more than 5 minutes behind the delivery-status stream.',
      namespace: 'AWS/Lambda',
      metricName: 'IteratorAge',
      dimensions: { FunctionName: args.statusUpdaterFunctionName },
      statistic: 'Maximum',
      period: 60,
      evaluationPeriods: 5,
      threshold: 300_000,
      comparisonOperator: 'GreaterThanThreshold',
    });

    for (const queue of args.deadLetterQueues) {
      alarm(scope, `${queue.key}-depth`, {
        description: `Messages waiting in ${queue.key}: inspect and replay them.`,
        namespace: 'AWS/SQS',
        metricName: 'ApproximateNumberOfMessagesVisible',
        dimensions: { QueueName: queue.name },
        statistic: 'Maximum',
        period: 300,
        threshold: 1,
        comparisonOperator: 'GreaterThanOrEqualToThreshold',
      });
    }

    // A burst of sign-ups is an attack more often than a sale: the WAF and the limits hold it, this tells.
    alarm(scope, 'sign-up-rate', {
      description: `More than ${SIGN_UP_ALARM_PER_5_MIN} sign-ups in 5 minutes (WAF rate rule and sign-up limits in docs/API.md).`,
      comparisonOperator: 'GreaterThanThreshold',
      threshold: SIGN_UP_ALARM_PER_5_MIN,
      ...custom(METRICS.signUps),
      period: 300,
    });
    alarm(scope, 'send-failure-rate', {
      description: `More than ${args.sendFailureRatePercent}% of sends failed in the last hour.`,
      comparisonOperator: 'GreaterThanThreshold',
      threshold: args.sendFailureRatePercent,
      metricQueries: percentage(
        { sent: METRICS.sent, failed: METRICS.failed },
        'IF((sent + failed) >= 20, 100 * failed / (sent + failed), 0)',
        'Send failure rate (%)',
      ),
    });
    alarm(scope, 'delivery-rate', {
      description: `Less than ${args.deliveryRatePercent}% of sent messages were delivered in the last hour.`,
      comparisonOperator: 'LessThanThreshold',
      threshold: args.deliveryRatePercent,
      evaluationPeriods: 2,
      datapointsToAlarm: 2,
      metricQueries: percentage(
        { sent: METRICS.sent, delivered: METRICS.delivered },
        'IF(sent >= 20, 100 * delivered / sent, 100)',
        'Delivery rate (%)',
      ),
    });
    // The seed's "on-time delivery > 98 %": reminders handed over at least 5 minutes before their sale.
    alarm(scope, 'on-time-rate', {
      description: `Less than ${args.onTimeRatePercent}% of reminders were handed over at least 5 minutes before their sale started (last hour): see docs/OPERATIONS.md (deadline-aware plan).`,
      comparisonOperator: 'LessThanThreshold',
      threshold: args.onTimeRatePercent,
      metricQueries: percentage(
        { ontime: METRICS.onTime, notontime: METRICS.notOnTime },
        'IF((ontime + notontime) > 0, 100 * ontime / (ontime + notontime), 100)',
        'On-time delivery (%)',
      ),
    });

    const dashboard = new aws.cloudwatch.Dashboard(
      `${name}-dashboard`,
      {
        dashboardName: `${args.stage}-reminders`,
        dashboardBody: pulumi
          .all([pulumi.output(args.stateMachineArn), pulumi.all(args.functionNames)])
          .apply(([machineArn, functionNames]) =>
            JSON.stringify(
              dashboardBody(args.metricsNamespace, machineArn, functionNames, {
                region: args.region,
                sendFailureRatePercent: args.sendFailureRatePercent,
                deliveryRatePercent: args.deliveryRatePercent,
              }),
            ),
          ),
      },
      parent,
    );
    this.alarmTopicArn = topic.arn;
    this.dashboardName = dashboard.dashboardName;
    this.registerOutputs({ alarmTopicArn: this.alarmTopicArn, dashboardName: this.dashboardName });
  }
}

/**
 * Policy of the alarm topic's key: the account administers it (the default key policy), and CloudWatch may
 * encrypt alarm notifications with it, as the SNS guide shows for CloudWatch alarms:
 * https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services
 */
export function alarmTopicKeyPolicy(accountId: string) {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'AccountAdministersTheKey',
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${accountId}:root` },
        Action: 'kms:*',
        Resource: '*',
      },
      {
        Sid: 'CloudWatchAlarmsEncryptNotifications',
        Effect: 'Allow',
        Principal: { Service: 'cloudwatch.amazonaws.com' },
        Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        Resource: '*',
      },
    ],
  };
}

/**
 * The seed's success metrics on one page. Every metric widget names its region: PutDashboard rejects a
 * metric widget without one (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/CloudWatch-Dashboard-Body-Structure.html#CloudWatch-Dashboard-Properties-Metric-Widget-Object).
 */
export function dashboardBody(
  namespace: string,
  stateMachineArn: string,
  functionNames: string[],
  settings: { region: string; sendFailureRatePercent: number; deliveryRatePercent: number },
): { widgets: unknown[] } {
  const m = (metric: { name: string; service: string }, extra: Record<string, unknown> = {}) => [
    namespace,
    metric.name,
    'service',
    metric.service,
    extra,
  ];
  const widget = (x: number, y: number, title: string, properties: Record<string, unknown>) => ({
    type: 'metric',
    x,
    y,
    width: 12,
    height: 6,
    properties: { title, view: 'timeSeries', region: settings.region, period: 3600, ...properties },
  });
  return {
    widgets: [
      widget(0, 0, 'Notifications (per hour)', {
        stat: 'Sum',
        metrics: [
          m(METRICS.sent, { id: 'sent' }),
          m(METRICS.failed, { id: 'failed' }),
          m(METRICS.delivered, { id: 'delivered' }),
        ],
      }),
      widget(12, 0, 'Delivery and failure rate (%)', {
        stat: 'Sum',
        metrics: [
          m(METRICS.sent, { id: 'sent', visible: false }),
          m(METRICS.failed, { id: 'failed', visible: false }),
          m(METRICS.delivered, { id: 'delivered', visible: false }),
          [{ expression: 'IF(sent > 0, 100 * delivered / sent, 100)', label: 'Delivery rate %', id: 'dr' }],
          [
            {
              expression: 'IF(sent + failed > 0, 100 * failed / (sent + failed), 0)',
              label: 'Failure rate %',
              id: 'fr',
            },
          ],
        ],
        annotations: {
          horizontal: [
            { label: 'delivery target', value: settings.deliveryRatePercent },
            { label: 'failure limit', value: settings.sendFailureRatePercent },
          ],
        },
      }),
      widget(0, 6, 'Delivery latency (ms, target < 120000)', {
        metrics: [
          m(METRICS.deliveryLatency, { stat: 'p50' }),
          m(METRICS.deliveryLatency, { stat: 'p95' }),
          m(METRICS.deliveryLatency, { stat: 'Average' }),
        ],
        annotations: { horizontal: [{ label: '2 minutes', value: 120_000 }] },
      }),
      widget(12, 6, 'Sales suppressed by reason', {
        metrics: [
          [
            {
              expression: `SEARCH('{${namespace},service} service="${METRICS.suppressed.service}" Suppressed', 'Sum', 3600)`,
              id: 'suppressed',
            },
          ],
        ],
      }),
      widget(0, 12, 'Window runs', {
        stat: 'Sum',
        period: 1800,
        metrics: ['ExecutionsStarted', 'ExecutionsSucceeded', 'ExecutionsFailed', 'ExecutionsTimedOut'].map(
          (metricName) => ['AWS/States', metricName, 'StateMachineArn', stateMachineArn],
        ),
      }),
      widget(12, 12, 'Map runs failed', { stat: 'Sum', metrics: [[namespace, MAP_RUN_FAILED_METRIC]] }),
      widget(0, 18, 'Function errors', {
        stat: 'Sum',
        period: 300,
        metrics: functionNames.map((fn) => ['AWS/Lambda', 'Errors', 'FunctionName', fn]),
      }),
      widget(12, 18, 'Function throttles', {
        stat: 'Sum',
        period: 300,
        metrics: functionNames.map((fn) => ['AWS/Lambda', 'Throttles', 'FunctionName', fn]),
      }),
    ],
  };
}
