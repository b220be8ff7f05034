/**
 * The demand table: who opted in for which event, sharded (`eventId#shard`) so a 50k-fan event is read
 * by many map iterations in parallel, each paging its shard with a cursor.
 */
import {
  type DynamoDBDocumentClient,
  QueryCommand,
  type QueryCommandInput,
  type QueryCommandOutput,
} from '@aws-sdk/lib-dynamodb';
import { demandPartitionKey, demandSortKey, shardOf } from '#shared/domain/keys';
import type { Brand, Channel, Demand, Locale } from '#shared/domain/model';
import { batchGetAll } from './batch-get';
import { TableRepository } from './table-repository';

export interface DemandItem extends Demand {
  pk: string;
  sk: string;
  shard: number;
}

export interface DemandPage {
  items: DemandItem[];
  /** Sort key of the last item read, when the shard has more: the next page starts after it. */
  cursor: string | undefined;
}

/** Who an event's sign-ups are, as far as links go: the fan's locale (if chosen), brand and channel. */
export interface Audience {
  locale?: Locale;
  brand: Brand;
  channel: Channel;
}

export class DemandRepository extends TableRepository {
  constructor(
    documents: DynamoDBDocumentClient,
    tableName: string,
    private readonly shardCount: number,
  ) {
    super(documents, tableName);
  }

  toItem(demand: Demand): DemandItem {
    const shard = shardOf(demand.fanId, this.shardCount);
    return {
      ...demand,
      pk: demandPartitionKey(demand.eventId, shard),
      sk: demandSortKey(demand.fanId, demand.channel),
      shard,
    };
  }

  /** Records (or refreshes) a sign-up; the same fan, event and channel is always one record. */
  async put(demand: Demand): Promise<DemandItem> {
    const item = this.toItem(demand);
    await this.putItem({ Item: item });
    return item;
  }

  /** Removes a sign-up; the removed record, or undefined when there was none. */
  async remove(eventId: string, fanId: string, channel: Channel): Promise<DemandItem | undefined> {
    const shard = shardOf(fanId, this.shardCount);
    const { Attributes } = await this.deleteItem({
      Key: { pk: demandPartitionKey(eventId, shard), sk: demandSortKey(fanId, channel) },
      ReturnValues: 'ALL_OLD',
    });
    return Attributes as DemandItem | undefined;
  }

  async page(eventId: string, shard: number, limit: number, cursor?: string): Promise<DemandPage> {
    const pk = demandPartitionKey(eventId, shard);
    const result = await this.documents.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': pk },
        Limit: limit,
        ...(cursor ? { ExclusiveStartKey: { pk, sk: cursor } } : {}),
      }),
    );
    const last = result.LastEvaluatedKey?.sk;
    return {
      items: (result.Items ?? []) as DemandItem[],
      cursor: typeof last === 'string' ? last : undefined,
    };
  }

  /** Contacts for a set of fans of one event (the send step reads them; they never leave the Lambda). */
  async contacts(
    eventId: string,
    fans: Array<{ fanId: string; channel: Channel }>,
  ): Promise<Map<string, DemandItem>> {
    const keys = fans.map((fan) => ({
      pk: demandPartitionKey(eventId, shardOf(fan.fanId, this.shardCount)),
      sk: demandSortKey(fan.fanId, fan.channel),
    }));
    const found = new Map<string, DemandItem>();
    for (const item of (await batchGetAll(this.documents, this.tableName, keys)) as unknown as DemandItem[]) {
      found.set(item.sk, item);
    }
    return found;
  }

  /**
   * The distinct (locale, brand, channel) of an event's sign-ups, with a projection of those three
   * attributes, its shards read at once (a sale's sign-ups are spread evenly over them, so the scan takes
   * one shard's pages in a row rather than all of them); every shard stops at its next page as soon as
   * `complete(found)` says nothing more can be learned.
   */
  async audiences(
    eventId: string,
    complete: (found: Audience[]) => boolean = () => false,
  ): Promise<Audience[]> {
    const found = new Map<string, Audience>();
    let done = false;
    const params = {
      // Aliased: these may be reserved words.
      ProjectionExpression: '#locale, #brand, #channel',
      ExpressionAttributeNames: { '#locale': 'locale', '#brand': 'brand', '#channel': 'channel' },
    };
    const readShard = async (shard: number) => {
      for await (const page of this.pagesOf(eventId, shard, params)) {
        if (done) return;
        for (const item of (page.Items ?? []) as Audience[]) {
          const key = `${item.locale ?? ''}|${item.brand}|${item.channel}`;
          if (!found.has(key)) {
            found.set(key, {
              ...(item.locale ? { locale: item.locale } : {}),
              brand: item.brand,
              channel: item.channel,
            });
          }
        }
        if (complete([...found.values()])) done = true;
        if (done) return;
      }
    };
    await Promise.all(Array.from({ length: this.shardCount }, (_, shard) => readShard(shard)));
    return [...found.values()];
  }

  /** Every page of an event's sign-ups, shard after shard, each read to its last page. */
  private async *shardPages(
    eventId: string,
    params: Pick<QueryCommandInput, 'ProjectionExpression' | 'ExpressionAttributeNames' | 'Select'>,
  ): AsyncGenerator<QueryCommandOutput> {
    for (let shard = 0; shard < this.shardCount; shard++) yield* this.pagesOf(eventId, shard, params);
  }

  /** Every page of one shard of an event's sign-ups. */
  private pagesOf(
    eventId: string,
    shard: number,
    params: Pick<QueryCommandInput, 'ProjectionExpression' | 'ExpressionAttributeNames' | 'Select'>,
  ): AsyncGenerator<QueryCommandOutput> {
    return this.queryPages({
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': demandPartitionKey(eventId, shard) },
      ...params,
    });
  }

  /** True when the event has at least one sign-up (one key-only read per shard until one is found). */
  async hasSignUps(eventId: string): Promise<boolean> {
    for (let shard = 0; shard < this.shardCount; shard++) {
      const result = await this.documents.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': demandPartitionKey(eventId, shard) },
          ProjectionExpression: 'pk',
          Limit: 1,
        }),
      );
      if ((result.Items?.length ?? 0) > 0) return true;
    }
    return false;
  }

  /** Number of sign-ups of an event across its shards (reports and checks). */
  async count(eventId: string): Promise<number> {
    let total = 0;
    for await (const page of this.shardPages(eventId, { Select: 'COUNT' })) total += page.Count ?? 0;
    return total;
  }

  /** Number of sign-ups in one shard of an event (RenderPage paces a shard by its share of the sale). */
  async countShard(eventId: string, shard: number): Promise<number> {
    let total = 0;
    for await (const page of this.pagesOf(eventId, shard, { Select: 'COUNT' })) total += page.Count ?? 0;
    return total;
  }

  /** Every sign-up of a fan (by the byFan index). */
  async byFan(fanId: string): Promise<DemandItem[]> {
    const result = await this.documents.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: 'byFan',
        KeyConditionExpression: 'fanId = :fan',
        ExpressionAttributeValues: { ':fan': fanId },
      }),
    );
    return (result.Items ?? []) as DemandItem[];
  }
}
