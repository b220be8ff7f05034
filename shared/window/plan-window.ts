/**
 * PlanWindow: the sales this run hands over and the pace of each. It reads the sales of its window and of
 * the look-ahead after it, counts their reminders, and lets the deadline-aware plan (deadline-plan.ts)
 * decide which of them start now and how the SMS provider's budget is shared between them.
 */
import { z } from 'zod';
import type { Sale } from '#shared/domain/model';
import { evaluateSuppression, type SuppressionRules } from '#shared/domain/suppression';
import { type Window, windowFor, executionName as windowRunName } from '#shared/domain/windows';
import { mapConcurrent } from '#shared/lambda/pacing';
import type { Clock } from '#shared/time/clock';
import { planRun, type SaleDemand } from './deadline-plan';
import type { PlannedSale } from './state';
import type { EventStore, SaleStore } from './stores';

export const planInputSchema = z.object({
  scheduledTime: z.iso.datetime({ offset: true }),
  executionName: z.string().min(1).optional(),
});
export type PlanInput = z.infer<typeof planInputSchema>;

export interface PlanSettings {
  leadMinutes: number;
  shardCount: number;
  /** The provider's budget: all senders together, messages per second. */
  providerMps: number;
  /** The most one Send iteration pushes, messages per second. */
  iterationMps: number;
  /** How far past its window the plan looks for sales that must start now. */
  lookAheadMinutes: number;
  /** From planning to the run's first hand-over, seconds (every sale starts then; default 0). */
  sendStartSeconds?: number;
}

/** What the planner reads besides the sales table. */
export interface PlanStores {
  sales: SaleStore;
  /** Sign-ups of an event: one reminder each. */
  demand: { count(eventId: string): Promise<number> };
  /** The execution that created a notification of the sale, if any did. */
  notifications: { executionOf(saleId: string): Promise<string | undefined> };
  /**
   * The stored event already suppresses the sale (cancelled, registration, unsupported...): it gets no
   * share of the budget. PrepareSale still decides, on the event as it is then.
   */
  suppressed?: (sale: Sale) => Promise<boolean>;
}

/** `PlanStores.suppressed` over the stored events and the stage's suppression rules, one read per event. */
export function suppressedByStoredEvent(
  events: Pick<EventStore, 'get'>,
  rules: SuppressionRules,
  clock: Clock,
): (sale: Sale) => Promise<boolean> {
  const read = new Map<string, ReturnType<EventStore['get']>>();
  return async (sale) => {
    let event = read.get(sale.eventId);
    if (!event) {
      event = events.get(sale.eventId);
      read.set(sale.eventId, event);
    }
    const stored = await event;
    return stored !== undefined && evaluateSuppression(stored, sale, rules, clock.now()).suppressed;
  };
}

/** A sale of the window an earlier run already hands over: reported, not run again. */
export interface SkippedSale {
  saleId: string;
  eventId: string;
  startsAt: string;
  reasons: string[];
}

export interface WindowPlan {
  window: Window;
  executionName: string;
  plannedSales: number;
  /** The sales this run hands over, earliest start first, each with its pace. */
  sales: PlannedSale[];
  skipped: SkippedSale[];
  shards: number[];
  /** Every sale of the run at once: the budget is shared by pace, not by turns. */
  salesConcurrency: number;
  /** Messages per second kept for sales that earlier runs still hand over. */
  reservedMps: number;
}

const COUNT_CONCURRENCY = 8;

export async function planWindow(
  input: PlanInput,
  deps: PlanStores & { settings: PlanSettings; clock: Clock },
): Promise<WindowPlan> {
  const { settings } = deps;
  const window = windowFor(input.scheduledTime, settings.leadMinutes);
  // The run's work is keyed by its window, not by the execution's name (EventBridge Scheduler names the
  // executions it starts itself): every run of a window, scheduled, backfilled or redriven, shares the
  // same idempotency keys and notification records, so a backfill of a window that already ran is a no-op.
  const executionName = windowRunName(window);
  const lookAhead = {
    start: window.start,
    end: new Date(Date.parse(window.end) + settings.lookAheadMinutes * 60_000).toISOString(),
  };
  const rows = await deps.sales.inWindow(lookAhead);
  const counts = new Map<string, Promise<number>>();
  const countOf = (eventId: string) => {
    let count = counts.get(eventId);
    if (!count) {
      count = deps.demand.count(eventId);
      counts.set(eventId, count);
    }
    return count;
  };
  const demands = await mapConcurrent(rows, COUNT_CONCURRENCY, async (row): Promise<SaleDemand> => {
    const suppressed = (await deps.suppressed?.(row)) ?? false;
    const messages = suppressed ? 0 : await countOf(row.eventId);
    // Reminders created by another execution: an earlier run took the sale (or a run of this window did).
    const startedBy = messages > 0 ? await deps.notifications.executionOf(row.saleId) : undefined;
    return {
      saleId: row.saleId,
      eventId: row.eventId,
      startsAt: row.startsAt,
      messages,
      takenEarlier: startedBy !== undefined && startedBy !== executionName,
    };
  });
  const schedule = planRun({
    scheduledTime: input.scheduledTime,
    now: deps.clock.now(),
    window,
    sales: demands,
    settings: {
      providerMps: settings.providerMps,
      senderMps: settings.iterationMps,
      maxSendersPerSale: settings.shardCount,
      leadMinutes: settings.leadMinutes,
    },
  });
  const sendFrom = new Date(
    deps.clock.now().getTime() + (settings.sendStartSeconds ?? 0) * 1000,
  ).toISOString();
  const sales = schedule.sales.map((sale) => ({
    saleId: sale.saleId,
    eventId: sale.eventId,
    startsAt: sale.startsAt,
    messages: sale.messages,
    fansConcurrency: sale.senders,
    iterationMps: sale.senderMps,
    finishesAt: sale.finishesAt,
    onTime: sale.onTime,
    sendFrom,
  }));
  return {
    window,
    executionName,
    plannedSales: sales.length + schedule.startedEarlier.length,
    sales,
    skipped: schedule.startedEarlier.map((sale) => ({
      saleId: sale.saleId,
      eventId: sale.eventId,
      startsAt: sale.startsAt,
      reasons: ['STARTED_EARLIER'],
    })),
    shards: Array.from({ length: settings.shardCount }, (_, shard) => shard),
    salesConcurrency: Math.max(1, sales.length),
    reservedMps: schedule.reservedMps,
  };
}
