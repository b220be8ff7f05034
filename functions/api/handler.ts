/**
 * AppSync resolvers: eventDetails, reminderStatus, requestReminder, cancelReminder, confirmContact (one
 * Lambda, one router). The fan is the caller's verified identity; sign-ups send consent confirmations.
 */

import { apiCacheEnv, signUpEnv } from '#shared/api/config';
import { confirmationSender } from '#shared/api/confirmation-sender';
import { apiHandler } from '#shared/api/lambda';
import { createApiResolver } from '#shared/api/resolver';
import { sesClient } from '#shared/aws/clients';
import { DiscoveryClient } from '#shared/clients/discovery-client';
import { SmsClient } from '#shared/clients/sms-client';
import { discoveryEnv, emailEnv, loadConfig, smsEnv } from '#shared/config/env';
import { contactHashKeyReady, lazySecret, once } from '#shared/config/secrets';
import { EventCache } from '#shared/events/event-cache';
import { repositories, suppressionRules, windowSettings } from '#shared/lambda/dependencies';
import { logger } from '#shared/lambda/observability';
import { pipelineClock } from '#shared/time/clock';

const discoveryConfig = loadConfig(discoveryEnv);
const cacheSettings = loadConfig(apiCacheEnv);
const signUpSettings = loadConfig(signUpEnv);
const sms = loadConfig(smsEnv);
const email = loadConfig(emailEnv);
const { EVENT_CACHE_TTL_SECONDS } = windowSettings();
const rules = suppressionRules();
const { events, sales, demand, notifications, optOuts, consents, limits } = repositories(
  'events',
  'sales',
  'demand',
  'notifications',
  'optOuts',
  'consents',
  'limits',
);
const discoveryApiKey = lazySecret(discoveryConfig, 'DISCOVERY_API_KEY');
const smsAuthToken = lazySecret(sms, 'SMS_AUTH_TOKEN');

const router = once(async () => {
  await contactHashKeyReady();
  const [apiKey, smsToken] = await Promise.all([discoveryApiKey(), smsAuthToken()]);
  const confirmations = confirmationSender({
    // A confirmation is not a notification: no status callback.
    sms: new SmsClient({
      baseUrl: sms.SMS_BASE_URL,
      accountSid: sms.SMS_ACCOUNT_SID,
      authToken: smsToken,
      messagingServiceSid: sms.SMS_MESSAGING_SERVICE_SID,
      timeoutMs: 10_000,
    }),
    ses: sesClient(),
    fromEmailAddress: email.EMAIL_FROM,
  });
  const cache = new EventCache({
    events,
    sales,
    discovery: new DiscoveryClient({
      baseUrl: discoveryConfig.DISCOVERY_BASE_URL,
      apiKey,
      maxRetries: cacheSettings.API_DISCOVERY_MAX_RETRIES,
      timeoutMs: cacheSettings.API_DISCOVERY_TIMEOUT_MS,
    }),
    ttlSeconds: EVENT_CACHE_TTL_SECONDS,
    now: pipelineClock.now,
    staleWhileRevalidateSeconds: cacheSettings.EVENT_CACHE_STALE_SECONDS,
    memoryTtlMs: cacheSettings.EVENT_CACHE_MEMORY_TTL_MS,
    onBackgroundError: (eventId, error) => logger.warn('background refresh failed', { eventId, error }),
  });
  return createApiResolver(
    {
      cache,
      demand,
      notifications,
      optOuts,
      consents,
      limits,
      confirmations,
      settings: signUpSettings,
      rules,
      now: pipelineClock.now,
      // The error's kind only: its message may not name the contact, but it is not ours to vouch for.
      onSendError: (error) =>
        logger.warn('consent confirmation not sent', { errorName: (error as Error | undefined)?.name }),
    },
    logger,
  );
});

export const handler = apiHandler(router);
