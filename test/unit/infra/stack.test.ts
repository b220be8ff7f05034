/**
 * The Pulumi program under mocks: every resource it registers, with the inputs it would send to AWS.
 */
import * as path from 'node:path';
import { STATUS_UPDATER_MAPPING } from '#infra/components/delivery-status';
import { INTERFACE_ENDPOINT_SERVICES } from '#infra/components/network';
import { WINDOW_SCHEDULE_EXPRESSION } from '#infra/components/schedule';
import { SECRET_PARAMETERS } from '#infra/components/secrets';
import { StageConfigError } from '#infra/errors';
import { type PolicyDocument, WILDCARD_RESOURCE_ACTIONS } from '#infra/policies';
import {
  MASKED,
  MOCK_ACCOUNT_ID,
  readStackConfig,
  type SynthesizedResource,
  synthesize,
} from '#infra/synthesize';
import { FUNCTIONS, type FunctionSpec } from '#shared/catalog';
import { emailEnv, loadConfig } from '#shared/config/env';
import { NOTIFICATION_SALE_VIEW } from '#shared/data/notification-record';
import { TABLES, type TableKey, tableName } from '#shared/data/tables';
import { LOCALES } from '#shared/domain/model';
import { emailTemplateName } from '#shared/messages/email';
import { DefinitionError } from '#statemachines/definition';
import { ASL_FIXTURES, ROOT } from '#test/helpers/paths';

const devConfig = () => readStackConfig(ROOT, 'dev').config;

function ofType(resources: SynthesizedResource[], type: string): SynthesizedResource[] {
  return resources.filter((resource) => resource.type === type);
}

function named(resources: SynthesizedResource[], type: string, name: string): SynthesizedResource {
  const found = resources.find((resource) => resource.type === type && resource.name === name);
  if (!found) throw new Error(`no ${type} named ${name}`);
  return found;
}

function policyOf(resource: SynthesizedResource): PolicyDocument {
  return JSON.parse(String(resource.inputs.policy)) as PolicyDocument;
}

const ROLE_POLICY = 'aws:iam/rolePolicy:RolePolicy';
/** The deploy time of the synthesized stack (the API key's expiry counts from it). */
const DEPLOYED_AT = new Date('2026-12-02T10:30:00Z');
const MACHINE_ARN = 'arn:aws:states:us-east-1:123456789012:stateMachine:dev-window';

describe('the dev stack under mocks', () => {
  let resources: SynthesizedResource[];

  beforeAll(async () => {
    resources = await synthesize({ config: devConfig(), rootDir: ROOT, now: DEPLOYED_AT });
  });

  describe('function roles', () => {
    it.each(FUNCTIONS.map((spec) => [spec.name, spec as FunctionSpec]))(
      '%s may touch only its own tables, secrets and streams',
      (fnName, spec) => {
        const statements = policyOf(named(resources, ROLE_POLICY, `dev-${fnName}-policy`)).Statement;

        const dynamo = statements.filter((s) => s.Action.some((action) => action.startsWith('dynamodb:')));
        const granted = Object.fromEntries(
          dynamo.map((s) => [
            s.Resource[0]?.split('table/')[1],
            s.Action.map((a) => a.replace('dynamodb:', '')),
          ]),
        );
        const expected = Object.fromEntries(
          (Object.entries(spec.tables) as Array<[TableKey, string[]]>).map(([key, actions]) => [
            tableName('dev', key),
            [...new Set(actions)],
          ]),
        );
        expect(granted).toEqual(expected);
        for (const s of dynamo) {
          for (const resource of s.Resource) {
            expect(resource).toMatch(
              /^arn:aws:dynamodb:us-east-1:123456789012:table\/dev-[a-z-]+(\/index\/\*)?$/,
            );
          }
        }

        const parameters = statements
          .filter((s) => s.Action.includes('ssm:GetParameter'))
          .flatMap((s) => s.Resource);
        expect(parameters.sort()).toEqual(
          spec.secrets
            .map(
              (key) =>
                `arn:aws:ssm:us-east-1:123456789012:parameter/dmd/dev/${SECRET_PARAMETERS[key].suffix}`,
            )
            .sort(),
        );

        const kinesis = statements.filter((s) => s.Action.some((action) => action.startsWith('kinesis:')));
        if (spec.deliveryStream === 'read')
          expect(kinesis.flatMap((s) => s.Action)).toContain('kinesis:GetRecords');
        if (spec.deliveryStream === 'write')
          expect(kinesis.flatMap((s) => s.Action)).toEqual(['kinesis:PutRecord', 'kinesis:PutRecords']);
        if (!spec.deliveryStream) expect(kinesis).toEqual([]);

        const ses = statements.filter((s) => s.Action.some((action) => action.startsWith('ses:')));
        expect(ses.length > 0).toBe(spec.sendsEmail === true);

        const logs = statements.find((s) => s.Sid === 'WriteOwnLogs');
        expect(logs?.Resource).toEqual([
          `arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/dev-${fnName}:*`,
        ]);
      },
    );

    it.each(FUNCTIONS.map((spec) => [spec.name, spec as FunctionSpec]))(
      '%s learns the names of its own tables only',
      (fnName, spec) => {
        const fn = named(resources, 'aws:lambda/function:Function', `dev-${fnName}-fn`);
        const variables = (fn.inputs.environment as { variables: Record<string, string> }).variables;
        const tableVariables = Object.fromEntries(
          (Object.keys(TABLES) as TableKey[])
            .filter((key) => TABLES[key].envVar in variables)
            .map((key) => [key, variables[TABLES[key].envVar]]),
        );
        expect(tableVariables).toEqual(
          Object.fromEntries(Object.keys(spec.tables).map((key) => [key, tableName('dev', key as TableKey)])),
        );
      },
    );
  });

  it('grants no wildcard action anywhere, and "*" resources only where AWS requires them', () => {
    const documents = [...ofType(resources, ROLE_POLICY), ...ofType(resources, 'aws:iam/policy:Policy')].map(
      policyOf,
    );
    expect(documents.length).toBeGreaterThan(FUNCTIONS.length);
    for (const document of documents) {
      for (const statement of document.Statement) {
        for (const action of statement.Action) {
          expect(action).not.toBe('*');
          expect(action).not.toMatch(/:\*$/);
        }
        if (statement.Resource.includes('*')) {
          for (const action of statement.Action) expect(WILDCARD_RESOURCE_ACTIONS).toContain(action);
        }
      }
    }
  });

  it('runs every function on nodejs24.x/arm64, in private subnets, within 300 s, with its log group', () => {
    const functions = ofType(resources, 'aws:lambda/function:Function');
    expect(functions).toHaveLength(FUNCTIONS.length);
    for (const fn of functions) {
      expect(fn.inputs).toMatchObject({
        runtime: 'nodejs24.x',
        architectures: ['arm64'],
        tracingConfig: { mode: 'Active' },
      });
      expect(fn.inputs.timeout).toBeLessThanOrEqual(300);
      expect((fn.inputs.vpcConfig as { subnetIds: string[] }).subnetIds).toEqual([
        'dev-network-private-0-id',
        'dev-network-private-1-id',
      ]);
      const variables = (fn.inputs.environment as { variables: Record<string, string> }).variables;
      expect(variables).toMatchObject({
        STAGE: 'dev',
        POWERTOOLS_LOG_LEVEL: 'DEBUG',
        POWERTOOLS_METRICS_NAMESPACE: 'DmdWorkers/dev',
      });
      expect(Object.keys(variables).some((key) => /TOKEN$|API_KEY$|PASSWORD/.test(key))).toBe(false);
    }
    const sendPage = named(resources, 'aws:lambda/function:Function', 'dev-send-page-fn');
    expect(sendPage.inputs.reservedConcurrentExecutions).toBe(2);
    const logGroups = ofType(resources, 'aws:cloudwatch/logGroup:LogGroup');
    expect(logGroups.every((group) => group.inputs.retentionInDays === 14)).toBe(true);
  });

  it('renders the state machine with every function ARN and no placeholder left', () => {
    const machine = named(resources, 'aws:sfn/stateMachine:StateMachine', 'dev-window-machine');
    const definition = String(machine.inputs.definition);

    expect(definition).not.toMatch(/\$\{/);
    for (const fn of ['plan-window', 'prepare-sale', 'shorten', 'render-page', 'send-page', 'summarize']) {
      expect(definition).toContain(`arn:aws:lambda:us-east-1:123456789012:function:dev-${fn}`);
    }
    expect(machine.inputs).toMatchObject({
      type: 'STANDARD',
      loggingConfiguration: { includeExecutionData: false, level: 'ALL' },
      tracingConfiguration: { enabled: true },
    });
  });

  it('lets the machine start its map children and manage only its own executions', () => {
    const statements = policyOf(named(resources, ROLE_POLICY, 'dev-window-self-policy')).Statement;
    expect(statements.find((s) => s.Action.includes('states:StartExecution'))?.Resource).toEqual([
      MACHINE_ARN,
    ]);
    const manage = statements.find((s) => s.Action.includes('states:DescribeExecution'));
    expect(manage?.Action).toEqual(
      expect.arrayContaining(['states:DescribeExecution', 'states:StopExecution', 'states:RedriveExecution']),
    );
    expect(manage?.Resource).toContain('arn:aws:states:us-east-1:123456789012:execution:dev-window/*');
    const invoke = policyOf(named(resources, ROLE_POLICY, 'dev-window-policy')).Statement.find((s) =>
      s.Action.includes('lambda:InvokeFunction'),
    );
    expect(invoke?.Resource).toHaveLength(12);
  });

  it('schedules the machine every 30 minutes in UTC with the scheduled time as input', () => {
    const schedule = named(resources, 'aws:scheduler/schedule:Schedule', 'dev-window-schedule-schedule');

    expect(schedule.inputs).toMatchObject({
      scheduleExpression: WINDOW_SCHEDULE_EXPRESSION,
      scheduleExpressionTimezone: 'UTC',
      state: 'DISABLED',
      target: {
        arn: MACHINE_ARN,
        deadLetterConfig: { arn: 'arn:aws:sqs:us-east-1:123456789012:dev-window-schedule-dlq' },
        retryPolicy: { maximumRetryAttempts: 3 },
      },
    });
    const target = schedule.inputs.target as { input: string };
    expect(JSON.parse(target.input)).toEqual({ scheduledTime: '<aws.scheduler.scheduled-time>' });
    const role = policyOf(named(resources, ROLE_POLICY, 'dev-window-schedule-policy')).Statement;
    expect(role.find((s) => s.Action.includes('states:StartExecution'))?.Resource).toEqual([MACHINE_ARN]);
  });

  it('runs the sale monitoring Lambda every 10 minutes, 5 minutes before each window run, and nothing else', () => {
    const schedule = named(
      resources,
      'aws:scheduler/schedule:Schedule',
      'dev-sale-monitor-schedule-schedule',
    );
    const monitorArn = 'arn:aws:lambda:us-east-1:123456789012:function:dev-sale-monitor';

    expect(schedule.inputs).toMatchObject({
      scheduleExpression: 'cron(5/10 * * * ? *)',
      scheduleExpressionTimezone: 'UTC',
      state: 'DISABLED',
      target: {
        arn: monitorArn,
        deadLetterConfig: { arn: 'arn:aws:sqs:us-east-1:123456789012:dev-sale-monitor-schedule-dlq' },
      },
    });
    const role = policyOf(named(resources, ROLE_POLICY, 'dev-sale-monitor-schedule-policy')).Statement;
    expect(role.find((s) => s.Action.includes('lambda:InvokeFunction'))?.Resource).toEqual([monitorArn]);
    const fn = named(resources, 'aws:lambda/function:Function', 'dev-sale-monitor-fn');
    const variables = (fn.inputs.environment as { variables: Record<string, string> }).variables;
    expect(variables).toMatchObject({
      SALE_MONITOR_INTERVAL_MINUTES: '10',
      SALE_MONITOR_HORIZON_HOURS: '48',
      DISCOVERY_DAILY_QUOTA: '5000',
    });
  });

  it('feeds the status updater from the stream with partial batch failures and an on-failure queue', () => {
    const mapping = named(
      resources,
      'aws:lambda/eventSourceMapping:EventSourceMapping',
      'dev-delivery-status-consumer',
    );

    expect(mapping.inputs).toMatchObject({
      functionName: 'dev-status-updater',
      eventSourceArn: 'arn:aws:kinesis:us-east-1:123456789012:stream/dev-delivery-status',
      batchSize: STATUS_UPDATER_MAPPING.batchSize,
      bisectBatchOnFunctionError: true,
      maximumRetryAttempts: 5,
      functionResponseTypes: ['ReportBatchItemFailures'],
      destinationConfig: {
        onFailure: { destinationArn: 'arn:aws:sqs:us-east-1:123456789012:dev-delivery-status-failures' },
      },
    });
    const stream = named(resources, 'aws:kinesis/stream:Stream', 'dev-delivery-status-stream');
    expect(stream.inputs).toMatchObject({ encryptionType: 'KMS', retentionPeriod: 24 });
  });

  it('creates the tables of shared/data/tables.ts: on demand, encrypted, recoverable, with TTL', () => {
    const tables = ofType(resources, 'aws:dynamodb/table:Table');
    expect(tables.map((table) => table.inputs.name).sort()).toEqual(
      (Object.keys(TABLES) as TableKey[]).map((key) => tableName('dev', key)).sort(),
    );
    for (const table of tables) {
      expect(table.inputs).toMatchObject({
        billingMode: 'PAY_PER_REQUEST',
        serverSideEncryption: { enabled: true },
        pointInTimeRecovery: { enabled: true },
      });
    }
    expect(named(resources, 'aws:dynamodb/table:Table', 'dev-tables-idempotency').inputs.ttl).toEqual({
      attributeName: 'expiration',
      enabled: true,
    });
    // The notifications' indexes copy only what their readers read (no message, no contact hash).
    const notificationIndexes = named(resources, 'aws:dynamodb/table:Table', 'dev-tables-notifications')
      .inputs.globalSecondaryIndexes as Array<{
      name: string;
      projectionType: string;
      nonKeyAttributes?: string[];
    }>;
    expect(notificationIndexes.map(({ name, projectionType }) => [name, projectionType]).sort()).toEqual([
      ['byFan', 'INCLUDE'],
      ['bySale', 'INCLUDE'],
    ]);
    for (const index of notificationIndexes) {
      expect(index.nonKeyAttributes).not.toContain('message');
      expect(index.nonKeyAttributes).not.toContain('contactHash');
    }
    expect(notificationIndexes.find((index) => index.name === 'bySale')?.nonKeyAttributes).toEqual([
      ...NOTIFICATION_SALE_VIEW,
    ]);
  });

  it('has an interface endpoint only for the AWS services the functions call from the VPC', () => {
    const endpoints = ofType(resources, 'aws:ec2/vpcEndpoint:VpcEndpoint');
    const services = endpoints.map((e) =>
      String(e.inputs.serviceName).replace('com.amazonaws.us-east-1.', ''),
    );
    expect(services.sort()).toEqual(['dynamodb', 'kinesis-streams', 'ssm']);
    for (const unused of ['states', 'secretsmanager', 'logs']) expect(services).not.toContain(unused);
    expect(ofType(resources, 'aws:ec2/natGateway:NatGateway')).toHaveLength(1);

    // Every endpoint serves an action some function role is granted, and every AWS API a function's code
    // calls (its grants) has a way out of the VPC: an endpoint, the DynamoDB gateway, or NAT (SES).
    const granted = new Set(
      FUNCTIONS.flatMap((spec) =>
        policyOf(named(resources, ROLE_POLICY, `dev-${spec.name}-policy`)).Statement.flatMap((s) =>
          s.Action.map((action) => action.split(':')[0] ?? action),
        ),
      ),
    );
    for (const [service, iamPrefix] of Object.entries(INTERFACE_ENDPOINT_SERVICES)) {
      expect([service, granted.has(iamPrefix)]).toEqual([service, true]);
    }
    // Called by the Lambda service itself, outside the function's network: logs, X-Ray traces, the ENIs,
    // the stream's event source mapping and its on-failure queue.
    const outsideTheVpc = ['logs', 'xray', 'ec2', 'sqs'];
    const throughGatewayOrNat = ['dynamodb', 'ses'];
    const reachable = new Set([
      ...Object.values(INTERFACE_ENDPOINT_SERVICES),
      ...outsideTheVpc,
      ...throughGatewayOrNat,
    ]);
    for (const prefix of granted) expect([prefix, reachable.has(prefix)]).toEqual([prefix, true]);
  });

  it('places every subnet inside the VPC', () => {
    const vpc = ofType(resources, 'aws:ec2/vpc:Vpc')[0]?.inputs.cidrBlock;
    const subnets = ofType(resources, 'aws:ec2/subnet:Subnet').map((subnet) => subnet.inputs.cidrBlock);
    expect(vpc).toBe('10.20.0.0/16');
    expect(subnets.sort()).toEqual(['10.20.0.0/24', '10.20.1.0/24', '10.20.100.0/24', '10.20.101.0/24']);
  });

  it('encrypts the alarm topic with a rotated customer managed key that CloudWatch may use', () => {
    const topic = named(resources, 'aws:sns/topic:Topic', 'dev-observability-alarms');
    const key = named(resources, 'aws:kms/key:Key', 'dev-observability-alarms-key');
    expect(topic.inputs.kmsMasterKeyId).toBe(
      'arn:aws:kms:us-east-1:123456789012:key/dev-observability-alarms-key',
    );
    expect(topic.inputs.kmsMasterKeyId).not.toMatch(/alias\/aws\//);
    expect(key.inputs.enableKeyRotation).toBe(true);
    const policy = JSON.parse(String(key.inputs.policy)) as {
      Statement: Array<{ Principal: Record<string, string>; Action: string | string[] }>;
    };
    const cloudwatch = policy.Statement.find((s) => s.Principal.Service === 'cloudwatch.amazonaws.com');
    expect(cloudwatch?.Action).toEqual(['kms:Decrypt', 'kms:GenerateDataKey*']);
    expect(policy.Statement.some((s) => s.Principal.AWS === 'arn:aws:iam::123456789012:root')).toBe(true);
  });

  it('gives every metric widget of the dashboard its region', () => {
    const dashboard = named(resources, 'aws:cloudwatch/dashboard:Dashboard', 'dev-observability-dashboard');
    const body = JSON.parse(String(dashboard.inputs.dashboardBody)) as {
      widgets: Array<{ type: string; properties: { region?: string } }>;
    };
    const metricWidgets = body.widgets.filter((widget) => widget.type === 'metric');
    expect(metricWidgets.length).toBeGreaterThan(0);
    for (const widget of metricWidgets) expect(widget.properties.region).toBe('us-east-1');
  });

  it('gives the dev API key an expiry a year after the deploy day, which every deploy renews', () => {
    const [key, ...others] = ofType(resources, 'aws:appsync/apiKey:ApiKey');
    expect(others).toEqual([]);
    expect(key?.inputs.expires).toBe('2027-12-02T00:00:00Z');
  });

  it('names the SES templates per stage, as send-page asks for them', () => {
    const templates = ofType(resources, 'aws:ses/template:Template').map((t) => t.inputs.name);
    expect(templates.sort()).toEqual(LOCALES.map((locale) => `dev-${emailTemplateName(locale)}`).sort());
    const sendPage = named(resources, 'aws:lambda/function:Function', 'dev-send-page-fn');
    const variables = (sendPage.inputs.environment as { variables: Record<string, string> }).variables;
    const env = loadConfig(emailEnv, variables);
    for (const locale of LOCALES) {
      expect(templates).toContain(`${env.EMAIL_TEMPLATE_PREFIX}${emailTemplateName(locale)}`);
    }
  });

  it('lets send-page email the verified recipients of the SES sandbox, and says it is in the sandbox', () => {
    const recipients = ofType(resources, 'aws:sesv2/emailIdentity:EmailIdentity')
      .map((identity) => identity.inputs.emailIdentity)
      .sort();
    expect(recipients).toEqual(['dev-team@dev.example.com', 'dev.example.com']);
    const send = policyOf(named(resources, ROLE_POLICY, 'dev-send-page-policy')).Statement.find((s) =>
      s.Action.includes('ses:SendEmail'),
    );
    expect(send?.Resource).toEqual(
      expect.arrayContaining([
        'arn:aws:ses:us-east-1:123456789012:identity/dev.example.com',
        'arn:aws:ses:us-east-1:123456789012:identity/dev-team@dev.example.com',
        'arn:aws:ses:us-east-1:123456789012:configuration-set/dev-notifications',
        'arn:aws:ses:us-east-1:123456789012:template/dev-onsale-reminder-en-us',
      ]),
    );
    const sendPage = named(resources, 'aws:lambda/function:Function', 'dev-send-page-fn');
    const variables = (sendPage.inputs.environment as { variables: Record<string, string> }).variables;
    expect(loadConfig(emailEnv, variables).EMAIL_SANDBOX).toBe(true);
    // No address in a resource name (URNs and deploy logs show names).
    for (const resource of resources) expect(resource.name).not.toContain('@');
  });

  it('serves the email unsubscribe link on the webhook API (GET and one-click POST) and gives send-page its URL and key', () => {
    const routes = ofType(resources, 'aws:apigatewayv2/route:Route').map((route) => route.inputs.routeKey);
    expect(routes).toEqual(expect.arrayContaining(['GET /email/unsubscribe', 'POST /email/unsubscribe']));
    for (const fnName of ['dev-send-page-fn', 'dev-unsubscribe-webhook-fn']) {
      const fn = named(resources, 'aws:lambda/function:Function', fnName);
      const variables = (fn.inputs.environment as { variables: Record<string, string> }).variables;
      expect(variables.UNSUBSCRIBE_SECRET_PARAM).toBe('/dmd/dev/unsubscribe-secret');
      expect(variables.UNSUBSCRIBE_SECRET).toBeUndefined();
    }
    const sendPage = named(resources, 'aws:lambda/function:Function', 'dev-send-page-fn');
    const variables = (sendPage.inputs.environment as { variables: Record<string, string> }).variables;
    expect(variables.UNSUBSCRIBE_BASE_URL).toMatch(/\/email\/unsubscribe$/);
  });

  it('keeps secret values out of the output', () => {
    const parameters = ofType(resources, 'aws:ssm/parameter:Parameter');
    expect(parameters).toHaveLength(5);
    for (const parameter of parameters)
      expect(parameter.inputs).toMatchObject({ type: 'SecureString', value: MASKED });
  });

  it('raises the alarms the issue lists', () => {
    const names = ofType(resources, 'aws:cloudwatch/metricAlarm:MetricAlarm').map(
      (alarm) => alarm.inputs.name,
    );
    expect(names.sort()).toEqual(
      [
        'dev-delivery-rate',
        'dev-map-runs-failed',
        'dev-on-time-rate',
        'dev-sale-monitor-dlq-depth',
        'dev-schedule-dlq-depth',
        'dev-send-failure-rate',
        'dev-sign-up-rate',
        'dev-status-updater-iterator-age',
        'dev-stream-failures-depth',
        'dev-window-runs-failed',
      ].sort(),
    );
    expect(ofType(resources, 'aws:cloudwatch/dashboard:Dashboard')).toHaveLength(1);
  });

  it('puts the API behind a WAF rate rule per IP, a resolver count limit, and the fans’ user pool and IAM beside the API key', () => {
    const [api] = ofType(resources, 'aws:appsync/graphQLApi:GraphQLApi');
    expect(api?.inputs).toMatchObject({
      authenticationType: 'API_KEY',
      resolverCountLimit: 10,
      additionalAuthenticationProviders: [
        expect.objectContaining({ authenticationType: 'AMAZON_COGNITO_USER_POOLS' }),
        { authenticationType: 'AWS_IAM' },
      ],
    });
    const [acl] = ofType(resources, 'aws:wafv2/webAcl:WebAcl');
    expect(acl?.inputs).toMatchObject({
      scope: 'REGIONAL',
      rules: [
        expect.objectContaining({
          action: { block: {} },
          statement: { rateBasedStatement: { limit: 300, aggregateKeyType: 'IP' } },
        }),
      ],
    });
    expect(ofType(resources, 'aws:wafv2/webAclAssociation:WebAclAssociation')).toHaveLength(1);
    expect(ofType(resources, 'aws:cognito/userPool:UserPool')).toHaveLength(1);
    const clients = ofType(resources, 'aws:cognito/userPoolClient:UserPoolClient');
    expect(clients.map((client) => client.inputs)).toEqual([
      expect.objectContaining({ name: 'dev-fans-web', userPoolId: 'dev-fans-id', generateSecret: false }),
    ]);
  });

  it('routes SES events to the stream through an input transformer without recipients', () => {
    const target = ofType(resources, 'aws:cloudwatch/eventTarget:EventTarget').find(
      (t) => (t.inputs.inputTransformer as { inputTemplate?: string } | undefined)?.inputTemplate,
    );
    const template = (target?.inputs.inputTransformer as { inputTemplate?: string } | undefined)
      ?.inputTemplate;
    expect(template).toContain('"messageId": <messageId>');
    expect(template).not.toMatch(/destination|recipients|commonHeaders/);
    expect(target?.inputs.inputPath).toBeUndefined();
  });

  it('alarms when less than 98 % of the reminders of the last hour were handed over 5 minutes before their sale', () => {
    const onTime = ofType(resources, 'aws:cloudwatch/metricAlarm:MetricAlarm').find(
      (alarm) => alarm.inputs.name === 'dev-on-time-rate',
    );
    expect(onTime?.inputs).toMatchObject({ comparisonOperator: 'LessThanThreshold', threshold: 98 });
    const queries = onTime?.inputs.metricQueries as Array<{
      id: string;
      expression?: string;
      metric?: { metricName: string; dimensions: Record<string, string>; period: number };
    }>;
    expect(queries.map((query) => query.metric?.metricName).filter(Boolean)).toEqual([
      'RemindersOnTime',
      'RemindersNotOnTime',
    ]);
    expect(queries.every((query) => !query.metric || query.metric.dimensions.service === 'summarize')).toBe(
      true,
    );
    expect(queries.find((query) => query.id === 'rate')?.expression).toContain(
      '100 * ontime / (ontime + notontime)',
    );
  });

  it('sends every alarm, when it fires and when it clears, to the alarm topic, and counts no data as healthy', () => {
    // The ARN the synth mocks give the topic.
    const topicArn = `arn:aws:sns:us-east-1:${MOCK_ACCOUNT_ID}:topic/dev-alarms`;
    const alarms = ofType(resources, 'aws:cloudwatch/metricAlarm:MetricAlarm');
    expect(alarms.length).toBeGreaterThan(0);
    for (const alarm of alarms) {
      expect(alarm.inputs).toMatchObject({
        alarmActions: [topicArn],
        okActions: [topicArn],
        treatMissingData: 'notBreaching',
      });
      expect(alarm.inputs.alarmDescription).toEqual(expect.any(String));
      expect(alarm.inputs.evaluationPeriods).toBeGreaterThanOrEqual(1);
    }
  });
});

describe('stage settings and errors', () => {
  it('enables the schedule when the stage says so', async () => {
    const resources = await synthesize({
      config: { ...devConfig(), 'dmd:scheduleEnabled': 'true' },
      rootDir: ROOT,
    });
    expect(ofType(resources, 'aws:scheduler/schedule:Schedule')[0]?.inputs.state).toBe('ENABLED');
  });

  it('creates no user pool or app client when the stage names the pool of its sites and apps', async () => {
    const resources = await synthesize({
      config: { ...devConfig(), 'dmd:apiUserPoolId': 'us-east-1_EXAMPLE00' },
      rootDir: ROOT,
    });
    expect(ofType(resources, 'aws:cognito/userPool:UserPool')).toEqual([]);
    expect(ofType(resources, 'aws:cognito/userPoolClient:UserPoolClient')).toEqual([]);
    const [api] = ofType(resources, 'aws:appsync/graphQLApi:GraphQLApi');
    expect(api?.inputs.additionalAuthenticationProviders).toContainEqual(
      expect.objectContaining({
        authenticationType: 'AMAZON_COGNITO_USER_POOLS',
        userPoolConfig: expect.objectContaining({ userPoolId: 'us-east-1_EXAMPLE00' }),
      }),
    );
  });

  it('keeps the subnets of a /20 VPC over three zones inside it', async () => {
    const resources = await synthesize({
      config: {
        ...devConfig(),
        'dmd:vpcCidr': '10.40.16.0/20',
        'dmd:availabilityZones': '["us-east-1a","us-east-1b","us-east-1c"]',
      },
      rootDir: ROOT,
    });
    const subnets = ofType(resources, 'aws:ec2/subnet:Subnet').map((subnet) =>
      String(subnet.inputs.cidrBlock),
    );
    expect(subnets.sort()).toEqual([
      '10.40.16.0/24',
      '10.40.17.0/24',
      '10.40.18.0/24',
      '10.40.24.0/24',
      '10.40.25.0/24',
      '10.40.26.0/24',
    ]);
  });

  it('fails with the key name when a required key is missing', async () => {
    const { 'dmd:emailFrom': _omitted, ...config } = devConfig();
    await expect(synthesize({ config, rootDir: ROOT })).rejects.toThrow(StageConfigError);
    await expect(synthesize({ config, rootDir: ROOT })).rejects.toThrow(/dmd:emailFrom is missing/);
  });

  it('fails with the key name and the problem when a key is invalid', async () => {
    const config = { ...devConfig(), 'dmd:natGateways': 'many' };
    await expect(synthesize({ config, rootDir: ROOT })).rejects.toThrow('dmd:natGateways must be a number');
  });

  it('refuses a state machine template with a token it cannot fill', async () => {
    const definitionPath = path.join(ASL_FIXTURES, 'window-unknown-token.asl.json');
    await expect(synthesize({ config: devConfig(), rootDir: ROOT, definitionPath })).rejects.toThrow(
      DefinitionError,
    );
  });
});
