/**
 * The whole stage: every resource `pulumi up` creates, from the validated stage configuration. Used by
 * infra/index.ts (the Pulumi program) and by infra/synth.ts / the tests (under mocks).
 */
import * as path from 'node:path';
import * as pulumi from '@pulumi/pulumi';
import {
  FUNCTIONS,
  type FunctionName,
  type FunctionSpec,
  type SettingsGroup,
  WINDOW_STEPS,
  type WindowFunctionName,
} from '#shared/catalog';
import { type StackValue, settingsOf } from '#shared/config/settings';
import type { TableKey } from '#shared/data/tables';
import { readWindowTemplate } from '#statemachines/definition';
import { bundleFunction } from './bundle';
import {
  ApiComponent,
  apiKeyExpiry,
  createFanPool,
  DataTables,
  DeliveryStatusStream,
  Email,
  loadApiSources,
  loadEmailTemplates,
  Network,
  NotificationFunction,
  Observability,
  SaleMonitorSchedule,
  Secrets,
  WEBHOOK_PATHS,
  WebhookApi,
  WindowSchedule,
  WindowStateMachine,
} from './components';
import { loadSecretConfig, loadStageConfig, type SecretConfig, type StageConfig } from './config';
import { physicalName } from './naming';
import {
  kinesisReadStatement,
  kinesisWriteStatement,
  type PolicyStatement,
  sendEmailStatement,
  sqsSendStatement,
} from './policies';

export interface StackOptions {
  /** Repository root (functions/, statemachines/, shared/). Default: the folder above infra/. */
  rootDir?: string;
  /** Bundle each function with esbuild (default true). Off in tests and synth: a placeholder archive. */
  bundle?: boolean;
  /** Default `<rootDir>/statemachines/window.asl.json`. */
  definitionPath?: string;
  /** Default: read and validated from the Pulumi stack configuration. */
  config?: StageConfig;
  /** Deploy time (default: the clock); the dev API key expires a set number of days after it. */
  now?: Date;
  secrets?: SecretConfig;
}

export interface StackOutputs {
  stage: string;
  stateMachineArn: pulumi.Output<string>;
  operatorPolicyArn: pulumi.Output<string>;
  scheduleName: pulumi.Output<string>;
  statusCallbackUrl: pulumi.Output<string>;
  inboundUrl: pulumi.Output<string>;
  deliveryStreamName: pulumi.Output<string>;
  tableNames: Record<TableKey, pulumi.Output<string>>;
  functionNames: Record<FunctionName, pulumi.Output<string>>;
  dashboardName: pulumi.Output<string>;
  alarmTopicArn: pulumi.Output<string>;
  apiUrl: pulumi.Output<string>;
  /**
   * What a site or app needs to sign fans in and call the API with their tokens: the region, the user
   * pool and, for the stage's own pool, its public app client.
   */
  fanAuth: {
    region: string;
    userPoolId: pulumi.Output<string>;
    userPoolClientId?: pulumi.Output<string>;
  };
  /** Only with apiAuth API_KEY (dev stages). */
  apiKey?: pulumi.Output<string>;
  /** When that key expires unless a `pulumi up` renews it (RFC 3339). */
  apiKeyExpires?: string;
}

const DEFAULT_ROOT = path.resolve(__dirname, '..');

/** The stage's SES templates are `<stage>-<name>`; send-page prepends the same prefix (EMAIL_TEMPLATE_PREFIX). */
export function emailTemplatePrefix(stage: string): string {
  return `${stage}-`;
}

/** Plain settings of each group, as the variables of shared/config/env.ts. */
export function settingsEnvironment(
  config: StageConfig,
  groups: readonly SettingsGroup[],
  extra: {
    statusCallbackUrl: pulumi.Input<string>;
    configurationSetName: pulumi.Input<string>;
    unsubscribeUrl: pulumi.Input<string>;
  },
): Record<string, pulumi.Input<string>> {
  const fromStack: Record<StackValue, pulumi.Input<string>> = {
    ...extra,
    emailTemplatePrefix: emailTemplatePrefix(config.stage),
  };
  const env: Record<string, pulumi.Input<string>> = {};
  for (const group of groups) {
    for (const [name, setting] of settingsOf(group)) {
      if (setting.stackValue) env[name] = fromStack[setting.stackValue];
      if (!setting.stageKey) continue;
      const value: unknown = config[setting.stageKey as keyof StageConfig];
      // Unset optional keys and false flags stay out: the function's default is the same.
      if (value === undefined || value === false || value === '') continue;
      env[name] = Array.isArray(value) ? value.join(',') : String(value);
    }
  }
  return env;
}

export function createStack(options: StackOptions = {}): StackOutputs {
  const config = options.config ?? loadStageConfig();
  const secretValues = options.secrets ?? loadSecretConfig();
  const rootDir = options.rootDir ?? DEFAULT_ROOT;
  // Checked against the catalog before any resource is registered (a DefinitionError names the mismatch).
  const definitionTemplate = readWindowTemplate(
    options.definitionPath ?? path.join(rootDir, 'statemachines', 'window.asl.json'),
  );
  const stage = config.stage;
  const name = (suffix: string) => physicalName(stage, suffix);
  const metricsNamespace = `${config.metricsNamespace}/${stage}`;

  const data = new DataTables(name('tables'), { prefix: stage, protect: stage === 'prod' });
  const network = new Network(name('network'), {
    cidr: config.vpcCidr,
    availabilityZones: config.availabilityZones ?? [`${config.region}a`, `${config.region}b`],
    natGateways: config.natGateways,
    region: config.region,
  });
  const secrets = new Secrets(name('secrets'), {
    stage,
    values: {
      ...(secretValues.discoveryApiKey ? { discovery: secretValues.discoveryApiKey } : {}),
      ...(secretValues.bitlyToken ? { bitly: secretValues.bitlyToken } : {}),
      ...(secretValues.smsAuthToken ? { sms: secretValues.smsAuthToken } : {}),
      ...(secretValues.contactHashKey ? { contactHash: secretValues.contactHashKey } : {}),
      ...(secretValues.unsubscribeSecret ? { unsubscribe: secretValues.unsubscribeSecret } : {}),
    },
  });
  const delivery = new DeliveryStatusStream(name('delivery-status'), {
    streamName: name('delivery-status'),
    shardCount: config.deliveryStreamShards,
    retentionHours: config.deliveryStreamRetentionHours,
  });
  const webhooks = new WebhookApi(name('webhooks'), {
    apiName: name('webhooks'),
    logRetentionDays: config.logRetentionDays,
  });
  const statusCallbackUrl = webhooks.url(WEBHOOK_PATHS.status);
  const email = new Email(name('email'), {
    configurationSetName: name('notifications'),
    fromAddress: config.emailFrom,
    templates: loadEmailTemplates(rootDir),
    templatePrefix: emailTemplatePrefix(stage),
    sandboxRecipients: config.sesSandbox ? config.sesVerifiedRecipients : [],
    region: config.region,
  });

  const bundle = options.bundle ?? true;
  const code = (fn: string): pulumi.Input<pulumi.asset.Archive> =>
    bundle
      ? pulumi
          .output(bundleFunction(fn, { rootDir }))
          .apply((dir): pulumi.asset.Archive => new pulumi.asset.FileArchive(dir))
      : new pulumi.asset.AssetArchive({
          'index.mjs': new pulumi.asset.StringAsset(`// ${fn}: bundled by esbuild at deploy time\n`),
        });

  const statementsFor = (spec: FunctionSpec): pulumi.Output<PolicyStatement[]> =>
    pulumi
      .all([
        delivery.arn,
        delivery.failureQueue.arn,
        email.identityArn,
        email.configurationSetArn,
        pulumi.all(email.templateArns),
        pulumi.all(email.recipientIdentityArns),
      ])
      .apply(
        ([streamArn, failureQueueArn, identityArn, configurationSetArn, templateArns, recipientArns]) => [
          ...(spec.deliveryStream === 'read'
            ? [kinesisReadStatement(streamArn), sqsSendStatement(failureQueueArn, 'StreamFailures')]
            : []),
          ...(spec.deliveryStream === 'write' ? [kinesisWriteStatement(streamArn)] : []),
          // In the SES sandbox IAM also authorizes each recipient's identity (only verified ones can receive).
          ...(spec.sendsEmail
            ? [sendEmailStatement([identityArn, configurationSetArn, ...templateArns, ...recipientArns])]
            : []),
        ],
      );

  const functions = Object.fromEntries(
    FUNCTIONS.map((spec: FunctionSpec) => {
      const functionName = name(spec.name);
      const environment: Record<string, pulumi.Input<string>> = {
        STAGE: stage,
        POWERTOOLS_SERVICE_NAME: spec.name,
        POWERTOOLS_LOG_LEVEL: config.logLevel,
        POWERTOOLS_METRICS_NAMESPACE: metricsNamespace,
        NODE_OPTIONS: '--enable-source-maps',
        // Table names come with the table bindings (NotificationFunction): only the tables it may use.
        ...settingsEnvironment(config, spec.settings, {
          statusCallbackUrl,
          configurationSetName: email.configurationSetName,
          unsubscribeUrl: webhooks.url(WEBHOOK_PATHS.unsubscribe),
        }),
        ...(spec.deliveryStream ? { DELIVERY_STREAM_NAME: delivery.name } : {}),
      };
      const reserved = spec.reservedConcurrency ? config[spec.reservedConcurrency] : 0;
      const fn = new NotificationFunction(functionName, {
        functionName,
        description: spec.description,
        code: code(spec.name),
        memoryMb: spec.memoryMb,
        timeoutSeconds: spec.timeoutSeconds,
        environment,
        tables: (Object.entries(spec.tables) as Array<[TableKey, FunctionSpec['tables'][TableKey]]>).map(
          ([key, actions]) => ({ table: data.tables[key], actions: actions ?? [] }),
        ),
        secrets: spec.secrets.map((key) => secrets.secrets[key]),
        statements: statementsFor(spec),
        network: { subnetIds: network.privateSubnetIds, securityGroupIds: [network.functionSecurityGroupId] },
        logRetentionDays: config.logRetentionDays,
        logLevel: config.logLevel,
        ...(reserved > 0 ? { reservedConcurrency: reserved } : {}),
      });
      return [spec.name, fn];
    }),
  ) as Record<FunctionName, NotificationFunction>;

  webhooks.route('status', WEBHOOK_PATHS.status, functions['status-webhook']);
  webhooks.route('inbound', WEBHOOK_PATHS.inbound, functions['inbound-webhook']);
  webhooks.route('unsubscribe', WEBHOOK_PATHS.unsubscribe, functions['unsubscribe-webhook'], ['GET', 'POST']);
  delivery.subscribe(functions['status-updater'].name, { dependsOn: [functions['status-updater']] });
  delivery.routeSesEvents(email.configurationSetName);

  const machineName = name('window');
  const machine = new WindowStateMachine(name('window'), {
    stateMachineName: machineName,
    definitionTemplate,
    functionArns: Object.fromEntries(
      WINDOW_STEPS.map((step) => [step.name, functions[step.name].arn]),
    ) as Record<WindowFunctionName, pulumi.Output<string>>,
    logRetentionDays: config.logRetentionDays,
  });
  const schedule = new WindowSchedule(name('window-schedule'), {
    scheduleName: machineName,
    stateMachineArn: machine.arn,
    enabled: config.scheduleEnabled,
  });
  const saleMonitorSchedule = new SaleMonitorSchedule(name('sale-monitor-schedule'), {
    scheduleName: name('sale-monitor'),
    functionArn: functions['sale-monitor'].arn,
    intervalMinutes: config.saleMonitorIntervalMinutes,
    enabled: config.scheduleEnabled,
  });

  // The fans' user pool and the app client of the sites and apps: the pool's `sub` is the fan id of every
  // sign-up (the stage's own pool unless one is configured; a configured pool brings its own clients).
  const ownPool = config.apiUserPoolId
    ? undefined
    : createFanPool({
        poolName: name('fans'),
        clientName: name('fans-web'),
        deletionProtection: stage === 'prod',
      });
  const fanPool = { id: ownPool?.userPoolId ?? pulumi.output(config.apiUserPoolId ?? '') };
  const api = new ApiComponent(name('api'), {
    apiName: name('api'),
    ...loadApiSources(rootDir),
    functionArn: functions.api.arn,
    auth:
      config.apiAuth === 'AMAZON_COGNITO_USER_POOLS'
        ? { mode: config.apiAuth, userPoolId: config.apiUserPoolId ?? '', region: config.region }
        : config.apiAuth === 'API_KEY'
          ? { mode: config.apiAuth, expires: apiKeyExpiry(options.now ?? new Date(), config.apiKeyValidDays) }
          : { mode: config.apiAuth },
    // Fans sign in with the user pool (fan id = sub), servers with IAM: beside an API key, both are added.
    additionalAuth: [
      ...(config.apiAuth !== 'AMAZON_COGNITO_USER_POOLS'
        ? [{ mode: 'AMAZON_COGNITO_USER_POOLS' as const, userPoolId: fanPool.id, region: config.region }]
        : []),
      ...(config.apiAuth !== 'AWS_IAM' ? [{ mode: 'AWS_IAM' as const }] : []),
    ],
    logRetentionDays: config.logRetentionDays,
    introspection: stage !== 'prod',
  });

  const observability = new Observability(name('observability'), {
    stage,
    region: config.region,
    metricsNamespace,
    ...(config.alarmEmail ? { alarmEmail: config.alarmEmail } : {}),
    stateMachineArn: machine.arn,
    stateMachineLogGroupName: machine.logGroup.name,
    statusUpdaterFunctionName: functions['status-updater'].name,
    deadLetterQueues: [
      { key: 'schedule-dlq', name: schedule.deadLetterQueue.name },
      { key: 'sale-monitor-dlq', name: saleMonitorSchedule.deadLetterQueue.name },
      { key: 'stream-failures', name: delivery.failureQueue.name },
    ],
    functionNames: Object.values(functions).map((fn) => fn.name),
    sendFailureRatePercent: config.sendFailureRatePercent,
    onTimeRatePercent: config.onTimeRatePercent,
    deliveryRatePercent: config.deliveryRatePercent,
  });

  return {
    stage,
    stateMachineArn: machine.arn,
    operatorPolicyArn: machine.operatorPolicy.arn,
    scheduleName: schedule.schedule.name,
    statusCallbackUrl,
    inboundUrl: webhooks.url(WEBHOOK_PATHS.inbound),
    deliveryStreamName: delivery.name,
    tableNames: Object.fromEntries(
      (Object.keys(data.tables) as TableKey[]).map((key) => [key, data.tables[key].name]),
    ) as Record<TableKey, pulumi.Output<string>>,
    functionNames: Object.fromEntries(Object.entries(functions).map(([key, fn]) => [key, fn.name])) as Record<
      FunctionName,
      pulumi.Output<string>
    >,
    dashboardName: observability.dashboardName,
    alarmTopicArn: observability.alarmTopicArn,
    apiUrl: api.url,
    fanAuth: {
      region: config.region,
      userPoolId: fanPool.id,
      ...(ownPool ? { userPoolClientId: ownPool.clientId } : {}),
    },
    ...(api.apiKey ? { apiKey: pulumi.secret(api.apiKey) } : {}),
    ...(api.apiKeyExpires ? { apiKeyExpires: api.apiKeyExpires } : {}),
  };
}
