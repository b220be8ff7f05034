/**
 * Stage configuration: every key of `Pulumi.<stack>.yaml` (namespace `dmd`, plus `aws:region`) is validated
 * here with zod when the program starts. A bad or missing key fails the run with its full name and the
 * problem, before any resource is registered.
 */

import * as pulumi from '@pulumi/pulumi';
import { z } from 'zod';
import { FUNCTIONS } from '#shared/catalog';
import { SALE_TYPES } from '#shared/domain/model';
import {
  MAX_SHORT_DOMAIN_LENGTH,
  MAX_SHORT_URL_LENGTH,
  optOutTextProblems,
  SHORT_LINK_BACK_HALF,
} from '#shared/messages/sms';
import { timeoutProblems } from '#shared/window/timeouts';
import { readWindowTemplate } from '#statemachines/definition';
import { isNetworkAddress } from './cidr';
import { StageConfigError } from './errors';

/** Configuration namespace of the project (`pulumi config set dmd:<key> ...`). */
export const CONFIG_NAMESPACE = 'dmd';

/** CloudWatch Logs accepts only these retention periods (days). */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

/** Pulumi hands structured values (YAML lists) to the program as JSON strings; a comma list works too. */
function toList(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const trimmed = value.trim();
  if (trimmed.startsWith('[')) {
    try {
      return JSON.parse(trimmed) as unknown;
    } catch {
      return value;
    }
  }
  return trimmed
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.length > 0);
}

const list = <T extends z.ZodType>(item: T, fallback: z.infer<T>[]) =>
  z.preprocess(toList, z.array(item, { error: 'must be a YAML list or a comma-separated string' })).default(
    // zod's default for a preprocessed array is the parsed type
    fallback as never,
  );

const int = (min: number, max: number, fallback: number) =>
  z.coerce
    .number({ error: 'must be a number' })
    .int('must be a whole number')
    .min(min, `must be at least ${min}`)
    .max(max, `must be at most ${max}`)
    .default(fallback);

const bool = (fallback: boolean) =>
  z
    .enum(['true', 'false'], { error: 'must be true or false' })
    .default(fallback ? 'true' : 'false')
    .transform((value) => value === 'true');

const sid = (prefix: string) =>
  z
    .string({ error: 'is required' })
    .regex(new RegExp(`^${prefix}[0-9a-fA-F]{32}$`), `must be "${prefix}" followed by 32 hex digits`);

const email = () => z.email({ error: 'must be an e-mail address' });

const CIDR_SHAPE = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

const cidr = z
  .string()
  .regex(CIDR_SHAPE, 'must be an IPv4 CIDR such as 10.20.0.0/16')
  .refine((value) => {
    if (!CIDR_SHAPE.test(value)) return true; // the regex above names the problem
    const [address = '', bits = ''] = value.split('/');
    const prefix = Number(bits);
    return address.split('.').every((octet) => Number(octet) <= 255) && prefix >= 16 && prefix <= 20;
  }, 'must be a valid IPv4 CIDR with a prefix between /16 and /20 (room for four /24 subnets or more)')
  // The subnets are /24 slices counted from the VPC's first address (infra/components/network.ts).
  .refine((value) => {
    try {
      return isNetworkAddress(value);
    } catch {
      return true; // not a CIDR at all: the checks above name the problem
    }
  }, 'must start at its network address (host bits zero, e.g. 10.20.16.0/20)');

export const StageConfigSchema = z.object({
  /** Short stage name, used as the prefix of every physical name (`dev-events`, `dev-window`). */
  stage: z
    .string({ error: 'is required' })
    .regex(/^[a-z][a-z0-9-]{1,11}$/, 'must be 2-12 characters: lowercase letters, digits, hyphens'),
  /** `aws:region`. */
  region: z.string({ error: 'is required' }).regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'must be an AWS region'),
  /** Availability zones of the subnets (default: `<region>a`, `<region>b`). */
  availabilityZones: z
    .preprocess(toList, z.array(z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d[a-z]$/, 'must be zone names')))
    .pipe(z.array(z.string()).min(2, 'must list at least 2 zones').max(3, 'must list at most 3 zones'))
    .optional(),
  leadMinutes: int(0, 24 * 60, 30),
  shardCount: int(1, 1000, 16),
  pageSize: int(1, 1000, 100),
  providerMessagesPerSecond: int(1, 10_000, 100),
  iterationMessagesPerSecond: int(1, 1000, 25),
  /** How far past its window the plan looks for big sales that must start earlier (minutes). */
  planLookAheadMinutes: int(0, 24 * 60, 180),
  /** Seconds from PlanWindow to the first hand-over of the run: its sales start together (0: when ready). */
  sendStartSeconds: int(0, 600, 0),
  sendTimeoutMs: int(1000, 30_000, 30_000),
  eventCacheTtlSeconds: int(60, 7 * 24 * 3600, 3600),
  /** PrepareSale reads the event from Discovery again when its stored copy is older than this. */
  prepareEventMaxAgeSeconds: int(30, 3600, 600),
  scheduleEnabled: bool(true),
  /** Minutes between two sale monitoring passes; must divide 60 (passes end 5 minutes before a window run). */
  saleMonitorIntervalMinutes: int(5, 60, 10).refine((minutes) => 60 % minutes === 0, 'must divide 60'),
  /** Sales starting within this many hours are watched by the monitoring pass. */
  saleMonitorHorizonHours: int(1, 14 * 24, 48),
  /** Discovery's daily request quota for the API key (5,000 by default). */
  discoveryDailyQuota: int(100, 10_000_000, 5000),
  /** Share of the daily quota (percent) all monitoring passes of a day may use; the rest: PrepareSale, the API. */
  saleMonitorQuotaPercent: int(1, 100, 50),
  /** Discovery requests per second of a monitoring pass (Discovery allows 5 per key, shared). */
  saleMonitorRequestsPerSecond: int(1, 5, 2),
  suppressedArtistIds: list(z.string().min(1), []),
  supportedCountries: list(z.string().regex(/^[A-Z]{2}$/, 'must be ISO country codes (US, CA)'), [
    'US',
    'CA',
  ]),
  allowedSegments: list(z.string().min(1), ['Music', 'Arts & Theatre']),
  suppressedSaleTypes: list(z.enum(SALE_TYPES), ['registration']),
  logRetentionDays: z.coerce
    .number({ error: 'must be a number' })
    .refine((days) => (LOG_RETENTION_DAYS as readonly number[]).includes(days), {
      message: `must be one of ${LOG_RETENTION_DAYS.join(', ')}`,
    })
    .default(30),
  logLevel: z.enum(['DEBUG', 'INFO', 'WARN', 'ERROR']).default('INFO'),
  metricsNamespace: z
    .string()
    .regex(/^[A-Za-z0-9._/#:-]{1,200}$/, 'must be a CloudWatch namespace')
    .default('DmdWorkers'),
  alarmEmail: email().optional(),
  vpcCidr: cidr.default('10.20.0.0/16'),
  natGateways: int(1, 3, 1),
  emailFrom: email(),
  /**
   * The account's SES is in the sandbox (a new account is): SES then refuses every recipient that is not a
   * verified identity, and IAM must grant SendEmail on the recipients' identities too.
   */
  sesSandbox: bool(false),
  /** With sesSandbox: the addresses this stage may email (each gets SES's verification email). */
  sesVerifiedRecipients: list(email(), []),
  smsAccountSid: sid('AC'),
  smsMessagingServiceSid: sid('MG'),
  smsBaseUrl: z.url({ error: 'must be a URL' }).default('https://api.twilio.com'),
  discoveryBaseUrl: z.url({ error: 'must be a URL' }).default('https://app.ticketmaster.com/discovery/v2'),
  bitlyBaseUrl: z.url({ error: 'must be a URL' }).default('https://api-ssl.bitly.com/v4'),
  /** Branded short domain: short enough that its links fit the SMS renderer's guarantee (30 characters). */
  bitlyDomain: z
    .string()
    .min(3)
    .max(
      MAX_SHORT_DOMAIN_LENGTH,
      `must be at most ${MAX_SHORT_DOMAIN_LENGTH} characters: https://<domain>/ and a ${SHORT_LINK_BACK_HALF}-character back-half must fit the ${MAX_SHORT_URL_LENGTH} characters every SMS keeps for its link`,
    )
    .optional(),
  apiAuth: z.enum(['API_KEY', 'AWS_IAM', 'AMAZON_COGNITO_USER_POOLS']).default('API_KEY'),
  /** Days the API key (apiAuth API_KEY) stays valid after each deploy; AppSync allows at most 365. */
  apiKeyValidDays: int(2, 365, 365),
  /** Cognito user pool of the API's callers, with apiAuth AMAZON_COGNITO_USER_POOLS. */
  apiUserPoolId: z.string().min(1).optional(),
  /** Days an email unsubscribe link works after the send (CASL: at least 60). */
  unsubscribeLinkDays: int(60, 730, 90),
  /** The API's event cache (docs/API.md, "Event cache"). */
  apiEventCacheStaleSeconds: int(0, 7 * 24 * 3600, 24 * 3600),
  apiEventCacheMemoryTtlMs: int(0, 300_000, 5000),
  apiDiscoveryMaxRetries: int(0, 5, 1),
  apiDiscoveryTimeoutMs: int(500, 30_000, 3000),
  /** Sign-up limits and consent (docs/API.md, "Limits" and "Consent"). */
  signUpFanDailyRequests: int(1, 10_000, 30),
  signUpFanDailyContacts: int(1, 100, 5),
  signUpRetentionDays: int(1, 365, 7),
  consentContactDailyMessages: int(1, 50, 3),
  consentPendingDays: int(1, 90, 7),
  /** The site's page that confirms an email sign-up (it calls confirmContact with `?token=`). */
  consentConfirmUrl: z
    .url({ error: 'must be a URL' })
    .default('https://www.ticketmaster.com/reminders/confirm'),
  /** Opt-out sentences of the SMS instead of the defaults; each must fit the longest reminder. */
  smsOptOutTextEn: z.string().min(1).optional(),
  smsOptOutTextFr: z.string().min(1).optional(),
  /** Reserved concurrency of the functions that call a rate-limited provider; 0 = no reservation. */
  sendPageConcurrency: int(0, 1000, 20),
  prepareSaleConcurrency: int(0, 1000, 5),
  shortenConcurrency: int(0, 1000, 2),
  /** Kinesis shards of the delivery-status stream; 0 = on-demand capacity. */
  deliveryStreamShards: int(0, 64, 1),
  deliveryStreamRetentionHours: int(24, 8760, 24),
  /** Alarm when more than this percentage of sends fail over an hour. */
  sendFailureRatePercent: int(1, 100, 5),
  /** Alarm when less than this percentage of sent messages is delivered over an hour. */
  deliveryRatePercent: int(1, 100, 95),
  /** Alarm when less than this percentage of reminders is handed over 5 minutes before its sale (per hour). */
  onTimeRatePercent: int(1, 100, 98),
});

export type StageConfig = z.output<typeof StageConfigSchema>;

/** The keys of the stage configuration (short names, as in the schema). */
export const STAGE_CONFIG_KEYS = Object.keys(StageConfigSchema.shape) as Array<keyof StageConfig>;

/** The full Pulumi name of a schema key: `aws:region` or `dmd:<key>`. */
export function fullKeyName(key: string): string {
  return key === 'region' ? 'aws:region' : `${CONFIG_NAMESPACE}:${key}`;
}

/**
 * Validates raw configuration values (strings, as Pulumi hands them out, keyed by short name) and returns the
 * typed stage configuration, or throws a StageConfigError naming every bad key.
 */
export function parseStageConfig(raw: Record<string, string | undefined>): StageConfig {
  const parsed = StageConfigSchema.safeParse(raw);
  if (parsed.success) {
    if (parsed.data.apiAuth === 'AMAZON_COGNITO_USER_POOLS' && !parsed.data.apiUserPoolId) {
      throw new StageConfigError([
        `${fullKeyName('apiUserPoolId')} is missing: apiAuth AMAZON_COGNITO_USER_POOLS needs the user pool id`,
      ]);
    }
    const sandboxIssue = sesSandboxIssue(parsed.data);
    if (sandboxIssue) throw new StageConfigError([sandboxIssue]);
    const optOuts = optOutTextProblems({
      en: parsed.data.smsOptOutTextEn,
      fr: parsed.data.smsOptOutTextFr,
    }).map(
      ({ language, problem }) =>
        `${fullKeyName(language === 'en' ? 'smsOptOutTextEn' : 'smsOptOutTextFr')}: ${problem}`,
    );
    if (optOuts.length > 0) throw new StageConfigError(optOuts);
    const timeouts = timeoutIssues(parsed.data);
    if (timeouts.length > 0) throw new StageConfigError(timeouts);
    return parsed.data;
  }
  const issues = parsed.error.issues.map((issue) => {
    const key = String(issue.path[0] ?? '(config)');
    const name = fullKeyName(key);
    if (raw[key] === undefined) {
      return `${name} is missing: set it with \`pulumi config set ${name} <value>\``;
    }
    return `${name} ${issue.message}`;
  });
  throw new StageConfigError(issues);
}

/** The SES sandbox keys must agree: a sandbox stage lists its recipients, only a sandbox stage does. */
function sesSandboxIssue(config: StageConfig): string | undefined {
  const recipients = fullKeyName('sesVerifiedRecipients');
  if (config.sesSandbox && config.sesVerifiedRecipients.length === 0) {
    return (
      `${recipients} is empty while ${fullKeyName('sesSandbox')} is true: in the SES sandbox every email to ` +
      'an unverified recipient is refused, so list the addresses this stage may email, or leave the sandbox ' +
      '(docs/DEPLOY.md, "SES sandbox")'
    );
  }
  if (!config.sesSandbox && config.sesVerifiedRecipients.length > 0) {
    return `${recipients} is only used with ${fullKeyName('sesSandbox')} true: remove it, or set dmd:sesSandbox true`;
  }
  return undefined;
}

/** Reads every known key from the Pulumi stack configuration and validates it. */
export function loadStageConfig(): StageConfig {
  const dmd = new pulumi.Config(CONFIG_NAMESPACE);
  const aws = new pulumi.Config('aws');
  const raw: Record<string, string | undefined> = {};
  for (const key of STAGE_CONFIG_KEYS) {
    raw[key] = key === 'region' ? aws.get('region') : dmd.get(key);
  }
  return parseStageConfig(raw);
}

/** Secret values an operator may keep in the stack configuration (`pulumi config set --secret`). */
export interface SecretConfig {
  discoveryApiKey?: pulumi.Output<string>;
  bitlyToken?: pulumi.Output<string>;
  smsAuthToken?: pulumi.Output<string>;
  /** The key of the contact hashes (32+ random characters, one per stage). */
  contactHashKey?: pulumi.Output<string>;
  /** The key that signs email unsubscribe links (at least 32 characters). */
  unsubscribeSecret?: pulumi.Output<string>;
}

export const SECRET_CONFIG_KEYS = [
  'discoveryApiKey',
  'bitlyToken',
  'smsAuthToken',
  'contactHashKey',
  'unsubscribeSecret',
] as const;

/** Reads the optional secret keys; absent keys leave the parameter value to operators (see docs/DEPLOY.md). */
export function loadSecretConfig(): SecretConfig {
  const dmd = new pulumi.Config(CONFIG_NAMESPACE);
  const secrets: SecretConfig = {};
  for (const key of SECRET_CONFIG_KEYS) {
    const value = dmd.getSecret(key);
    if (value !== undefined) secrets[key] = value;
  }
  return secrets;
}

/** The worst case the stage allows against the state machine's and SendPage's timeouts. */
function timeoutIssues(config: StageConfig): string[] {
  const definition = JSON.parse(readWindowTemplate()) as { TimeoutSeconds?: number };
  return timeoutProblems(
    {
      leadMinutes: config.leadMinutes,
      lookAheadMinutes: config.planLookAheadMinutes,
      pageSize: config.pageSize,
      sendTimeoutMs: config.sendTimeoutMs,
    },
    {
      ...(definition.TimeoutSeconds !== undefined ? { executionSeconds: definition.TimeoutSeconds } : {}),
      sendPageSeconds: FUNCTIONS.find((fn) => fn.name === 'send-page')?.timeoutSeconds ?? 300,
    },
    {
      leadMinutes: fullKeyName('leadMinutes'),
      lookAheadMinutes: fullKeyName('planLookAheadMinutes'),
      pageSize: fullKeyName('pageSize'),
      sendTimeoutMs: fullKeyName('sendTimeoutMs'),
    },
  );
}
