/**
 * The API over HTTP as a client sees it on the local stack: `npm run api`'s server in front of the resolver
 * Lambda handler (functions/api/handler.ts, loaded with the environment already applied), and GraphQL
 * requests to it, as a fan with a local issuer's token or anonymous.
 */
import type { Context } from 'aws-lambda';
import { issueLocalToken } from '#local/api/local-issuer';
import { type ApiServer, startApiServer } from '#local/api/server';

/** A GraphQL answer: data and AppSync-style errors (errorType, errorInfo). */
export interface GraphQlBody {
  data?: Record<string, Record<string, unknown> | null> | null;
  errors?: Array<{
    message: string;
    path?: string[];
    errorType?: string;
    errorInfo?: Record<string, unknown>;
  }>;
}

/** Starts the local API server on the resolver handler; call after the stack's environment is applied. */
export async function startApiHandlerServer(): Promise<ApiServer> {
  const { handler } = (await import('#functions/api/handler')) as {
    handler: (event: unknown, context: Context) => Promise<unknown>;
  };
  return startApiServer({ handler, port: 0 });
}

/** Posts one GraphQL request to `url`, as `fanId` (a local bearer token) or without authorization. */
export async function postGraphql(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  fanId?: string,
): Promise<GraphQlBody> {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(fanId ? { authorization: `Bearer ${await issueLocalToken(fanId)}` } : {}),
    },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as GraphQlBody;
}
