/**
 * Sign-up limits in one table of small items that expire (TTL): each check is one conditional write, so
 * concurrent requests (GraphQL aliases resolve in parallel) are counted one by one and never overshoot.
 * - distinct contacts per fan and UTC day (a string set; a contact already in it costs nothing again);
 * - requests per fan and UTC day;
 * - confirmation messages per contact and UTC day;
 * - one fan per contact and event (a claim: the same number signed up by 50 accounts is reminded once).
 * Condition expressions: https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.OperatorsAndFunctions.html
 */
import { DeleteCommand, type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';

const DAY_SECONDS = 24 * 3600;

function isConditionFailure(error: unknown): boolean {
  return (error as { name?: string }).name === 'ConditionalCheckFailedException';
}

export class LimitsRepository {
  constructor(
    private readonly documents: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** Adds one to `key` unless it reached `max`; false when the limit is reached. */
  async take(key: string, max: number, now: Date): Promise<boolean> {
    try {
      await this.documents.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { key },
          UpdateExpression: 'ADD #n :one SET expiresAt = if_not_exists(expiresAt, :exp)',
          ConditionExpression: 'attribute_not_exists(#n) OR #n < :max',
          ExpressionAttributeNames: { '#n': 'count' },
          ExpressionAttributeValues: { ':one': 1, ':max': max, ':exp': dayEnd(now) + DAY_SECONDS },
        }),
      );
      return true;
    } catch (error: unknown) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  /** Adds `member` to the set at `key` unless the set holds `max` others already. */
  async takeDistinct(key: string, member: string, max: number, now: Date): Promise<boolean> {
    try {
      await this.documents.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { key },
          UpdateExpression: 'ADD members :m SET expiresAt = if_not_exists(expiresAt, :exp)',
          ConditionExpression:
            'attribute_not_exists(members) OR contains(members, :v) OR size(members) < :max',
          ExpressionAttributeValues: {
            ':m': new Set([member]),
            ':v': member,
            ':max': max,
            ':exp': dayEnd(now) + DAY_SECONDS,
          },
        }),
      );
      return true;
    } catch (error: unknown) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  /** Claims `key` for `owner` until `expiresAt`; false when another owner holds it. */
  async claim(key: string, owner: string, expiresAt: number): Promise<boolean> {
    try {
      await this.documents.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { key },
          UpdateExpression: 'SET #o = :owner, expiresAt = :exp',
          ConditionExpression: 'attribute_not_exists(#o) OR #o = :owner',
          ExpressionAttributeNames: { '#o': 'owner' },
          ExpressionAttributeValues: { ':owner': owner, ':exp': expiresAt },
        }),
      );
      return true;
    } catch (error: unknown) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  /** Releases a claim held by `owner` (a cancelled sign-up frees the contact for the event). */
  async release(key: string, owner: string): Promise<void> {
    try {
      await this.documents.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: { key },
          ConditionExpression: '#o = :owner',
          ExpressionAttributeNames: { '#o': 'owner' },
          ExpressionAttributeValues: { ':owner': owner },
        }),
      );
    } catch (error: unknown) {
      if (!isConditionFailure(error)) throw error;
    }
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
