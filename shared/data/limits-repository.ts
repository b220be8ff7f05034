/**
 * Sign-up limits in one table of small items that expire (TTL): each check is one conditional write, so
 * concurrent requests (GraphQL aliases resolve in parallel) are counted one by one and never overshoot.
 * - distinct contacts per fan and UTC day (a string set; a contact already in it costs nothing again);
 * - requests per fan and UTC day;
 * - confirmation messages per contact and UTC day;
 * - one fan per contact and event (a claim: the same number signed up by 50 accounts is reminded once).
 * Condition expressions: https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.OperatorsAndFunctions.html
 */
import { DAY_SECONDS } from '#shared/time/epoch';
import { TableRepository } from './table-repository';

export class LimitsRepository extends TableRepository {
  /** Adds one to `key` unless it reached `max`; false when the limit is reached. */
  async take(key: string, max: number, now: Date): Promise<boolean> {
    return this.applied(
      this.updateItem({
        Key: { key },
        UpdateExpression: 'ADD #n :one SET expiresAt = if_not_exists(expiresAt, :exp)',
        ConditionExpression: 'attribute_not_exists(#n) OR #n < :max',
        ExpressionAttributeNames: { '#n': 'count' },
        ExpressionAttributeValues: { ':one': 1, ':max': max, ':exp': dayEnd(now) + DAY_SECONDS },
      }),
    );
  }

  /** Adds `member` to the set at `key` unless the set holds `max` others already. */
  async takeDistinct(key: string, member: string, max: number, now: Date): Promise<boolean> {
    return this.applied(
      this.updateItem({
        Key: { key },
        UpdateExpression: 'ADD members :m SET expiresAt = if_not_exists(expiresAt, :exp)',
        ConditionExpression: 'attribute_not_exists(members) OR contains(members, :v) OR size(members) < :max',
        ExpressionAttributeValues: {
          ':m': new Set([member]),
          ':v': member,
          ':max': max,
          ':exp': dayEnd(now) + DAY_SECONDS,
        },
      }),
    );
  }

  /** Claims `key` for `owner` until `expiresAt`; false when another owner holds it. */
  async claim(key: string, owner: string, expiresAt: number): Promise<boolean> {
    return this.applied(
      this.updateItem({
        Key: { key },
        UpdateExpression: 'SET #o = :owner, expiresAt = :exp',
        ConditionExpression: 'attribute_not_exists(#o) OR #o = :owner',
        ExpressionAttributeNames: { '#o': 'owner' },
        ExpressionAttributeValues: { ':owner': owner, ':exp': expiresAt },
      }),
    );
  }

  /** Releases a claim held by `owner` (a cancelled sign-up frees the contact for the event). */
  async release(key: string, owner: string): Promise<void> {
    // A claim held by another owner (or none) is left as it is.
    await this.applied(
      this.deleteItem({
        Key: { key },
        ConditionExpression: '#o = :owner',
        ExpressionAttributeNames: { '#o': 'owner' },
        ExpressionAttributeValues: { ':owner': owner },
      }),
    );
  }
}

/** Epoch seconds of the end of `now`'s UTC day. */
function dayEnd(now: Date): number {
  const day = Math.floor(now.getTime() / 1000 / DAY_SECONDS);
  return (day + 1) * DAY_SECONDS;
}

/** The UTC day of `now` (YYYY-MM-DD), the window of the daily counters. */
export function utcDay(now: Date): string {
  return now.toISOString().slice(0, 10);
}
