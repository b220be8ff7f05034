/** Keys of the notification and demand tables, and the fan shard function. */
import { InvalidNotificationKeyError, InvalidShardCountError } from '#shared/domain/errors';
import { CHANNELS, type Channel } from '#shared/domain/model';

const SEPARATOR = '#';

function isChannel(value: string): value is Channel {
  return (CHANNELS as readonly string[]).includes(value);
}

function checkPart(what: string, value: string): void {
  if (value === '') throw new InvalidNotificationKeyError(`${what} is empty`);
  if (value.includes(SEPARATOR)) throw new InvalidNotificationKeyError(`${what} contains '${SEPARATOR}'`);
}

/** The dedup key (REQ-007): one notification per sale, fan and channel. */
export function notificationKey(saleId: string, fanId: string, channel: Channel): string {
  checkPart('saleId', saleId);
  checkPart('fanId', fanId);
  if (!isChannel(channel)) throw new InvalidNotificationKeyError(`unknown channel ${String(channel)}`);
  return `${saleId}${SEPARATOR}${fanId}${SEPARATOR}${channel}`;
}

export function parseNotificationKey(key: string): { saleId: string; fanId: string; channel: Channel } {
  const parts = key.split(SEPARATOR);
  if (parts.length !== 3) throw new InvalidNotificationKeyError(`expected 3 parts, got ${parts.length}`);
  const [saleId = '', fanId = '', channel = ''] = parts;
  checkPart('saleId', saleId);
  checkPart('fanId', fanId);
  if (!isChannel(channel)) throw new InvalidNotificationKeyError('unknown channel');
  return { saleId, fanId, channel };
}

/** FNV-1a, 32-bit, over the UTF-8 bytes: the same value in every process, runtime and language. */
export function fnv1a32(value: string): number {
  let hash = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(value)) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

/** The demand shard of a fan: fnv1a32(fanId) mod shardCount. */
export function shardOf(fanId: string, shardCount: number): number {
  if (!Number.isInteger(shardCount) || shardCount < 1) throw new InvalidShardCountError(shardCount);
  return fnv1a32(fanId) % shardCount;
}

export function demandPartitionKey(eventId: string, shard: number): string {
  return `${eventId}${SEPARATOR}${shard}`;
}

export function demandSortKey(fanId: string, channel: Channel): string {
  return `${fanId}${SEPARATOR}${channel}`;
}

/** Sort key of the sales table: start instant first so a range query selects a window. */
export function salesSortKey(startsAt: string, saleId: string): string {
  return `${startsAt}${SEPARATOR}${saleId}`;
}
