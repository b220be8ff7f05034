/** The chaos suite's table: one row per scenario, then the details (failure reasons, losses, notes). */
import type { CorpusResult } from './corpus';
import { countSum, holds } from './invariants';
import type { ScenarioResult } from './scenarios';

const HEADERS = [
  'scenario',
  'outcome',
  'fans',
  'records',
  'sends',
  'max/key',
  'dup',
  'stray',
  'lost',
  'failed',
  'max att',
  'stuck',
  'ok',
];

function formatCounts(counts: Record<string, number>): string {
  const entries = Object.entries(counts);
  return entries.length === 0 ? '-' : entries.map(([key, n]) => `${key} ${n}`).join(', ');
}

function pad(rows: string[][], leftColumns = 2): string[] {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((row) => (row[i] ?? '').length))) ?? [];
  return rows.map((row) =>
    row
      .map((cell, i) =>
        i < leftColumns || (i === row.length - 1 && leftColumns > 2)
          ? cell.padEnd(widths[i] ?? 0)
          : cell.padStart(widths[i] ?? 0),
      )
      .join('  ')
      .trimEnd(),
  );
}

export function formatTable(results: ScenarioResult[]): string[] {
  const rows = [HEADERS];
  for (const r of results) {
    const ok = r.succeeded && holds(r.report) && !r.notes.some((note) => note.startsWith('VIOLATION'));
    rows.push([
      r.name,
      r.outcome,
      String(r.report.expected),
      String(r.report.records),
      String(r.report.sends),
      String(r.report.maxSendsPerKey),
      String(r.report.duplicates),
      String(r.report.strays),
      String(countSum(r.report.lost)),
      String(countSum(r.report.failedByReason) + r.report.failedWithoutReason),
      String(r.report.maxAttempts),
      String(countSum(r.report.stuck)),
      ok ? 'yes' : 'NO',
    ]);
  }
  const lines = pad(rows);
  lines.splice(1, 0, '-'.repeat(lines[0]?.length ?? 0));
  lines.push(
    '',
    'fans: demand records of processed sales; sends: messages the SMS and SES sandboxes recorded;',
  );
  lines.push(
    'max/key: most sends of one (fan, sale, channel); lost: fans with no send and no FAILED reason.',
  );
  lines.push('', 'details:');
  for (const r of results) {
    lines.push(`  ${r.name}: ${r.fault}`);
    lines.push(`    failed by reason: ${formatCounts(r.report.failedByReason)}`);
    if (countSum(r.report.lost) > 0) lines.push(`    LOST: ${formatCounts(r.report.lost)}`);
    if (countSum(r.report.stuck) > 0) lines.push(`    STUCK: ${formatCounts(r.report.stuck)}`);
    if (r.report.smsWithoutLink > 0) lines.push(`    SMS WITHOUT LINK: ${r.report.smsWithoutLink}`);
    if (r.report.failedWithoutReason > 0)
      lines.push(`    FAILED WITHOUT REASON: ${r.report.failedWithoutReason}`);
    if (r.report.overAttempts > 0)
      lines.push(`    OVER ${r.report.maxAttempts} ATTEMPTS: ${r.report.overAttempts}`);
    if (r.report.failedButSent > 0)
      lines.push(`    FINDING: ${r.report.failedButSent} FAILED records whose message the provider accepted`);
    for (const note of r.notes) lines.push(`    ${note}`);
  }
  return lines;
}

export function formatCorpus(results: CorpusResult[]): string[] {
  const rows = [['bad input', 'entry point', 'handled', 'error']];
  for (const r of results) rows.push([r.name, r.entry, r.ok ? 'yes' : 'NO', r.detail.slice(0, 90)]);
  const lines = pad(rows, 4);
  lines.splice(1, 0, '-'.repeat(lines[0]?.length ?? 0));
  return lines;
}
