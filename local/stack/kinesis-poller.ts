import { randomUUID } from 'node:crypto';
import { appendFile } from 'node:fs/promises';
import {
  type _Record,
  DescribeStreamSummaryCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type KinesisClient,
  ListShardsCommand,
  type Shard,
} from '@aws-sdk/client-kinesis';
import type { Context, KinesisStreamEvent, KinesisStreamRecord } from 'aws-lambda';
import { z } from 'zod';
import { lambdaContext } from '#local/lambda-context';
import { BatchItemFailuresError, DrainTimeoutError, PollerStateError } from './errors';

/** A Lambda handler for Kinesis events; any resolved value is read as Lambda reads it (see invoke). */
export type KinesisHandler = (event: KinesisStreamEvent, context: Context) => Promise<unknown>;

/** ReportBatchItemFailures response; null, absent or empty batchItemFailures mean success. */
const batchResponseSchema = z.object({
  batchItemFailures: z.array(z.object({ itemIdentifier: z.unknown() }).loose()).nullish(),
});

export interface KinesisEventSourcePollerOptions {
  client: KinesisClient;
  streamName: string;
  handler: KinesisHandler;
  /** Most records per invocation (default 100). */
  batchSize?: number;
  /** Retries of a failing batch before it goes to the on-failure destination (default 3; -1: forever). */
  maximumRetryAttempts?: number;
  /** On a thrown error, split the batch in two and retry each half; splits do not count as retries. */
  bisectBatchOnFunctionError?: boolean;
  startingPosition?: 'TRIM_HORIZON' | 'LATEST';
  /** Pause between polls of an idle shard, and before a retry (default 100). */
  pollIntervalMs?: number;
  /** Called with the records given up on (the on-failure destination). */
  onFailure?: (records: KinesisStreamRecord[], error: unknown) => void;
  /** Appends one JSON line per failed batch, in the shape of Lambda's on-failure record (metadata, no data). */
  failureFile?: string;
  /** Name used in the Lambda context and ARNs (default 'local-function'). */
  functionName?: string;
  /** Default: the client's region. */
  region?: string;
  /** Lambda's execution role in the records (default a local role ARN). */
  invokeIdentityArn?: string;
  /** Reported by context.getRemainingTimeInMillis() (default 60000); not enforced. */
  functionTimeoutMs?: number;
}

export interface PollerStats {
  /** Handler invocations. */
  batches: number;
  /** Records checkpointed as processed. */
  records: number;
  /** Records given up on (sent to the on-failure destination). */
  failures: number;
  /** Invocations that repeated records after a failure. */
  retries: number;
}

export interface FailedBatch {
  shardId: string;
  records: KinesisStreamRecord[];
  error: unknown;
  /** Invocations spent on these records. */
  attempts: number;
}

interface ShardState {
  shardId: string;
  iterator: string | undefined;
  lastFetchedSequenceNumber: string | undefined;
  /** Fetched records not yet checkpointed; the head is the checkpoint. */
  buffer: _Record[];
  /** Sizes of the batches still to come from a bisected batch. */
  pendingSizes: number[];
  /** Failed invocations of the current batch. */
  attempts: number;
  /** The drain epoch of the last poll that found nothing new with nothing left to process. */
  caughtUpEpoch: number;
}

type Outcome =
  | { kind: 'success' }
  | { kind: 'partial'; failedIndex: number; error: BatchItemFailuresError }
  | { kind: 'error'; error: unknown };

const ACCOUNT_ID = '000000000000';

const errorName = (error: unknown): string | undefined => (error instanceof Error ? error.name : undefined);

/**
 * Lambda's Kinesis event source mapping, locally: reads every shard of a stream in order and invokes the
 * handler with Kinesis-shaped events. A thrown error retries the batch; reported batchItemFailures
 * checkpoint at the lowest failed sequence number and retry from there; after maximumRetryAttempts the
 * rest of the batch goes to the on-failure destination and the shard moves on. One batch per shard at a
 * time (parallelization factor 1). Shards are listed once, at start.
 */
export class KinesisEventSourcePoller {
  readonly failures: FailedBatch[] = [];
  /** Last error of the stream API itself (not of the handler), for diagnostics. */
  lastPollError: unknown;

  private readonly options: Required<
    Omit<KinesisEventSourcePollerOptions, 'onFailure' | 'failureFile' | 'region' | 'invokeIdentityArn'>
  > &
    Pick<KinesisEventSourcePollerOptions, 'onFailure' | 'failureFile'>;
  private readonly counters: PollerStats = { batches: 0, records: 0, failures: 0, retries: 0 };
  private shards: ShardState[] = [];
  private loops: Promise<void>[] = [];
  private running = false;
  private epoch = 0;
  private region = '';
  private streamArn = '';
  private invokeIdentityArn = '';
  private readonly sleepers = new Set<() => void>();
  private readonly drainWaiters = new Set<{
    epoch: number;
    check: () => void;
    fail: (error: Error) => void;
  }>();

  constructor(private readonly config: KinesisEventSourcePollerOptions) {
    const batchSize = config.batchSize ?? 100;
    if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 10000) {
      throw new PollerStateError(`batchSize must be 1..10000, got ${batchSize}`);
    }
    this.options = {
      client: config.client,
      streamName: config.streamName,
      handler: config.handler,
      batchSize,
      maximumRetryAttempts: config.maximumRetryAttempts ?? 3,
      bisectBatchOnFunctionError: config.bisectBatchOnFunctionError ?? false,
      startingPosition: config.startingPosition ?? 'TRIM_HORIZON',
      pollIntervalMs: config.pollIntervalMs ?? 100,
      onFailure: config.onFailure,
      failureFile: config.failureFile,
      functionName: config.functionName ?? 'local-function',
      functionTimeoutMs: config.functionTimeoutMs ?? 60000,
    };
  }

  get stats(): PollerStats {
    return { ...this.counters };
  }

  get isRunning(): boolean {
    return this.running;
  }

  /** Lists the shards, takes an iterator for each at the starting position and starts polling. */
  async start(): Promise<void> {
    if (this.running) throw new PollerStateError('poller already started');
    const { client, streamName, startingPosition } = this.options;
    this.region = this.config.region ?? (await client.config.region());
    const summary = await client.send(new DescribeStreamSummaryCommand({ StreamName: streamName }));
    this.streamArn =
      summary.StreamDescriptionSummary?.StreamARN ??
      `arn:aws:kinesis:${this.region}:${ACCOUNT_ID}:stream/${streamName}`;
    this.invokeIdentityArn =
      this.config.invokeIdentityArn ?? `arn:aws:iam::${ACCOUNT_ID}:role/${this.options.functionName}-role`;

    const shards = await this.listShards();
    this.shards = await Promise.all(
      shards.map(async (shard): Promise<ShardState> => {
        const shardId = shard.ShardId ?? '';
        const { ShardIterator } = await client.send(
          new GetShardIteratorCommand({
            StreamName: streamName,
            ShardId: shardId,
            ShardIteratorType: startingPosition,
          }),
        );
        return {
          shardId,
          iterator: ShardIterator,
          lastFetchedSequenceNumber: undefined,
          buffer: [],
          pendingSizes: [],
          attempts: 0,
          caughtUpEpoch: -1,
        };
      }),
    );
    this.running = true;
    this.loops = this.shards.map((shard) => this.pollShard(shard));
  }

  /** Stops polling; waits for a batch in flight to finish. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    for (const wake of this.sleepers) wake();
    for (const waiter of this.drainWaiters) waiter.fail(new PollerStateError('poller stopped during drain'));
    await Promise.all(this.loops);
    this.loops = [];
  }

  /**
   * Resolves once every shard has processed (or given up on) every record that was in the stream when
   * drain was called: each shard must poll, after this call, and find nothing left.
   */
  drain(timeoutMs = 10000): Promise<void> {
    if (!this.running) return Promise.reject(new PollerStateError('drain needs a started poller'));
    this.epoch += 1;
    const epoch = this.epoch;
    return new Promise<void>((resolve, reject) => {
      const waiter = {
        epoch,
        check: () => {
          if (this.shards.every((shard) => shard.caughtUpEpoch >= epoch)) finish();
        },
        fail: (error: Error) => finish(error),
      };
      const timer = setTimeout(() => {
        const pending = this.shards.filter((s) => s.caughtUpEpoch < epoch).map((s) => s.shardId);
        finish(new DrainTimeoutError(timeoutMs, pending));
      }, timeoutMs);
      const finish = (error?: Error) => {
        clearTimeout(timer);
        this.drainWaiters.delete(waiter);
        if (error) reject(error);
        else resolve();
      };
      this.drainWaiters.add(waiter);
    });
  }

  private async listShards(): Promise<Shard[]> {
    const shards: Shard[] = [];
    let nextToken: string | undefined;
    do {
      const page = await this.options.client.send(
        new ListShardsCommand(nextToken ? { NextToken: nextToken } : { StreamName: this.options.streamName }),
      );
      shards.push(...(page.Shards ?? []));
      nextToken = page.NextToken;
    } while (nextToken);
    return shards;
  }

  private async pollShard(shard: ShardState): Promise<void> {
    while (this.running) {
      try {
        const wanted = shard.pendingSizes[0] ?? this.options.batchSize;
        if (shard.buffer.length < wanted) await this.fetch(shard, wanted - shard.buffer.length);
        if (shard.buffer.length === 0) {
          await this.sleep(this.options.pollIntervalMs);
          continue;
        }
        await this.processBatch(shard);
      } catch (error: unknown) {
        this.lastPollError = error;
        await this.sleep(this.options.pollIntervalMs);
      }
    }
  }

  private async fetch(shard: ShardState, limit: number): Promise<void> {
    const epoch = this.epoch;
    if (shard.iterator === undefined) {
      // A closed shard read to its end: nothing will ever arrive.
      if (shard.buffer.length === 0) this.markCaughtUp(shard, Number.POSITIVE_INFINITY);
      return;
    }
    let response: Awaited<ReturnType<typeof this.getRecords>>;
    try {
      response = await this.getRecords(shard.iterator, limit);
    } catch (error: unknown) {
      if (errorName(error) !== 'ExpiredIteratorException') throw error;
      shard.iterator = await this.renewIterator(shard);
      return;
    }
    const records = response.Records ?? [];
    shard.iterator = response.NextShardIterator;
    shard.buffer.push(...records);
    const last = records.at(-1);
    if (last?.SequenceNumber) shard.lastFetchedSequenceNumber = last.SequenceNumber;
    if (records.length === 0 && shard.buffer.length === 0) this.markCaughtUp(shard, epoch);
  }

  private getRecords(iterator: string, limit: number) {
    return this.options.client.send(
      new GetRecordsCommand({ ShardIterator: iterator, Limit: Math.min(Math.max(limit, 1), 10000) }),
    );
  }

  private async renewIterator(shard: ShardState): Promise<string | undefined> {
    const { ShardIterator } = await this.options.client.send(
      new GetShardIteratorCommand({
        StreamName: this.options.streamName,
        ShardId: shard.shardId,
        ...(shard.lastFetchedSequenceNumber
          ? {
              ShardIteratorType: 'AFTER_SEQUENCE_NUMBER',
              StartingSequenceNumber: shard.lastFetchedSequenceNumber,
            }
          : { ShardIteratorType: this.options.startingPosition }),
      }),
    );
    return ShardIterator;
  }

  private markCaughtUp(shard: ShardState, epoch: number): void {
    shard.caughtUpEpoch = Math.max(shard.caughtUpEpoch, epoch);
    for (const waiter of this.drainWaiters) waiter.check();
  }

  private async processBatch(shard: ShardState): Promise<void> {
    // A retried or bisected batch keeps its records; only a fresh batch reads up to batchSize.
    const fromPending = shard.pendingSizes.length > 0;
    const size = shard.pendingSizes[0] ?? this.options.batchSize;
    const batch = shard.buffer.slice(0, size).map((record) => this.toLambdaRecord(shard.shardId, record));
    if (shard.attempts > 0) this.counters.retries += 1;
    this.counters.batches += 1;
    const outcome = await this.invoke(batch);
    const replaceHead = (...sizes: number[]) => shard.pendingSizes.splice(0, fromPending ? 1 : 0, ...sizes);

    if (outcome.kind === 'success') {
      this.checkpoint(shard, batch.length);
      shard.attempts = 0;
      replaceHead();
      return;
    }

    if (outcome.kind === 'error' && this.options.bisectBatchOnFunctionError && batch.length > 1) {
      const firstHalf = Math.ceil(batch.length / 2);
      replaceHead(firstHalf, batch.length - firstHalf);
      return;
    }

    // Checkpoint before the lowest failed record: the retry starts there.
    const failedIndex = outcome.kind === 'partial' ? outcome.failedIndex : 0;
    this.checkpoint(shard, failedIndex);
    const rest = batch.slice(failedIndex);
    shard.attempts += 1;
    const { maximumRetryAttempts } = this.options;
    if (maximumRetryAttempts >= 0 && shard.attempts > maximumRetryAttempts) {
      shard.buffer.splice(0, rest.length);
      replaceHead();
      await this.giveUp(shard.shardId, rest, outcome.error, shard.attempts);
      shard.attempts = 0;
      return;
    }
    replaceHead(rest.length);
    await this.sleep(this.options.pollIntervalMs);
  }

  private checkpoint(shard: ShardState, count: number): void {
    shard.buffer.splice(0, count);
    this.counters.records += count;
  }

  private async invoke(batch: KinesisStreamRecord[]): Promise<Outcome> {
    let result: unknown;
    try {
      result = await this.options.handler({ Records: batch }, this.context());
    } catch (error: unknown) {
      return { kind: 'error', error };
    }
    const parsed = batchResponseSchema.safeParse(result);
    // No response, or one without a usable failure list: Lambda counts the batch as a success.
    const failures = parsed.success ? (parsed.data.batchItemFailures ?? []) : [];
    if (failures.length === 0) return { kind: 'success' };
    const sequenceNumbers = failures.map((failure) => String(failure.itemIdentifier ?? ''));
    const error = new BatchItemFailuresError(sequenceNumbers);
    const indexes = sequenceNumbers.map((seq) => batch.findIndex((r) => r.kinesis.sequenceNumber === seq));
    // An empty, null or unknown identifier fails the whole batch, as Lambda does.
    if (indexes.some((index) => index < 0)) return { kind: 'error', error };
    return { kind: 'partial', failedIndex: Math.min(...indexes), error };
  }

  private async giveUp(
    shardId: string,
    records: KinesisStreamRecord[],
    error: unknown,
    attempts: number,
  ): Promise<void> {
    this.counters.failures += records.length;
    this.failures.push({ shardId, records, error, attempts });
    try {
      this.options.onFailure?.(records, error);
      if (this.options.failureFile) {
        await appendFile(
          this.options.failureFile,
          `${JSON.stringify(this.failureRecord(shardId, records, attempts))}\n`,
        );
      }
    } catch (destinationError: unknown) {
      this.lastPollError = destinationError;
    }
  }

  /** Lambda's on-failure destination record for a stream batch: where the records are, not their data. */
  private failureRecord(shardId: string, records: KinesisStreamRecord[], attempts: number) {
    const first = records[0]?.kinesis;
    const last = records.at(-1)?.kinesis;
    const iso = (seconds: number | undefined) =>
      seconds === undefined ? undefined : new Date(seconds * 1000).toISOString();
    return {
      requestContext: {
        requestId: randomUUID(),
        functionArn: this.functionArn(),
        condition: 'RetryAttemptsExhausted',
        approximateInvokeCount: attempts,
      },
      responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
      version: '1.0',
      timestamp: new Date().toISOString(),
      KinesisBatchInfo: {
        shardId,
        startSequenceNumber: first?.sequenceNumber,
        endSequenceNumber: last?.sequenceNumber,
        approximateArrivalOfFirstRecord: iso(first?.approximateArrivalTimestamp),
        approximateArrivalOfLastRecord: iso(last?.approximateArrivalTimestamp),
        batchSize: records.length,
        streamArn: this.streamArn,
      },
    };
  }

  private toLambdaRecord(shardId: string, record: _Record): KinesisStreamRecord {
    const sequenceNumber = record.SequenceNumber ?? '';
    const arrival = record.ApproximateArrivalTimestamp?.getTime() ?? Date.now();
    return {
      kinesis: {
        kinesisSchemaVersion: '1.0',
        partitionKey: record.PartitionKey ?? '',
        sequenceNumber,
        data: Buffer.from(record.Data ?? new Uint8Array()).toString('base64'),
        approximateArrivalTimestamp: arrival / 1000,
      },
      eventSource: 'aws:kinesis',
      eventVersion: '1.0',
      eventID: `${shardId}:${sequenceNumber}`,
      eventName: 'aws:kinesis:record',
      invokeIdentityArn: this.invokeIdentityArn,
      awsRegion: this.region,
      eventSourceARN: this.streamArn,
    };
  }

  private functionArn(): string {
    return `arn:aws:lambda:${this.region}:${ACCOUNT_ID}:function:${this.options.functionName}`;
  }

  private context(): Context {
    const { functionName, functionTimeoutMs } = this.options;
    return lambdaContext(functionName, { timeoutMs: functionTimeoutMs, memoryMb: 1024, region: this.region });
  }

  private sleep(ms: number): Promise<void> {
    if (!this.running) return Promise.resolve();
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.sleepers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.sleepers.add(wake);
    });
  }
}
