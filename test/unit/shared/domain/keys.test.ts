import fc from 'fast-check';
import {
  demandPartitionKey,
  demandSortKey,
  fnv1a32,
  notificationKey,
  parseNotificationKey,
  salesSortKey,
  shardOf,
} from '#shared/domain/keys';
import { CHANNELS } from '#shared/domain/model';

const part = fc.string({ minLength: 1, maxLength: 40 }).filter((s) => !s.includes('#'));

describe('notificationKey', () => {
  it('joins sale, fan and channel', () => {
    expect(notificationKey('E1.public', 'fan-42', 'SMS')).toBe('E1.public#fan-42#SMS');
  });

  it('round-trips through parseNotificationKey', () => {
    fc.assert(
      fc.property(part, part, fc.constantFrom(...CHANNELS), (saleId, fanId, channel) => {
        expect(parseNotificationKey(notificationKey(saleId, fanId, channel))).toEqual({
          saleId,
          fanId,
          channel,
        });
      }),
    );
  });

  it('is injective: different triples never share a key', () => {
    fc.assert(
      fc.property(part, part, part, part, (s1, f1, s2, f2) => {
        fc.pre(s1 !== s2 || f1 !== f2);
        expect(notificationKey(s1, f1, 'SMS')).not.toBe(notificationKey(s2, f2, 'SMS'));
      }),
    );
  });

  it.each([
    ['', 'f', 'SMS'],
    ['s#x', 'f', 'SMS'],
    ['s', 'f#x', 'SMS'],
    ['s', 'f', 'PIGEON'],
  ])('rejects (%j, %j, %j)', (saleId, fanId, channel) => {
    expect(() => notificationKey(saleId, fanId, channel as 'SMS')).toThrow('Invalid notification key');
  });

  it.each(['a#b', 'a#b#c#d', '#f#SMS', 's##SMS', 's#f#sms', ''])('parse rejects %j', (key) => {
    expect(() => parseNotificationKey(key)).toThrow('Invalid notification key');
  });
});

describe('shardOf', () => {
  it('matches known FNV-1a 32-bit values', () => {
    expect(fnv1a32('')).toBe(0x811c9dc5);
    expect(fnv1a32('a')).toBe(0xe40c292c);
    expect(fnv1a32('foobar')).toBe(0xbf9cf968);
    expect(fnv1a32('é')).toBe(fnv1a32('\u00e9'));
  });

  // Pinned: a change here would move every stored demand record to another shard.
  it.each([
    ['fan-1', 4, 0],
    ['fan-2', 13, 1],
    ['fan-3', 10, 3],
    ['fan-42', 11, 5],
    ['b7e4c1d0-5d7e-4f5c-9d0e-2f3a1b2c3d4e', 8, 6],
  ])('puts %s in shard %i of 16 and %i of 7', (fanId, of16, of7) => {
    expect(shardOf(fanId, 16)).toBe(of16);
    expect(shardOf(fanId, 7)).toBe(of7);
  });

  it('is in range and deterministic for every fan and shard count', () => {
    fc.assert(
      fc.property(fc.string(), fc.integer({ min: 1, max: 1024 }), (fanId, count) => {
        const shard = shardOf(fanId, count);
        expect(Number.isInteger(shard)).toBe(true);
        expect(shard).toBeGreaterThanOrEqual(0);
        expect(shard).toBeLessThan(count);
        expect(shardOf(fanId, count)).toBe(shard);
      }),
    );
  });

  it('spreads fans over the shards', () => {
    const counts = new Array<number>(16).fill(0);
    for (let i = 0; i < 16_000; i++) {
      const shard = shardOf(`fan-${i}`, 16);
      counts[shard] = (counts[shard] ?? 0) + 1;
    }
    for (const c of counts) expect(c).toBeGreaterThan(800);
  });

  it.each([0, -1, 1.5, Number.NaN])('rejects shard count %p', (count) => {
    expect(() => shardOf('fan', count)).toThrow('Shard count');
  });
});

describe('table keys', () => {
  it('builds demand and sales keys', () => {
    expect(demandPartitionKey('vvG1fZ4Ax3kTpQ', 7)).toBe('vvG1fZ4Ax3kTpQ#7');
    expect(demandSortKey('fan-42', 'EMAIL')).toBe('fan-42#EMAIL');
    expect(salesSortKey('2026-12-09T15:00:00.000Z', 'E1.public')).toBe('2026-12-09T15:00:00.000Z#E1.public');
  });
});
