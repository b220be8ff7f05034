/**
 * The sales table: one row per sale under its UTC start day, sorted by `startsAt#saleId`, so the sales of
 * a window are one Query per day the window touches (one, or two across midnight UTC).
 */
import { BatchWriteCommand, type BatchWriteCommandOutput } from '@aws-sdk/lib-dynamodb';
import type { Sale } from '#shared/domain/model';
import { utcDay, type Window, windowDays } from '#shared/domain/windows';
import { TableRepository } from './table-repository';

export interface SaleRow extends Sale {
  day: string;
  startsAtSaleId: string;
  expiresAt: number;
}

const BATCH_WRITE_LIMIT = 25;
const RETENTION_SECONDS = 30 * 24 * 3600;

/** Canonical instant text (toISOString), so string order is time order in sort keys. */
export function canonicalInstant(instant: string): string {
  return new Date(instant).toISOString();
}

export function toSaleRow(sale: Sale): SaleRow {
  const startsAt = canonicalInstant(sale.startsAt);
  return {
    ...sale,
    startsAt,
    day: utcDay(startsAt),
    startsAtSaleId: `${startsAt}#${sale.saleId}`,
    expiresAt: Math.floor(Date.parse(startsAt) / 1000) + RETENTION_SECONDS,
  };
}

export class SalesRepository extends TableRepository {
  /** The sales that start in [window.start, window.end), earliest first. */
  async inWindow(window: Window): Promise<SaleRow[]> {
    const start = canonicalInstant(window.start);
    const end = canonicalInstant(window.end);
    const rows: SaleRow[] = [];
    for (const day of windowDays(window)) {
      const sales = await this.queryAll<SaleRow>({
        // `${end}` sorts before every `${end}#saleId`, so BETWEEN excludes sales starting at `end`.
        KeyConditionExpression: '#day = :day AND startsAtSaleId BETWEEN :start AND :end',
        ExpressionAttributeNames: { '#day': 'day' },
        ExpressionAttributeValues: { ':day': day, ':start': start, ':end': end },
      });
      rows.push(...sales);
    }
    return rows;
  }

  /**
   * Makes the table match an event's current sales: new and moved sales are written under their (new)
   * start, rows of moved or removed sales are deleted, so a moved sale is reminded at its new time only.
   */
  async sync(previous: Sale[], current: Sale[]): Promise<{ written: number; deleted: number }> {
    const currentRows = new Map(current.map((sale) => [sale.saleId, toSaleRow(sale)]));
    const stale = previous
      .map(toSaleRow)
      .filter((row) => currentRows.get(row.saleId)?.startsAtSaleId !== row.startsAtSaleId);
    // Current rows are always rewritten (a handful per event): the table heals if a row went missing.
    const fresh = [...currentRows.values()];
    const requests = [
      ...stale.map((row) => ({
        DeleteRequest: { Key: { day: row.day, startsAtSaleId: row.startsAtSaleId } },
      })),
      ...fresh.map((row) => ({ PutRequest: { Item: row } })),
    ];
    await this.batchWrite(requests);
    return { written: fresh.length, deleted: stale.length };
  }

  /** Writes rows as they are (seeding, backfills). */
  async putAll(sales: Sale[]): Promise<void> {
    await this.batchWrite(sales.map((sale) => ({ PutRequest: { Item: toSaleRow(sale) } })));
  }

  private async batchWrite(requests: Array<Record<string, unknown>>): Promise<void> {
    for (let i = 0; i < requests.length; i += BATCH_WRITE_LIMIT) {
      let pending: Array<Record<string, unknown>> | undefined = requests.slice(i, i + BATCH_WRITE_LIMIT);
      for (let round = 0; pending && pending.length > 0; round++) {
        if (round > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 50 * 2 ** round)));
        const result: BatchWriteCommandOutput = await this.documents.send(
          new BatchWriteCommand({ RequestItems: { [this.tableName]: pending } }),
        );
        pending = result.UnprocessedItems?.[this.tableName];
      }
    }
  }
}
