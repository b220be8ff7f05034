// dynalite (4.x) keeps its in-memory tables in memory-level, created as
// `new MemoryLevel({ valueEncoding: 'json' })`, whose store encoding then defaults to 'buffer': every key and
// every item is kept as a Buffer. Node hands out small Buffers as slices of shared 8 KiB slabs
// (https://nodejs.org/api/buffer.html#class-property-bufferpoolsize), and a slab stays allocated while any
// slice of it lives, so each overwritten item leaves most of a slab behind, pinned by its live neighbours: at
// 10,000 fans 98 MB of keys and items held 306 MB of ArrayBuffers after a full collection. memory-level also
// takes storeEncoding 'utf8' (https://github.com/Level/memory-level#db--new-memorylevellocation-options):
// strings in the V8 heap, freed one by one. The keys are ASCII (dynalite hex-encodes string key values and
// writes numbers as ASCII digits; table and index names are ASCII), so string order is the byte order DynamoDB
// sorts by ("sorted using the UTF-8 binary encoding":
// https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/HowItWorks.NamingRulesDataTypes.html).
const { dirname } = require('node:path');

/** Makes the next `require('dynalite')` keep its tables as strings; call before dynalite is loaded. */
function useStringStore() {
  const dynaliteDir = dirname(require.resolve('dynalite'));
  const memoryLevel = require(require.resolve('memory-level', { paths: [dynaliteDir] }));
  const { MemoryLevel } = memoryLevel;
  let created = 0;
  class StringMemoryLevel extends MemoryLevel {
    constructor(options) {
      super({ storeEncoding: 'utf8', ...options });
      created++;
    }
  }
  memoryLevel.MemoryLevel = StringMemoryLevel;
  /** Throws if dynalite built an in-memory store that is not ours (it was loaded earlier, or changed). */
  return function assertApplied() {
    if (created === 0)
      throw new Error(
        'dynalite did not create its store through memory-level: the string store is not applied',
      );
  };
}

module.exports = { useStringStore };
