/**
 * Lambda function URLs, locally: an HTTP server on 127.0.0.1 that turns each request into the function
 * URL event (payload 2.0) and answers with the handler's result. Routes are bound after start, so the
 * URLs can go into the environment before the handlers are loaded.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { APIGatewayProxyResultV2, Context, LambdaFunctionURLEvent } from 'aws-lambda';
import { lambdaContext } from '#local/lambda-context';
import { listenOnLoopback } from './server';

export type FunctionUrlHandler = (event: LambdaFunctionURLEvent, context: Context) => Promise<unknown>;

export interface FunctionUrlHost {
  /** Base URL; a route is served at `${url}/${name}`. */
  url: string;
  urlOf(name: string): string;
  bind(name: string, handler: FunctionUrlHandler): void;
  stop(): Promise<void>;
}

const TEXT_TYPES = /^(text\/|application\/(json|x-www-form-urlencoded|xml))/;

export function toFunctionUrlEvent(req: IncomingMessage, body: Buffer, name: string): LambdaFunctionURLEvent {
  const url = new URL(req.url ?? '/', 'http://local');
  const headers: Record<string, string> = {};
  for (const [key, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[key.toLowerCase()] = Array.isArray(value) ? value.join(',') : value;
  }
  const contentType = headers['content-type'] ?? '';
  const isText = body.length === 0 || TEXT_TYPES.test(contentType);
  const now = new Date();
  const domainName = headers.host ?? '127.0.0.1';
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: url.pathname,
    rawQueryString: url.search.replace(/^\?/, ''),
    headers,
    ...(url.search ? { queryStringParameters: Object.fromEntries(url.searchParams) } : {}),
    requestContext: {
      accountId: 'anonymous',
      apiId: name,
      domainName,
      domainPrefix: name,
      http: {
        method: req.method ?? 'GET',
        path: url.pathname,
        protocol: `HTTP/${req.httpVersion}`,
        sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey: '$default',
      stage: '$default',
      time: now.toISOString(),
      timeEpoch: now.getTime(),
    },
    ...(body.length > 0
      ? { body: isText ? body.toString('utf8') : body.toString('base64'), isBase64Encoded: !isText }
      : { isBase64Encoded: false }),
  };
}

function send(res: ServerResponse, result: unknown): void {
  // A function URL answers a non-object result as a 200 JSON body.
  if (typeof result !== 'object' || result === null || !('statusCode' in result)) {
    const text = typeof result === 'string' ? result : JSON.stringify(result ?? null);
    res.writeHead(200, { 'content-type': 'application/json' }).end(text);
    return;
  }
  const response = result as Exclude<APIGatewayProxyResultV2, string>;
  const body =
    response.body === undefined
      ? ''
      : response.isBase64Encoded
        ? Buffer.from(response.body, 'base64')
        : response.body;
  const headers = Object.fromEntries(
    Object.entries(response.headers ?? {}).map(([key, value]) => [key, String(value)]),
  );
  res.writeHead(response.statusCode ?? 200, headers);
  if (response.cookies?.length) res.setHeader('set-cookie', response.cookies);
  res.end(body);
}

export async function startFunctionUrlHost(port = 0): Promise<FunctionUrlHost> {
  const routes = new Map<string, FunctionUrlHandler>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const name = new URL(req.url ?? '/', 'http://local').pathname.split('/')[1] ?? '';
      const handler = routes.get(name);
      if (!handler) {
        res
          .writeHead(404, { 'content-type': 'application/json' })
          .end(JSON.stringify({ message: 'Not Found' }));
        return;
      }
      handler(
        toFunctionUrlEvent(req, Buffer.concat(chunks), name),
        lambdaContext(name, { timeoutMs: 30_000, memoryMb: 1024 }),
      )
        .then((result) => send(res, result))
        .catch(() => {
          // As Lambda does for an unhandled error: 502, no detail to the caller.
          if (!res.headersSent) res.writeHead(502, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ message: 'Internal Server Error' }));
        });
    });
  });
  const { endpoint, stop } = await listenOnLoopback(server, port);
  return {
    url: endpoint,
    urlOf: (name) => `${endpoint}/${name}`,
    bind: (name, handler) => {
      routes.set(name, handler);
    },
    stop,
  };
}
