/**
 * Every non-secret setting the functions read from their environment, declared once: its variable name,
 * the group of functions that receive it (shared/catalog.ts `settings`), its default, its zod schema, its
 * description, and where a deployed stage takes it from (a stage configuration key, `dmd:<key>`, or a
 * resource of the stack). The functions' schemas (shared/config/env.ts), infra's environment mapping
 * (infra/stack.ts), the local stack's environment (local/stack/stack.ts) and the README's configuration
 * table (`npm run settings-table`) derive from it.
 */
import { z } from 'zod';
import type { SettingsGroup } from '#shared/catalog';
import { SALE_TYPES } from '#shared/domain/model';

/** Values infra/stack.ts fills from the stack's own resources rather than from the stage configuration. */
export type StackValue =
  | 'statusCallbackUrl'
  | 'configurationSetName'
  | 'emailTemplatePrefix'
  | 'unsubscribeUrl';

export interface Setting<S extends z.ZodType = z.ZodType> {
  group: SettingsGroup;
  description: string;
  /** The value when the variable is absent, written as the environment carries it. */
  default?: string;
  /** The parsed value of the variable; an absent variable is parsed as `default`. */
  schema: S;
  /** Stage configuration key (`dmd:<key>` in Pulumi.<stage>.yaml) a deployed stage sets it from. */
  stageKey?: string;
  /** Resource of the stack a deployed stage sets it from. */
  stackValue?: StackValue;
}

const setting = <S extends z.ZodType>(spec: Setting<S>): Setting<S> => spec;

const csv = z.string().transform((value) =>
  value
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.length > 0),
);
const positiveInt = z.coerce.number().int().positive();
const minutes = z.coerce
  .number()
  .int()
  .min(0)
  .max(24 * 60);

export const SETTINGS = {
  LEAD_MINUTES: setting({
    group: 'window',
    description: 'a run at T handles sales starting in [T+lead, T+lead+30 min)',
    default: '30',
    schema: minutes,
    stageKey: 'leadMinutes',
  }),
  SHARD_COUNT: setting({
    group: 'window',
    description: 'demand shards per event (fan map width), at most 1000',
    default: '16',
    schema: positiveInt.pipe(z.number().max(1000)),
    stageKey: 'shardCount',
  }),
  PAGE_SIZE: setting({
    group: 'window',
    description: 'fans per Render/Send page, at most 1000',
    default: '250',
    schema: positiveInt.pipe(z.number().max(1000)),
    stageKey: 'pageSize',
  }),
  PROVIDER_MPS: setting({
    group: 'window',
    description: 'SMS throughput budget of the sender, messages/s',
    default: '100',
    schema: positiveInt,
    stageKey: 'providerMessagesPerSecond',
  }),
  ITERATION_MPS: setting({
    group: 'window',
    description:
      'messages/s one Send iteration (one demand shard) pushes at most; a sale sends from all its shards at once',
    default: '25',
    schema: positiveInt,
    stageKey: 'iterationMessagesPerSecond',
  }),
  PLAN_LOOKAHEAD_MINUTES: setting({
    group: 'window',
    description:
      'how far past its window PlanWindow looks for big sales that must start in an earlier window',
    default: '180',
    schema: minutes,
    stageKey: 'planLookAheadMinutes',
  }),
  SEND_START_SECONDS: setting({
    group: 'window',
    description:
      "seconds from PlanWindow to the run's first hand-over: every shard waits for it, so the sales start together and share the budget to the end (0: each shard starts when ready)",
    default: '0',
    schema: z.coerce.number().int().min(0).max(600),
    stageKey: 'sendStartSeconds',
  }),
  SEND_TIMEOUT_MS: setting({
    group: 'window',
    description: 'timeout of one provider call, ms',
    default: '30000',
    schema: positiveInt,
    stageKey: 'sendTimeoutMs',
  }),
  EVENT_CACHE_TTL_SECONDS: setting({
    group: 'window',
    description: 'age after which a cached Discovery event is refreshed, s',
    default: '3600',
    schema: positiveInt,
    stageKey: 'eventCacheTtlSeconds',
  }),
  EVENT_MAX_AGE_AT_PREPARE_SECONDS: setting({
    group: 'window',
    description:
      'PrepareSale reads the event from Discovery again when its stored copy is older than this, s',
    default: '600',
    schema: positiveInt,
    stageKey: 'prepareEventMaxAgeSeconds',
  }),
  SALE_MONITOR_INTERVAL_MINUTES: setting({
    group: 'saleMonitor',
    description: 'minutes between two sale monitoring passes (a divisor of 60)',
    default: '10',
    schema: positiveInt.pipe(z.number().max(60)),
    stageKey: 'saleMonitorIntervalMinutes',
  }),
  SALE_MONITOR_HORIZON_HOURS: setting({
    group: 'saleMonitor',
    description: 'a monitoring pass watches the sales starting within this many hours',
    default: '48',
    schema: positiveInt.pipe(z.number().max(14 * 24)),
    stageKey: 'saleMonitorHorizonHours',
  }),
  DISCOVERY_DAILY_QUOTA: setting({
    group: 'saleMonitor',
    description: "Discovery's daily request quota of the API key",
    default: '5000',
    schema: positiveInt,
    stageKey: 'discoveryDailyQuota',
  }),
  SALE_MONITOR_QUOTA_PERCENT: setting({
    group: 'saleMonitor',
    description: 'share of the daily quota (percent) the monitoring passes of a day may use together',
    default: '50',
    schema: positiveInt.pipe(z.number().max(100)),
    stageKey: 'saleMonitorQuotaPercent',
  }),
  SALE_MONITOR_REQUESTS_PER_SECOND: setting({
    group: 'saleMonitor',
    description: 'Discovery requests per second of a monitoring pass (Discovery allows 5 per key, shared)',
    default: '2',
    schema: positiveInt.pipe(z.number().max(5)),
    stageKey: 'saleMonitorRequestsPerSecond',
  }),
  SUPPRESSED_ARTIST_IDS: setting({
    group: 'suppression',
    description: 'Discovery attraction ids never reminded about (comma-separated)',
    default: '',
    schema: csv,
    stageKey: 'suppressedArtistIds',
  }),
  SUPPORTED_COUNTRIES: setting({
    group: 'suppression',
    description: 'venue countries reminded about, ISO codes (comma-separated)',
    default: 'US,CA',
    schema: csv.transform((list) => list.map((code) => code.toUpperCase())),
    stageKey: 'supportedCountries',
  }),
  ALLOWED_SEGMENTS: setting({
    group: 'suppression',
    description: 'Discovery segments reminded about (comma-separated)',
    default: 'Music,Arts & Theatre',
    schema: csv,
    stageKey: 'allowedSegments',
  }),
  SUPPRESSED_SALE_TYPES: setting({
    group: 'suppression',
    description: `sale types never reminded about (comma-separated; ${SALE_TYPES.join(', ')})`,
    default: 'registration',
    schema: csv.pipe(z.array(z.enum(SALE_TYPES))),
    stageKey: 'suppressedSaleTypes',
  }),
  DISCOVERY_BASE_URL: setting({
    group: 'discovery',
    description: 'Discovery API v2 base URL',
    default: 'https://app.ticketmaster.com/discovery/v2',
    schema: z.url(),
    stageKey: 'discoveryBaseUrl',
  }),
  BITLY_BASE_URL: setting({
    group: 'bitly',
    description: 'Bitly API v4 base URL',
    default: 'https://api-ssl.bitly.com/v4',
    schema: z.url(),
    stageKey: 'bitlyBaseUrl',
  }),
  BITLY_DOMAIN: setting({
    group: 'bitly',
    description: "branded short domain (Bitly's default when unset)",
    schema: z.string().min(1).optional(),
    stageKey: 'bitlyDomain',
  }),
  SMS_BASE_URL: setting({
    group: 'sms',
    description: "SMS provider's base URL (Twilio's Messages API)",
    default: 'https://api.twilio.com',
    schema: z.url(),
    stageKey: 'smsBaseUrl',
  }),
  SMS_ACCOUNT_SID: setting({
    group: 'sms',
    description: 'Twilio account SID (AC...)',
    schema: z.string().min(1),
    stageKey: 'smsAccountSid',
  }),
  SMS_MESSAGING_SERVICE_SID: setting({
    group: 'sms',
    description: 'Twilio messaging service SID (MG...), the sender pool',
    schema: z.string().min(1),
    stageKey: 'smsMessagingServiceSid',
  }),
  SMS_STATUS_CALLBACK_URL: setting({
    group: 'sms',
    description: 'URL of the status webhook the provider posts delivery statuses to',
    schema: z.url(),
    stackValue: 'statusCallbackUrl',
  }),
  SMS_INBOUND_WEBHOOK_URL: setting({
    group: 'sms',
    description:
      'public URL of the inbound SMS webhook the provider signs (X-Twilio-Signature); rebuilt from the request when unset',
    schema: z.url().optional(),
  }),
  SMS_OPT_OUT_TEXT_EN: setting({
    group: 'messages',
    description:
      'English opt-out sentence of the SMS, instead of the default; checked at load against the longest reminder (shared/messages/sms.ts `worstCaseSms`)',
    schema: z.string().min(1).optional(),
    stageKey: 'smsOptOutTextEn',
  }),
  SMS_OPT_OUT_TEXT_FR: setting({
    group: 'messages',
    description:
      'French opt-out sentence of the SMS, instead of the default; checked at load against the longest reminder',
    schema: z.string().min(1).optional(),
    stageKey: 'smsOptOutTextFr',
  }),
  EMAIL_FROM: setting({
    group: 'email',
    description: 'sender address of the reminders (its domain is the SES identity)',
    schema: z.string().min(3),
    stageKey: 'emailFrom',
  }),
  EMAIL_CONFIGURATION_SET: setting({
    group: 'email',
    description: 'SES configuration set whose events feed the delivery-status stream',
    schema: z.string().min(1).optional(),
    stackValue: 'configurationSetName',
  }),
  EMAIL_TEMPLATE_PREFIX: setting({
    group: 'email',
    description:
      'prepended to every SES template name (`dev-`): templates are per account and region, not per stage',
    default: '',
    schema: z.string().regex(/^[A-Za-z0-9_-]*$/, 'letters, digits, - and _ only (an SES template name)'),
    stackValue: 'emailTemplatePrefix',
  }),
  EMAIL_SANDBOX: setting({
    group: 'email',
    description:
      "`true` when the stage's SES account is in the sandbox: a recipient SES refuses as unverified fails that one notification (SandboxRecipientNotVerified, docs/DEPLOY.md)",
    default: 'false',
    schema: z.enum(['true', 'false']).transform((value) => value === 'true'),
    stageKey: 'sesSandbox',
  }),
  UNSUBSCRIBE_BASE_URL: setting({
    group: 'unsubscribe',
    description: 'the one-click unsubscribe endpoint of reminder emails (webhook API `/email/unsubscribe`)',
    schema: z.url().optional(),
    stackValue: 'unsubscribeUrl',
  }),
  UNSUBSCRIBE_LINK_DAYS: setting({
    group: 'unsubscribe',
    description: 'days an unsubscribe link works after the send (CASL: at least 60)',
    default: '90',
    schema: z.coerce
      .number()
      .int()
      .min(60, 'at least 60 days (CASL: an unsubscribe mechanism works 60 days after sending)')
      .max(730),
    stageKey: 'unsubscribeLinkDays',
  }),
  EVENT_CACHE_STALE_SECONDS: setting({
    group: 'apiCache',
    description:
      'past EVENT_CACHE_TTL_SECONDS, how long the API still answers from a cached event at once while it refreshes it, s',
    default: String(24 * 3600),
    schema: z.coerce.number().int().min(0),
    stageKey: 'apiEventCacheStaleSeconds',
  }),
  EVENT_CACHE_MEMORY_TTL_MS: setting({
    group: 'apiCache',
    description: "the API's in-process copy of an event in front of the events table, ms (0: none)",
    default: '5000',
    schema: z.coerce.number().int().min(0).max(300_000),
    stageKey: 'apiEventCacheMemoryTtlMs',
  }),
  API_DISCOVERY_MAX_RETRIES: setting({
    group: 'apiCache',
    description: 'Discovery retries inside one API request (a fan is waiting)',
    default: '1',
    schema: z.coerce.number().int().min(0).max(5),
    stageKey: 'apiDiscoveryMaxRetries',
  }),
  API_DISCOVERY_TIMEOUT_MS: setting({
    group: 'apiCache',
    description: 'timeout of one Discovery request made by the API, ms',
    default: '3000',
    schema: z.coerce.number().int().positive().max(30_000),
    stageKey: 'apiDiscoveryTimeoutMs',
  }),
  SIGNUP_FAN_DAILY_REQUESTS: setting({
    group: 'signUp',
    description: 'requestReminder calls one fan may make per UTC day (each GraphQL alias counts)',
    default: '30',
    schema: positiveInt,
    stageKey: 'signUpFanDailyRequests',
  }),
  SIGNUP_FAN_DAILY_CONTACTS: setting({
    group: 'signUp',
    description: 'distinct contacts one fan may sign up per UTC day',
    default: '5',
    schema: positiveInt,
    stageKey: 'signUpFanDailyContacts',
  }),
  SIGNUP_RETENTION_DAYS: setting({
    group: 'signUp',
    description: "days a sign-up is kept after its event's last sale (DynamoDB TTL)",
    default: '7',
    schema: positiveInt,
    stageKey: 'signUpRetentionDays',
  }),
  CONSENT_CONTACT_DAILY_MESSAGES: setting({
    group: 'signUp',
    description: 'consent confirmations one contact may receive per UTC day (all fans together)',
    default: '3',
    schema: positiveInt,
    stageKey: 'consentContactDailyMessages',
  }),
  CONSENT_PENDING_DAYS: setting({
    group: 'signUp',
    description: 'days a pending consent waits for YES/OUI or the email link before it lapses',
    default: '7',
    schema: positiveInt,
    stageKey: 'consentPendingDays',
  }),
  CONSENT_CONFIRM_URL: setting({
    group: 'signUp',
    description: "the site's page that confirms an email sign-up (it calls confirmContact with `?token=`)",
    default: 'https://www.ticketmaster.com/reminders/confirm',
    schema: z.url(),
    stageKey: 'consentConfirmUrl',
  }),
};

export type SettingName = keyof typeof SETTINGS;

type Shape<N extends SettingName> = { [K in N]: z.ZodType<z.output<(typeof SETTINGS)[K]['schema']>> };

/** The zod object of the named settings, each defaulted when absent. */
export function settingsSchema<N extends SettingName>(...names: N[]): z.ZodObject<Shape<N>> {
  return z.object(
    Object.fromEntries(
      names.map((name) => {
        const spec: Setting = SETTINGS[name];
        const fallback = spec.default;
        return [
          name,
          fallback === undefined ? spec.schema : z.preprocess((value) => value ?? fallback, spec.schema),
        ];
      }),
    ) as Shape<N>,
  );
}

/** The settings of one group, by name. */
export function settingsOf(group: SettingsGroup): Array<[SettingName, Setting]> {
  return (Object.entries(SETTINGS) as Array<[SettingName, Setting]>).filter(
    ([, spec]) => spec.group === group,
  );
}

/** The defaults of the given groups as environment variables (settings without a default left out). */
export function defaultEnvironment(groups: readonly SettingsGroup[]): Record<string, string> {
  return Object.fromEntries(
    groups.flatMap((group) =>
      settingsOf(group).flatMap(([name, spec]) => (spec.default === undefined ? [] : [[name, spec.default]])),
    ),
  );
}

/** The README's configuration table (markdown), one row per setting. */
export function settingsTable(): string {
  const rows = (Object.entries(SETTINGS) as Array<[SettingName, Setting]>).map(([name, spec]) => {
    const source = spec.stageKey ? `\`dmd:${spec.stageKey}\`` : spec.stackValue ? 'the stack' : '—';
    const fallback =
      spec.default === undefined ? '—' : spec.default === '' ? '(empty)' : `\`${spec.default}\``;
    return `| \`${name}\` | ${spec.group} | ${fallback} | ${source} | ${spec.description} |`;
  });
  return [
    '| variable | functions | default | deployed from | meaning |',
    '|---|---|---|---|---|',
    ...rows,
  ].join('\n');
}
