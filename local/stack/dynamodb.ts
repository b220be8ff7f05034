import { fork } from 'node:child_process';
import { join } from 'node:path';
import {
  type AttributeDefinition,
  CreateTableCommand,
  type CreateTableCommandInput,
  DescribeTableCommand,
  type DynamoDBClient,
  type KeySchemaElement,
  type Projection,
  type TableDescription,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import {
  type KeyAttribute,
  TABLES,
  type TableDefinition,
  type TableKey,
  tableName,
} from '#shared/data/tables';
// The child process applies the same (dynalite-child.cjs): write capacity includes the index writes.
import { useIndexWriteCapacity } from './dynalite-index-capacity.cjs';
import { LocalStackError, ResourceNotReadyError } from './errors';
import { ensureDir, listenOnLoopback, sleep } from './server';

export interface StartDynamoOptions {
  /** LevelDB directory that keeps the data between runs; in memory when absent. */
  dataDir?: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** Run dynalite in this process instead of a child process. */
  inProcess?: boolean;
}

export interface LocalDynamo {
  endpoint: string;
  stop(): Promise<void>;
}

/**
 * Starts dynalite on 127.0.0.1; tables become ACTIVE at once (no CREATING delay). By default it runs in a
 * child process, on its own core (a 50k-fan window is mostly DynamoDB work); `inProcess` keeps it in this
 * process.
 */
export async function startDynamo(options: StartDynamoOptions = {}): Promise<LocalDynamo> {
  const path = options.dataDir === undefined ? undefined : await ensureDir(options.dataDir);
  const settings = {
    ...(path === undefined ? {} : { path }),
    createTableMs: 0,
    deleteTableMs: 0,
    updateTableMs: 0,
  };
  if (options.inProcess) {
    useIndexWriteCapacity();
    const { endpoint, stop } = await listenOnLoopback(dynalite(settings), options.port);
    return { endpoint, stop };
  }
  return startDynaliteProcess({ ...settings, port: options.port ?? 0 });
}

async function startDynaliteProcess(settings: Record<string, unknown>): Promise<LocalDynamo> {
  const child = fork(join(__dirname, 'dynalite-child.cjs'), [JSON.stringify(settings)], {
    execPath: process.execPath,
    // Only the Node flags that matter to the child; the parent's loaders (tsx, jest) are not needed.
    // V8 sized the young generation at 128 MB on a 24 GB machine, held for the child's life whatever the
    // tables hold; dynalite's garbage is per request, so 16 MB semi-spaces keep the same collections at a
    // smaller size (https://nodejs.org/api/cli.html#--max-semi-space-sizesize-in-mib). Measured: the floor
    // alone (15,000 notifications) peaked at 192-204 MB instead of 264-268 MB for the same CPU time.
    execArgv: ['--max-semi-space-size=16'],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const port = await new Promise<number>((resolve, reject) => {
    child.once('message', (message: { port?: number }) => {
      if (typeof message?.port === 'number') resolve(message.port);
      else reject(new LocalStackError('dynalite did not report its port'));
    });
    child.once('error', reject);
    child.once('exit', (code) =>
      reject(new LocalStackError(`dynalite exited with code ${code} before listening`)),
    );
  });
  let stopped: Promise<void> | undefined;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    stop: () => {
      stopped ??= (async () => {
        if (child.connected) child.send({ stop: true });
        const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
        await exited;
        clearTimeout(timer);
      })();
      return stopped;
    },
  };
}

/** An existing table (persisted data dir) whose keys differ from shared/data/tables.ts. */
export class TableDefinitionMismatchError extends LocalStackError {
  constructor(readonly table: string) {
    super(`table ${table} exists with other keys or indexes than its definition; remove the data dir`);
    this.name = 'TableDefinitionMismatchError';
  }
}

const keySchema = (hashKey: KeyAttribute, rangeKey?: KeyAttribute): KeySchemaElement[] => [
  { AttributeName: hashKey.name, KeyType: 'HASH' },
  ...(rangeKey ? [{ AttributeName: rangeKey.name, KeyType: 'RANGE' as const }] : []),
];

/** The CreateTable request for a definition: keys, GSIs with their projections, on-demand billing. */
export function createTableInput(definition: TableDefinition, name: string): CreateTableCommandInput {
  const attributes = new Map<string, AttributeDefinition>();
  const addAttribute = (attribute: KeyAttribute | undefined) => {
    if (attribute)
      attributes.set(attribute.name, { AttributeName: attribute.name, AttributeType: attribute.type });
  };
  addAttribute(definition.hashKey);
  addAttribute(definition.rangeKey);
  for (const index of definition.globalSecondaryIndexes ?? []) {
    addAttribute(index.hashKey);
    addAttribute(index.rangeKey);
  }
  const indexes = definition.globalSecondaryIndexes ?? [];
  return {
    TableName: name,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [...attributes.values()],
    KeySchema: keySchema(definition.hashKey, definition.rangeKey),
    ...(indexes.length > 0
      ? {
          GlobalSecondaryIndexes: indexes.map((index) => ({
            IndexName: index.indexName,
            KeySchema: keySchema(index.hashKey, index.rangeKey),
            Projection:
              index.projection.type === 'ALL'
                ? { ProjectionType: 'ALL' as const }
                : {
                    ProjectionType: 'INCLUDE' as const,
                    NonKeyAttributes: [...index.projection.nonKeyAttributes],
                  },
          })),
        }
      : {}),
  };
}

const errorName = (error: unknown): string | undefined => (error instanceof Error ? error.name : undefined);

const sameKeys = (a: KeySchemaElement[] | undefined, b: KeySchemaElement[] | undefined): boolean =>
  JSON.stringify(a ?? []) === JSON.stringify(b ?? []);

const sameProjection = (a: Projection | undefined, b: Projection | undefined): boolean =>
  (a?.ProjectionType ?? 'ALL') === (b?.ProjectionType ?? 'ALL') &&
  JSON.stringify([...(a?.NonKeyAttributes ?? [])].sort()) ===
    JSON.stringify([...(b?.NonKeyAttributes ?? [])].sort());

function matchesDefinition(description: TableDescription, input: CreateTableCommandInput): boolean {
  if (!sameKeys(description.KeySchema, input.KeySchema)) return false;
  const existing = new Map((description.GlobalSecondaryIndexes ?? []).map((i) => [i.IndexName, i]));
  const wanted = input.GlobalSecondaryIndexes ?? [];
  return (
    existing.size === wanted.length &&
    wanted.every((i) => {
      const index = existing.get(i.IndexName);
      return sameKeys(index?.KeySchema, i.KeySchema) && sameProjection(index?.Projection, i.Projection);
    })
  );
}

async function waitForActive(
  client: DynamoDBClient,
  name: string,
  timeoutMs = 5000,
): Promise<TableDescription> {
  const started = Date.now();
  for (;;) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: name }));
    if (Table?.TableStatus === 'ACTIVE') return Table;
    if (Date.now() - started > timeoutMs) throw new ResourceNotReadyError(`table ${name}`, timeoutMs);
    await sleep(10);
  }
}

/**
 * Creates every table of shared/data/tables.ts as `${prefix}-${logicalName}`. Tables that exist already
 * (a persisted data dir) are kept if their keys and indexes match the definitions. TTL is switched on
 * where the emulator implements UpdateTimeToLive; dynalite does not, so expired items simply stay.
 */
export async function ensureTables(client: DynamoDBClient, prefix: string): Promise<void> {
  await Promise.all(
    (Object.keys(TABLES) as TableKey[]).map(async (key) => {
      const definition: TableDefinition = TABLES[key];
      const name = tableName(prefix, key);
      const input = createTableInput(definition, name);
      try {
        await client.send(new CreateTableCommand(input));
      } catch (error: unknown) {
        if (errorName(error) !== 'ResourceInUseException') throw error;
      }
      const table = await waitForActive(client, name);
      if (!matchesDefinition(table, input)) throw new TableDefinitionMismatchError(name);
      if (definition.ttlAttribute) await enableTimeToLive(client, name, definition.ttlAttribute);
    }),
  );
}

async function enableTimeToLive(client: DynamoDBClient, name: string, attribute: string): Promise<void> {
  try {
    await client.send(
      new UpdateTimeToLiveCommand({
        TableName: name,
        TimeToLiveSpecification: { AttributeName: attribute, Enabled: true },
      }),
    );
  } catch (error: unknown) {
    // dynalite answers UnknownOperationException; an emulator that has TTL says so when it is already on.
    if (errorName(error) === 'UnknownOperationException') return;
    if (errorName(error) === 'ValidationException' && /already enabled/i.test(String(error))) return;
    throw error;
  }
}
