import {
  BatchGetCommand,
  type BatchGetCommandOutput,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';

const BATCH_GET_LIMIT = 100;

/**
 * Reads many keys of one table in BatchGetItem calls of 100, retrying unprocessed keys with backoff
 * (the SDK does not). Order of the result is not the order of the keys.
 */
export async function batchGetAll(
  documents: DynamoDBDocumentClient,
  tableName: string,
  keys: Array<Record<string, unknown>>,
  projection?: string,
): Promise<Array<Record<string, unknown>>> {
  const items: Array<Record<string, unknown>> = [];
  for (let i = 0; i < keys.length; i += BATCH_GET_LIMIT) {
    let pending: Array<Record<string, unknown>> | undefined = keys.slice(i, i + BATCH_GET_LIMIT);
    for (let round = 0; pending && pending.length > 0; round++) {
      if (round > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 50 * 2 ** round)));
      const result: BatchGetCommandOutput = await documents.send(
        new BatchGetCommand({
          RequestItems: {
            [tableName]: { Keys: pending, ...(projection ? { ProjectionExpression: projection } : {}) },
          },
        }),
      );
      items.push(...(result.Responses?.[tableName] ?? []));
      pending = result.UnprocessedKeys?.[tableName]?.Keys;
    }
  }
  return items;
}
