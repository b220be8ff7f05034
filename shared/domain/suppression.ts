/**
 * Suppression (REQ-005 and the seed's rules). Every decision lists all the reasons that apply, in a fixed
 * order, so a run's summary can count them. The lists are stage configuration (parse them with
 * `suppressionRulesSchema`), never code edits.
 */
import { z } from 'zod';
import { type EventRecord, SALE_TYPES, type Sale, type SaleType } from '#shared/domain/model';

export const SUPPRESSION_REASONS = [
  'EVENT_CANCELLED',
  'EVENT_POSTPONED',
  'ARTIST_SUPPRESSED',
  'COUNTRY_UNSUPPORTED',
  'SEGMENT_UNSUPPORTED',
  'REGISTRATION_SALE',
  'SALE_TYPE_SUPPRESSED',
  'SALE_STARTED',
  'SALE_ENDED',
  // Public sales Discovery lists without a usable start: never in the sales table, reported by preview.
  'ONSALE_DATE_PLACEHOLDER',
  'ONSALE_DATE_TBD',
] as const;
export type SuppressionReason = (typeof SUPPRESSION_REASONS)[number];

export interface SuppressionRules {
  suppressedArtistIds: string[];
  /** ISO 3166-1 alpha-2 codes; empty = every country. */
  supportedCountries: string[];
  /** Discovery segment names; empty = every segment. */
  allowedSegments: string[];
  suppressedSaleTypes: SaleType[];
}

export const DEFAULT_SUPPRESSION_RULES: SuppressionRules = Object.freeze({
  suppressedArtistIds: [],
  supportedCountries: ['US', 'CA'],
  allowedSegments: ['Music', 'Arts & Theatre'],
  suppressedSaleTypes: ['registration'],
}) as SuppressionRules;

/** Stage configuration → rules; absent lists take the defaults. */
export const suppressionRulesSchema = z.object({
  suppressedArtistIds: z
    .array(z.string().min(1))
    .default(() => [...DEFAULT_SUPPRESSION_RULES.suppressedArtistIds]),
  supportedCountries: z
    .array(z.string().regex(/^[A-Za-z]{2}$/, 'expected an ISO 3166-1 alpha-2 country code'))
    .default(() => [...DEFAULT_SUPPRESSION_RULES.supportedCountries]),
  allowedSegments: z.array(z.string().min(1)).default(() => [...DEFAULT_SUPPRESSION_RULES.allowedSegments]),
  suppressedSaleTypes: z
    .array(z.enum(SALE_TYPES))
    .default(() => [...DEFAULT_SUPPRESSION_RULES.suppressedSaleTypes]),
});

export interface SuppressionDecision {
  suppressed: boolean;
  reasons: SuppressionReason[];
}

const fold = (value: string): string => value.trim().toLowerCase();

export function evaluateSuppression(
  event: EventRecord,
  sale: Sale,
  rules: SuppressionRules,
  now: Date,
): SuppressionDecision {
  const reasons: SuppressionReason[] = [];

  if (event.status === 'cancelled') reasons.push('EVENT_CANCELLED');
  if (event.status === 'postponed') reasons.push('EVENT_POSTPONED');

  const suppressedArtists = new Set(rules.suppressedArtistIds);
  if (event.artists.some((artist) => suppressedArtists.has(artist.id))) reasons.push('ARTIST_SUPPRESSED');

  // An unknown country or segment cannot be shown to be supported: suppressed.
  if (rules.supportedCountries.length > 0) {
    const country = event.venue?.countryCode;
    if (!country || !rules.supportedCountries.some((c) => fold(c) === fold(country))) {
      reasons.push('COUNTRY_UNSUPPORTED');
    }
  }
  if (rules.allowedSegments.length > 0) {
    const segment = event.segment;
    if (!segment || !rules.allowedSegments.some((s) => fold(s) === fold(segment))) {
      reasons.push('SEGMENT_UNSUPPORTED');
    }
  }

  const registrationByName = /registration/i.test(sale.name);
  if (registrationByName) reasons.push('REGISTRATION_SALE');
  if (
    rules.suppressedSaleTypes.includes(sale.type) &&
    !(registrationByName && sale.type === 'registration')
  ) {
    reasons.push('SALE_TYPE_SUPPRESSED');
  }

  const nowMs = now.getTime();
  if (sale.endsAt !== undefined && Date.parse(sale.endsAt) <= nowMs) reasons.push('SALE_ENDED');
  else if (Date.parse(sale.startsAt) <= nowMs) reasons.push('SALE_STARTED');

  return { suppressed: reasons.length > 0, reasons };
}
