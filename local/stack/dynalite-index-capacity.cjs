// dynalite (4.x) reports the write capacity of a write on the table alone. DynamoDB also charges the writes
// the item causes in each global secondary index, and its ConsumedCapacity includes them (TOTAL: in
// CapacityUnits; INDEXES: also per index in GlobalSecondaryIndexes):
// https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/GSI.html#GSI.ThroughputConsiderations.Writes
//  - an item that enters the index (new, or its index keys now all defined): one write;
//  - an item that leaves it (deleted, or an index key removed): one write;
//  - an index key value changed: two writes (the old entry deleted, the new one put);
//  - only projected attributes changed: one write; nothing the index holds changed: none;
// each write in units of 1 KB of the index entry (its keys and projected attributes), rounded up.
// The bench's cost per notification reads these figures, so the local store reports what AWS would bill.
// dynalite's db module is required on use: loading it loads memory-level, which dynalite-store.cjs must
// patch first.
const dynaliteDb = () => require('dynalite/db');

/** Canonical JSON of an attribute value (maps with sorted names), to compare two versions of an entry. */
function canonical(value) {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonical(value[key])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The index entry of an item (its keys and projected attributes), or undefined when it is not in the index. */
function entryOf(item, index, tableKeys) {
  if (!item) return undefined;
  const indexKeys = index.KeySchema.map((key) => key.AttributeName);
  if (!indexKeys.every((name) => item[name] != null)) return undefined;
  if (index.Projection.ProjectionType === 'ALL') return item;
  const entry = {};
  for (const name of [...indexKeys, ...tableKeys, ...(index.Projection.NonKeyAttributes || [])]) {
    if (item[name] != null) entry[name] = item[name];
  }
  return entry;
}

const units = (entry) => Math.max(1, Math.ceil(dynaliteDb().itemSize(entry) / 1024));

/** Write units per index for one item going from `before` to `after` (either may be absent). */
function indexWriteUnits(table, before, after) {
  const tableKeys = table.KeySchema.map((key) => key.AttributeName);
  const byIndex = {};
  for (const index of table.GlobalSecondaryIndexes || []) {
    const old = entryOf(before, index, tableKeys);
    const now = entryOf(after, index, tableKeys);
    let spent = 0;
    if (old && now) {
      const keyChanged = index.KeySchema.some(
        (key) => canonical(old[key.AttributeName]) !== canonical(now[key.AttributeName]),
      );
      if (keyChanged) spent = units(old) + units(now);
      else if (canonical(old) !== canonical(now)) spent = units(now);
    } else if (old) spent = units(old);
    else if (now) spent = units(now);
    if (spent > 0) byIndex[index.IndexName] = spent;
  }
  return byIndex;
}

/** Makes dynalite's write responses count the index writes as DynamoDB does; call before it serves. */
function useIndexWriteCapacity() {
  const db = dynaliteDb();
  // Once per process: wrapping twice would count every index write twice.
  if (db.addConsumedCapacity.countsIndexWrites) return;
  const tables = new Map();
  const { createKey, addConsumedCapacity } = db;
  // Every write action builds the item's key with its table's description before it reports capacity.
  db.createKey = (...args) => {
    const table = args[1];
    if (table?.TableName) tables.set(table.TableName, table);
    return createKey(...args);
  };
  // Called as (data, isRead, itemBefore, itemAfter) by PutItem and UpdateItem, (data, false, item) by
  // DeleteItem; BatchWriteItem adds up its PutItem and DeleteItem results.
  db.addConsumedCapacity = (...args) => {
    const [data, isRead, before, after] = args;
    const consumed = addConsumedCapacity(...args);
    const table = tables.get(data.TableName);
    if (!consumed || isRead || !table) return consumed;
    const byIndex = indexWriteUnits(table, before, after);
    const indexTotal = Object.values(byIndex).reduce((sum, n) => sum + n, 0);
    if (indexTotal === 0) return consumed;
    return {
      ...consumed,
      CapacityUnits: consumed.CapacityUnits + indexTotal,
      ...(data.ReturnConsumedCapacity === 'INDEXES'
        ? {
            GlobalSecondaryIndexes: Object.fromEntries(
              Object.entries(byIndex).map(([name, n]) => [name, { CapacityUnits: n }]),
            ),
          }
        : {}),
    };
  };
  db.addConsumedCapacity.countsIndexWrites = true;
}

module.exports = { useIndexWriteCapacity, indexWriteUnits };
