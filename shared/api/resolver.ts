/**
 * The GraphQL resolvers of the API on Powertools' AppSync resolver: one route per field, arguments
 * validated with zod, domain errors turned into an `apiError` result that the AppSync resolver code
 * (schema/lambda-resolver.js) and the local server both raise as a GraphQL error with its errorType.
 * Unexpected errors are logged with their cause and reach the client as InternalError only.
 */
import { AppSyncGraphQLResolver } from '@aws-lambda-powertools/event-handler/appsync-graphql';
import { hashContact } from '#shared/domain/contacts';
import type { SuppressionRules } from '#shared/domain/suppression';
import type { EventCache } from '#shared/events/event-cache';
import {
  cancelReminderArgs,
  confirmContactArgs,
  eventDetailsArgs,
  parseArguments,
  reminderStatusArgs,
  requestReminderArgs,
} from './arguments';
import { confirmContact } from './consent';
import { ApiError, type ApiErrorInfo, type ApiErrorType, InternalApiError } from './errors';
import { eventDetailsView, loadEvent } from './event-details';
import { requireFan } from './identity';
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
  Mutation: ['requestReminder', 'cancelReminder', 'confirmContact'],
} as const;

/** The parts of an AppSync resolver event the resolvers read besides the arguments. */
interface ResolverEventLike {
  identity?: unknown;
  request?: { headers?: Record<string, unknown> | null } | null;
}

/** Keyed hash of where a request came from (source IP and user agent): kept with a consent, never the origin. */
export function originHash(event: ResolverEventLike): string {
  const headers = event.request?.headers ?? {};
  const identity = (event.identity ?? {}) as { sourceIp?: unknown };
  const sourceIp = Array.isArray(identity.sourceIp) ? identity.sourceIp.join(',') : undefined;
  const forwarded = typeof headers['x-forwarded-for'] === 'string' ? headers['x-forwarded-for'] : '';
  const agent = typeof headers['user-agent'] === 'string' ? headers['user-agent'] : '';
  return hashContact(`origin|${sourceIp ?? forwarded}|${agent}`);
}

function fanOf(event: ResolverEventLike): string {
  return requireFan(event.identity, event.request?.headers);
}

export function createApiResolver(deps: ApiDependencies, logger: ApiLogger): AppSyncGraphQLResolver {
  const app = new AppSyncGraphQLResolver({ logger });
  const guarded =
    <R>(run: (args: Record<string, unknown>, event: ResolverEventLike) => Promise<R>) =>
    async (
      args: Record<string, unknown>,
      options: { event: ResolverEventLike },
    ): Promise<R | ApiErrorResult> => {
      try {
        return await run(args, options.event);
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
  // The fan is checked before the arguments: an anonymous caller learns nothing about them.
  app.onQuery(
    'reminderStatus',
    guarded(async (raw, event) => {
      const fanId = fanOf(event);
      return reminderStatus(parseArguments(reminderStatusArgs, raw), fanId, deps);
    }),
  );
  app.onMutation(
    'requestReminder',
    guarded(async (raw, event) => {
      const fanId = fanOf(event);
      const args = parseArguments(requestReminderArgs, raw);
      return requestReminder(args, { fanId, originHash: originHash(event) }, deps);
    }),
  );
  app.onMutation(
    'cancelReminder',
    guarded(async (raw, event) => {
      const fanId = fanOf(event);
      return cancelReminder(parseArguments(cancelReminderArgs, raw), fanId, deps);
    }),
  );
  // The email link's page calls this with the token only (API key allowed): the token names the consent.
  app.onMutation(
    'confirmContact',
    guarded(async (raw) => confirmContact(parseArguments(confirmContactArgs, raw).token, deps)),
  );
  return app;
}
