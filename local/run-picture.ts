/**
 * The picture of a window run (SVG, written by `npm start`): for each processed sale, the cumulative
 * number of reminders handed to the provider against time, with the sale's start marked by a vertical
 * line of the same colour and the on-time limit (start minus 5 minutes) dashed. A curve that ends left of
 * its dashed line was on time. Plain SVG 1.1 text, no dependency.
 */
import { ON_TIME_MARGIN_SECONDS } from '#shared/window/deadline-plan';
import type { HandOverSeries } from './summary';

const WIDTH = 960;
const PLOT = { left: 70, right: 30, top: 40, bottom: 60 };
const PLOT_HEIGHT = 320;
const LEGEND_LINE = 18;
/** Points per curve at most: a 50,000-fan sale still draws as a light file. */
const MAX_POINTS = 400;
const COLOURS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#17becf', '#8c564b', '#e377c2'];

export interface RunPicture {
  title: string;
  series: HandOverSeries[];
}

export function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** The cumulative curve of a sorted list of instants, as at most `max` (time, count) steps; the last is exact. */
export function cumulative(times: readonly string[], max = MAX_POINTS): Array<[number, number]> {
  const sorted = times.map((t) => Date.parse(t)).sort((a, b) => a - b);
  const step = Math.max(1, Math.ceil(sorted.length / max));
  const points: Array<[number, number]> = [];
  for (let i = step - 1; i < sorted.length; i += step) points.push([sorted[i] as number, i + 1]);
  const last = sorted.at(-1);
  if (last !== undefined && points.at(-1)?.[1] !== sorted.length) points.push([last, sorted.length]);
  return points;
}

const clock = (ms: number) => new Date(ms).toISOString().slice(11, 19);

export function renderRunPicture(picture: RunPicture): string {
  const series = picture.series.map((sale, i) => ({
    ...sale,
    colour: COLOURS[i % COLOURS.length] as string,
    points: cumulative(sale.times),
    start: Date.parse(sale.startsAt),
  }));
  const instants = series.flatMap((sale) => [
    ...sale.points.map(([t]) => t),
    ...(Number.isNaN(sale.start) ? [] : [sale.start]),
  ]);
  const firstPoint = series.flatMap((sale) => sale.points.slice(0, 1).map(([t]) => t));
  const t0 = Math.min(...(firstPoint.length > 0 ? firstPoint : instants), Number.POSITIVE_INFINITY);
  const t1 = Math.max(...instants, Number.NEGATIVE_INFINITY);
  const from = Number.isFinite(t0) ? t0 : 0;
  const to = Number.isFinite(t1) && t1 > from ? t1 : from + 60_000;
  const span = to - from;
  const plotWidth = WIDTH - PLOT.left - PLOT.right;
  const maxCount = Math.max(1, ...series.map((sale) => sale.times.length));
  const x = (t: number) => PLOT.left + ((t - from) / span) * plotWidth;
  const y = (count: number) => PLOT.top + PLOT_HEIGHT - (count / maxCount) * PLOT_HEIGHT;
  const height = PLOT.top + PLOT_HEIGHT + PLOT.bottom + series.length * LEGEND_LINE + 10;
  const f = (n: number) => n.toFixed(1);

  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${WIDTH}" height="${height}" fill="#ffffff"/>`,
    `<text x="${PLOT.left}" y="22" font-size="15">${escapeXml(picture.title)}</text>`,
    // Axes
    `<line x1="${PLOT.left}" y1="${PLOT.top + PLOT_HEIGHT}" x2="${WIDTH - PLOT.right}" y2="${PLOT.top + PLOT_HEIGHT}" stroke="#333"/>`,
    `<line x1="${PLOT.left}" y1="${PLOT.top}" x2="${PLOT.left}" y2="${PLOT.top + PLOT_HEIGHT}" stroke="#333"/>`,
  ];
  for (let i = 0; i <= 5; i++) {
    const t = from + (span * i) / 5;
    out.push(
      `<line x1="${f(x(t))}" y1="${PLOT.top + PLOT_HEIGHT}" x2="${f(x(t))}" y2="${PLOT.top + PLOT_HEIGHT + 5}" stroke="#333"/>`,
      `<text x="${f(x(t))}" y="${PLOT.top + PLOT_HEIGHT + 18}" text-anchor="middle">${clock(t)}</text>`,
    );
  }
  for (const count of [0, Math.round(maxCount / 2), maxCount]) {
    out.push(
      `<line x1="${PLOT.left - 5}" y1="${f(y(count))}" x2="${PLOT.left}" y2="${f(y(count))}" stroke="#333"/>`,
      `<text x="${PLOT.left - 8}" y="${f(y(count) + 4)}" text-anchor="end">${count}</text>`,
    );
  }
  out.push(
    `<text x="${PLOT.left + plotWidth / 2}" y="${PLOT.top + PLOT_HEIGHT + 38}" text-anchor="middle">time (UTC)</text>`,
    `<text x="16" y="${PLOT.top + PLOT_HEIGHT / 2}" text-anchor="middle" transform="rotate(-90 16 ${PLOT.top + PLOT_HEIGHT / 2})">reminders handed over</text>`,
  );
  for (const sale of series) {
    if (!Number.isNaN(sale.start)) {
      const onTimeLimit = sale.start - ON_TIME_MARGIN_SECONDS * 1000;
      out.push(
        `<line class="start" data-sale="${escapeXml(sale.saleId)}" x1="${f(x(sale.start))}" y1="${PLOT.top}" x2="${f(x(sale.start))}" y2="${PLOT.top + PLOT_HEIGHT}" stroke="${sale.colour}" stroke-width="2"/>`,
      );
      if (onTimeLimit >= from) {
        out.push(
          `<line class="on-time-limit" x1="${f(x(onTimeLimit))}" y1="${PLOT.top}" x2="${f(x(onTimeLimit))}" y2="${PLOT.top + PLOT_HEIGHT}" stroke="${sale.colour}" stroke-dasharray="4 4"/>`,
        );
      }
    }
    if (sale.points.length > 0) {
      // A step curve from zero at the first hand-over.
      const [firstT] = sale.points[0] as [number, number];
      const steps = [`${f(x(firstT))},${f(y(0))}`];
      let previous = 0;
      for (const [t, count] of sale.points) {
        steps.push(`${f(x(t))},${f(y(previous))}`, `${f(x(t))},${f(y(count))}`);
        previous = count;
      }
      out.push(
        `<polyline class="handed-over" data-sale="${escapeXml(sale.saleId)}" data-total="${sale.times.length}" fill="none" stroke="${sale.colour}" stroke-width="2" points="${steps.join(' ')}"/>`,
      );
    }
  }
  series.forEach((sale, i) => {
    const lineY = PLOT.top + PLOT_HEIGHT + PLOT.bottom + i * LEGEND_LINE;
    const last = sale.points.at(-1)?.[0];
    const verdict =
      last === undefined
        ? 'nothing handed over'
        : `${sale.times.length} handed over ${clock(sale.points[0]?.[0] ?? last)}-${clock(last)}, sale starts ${clock(sale.start)}`;
    out.push(
      `<rect x="${PLOT.left}" y="${lineY - 9}" width="12" height="12" fill="${sale.colour}"/>`,
      `<text x="${PLOT.left + 18}" y="${lineY + 1}">${escapeXml(`${sale.name ?? sale.saleId} (${sale.saleId}): ${verdict}`)}</text>`,
    );
  });
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
