/**
 * The deadline-aware plan: which run starts each sale, and how the SMS provider's budget is shared by the
 * sales a run hands over. Pure: the planner's reads (sales, sign-up counts, what earlier runs took) happen
 * in PlanWindow, which passes them in.
 *
 * The budget is a pool of senders (Send iterations): each is paced at its own rate and their rates add up
 * to at most `providerMps`. A reminder is on time when it is handed over at least `ON_TIME_MARGIN_SECONDS`
 * before its sale starts; after the start it is never handed over (Send ends it SALE_STARTED).
 */
import { SLOT_MINUTES, slotStart } from '#shared/domain/windows';

/** A reminder is on time when handed to the provider at least this long before its sale starts. */
export const ON_TIME_MARGIN_SECONDS = 5 * 60;
/**
 * The page contract: a Send page hands over at most PAGE_SIZE / MIN_SENDER_MPS seconds' worth of fans,
 * which must fit its Task timeout; a sender slower than this gets smaller pages (RenderPage).
 */
export const MIN_SENDER_MPS = 1;
/** The slowest pace the plan gives a sender: a sale slower than shards × this runs fewer shards at once. */
export const SLOWEST_SENDER_MPS = 0.05;
/** From a run's scheduled time to its first hand-over: planning, preparing the sales, the first pages. */
export const DEFAULT_STARTUP_SECONDS = 60;

const SLOT_MS = SLOT_MINUTES * 60_000;

export interface SaleDemand {
  saleId: string;
  eventId: string;
  startsAt: string;
  /** Reminders to hand over (sign-ups of the event, one per channel). */
  messages: number;
  /** Reminders of this sale already exist from another run (an earlier window started it). */
  takenEarlier?: boolean;
}

export interface BudgetSettings {
  /** The provider's throughput: what all senders together may push, messages per second. */
  providerMps: number;
  /** The most one sender (one Send iteration) pushes, messages per second. */
  senderMps: number;
  /** Senders of one sale at once at most (one per demand shard). */
  maxSendersPerSale: number;
  leadMinutes: number;
  startupSeconds?: number;
}

export interface SalePace {
  /** Messages per second of the whole sale: `senders × senderMps`. */
  mps: number;
  /** Send iterations of the sale at once (the Fans map's MaxConcurrency). */
  senders: number;
  /** The pace of each of its senders. */
  senderMps: number;
}

export interface ScheduledSale extends SaleDemand, SalePace {
  /** Scheduled time (slot start) of the run that starts handing this sale over. */
  startSlot: string;
  /** When its last reminder is expected to be handed over at this pace. */
  finishesAt: string;
  /** `finishesAt` is at least ON_TIME_MARGIN_SECONDS before the sale's start. */
  onTime: boolean;
}

export interface RunSchedule {
  /** The sales this run hands over, earliest start first, each with its pace. */
  sales: ScheduledSale[];
  /** Sales of this run's window that an earlier run already hands over (`STARTED_EARLIER`). */
  startedEarlier: SaleDemand[];
  /** Messages per second kept for sales earlier runs are still handing over. */
  reservedMps: number;
}

const ms = (instant: string) => Date.parse(instant);
const deadlineOf = (sale: { startsAt: string }) => ms(sale.startsAt) - ON_TIME_MARGIN_SECONDS * 1000;
const byStart = (a: SaleDemand, b: SaleDemand) =>
  ms(a.startsAt) - ms(b.startsAt) || a.saleId.localeCompare(b.saleId);

/** The run (slot start) whose window holds a sale starting at `startsAt`. */
export function ownSlot(startsAt: string, leadMinutes: number): string {
  return slotStart(new Date(ms(startsAt) - leadMinutes * 60_000));
}

/**
 * The run that must start each sale. Going back from the latest deadline, each sale takes the whole
 * budget for `messages / providerMps` seconds, as late as it can (before its deadline and before the
 * later sales' turns): the latest instant it can begin. A sale whose latest beginning comes before its
 * own run's first hand-over starts in the run of an earlier window, as many windows back as needed.
 */
export function startSlots(sales: readonly SaleDemand[], settings: BudgetSettings): Map<string, string> {
  const startup = (settings.startupSeconds ?? DEFAULT_STARTUP_SECONDS) * 1000;
  const slots = new Map<string, string>();
  let free = Number.POSITIVE_INFINITY;
  for (const sale of [...sales].sort((a, b) => byStart(b, a))) {
    const end = Math.min(deadlineOf(sale), free);
    const begin = end - (sale.messages / settings.providerMps) * 1000;
    free = begin;
    const own = Date.parse(ownSlot(sale.startsAt, settings.leadMinutes));
    const latest = Math.floor((begin - startup) / SLOT_MS) * SLOT_MS;
    slots.set(sale.saleId, new Date(Math.min(own, latest)).toISOString());
  }
  return slots;
}

/**
 * Shares `availableMps` between the sales of one run. Weighted by message counts, every sale finishes
 * at the same time; when that time is too late for a sale, the sales are served earliest start first
 * with the pace each needs to finish on time, and what is left is shared by message counts.
 */
export function shareBudget(
  sales: readonly SaleDemand[],
  now: Date,
  availableMps: number,
  settings: BudgetSettings,
): ScheduledSale[] {
  const ordered = [...sales].sort(byStart);
  const firstHandOver = now.getTime() + (settings.startupSeconds ?? DEFAULT_STARTUP_SECONDS) * 1000;
  const total = ordered.reduce((sum, sale) => sum + sale.messages, 0);
  const budget = Math.max(0, availableMps);
  // The pace each sale needs to be on time; past that, to finish before its start; past its start, none.
  const needed = ordered.map((sale) => {
    const onTime = (deadlineOf(sale) - firstHandOver) / 1000;
    const beforeStart = (ms(sale.startsAt) - firstHandOver) / 1000;
    const seconds = onTime > 0 ? onTime : beforeStart;
    const need = seconds > 0 ? sale.messages / seconds : 0;
    // Senders' paces are whole thousandths, rounded down: ask for one more per sender.
    return need > 0 ? need + 0.001 * settings.maxSendersPerSale : 0;
  });
  const weighted = ordered.map((sale) => (total > 0 ? (budget * sale.messages) / total : 0));
  let rates = weighted;
  if (weighted.some((rate, i) => rate < (needed[i] ?? 0))) {
    let left = budget;
    rates = needed.map((need) => {
      const rate = Math.min(need, left);
      left -= rate;
      return rate;
    });
    rates = rates.map((rate, i) => rate + (total > 0 ? (left * (ordered[i]?.messages ?? 0)) / total : 0));
  }
  return ordered.map((sale, i) => {
    const pace = paceFor(rates[i] ?? 0, settings);
    const finishes = firstHandOver + (sale.messages / pace.mps) * 1000;
    return {
      ...sale,
      ...pace,
      startSlot: slotStart(now),
      finishesAt: new Date(finishes).toISOString(),
      onTime: finishes <= deadlineOf(sale),
    };
  });
}

/**
 * A sale's rate as whole senders: as many as it has shards, so every shard runs at once and, each paced by
 * its share of the sale (RenderPage), all finish together with the budget used to the end. Each sender is
 * at most `senderMps`; a sale too slow for every shard at SLOWEST_SENDER_MPS gets fewer senders.
 */
export function paceFor(rate: number, settings: BudgetSettings): SalePace {
  const senders = Math.max(
    1,
    Math.min(settings.maxSendersPerSale, Math.floor(rate / SLOWEST_SENDER_MPS + 1e-9)),
  );
  const capped = Math.min(rate / senders, settings.senderMps);
  const senderMps = Math.max(SLOWEST_SENDER_MPS, Math.floor(capped * 1000 + 1e-6) / 1000);
  return { senders, senderMps, mps: Math.round(senders * senderMps * 1000) / 1000 };
}

/**
 * The plan of the run scheduled at `scheduledTime`, from every sale of its look-ahead (its own window
 * and the windows after it). It hands over the sales whose start run is this one or an earlier one that
 * did not take them; the sales earlier runs took keep their share of the budget until they start.
 */
export function planRun(input: {
  scheduledTime: string;
  now: Date;
  window: { start: string; end: string };
  sales: readonly SaleDemand[];
  settings: BudgetSettings;
}): RunSchedule {
  const thisSlot = ms(slotStart(input.scheduledTime));
  const upcoming = input.sales.filter((sale) => ms(sale.startsAt) >= ms(input.window.start));
  const slots = startSlots(upcoming, input.settings);
  const inWindow = (sale: SaleDemand) =>
    ms(sale.startsAt) >= ms(input.window.start) && ms(sale.startsAt) < ms(input.window.end);
  const mine: SaleDemand[] = [];
  const startedEarlier: SaleDemand[] = [];
  let reservedMps = 0;
  for (const sale of upcoming) {
    const slot = ms(slots.get(sale.saleId) ?? input.window.start);
    if (slot > thisSlot) continue;
    if (slot < thisSlot && sale.takenEarlier) {
      // An earlier run hands it over: keep the pace it needs for what is left until its deadline.
      const seconds = (deadlineOf(sale) - input.now.getTime()) / 1000;
      reservedMps += seconds > 0 ? Math.min(input.settings.providerMps, sale.messages / seconds) : 0;
      if (inWindow(sale)) startedEarlier.push(sale);
      continue;
    }
    mine.push(sale);
  }
  const available = Math.max(input.settings.providerMps - reservedMps, 0);
  return {
    sales: shareBudget(mine, input.now, available, input.settings).map((sale) => ({
      ...sale,
      startSlot: new Date(thisSlot).toISOString(),
    })),
    startedEarlier: startedEarlier.sort(byStart),
    reservedMps: Math.round(reservedMps * 10) / 10,
  };
}
