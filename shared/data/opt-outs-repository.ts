/**
 * Contacts that must never be messaged again (STOP/ARRET replies, invalid or unreachable numbers), keyed by
 * the contact's hash so the table holds no phone numbers or emails.
 */
import { DeleteCommand, type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { batchGetAll } from './batch-get';

export interface OptOutRecord {
  contactHash: string;
  reason: string;
  source: 'inbound-reply' | 'provider-error' | 'status-stream' | 'operator' | 'unsubscribe-link';
  createdAt: string;
}

export class OptOutsRepository {
  constructor(
    private readonly documents: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async add(record: OptOutRecord): Promise<void> {
    await this.documents.send(new PutCommand({ TableName: this.tableName, Item: record }));
  }

  /**
   * START / YES from the number: lifts its opt-out only when the number's own STOP made it; an opt-out from
   * a provider error, the status stream or an operator stays. True when one was lifted.
   */
  async removeOwnStop(contactHash: string): Promise<boolean> {
    try {
      await this.documents.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: { contactHash },
          ConditionExpression: '#src = :own',
          ExpressionAttributeNames: { '#src': 'source' },
          ExpressionAttributeValues: { ':own': 'inbound-reply' },
        }),
      );
      return true;
    } catch (error: unknown) {
      if ((error as { name?: string }).name === 'ConditionalCheckFailedException') return false;
      throw error;
    }
  }

  /** The subset of `hashes` that opted out. */
  async optedOut(hashes: string[]): Promise<Set<string>> {
    const keys = [...new Set(hashes)].map((contactHash) => ({ contactHash }));
    const items = await batchGetAll(this.documents, this.tableName, keys, 'contactHash');
    const found = new Set(items.map((item) => String(item.contactHash)));
    return found;
  }
}
