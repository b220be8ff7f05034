/**
 * The events table: the normalized Discovery event, when it was fetched, and its short links per
 * locale/brand (one Bitly call per link, ever).
 */
import type { EventRecord } from '#shared/domain/model';
import { isConditionFailed, TableRepository } from './table-repository';

export interface CachedEvent extends EventRecord {
  /** ISO instant of the last successful Discovery fetch. */
  fetchedAt: string;
  /** Short links by `${locale}|${brand}|${channel}` (`linkKey`). */
  shortUrls?: Record<string, string>;
  /** TTL (epoch seconds): the record goes some time after the last sale and show. */
  expiresAt: number;
}

export class EventsRepository extends TableRepository {
  async get(eventId: string): Promise<CachedEvent | undefined> {
    return this.getItem<CachedEvent>({ eventId });
  }

  /** Saves a refreshed event, keeping the short links already made for it. */
  async save(event: EventRecord, fetchedAt: string, expiresAt: number): Promise<CachedEvent> {
    const fields: Record<string, unknown> = {
      name: event.name,
      url: event.url,
      locale: event.locale,
      timezone: event.timezone,
      status: event.status,
      segment: event.segment ?? null,
      genre: event.genre ?? null,
      startsAt: event.startsAt ?? null,
      localDate: event.localDate ?? null,
      artists: event.artists,
      venue: event.venue ?? null,
      sales: event.sales,
      fetchedAt,
      expiresAt,
    };
    const names: Record<string, string> = { '#shortUrls': 'shortUrls' };
    const values: Record<string, unknown> = { ':noLinks': {} };
    const sets = Object.entries(fields).map(([field, value], i) => {
      names[`#f${i}`] = field;
      values[`:v${i}`] = value;
      return `#f${i} = :v${i}`;
    });
    // Every attribute is aliased: several (name, status, segment, url...) are DynamoDB reserved words.
    const { Attributes } = await this.updateItem({
      Key: { eventId: event.eventId },
      UpdateExpression: `SET ${sets.join(', ')}, #shortUrls = if_not_exists(#shortUrls, :noLinks)`,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
      ReturnValues: 'ALL_NEW',
    });
    return fromItem(Attributes ?? {});
  }

  /** Stores a short link unless one exists already; returns the link that is stored. */
  async setShortUrl(eventId: string, linkKey: string, url: string): Promise<string> {
    try {
      await this.updateItem({
        Key: { eventId },
        ConditionExpression: 'attribute_exists(eventId) AND attribute_not_exists(shortUrls.#key)',
        UpdateExpression: 'SET shortUrls.#key = :url',
        ExpressionAttributeNames: { '#key': linkKey },
        ExpressionAttributeValues: { ':url': url },
      });
      return url;
    } catch (error: unknown) {
      if (!isConditionFailed(error)) throw error;
      const existing = (await this.get(eventId))?.shortUrls?.[linkKey];
      if (!existing) throw error;
      return existing;
    }
  }

  /** Writes a whole record as is (tests, seeding the local stack). */
  async put(event: CachedEvent): Promise<void> {
    await this.putItem({ Item: event });
  }
}

/** DynamoDB stores absent optional fields as null; the domain type wants them absent. */
function fromItem(item: Record<string, unknown>): CachedEvent {
  const copy: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(item)) if (value !== null) copy[key] = value;
  return copy as unknown as CachedEvent;
}

export { linkKey as shortUrlKey } from '#shared/messages/links';
