/**
 * Consent of a contact's owner to a fan's sign-ups, keyed by the contact's keyed hash and the fan: the
 * table holds no phone number or email. A record is PENDING from the first sign-up until the owner
 * confirms (YES / OUI by SMS, the link by email), then CONFIRMED with how and when. It keeps what was
 * agreed: the text version and locale of the confirmation request, the times, the source and a hash of
 * the request's origin (TCPA / CASL: consent the sender can prove).
 */
import type { Channel, Locale } from '#shared/domain/model';
import { batchGetAll } from './batch-get';
import { TableRepository } from './table-repository';

export type ConsentStatus = 'PENDING' | 'CONFIRMED';
/** How a consent was confirmed: a reply to the confirmation SMS, the email link, or demo data. */
export type ConsentSource = 'sms-reply' | 'email-link' | 'seed';

export interface ConsentRecord {
  contactHash: string;
  fanId: string;
  channel: Channel;
  status: ConsentStatus;
  /** Version of the confirmation text the owner was sent (and agreed to). */
  textVersion: string;
  locale: Locale;
  requestedAt: string;
  /** When the confirmation message went out (absent while limited or failed). */
  confirmationSentAt?: string;
  confirmedAt?: string;
  source?: ConsentSource;
  /** Keyed hash of the sign-up request's origin (source IP and user agent), never the origin itself. */
  originHash: string;
  /** SHA-256 of the email link's secret (EMAIL only). */
  tokenHash?: string;
  /** A PENDING record lapses (epoch seconds); a CONFIRMED one has none. */
  expiresAt?: number;
}

export class ConsentsRepository extends TableRepository {
  async get(contactHash: string, fanId: string): Promise<ConsentRecord | undefined> {
    return this.getItem<ConsentRecord>({ contactHash, fanId }, true);
  }

  /** Records a new PENDING request; an existing record (pending or confirmed) is kept as it is. */
  async putPending(record: ConsentRecord): Promise<boolean> {
    return this.applied(
      this.putItem({
        Item: record,
        ConditionExpression: 'attribute_not_exists(contactHash) OR #s = :pending',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':pending': 'PENDING' },
      }),
    );
  }

  /** Writes a record as it is (seeding). */
  async put(record: ConsentRecord): Promise<void> {
    await this.putItem({ Item: record });
  }

  async markSent(contactHash: string, fanId: string, at: string): Promise<void> {
    await this.updateItem({
      Key: { contactHash, fanId },
      UpdateExpression: 'SET confirmationSentAt = :at',
      ConditionExpression: 'attribute_exists(contactHash)',
      ExpressionAttributeValues: { ':at': at },
    });
  }

  /** PENDING → CONFIRMED (false when there was no pending record: nothing changes). */
  async confirm(contactHash: string, fanId: string, source: ConsentSource, at: string): Promise<boolean> {
    return this.applied(
      this.updateItem({
        Key: { contactHash, fanId },
        UpdateExpression: 'SET #s = :confirmed, confirmedAt = :at, #src = :src REMOVE expiresAt, tokenHash',
        ConditionExpression: '#s = :pending',
        ExpressionAttributeNames: { '#s': 'status', '#src': 'source' },
        ExpressionAttributeValues: {
          ':confirmed': 'CONFIRMED',
          ':pending': 'PENDING',
          ':at': at,
          ':src': source,
        },
      }),
    );
  }

  /** Every consent record of one contact (all fans). */
  async byContact(contactHash: string): Promise<ConsentRecord[]> {
    return this.queryAll<ConsentRecord>({
      KeyConditionExpression: 'contactHash = :h',
      ExpressionAttributeValues: { ':h': contactHash },
      ConsistentRead: true,
    });
  }

  /** Confirmed (contactHash, fanId) pairs among `keys`, as `${contactHash}|${fanId}`. */
  async confirmed(keys: Array<{ contactHash: string; fanId: string }>): Promise<Set<string>> {
    const unique = new Map(keys.map((key) => [`${key.contactHash}|${key.fanId}`, key]));
    const items = await batchGetAll(this.documents, this.tableName, [...unique.values()]);
    const found = new Set<string>();
    for (const item of items as unknown as ConsentRecord[]) {
      if (item.status === 'CONFIRMED') found.add(`${item.contactHash}|${item.fanId}`);
    }
    return found;
  }
}
