/**
 * The summary of a local window run: the state machine's own result (Summarize), completed with what the
 * stored data says once the delivery statuses have drained: sent, delivered and failed by reason, and the
 * check that every fan of every processed sale has exactly one notification per channel.
 */
import { notificationKey } from '#shared/domain/keys';
import type { WindowSummary } from '#shared/window/summarize';
import type { Session } from './session';
import type { LocalRunRecord } from './stepfunctions/types';

export interface LocalRunSummary {
  executionName: string;
  status: string;
  window: { start: string; end: string } | null;
  sales: { total: number; suppressed: number; processed: number };
  suppressionReasons: Record<string, number>;
  notifications: {
    created: number;
    duplicates: number;
    resumed: number;
    triggered: number;
    queued: number;
    retried: number;
    /** This run: send failures, invalid contacts and opted-out contacts. */
    failed: number;
    /** Stored state of the window's notifications after the status stream drained. */
    sent: number;
    delivered: number;
  };
  failuresByReason: Record<string, number>;
  /** Stored status of every notification of the processed sales. */
  byStatus: Record<string, number>;
  /** Fans signed up for processed sales' events vs notification records of those sales. */
  coverage: { expected: number; records: number; missing: number };
  durationMs: number;
  stateTransitions: number;
  lambdaInvocations: number;
  error?: { error: string; cause: string };
}

export async function buildSummary(session: Session, run: LocalRunRecord): Promise<LocalRunSummary> {
  const output = run.output as WindowSummary | undefined;
  const processed = (output?.perSale ?? []).filter((sale) => !sale.suppressed);
  const lifecycle = await session.lifecycle(processed.map((sale) => sale.saleId));
  // Coverage from the stored data: every sign-up of a processed sale's event must have its record. The
  // index read above can miss a record whose status moved during the read: those are read by key.
  let expected = 0;
  let records = lifecycle.total;
  for (const sale of processed) {
    for (let shard = 0; shard < Number(session.stack.env.SHARD_COUNT); shard++) {
      let cursor: string | undefined;
      do {
        const page = await session.repos.demand.page(sale.eventId, shard, 1000, cursor);
        for (const fan of page.items) {
          expected++;
          const key = notificationKey(sale.saleId, fan.fanId, fan.channel);
          if (!lifecycle.keys.has(key) && (await session.repos.notifications.get(key))) records++;
        }
        cursor = page.cursor;
      } while (cursor);
    }
  }
  const n = output?.notifications;
  const byStatus = lifecycle.byStatus;
  return {
    executionName: run.executionName,
    status: run.status,
    window: output?.window ?? null,
    sales: output?.sales ?? { total: 0, suppressed: 0, processed: 0 },
    suppressionReasons: output?.suppressionReasons ?? {},
    notifications: {
      created: n?.created ?? 0,
      duplicates: n?.duplicates ?? 0,
      resumed: n?.resumed ?? 0,
      triggered: n?.triggered ?? 0,
      queued: n?.queued ?? 0,
      retried: n?.retried ?? 0,
      failed: (n?.failed ?? 0) + (n?.invalid ?? 0) + (n?.optedOut ?? 0),
      sent: byStatus.SENT ?? 0,
      delivered: byStatus.DELIVERED ?? 0,
    },
    failuresByReason: lifecycle.failuresByReason,
    byStatus: lifecycle.byStatus,
    coverage: { expected, records, missing: Math.max(0, expected - records) },
    durationMs: run.durationMs ?? 0,
    stateTransitions: run.transitions,
    lambdaInvocations: Object.values(run.invocations).reduce((sum, count) => sum + count, 0),
    ...(run.error ? { error: run.error } : {}),
  };
}

export function formatSummary(summary: LocalRunSummary): string[] {
  const n = summary.notifications;
  const lines = [
    `window ${summary.window ? `${summary.window.start} – ${summary.window.end}` : '(not planned)'}: ${summary.status} in ${(summary.durationMs / 1000).toFixed(1)} s`,
    `sales: ${summary.sales.total} in the window, ${summary.sales.processed} processed, ${summary.sales.suppressed} suppressed`,
  ];
  for (const [reason, count] of Object.entries(summary.suppressionReasons))
    lines.push(`  suppressed: ${reason} × ${count}`);
  lines.push(
    `notifications: ${n.created} created, ${n.duplicates} duplicates skipped, ${n.resumed} resumed, ${n.triggered} triggered, ${n.queued} queued, ${n.retried} retried, ${n.failed} failed`,
    `delivery (stored, after the status stream drained): ${n.sent} sent, ${n.delivered} delivered; by status ${Object.entries(
      summary.byStatus,
    )
      .map(([status, count]) => `${status} ${count}`)
      .join(', ')}`,
  );
  for (const [reason, count] of Object.entries(summary.failuresByReason))
    lines.push(`  failed: ${reason} × ${count}`);
  lines.push(
    `coverage: ${summary.coverage.records} notification records for ${summary.coverage.expected} sign-ups of processed sales (${summary.coverage.missing} missing)`,
    `cost drivers: ${summary.stateTransitions} state transitions, ${summary.lambdaInvocations} Lambda invocations`,
  );
  if (summary.error) lines.push(`error: ${summary.error.error}: ${summary.error.cause}`);
  return lines;
}
