/** Settings of the API's event cache, from the environment (defaults suit a deployed stage). */
import { z } from 'zod';

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

/** Sign-up limits and consent settings (docs/API.md, "Limits" and "Consent"). */
export const signUpEnv = z.object({
  /** requestReminder calls one fan may make per UTC day (each GraphQL alias counts). */
  SIGNUP_FAN_DAILY_REQUESTS: z.coerce.number().int().positive().default(30),
  /** Distinct contacts one fan may sign up per UTC day. */
  SIGNUP_FAN_DAILY_CONTACTS: z.coerce.number().int().positive().default(5),
  /** Confirmation messages one contact may receive per UTC day (all fans together). */
  CONSENT_CONTACT_DAILY_MESSAGES: z.coerce.number().int().positive().default(3),
  /** A pending consent lapses after this many days without a confirmation. */
  CONSENT_PENDING_DAYS: z.coerce.number().int().positive().default(7),
  /** A sign-up is kept this many days after the event's last sale (DynamoDB TTL). */
  SIGNUP_RETENTION_DAYS: z.coerce.number().int().positive().default(7),
  /** The page of the site that confirms an email sign-up (it calls confirmContact with ?token=). */
  CONSENT_CONFIRM_URL: z.url().default('https://www.ticketmaster.com/reminders/confirm'),
});
export type SignUpSettings = z.infer<typeof signUpEnv>;
