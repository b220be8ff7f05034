/**
 * Contacts that must never be messaged again (STOP/ARRET replies, invalid or unreachable numbers), keyed by
 * the contact's hash so the table holds no phone numbers or emails.
 */
import { batchGetAll } from './batch-get';
import { TableRepository } from './table-repository';

export interface OptOutRecord {
  contactHash: string;
  reason: string;
  source: 'inbound-reply' | 'provider-error' | 'status-stream' | 'operator' | 'unsubscribe-link';
  createdAt: string;
}

export class OptOutsRepository extends TableRepository {
  async add(record: OptOutRecord): Promise<void> {
    await this.putItem({ Item: record });
  }

  /**
   * START / YES from the number: lifts its opt-out only when the number's own STOP made it; an opt-out from
   * a provider error, the status stream or an operator stays. True when one was lifted.
   */
  async removeOwnStop(contactHash: string): Promise<boolean> {
    return this.applied(
      this.deleteItem({
        Key: { contactHash },
        ConditionExpression: '#src = :own',
        ExpressionAttributeNames: { '#src': 'source' },
        ExpressionAttributeValues: { ':own': 'inbound-reply' },
      }),
    );
  }

  /** The subset of `hashes` that opted out. */
  async optedOut(hashes: string[]): Promise<Set<string>> {
    const keys = [...new Set(hashes)].map((contactHash) => ({ contactHash }));
    const items = await batchGetAll(this.documents, this.tableName, keys, 'contactHash');
    const found = new Set(items.map((item) => String(item.contactHash)));
    return found;
  }
}
