/** Settings of the API: its event cache and sign-up limits, declared in the settings spec (shared/config/settings.ts). */
import type { z } from 'zod';
import { settingsSchema } from '#shared/config/settings';

/** The API's event cache in front of the events table and Discovery (group `apiCache`). */
export const apiCacheEnv = settingsSchema(
  'EVENT_CACHE_STALE_SECONDS',
  'EVENT_CACHE_MEMORY_TTL_MS',
  'API_DISCOVERY_MAX_RETRIES',
  'API_DISCOVERY_TIMEOUT_MS',
);
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
