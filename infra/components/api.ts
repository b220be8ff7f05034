/**
 * The reminders GraphQL API: AppSync with schema/schema.graphql, one Lambda data source (the `api`
 * function of the catalog) and a JavaScript unit resolver per field (schema/lambda-resolver.js) that
 * invokes it and raises its `apiError` results as GraphQL errors with their errorType.
 *
 * Auth: an API key (dev), IAM (server-to-server callers with SigV4) or a Cognito user pool (prod sites
 * and apps). Field logs at ERROR without verbose content, so request
 * arguments (contacts) never reach the logs.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { InfraError } from '../errors';
import { assumeRolePolicy, type PolicyStatement, policyDocument } from '../policies';

/** The fields of the schema, each resolved by the Lambda (kept in step with shared/api/resolver.ts). */
export const API_RESOLVER_FIELDS = {
  Query: ['eventDetails', 'reminderStatus'],
  Mutation: ['requestReminder', 'cancelReminder', 'confirmContact'],
} as const;

export type ApiAuth =
  /** `expires`: RFC 3339 instant, 1 to 365 days ahead (without it AppSync's key lasts only 7 days). */
  | { mode: 'API_KEY'; expires: string }
  | { mode: 'AWS_IAM' }
  | {
      mode: 'AMAZON_COGNITO_USER_POOLS';
      userPoolId: pulumi.Input<string>;
      region: string;
      appIdClientRegex?: string;
    };

export interface ApiComponentArgs {
  /** Physical API name (`<stage>-api`). */
  apiName: string;
  /** SDL of schema/schema.graphql (see loadApiSources). */
  schema: string;
  /** APPSYNC_JS code of schema/lambda-resolver.js. */
  resolverCode: string;
  /** ARN of the resolver Lambda. */
  functionArn: pulumi.Input<string>;
  /** One mode: several would need AppSync's @aws_* directives on every type of the schema. */
  auth: ApiAuth;
  logRetentionDays: number;
  /** Default 'ERROR'. */
  fieldLogLevel?: 'NONE' | 'ERROR' | 'INFO' | 'DEBUG' | 'ALL';
  /** Schema introspection; default true. Turn off in prod. */
  introspection?: boolean;
  /** Deepest query accepted; default 6 (the schema is 4 levels deep). */
  queryDepthLimit?: number;
  /** Other modes beside `auth` (the schema's @aws_* directives say which fields each may call). */
  additionalAuth?: ApiAuth[];
  /** Resolvers one request may run (AppSync's resolverCountLimit); default 10: aliases cannot fan out. */
  resolverCountLimit?: number;
  /** Requests per source IP per 5 minutes before the WAF blocks it (rate-based rule); default 300. */
  rateLimitPer5Min?: number;
}

/** A CloudWatch metric name for the WAF's visibility config. */
function wafMetric(apiName: string, what: string): string {
  return `${apiName}-${what}`.replace(/[^A-Za-z0-9_-]/g, '-');
}

/** Reads the schema and the resolver code from the repository. */
export function loadApiSources(rootDir: string): { schema: string; resolverCode: string } {
  const read = (file: string) => {
    const full = path.join(rootDir, 'schema', file);
    try {
      return readFileSync(full, 'utf8');
    } catch (error: unknown) {
      throw new InfraError(`API source not readable: ${full}`, { cause: error });
    }
  };
  return { schema: read('schema.graphql'), resolverCode: read('lambda-resolver.js') };
}

/** Invoke one function (and its versions/aliases). */
export function invokeResolverStatement(functionArn: string): PolicyStatement {
  return {
    Sid: 'InvokeResolverFunction',
    Effect: 'Allow',
    Action: ['lambda:InvokeFunction'],
    Resource: [functionArn, `${functionArn}:*`],
  };
}

/**
 * AppSync accepts an API key lifetime of 1 to 365 days and extends an existing key's expiry in place
 * (https://docs.aws.amazon.com/appsync/latest/devguide/security-authz.html#api-key-authorization,
 * https://docs.aws.amazon.com/appsync/latest/APIReference/API_ApiKey.html).
 */
export const API_KEY_MAX_DAYS = 365;
const DAY_MS = 24 * 3600 * 1000;

/**
 * Expiry of the dev API key: `validDays` after the start of the UTC day of `now`, so every `pulumi up`
 * renews the key (same key value, later expiry) and two deploys on the same day change nothing. Taking the
 * day's start keeps it within AppSync's 365 days; 2 days at least keeps it above AppSync's 1-day minimum.
 */
export function apiKeyExpiry(now: Date, validDays: number): string {
  if (!Number.isInteger(validDays) || validDays < 2 || validDays > API_KEY_MAX_DAYS) {
    throw new InfraError(`API key validity of ${validDays} days is outside 2-${API_KEY_MAX_DAYS}`);
  }
  const dayStart = Math.floor(now.getTime() / DAY_MS) * DAY_MS;
  return new Date(dayStart + validDays * DAY_MS).toISOString().replace('.000Z', 'Z');
}

function authProvider(auth: ApiAuth) {
  switch (auth.mode) {
    case 'API_KEY':
    case 'AWS_IAM':
      return { authenticationType: auth.mode };
    case 'AMAZON_COGNITO_USER_POOLS':
      return {
        authenticationType: auth.mode,
        userPoolConfig: {
          userPoolId: auth.userPoolId,
          defaultAction: 'ALLOW',
          awsRegion: auth.region,
          ...(auth.appIdClientRegex ? { appIdClientRegex: auth.appIdClientRegex } : {}),
        },
      };
  }
}

/** An additional provider: the same settings as the primary, with AppSync's additional-provider field names. */
function additionalProvider(auth: ApiAuth) {
  if (auth.mode === 'AMAZON_COGNITO_USER_POOLS') {
    return {
      authenticationType: auth.mode,
      userPoolConfig: {
        userPoolId: auth.userPoolId,
        awsRegion: auth.region,
        ...(auth.appIdClientRegex ? { appIdClientRegex: auth.appIdClientRegex } : {}),
      },
    };
  }
  return { authenticationType: auth.mode };
}

export class ApiComponent extends pulumi.ComponentResource {
  readonly api: aws.appsync.GraphQLApi;
  readonly apiId: pulumi.Output<string>;
  /** The GraphQL endpoint. */
  readonly url: pulumi.Output<string>;
  /** Set when an API key is one of the auth modes (secret output). */
  readonly apiKey?: pulumi.Output<string>;
  /** Expiry of the API key (RFC 3339), with API key auth. */
  readonly apiKeyExpires?: string;
  readonly resolvers: aws.appsync.Resolver[];

  constructor(name: string, args: ApiComponentArgs, opts?: pulumi.ComponentResourceOptions) {
    super('dmd:api:ApiComponent', name, {}, opts);
    if (args.auth.mode === 'API_KEY' && Number.isNaN(Date.parse(args.auth.expires))) {
      throw new InfraError(`${args.apiName}: API key expiry '${args.auth.expires}' is not an instant`);
    }

    const logsRole = new aws.iam.Role(
      `${name}-logs-role`,
      {
        description: `AppSync logging of ${args.apiName}`,
        assumeRolePolicy: JSON.stringify(assumeRolePolicy('appsync.amazonaws.com')),
      },
      { parent: this },
    );

    const primary = authProvider(args.auth);
    this.api = new aws.appsync.GraphQLApi(
      `${name}-api`,
      {
        name: args.apiName,
        schema: args.schema,
        ...primary,
        xrayEnabled: true,
        introspectionConfig: args.introspection === false ? 'DISABLED' : 'ENABLED',
        queryDepthLimit: args.queryDepthLimit ?? 6,
        resolverCountLimit: args.resolverCountLimit ?? 10,
        ...(args.additionalAuth && args.additionalAuth.length > 0
          ? { additionalAuthenticationProviders: args.additionalAuth.map(additionalProvider) }
          : {}),
        logConfig: {
          cloudwatchLogsRoleArn: logsRole.arn,
          fieldLogLevel: args.fieldLogLevel ?? 'ERROR',
          excludeVerboseContent: true,
        },
      },
      { parent: this },
    );
    this.apiId = this.api.id;

    // A rate-based rule per source IP in front of the API (AppSync takes a regional web ACL):
    // https://docs.aws.amazon.com/appsync/latest/devguide/WAF-Integration.html
    const webAcl = new aws.wafv2.WebAcl(
      `${name}-waf`,
      {
        name: `${args.apiName}-waf`,
        scope: 'REGIONAL',
        description: `${args.apiName}: requests per source IP`,
        defaultAction: { allow: {} },
        rules: [
          {
            name: 'rate-per-ip',
            priority: 0,
            action: { block: {} },
            statement: {
              rateBasedStatement: { limit: args.rateLimitPer5Min ?? 300, aggregateKeyType: 'IP' },
            },
            visibilityConfig: {
              cloudwatchMetricsEnabled: true,
              metricName: wafMetric(args.apiName, 'rate-per-ip'),
              sampledRequestsEnabled: false,
            },
          },
        ],
        visibilityConfig: {
          cloudwatchMetricsEnabled: true,
          metricName: wafMetric(args.apiName, 'waf'),
          sampledRequestsEnabled: false,
        },
      },
      { parent: this },
    );
    new aws.wafv2.WebAclAssociation(
      `${name}-waf-association`,
      { resourceArn: this.api.arn, webAclArn: webAcl.arn },
      { parent: this },
    );
    this.url = this.api.uris.apply((uris) => uris?.GRAPHQL ?? '');

    const logGroup = new aws.cloudwatch.LogGroup(
      `${name}-logs`,
      {
        name: pulumi.interpolate`/aws/appsync/apis/${this.api.id}`,
        retentionInDays: args.logRetentionDays,
      },
      { parent: this },
    );
    new aws.iam.RolePolicy(
      `${name}-logs-policy`,
      {
        role: logsRole.id,
        policy: logGroup.arn.apply((arn) =>
          JSON.stringify(
            policyDocument([
              {
                Sid: 'WriteApiLogs',
                Effect: 'Allow',
                Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
                Resource: [`${arn}:*`],
              },
            ]),
          ),
        ),
      },
      { parent: this },
    );

    if (args.auth.mode === 'API_KEY') {
      const key = new aws.appsync.ApiKey(
        `${name}-key`,
        {
          apiId: this.api.id,
          description: `${args.apiName} (API key auth)`,
          expires: args.auth.expires,
        },
        { parent: this },
      );
      this.apiKey = pulumi.secret(key.key);
      this.apiKeyExpires = args.auth.expires;
    }

    const invokeRole = new aws.iam.Role(
      `${name}-invoke-role`,
      {
        description: `AppSync data source of ${args.apiName}: invokes the resolver function`,
        assumeRolePolicy: JSON.stringify(assumeRolePolicy('appsync.amazonaws.com')),
      },
      { parent: this },
    );
    const invokePolicy = new aws.iam.RolePolicy(
      `${name}-invoke-policy`,
      {
        role: invokeRole.id,
        policy: pulumi
          .output(args.functionArn)
          .apply((arn) => JSON.stringify(policyDocument([invokeResolverStatement(arn)]))),
      },
      { parent: this },
    );
    const dataSource = new aws.appsync.DataSource(
      `${name}-lambda`,
      {
        apiId: this.api.id,
        name: 'resolverFunction',
        description: 'The resolver Lambda (functions/api)',
        type: 'AWS_LAMBDA',
        lambdaConfig: { functionArn: args.functionArn },
        serviceRoleArn: invokeRole.arn,
      },
      { parent: this, dependsOn: [invokePolicy] },
    );

    this.resolvers = (Object.keys(API_RESOLVER_FIELDS) as Array<keyof typeof API_RESOLVER_FIELDS>).flatMap(
      (type) =>
        API_RESOLVER_FIELDS[type].map(
          (field) =>
            new aws.appsync.Resolver(
              `${name}-${type.toLowerCase()}-${field}`,
              {
                apiId: this.api.id,
                type,
                field,
                kind: 'UNIT',
                dataSource: dataSource.name,
                runtime: { name: 'APPSYNC_JS', runtimeVersion: '1.0.0' },
                code: args.resolverCode,
              },
              { parent: this },
            ),
        ),
    );

    this.registerOutputs({ apiId: this.apiId, url: this.url });
  }
}
