/**
 * The summary of a local window run: the state machine's own result (Summarize), completed with what the
 * stored data says once the delivery statuses have drained: sent, delivered and failed by reason, and the
 * check that every fan of every processed sale has exactly one notification per channel.
 */
import { notificationKey } from '#shared/domain/keys';
import type { OnTime, WindowSummary } from '#shared/window/summarize';
import type { Session } from './session';
import type { LocalRunRecord } from './stepfunctions/types';

export interface LocalRunSummary {
  executionName: string;
  status: string;
  window: { start: string; end: string } | null;
  /** Every sale of the window: processed, suppressed (a rule) or skipped (not this run's), with its counts. */
  sales: WindowSummary['sales'];
  /** Reminders handed over at least 5 minutes before their sale's start, late, or not at all (started). */
  onTime: OnTime;
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

/** One sale's hand-overs in time, for the run's picture. */
export interface HandOverSeries {
  saleId: string;
  name: string | null;
  startsAt: string;
  /** Instants the sale's reminders were handed to the provider, in order. */
  times: string[];
}

export async function buildSummary(session: Session, run: LocalRunRecord): Promise<LocalRunSummary> {
  return (await buildRunReport(session, run)).summary;
}

/** The summary, and each processed sale's hand-over instants from the stored records (the run's picture). */
export async function buildRunReport(
  session: Session,
  run: LocalRunRecord,
): Promise<{ summary: LocalRunSummary; handOvers: HandOverSeries[] }> {
  const output = run.output as WindowSummary | undefined;
  const processed = (output?.sales.detail ?? []).filter((sale) => sale.status === 'processed');
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
  const summary: LocalRunSummary = {
    executionName: run.executionName,
    status: run.status,
    window: output?.window ?? null,
    sales: output?.sales ?? { total: 0, processed: 0, suppressed: 0, skipped: 0, detail: [] },
    onTime: output?.onTime ?? { handedOverBeforeStart: 0, late: 0, skippedStarted: 0, rate: null },

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
  const handOvers = processed.map((sale) => ({
    saleId: sale.saleId,
    name: sale.name,
    startsAt: sale.startsAt ?? '',
    times: [...(lifecycle.handedOverAt.get(sale.saleId) ?? [])].sort(),
  }));
  return { summary, handOvers };
}

export function formatSummary(summary: LocalRunSummary): string[] {
  const n = summary.notifications;
  const lines = [
    `window ${summary.window ? `${summary.window.start} – ${summary.window.end}` : '(not planned)'}: ${summary.status} in ${(summary.durationMs / 1000).toFixed(1)} s`,
    `sales: ${summary.sales.total} in the window, ${summary.sales.processed} processed, ${summary.sales.suppressed} suppressed, ${summary.sales.skipped} skipped`,
  ];
  for (const [reason, count] of Object.entries(summary.suppressionReasons))
    lines.push(`  ${reasonKind(summary, reason)}: ${reason} × ${count}`);
  for (const sale of summary.sales.detail) lines.push(`  ${formatSale(sale)}`);
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
  const onTime = summary.onTime;
  lines.push(
    `on time: ${onTime.handedOverBeforeStart} handed over at least 5 min before their sale's start, ${onTime.late} later, ${onTime.skippedStarted} not handed over (sale started); rate ${onTime.rate === null ? 'n/a' : `${(onTime.rate * 100).toFixed(1)} %`}`,
    `coverage: ${summary.coverage.records} notification records for ${summary.coverage.expected} sign-ups of processed sales (${summary.coverage.missing} missing)`,
    `cost drivers: ${summary.stateTransitions} state transitions, ${summary.lambdaInvocations} Lambda invocations`,
  );
  if (summary.error) lines.push(`error: ${summary.error.error}: ${summary.error.cause}`);
  return lines;
}

function reasonKind(summary: LocalRunSummary, reason: string): string {
  const sale = summary.sales.detail.find((candidate) => candidate.reasons.includes(reason));
  return sale?.status === 'skipped' ? 'skipped' : 'suppressed';
}

const clockTime = (instant: string | null) => (instant ? instant.slice(11, 19) : '--:--:--');

/** `E1.presale  Verified Fan Presale  starts 15:00:00Z  processed  1200 created, 1180 queued, 20 failed, handed over 14:31:02-14:31:40` */
function formatSale(sale: WindowSummary['sales']['detail'][number]): string {
  const head = `${sale.saleId}  ${sale.name ?? '(unnamed)'}  starts ${clockTime(sale.startsAt)}Z  ${sale.status}`;
  if (sale.status !== 'processed') return `${head} (${sale.reasons.join(', ')})`;
  return `${head}  ${sale.created} created, ${sale.queued} queued, ${sale.failed} failed, handed over ${clockTime(sale.firstHandedOverAt)}-${clockTime(sale.lastHandedOverAt)}Z`;
}
