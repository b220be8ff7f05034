/**
 * The DynamoDB tables: keys, indexes and TTL, in one place. The Pulumi program and the local stack both
 * create tables from these definitions, so the keys the code uses are the keys that exist.
 */

export type AttributeType = 'S' | 'N';

export interface KeyAttribute {
  name: string;
  type: AttributeType;
}

export interface TableDefinition {
  /** Logical name; the physical name is `${prefix}-${logicalName}`. */
  logicalName: string;
  hashKey: KeyAttribute;
  rangeKey?: KeyAttribute;
  ttlAttribute?: string;
  globalSecondaryIndexes?: Array<{ indexName: string; hashKey: KeyAttribute; rangeKey?: KeyAttribute }>;
  /** Environment variable through which a function learns the table's name. */
  envVar: string;
}

export const TABLES = {
  /** Normalized Discovery events, short links per locale/brand, fetchedAt, TTL. */
  events: {
    logicalName: 'events',
    hashKey: { name: 'eventId', type: 'S' },
    ttlAttribute: 'expiresAt',
    envVar: 'EVENTS_TABLE',
  },
  /** Sales by UTC day and start instant: "sales starting between A and B". */
  sales: {
    logicalName: 'sales',
    hashKey: { name: 'day', type: 'S' },
    rangeKey: { name: 'startsAtSaleId', type: 'S' },
    ttlAttribute: 'expiresAt',
    envVar: 'SALES_TABLE',
  },
  /** Fans who opted in: `eventId#shard` + `fanId#channel`; expire some days after the event's last sale. */
  demand: {
    logicalName: 'demand',
    hashKey: { name: 'pk', type: 'S' },
    rangeKey: { name: 'sk', type: 'S' },
    ttlAttribute: 'expiresAt',
    globalSecondaryIndexes: [
      { indexName: 'byFan', hashKey: { name: 'fanId', type: 'S' }, rangeKey: { name: 'eventId', type: 'S' } },
    ],
    envVar: 'DEMAND_TABLE',
  },
  /** One record per fan per sale per channel (`saleId#fanId#channel`): dedup key and lifecycle. */
  notifications: {
    logicalName: 'notifications',
    hashKey: { name: 'pk', type: 'S' },
    ttlAttribute: 'expiresAt',
    globalSecondaryIndexes: [
      {
        indexName: 'bySale',
        hashKey: { name: 'saleId', type: 'S' },
        rangeKey: { name: 'status', type: 'S' },
      },
      {
        indexName: 'byProviderMessageId',
        hashKey: { name: 'providerMessageId', type: 'S' },
      },
      { indexName: 'byFan', hashKey: { name: 'fanId', type: 'S' }, rangeKey: { name: 'saleId', type: 'S' } },
    ],
    envVar: 'NOTIFICATIONS_TABLE',
  },
  /** Contacts (hashed) that must never be messaged again: STOP replies, invalid numbers. */
  optOuts: {
    logicalName: 'opt-outs',
    hashKey: { name: 'contactHash', type: 'S' },
    envVar: 'OPT_OUTS_TABLE',
  },
  /** Consent of a contact's owner to a fan's sign-ups (contact hash + fan): pending or confirmed, and how. */
  consents: {
    logicalName: 'consents',
    hashKey: { name: 'contactHash', type: 'S' },
    rangeKey: { name: 'fanId', type: 'S' },
    ttlAttribute: 'expiresAt',
    envVar: 'CONSENTS_TABLE',
  },
  /** Sign-up limits: counters per fan and day, per contact and day, and one claim per contact and event. */
  limits: {
    logicalName: 'limits',
    hashKey: { name: 'key', type: 'S' },
    ttlAttribute: 'expiresAt',
    envVar: 'LIMITS_TABLE',
  },
  /** Powertools idempotency persistence (its default attribute names). */
  idempotency: {
    logicalName: 'idempotency',
    hashKey: { name: 'id', type: 'S' },
    ttlAttribute: 'expiration',
    envVar: 'IDEMPOTENCY_TABLE',
  },
} as const satisfies Record<string, TableDefinition>;

export type TableKey = keyof typeof TABLES;

export function tableName(prefix: string, key: TableKey): string {
  return `${prefix}-${TABLES[key].logicalName}`;
}
