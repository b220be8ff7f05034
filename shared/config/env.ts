/**
 * Configuration read from the environment once, at cold start, and validated with zod. Each function
 * composes the parts it needs; a missing or malformed variable fails the cold start with its name.
 */
import { z } from 'zod';
import { SALE_TYPES } from '#shared/domain/model';
import { ConfigurationError } from './errors';

const csv = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((value) =>
      value
        .split(',')
        .map((part) => part.trim())
        .filter((part) => part.length > 0),
    );

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

export const windowEnv = z.object({
  LEAD_MINUTES: z.coerce
    .number()
    .int()
    .min(0)
    .max(24 * 60)
    .default(30),
  SHARD_COUNT: positiveInt(16).pipe(z.number().max(1000)),
  PAGE_SIZE: positiveInt(250).pipe(z.number().max(1000)),
  PROVIDER_MPS: positiveInt(100),
  /** Messages per second one Send iteration can push; the fan map's concurrency is MPS / this. */
  ITERATION_MPS: positiveInt(25),
  /** How far past its window PlanWindow looks for big sales that must start in an earlier window. */
  PLAN_LOOKAHEAD_MINUTES: z.coerce
    .number()
    .int()
    .min(0)
    .max(24 * 60)
    .default(180),
  SEND_TIMEOUT_MS: positiveInt(30_000),
  EVENT_CACHE_TTL_SECONDS: positiveInt(3600),
});

export const suppressionEnv = z.object({
  SUPPRESSED_ARTIST_IDS: csv(''),
  SUPPORTED_COUNTRIES: csv('US,CA').transform((list) => list.map((c) => c.toUpperCase())),
  ALLOWED_SEGMENTS: csv('Music,Arts & Theatre'),
  SUPPRESSED_SALE_TYPES: csv('registration').pipe(z.array(z.enum(SALE_TYPES))),
});

export const discoveryEnv = z
  .object({
    DISCOVERY_BASE_URL: z.url().default('https://app.ticketmaster.com/discovery/v2'),
    DISCOVERY_API_KEY: z.string().min(1).optional(),
    DISCOVERY_API_KEY_PARAM: z.string().min(1).optional(),
  })
  .refine((env) => env.DISCOVERY_API_KEY ?? env.DISCOVERY_API_KEY_PARAM, {
    message: 'set DISCOVERY_API_KEY or DISCOVERY_API_KEY_PARAM',
    path: ['DISCOVERY_API_KEY'],
  });

export const bitlyEnv = z
  .object({
    BITLY_BASE_URL: z.url().default('https://api-ssl.bitly.com/v4'),
    BITLY_TOKEN: z.string().min(1).optional(),
    BITLY_TOKEN_PARAM: z.string().min(1).optional(),
    BITLY_DOMAIN: z.string().min(1).optional(),
  })
  .refine((env) => env.BITLY_TOKEN ?? env.BITLY_TOKEN_PARAM, {
    message: 'set BITLY_TOKEN or BITLY_TOKEN_PARAM',
    path: ['BITLY_TOKEN'],
  });

export const smsEnv = z
  .object({
    SMS_BASE_URL: z.url().default('https://api.twilio.com'),
    SMS_ACCOUNT_SID: z.string().min(1),
    SMS_AUTH_TOKEN: z.string().min(1).optional(),
    SMS_AUTH_TOKEN_PARAM: z.string().min(1).optional(),
    SMS_MESSAGING_SERVICE_SID: z.string().min(1),
    SMS_STATUS_CALLBACK_URL: z.url(),
    SMS_OPT_OUT_TEXT_EN: z.string().min(1).optional(),
    SMS_OPT_OUT_TEXT_FR: z.string().min(1).optional(),
  })
  .refine((env) => env.SMS_AUTH_TOKEN ?? env.SMS_AUTH_TOKEN_PARAM, {
    message: 'set SMS_AUTH_TOKEN or SMS_AUTH_TOKEN_PARAM',
    path: ['SMS_AUTH_TOKEN'],
  });

/** Opt-out sentence overrides of the SMS text (RenderPage); the locale's default otherwise. */
export const messagesEnv = z.object({
  SMS_OPT_OUT_TEXT_EN: z.string().max(60).optional(),
  SMS_OPT_OUT_TEXT_FR: z.string().max(60).optional(),
});

export const emailEnv = z.object({
  EMAIL_FROM: z.string().min(3),
  EMAIL_CONFIGURATION_SET: z.string().min(1).optional(),
  /** Prepended to every template name (`dev-`): SES templates are per account and region, not per stage. */
  EMAIL_TEMPLATE_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_-]*$/, 'letters, digits, - and _ only (an SES template name)')
    .default(''),
  /**
   * `true` when the stage's SES account is in the sandbox: a recipient SES or IAM refuses as unverified
   * fails that one notification (SandboxRecipientNotVerified), as documented in docs/DEPLOY.md.
   */
  EMAIL_SANDBOX: z
    .enum(['true', 'false'])
    .default('false')
    .transform((value) => value === 'true'),
});

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
