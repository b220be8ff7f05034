/**
 * Configuration read from the environment once, at cold start, and validated with zod. Each function
 * composes the parts it needs; a missing or malformed variable fails the cold start with its name. The
 * settings themselves (name, default, schema, description) are declared in ./settings.ts.
 */
import { z } from 'zod';
import { optOutTextProblems } from '#shared/messages/sms';
import { ConfigurationError } from './errors';
import { settingsSchema } from './settings';

export const windowEnv = settingsSchema(
  'LEAD_MINUTES',
  'SHARD_COUNT',
  'PAGE_SIZE',
  'PROVIDER_MPS',
  'ITERATION_MPS',
  'PLAN_LOOKAHEAD_MINUTES',
  'SEND_START_SECONDS',
  'SEND_TIMEOUT_MS',
  'EVENT_CACHE_TTL_SECONDS',
  'EVENT_MAX_AGE_AT_PREPARE_SECONDS',
);

/** The sale monitoring pass (functions/sale-monitor). */
export const saleMonitorEnv = settingsSchema(
  'SALE_MONITOR_INTERVAL_MINUTES',
  'SALE_MONITOR_HORIZON_HOURS',
  'DISCOVERY_DAILY_QUOTA',
  'SALE_MONITOR_QUOTA_PERCENT',
  'SALE_MONITOR_REQUESTS_PER_SECOND',
);
export type SaleMonitorEnv = z.infer<typeof saleMonitorEnv>;

/** Discovery requests one monitoring pass may make: its share of the daily quota over the day's passes. */
export function monitorRequestBudget(env: SaleMonitorEnv): number {
  const passesPerDay = (24 * 60) / env.SALE_MONITOR_INTERVAL_MINUTES;
  return Math.max(
    1,
    Math.floor((env.DISCOVERY_DAILY_QUOTA * env.SALE_MONITOR_QUOTA_PERCENT) / 100 / passesPerDay),
  );
}

export const suppressionEnv = settingsSchema(
  'SUPPRESSED_ARTIST_IDS',
  'SUPPORTED_COUNTRIES',
  'ALLOWED_SEGMENTS',
  'SUPPRESSED_SALE_TYPES',
);

/** A secret comes as its value (locally) or as the name of its SSM parameter (on AWS). */
const secretPair = <V extends string, P extends string>(value: V, param: P) =>
  z.object({
    [value]: z.string().min(1).optional(),
    [param]: z.string().min(1).optional(),
  } as { [K in V | P]: z.ZodOptional<z.ZodString> });

const eitherOf = (value: string, param: string) => ({
  message: `set ${value} or ${param}`,
  path: [value],
});

export const discoveryEnv = settingsSchema('DISCOVERY_BASE_URL')
  .extend(secretPair('DISCOVERY_API_KEY', 'DISCOVERY_API_KEY_PARAM').shape)
  .refine(
    (env) => env.DISCOVERY_API_KEY ?? env.DISCOVERY_API_KEY_PARAM,
    eitherOf('DISCOVERY_API_KEY', 'DISCOVERY_API_KEY_PARAM'),
  );

export const bitlyEnv = settingsSchema('BITLY_BASE_URL', 'BITLY_DOMAIN')
  .extend(secretPair('BITLY_TOKEN', 'BITLY_TOKEN_PARAM').shape)
  .refine((env) => env.BITLY_TOKEN ?? env.BITLY_TOKEN_PARAM, eitherOf('BITLY_TOKEN', 'BITLY_TOKEN_PARAM'));

export const smsEnv = settingsSchema(
  'SMS_BASE_URL',
  'SMS_ACCOUNT_SID',
  'SMS_MESSAGING_SERVICE_SID',
  'SMS_STATUS_CALLBACK_URL',
)
  .extend(secretPair('SMS_AUTH_TOKEN', 'SMS_AUTH_TOKEN_PARAM').shape)
  .refine(
    (env) => env.SMS_AUTH_TOKEN ?? env.SMS_AUTH_TOKEN_PARAM,
    eitherOf('SMS_AUTH_TOKEN', 'SMS_AUTH_TOKEN_PARAM'),
  );

/**
 * Opt-out sentence overrides of the SMS text (RenderPage); the locale's default otherwise. Each must leave
 * the longest reminder of its locales within one segment (an override is never shortened), so a sentence
 * that would make some message unsendable fails the cold start, not the window run.
 */
export const messagesEnv = settingsSchema('SMS_OPT_OUT_TEXT_EN', 'SMS_OPT_OUT_TEXT_FR').superRefine(
  (env, ctx) => {
    const texts = { en: env.SMS_OPT_OUT_TEXT_EN, fr: env.SMS_OPT_OUT_TEXT_FR };
    for (const { language, problem } of optOutTextProblems(texts)) {
      const name = language === 'en' ? 'SMS_OPT_OUT_TEXT_EN' : 'SMS_OPT_OUT_TEXT_FR';
      ctx.addIssue({ code: 'custom', path: [name], message: problem });
    }
  },
);

export const emailEnv = settingsSchema(
  'EMAIL_FROM',
  'EMAIL_CONFIGURATION_SET',
  'EMAIL_TEMPLATE_PREFIX',
  'EMAIL_SANDBOX',
);

/**
 * Signed unsubscribe links of reminder emails: the webhook URL that serves them, the stage's signing
 * secret, and how long a link works (CASL: at least 60 days after the message is sent).
 */
export const unsubscribeEnv = settingsSchema('UNSUBSCRIBE_BASE_URL', 'UNSUBSCRIBE_LINK_DAYS')
  .extend(secretPair('UNSUBSCRIBE_SECRET', 'UNSUBSCRIBE_SECRET_PARAM').shape)
  .refine(
    (env) => env.UNSUBSCRIBE_SECRET ?? env.UNSUBSCRIBE_SECRET_PARAM,
    eitherOf('UNSUBSCRIBE_SECRET', 'UNSUBSCRIBE_SECRET_PARAM'),
  );

/** The inbound SMS webhook's public URL, when the request cannot tell it (functions/inbound-webhook). */
export const inboundWebhookEnv = settingsSchema('SMS_INBOUND_WEBHOOK_URL');

export const streamEnv = z.object({
  DELIVERY_STREAM_NAME: z.string().min(1),
});

/** Parses `env` with `schema`, or throws a ConfigurationError that names every bad variable. */
export function loadConfig<S extends z.ZodType>(
  schema: S,
  env: Record<string, string | undefined> = process.env,
): z.infer<S> {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigurationError(
      parsed.error.issues.map((issue) => `${issue.path.join('.') || '(env)'}: ${issue.message}`),
    );
  }
  return parsed.data;
}
