/** A local DynamoDB (dynalite, in its child process) for integration tests of the data layer. */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ensureTables, type StartDynamoOptions, startDynamo } from '#local/stack/dynamodb';

/** A client of the local DynamoDB at `endpoint` (it accepts any credentials). */
export function localDynamoClient(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
}

export interface LocalTables {
  client: DynamoDBClient;
  stop(): Promise<void>;
}

/** Starts a local DynamoDB with every table of shared/data/tables.ts under `prefix`. */
export async function startLocalTables(prefix: string): Promise<LocalTables> {
  const dynamo = await startDynamo();
  const client = localDynamoClient(dynamo.endpoint);
  await ensureTables(client, prefix);
  return {
    client,
    async stop() {
      client.destroy();
      await dynamo.stop();
    },
  };
}

/** Runs `test` against a fresh local DynamoDB (no tables yet) and stops it afterwards. */
export async function withLocalDynamo(
  test: (client: DynamoDBClient) => Promise<void>,
  options: StartDynamoOptions = {},
): Promise<void> {
  const dynamo = await startDynamo(options);
  const client = localDynamoClient(dynamo.endpoint);
  try {
    await test(client);
  } finally {
    client.destroy();
    await dynamo.stop();
  }
}
