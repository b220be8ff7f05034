import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { SES_EVENT_INPUT_TRANSFORMER } from '#shared/clients/ses-event';
import { assumeRolePolicy, policyDocument } from '../policies';

export interface DeliveryStatusStreamArgs {
  /** Physical name of the stream (`<stage>-delivery-status`). */
  streamName: string;
  /** Provisioned shards; 0 = on-demand. */
  shardCount: number;
  retentionHours: number;
}

/** Settings of the status-updater's event source mapping. */
export const STATUS_UPDATER_MAPPING = {
  batchSize: 100,
  maximumBatchingWindowInSeconds: 1,
  bisectBatchOnFunctionError: true,
  maximumRetryAttempts: 5,
  maximumRecordAgeInSeconds: 3600,
  parallelizationFactor: 1,
  startingPosition: 'TRIM_HORIZON',
  functionResponseTypes: ['ReportBatchItemFailures'],
} as const;

/**
 * The delivery-status Kinesis stream (KMS encrypted, retention set) and the queue that keeps records the
 * status updater gave up on. `subscribe` attaches the consumer; `routeSesEvents` brings SES events in.
 */
export class DeliveryStatusStream extends pulumi.ComponentResource {
  readonly stream: aws.kinesis.Stream;
  readonly failureQueue: aws.sqs.Queue;
  readonly arn: pulumi.Output<string>;
  readonly name: pulumi.Output<string>;

  constructor(
    private readonly resourceName: string,
    args: DeliveryStatusStreamArgs,
    opts?: pulumi.ComponentResourceOptions,
  ) {
    super('dmd:delivery:DeliveryStatusStream', resourceName, {}, opts);
    this.stream = new aws.kinesis.Stream(
      `${resourceName}-stream`,
      {
        name: args.streamName,
        retentionPeriod: args.retentionHours,
        encryptionType: 'KMS',
        kmsKeyId: 'alias/aws/kinesis',
        ...(args.shardCount > 0
          ? { shardCount: args.shardCount, streamModeDetails: { streamMode: 'PROVISIONED' } }
          : { streamModeDetails: { streamMode: 'ON_DEMAND' } }),
      },
      { parent: this },
    );
    this.failureQueue = new aws.sqs.Queue(
      `${resourceName}-failures`,
      {
        name: `${args.streamName}-failures`,
        messageRetentionSeconds: 14 * 24 * 3600,
        sqsManagedSseEnabled: true,
      },
      { parent: this },
    );
    this.arn = this.stream.arn;
    this.name = this.stream.name;
    this.registerOutputs({ streamName: this.name, failureQueueUrl: this.failureQueue.url });
  }

  /**
   * The consumer's event source mapping: batches with partial failures reported per record, bisected on
   * error, retried a bounded number of times, then described in the failure queue. The consumer's role
   * needs sqs:SendMessage on `failureQueue` (granted by the caller with the rest of its policy).
   */
  subscribe(
    functionName: pulumi.Input<string>,
    opts?: pulumi.CustomResourceOptions,
  ): aws.lambda.EventSourceMapping {
    return new aws.lambda.EventSourceMapping(
      `${this.resourceName}-consumer`,
      {
        eventSourceArn: this.stream.arn,
        functionName,
        ...STATUS_UPDATER_MAPPING,
        functionResponseTypes: [...STATUS_UPDATER_MAPPING.functionResponseTypes],
        destinationConfig: { onFailure: { destinationArn: this.failureQueue.arn } },
      },
      { parent: this, ...opts },
    );
  }

  /**
   * SES publishes email events of `configurationSetName` to the default event bus; this rule puts each one
   * on the stream, keyed by the SES message id, through an input transformer that keeps no recipient.
   */
  routeSesEvents(configurationSetName: pulumi.Input<string>): aws.cloudwatch.EventRule {
    const rule = new aws.cloudwatch.EventRule(
      `${this.resourceName}-ses-events`,
      {
        description: 'SES email events of the notifications configuration set to the delivery-status stream',
        eventPattern: pulumi.output(configurationSetName).apply((setName) =>
          JSON.stringify({
            source: ['aws.ses'],
            detail: { mail: { tags: { 'ses:configuration-set': [setName] } } },
          }),
        ),
      },
      { parent: this },
    );
    const role = new aws.iam.Role(
      `${this.resourceName}-ses-events-role`,
      {
        description: 'EventBridge: SES events to the delivery-status stream',
        assumeRolePolicy: JSON.stringify(assumeRolePolicy('events.amazonaws.com')),
      },
      { parent: this },
    );
    new aws.iam.RolePolicy(
      `${this.resourceName}-ses-events-policy`,
      {
        role: role.id,
        policy: this.stream.arn.apply((arn) =>
          JSON.stringify(
            policyDocument([
              { Sid: 'PutSesEvents', Effect: 'Allow', Action: ['kinesis:PutRecord'], Resource: [arn] },
            ]),
          ),
        ),
      },
      { parent: this },
    );
    new aws.cloudwatch.EventTarget(
      `${this.resourceName}-ses-events-target`,
      {
        rule: rule.name,
        arn: this.stream.arn,
        roleArn: role.arn,
        // No recipient address reaches the stream: only the fields the status updater reads.
        inputTransformer: {
          inputPaths: { ...SES_EVENT_INPUT_TRANSFORMER.inputPaths },
          inputTemplate: SES_EVENT_INPUT_TRANSFORMER.inputTemplate,
        },
        kinesisTarget: { partitionKeyPath: '$.detail.mail.messageId' },
      },
      { parent: this },
    );
    return rule;
  }
}

export interface WebhookApiArgs {
  /** Physical name (`<stage>-webhooks`). */
  apiName: string;
  logRetentionDays: number;
  /** Requests per second across all routes (a flood must not reach the functions). */
  throttleRatePerSecond?: number;
}

/** Paths of the provider's callbacks. */
export const WEBHOOK_PATHS = {
  status: '/sms/status',
  inbound: '/sms/inbound',
  /** One-click unsubscribe of reminder emails: GET shows a confirmation, POST (RFC 8058) records it. */
  unsubscribe: '/email/unsubscribe',
} as const;

/**
 * The provider's webhooks: an HTTP API whose URL is known before the functions exist (the status callback
 * URL is part of every message we send). The functions behind it verify the provider's signature.
 */
export class WebhookApi extends pulumi.ComponentResource {
  readonly api: aws.apigatewayv2.Api;
  readonly endpoint: pulumi.Output<string>;

  constructor(
    private readonly resourceName: string,
    args: WebhookApiArgs,
    opts?: pulumi.ComponentResourceOptions,
  ) {
    super('dmd:delivery:WebhookApi', resourceName, {}, opts);
    this.api = new aws.apigatewayv2.Api(
      `${resourceName}-api`,
      { name: args.apiName, protocolType: 'HTTP', description: 'SMS provider webhooks (signed requests)' },
      { parent: this },
    );
    const accessLogs = new aws.cloudwatch.LogGroup(
      `${resourceName}-access-logs`,
      { name: `/aws/vendedlogs/apigateway/${args.apiName}`, retentionInDays: args.logRetentionDays },
      { parent: this },
    );
    new aws.apigatewayv2.Stage(
      `${resourceName}-stage`,
      {
        apiId: this.api.id,
        name: '$default',
        autoDeploy: true,
        defaultRouteSettings: {
          throttlingRateLimit: args.throttleRatePerSecond ?? 200,
          throttlingBurstLimit: (args.throttleRatePerSecond ?? 200) * 2,
        },
        accessLogSettings: {
          destinationArn: accessLogs.arn,
          // No query string or body: they carry phone numbers.
          format: JSON.stringify({
            requestId: '$context.requestId',
            routeKey: '$context.routeKey',
            status: '$context.status',
            latency: '$context.responseLatency',
            integrationError: '$context.integrationErrorMessage',
          }),
        },
      },
      { parent: this },
    );
    this.endpoint = this.api.apiEndpoint;
    this.registerOutputs({ endpoint: this.endpoint });
  }

  /** The full URL of a route path. */
  url(path: string): pulumi.Output<string> {
    return pulumi.interpolate`${this.endpoint}${path}`;
  }

  /** `POST <path>` (or the given methods) to a function (payload format 2.0), with the permission for this API only. */
  route(
    key: string,
    path: string,
    fn: { arn: pulumi.Input<string>; name: pulumi.Input<string> },
    methods: ReadonlyArray<'GET' | 'POST'> = ['POST'],
  ): void {
    const integration = new aws.apigatewayv2.Integration(
      `${this.resourceName}-${key}-integration`,
      {
        apiId: this.api.id,
        integrationType: 'AWS_PROXY',
        integrationUri: fn.arn,
        payloadFormatVersion: '2.0',
        timeoutMilliseconds: 10_000,
      },
      { parent: this },
    );
    for (const method of methods) {
      new aws.apigatewayv2.Route(
        // The POST route keeps its original resource name.
        method === 'POST'
          ? `${this.resourceName}-${key}-route`
          : `${this.resourceName}-${key}-${method.toLowerCase()}-route`,
        {
          apiId: this.api.id,
          routeKey: `${method} ${path}`,
          target: pulumi.interpolate`integrations/${integration.id}`,
        },
        { parent: this },
      );
    }
    new aws.lambda.Permission(
      `${this.resourceName}-${key}-permission`,
      {
        action: 'lambda:InvokeFunction',
        function: fn.name,
        principal: 'apigateway.amazonaws.com',
        sourceArn: pulumi.interpolate`${this.api.executionArn}/*/*${path}`,
      },
      { parent: this },
    );
  }
}
