import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { TABLES, type TableDefinition, type TableKey, tableName } from '#shared/data/tables';

/** A created table as the rest of the program sees it: bind it to a function with its env var. */
export interface TableRef {
  key: TableKey;
  envVar: string;
  name: pulumi.Output<string>;
  arn: pulumi.Output<string>;
}

export interface DataTablesArgs {
  /** Physical name prefix (the stage). */
  prefix: string;
  /** Keep tables on `pulumi destroy` (prod). */
  protect?: boolean;
}

/** Attribute definitions: every key attribute of the table and its indexes, once. */
export function attributeDefinitions(definition: TableDefinition): Array<{ name: string; type: string }> {
  const keys = [
    definition.hashKey,
    definition.rangeKey,
    ...(definition.globalSecondaryIndexes ?? []).flatMap((index) => [index.hashKey, index.rangeKey]),
  ].filter((key) => key !== undefined);
  const seen = new Map<string, string>();
  for (const key of keys) seen.set(key.name, key.type);
  return [...seen].map(([name, type]) => ({ name, type }));
}

/**
 * The DynamoDB tables of shared/data/tables.ts: on-demand, encrypted (AWS managed key), point-in-time
 * recovery, TTL where records expire, deletion protection when `protect` is set.
 */
export class DataTables extends pulumi.ComponentResource {
  readonly tables: Record<TableKey, TableRef>;

  constructor(name: string, args: DataTablesArgs, opts?: pulumi.ComponentResourceOptions) {
    super('dmd:data:Tables', name, {}, opts);
    const entries = (Object.keys(TABLES) as TableKey[]).map((key): [TableKey, TableRef] => {
      const definition: TableDefinition = TABLES[key];
      const table = new aws.dynamodb.Table(
        `${name}-${definition.logicalName}`,
        {
          name: tableName(args.prefix, key),
          billingMode: 'PAY_PER_REQUEST',
          hashKey: definition.hashKey.name,
          ...(definition.rangeKey ? { rangeKey: definition.rangeKey.name } : {}),
          attributes: attributeDefinitions(definition),
          globalSecondaryIndexes: (definition.globalSecondaryIndexes ?? []).map((index) => ({
            name: index.indexName,
            hashKey: index.hashKey.name,
            ...(index.rangeKey ? { rangeKey: index.rangeKey.name } : {}),
            projectionType: index.projection.type,
            ...(index.projection.type === 'INCLUDE'
              ? { nonKeyAttributes: [...index.projection.nonKeyAttributes] }
              : {}),
          })),
          ...(definition.ttlAttribute
            ? { ttl: { attributeName: definition.ttlAttribute, enabled: true } }
            : {}),
          serverSideEncryption: { enabled: true },
          pointInTimeRecovery: { enabled: true },
          deletionProtectionEnabled: args.protect ?? false,
          tags: { table: definition.logicalName },
        },
        { parent: this, protect: args.protect ?? false },
      );
      return [key, { key, envVar: definition.envVar, name: table.name, arn: table.arn }];
    });
    this.tables = Object.fromEntries(entries) as Record<TableKey, TableRef>;
    this.registerOutputs({ tableNames: Object.fromEntries(entries.map(([key, ref]) => [key, ref.name])) });
  }
}
