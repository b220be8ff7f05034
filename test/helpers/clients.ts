import { SESv2Client } from '@aws-sdk/client-sesv2';

/** A random() that plays back the given values, then keeps returning the last one. */
export function scriptedRandom(...values: number[]): () => number {
  let i = 0;
  return () => {
    const v = values[Math.min(i, values.length - 1)] ?? 0.99;
    i += 1;
    return v;
  };
}

/** Runs fn and returns what it threw (fails the test if it did not throw). */
export async function thrown(fn: () => Promise<unknown>): Promise<unknown> {
  try {
    await fn();
  } catch (error: unknown) {
    return error;
  }
  throw new Error('expected a rejection');
}

/** An SES v2 client of a local SES sandbox, without retries (each test sees the first answer). */
export function localSesClient(url: string): SESv2Client {
  return new SESv2Client({
    endpoint: url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
}
