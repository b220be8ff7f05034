/** The scale curve as an SVG: time and AWS requests per notification against fans (log scale). */

export interface ScalePoint {
  fans: number;
  msPerNotification: number;
  requestsPerNotification: number;
}

const WIDTH = 640;
const PANEL = 220;
const MARGIN = { left: 70, right: 20, top: 30, bottom: 40 };

function panel(
  points: readonly ScalePoint[],
  value: (point: ScalePoint) => number,
  title: string,
  top: number,
  color: string,
): string {
  const xs = points.map((point) => Math.log10(Math.max(1, point.fans)));
  const minX = Math.min(...xs);
  const maxX = Math.max(...xs);
  const maxY = Math.max(...points.map(value), 0) * 1.2 || 1;
  const plotW = WIDTH - MARGIN.left - MARGIN.right;
  const plotH = PANEL - MARGIN.top - MARGIN.bottom;
  const x = (v: number) => MARGIN.left + (maxX === minX ? plotW / 2 : ((v - minX) / (maxX - minX)) * plotW);
  const y = (v: number) => top + MARGIN.top + plotH - (v / maxY) * plotH;
  const coords = points.map((point, i) => `${x(xs[i] ?? 0).toFixed(1)},${y(value(point)).toFixed(1)}`);
  const labels = points
    .map((point, i) => {
      const cx = x(xs[i] ?? 0).toFixed(1);
      const cy = y(value(point)).toFixed(1);
      return (
        `<circle cx="${cx}" cy="${cy}" r="4" fill="${color}"/>` +
        `<text x="${cx}" y="${(Number(cy) - 8).toFixed(1)}" text-anchor="middle" font-size="11">${value(point).toFixed(2)}</text>` +
        `<text x="${cx}" y="${top + PANEL - 18}" text-anchor="middle" font-size="11">${point.fans.toLocaleString('en-US')}</text>`
      );
    })
    .join('');
  const axisY = top + MARGIN.top + plotH;
  return [
    `<text x="${MARGIN.left}" y="${top + 18}" font-size="13" font-weight="bold">${title}</text>`,
    `<line x1="${MARGIN.left}" y1="${axisY}" x2="${WIDTH - MARGIN.right}" y2="${axisY}" stroke="#888"/>`,
    `<line x1="${MARGIN.left}" y1="${top + MARGIN.top}" x2="${MARGIN.left}" y2="${axisY}" stroke="#888"/>`,
    `<text x="${MARGIN.left - 6}" y="${top + MARGIN.top + 4}" text-anchor="end" font-size="10">${maxY.toFixed(2)}</text>`,
    `<text x="${MARGIN.left - 6}" y="${axisY}" text-anchor="end" font-size="10">0</text>`,
    `<polyline fill="none" stroke="${color}" stroke-width="2" points="${coords.join(' ')}"/>`,
    labels,
  ].join('\n');
}

export function scaleChartSvg(points: readonly ScalePoint[], subtitle = ''): string {
  const height = PANEL * 2 + 30;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" font-family="sans-serif">`,
    '<title>Scale curve: pipeline time and AWS requests per notification against fans</title>',
    `<rect width="100%" height="100%" fill="white"/>`,
    panel(points, (p) => p.msPerNotification, 'Pipeline time per notification (ms)', 0, '#1f77b4'),
    panel(points, (p) => p.requestsPerNotification, 'AWS requests per notification', PANEL, '#d62728'),
    `<text x="${WIDTH / 2}" y="${height - 8}" text-anchor="middle" font-size="11">fans (log scale)${subtitle ? ` · ${subtitle}` : ''}</text>`,
    '</svg>',
  ].join('\n');
}

export interface PacingSeries {
  label: string;
  /** Messages accepted in each whole second from the first acceptance. */
  perSecond: readonly number[];
}

const PACING_COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd'];

/** Messages per second over time against the budget (a dashed line), one line per pacing run. */
export function pacingChartSvg(series: readonly PacingSeries[], budget: number, subtitle = ''): string {
  const height = 300;
  const plotW = WIDTH - MARGIN.left - MARGIN.right;
  const plotH = height - MARGIN.top - MARGIN.bottom - 20;
  const seconds = Math.max(1, ...series.map((s) => s.perSecond.length));
  const maxY = Math.max(budget, ...series.flatMap((s) => s.perSecond)) * 1.15 || 1;
  const x = (second: number) => MARGIN.left + (second / seconds) * plotW;
  const y = (value: number) => MARGIN.top + plotH - (value / maxY) * plotH;
  const axisY = MARGIN.top + plotH;
  const lines = series.map((s, i) => {
    const color = PACING_COLORS[i % PACING_COLORS.length] ?? '#000';
    // Each whole second drawn at its middle.
    const points = s.perSecond.map((value, second) => `${x(second + 0.5).toFixed(1)},${y(value).toFixed(1)}`);
    return (
      `<polyline fill="none" stroke="${color}" stroke-width="1.5" points="${points.join(' ')}"/>` +
      `<text x="${WIDTH - MARGIN.right}" y="${MARGIN.top + 14 * (i + 1)}" text-anchor="end" font-size="11" fill="${color}">${escapeXml(s.label)}</text>`
    );
  });
  const ticks = Array.from({ length: 6 }, (_, i) => Math.round((seconds * i) / 5)).map(
    (second) =>
      `<text x="${x(second).toFixed(1)}" y="${axisY + 14}" text-anchor="middle" font-size="10">${second}</text>`,
  );
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" font-family="sans-serif">`,
    '<title>Pacing: SMS accepted per second against the budget</title>',
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="${MARGIN.left}" y="18" font-size="13" font-weight="bold">SMS accepted per second against the budget (${budget} msg/s)</text>`,
    `<line x1="${MARGIN.left}" y1="${axisY}" x2="${WIDTH - MARGIN.right}" y2="${axisY}" stroke="#888"/>`,
    `<line x1="${MARGIN.left}" y1="${MARGIN.top}" x2="${MARGIN.left}" y2="${axisY}" stroke="#888"/>`,
    `<line x1="${MARGIN.left}" y1="${y(budget).toFixed(1)}" x2="${WIDTH - MARGIN.right}" y2="${y(budget).toFixed(1)}" stroke="#444" stroke-dasharray="6,4"/>`,
    `<text x="${MARGIN.left - 6}" y="${(y(budget) + 4).toFixed(1)}" text-anchor="end" font-size="10">${budget}</text>`,
    `<text x="${MARGIN.left - 6}" y="${axisY}" text-anchor="end" font-size="10">0</text>`,
    ...ticks,
    ...lines,
    `<text x="${WIDTH / 2}" y="${height - 8}" text-anchor="middle" font-size="11">seconds from the first hand-over${subtitle ? ` · ${escapeXml(subtitle)}` : ''}</text>`,
    '</svg>',
  ].join('\n');
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
