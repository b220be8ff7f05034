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

/** Two attribute values equal (deeply), compared in place: this runs on every write of a bench run. */
function same(a, b) {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  let names = 0;
  for (const name in a) {
    if (!(name in b) || !same(a[name], b[name])) return false;
    names++;
  }
  for (const _ in b) names--;
  return names === 0;
}

/** Per table (dynalite keeps one description object per table): each index's keys and projection. */
const shapes = new WeakMap();
function shapeOf(table) {
  let shape = shapes.get(table);
  if (!shape) {
    const tableKeys = table.KeySchema.map((key) => key.AttributeName);
    shape = (table.GlobalSecondaryIndexes || []).map((index) => {
      const keys = index.KeySchema.map((key) => key.AttributeName);
      const all = index.Projection.ProjectionType === 'ALL';
      // The attributes an entry holds besides its own keys (all of the item's, when ALL).
      const held = all
        ? undefined
        : [...new Set([...tableKeys, ...(index.Projection.NonKeyAttributes || [])])];
      return { name: index.IndexName, keys, held };
    });
    shapes.set(table, shape);
  }
  return shape;
}

const inIndex = (item, index) => item != null && index.keys.every((name) => item[name] != null);

/** Write units of an item's entry in an index: 1 per KB of its keys and projected attributes. */
function entryUnits(item, index) {
  if (!index.held) return Math.max(1, Math.ceil(dynaliteDb().itemSize(item) / 1024));
  const entry = {};
  for (const name of [...index.keys, ...index.held]) if (item[name] != null) entry[name] = item[name];
  return Math.max(1, Math.ceil(dynaliteDb().itemSize(entry) / 1024));
}

/** Write units per index for one item going from `before` to `after` (either may be absent). */
function indexWriteUnits(table, before, after) {
  const byIndex = {};
  for (const index of shapeOf(table)) {
    const was = inIndex(before, index);
    const is = inIndex(after, index);
    let spent = 0;
    if (was && is) {
      if (index.keys.some((name) => !same(before[name], after[name]))) {
        spent = entryUnits(before, index) + entryUnits(after, index);
      } else if (
        index.held ? index.held.some((name) => !same(before[name], after[name])) : !same(before, after)
      ) {
        spent = entryUnits(after, index);
      }
    } else if (was) spent = entryUnits(before, index);
    else if (is) spent = entryUnits(after, index);
    if (spent > 0) byIndex[index.name] = spent;
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
