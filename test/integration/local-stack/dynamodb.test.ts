import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateTableCommand,
  DeleteItemCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import {
  createTableInput,
  ensureTables,
  startDynamo,
  TableDefinitionMismatchError,
} from '#local/stack/dynamodb';
import { TABLES, type TableKey, tableName } from '#shared/data/tables';
import { localDynamoClient, withLocalDynamo } from '#test/helpers/local-dynamo';

const PREFIX = 'dmd-test';

describe('local DynamoDB (dynalite)', () => {
  it('creates every table of shared/data/tables.ts with its keys, indexes and on-demand billing', () =>
    withLocalDynamo(async (client) => {
      await ensureTables(client, PREFIX);

      for (const key of Object.keys(TABLES) as TableKey[]) {
        const definition = TABLES[key];
        const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName(PREFIX, key) }));
        expect(Table?.TableStatus).toBe('ACTIVE');
        expect(Table?.BillingModeSummary?.BillingMode).toBe('PAY_PER_REQUEST');
        expect(Table?.KeySchema).toEqual([
          { AttributeName: definition.hashKey.name, KeyType: 'HASH' },
          ...(definition.rangeKey ? [{ AttributeName: definition.rangeKey.name, KeyType: 'RANGE' }] : []),
        ]);
        const indexes = definition.globalSecondaryIndexes ?? [];
        expect((Table?.GlobalSecondaryIndexes ?? []).map((i) => i.IndexName).sort()).toEqual(
          indexes.map((i) => i.indexName).sort(),
        );
        for (const index of indexes) {
          const created = Table?.GlobalSecondaryIndexes?.find((i) => i.IndexName === index.indexName);
          expect(created?.Projection?.ProjectionType).toBe(index.projection.type);
          if (index.projection.type === 'INCLUDE') {
            expect([...(created?.Projection?.NonKeyAttributes ?? [])].sort()).toEqual(
              [...index.projection.nonKeyAttributes].sort(),
            );
          }
        }
      }

      // The bySale index answers with its view: keys and the listed attributes, never the message.
      const notifications = tableName(PREFIX, 'notifications');
      await client.send(
        new PutItemCommand({
          TableName: notifications,
          Item: {
            pk: { S: 'sale-1#fan-1#SMS' },
            saleId: { S: 'sale-1' },
            fanId: { S: 'fan-1' },
            status: { S: 'QUEUED' },
            channel: { S: 'SMS' },
            attempts: { N: '1' },
            contactHash: { S: 'h-1' },
            message: { M: { text: { S: 'Tickets go on sale at 15:00' } } },
          },
        }),
      );
      const { Items } = await client.send(
        new QueryCommand({
          TableName: notifications,
          IndexName: 'bySale',
          KeyConditionExpression: 'saleId = :sale',
          ExpressionAttributeValues: { ':sale': { S: 'sale-1' } },
        }),
      );
      expect(Items).toEqual([
        {
          pk: { S: 'sale-1#fan-1#SMS' },
          saleId: { S: 'sale-1' },
          fanId: { S: 'fan-1' },
          status: { S: 'QUEUED' },
          channel: { S: 'SMS' },
          attempts: { N: '1' },
        },
      ]);

      // dynalite has no UpdateTimeToLive: ensureTables skips it rather than failing.
      const ttl = await client.send(
        new DescribeTimeToLiveCommand({ TableName: tableName(PREFIX, 'events') }),
      );
      expect(ttl.TimeToLiveDescription?.TimeToLiveStatus).toBe('DISABLED');

      // A second call on existing tables is a no-op.
      await expect(ensureTables(client, PREFIX)).resolves.toBeUndefined();
    }));

  it('keeps tables and items in a data dir between runs', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'dmd-dynamo-'));
    const table = tableName(PREFIX, 'optOuts');
    try {
      const first = await startDynamo({ dataDir: join(dataDir, 'dynamodb') });
      const firstClient = localDynamoClient(first.endpoint);
      await ensureTables(firstClient, PREFIX);
      await firstClient.send(
        new PutItemCommand({
          TableName: table,
          Item: { contactHash: { S: 'abc123' }, reason: { S: 'STOP' } },
        }),
      );
      firstClient.destroy();
      await first.stop();

      const second = await startDynamo({ dataDir: join(dataDir, 'dynamodb') });
      const secondClient = localDynamoClient(second.endpoint);
      try {
        await ensureTables(secondClient, PREFIX);
        const { Item } = await secondClient.send(
          new GetItemCommand({ TableName: table, Key: { contactHash: { S: 'abc123' } } }),
        );
        expect(Item?.reason?.S).toBe('STOP');
      } finally {
        secondClient.destroy();
        await second.stop();
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('refuses a kept table whose index projects other attributes than its definition', () =>
    withLocalDynamo(async (client) => {
      // A data dir from before the indexes were narrowed: the same keys, every attribute projected.
      const input = createTableInput(TABLES.notifications, tableName(PREFIX, 'notifications'));
      await client.send(
        new CreateTableCommand({
          ...input,
          GlobalSecondaryIndexes: input.GlobalSecondaryIndexes?.map((index) => ({
            ...index,
            Projection: { ProjectionType: 'ALL' },
          })),
        }),
      );
      await expect(ensureTables(client, PREFIX)).rejects.toThrow(TableDefinitionMismatchError);
    }));

  // https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/GSI.html#GSI.ThroughputConsiderations.Writes
  it("reports write capacity with the index writes, as DynamoDB's ConsumedCapacity does", () =>
    withLocalDynamo(async (client) => {
      const TableName = tableName(PREFIX, 'notifications');
      const Key = { pk: { S: 'sale-1#fan-1#SMS' } };
      const update = (set: string, values: Record<string, { S: string }>) =>
        client.send(
          new UpdateItemCommand({
            TableName,
            Key,
            UpdateExpression: set,
            ...(set.includes('#status') ? { ExpressionAttributeNames: { '#status': 'status' } } : {}),
            ExpressionAttributeValues: values,
            ReturnConsumedCapacity: 'INDEXES',
          }),
        );
      await ensureTables(client, PREFIX);
      // New item: into bySale and byFan (1 each; the item is well under 1 KB).
      const created = await client.send(
        new PutItemCommand({
          TableName,
          Item: {
            ...Key,
            saleId: { S: 'sale-1' },
            fanId: { S: 'fan-1' },
            status: { S: 'CREATED' },
            channel: { S: 'SMS' },
          },
          ReturnConsumedCapacity: 'INDEXES',
        }),
      );
      expect(created.ConsumedCapacity).toMatchObject({
        CapacityUnits: 3,
        Table: { CapacityUnits: 1 },
        GlobalSecondaryIndexes: { bySale: { CapacityUnits: 1 }, byFan: { CapacityUnits: 1 } },
      });
      // status is bySale's range key (old entry deleted, new one put: 2) and projected into byFan (1).
      const leased = await update('SET #status = :s', { ':s': { S: 'TRIGGERED' } });
      expect(leased.ConsumedCapacity).toMatchObject({
        CapacityUnits: 4,
        GlobalSecondaryIndexes: { bySale: { CapacityUnits: 2 }, byFan: { CapacityUnits: 1 } },
      });
      // An attribute neither index holds: the table's write only.
      const hashed = await update('SET contactHash = :h', { ':h': { S: 'h-1' } });
      expect(hashed.ConsumedCapacity?.CapacityUnits).toBe(1);
      expect(hashed.ConsumedCapacity?.GlobalSecondaryIndexes).toBeUndefined();
      // Deleted: out of both indexes.
      const deleted = await client.send(
        new DeleteItemCommand({ TableName, Key, ReturnConsumedCapacity: 'TOTAL' }),
      );
      expect(deleted.ConsumedCapacity?.CapacityUnits).toBe(3);
    }));

  it('keeps items with any text in memory and sorts string range keys by their UTF-8 bytes', () =>
    withLocalDynamo(async (client) => {
      const TableName = `${PREFIX}-order`;
      await client.send(
        new CreateTableCommand({
          TableName,
          BillingMode: 'PAY_PER_REQUEST',
          AttributeDefinitions: [
            { AttributeName: 'pk', AttributeType: 'S' },
            { AttributeName: 'sk', AttributeType: 'S' },
          ],
          KeySchema: [
            { AttributeName: 'pk', KeyType: 'HASH' },
            { AttributeName: 'sk', KeyType: 'RANGE' },
          ],
        }),
      );
      // DynamoDB orders string sort keys by their UTF-8 bytes
      // (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/HowItWorks.NamingRulesDataTypes.html):
      // U+FFFD (EF BF BD) before U+1F600 (F0 9F 98 80), which UTF-16 code units would order the other way.
      const keys = ['\u{1F600}', '\uFFFD', 'z', 'é', 'A'];
      for (const sk of keys) {
        await client.send(
          new PutItemCommand({
            TableName,
            Item: { pk: { S: 'p' }, sk: { S: sk }, text: { S: `Grüße ${sk}` } },
          }),
        );
      }
      const { Items } = await client.send(
        new QueryCommand({
          TableName,
          KeyConditionExpression: 'pk = :p',
          ExpressionAttributeValues: { ':p': { S: 'p' } },
        }),
      );
      expect(Items?.map((item) => item.sk?.S)).toEqual(['A', 'z', 'é', '\uFFFD', '\u{1F600}']);
      expect(Items?.map((item) => item.text?.S)).toEqual(
        ['A', 'z', 'é', '\uFFFD', '\u{1F600}'].map((sk) => `Grüße ${sk}`),
      );
    }));

  it('listens on 127.0.0.1 and frees the port on stop', async () => {
    const dynamo = await startDynamo();
    expect(dynamo.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    await dynamo.stop();
    const again = await startDynamo({ port: Number(new URL(dynamo.endpoint).port) });
    expect(again.endpoint).toBe(dynamo.endpoint);
    await again.stop();
  });
});
