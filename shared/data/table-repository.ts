/**
 * What every repository does with its one table: reads an item, writes, queries every page, and tells a
 * write whose condition did not hold (DynamoDB's ConditionalCheckFailedException) from a real failure.
 */
import {
  DeleteCommand,
  type DeleteCommandInput,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  type PutCommandInput,
  QueryCommand,
  type QueryCommandInput,
  type QueryCommandOutput,
  UpdateCommand,
  type UpdateCommandInput,
} from '@aws-sdk/lib-dynamodb';

/** True when DynamoDB refused a write because its condition did not hold. */
export function isConditionFailed(error: unknown): boolean {
  return (error as { name?: string } | undefined)?.name === 'ConditionalCheckFailedException';
}

type OnTable<T> = Omit<T, 'TableName'>;

export abstract class TableRepository {
  constructor(
    protected readonly documents: DynamoDBDocumentClient,
    protected readonly tableName: string,
  ) {}

  /** The item at `key`, or undefined; strongly consistent when asked. */
  protected async getItem<T>(key: Record<string, unknown>, consistentRead?: boolean): Promise<T | undefined> {
    const { Item } = await this.documents.send(
      new GetCommand({
        TableName: this.tableName,
        Key: key,
        ...(consistentRead ? { ConsistentRead: true } : {}),
      }),
    );
    return Item as T | undefined;
  }

  protected async putItem(input: OnTable<PutCommandInput>): Promise<void> {
    await this.documents.send(new PutCommand({ TableName: this.tableName, ...input }));
  }

  protected updateItem(input: OnTable<UpdateCommandInput>) {
    return this.documents.send(new UpdateCommand({ TableName: this.tableName, ...input }));
  }

  protected deleteItem(input: OnTable<DeleteCommandInput>) {
    return this.documents.send(new DeleteCommand({ TableName: this.tableName, ...input }));
  }

  /** Every page of a query, each read from where the last one stopped. */
  protected async *queryPages(input: OnTable<QueryCommandInput>): AsyncGenerator<QueryCommandOutput> {
    let cursor: Record<string, unknown> | undefined;
    do {
      const page = await this.documents.send(
        new QueryCommand({ TableName: this.tableName, ...input, ExclusiveStartKey: cursor }),
      );
      yield page;
      cursor = page.LastEvaluatedKey;
    } while (cursor);
  }

  /** Every item a query finds, all pages read. */
  protected async queryAll<T>(input: OnTable<QueryCommandInput>): Promise<T[]> {
    const items: T[] = [];
    for await (const page of this.queryPages(input)) items.push(...((page.Items ?? []) as T[]));
    return items;
  }

  /** A conditional write: true when it was made, false when its condition did not hold. */
  protected async applied(write: Promise<unknown>): Promise<boolean> {
    try {
      await write;
      return true;
    } catch (error: unknown) {
      if (isConditionFailed(error)) return false;
      throw error;
    }
  }
}
