/**
 * Invariants of a window run, checked from the stored data only: the provider sandboxes' own records of
 * what was handed to them (SMS messages by the ?key= of their status callback, SES emails by their
 * notificationKey tag) and the notifications table, against the demand table of every processed sale.
 * Never from the pipeline's own counters.
 */

import type { Session } from '#local/session';
import { decodeTagValue, NOTIFICATION_KEY_TAG } from '#shared/clients/ses-event';
import { notificationKeyFromUrl } from '#shared/clients/sms-client';
import type { NotificationRecord, NotificationSaleView } from '#shared/data/notifications-repository';
import { notificationKey } from '#shared/domain/keys';
import { MAX_SEND_ATTEMPTS } from '#shared/domain/model';

/** Statuses after which the pipeline has nothing left to do for a notification. */
export const FINAL_STATUSES: ReadonlySet<string> = new Set(['QUEUED', 'SENT', 'DELIVERED', 'FAILED']);

export interface ExpectedSale {
  saleId: string;
  eventId: string;
}

export interface InvariantReport {
  /** Demand records of processed sales: every one should have a notification record. */
  expected: number;
  records: number;
  /** Provider hand-overs (SMS accepted + emails sent) carrying a notification key. */
  sends: number;
  /** Most sends of one (fan, sale, channel): must be ≤ 1. */
  maxSendsPerKey: number;
  /** Keys sent more than once. */
  duplicates: number;
  /** Sends whose key is not a notification of a processed sale, or carry no key. */
  strays: number;
  /** Fans with no send and no FAILED record with a reason, by why (no record, stuck, queued without send). */
  lost: Record<string, number>;
  /** FAILED records by failureReason: fans not notified, each with its reason. */
  failedByReason: Record<string, number>;
  /** FAILED records without a failureReason. */
  failedWithoutReason: number;
  maxAttempts: number;
  /** Records with more attempts than MAX_SEND_ATTEMPTS. */
  overAttempts: number;
  /** Records left in a non-final state (CREATED, TRIGGERED), by status. */
  stuck: Record<string, number>;
  byStatus: Record<string, number>;
  /**
   * FAILED records whose message the provider did accept (the fan got it; the record says otherwise).
   * Not a loss nor a duplicate: a wrong stored state, reported as a finding.
   */
  failedButSent: number;
  /** SMS messages without a link (a message must never go out without its short link). */
  smsWithoutLink: number;
}

export function countSum(counts: Record<string, number>): number {
  return Object.values(counts).reduce((sum, n) => sum + n, 0);
}

/** True when every invariant holds: no duplicate, no stray, no loss, nothing stuck, attempts bounded. */
export function holds(report: InvariantReport): boolean {
  return (
    report.maxSendsPerKey <= 1 &&
    report.strays === 0 &&
    countSum(report.lost) === 0 &&
    countSum(report.stuck) === 0 &&
    report.failedWithoutReason === 0 &&
    report.overAttempts === 0 &&
    report.smsWithoutLink === 0 &&
    report.records >= report.expected
  );
}

function bump(counts: Record<string, number>, key: string, by = 1) {
  counts[key] = (counts[key] ?? 0) + by;
}

/** Every demand record (fan, channel) of an event, shard by shard. */
async function demandOf(session: Session, eventId: string) {
  const shardCount = Number(session.stack.env.SHARD_COUNT);
  const out: Array<{ fanId: string; channel: NotificationRecord['channel'] }> = [];
  for (let shard = 0; shard < shardCount; shard++) {
    let cursor: string | undefined;
    do {
      const page = await session.repos.demand.page(eventId, shard, 1000, cursor);
      for (const item of page.items) out.push({ fanId: item.fanId, channel: item.channel });
      cursor = page.cursor;
    } while (cursor);
  }
  return out;
}

export async function checkInvariants(session: Session, sales: ExpectedSale[]): Promise<InvariantReport> {
  const { sms, ses } = session.stack.sandboxes;
  const sends = new Map<string, number>();
  let strays = 0;
  let smsWithoutLink = 0;
  for (const message of sms.messages) {
    const key = message.statusCallback ? notificationKeyFromUrl(message.statusCallback) : undefined;
    if (!key) strays++;
    else sends.set(key, (sends.get(key) ?? 0) + 1);
    if (!/https?:\/\//.test(message.body)) smsWithoutLink++;
  }
  for (const email of ses.emails) {
    const tag = email.tags[NOTIFICATION_KEY_TAG];
    const key = tag ? decodeTagValue(tag) : undefined;
    if (!key) strays++;
    else sends.set(key, (sends.get(key) ?? 0) + 1);
  }

  const report: InvariantReport = {
    ...emptyReport(),
    sends: countSum(Object.fromEntries(sends)),
    smsWithoutLink,
  };
  const known = new Set<string>();
  for (const sale of sales) {
    const records = new Map<string, NotificationSaleView>();
    for await (const record of session.repos.notifications.bySale(sale.saleId))
      records.set(record.pk, record);
    report.records += records.size;
    for (const record of records.values()) {
      bump(report.byStatus, record.status);
      report.maxAttempts = Math.max(report.maxAttempts, record.attempts);
      if (record.attempts > MAX_SEND_ATTEMPTS) report.overAttempts++;
      if (!FINAL_STATUSES.has(record.status)) bump(report.stuck, record.status);
      if (record.status === 'FAILED') {
        if (record.failureReason) bump(report.failedByReason, record.failureReason);
        else report.failedWithoutReason++;
      }
    }
    for (const fan of await demandOf(session, sale.eventId)) {
      report.expected++;
      const pk = notificationKey(sale.saleId, fan.fanId, fan.channel);
      known.add(pk);
      const record = records.get(pk);
      const sent = sends.get(pk) ?? 0;
      if (sent > 0) {
        // A FAILED record with a provider id failed after acceptance (undelivered): that is expected.
        if (record?.status === 'FAILED' && !record.providerMessageId) report.failedButSent++;
        continue;
      }
      if (!record) bump(report.lost, 'no notification record');
      else if (record.status === 'FAILED') continue;
      else if (!FINAL_STATUSES.has(record.status)) bump(report.lost, `left ${record.status}`);
      else bump(report.lost, `${record.status} but never handed to the provider`);
    }
  }
  for (const [key, count] of sends) {
    report.maxSendsPerKey = Math.max(report.maxSendsPerKey, count);
    if (count > 1) report.duplicates++;
    if (!known.has(key)) strays++;
  }
  report.strays = strays;
  return report;
}

/** A report with nothing counted (a scenario that crashed before it could be checked starts from it). */
export function emptyReport(): InvariantReport {
  return {
    expected: 0,
    records: 0,
    sends: 0,
    maxSendsPerKey: 0,
    duplicates: 0,
    strays: 0,
    lost: {},
    failedByReason: {},
    failedWithoutReason: 0,
    maxAttempts: 0,
    overAttempts: 0,
    stuck: {},
    byStatus: {},
    smsWithoutLink: 0,
    failedButSent: 0,
  };
}
