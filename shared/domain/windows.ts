/**
 * Notification windows. Sales are bucketed in 30-minute UTC slots; a run scheduled at T handles the sales
 * starting in [slot(T) + lead, slot(T) + lead + 30 min). Everything is computed on UTC instants, so DST
 * changes and local midnights cannot shift or duplicate a window.
 */
import { InvalidWindowError } from '#shared/domain/errors';
import type { Sale } from '#shared/domain/model';

export interface Window {
  /** ISO instant, inclusive. */
  start: string;
  /** ISO instant, exclusive. */
  end: string;
}

export const SLOT_MINUTES = 30;
export const DEFAULT_LEAD_MINUTES = 30;

const SLOT_MS = SLOT_MINUTES * 60_000;

function toMillis(value: Date | string, what: string): number {
  const ms = value instanceof Date ? value.getTime() : Date.parse(value);
  if (Number.isNaN(ms)) throw new InvalidWindowError(`${what} is not a valid instant: ${String(value)}`);
  return ms;
}

/** Start of the 30-minute UTC slot that contains `instant`. */
export function slotStart(instant: Date | string): string {
  const ms = toMillis(instant, 'instant');
  return new Date(Math.floor(ms / SLOT_MS) * SLOT_MS).toISOString();
}

/** The window a run scheduled at `scheduledTime` handles (REQ-001: `leadMinutes` before the sales start). */
export function windowFor(scheduledTime: Date | string, leadMinutes: number = DEFAULT_LEAD_MINUTES): Window {
  if (!Number.isInteger(leadMinutes) || leadMinutes < 0) {
    throw new InvalidWindowError(`lead must be a non-negative whole number of minutes, got ${leadMinutes}`);
  }
  const slot = Math.floor(toMillis(scheduledTime, 'scheduledTime') / SLOT_MS) * SLOT_MS;
  const start = slot + leadMinutes * 60_000;
  return { start: new Date(start).toISOString(), end: new Date(start + SLOT_MS).toISOString() };
}

export function isInWindow(instant: string, window: Window): boolean {
  const t = Date.parse(instant);
  if (Number.isNaN(t)) return false;
  return t >= toMillis(window.start, 'window.start') && t < toMillis(window.end, 'window.end');
}

/** The sales that start in the window, by start instant then saleId. */
export function salesInWindow(sales: Sale[], window: Window): Sale[] {
  return sales
    .filter((sale) => isInWindow(sale.startsAt, window))
    .sort((a, b) => Date.parse(a.startsAt) - Date.parse(b.startsAt) || a.saleId.localeCompare(b.saleId));
}

/** UTC day (YYYY-MM-DD) of an instant: the partition key of the sales table. */
export function utcDay(instant: Date | string): string {
  return new Date(toMillis(instant, 'instant')).toISOString().slice(0, 10);
}

/** The UTC days the window touches (one, or two when it crosses midnight UTC). */
export function windowDays(window: Window): string[] {
  const start = toMillis(window.start, 'window.start');
  const end = toMillis(window.end, 'window.end');
  if (end <= start) return [utcDay(new Date(start))];
  const days: string[] = [];
  for (let day = utcDay(new Date(start)); ; ) {
    days.push(day);
    const next = Date.parse(`${day}T00:00:00.000Z`) + 86_400_000;
    if (next >= end) break;
    day = utcDay(new Date(next));
  }
  return days;
}

/** Readable Step Functions execution name for a window: `window-20261128T1000Z` (from window.start). */
export function executionName(window: Window): string {
  const iso = new Date(toMillis(window.start, 'window.start')).toISOString();
  return `window-${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}T${iso.slice(11, 13)}${iso.slice(14, 16)}Z`;
}
