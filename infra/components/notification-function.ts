import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { type DynamoAction, MAX_TIMEOUT_SECONDS } from '#shared/catalog';
import { InfraError } from '../errors';
import { functionLogGroupName } from '../naming';
import {
  assumeRolePolicy,
  dynamoStatement,
  logsStatement,
  type PolicyStatement,
  parameterReadStatement,
  policyDocument,
  VPC_ACCESS_STATEMENT,
  XRAY_STATEMENT,
} from '../policies';
import type { SecretRef } from './secrets';
import type { TableRef } from './tables';

/** A table the function uses, with the only DynamoDB actions it may call on it. */
export interface TableBinding {
  table: TableRef;
  actions: readonly DynamoAction[];
}

export interface NotificationFunctionArgs {
  /** Physical function name (`<stage>-<name>`). */
  functionName: string;
  description: string;
  /** The bundle (see bundle.ts). */
  code: pulumi.Input<pulumi.asset.Archive>;
  /** Handler export inside the bundle. */
  handler?: string;
  memoryMb: number;
  /** At most 300 s (CONST-003). */
  timeoutSeconds: number;
  /** Plain settings (never secrets: those go through `secrets`). */
  environment: Record<string, pulumi.Input<string>>;
  /** Each binding sets the table's env var and grants its actions, together. */
  tables: TableBinding[];
  /** Each secret sets its `*_PARAM` env var and grants ssm:GetParameter on that parameter only. */
  secrets: SecretRef[];
  /** Further statements (stream, SES...), already scoped to their resources. */
  statements?: pulumi.Input<PolicyStatement[]>;
  /** Private subnets and security groups (CONST-005). */
  network: { subnetIds: pulumi.Input<string>[]; securityGroupIds: pulumi.Input<string>[] };
  logRetentionDays: number;
  logLevel: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
  /** Reserved concurrency protecting a provider; undefined or 0 = none. */
  reservedConcurrency?: number;
}

/**
 * One Lambda function (nodejs24.x, arm64, X-Ray active) with its own log group and its own role, which
 * grants exactly the tables, secrets and statements passed in.
 */
export class NotificationFunction extends pulumi.ComponentResource {
  readonly function: aws.lambda.Function;
  readonly role: aws.iam.Role;
  readonly logGroup: aws.cloudwatch.LogGroup;
  readonly arn: pulumi.Output<string>;
  readonly name: pulumi.Output<string>;

  constructor(name: string, args: NotificationFunctionArgs, opts?: pulumi.ComponentResourceOptions) {
    super('dmd:compute:NotificationFunction', name, {}, opts);
    if (args.timeoutSeconds > MAX_TIMEOUT_SECONDS || args.timeoutSeconds < 1) {
      throw new InfraError(
        `${args.functionName}: timeout ${args.timeoutSeconds}s is outside 1..${MAX_TIMEOUT_SECONDS}s`,
      );
    }

    this.logGroup = new aws.cloudwatch.LogGroup(
      `${name}-logs`,
      { name: functionLogGroupName(args.functionName), retentionInDays: args.logRetentionDays },
      { parent: this },
    );
    this.role = new aws.iam.Role(
      `${name}-role`,
      {
        description: `Execution role of ${args.functionName}`,
        assumeRolePolicy: JSON.stringify(assumeRolePolicy('lambda.amazonaws.com')),
      },
      { parent: this },
    );

    const environment: Record<string, pulumi.Input<string>> = { ...args.environment };
    for (const binding of args.tables) environment[binding.table.envVar] = binding.table.name;
    for (const secret of args.secrets) environment[secret.envVar] = secret.name;

    const policy = new aws.iam.RolePolicy(
      `${name}-policy`,
      {
        role: this.role.id,
        policy: pulumi
          .all([
            this.logGroup.arn,
            pulumi.all(args.tables.map((binding) => binding.table.arn)),
            pulumi.all(args.secrets.map((secret) => secret.arn)),
            pulumi.output(args.statements ?? []),
          ])
          .apply(([logGroupArn, tableArns, parameterArns, statements]) =>
            JSON.stringify(
              policyDocument([
                logsStatement(logGroupArn),
                VPC_ACCESS_STATEMENT,
                XRAY_STATEMENT,
                ...args.tables.map((binding, i) =>
                  dynamoStatement(tableArns[i] ?? '', binding.actions, `Table${pascal(binding.table.key)}`),
                ),
                ...(parameterArns.length > 0 ? [parameterReadStatement(parameterArns)] : []),
                ...(statements as PolicyStatement[]),
              ]),
            ),
          ),
      },
      { parent: this },
    );

    this.function = new aws.lambda.Function(
      `${name}-fn`,
      {
        name: args.functionName,
        description: args.description,
        role: this.role.arn,
        runtime: 'nodejs24.x',
        architectures: ['arm64'],
        handler: args.handler ?? 'index.handler',
        code: args.code,
        memorySize: args.memoryMb,
        timeout: args.timeoutSeconds,
        environment: { variables: environment },
        vpcConfig: { subnetIds: args.network.subnetIds, securityGroupIds: args.network.securityGroupIds },
        tracingConfig: { mode: 'Active' },
        loggingConfig: {
          logFormat: 'JSON',
          logGroup: this.logGroup.name,
          applicationLogLevel: args.logLevel,
        },
        ...(args.reservedConcurrency ? { reservedConcurrentExecutions: args.reservedConcurrency } : {}),
      },
      { parent: this, dependsOn: [policy, this.logGroup] },
    );
    this.arn = this.function.arn;
    this.name = this.function.name;
    this.registerOutputs({ arn: this.arn, name: this.name, roleArn: this.role.arn });
  }
}

function pascal(value: string): string {
  return value
    .split(/[^A-Za-z0-9]/)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}
