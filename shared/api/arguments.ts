/**
 * The API's arguments, validated with zod at the edge: GraphQL enum names (EN_US, TICKETMASTER) become the
 * domain's values (en-us, ticketmaster). AppSync checks types against the schema already; these schemas
 * add the limits the schema cannot say (lengths, characters) and keep the handler safe when called directly.
 */
import { z } from 'zod';
import type { Brand, Locale, NotificationStatus, SaleType } from '#shared/domain/model';
import { InvalidArgumentError } from './errors';

export const LOCALE_ENUM = { EN_US: 'en-us', EN_CA: 'en-ca', FR_CA: 'fr-ca' } as const satisfies Record<
  string,
  Locale
>;
export const BRAND_ENUM = {
  TICKETMASTER: 'ticketmaster',
  LIVENATION: 'livenation',
} as const satisfies Record<string, Brand>;

export type GraphQlLocale = keyof typeof LOCALE_ENUM;
export type GraphQlBrand = keyof typeof BRAND_ENUM;

/** Domain value → GraphQL enum name ('en-us' → 'EN_US', 'verified_fan' → 'VERIFIED_FAN'). */
export function toEnumName<T extends string>(value: T): Uppercase<string> {
  return value.toUpperCase().replaceAll('-', '_') as Uppercase<string>;
}

export function localeToGraphQl(locale: Locale): GraphQlLocale {
  return toEnumName(locale) as GraphQlLocale;
}

export function brandToGraphQl(brand: Brand): GraphQlBrand {
  return toEnumName(brand) as GraphQlBrand;
}

export function saleTypeToGraphQl(type: SaleType): string {
  return toEnumName(type);
}

export function statusToGraphQl(status: NotificationStatus): NotificationStatus {
  return status;
}

/** Ids travel into keys joined with '#': no '#', no control characters, bounded length. */
const id = (what: string) =>
  z
    .string()
    .trim()
    .min(1, `${what} is empty`)
    .max(128, `${what} is longer than 128 characters`)
    .regex(/^[^#\s\p{Cc}]+$/u, `${what} may not contain '#', spaces or control characters`);

const locale = z
  .enum(Object.keys(LOCALE_ENUM) as [GraphQlLocale, ...GraphQlLocale[]])
  .transform((v) => LOCALE_ENUM[v]);
const brand = z
  .enum(Object.keys(BRAND_ENUM) as [GraphQlBrand, ...GraphQlBrand[]])
  .transform((v) => BRAND_ENUM[v]);
const channel = z.enum(['SMS', 'EMAIL']);

export const eventDetailsArgs = z.object({
  eventId: id('eventId'),
  locale: locale.nullish().transform((v) => v ?? undefined),
  brand: brand.nullish().transform((v) => v ?? 'ticketmaster'),
});
export type EventDetailsArgs = z.infer<typeof eventDetailsArgs>;

export const requestReminderArgs = z.object({
  input: z.object({
    eventId: id('eventId'),
    channel,
    // Checked and normalized by the domain (libphonenumber, email rules); here only bounded.
    contact: z.string().max(320, 'contact is longer than 320 characters'),
    locale: locale.nullish().transform((v) => v ?? undefined),
    brand: brand.nullish().transform((v) => v ?? 'ticketmaster'),
  }),
});
export type RequestReminderArgs = z.infer<typeof requestReminderArgs>;

export const cancelReminderArgs = z.object({
  input: z.object({ eventId: id('eventId'), channel }),
});
export type CancelReminderArgs = z.infer<typeof cancelReminderArgs>;

export const reminderStatusArgs = z.object({ eventId: id('eventId') });
export type ReminderStatusArgs = z.infer<typeof reminderStatusArgs>;

export const confirmContactArgs = z.object({
  token: z.string().min(1, 'token is empty').max(1024, 'token is longer than 1024 characters'),
});

/** Parses arguments or throws InvalidArgumentError naming each bad field (never its value). */
export function parseArguments<S extends z.ZodType>(schema: S, args: unknown): z.infer<S> {
  const parsed = schema.safeParse(args);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map(
    (issue) => `${issue.path.join('.') || '(arguments)'}: ${issue.message}`,
  );
  const first = parsed.error.issues[0]?.path.join('.');
  throw new InvalidArgumentError(issues, first === '' ? undefined : first);
}
