import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type KinesisClient, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import type { KinesisStreamEvent, KinesisStreamRecord } from 'aws-lambda';
import { DrainTimeoutError } from '#local/stack/errors';
import { ensureStream, type LocalKinesis, makeKinesisClient, startKinesis } from '#local/stack/kinesis';
import { KinesisEventSourcePoller, type KinesisEventSourcePollerOptions } from '#local/stack/kinesis-poller';

let kinesis: LocalKinesis;
let client: KinesisClient;
let streamCounter = 0;
const pollers: KinesisEventSourcePoller[] = [];

beforeAll(async () => {
  kinesis = await startKinesis();
  client = makeKinesisClient(kinesis.endpoint);
});

afterEach(async () => {
  await Promise.all(pollers.splice(0).map((poller) => poller.stop()));
});

afterAll(async () => {
  client.destroy();
  await kinesis.stop();
});

async function newStream(shardCount = 1): Promise<string> {
  streamCounter += 1;
  const name = `test-stream-${streamCounter}`;
  await ensureStream(client, name, shardCount);
  return name;
}

/** Puts JSON bodies {n} in order; returns their sequence numbers. */
async function put(stream: string, values: number[], partitionKey = 'same-shard'): Promise<string[]> {
  const { Records } = await client.send(
    new PutRecordsCommand({
      StreamName: stream,
      Records: values.map((n) => ({ PartitionKey: partitionKey, Data: Buffer.from(JSON.stringify({ n })) })),
    }),
  );
  return (Records ?? []).map((r) => r.SequenceNumber ?? '');
}

const bodyValue = (record: KinesisStreamRecord): number =>
  (JSON.parse(Buffer.from(record.kinesis.data, 'base64').toString('utf8')) as { n: number }).n;

function poller(options: Omit<KinesisEventSourcePollerOptions, 'client'>): KinesisEventSourcePoller {
  const created = new KinesisEventSourcePoller({ client, pollIntervalMs: 10, ...options });
  pollers.push(created);
  return created;
}

describe('KinesisEventSourcePoller', () => {
  it('delivers Lambda-shaped Kinesis events, in order, in batches of batchSize', async () => {
    const stream = await newStream();
    const sequenceNumbers = await put(stream, [1, 2, 3, 4, 5, 6, 7]);
    const events: KinesisStreamEvent[] = [];
    const p = poller({
      streamName: stream,
      batchSize: 3,
      handler: async (event) => {
        events.push(event);
      },
    });
    await p.start();
    await p.drain(5000);

    expect(events.map((e) => e.Records.map(bodyValue))).toEqual([[1, 2, 3], [4, 5, 6], [7]]);
    const first = events[0]?.Records[0];
    expect(first).toEqual({
      kinesis: {
        kinesisSchemaVersion: '1.0',
        partitionKey: 'same-shard',
        sequenceNumber: sequenceNumbers[0],
        data: Buffer.from(JSON.stringify({ n: 1 })).toString('base64'),
        approximateArrivalTimestamp: expect.any(Number),
      },
      eventSource: 'aws:kinesis',
      eventVersion: '1.0',
      eventID: `shardId-000000000000:${sequenceNumbers[0]}`,
      eventName: 'aws:kinesis:record',
      invokeIdentityArn: expect.stringMatching(/^arn:aws:iam::\d{12}:role\//),
      awsRegion: 'us-east-1',
      eventSourceARN: expect.stringMatching(new RegExp(`^arn:aws:kinesis:us-east-1:\\d+:stream/${stream}$`)),
    });
    // Seconds, not milliseconds.
    expect(Math.abs((first?.kinesis.approximateArrivalTimestamp ?? 0) - Date.now() / 1000)).toBeLessThan(60);
    expect(p.stats).toEqual({ batches: 3, records: 7, failures: 0, retries: 0 });
  });

  it('retries from the lowest failed sequence number reported in batchItemFailures', async () => {
    const stream = await newStream();
    const sequenceNumbers = await put(stream, [1, 2, 3, 4, 5]);
    const seen: number[][] = [];
    let failedOnce = false;
    const p = poller({
      streamName: stream,
      batchSize: 5,
      handler: async (event) => {
        seen.push(event.Records.map(bodyValue));
        if (failedOnce) return { batchItemFailures: [] };
        failedOnce = true;
        // Records 3 and 5 fail: the checkpoint is at 3, so 1 and 2 are never delivered again.
        return {
          batchItemFailures: [{ itemIdentifier: sequenceNumbers[4] }, { itemIdentifier: sequenceNumbers[2] }],
        };
      },
    });
    await p.start();
    await p.drain(5000);

    expect(seen).toEqual([
      [1, 2, 3, 4, 5],
      [3, 4, 5],
    ]);
    expect(p.stats).toEqual({ batches: 2, records: 5, failures: 0, retries: 1 });
  });

  it('retries a batch whose handler throws, then moves on', async () => {
    const stream = await newStream();
    await put(stream, [1, 2, 3]);
    const seen: number[][] = [];
    const p = poller({
      streamName: stream,
      batchSize: 2,
      handler: async (event) => {
        seen.push(event.Records.map(bodyValue));
        if (seen.length === 1) throw new Error('transient');
      },
    });
    await p.start();
    await p.drain(5000);
    expect(seen).toEqual([[1, 2], [1, 2], [3]]);
  });

  it('gives up after maximumRetryAttempts: the rest of the batch goes to onFailure and the shard moves on', async () => {
    const stream = await newStream();
    const sequenceNumbers = await put(stream, [1, 2, 3, 4, 5]);
    const dir = await mkdtemp(join(tmpdir(), 'dmd-poller-'));
    const failureFile = join(dir, 'failures.jsonl');
    const seen: number[][] = [];
    const failed: Array<{ values: number[]; error: unknown }> = [];
    const p = poller({
      streamName: stream,
      batchSize: 4,
      maximumRetryAttempts: 2,
      failureFile,
      onFailure: (records, error) => failed.push({ values: records.map(bodyValue), error }),
      handler: async (event) => {
        seen.push(event.Records.map(bodyValue));
        const poison = event.Records.find((r) => bodyValue(r) === 2);
        return poison
          ? { batchItemFailures: [{ itemIdentifier: poison.kinesis.sequenceNumber }] }
          : undefined;
      },
    });
    try {
      await p.start();
      await p.drain(5000);

      // First attempt + 2 retries from record 2; then records 2..4 are given up and 5 is processed.
      expect(seen).toEqual([[1, 2, 3, 4], [2, 3, 4], [2, 3, 4], [5]]);
      expect(failed).toHaveLength(1);
      expect(failed[0]?.values).toEqual([2, 3, 4]);
      expect(failed[0]?.error).toMatchObject({
        name: 'BatchItemFailuresError',
        sequenceNumbers: [sequenceNumbers[1]],
      });
      expect(p.failures[0]?.attempts).toBe(3);
      expect(p.stats).toEqual({ batches: 4, records: 2, failures: 3, retries: 2 });

      // The file holds Lambda's on-failure record: where the records are, not their data.
      const lines = (await readFile(failureFile, 'utf8')).trim().split('\n');
      expect(lines).toHaveLength(1);
      const line = JSON.parse(lines[0] ?? '{}');
      expect(line.KinesisBatchInfo).toMatchObject({
        shardId: 'shardId-000000000000',
        startSequenceNumber: sequenceNumbers[1],
        endSequenceNumber: sequenceNumbers[3],
        batchSize: 3,
      });
      expect(line.requestContext.condition).toBe('RetryAttemptsExhausted');
      expect(lines[0]).not.toContain(Buffer.from(JSON.stringify({ n: 2 })).toString('base64'));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('bisects a failing batch on a thrown error to isolate the bad record', async () => {
    const stream = await newStream();
    await put(stream, [1, 2, 3, 4]);
    const seen: number[][] = [];
    const failed: number[][] = [];
    const p = poller({
      streamName: stream,
      batchSize: 4,
      maximumRetryAttempts: 0,
      bisectBatchOnFunctionError: true,
      onFailure: (records) => failed.push(records.map(bodyValue)),
      handler: async (event) => {
        const values = event.Records.map(bodyValue);
        seen.push(values);
        if (values.includes(3)) throw new Error('poison');
      },
    });
    await p.start();
    await p.drain(5000);

    expect(seen).toEqual([[1, 2, 3, 4], [1, 2], [3, 4], [3], [4]]);
    expect(failed).toEqual([[3]]);
  });

  it('reads every shard, each in order', async () => {
    const stream = await newStream(3);
    const keys = ['a', 'b', 'c', 'd', 'e', 'f'];
    for (const [i, key] of keys.entries()) await put(stream, [i * 10 + 1, i * 10 + 2, i * 10 + 3], key);
    const byPartition = new Map<string, number[]>();
    const shardIds = new Set<string>();
    const p = poller({
      streamName: stream,
      batchSize: 2,
      handler: async (event) => {
        for (const record of event.Records) {
          shardIds.add(record.eventID.split(':')[0] ?? '');
          const list = byPartition.get(record.kinesis.partitionKey) ?? [];
          list.push(bodyValue(record));
          byPartition.set(record.kinesis.partitionKey, list);
        }
      },
    });
    await p.start();
    await p.drain(5000);

    expect(shardIds.size).toBeGreaterThan(1);
    for (const [i, key] of keys.entries())
      expect(byPartition.get(key)).toEqual([i * 10 + 1, i * 10 + 2, i * 10 + 3]);
  });

  it('drain waits for records put before the call, including slow handlers', async () => {
    const stream = await newStream();
    const p = poller({
      streamName: stream,
      startingPosition: 'LATEST',
      handler: async () => {
        await new Promise((resolve) => setTimeout(resolve, 150));
      },
    });
    await p.start();
    await p.drain(5000);
    expect(p.stats.records).toBe(0);

    await put(stream, [1, 2]);
    await put(stream, [3]);
    await p.drain(5000);
    expect(p.stats.records).toBe(3);
  });

  it('drain rejects with DrainTimeoutError when the shard cannot catch up in time', async () => {
    const stream = await newStream();
    await put(stream, [1]);
    const p = poller({
      streamName: stream,
      maximumRetryAttempts: -1,
      handler: async () => {
        throw new Error('always');
      },
    });
    await p.start();
    await expect(p.drain(300)).rejects.toBeInstanceOf(DrainTimeoutError);
    expect(p.stats.retries).toBeGreaterThan(0);
    expect(p.stats.failures).toBe(0);
  });
});
