/**
 * The status updater's core: one delivery-status event applied to its notification, forward-only, plus
 * the opt-out the event may call for. Repeated and out-of-order events change nothing (the rank
 * condition); an unknown notification is reported to the caller, never retried.
 */
import type { DemandRepository } from '#shared/data/demand-repository';
import type { NotificationRecord, NotificationsRepository } from '#shared/data/notifications-repository';
import type { OptOutsRepository } from '#shared/data/opt-outs-repository';
import type { StatusEvent } from '#shared/delivery/status-event';
import { hashContact } from '#shared/domain/contacts';
import { demandSortKey } from '#shared/domain/keys';
import { planStatusUpdate } from './status-mapping';

export interface ApplyStatusDeps {
  notifications: Pick<NotificationsRepository, 'applyStatus' | 'get'>;
  demand: Pick<DemandRepository, 'contacts'>;
  optOuts: Pick<OptOutsRepository, 'add'>;
  now: () => Date;
}

/** What one event did; serializable (it is the stored result of the idempotent call). */
export interface StatusOutcome {
  /** applied: the status moved; stale: already there or past it; ignored: the event moves nothing; unknown: no such notification. */
  result: 'applied' | 'stale' | 'ignored' | 'unknown';
  status?: 'QUEUED' | 'SENT' | 'DELIVERED' | 'FAILED';
  failureReason?: string;
  /** Milliseconds from hand-off (queuedAt, else triggeredAt) to delivery, when DELIVERED was applied. */
  deliveryLatencyMs?: number;
  /** added: the contact went to the opt-out table; no-contact: the sign-up is gone, nothing to hash. */
  optOut?: 'added' | 'no-contact';
}

export async function applyStatusEvent(event: StatusEvent, deps: ApplyStatusDeps): Promise<StatusOutcome> {
  const plan = planStatusUpdate(event);
  const pk = event.notificationKey;
  let record: NotificationRecord | undefined;
  const outcome: StatusOutcome = { result: 'ignored' };

  if (plan.status) {
    const applied = await deps.notifications.applyStatus(pk, plan.status, event.timestamp, {
      providerMessageId: event.messageSid,
      ...(plan.failureReason ? { failureReason: plan.failureReason } : {}),
      ...(plan.error ? { error: plan.error } : {}),
    });
    if (applied === 'unknown') return { result: 'unknown' };
    outcome.result = applied;
    outcome.status = plan.status;
    if (plan.failureReason) outcome.failureReason = plan.failureReason;
    if (applied === 'applied' && plan.status === 'DELIVERED') {
      record = await deps.notifications.get(pk);
      const latency = deliveryLatency(record, event.timestamp);
      if (latency !== undefined) outcome.deliveryLatencyMs = latency;
    }
  }

  if (plan.optOut) {
    record ??= await deps.notifications.get(pk);
    if (!record) return { result: 'unknown' };
    // Stale or not: the opt-out is a put keyed by the contact's hash, so repeating it is harmless.
    outcome.optOut = await optOutContact(record, plan.optOut.reason, deps);
  }
  return outcome;
}

function deliveryLatency(record: NotificationRecord | undefined, deliveredAt: string): number | undefined {
  const from = record?.queuedAt ?? record?.triggeredAt;
  if (!from) return undefined;
  const ms = Date.parse(deliveredAt) - Date.parse(from);
  return Number.isFinite(ms) && ms >= 0 ? ms : undefined;
}

/**
 * The status event carries no contact: the notification keeps the hash of the contact it was rendered
 * for, and that contact is opted out, not whatever the sign-up holds now. Records rendered before the
 * hash was kept fall back to the sign-up's contact.
 */
async function optOutContact(
  record: NotificationRecord,
  reason: string,
  deps: ApplyStatusDeps,
): Promise<'added' | 'no-contact'> {
  if (record.contactHash) {
    await deps.optOuts.add({
      contactHash: record.contactHash,
      reason,
      source: 'status-stream',
      createdAt: deps.now().toISOString(),
    });
    return 'added';
  }
  const found = await deps.demand.contacts(record.eventId, [
    { fanId: record.fanId, channel: record.channel },
  ]);
  const contact = found.get(demandSortKey(record.fanId, record.channel))?.contact;
  if (!contact) return 'no-contact';
  await deps.optOuts.add({
    contactHash: hashContact(contact),
    reason,
    source: 'status-stream',
    createdAt: deps.now().toISOString(),
  });
  return 'added';
}
