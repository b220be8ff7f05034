/**
 * IAM policy documents as plain data: built by pure functions, checked for wildcards before they reach AWS.
 * Grants are scoped to resource ARNs; `*` as a resource is accepted only for actions AWS cannot scope.
 */
import type { DynamoAction } from '#shared/catalog';
import { PolicyError } from './errors';

export interface PolicyStatement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Action: string[];
  Resource: string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}

export interface PolicyDocument {
  Version: '2012-10-17';
  Statement: PolicyStatement[];
}

/** The network interfaces of a VPC function. */
const VPC_ACTIONS = [
  'ec2:CreateNetworkInterface',
  'ec2:DescribeNetworkInterfaces',
  'ec2:DescribeSubnets',
  'ec2:DeleteNetworkInterface',
  'ec2:AssignPrivateIpAddresses',
  'ec2:UnassignPrivateIpAddresses',
];

/** X-Ray segments and sampling. */
const XRAY_ACTIONS = [
  'xray:PutTraceSegments',
  'xray:PutTelemetryRecords',
  'xray:GetSamplingRules',
  'xray:GetSamplingTargets',
];

/** Vended log delivery of Step Functions to CloudWatch Logs. */
export const LOG_DELIVERY_ACTIONS = [
  'logs:CreateLogDelivery',
  'logs:GetLogDelivery',
  'logs:UpdateLogDelivery',
  'logs:DeleteLogDelivery',
  'logs:ListLogDeliveries',
  'logs:PutResourcePolicy',
  'logs:DescribeResourcePolicies',
  'logs:DescribeLogGroups',
];

/**
 * Actions that AWS only authorizes on `*`: creating the network interfaces of a VPC function, and X-Ray
 * segments. Nothing else may name `*` as a resource.
 */
export const WILDCARD_RESOURCE_ACTIONS: readonly string[] = [
  ...VPC_ACTIONS,
  ...XRAY_ACTIONS,
  // CloudWatch Logs delivery for Step Functions (vended logs) is authorized account-wide.
  ...LOG_DELIVERY_ACTIONS,
];

/** Throws a PolicyError on any wildcard action, or a `*` resource for an action that can be scoped. */
export function assertLeastPrivilege(document: PolicyDocument): void {
  for (const statement of document.Statement) {
    for (const action of statement.Action) {
      if (action === '*' || action.endsWith(':*')) {
        throw new PolicyError(`Wildcard action "${action}" is not allowed`, statement);
      }
    }
    if (statement.Resource.length === 0) throw new PolicyError('Statement without resources', statement);
    if (statement.Resource.includes('*')) {
      const scopable = statement.Action.filter((action) => !WILDCARD_RESOURCE_ACTIONS.includes(action));
      if (scopable.length > 0) {
        throw new PolicyError(`Resource "*" granted for scopable actions: ${scopable.join(', ')}`, statement);
      }
    }
  }
}

/** A policy document, checked with assertLeastPrivilege. */
export function policyDocument(statements: PolicyStatement[]): PolicyDocument {
  const document: PolicyDocument = { Version: '2012-10-17', Statement: statements };
  assertLeastPrivilege(document);
  return document;
}

export interface TrustPolicy {
  Version: '2012-10-17';
  Statement: Array<{
    Effect: 'Allow';
    Principal: { Service: string };
    Action: 'sts:AssumeRole';
    Condition?: Record<string, Record<string, string>>;
  }>;
}

/** Trust policy of a role assumed by an AWS service (`lambda.amazonaws.com`, `states.amazonaws.com`...). */
export function assumeRolePolicy(service: string, sourceAccount?: string): TrustPolicy {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { Service: service },
        Action: 'sts:AssumeRole',
        ...(sourceAccount ? { Condition: { StringEquals: { 'aws:SourceAccount': sourceAccount } } } : {}),
      },
    ],
  };
}

/** DynamoDB actions on one table and its indexes (indexes only when the actions can use them). */
export function dynamoStatement(
  tableArn: string,
  actions: readonly DynamoAction[],
  sid?: string,
): PolicyStatement {
  const usesIndexes = actions.includes('Query');
  return {
    ...(sid ? { Sid: sid } : {}),
    Effect: 'Allow',
    Action: [...new Set(actions)].map((action) => `dynamodb:${action}`),
    Resource: usesIndexes ? [tableArn, `${tableArn}/index/*`] : [tableArn],
  };
}

/** Consume a Kinesis stream through an event source mapping. */
export function kinesisReadStatement(streamArn: string): PolicyStatement {
  return {
    Sid: 'ReadDeliveryStatusStream',
    Effect: 'Allow',
    Action: [
      'kinesis:DescribeStream',
      'kinesis:DescribeStreamSummary',
      'kinesis:GetRecords',
      'kinesis:GetShardIterator',
      'kinesis:ListShards',
      'kinesis:SubscribeToShard',
    ],
    Resource: [streamArn],
  };
}

/** Put records to a Kinesis stream. */
export function kinesisWriteStatement(streamArn: string): PolicyStatement {
  return {
    Sid: 'WriteDeliveryStatusStream',
    Effect: 'Allow',
    Action: ['kinesis:PutRecord', 'kinesis:PutRecords'],
    Resource: [streamArn],
  };
}

/** Read SecureString parameters (the AWS managed `aws/ssm` key needs no extra KMS grant). */
export function parameterReadStatement(parameterArns: readonly string[]): PolicyStatement {
  return { Sid: 'ReadSecrets', Effect: 'Allow', Action: ['ssm:GetParameter'], Resource: [...parameterArns] };
}

/** Write to the function's own log group only. */
export function logsStatement(logGroupArn: string): PolicyStatement {
  return {
    Sid: 'WriteOwnLogs',
    Effect: 'Allow',
    Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
    Resource: [`${logGroupArn}:*`],
  };
}

/** Network interfaces of a function in a VPC (the actions of AWSLambdaVPCAccessExecutionRole, without logs:*). */
export const VPC_ACCESS_STATEMENT: PolicyStatement = {
  Sid: 'VpcNetworkInterfaces',
  Effect: 'Allow',
  Action: [...VPC_ACTIONS],
  Resource: ['*'],
};

/** X-Ray segments of active tracing. */
export const XRAY_STATEMENT: PolicyStatement = {
  Sid: 'XRayTraces',
  Effect: 'Allow',
  Action: [...XRAY_ACTIONS],
  Resource: ['*'],
};

/** Send to one queue (dead letters, on-failure destinations). */
export function sqsSendStatement(queueArn: string, sid = 'SendToQueue'): PolicyStatement {
  return { Sid: sid, Effect: 'Allow', Action: ['sqs:SendMessage'], Resource: [queueArn] };
}

/** Invoke the given functions (and their versions/aliases). */
export function invokeFunctionsStatement(functionArns: readonly string[]): PolicyStatement {
  return {
    Sid: 'InvokeWindowFunctions',
    Effect: 'Allow',
    Action: ['lambda:InvokeFunction'],
    Resource: functionArns.flatMap((arn) => [arn, `${arn}:*`]),
  };
}

/** SES v2 SendEmail from one identity, with the stage's templates and configuration set. */
export function sendEmailStatement(resourceArns: readonly string[]): PolicyStatement {
  return {
    Sid: 'SendEmail',
    Effect: 'Allow',
    Action: ['ses:SendEmail', 'ses:SendTemplatedEmail'],
    Resource: [...resourceArns],
  };
}
