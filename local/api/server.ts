/**
 * The local GraphQL server: schema/schema.graphql executed by graphql-js on node:http, each Query and
 * Mutation field resolved by calling the resolver Lambda handler with an AppSync-shaped event, exactly as
 * AppSync's resolver code (schema/lambda-resolver.js) does: an `apiError` result becomes a GraphQL error
 * with `errorType` and `errorInfo` next to `message` (AppSync's error shape); a thrown error becomes
 * `Lambda:Unhandled`. Parsed and validated documents are cached per query text, as AppSync does.
 *
 * Auth as AppSync's multiple authorization modes
 * (https://docs.aws.amazon.com/appsync/latest/devguide/security-authz.html): a request with an
 * Authorization header is a user pool request, its token verified by the local issuer (a bad or expired
 * token: HTTP 401 UnauthorizedException, nothing runs); without one it stands for the stage's API key.
 * Each root field allows the modes of its @aws_* directives; any other mode gets AppSync's field error
 * (errorType Unauthorized, "Not Authorized to access F on type T") and the Lambda is not invoked.
 */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Context } from 'aws-lambda';
import {
  buildSchema,
  type DocumentNode,
  type ExecutionResult,
  execute,
  type FieldNode,
  type FragmentDefinitionNode,
  GraphQLError,
  type GraphQLResolveInfo,
  type GraphQLSchema,
  getOperationAST,
  Kind,
  parse,
  responsePathAsArray,
  type SelectionSetNode,
  validate,
} from 'graphql';
import { lambdaContext } from '#local/lambda-context';
import { isApiErrorResult } from '#shared/api/resolver';
import { fastExecute, type Replay } from './fast-execute';
import { InvalidTokenError, verifyLocalToken } from './local-issuer';

export const SCHEMA_PATH = join(__dirname, '..', '..', 'schema', 'schema.graphql');

/** AppSync's built-in scalars the schema uses; AppSync declares them itself, a plain server must. */
export const APPSYNC_SCALARS =
  'scalar AWSDateTime\nscalar AWSURL\nscalar AWSDate\nscalar AWSTime\nscalar AWSEmail\nscalar AWSJSON\n' +
  'directive @aws_api_key on FIELD_DEFINITION | OBJECT\n' +
  'directive @aws_iam on FIELD_DEFINITION | OBJECT\n' +
  'directive @aws_oidc on FIELD_DEFINITION | OBJECT\n' +
  'directive @aws_lambda on FIELD_DEFINITION | OBJECT\n' +
  'directive @aws_cognito_user_pools(cognito_groups: [String]) on FIELD_DEFINITION | OBJECT\n';

/** The authorization mode of a request, and the directive that allows it on a field. */
export type AuthMode = 'API_KEY' | 'AMAZON_COGNITO_USER_POOLS';
const MODE_DIRECTIVE: Record<AuthMode, string> = {
  API_KEY: 'aws_api_key',
  AMAZON_COGNITO_USER_POOLS: 'aws_cognito_user_pools',
};

/** Verifies an Authorization header; resolves to the identity of the resolver event or throws. */
export type Authenticate = (authorization: string, sourceIp: string) => Promise<unknown>;

export type LambdaHandler = (event: unknown, context: Context) => Promise<unknown>;

export interface ApiServerOptions {
  handler: LambdaHandler;
  /** Default 4000; 0 picks a free port. */
  port?: number;
  host?: string;
  schemaPath?: string;
  /** Default: the local issuer's token check (local-issuer.ts). */
  authenticate?: Authenticate;
}

export interface ApiServer {
  /** http://host:port/graphql */
  url: string;
  /** Handler invocations so far. */
  invocations: number;
  stop(): Promise<void>;
}

/** A GraphQL error shaped like AppSync's: errorType and errorInfo beside the message. */
export class AppSyncStyleError extends GraphQLError {
  readonly errorType: string;
  readonly errorInfo: unknown;

  /** `at` places the error on its field (with a path set, graphql-js keeps this instance as is). */
  constructor(message: string, errorType: string, errorInfo: unknown, at: GraphQLResolveInfo) {
    super(message, { nodes: at.fieldNodes, path: responsePathAsArray(at.path), extensions: { errorType } });
    this.name = 'AppSyncStyleError';
    this.errorType = errorType;
    this.errorInfo = errorInfo;
  }

  override toJSON() {
    return { ...super.toJSON(), errorType: this.errorType, errorInfo: this.errorInfo };
  }
}

/** AppSync's error entry: AppSyncStyleError keeps errorType and errorInfo beside the message. */
function formatError(error: GraphQLError): unknown {
  const original = error instanceof AppSyncStyleError ? error : error.originalError;
  return original instanceof AppSyncStyleError ? original.toJSON() : error.toJSON();
}

/** AppSync's `info.selectionSetList`: field paths below the resolved field ('sales', 'sales/saleId'). */
export function selectionSetList(info: Pick<GraphQLResolveInfo, 'fieldNodes' | 'fragments'>): string[] {
  const paths: string[] = [];
  const walk = (set: SelectionSetNode | undefined, prefix: string) => {
    for (const selection of set?.selections ?? []) {
      if (selection.kind === Kind.FIELD) {
        if (selection.name.value.startsWith('__')) continue;
        const path = `${prefix}${selection.name.value}`;
        paths.push(path);
        walk(selection.selectionSet, `${path}/`);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        walk(selection.selectionSet, prefix);
      } else {
        const fragment: FragmentDefinitionNode | undefined = info.fragments[selection.name.value];
        walk(fragment?.selectionSet, prefix);
      }
    }
  };
  for (const node of info.fieldNodes as readonly FieldNode[]) walk(node.selectionSet, '');
  return [...new Set(paths)];
}

/**
 * selectionSetList per field node of a cached document: the nodes (and the document's fragments) are the
 * same objects for every request of that document, so the list is walked once, not per request. Each
 * event gets its own copy, as each AppSync event is its own.
 */
const selectionLists = new WeakMap<FieldNode, { nodes: readonly FieldNode[]; list: readonly string[] }>();

function documentSelectionSetList(info: Pick<GraphQLResolveInfo, 'fieldNodes' | 'fragments'>): string[] {
  const first = info.fieldNodes[0];
  const known = first === undefined ? undefined : selectionLists.get(first);
  if (
    known !== undefined &&
    known.nodes.length === info.fieldNodes.length &&
    known.nodes.every((node, index) => node === info.fieldNodes[index])
  ) {
    return [...known.list];
  }
  const list = selectionSetList(info);
  if (first !== undefined) selectionLists.set(first, { nodes: [...info.fieldNodes], list });
  return [...list];
}

/** Names of the Query and Mutation fields declared in the schema. */
export function rootFields(typeDefs: string): Record<'Query' | 'Mutation', string[]> {
  const fields: Record<'Query' | 'Mutation', string[]> = { Query: [], Mutation: [] };
  for (const definition of parse(typeDefs).definitions) {
    if (
      (definition.kind === Kind.OBJECT_TYPE_DEFINITION || definition.kind === Kind.OBJECT_TYPE_EXTENSION) &&
      (definition.name.value === 'Query' || definition.name.value === 'Mutation')
    ) {
      fields[definition.name.value].push(...(definition.fields ?? []).map((field) => field.name.value));
    }
  }
  return fields;
}

interface GraphQlRequest {
  query?: unknown;
  variables?: unknown;
  operationName?: unknown;
}

interface RequestContext {
  headers: Record<string, string>;
  mode: AuthMode;
  identity: unknown;
  /** Set when graphql-js completes a root field that the fast path had resolved (fast-execute.ts). */
  replay?: Replay;
}

/** Builds the executable schema: every root field calls the handler with an AppSync event. */
export function executableSchema(typeDefs: string, invoke: LambdaHandler): GraphQLSchema {
  const schema = buildSchema(`${APPSYNC_SCALARS}${typeDefs}`);
  for (const type of [schema.getQueryType(), schema.getMutationType()]) {
    if (!type) continue;
    const typeModes = (type.astNode?.directives ?? []).map((d) => d.name.value);
    for (const field of Object.values(type.getFields())) {
      const fieldModes = (field.astNode?.directives ?? []).map((d) => d.name.value);
      // Field directives override the type's; neither: the default mode (the API key's, locally).
      const allowed = fieldModes.length > 0 ? fieldModes : typeModes.length > 0 ? typeModes : ['aws_api_key'];
      field.resolve = (_source, args, context: RequestContext, info) =>
        context.replay ? context.replay() : resolveField(args, context, info);
      const resolveField = async (
        args: Record<string, unknown>,
        context: RequestContext,
        info: GraphQLResolveInfo,
      ) => {
        if (!allowed.includes(MODE_DIRECTIVE[context.mode])) {
          throw new AppSyncStyleError(
            `Not Authorized to access ${info.fieldName} on type ${type.name}`,
            'Unauthorized',
            null,
            info,
          );
        }
        const event = {
          arguments: args,
          identity: context.identity,
          source: null,
          request: { headers: context.headers, domainName: null },
          info: {
            fieldName: info.fieldName,
            parentTypeName: type.name,
            variables: info.variableValues,
            selectionSetList: documentSelectionSetList(info),
          },
          prev: null,
          stash: {},
        };
        let result: unknown;
        try {
          result = await invoke(event, lambdaContext('dmd-local-api', { timeoutMs: 15_000 }));
        } catch (error: unknown) {
          const message = error instanceof Error ? error.message : 'Lambda failed';
          throw new AppSyncStyleError(message, 'Lambda:Unhandled', null, info);
        }
        if (isApiErrorResult(result)) {
          throw new AppSyncStyleError(
            result.apiError.message,
            result.apiError.type,
            result.apiError.info,
            info,
          );
        }
        return result;
      };
    }
  }
  return schema;
}

const MAX_BODY_BYTES = 1 << 20;
/** AppSync's answer to a user pool token it cannot verify. */
const UNAUTHORIZED = {
  errors: [{ errorType: 'UnauthorizedException', message: 'Valid authorization header not provided.' }],
};
const MAX_CACHED_DOCUMENTS = 500;

export async function startApiServer(options: ApiServerOptions): Promise<ApiServer> {
  const typeDefs = readFileSync(options.schemaPath ?? SCHEMA_PATH, 'utf8');
  const state = { invocations: 0 };
  const schema = executableSchema(typeDefs, (event, context) => {
    state.invocations += 1;
    return options.handler(event, context);
  });
  const documents = new Map<string, DocumentNode | readonly GraphQLError[]>();

  const prepare = (query: string): DocumentNode | readonly GraphQLError[] => {
    const cached = documents.get(query);
    if (cached) return cached;
    let prepared: DocumentNode | readonly GraphQLError[];
    try {
      const document = parse(query);
      const errors = validate(schema, document);
      prepared = errors.length > 0 ? errors : document;
    } catch (error: unknown) {
      prepared = [error instanceof GraphQLError ? error : new GraphQLError('Unparseable query')];
    }
    if (documents.size >= MAX_CACHED_DOCUMENTS) documents.clear();
    documents.set(query, prepared);
    return prepared;
  };

  const run = async (body: GraphQlRequest, context: RequestContext): Promise<ExecutionResult> => {
    if (typeof body.query !== 'string') return { errors: [new GraphQLError('Missing query')] };
    const prepared = prepare(body.query);
    if (!('kind' in prepared)) return { errors: prepared };
    const operationName = typeof body.operationName === 'string' ? body.operationName : undefined;
    if (!getOperationAST(prepared, operationName)) {
      return { errors: [new GraphQLError('Unknown or ambiguous operation')] };
    }
    const variables =
      typeof body.variables === 'object' && body.variables !== null
        ? (body.variables as Record<string, unknown>)
        : {};
    return fastExecute({
      schema,
      document: prepared,
      variableValues: variables,
      operationName,
      contextValue: context,
      fallback: (contextValue) =>
        execute({
          schema,
          document: prepared,
          variableValues: variables,
          operationName: operationName ?? null,
          contextValue,
        }),
    });
  };

  const authenticate = options.authenticate ?? verifyLocalToken;
  /** The request's auth context; undefined when its token is refused (HTTP 401, as AppSync). */
  const authorize = async (
    headers: Record<string, string>,
    sourceIp: string,
  ): Promise<RequestContext | undefined> => {
    const authorization = headers.authorization;
    if (authorization === undefined) return { headers, mode: 'API_KEY', identity: null };
    try {
      return {
        headers,
        mode: 'AMAZON_COGNITO_USER_POOLS',
        identity: await authenticate(authorization, sourceIp),
      };
    } catch (error: unknown) {
      if (error instanceof InvalidTokenError) return undefined;
      throw error;
    }
  };

  const send = (res: ServerResponse, status: number, payload: unknown) => {
    const text = JSON.stringify(payload);
    res.writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(text),
    });
    res.end(text);
  };

  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path !== '/graphql') return send(res, 404, { errors: [{ message: 'Not found: POST /graphql' }] });
    if (req.method !== 'POST') return send(res, 405, { errors: [{ message: 'Use POST with a JSON body' }] });
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('end', () => {
      if (size > MAX_BODY_BYTES) return send(res, 413, { errors: [{ message: 'Request body too large' }] });
      let body: GraphQlRequest;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as GraphQlRequest;
      } catch {
        return send(res, 400, { errors: [{ message: 'Body is not JSON' }] });
      }
      const headers: Record<string, string> = {};
      for (const [key, value] of Object.entries(req.headers)) {
        if (typeof value === 'string') headers[key] = value;
      }
      authorize(headers, req.socket.remoteAddress ?? '127.0.0.1')
        .then((context) => (context ? run(body ?? {}, context) : undefined))
        .then(
          (result) => {
            if (!result) return send(res, 401, UNAUTHORIZED);
            const { errors, ...rest } = result;
            // As AppSync: a request the schema rejects gets no data, and still 200.
            send(res, 200, errors ? { ...rest, errors: errors.map(formatError) } : rest);
          },
          () => send(res, 500, { errors: [{ message: 'Internal server error' }] }),
        );
    });
  };
  const server: Server = createServer({ keepAliveTimeout: 30_000 }, onRequest);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 4000, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  return {
    url: `http://${options.host ?? '127.0.0.1'}:${address.port}/graphql`,
    get invocations() {
      return state.invocations;
    },
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
