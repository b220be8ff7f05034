/** A sale monitoring pass's report as the lines the local CLI prints. */
import type { SaleMonitorReport } from '#shared/monitoring/sale-monitor';

export function formatMonitorReport(report: SaleMonitorReport): string[] {
  const lines = [
    `monitoring pass at ${report.at}: sales until ${report.horizon.end}`,
    `  events: ${report.events} with a sale in the horizon, ${report.watched} with sign-ups, ${report.refreshed} refreshed (${report.discoveryRequests} Discovery requests)`,
  ];
  for (const sale of report.added) lines.push(`  added: ${sale.saleId} at ${sale.startsAt}`);
  for (const move of report.moved) lines.push(`  moved: ${move.saleId} from ${move.from} to ${move.to}`);
  for (const sale of report.removed) lines.push(`  removed: ${sale.saleId}`);
  for (const eventId of report.cancelled) lines.push(`  cancelled: event ${eventId}`);
  for (const eventId of report.postponed) lines.push(`  postponed: event ${eventId}`);
  if (report.unreached.length > 0) {
    lines.push(`  not reached in this pass (request budget or time): ${report.unreached.join(', ')}`);
  }
  for (const failure of report.failed) lines.push(`  failed: event ${failure.eventId}: ${failure.error}`);
  return lines;
}
