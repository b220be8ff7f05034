/**
 * The notifications table: one record per fan per sale per channel. Its key is the dedup guarantee
 * (REQ-007, CONST-002) and its conditional updates are the send lease and the forward-only lifecycle.
 */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { MAX_SEND_ATTEMPTS, type NotificationStatus, STATUS_RANK } from '#shared/domain/model';
import type {
  NotificationError,
  NotificationFanView,
  NotificationRecord,
  NotificationSaleView,
} from './notification-record';
import { isConditionFailed, TableRepository } from './table-repository';

export type {
  NotificationError,
  NotificationFanView,
  NotificationRecord,
  NotificationSaleView,
  RenderedMessage,
} from './notification-record';

export type CreateOutcome = { kind: 'created' } | { kind: 'exists'; existing: NotificationRecord };

export class NotificationsRepository extends TableRepository {
  async get(pk: string): Promise<NotificationRecord | undefined> {
    return this.getItem<NotificationRecord>({ pk }, true);
  }

  /** Conditional create: an existing record means this fan was already handled for this sale. */
  async createIfAbsent(record: NotificationRecord): Promise<CreateOutcome> {
    try {
      await this.putItem({
        Item: record,
        ConditionExpression: 'attribute_not_exists(pk)',
      });
      return { kind: 'created' };
    } catch (error: unknown) {
      if (!isConditionFailed(error)) throw error;
      const existing = await this.get(record.pk);
      if (!existing) throw error;
      return { kind: 'exists', existing };
    }
  }

  /**
   * Takes the send lease: CREATED (first attempt) or TRIGGERED with a pending retry (next attempt, fewer
   * than MAX_SEND_ATTEMPTS so far) becomes TRIGGERED with one more attempt. Returns the leased record, or
   * undefined when someone else holds or finished it: the send then does not happen.
   */
  async lease(pk: string, now: string): Promise<NotificationRecord | undefined> {
    try {
      const { Attributes } = await this.updateItem({
        Key: { pk },
        ConditionExpression:
          '#status = :created OR (#status = :triggered AND retryPending = :true AND attempts < :max)',
        UpdateExpression:
          'SET #status = :triggered, statusRank = :triggeredRank, attempts = attempts + :one, triggeredAt = :now, updatedAt = :now REMOVE retryPending',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':created': 'CREATED',
          ':triggered': 'TRIGGERED',
          ':triggeredRank': STATUS_RANK.TRIGGERED,
          ':true': true,
          ':max': MAX_SEND_ATTEMPTS,
          ':one': 1,
          ':now': now,
        },
        ReturnValues: 'ALL_NEW',
      });
      return Attributes as NotificationRecord;
    } catch (error: unknown) {
      if (isConditionFailed(error)) return undefined;
      throw error;
    }
  }

  /** The provider accepted the message: TRIGGERED → QUEUED (a faster status event may already be ahead). */
  async markQueued(pk: string, providerMessageId: string, now: string): Promise<void> {
    try {
      await this.updateItem({
        Key: { pk },
        ConditionExpression: '#status = :triggered',
        UpdateExpression:
          'SET #status = :queued, statusRank = :rank, providerMessageId = :sid, queuedAt = :now, updatedAt = :now',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':triggered': 'TRIGGERED',
          ':queued': 'QUEUED',
          ':rank': STATUS_RANK.QUEUED,
          ':sid': providerMessageId,
          ':now': now,
        },
      });
    } catch (error: unknown) {
      if (!isConditionFailed(error)) throw error;
      // The status stream got there first; keep its status, record the provider's id.
      await this.updateItem({
        Key: { pk },
        UpdateExpression: 'SET providerMessageId = :sid, queuedAt = :now',
        ExpressionAttributeValues: { ':sid': providerMessageId, ':now': now },
      });
    }
  }

  /** A retryable failure with attempts left: the next Send round may lease it again. */
  async markRetryPending(pk: string, error: NotificationError, now: string): Promise<void> {
    await this.updateItem({
      Key: { pk },
      ConditionExpression: '#status = :triggered',
      UpdateExpression: 'SET retryPending = :true, lastError = :error, updatedAt = :now',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':triggered': 'TRIGGERED', ':true': true, ':error': error, ':now': now },
    });
  }

  /**
   * The provider refused the run's configuration (credentials, account): the message was never taken, so
   * the lease is given back with its attempt (TRIGGERED with a pending retry, `attempts` one less): the
   * next Send (a redrive after the fix) leases it again. Status and rank do not move backwards.
   */
  async releaseLease(pk: string, error: NotificationError, now: string): Promise<void> {
    await this.updateItem({
      Key: { pk },
      ConditionExpression: '#status = :triggered',
      UpdateExpression:
        'SET retryPending = :true, lastError = :error, updatedAt = :now, attempts = attempts - :one',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: {
        ':triggered': 'TRIGGERED',
        ':true': true,
        ':error': error,
        ':now': now,
        ':one': 1,
      },
    });
  }

  /** Terminal failure (permanent error, third failed attempt, invalid contact, opted out). */
  async markFailed(pk: string, failureReason: string, error: NotificationError | undefined, now: string) {
    await this.updateItem({
      Key: { pk },
      ConditionExpression: 'statusRank < :rank',
      UpdateExpression:
        'SET #status = :failed, statusRank = :rank, failureReason = :reason, failedAt = :now, updatedAt = :now' +
        (error ? ', lastError = :error' : '') +
        ' REMOVE retryPending',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: {
        ':failed': 'FAILED',
        ':rank': STATUS_RANK.FAILED,
        ':reason': failureReason,
        ':now': now,
        ...(error ? { ':error': error } : {}),
      },
    });
  }

  /**
   * Stops a notification never handed over: with `release` a CREATED record is deleted (a later window
   * renders it again); else, or when it waits for a retry, it ends FAILED with `reason`. Handed-over
   * records are left alone.
   */
  async stopUnsent(
    pk: string,
    reason: string,
    now: string,
    release: boolean,
  ): Promise<'released' | 'failed' | 'untouched'> {
    if (release) {
      try {
        await this.deleteItem({
          Key: { pk },
          ConditionExpression: '#status = :created',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':created': 'CREATED' },
        });
        return 'released';
      } catch (error: unknown) {
        if (!isConditionFailed(error)) throw error;
      }
    }
    try {
      await this.updateItem({
        Key: { pk },
        ConditionExpression: '#status = :created OR (#status = :triggered AND retryPending = :true)',
        UpdateExpression:
          'SET #status = :failed, statusRank = :rank, failureReason = :reason, failedAt = :now, updatedAt = :now REMOVE retryPending',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':created': 'CREATED',
          ':triggered': 'TRIGGERED',
          ':true': true,
          ':failed': 'FAILED',
          ':rank': STATUS_RANK.FAILED,
          ':reason': reason,
          ':now': now,
        },
      });
      return 'failed';
    } catch (error: unknown) {
      if (isConditionFailed(error)) return 'untouched';
      throw error;
    }
  }

  /**
   * Applies a status from the delivery stream if it moves the record forward. Returns false when the record
   * is unknown or already at or past that status (stale or repeated event).
   */
  async applyStatus(
    pk: string,
    status: NotificationStatus,
    at: string,
    details: { providerMessageId?: string; failureReason?: string; error?: NotificationError },
  ): Promise<'applied' | 'stale' | 'unknown'> {
    const timeField: Partial<Record<NotificationStatus, string>> = {
      QUEUED: 'queuedAt',
      SENT: 'sentAt',
      DELIVERED: 'deliveredAt',
      FAILED: 'failedAt',
    };
    const names: Record<string, string> = { '#status': 'status' };
    const values: Record<string, unknown> = {
      ':status': status,
      ':rank': STATUS_RANK[status],
      ':at': at,
    };
    const sets = ['#status = :status', 'statusRank = :rank', 'updatedAt = :at', 'lastStatusAt = :at'];
    const field = timeField[status];
    if (field) {
      names['#time'] = field;
      sets.push('#time = :at');
    }
    if (details.providerMessageId) {
      values[':sid'] = details.providerMessageId;
      sets.push('providerMessageId = if_not_exists(providerMessageId, :sid)');
    }
    if (details.failureReason) {
      values[':reason'] = details.failureReason;
      sets.push('failureReason = :reason');
    }
    if (details.error) {
      values[':error'] = details.error;
      sets.push('lastError = :error');
    }
    try {
      await this.updateItem({
        Key: { pk },
        ConditionExpression: 'attribute_exists(pk) AND statusRank < :rank',
        UpdateExpression: `SET ${sets.join(', ')} REMOVE retryPending`,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      });
      return 'applied';
    } catch (error: unknown) {
      if (!isConditionFailed(error)) throw error;
      return (await this.get(pk)) ? 'stale' : 'unknown';
    }
  }

  /**
   * Flags a notification left TRIGGERED (no pending retry, leased before `triggeredBefore`) for an
   * operator's review; it is never resent. False when the record moved on in the meantime.
   */
  async markForReview(pk: string, reason: string, triggeredBefore: string, now: string): Promise<boolean> {
    return this.applied(
      this.updateItem({
        Key: { pk },
        ConditionExpression:
          '#status = :triggered AND (attribute_not_exists(retryPending) OR retryPending = :false) AND triggeredAt < :before',
        UpdateExpression: 'SET review = :true, reviewReason = :reason, reviewAt = :now',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':triggered': 'TRIGGERED',
          ':before': triggeredBefore,
          ':true': true,
          ':false': false,
          ':reason': reason,
          ':now': now,
        },
      }),
    );
  }

  /** The execution that created a notification of the sale (any one record), if any exists. */
  async executionOf(saleId: string): Promise<string | undefined> {
    const page = await this.documents.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: 'bySale',
        KeyConditionExpression: 'saleId = :sale',
        ExpressionAttributeValues: { ':sale': saleId },
        Limit: 1,
      }),
    );
    const executionName = page.Items?.[0]?.executionName;
    return typeof executionName === 'string' ? executionName : undefined;
  }

  /** Every notification of a sale (paged), optionally in one status: reports, reconciliation. */
  async *bySale(saleId: string, status?: NotificationStatus): AsyncGenerator<NotificationSaleView> {
    const pages = this.queryPages({
      IndexName: 'bySale',
      KeyConditionExpression: status ? 'saleId = :sale AND #status = :status' : 'saleId = :sale',
      ...(status ? { ExpressionAttributeNames: { '#status': 'status' } } : {}),
      ExpressionAttributeValues: { ':sale': saleId, ...(status ? { ':status': status } : {}) },
    });
    for await (const page of pages) for (const item of page.Items ?? []) yield item as NotificationSaleView;
  }

  /** A fan's notifications (reminder status API). */
  async byFan(fanId: string): Promise<NotificationFanView[]> {
    return this.queryAll<NotificationFanView>({
      IndexName: 'byFan',
      KeyConditionExpression: 'fanId = :fan',
      ExpressionAttributeValues: { ':fan': fanId },
    });
  }
}
