/** Settings of the API's event cache, from the environment (defaults suit a deployed stage). */
import { z } from 'zod';
import { settingsSchema } from '#shared/config/settings';

export const apiCacheEnv = z.object({
  /** Past the TTL (EVENT_CACHE_TTL_SECONDS), how long a record is still served at once while it is refreshed. */
  EVENT_CACHE_STALE_SECONDS: z.coerce
    .number()
    .int()
    .min(0)
    .default(24 * 3600),
  /** In-process copy in front of the events table; 0 turns it off. */
  EVENT_CACHE_MEMORY_TTL_MS: z.coerce.number().int().min(0).max(300_000).default(5_000),
  /** Discovery retries inside one API request (the caller is waiting). */
  API_DISCOVERY_MAX_RETRIES: z.coerce.number().int().min(0).max(5).default(1),
  API_DISCOVERY_TIMEOUT_MS: z.coerce.number().int().positive().max(30_000).default(3_000),
});
export type ApiCacheSettings = z.infer<typeof apiCacheEnv>;

/**
 * Sign-up limits and consent settings (docs/API.md, "Limits" and "Consent"), declared in the settings spec
 * (shared/config/settings.ts, group `signUp`).
 */
export const signUpEnv = settingsSchema(
  'SIGNUP_FAN_DAILY_REQUESTS',
  'SIGNUP_FAN_DAILY_CONTACTS',
  'SIGNUP_RETENTION_DAYS',
  'CONSENT_CONTACT_DAILY_MESSAGES',
  'CONSENT_PENDING_DAYS',
  'CONSENT_CONFIRM_URL',
);
export type SignUpSettings = z.infer<typeof signUpEnv>;
