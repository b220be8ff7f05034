/**
 * AppSync JavaScript resolver (APPSYNC_JS 1.0.0) of every field: invokes the resolver Lambda with the
 * usual direct-resolver payload, and raises the Lambda's `apiError` result as a GraphQL error with its
 * errorType and errorInfo. The local server (local/api/server.ts) does the same for `npm run api`.
 */
import { util } from '@aws-appsync/utils';

export function request(ctx) {
  return {
    operation: 'Invoke',
    payload: {
      arguments: ctx.arguments,
      identity: ctx.identity,
      source: ctx.source,
      request: ctx.request,
      info: ctx.info,
      prev: ctx.prev,
      stash: ctx.stash,
    },
  };
}

export function response(ctx) {
  if (ctx.error) {
    util.error(ctx.error.message, ctx.error.type);
  }
  const result = ctx.result;
  if (result?.apiError) {
    util.error(result.apiError.message, result.apiError.type, null, result.apiError.info);
  }
  return result;
}
