/**
 * Reconciliation of notifications left TRIGGERED: the send lease was taken but no outcome was recorded
 * (a crash between the hand-off to the provider and the update). The status stream settles most of
 * them (TRIGGERED -> SENT/DELIVERED/FAILED is forward by rank); what is still TRIGGERED past the
 * time-out is flagged for review and listed, never resent: the provider may have the message.
 */
import type { NotificationsRepository } from '#shared/data/notifications-repository';
import type { Channel } from '#shared/domain/model';

export const STUCK_TRIGGERED = 'STUCK_TRIGGERED';
export const DEFAULT_STUCK_MINUTES = 15;

/** Keys and times only: no contact, no message. */
export interface StuckNotification {
  pk: string;
  saleId: string;
  fanId: string;
  channel: Channel;
  attempts: number;
  triggeredAt?: string;
  executionName?: string;
}

export interface ReconcileOptions {
  olderThanMinutes: number;
  now: Date;
}

export async function reconcileStuckTriggered(
  saleId: string,
  options: ReconcileOptions,
  deps: { notifications: Pick<NotificationsRepository, 'bySale' | 'markForReview'> },
): Promise<StuckNotification[]> {
  const cutoff = new Date(options.now.getTime() - options.olderThanMinutes * 60_000).toISOString();
  const now = options.now.toISOString();
  const stuck: StuckNotification[] = [];
  for await (const record of deps.notifications.bySale(saleId, 'TRIGGERED')) {
    // A pending retry is the Send loop's business; a recent lease may still be in flight.
    if (record.retryPending || !record.triggeredAt || record.triggeredAt >= cutoff) continue;
    // False when the record moved on between the query and the flag: it is not stuck then.
    if (!(await deps.notifications.markForReview(record.pk, STUCK_TRIGGERED, cutoff, now))) continue;
    stuck.push({
      pk: record.pk,
      saleId: record.saleId,
      fanId: record.fanId,
      channel: record.channel,
      attempts: record.attempts,
      triggeredAt: record.triggeredAt,
      ...(record.executionName ? { executionName: record.executionName } : {}),
    });
  }
  return stuck;
}
