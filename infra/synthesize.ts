/**
 * Runs the program under `pulumi.runtime.setMocks` (no CLI, no login, no cloud) and records every resource
 * it registers: its type, logical name and inputs, with secrets masked. Used by `npm run synth` and the tests.
 */
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as pulumi from '@pulumi/pulumi';
import { parse } from 'yaml';
import { CONFIG_NAMESPACE, SECRET_CONFIG_KEYS } from './config';
import { InfraError } from './errors';
import { createStack, type StackOptions } from './stack';

export interface SynthesizedResource {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
}

export const MASKED = '[secret]';
export const MOCK_ACCOUNT_ID = '123456789012';

const SECRET_SIG_KEY = '4dabf18193072939515e22adb298388d';
const SECRET_SIG = '1b47061264138c4ac30d75fd1eb44270';

/** Replaces every secret value (as the runtime serializes it) with MASKED; assets become their path/text. */
export function maskSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(maskSecrets);
  if (value instanceof pulumi.asset.FileArchive) return { archive: 'file' };
  if (value instanceof pulumi.asset.AssetArchive) return { archive: 'assets' };
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    if (record[SECRET_SIG_KEY] === SECRET_SIG) return MASKED;
    return Object.fromEntries(Object.entries(record).map(([key, inner]) => [key, maskSecrets(inner)]));
  }
  return value;
}

/** The provider secrets a stack leaves to operators, and what that means until they are set. */
export function secretWarnings(
  config: Record<string, string>,
  secretKeys: readonly string[],
  stack: string,
): string[] {
  const warnings: string[] = [];
  for (const key of SECRET_CONFIG_KEYS) {
    const full = `${CONFIG_NAMESPACE}:${key}`;
    if (secretKeys.includes(full)) continue;
    if (config[full] !== undefined) {
      warnings.push(
        `${full} is in Pulumi.${stack}.yaml as plain text: set it with 'pulumi config set --secret ${key}'`,
      );
      continue;
    }
    warnings.push(
      `${full} is not set: its SSM parameter is created with a placeholder, and the functions that read it fail their cold start until an operator sets the real value (docs/DEPLOY.md)`,
    );
  }
  return warnings;
}

/**
 * Reads `Pulumi.<stack>.yaml` the way the CLI hands config to a program: full keys (`dmd:stage`), scalar
 * values as strings, lists and maps as JSON. `secure:` values cannot be decrypted here: they become MASKED.
 */
export function readStackConfig(
  rootDir: string,
  stack: string,
): { config: Record<string, string>; secretKeys: string[] } {
  const file = path.join(rootDir, `Pulumi.${stack}.yaml`);
  if (!existsSync(file)) throw new InfraError(`No stack configuration file ${file}`);
  const document = parse(readFileSync(file, 'utf8')) as { config?: Record<string, unknown> } | null;
  const config: Record<string, string> = {};
  const secretKeys: string[] = [];
  for (const [key, value] of Object.entries(document?.config ?? {})) {
    if (value !== null && typeof value === 'object' && !Array.isArray(value) && 'secure' in value) {
      config[key] = MASKED;
      secretKeys.push(key);
    } else if (typeof value === 'string') {
      config[key] = value;
    } else {
      config[key] = typeof value === 'object' ? JSON.stringify(value) : String(value);
    }
  }
  return { config, secretKeys };
}

function mockArn(type: string, name: string, region: string): string {
  const [, module = 'x', kind = 'resource'] = type.split(/[:/]/);
  const account = MOCK_ACCOUNT_ID;
  switch (type) {
    case 'aws:lambda/function:Function':
      return `arn:aws:lambda:${region}:${account}:function:${name}`;
    case 'aws:sfn/stateMachine:StateMachine':
      return `arn:aws:states:${region}:${account}:stateMachine:${name}`;
    case 'aws:cloudwatch/logGroup:LogGroup':
      return `arn:aws:logs:${region}:${account}:log-group:${name}`;
    case 'aws:dynamodb/table:Table':
      return `arn:aws:dynamodb:${region}:${account}:table/${name}`;
    case 'aws:kinesis/stream:Stream':
      return `arn:aws:kinesis:${region}:${account}:stream/${name}`;
    case 'aws:sqs/queue:Queue':
      return `arn:aws:sqs:${region}:${account}:${name}`;
    case 'aws:ssm/parameter:Parameter':
      return `arn:aws:ssm:${region}:${account}:parameter${name}`;
    // SES resources share the `ses` ARN namespace (sesv2 included): the SendEmail grants name these.
    case 'aws:sesv2/emailIdentity:EmailIdentity':
      return `arn:aws:ses:${region}:${account}:identity/${name}`;
    case 'aws:sesv2/configurationSet:ConfigurationSet':
      return `arn:aws:ses:${region}:${account}:configuration-set/${name}`;
    case 'aws:ses/template:Template':
      return `arn:aws:ses:${region}:${account}:template/${name}`;
    case 'aws:iam/role:Role':
      return `arn:aws:iam::${account}:role/${name}`;
    default:
      return `arn:aws:${module}:${region}:${account}:${kind}/${name}`;
  }
}

/** Outputs a mocked resource reports: its inputs plus the ids, names and ARNs AWS would assign. */
function mockState(args: pulumi.runtime.MockResourceArgs, region: string): Record<string, unknown> {
  const inputs = args.inputs as Record<string, unknown>;
  const physical = String(
    inputs.name ?? inputs.configurationSetName ?? inputs.dashboardName ?? inputs.emailIdentity ?? args.name,
  );
  const state: Record<string, unknown> = {
    ...inputs,
    name: physical,
    arn: mockArn(args.type, physical, region),
  };
  if (args.type === 'aws:sqs/queue:Queue') {
    state.url = `https://sqs.${region}.amazonaws.com/${MOCK_ACCOUNT_ID}/${physical}`;
  }
  if (args.type === 'aws:apigatewayv2/api:Api') {
    state.apiEndpoint = `https://${args.name}.execute-api.${region}.amazonaws.com`;
    state.executionArn = `arn:aws:execute-api:${region}:${MOCK_ACCOUNT_ID}:${args.name}`;
  }
  return state;
}

export interface SynthesizeOptions extends Omit<StackOptions, 'config' | 'secrets'> {
  /** Full config keys (`dmd:stage`, `aws:region`) to string values. */
  config: Record<string, string>;
  secretKeys?: string[];
  stack?: string;
}

/** Runs createStack under mocks and returns every registered custom resource, in registration order. */
export async function synthesize(options: SynthesizeOptions): Promise<SynthesizedResource[]> {
  const { config, secretKeys = [], stack = 'dev', ...stackOptions } = options;
  const region = config['aws:region'] ?? 'us-east-1';
  const resources: SynthesizedResource[] = [];
  pulumi.runtime.setAllConfig(config, secretKeys);
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        if (args.custom !== false && !args.type.startsWith('pulumi:providers:')) {
          resources.push({
            type: args.type,
            name: args.name,
            inputs: maskSecrets(args.inputs) as Record<string, unknown>,
          });
        }
        return { id: `${args.name}-id`, state: mockState(args, region) };
      },
      call: (args) => {
        if (args.token === 'aws:index/getCallerIdentity:getCallerIdentity') {
          return {
            accountId: MOCK_ACCOUNT_ID,
            arn: `arn:aws:iam::${MOCK_ACCOUNT_ID}:user/synth`,
            userId: 'synth',
          };
        }
        return {};
      },
    },
    'dmd-workers',
    stack,
    false,
  );
  createStack({ bundle: false, ...stackOptions });
  await pulumi.runtime.disconnect();
  return resources;
}
