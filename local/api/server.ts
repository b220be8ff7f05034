/**
 * The local GraphQL server: schema/schema.graphql served by graphql-yoga, each Query and Mutation field
 * resolved by calling the resolver Lambda handler with an AppSync-shaped event, exactly as AppSync's
 * resolver code (schema/lambda-resolver.js) does: an `apiError` result becomes a GraphQL error with
 * `errorType` and `errorInfo` next to `message` (AppSync's error shape); a thrown error becomes
 * `Lambda:Unhandled`.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Context } from 'aws-lambda';
import {
  type FieldNode,
  type FragmentDefinitionNode,
  GraphQLError,
  type GraphQLResolveInfo,
  Kind,
  parse,
  responsePathAsArray,
  type SelectionSetNode,
} from 'graphql';
import { createSchema, createYoga, type Plugin } from 'graphql-yoga';
import { isApiErrorResult } from '#shared/api/resolver';

export const SCHEMA_PATH = join(__dirname, '..', '..', 'schema', 'schema.graphql');

/** AppSync's built-in scalars the schema uses; AppSync declares them itself, a plain server must. */
export const APPSYNC_SCALARS =
  'scalar AWSDateTime\nscalar AWSURL\nscalar AWSDate\nscalar AWSTime\nscalar AWSEmail\nscalar AWSJSON\n';

export type LambdaHandler = (event: unknown, context: Context) => Promise<unknown>;

export interface ApiServerOptions {
  handler: LambdaHandler;
  /** Default 4000; 0 picks a free port. */
  port?: number;
  host?: string;
  schemaPath?: string;
}

export interface ApiServer {
  /** http://host:port/graphql */
  url: string;
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

/**
 * Yoga rebuilds GraphQLErrors before it writes them, keeping only message, locations, path and
 * extensions; handing it plain objects keeps AppSync's `errorType` and `errorInfo` beside the message.
 */
const appSyncErrorShape: Plugin = {
  onExecutionResult({ result, setResult }) {
    if (!result || !('errors' in result) || !result.errors?.length) return;
    const errors = result.errors.map((error) => {
      const original = error instanceof AppSyncStyleError ? error : error.originalError;
      return original instanceof AppSyncStyleError ? original.toJSON() : error;
    });
    setResult({ ...result, errors: errors as GraphQLError[] });
  },
};

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

function lambdaContext(): Context {
  const deadline = Date.now() + 15_000;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: 'dmd-local-api',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:dmd-local-api',
    memoryLimitInMB: '512',
    awsRequestId: randomUUID(),
    logGroupName: '/aws/lambda/dmd-local-api',
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
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

export async function startApiServer(options: ApiServerOptions): Promise<ApiServer> {
  const typeDefs = readFileSync(options.schemaPath ?? SCHEMA_PATH, 'utf8');
  const state = { invocations: 0 };

  const fieldResolver =
    (parentTypeName: string) =>
    async (
      _source: unknown,
      args: Record<string, unknown>,
      context: { request: Request },
      info: GraphQLResolveInfo,
    ): Promise<unknown> => {
      const event = {
        arguments: args,
        identity: null,
        source: null,
        request: {
          headers: Object.fromEntries(context.request.headers.entries()),
          domainName: null,
        },
        info: {
          fieldName: info.fieldName,
          parentTypeName,
          variables: info.variableValues,
          selectionSetList: selectionSetList(info),
        },
        prev: null,
        stash: {},
      };
      state.invocations += 1;
      let result: unknown;
      try {
        result = await options.handler(event, lambdaContext());
      } catch (error: unknown) {
        throw new AppSyncStyleError(
          error instanceof Error ? error.message : 'Lambda failed',
          'Lambda:Unhandled',
          null,
          info,
        );
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

  const fields = rootFields(typeDefs);
  const resolvers = Object.fromEntries(
    (Object.keys(fields) as Array<keyof typeof fields>)
      .filter((type) => fields[type].length > 0)
      .map((type) => [type, Object.fromEntries(fields[type].map((name) => [name, fieldResolver(type)]))]),
  );
  const yoga = createYoga({
    schema: createSchema({ typeDefs: [APPSYNC_SCALARS, typeDefs], resolvers }),
    graphqlEndpoint: '/graphql',
    landingPage: false,
    logging: false,
    plugins: [appSyncErrorShape],
  });

  const server: Server = createServer(yoga);
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
