/**
 * AWS SDK clients, created once per process. Endpoints come from the SDK's own environment variables
 * (AWS_ENDPOINT_URL_DYNAMODB, ...), so the same code talks to AWS or to the local stack.
 */

import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SFNClient } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { NodeHttpHandler } from '@smithy/node-http-handler';

/** HTTP/1.1 keep-alive with room for the requests one process may have in flight. */
function pooledHandler(): NodeHttpHandler {
  return new NodeHttpHandler({
    httpAgent: new HttpAgent({ keepAlive: true, maxSockets: 256 }),
    httpsAgent: new HttpsAgent({ keepAlive: true, maxSockets: 256 }),
  });
}

let dynamo: DynamoDBClient | undefined;
let documents: DynamoDBDocumentClient | undefined;
let kinesis: KinesisClient | undefined;
let ses: SESv2Client | undefined;
let sfn: SFNClient | undefined;

export function dynamoClient(): DynamoDBClient {
  // A Send page keeps up to 16 provider calls in flight, each with its conditional writes; the local stack
  // runs every handler in one process. Keep-alive sockets beyond the SDK's default 50 avoid queueing.
  dynamo ??= new DynamoDBClient({ maxAttempts: 5, requestHandler: pooledHandler() });
  return dynamo;
}

export function documentClient(): DynamoDBDocumentClient {
  documents ??= DynamoDBDocumentClient.from(dynamoClient(), {
    marshallOptions: { removeUndefinedValues: true },
  });
  return documents;
}

export function kinesisClient(): KinesisClient {
  // HTTP/1.1 handler: Kinesis' default HTTP/2 handler is not needed for PutRecord(s)/GetRecords.
  kinesis ??= new KinesisClient({ requestHandler: pooledHandler() });
  return kinesis;
}

export function sesClient(): SESv2Client {
  ses ??= new SESv2Client({});
  return ses;
}

export function sfnClient(): SFNClient {
  sfn ??= new SFNClient({});
  return sfn;
}
