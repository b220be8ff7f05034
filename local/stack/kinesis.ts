import {
  CreateStreamCommand,
  DescribeStreamSummaryCommand,
  KinesisClient,
  type StreamDescriptionSummary,
} from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import kinesalite from 'kinesalite';
import { ResourceNotReadyError } from './errors';
import { ensureDir, listenOnLoopback, sleep } from './server';

export interface StartKinesisOptions {
  /** LevelDB directory that keeps the streams between runs; in memory when absent. */
  dataDir?: string;
  /** 0 (default) picks a free port. */
  port?: number;
}

export interface LocalKinesis {
  endpoint: string;
  stop(): Promise<void>;
}

/** Local credentials: the emulators accept any signature. */
export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' } as const;
export const LOCAL_REGION = 'us-east-1';

/** Starts kinesalite on 127.0.0.1; streams become ACTIVE at once. */
export async function startKinesis(options: StartKinesisOptions = {}): Promise<LocalKinesis> {
  const path = options.dataDir === undefined ? undefined : await ensureDir(options.dataDir);
  const server = kinesalite({
    ...(path === undefined ? {} : { path }),
    createStreamMs: 0,
    deleteStreamMs: 0,
    updateStreamMs: 0,
    shardLimit: 100,
  });
  const { endpoint, stop } = await listenOnLoopback(server, options.port);
  return { endpoint, stop };
}

/** A Kinesis client for kinesalite: it speaks HTTP/1.1 only, hence the NodeHttpHandler. */
export function makeKinesisClient(endpoint: string, region: string = LOCAL_REGION): KinesisClient {
  return new KinesisClient({
    endpoint,
    region,
    credentials: LOCAL_CREDENTIALS,
    requestHandler: new NodeHttpHandler(),
  });
}

const errorName = (error: unknown): string | undefined => (error instanceof Error ? error.name : undefined);

/** Creates the stream unless it exists, and waits until it is ACTIVE. Returns its summary (ARN, shards). */
export async function ensureStream(
  client: KinesisClient,
  name: string,
  shardCount: number,
  timeoutMs = 5000,
): Promise<StreamDescriptionSummary> {
  try {
    await client.send(new CreateStreamCommand({ StreamName: name, ShardCount: shardCount }));
  } catch (error: unknown) {
    if (errorName(error) !== 'ResourceInUseException') throw error;
  }
  const started = Date.now();
  for (;;) {
    const { StreamDescriptionSummary: summary } = await client.send(
      new DescribeStreamSummaryCommand({ StreamName: name }),
    );
    if (summary?.StreamStatus === 'ACTIVE') return summary;
    if (Date.now() - started > timeoutMs) throw new ResourceNotReadyError(`stream ${name}`, timeoutMs);
    await sleep(10);
  }
}
