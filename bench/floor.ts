/**
 * The floor: the DynamoDB writes the lifecycle cannot avoid for N notifications, issued directly on the
 * same local store with no pipeline around them. Exactly the writes the pipeline makes per notification
 * that reaches the provider: the conditional create (CREATED, with its rendered message), the TRIGGERED
 * lease and the QUEUED update. Status-stream writes (SENT, DELIVERED) are excluded, as the throughput run
 * disables status callbacks.
 */
import type { NotificationRecord, NotificationsRepository } from '#shared/data/notifications-repository';
import { notificationKey } from '#shared/domain/keys';
import { STATUS_RANK } from '#shared/domain/model';
import { mapConcurrent } from '#shared/lambda/pacing';
import { cpuBetween, type ProcessCpu, processCpu } from './processes';

export interface FloorResult {
  notifications: number;
  concurrency: number;
  writes: number;
  durationMs: number;
}

const SAMPLE_TEXT =
  'Tickets for Example Artist go on sale at 3:00 PM. Get yours: https://bit.ly/abc1234 Reply STOP to opt out';

/** Creates, leases and queues `count` notifications of a synthetic sale, `concurrency` fans at a time. */
export async function runFloor(
  notifications: NotificationsRepository,
  count: number,
  concurrency: number,
  saleId = `floor-${Date.now()}`,
): Promise<FloorResult> {
  const fans = Array.from({ length: count }, (_, index) => `fan-${String(index).padStart(7, '0')}`);
  const started = performance.now();
  await mapConcurrent(fans, concurrency, async (fanId, index) => {
    const now = new Date().toISOString();
    const record: NotificationRecord = {
      pk: notificationKey(saleId, fanId, 'SMS'),
      saleId,
      eventId: 'floor-event',
      fanId,
      channel: 'SMS',
      shard: index % 16,
      status: 'CREATED',
      statusRank: STATUS_RANK.CREATED,
      attempts: 0,
      locale: 'en-us',
      brand: 'ticketmaster',
      message: { text: SAMPLE_TEXT, encoding: 'GSM-7', segments: 1 },
      createdAt: now,
      updatedAt: now,
      executionName: 'floor',
      expiresAt: Math.floor(Date.now() / 1000) + 3600,
    };
    await notifications.createIfAbsent(record);
    await notifications.lease(record.pk, now);
    await notifications.markQueued(record.pk, `SM${index}`, now);
  });
  return {
    notifications: count,
    concurrency,
    writes: count * 3,
    durationMs: performance.now() - started,
  };
}

/** The best of the given concurrencies on a probe of `probe` notifications, then the full run at it. */
export async function bestFloor(
  notifications: NotificationsRepository,
  count: number,
  concurrencies: readonly number[] = [16, 64, 256],
  probe = Math.min(count, 2000),
): Promise<
  FloorResult & {
    probes: Array<{ concurrency: number; perSecond: number }>;
    /** CPU seconds of each process during the full run (not the probes). */
    cpu: ProcessCpu[];
  }
> {
  const probes: Array<{ concurrency: number; perSecond: number }> = [];
  for (const concurrency of concurrencies) {
    const result = await runFloor(notifications, probe, concurrency, `floor-probe-${concurrency}`);
    probes.push({ concurrency, perSecond: (probe * 1000) / result.durationMs });
  }
  const best = probes.reduce((a, b) => (b.perSecond > a.perSecond ? b : a));
  const cpuBefore = processCpu();
  const result = await runFloor(notifications, count, best.concurrency);
  return { ...result, probes, cpu: cpuBetween(cpuBefore, processCpu()) };
}
