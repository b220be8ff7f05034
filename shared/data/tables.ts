/**
 * The DynamoDB tables: keys, indexes and TTL, in one place. The Pulumi program and the local stack both
 * create tables from these definitions, so the keys the code uses are the keys that exist.
 */

import { NOTIFICATION_FAN_VIEW, NOTIFICATION_SALE_VIEW } from './notification-record';

export type AttributeType = 'S' | 'N';

export interface KeyAttribute {
  name: string;
  type: AttributeType;
}

/**
 * What a global secondary index copies besides the keys (the table's and its own): every attribute, or
 * only the listed ones. Every copied byte is stored again and written again on each update of the item,
 * so an index copies what its readers read.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/GSI.html#GSI.Projections
 */
export type IndexProjection = { type: 'ALL' } | { type: 'INCLUDE'; nonKeyAttributes: readonly string[] };

export interface IndexDefinition {
  indexName: string;
  hashKey: KeyAttribute;
  rangeKey?: KeyAttribute;
  projection: IndexProjection;
}

export interface TableDefinition {
  /** Logical name; the physical name is `${prefix}-${logicalName}`. */
  logicalName: string;
  hashKey: KeyAttribute;
  rangeKey?: KeyAttribute;
  ttlAttribute?: string;
  globalSecondaryIndexes?: IndexDefinition[];
  /** Environment variable through which a function learns the table's name. */
  envVar: string;
}

/** Every key attribute of ours is a string. */
function key(name: string): KeyAttribute {
  return { name, type: 'S' };
}

interface TableShape {
  hash: string;
  range?: string;
  ttl?: string;
  /** Global secondary indexes by name: keys, and the non-key attributes copied (absent: all). */
  indexes?: Record<string, { keys: readonly [string, string?]; include?: readonly string[] }>;
}

/** The table `logicalName`, whose physical name a function reads from `<LOGICAL_NAME>_TABLE`. */
function table(logicalName: string, shape: TableShape): TableDefinition {
  const indexes = Object.entries(shape.indexes ?? {}).map(
    ([
      indexName,
      {
        keys: [hash, range],
        include,
      },
    ]): IndexDefinition => ({
      indexName,
      hashKey: key(hash),
      ...(range ? { rangeKey: key(range) } : {}),
      projection: include ? { type: 'INCLUDE', nonKeyAttributes: include } : { type: 'ALL' },
    }),
  );
  return {
    logicalName,
    hashKey: key(shape.hash),
    ...(shape.range ? { rangeKey: key(shape.range) } : {}),
    ...(shape.ttl ? { ttlAttribute: shape.ttl } : {}),
    ...(indexes.length > 0 ? { globalSecondaryIndexes: indexes } : {}),
    envVar: `${logicalName.toUpperCase().replaceAll('-', '_')}_TABLE`,
  };
}

export const TABLES = {
  /** Normalized Discovery events, short links per locale/brand, fetchedAt, TTL. */
  events: table('events', { hash: 'eventId', ttl: 'expiresAt' }),
  /** Sales by UTC day and start instant: "sales starting between A and B". */
  sales: table('sales', { hash: 'day', range: 'startsAtSaleId', ttl: 'expiresAt' }),
  /** Fans who opted in: `eventId#shard` + `fanId#channel`; expire some days after the event's last sale. */
  demand: table('demand', {
    hash: 'pk',
    range: 'sk',
    ttl: 'expiresAt',
    indexes: { byFan: { keys: ['fanId', 'eventId'] } },
  }),
  /** One record per fan per sale per channel (`saleId#fanId#channel`): dedup key and lifecycle. */
  notifications: table('notifications', {
    hash: 'pk',
    ttl: 'expiresAt',
    indexes: {
      bySale: { keys: ['saleId', 'status'], include: NOTIFICATION_SALE_VIEW },
      byFan: { keys: ['fanId', 'saleId'], include: NOTIFICATION_FAN_VIEW },
    },
  }),
  /** Contacts (hashed) that must never be messaged again: STOP replies, invalid numbers. */
  optOuts: table('opt-outs', { hash: 'contactHash' }),
  /** Consent of a contact's owner to a fan's sign-ups (contact hash + fan): pending or confirmed, and how. */
  consents: table('consents', { hash: 'contactHash', range: 'fanId', ttl: 'expiresAt' }),
  /** Sign-up limits: counters per fan and day, per contact and day, and one claim per contact and event. */
  limits: table('limits', { hash: 'key', ttl: 'expiresAt' }),
  /**
   * What a window run keeps out of its Step Functions state (256 KiB): the counts of each shard
   * (`run` = the top-level execution's name, `part` = `shard#saleId#pass#shard`), written by SendPage after
   * each page, and the first pass's summary when a second pass follows (`part` = `summary#1`), both read
   * by Summarize.
   */
  tallies: table('tallies', { hash: 'run', range: 'part', ttl: 'expiresAt' }),
  /** Powertools idempotency persistence (its default attribute names). */
  idempotency: table('idempotency', { hash: 'id', ttl: 'expiration' }),
} satisfies Record<string, TableDefinition>;

export type TableKey = keyof typeof TABLES;

export function tableName(prefix: string, key: TableKey): string {
  return `${prefix}-${TABLES[key].logicalName}`;
}
