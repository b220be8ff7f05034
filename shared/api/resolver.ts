/**
 * The GraphQL resolvers of the API on Powertools' AppSync resolver: one route per field, arguments
 * validated with zod, domain errors turned into an `apiError` result that the AppSync resolver code
 * (schema/lambda-resolver.js) and the local server both raise as a GraphQL error with its errorType.
 * Unexpected errors are logged with their cause and reach the client as InternalError only.
 */
import { AppSyncGraphQLResolver } from '@aws-lambda-powertools/event-handler/appsync-graphql';
import type { SuppressionRules } from '#shared/domain/suppression';
import type { EventCache } from '#shared/events/event-cache';
import {
  cancelReminderArgs,
  eventDetailsArgs,
  parseArguments,
  reminderStatusArgs,
  requestReminderArgs,
} from './arguments';
import { ApiError, type ApiErrorInfo, type ApiErrorType, InternalApiError } from './errors';
import { eventDetailsView, loadEvent } from './event-details';
import { cancelReminder, type ReminderDependencies, reminderStatus, requestReminder } from './reminders';

export interface ApiDependencies extends ReminderDependencies {
  cache: EventCache;
  rules: SuppressionRules;
  now: () => Date;
}

/** What a resolver Lambda returns for an error; never a contact, never an unexpected error's message. */
export interface ApiErrorResult {
  apiError: { type: ApiErrorType; message: string; info: ApiErrorInfo };
}

export interface ApiLogger {
  debug(...args: unknown[]): void;
  info(...args: unknown[]): void;
  warn(...args: unknown[]): void;
  error(...args: unknown[]): void;
}

export function isApiErrorResult(value: unknown): value is ApiErrorResult {
  return typeof value === 'object' && value !== null && 'apiError' in value;
}

export function toErrorResult(error: unknown, logger: ApiLogger): ApiErrorResult {
  const known = error instanceof ApiError ? error : new InternalApiError({ cause: error });
  if (known instanceof InternalApiError) {
    logger.error('resolver failed', { error });
  } else {
    logger.info('request rejected', { errorType: known.errorType, reason: known.info.reason });
  }
  return { apiError: { type: known.errorType, message: known.message, info: known.info } };
}

export const API_FIELDS = {
  Query: ['eventDetails', 'reminderStatus'],
  Mutation: ['requestReminder', 'cancelReminder'],
} as const;

export function createApiResolver(deps: ApiDependencies, logger: ApiLogger): AppSyncGraphQLResolver {
  const app = new AppSyncGraphQLResolver({ logger });
  const guarded =
    <R>(run: (args: Record<string, unknown>) => Promise<R>) =>
    async (args: Record<string, unknown>): Promise<R | ApiErrorResult> => {
      try {
        return await run(args);
      } catch (error: unknown) {
        return toErrorResult(error, logger);
      }
    };

  app.onQuery(
    'eventDetails',
    guarded(async (raw) => {
      const args = parseArguments(eventDetailsArgs, raw);
      const lookup = await loadEvent(deps.cache, args.eventId);
      return eventDetailsView(lookup, { locale: args.locale, brand: args.brand }, deps.rules, deps.now());
    }),
  );
  app.onQuery(
    'reminderStatus',
    guarded(async (raw) => reminderStatus(parseArguments(reminderStatusArgs, raw), deps)),
  );
  app.onMutation(
    'requestReminder',
    guarded(async (raw) => requestReminder(parseArguments(requestReminderArgs, raw), deps)),
  );
  app.onMutation(
    'cancelReminder',
    guarded(async (raw) => cancelReminder(parseArguments(cancelReminderArgs, raw), deps)),
  );
  return app;
}
