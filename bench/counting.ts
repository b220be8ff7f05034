/**
 * Counts every AWS call the process makes, by service and operation, with an SDK middleware on the
 * shared client singletons (the handlers run in this process and use the same clients). DynamoDB calls
 * ask for their consumed capacity, so read and write request units are the store's own figures; when a
 * response carries none, the units are approximated (1 per write item, 1 per read item).
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { KinesisClient } from '@aws-sdk/client-kinesis';
import type { SESv2Client } from '@aws-sdk/client-sesv2';
import { dynamoClient, kinesisClient, sesClient } from '#shared/aws/clients';

export interface CallCounts {
  /** `service:Operation` → calls. */
  calls: Record<string, number>;
  dynamoReads: number;
  dynamoWrites: number;
  readUnits: number;
  writeUnits: number;
  kinesisRecords: number;
}

const READS = new Set(['GetItem', 'BatchGetItem', 'Query', 'Scan']);
const WRITES = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem']);

interface Capacity {
  CapacityUnits?: number;
  ReadCapacityUnits?: number;
  WriteCapacityUnits?: number;
}

export function emptyCounts(): CallCounts {
  return { calls: {}, dynamoReads: 0, dynamoWrites: 0, readUnits: 0, writeUnits: 0, kinesisRecords: 0 };
}

/** `PutCommand` and `PutItemCommand` → `PutItem` (document client and low-level names alike). */
export function operationOf(commandName: string | undefined): string {
  const base = (commandName ?? 'Unknown').replace(/Command$/, '');
  const documentNames: Record<string, string> = {
    Put: 'PutItem',
    Get: 'GetItem',
    Update: 'UpdateItem',
    Delete: 'DeleteItem',
    BatchGet: 'BatchGetItem',
    BatchWrite: 'BatchWriteItem',
    TransactGet: 'TransactGetItems',
    TransactWrite: 'TransactWriteItems',
  };
  return documentNames[base] ?? base;
}

function sumCapacity(capacity: unknown): number | undefined {
  const list = Array.isArray(capacity) ? capacity : capacity ? [capacity] : [];
  if (list.length === 0) return undefined;
  return (list as Capacity[]).reduce((sum, entry) => sum + (entry.CapacityUnits ?? 0), 0);
}

function itemCount(
  operation: string,
  input: Record<string, unknown>,
  output: Record<string, unknown>,
): number {
  if (operation === 'Query' || operation === 'Scan') return Math.max(1, Number(output.Count ?? 1));
  if (operation === 'BatchGetItem') {
    const responses = (output.Responses ?? {}) as Record<string, unknown[]>;
    return Math.max(
      1,
      Object.values(responses).reduce((sum, items) => sum + items.length, 0),
    );
  }
  if (operation === 'BatchWriteItem') {
    const requests = (input.RequestItems ?? {}) as Record<string, unknown[]>;
    return Object.values(requests).reduce((sum, items) => sum + items.length, 0);
  }
  return 1;
}

type Stack =
  | DynamoDBClient['middlewareStack']
  | KinesisClient['middlewareStack']
  | SESv2Client['middlewareStack'];

/** A counter attached to the process's clients; `reset()` starts a new measurement. */
export class AwsCallCounter {
  private counts = emptyCounts();
  private attached = false;

  attach(): void {
    if (this.attached) return;
    this.attached = true;
    this.add(dynamoClient().middlewareStack, 'dynamodb');
    this.add(kinesisClient().middlewareStack, 'kinesis');
    this.add(sesClient().middlewareStack, 'ses');
  }

  snapshot(): CallCounts {
    return { ...this.counts, calls: { ...this.counts.calls } };
  }

  reset(): void {
    this.counts = emptyCounts();
  }

  private add(stack: Stack, service: string): void {
    (stack as DynamoDBClient['middlewareStack']).add(
      (next, context) => async (args) => {
        const operation = operationOf(context.commandName);
        const key = `${service}:${operation}`;
        this.counts.calls[key] = (this.counts.calls[key] ?? 0) + 1;
        const input = (args.input ?? {}) as Record<string, unknown>;
        if (service === 'dynamodb' && (READS.has(operation) || WRITES.has(operation))) {
          input.ReturnConsumedCapacity ??= 'TOTAL';
        }
        if (service === 'kinesis') {
          const records = Array.isArray(input.Records) ? input.Records.length : 1;
          if (operation === 'PutRecord' || operation === 'PutRecords') this.counts.kinesisRecords += records;
        }
        let result: Awaited<ReturnType<typeof next>> | undefined;
        try {
          result = await next(args);
          return result;
        } finally {
          if (service === 'dynamodb') this.countDynamo(operation, input, result?.output);
        }
      },
      { step: 'initialize', name: 'benchAwsCallCounter', override: true },
    );
  }

  private countDynamo(operation: string, input: Record<string, unknown>, output: unknown): void {
    const out = (output ?? {}) as Record<string, unknown>;
    const units = sumCapacity(out.ConsumedCapacity);
    if (READS.has(operation)) {
      this.counts.dynamoReads++;
      this.counts.readUnits += units ?? itemCount(operation, input, out);
    } else if (WRITES.has(operation)) {
      this.counts.dynamoWrites++;
      // A failed conditional write still consumes its units; the SDK throws before a capacity is seen.
      this.counts.writeUnits += units ?? itemCount(operation, input, out);
    }
  }
}
