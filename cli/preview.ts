/**
 * preview: what a window run would send for Discovery events, without any AWS or provider.
 *
 *   npm run --silent preview -- FILE|DIR [--locale en-us|en-ca|fr-ca|all] [--brand ticketmaster|livenation]
 *                                        [--short-url URL] [--at ISO-INSTANT]
 *
 * One NDJSON line per (event, sale, locale) on stdout; invalid input on stderr. Exit 0 when everything was
 * valid, 2 when an argument, a file or an event was invalid, 1 when a message could not be rendered.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseDiscoveryDocument } from '#shared/domain/discovery';
import { BRANDS, type Brand, type EventRecord, LOCALES, type Locale } from '#shared/domain/model';
import {
  DEFAULT_SUPPRESSION_RULES,
  evaluateSuppression,
  type SuppressionRules,
} from '#shared/domain/suppression';
import { slotStart } from '#shared/domain/windows';
import { renderEmail } from '#shared/messages/email';
import { longUrlFor } from '#shared/messages/links';
import { presaleLabel } from '#shared/messages/presale-programs';
import { renderSms } from '#shared/messages/sms';
import { parse, UsageError } from './args';

/** Same shape and length as a branded Bitly link (domain + 7-character back-half). */
export const PLACEHOLDER_SHORT_URL = 'https://tmev.co/3xAmPl3';

export const USAGE = `Usage: npm run --silent preview -- FILE|DIR [options]

Prints, for each sale of each Discovery event, the suppression decision (with its reasons), the long
URL the link leads to (longUrl: the event's own page, tagged for the channel), how the presale is named
(presale.program, presale.label) and the SMS and email that would be sent, as one JSON line per
(event, sale, locale). A public sale Discovery lists as starting 1900-01-01 (its "already on sale"
placeholder) or TBD is a line too, suppressed with ONSALE_DATE_PLACEHOLDER or ONSALE_DATE_TBD.

  FILE|DIR               a Discovery event, a Discovery search response, or a directory of *.json files
  --locale LOCALE        en-us | en-ca | fr-ca | all (default: each event's own locale)
  --brand BRAND          ticketmaster | livenation (default: ticketmaster)
  --short-url URL        the short link to put in messages (default: ${PLACEHOLDER_SHORT_URL})
  --at ISO-INSTANT       "now" for the sale started/ended rules (default: the current time)
  -h, --help             this text

Exit status: 0 all input valid; 2 invalid arguments, file or event (details on stderr); 1 rendering failed.`;

export interface PreviewOptions {
  locale: Locale | 'all' | undefined;
  brand: Brand;
  shortUrl: string;
  now: Date;
  rules: SuppressionRules;
}

export interface PreviewIo {
  out: (line: string) => void;
  err: (line: string) => void;
  clock: () => Date;
}

const OPTION_SPEC = {
  locale: { type: 'string' },
  brand: { type: 'string' },
  'short-url': { type: 'string' },
  at: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

function parseCliArgs(
  argv: string[],
  clock: () => Date,
): { help: boolean; inputs: string[]; options: PreviewOptions } {
  const { values, positionals } = parse(argv, OPTION_SPEC, true);
  const help = values.help === true;
  if (help) return { help, inputs: [], options: defaultOptions(clock) };
  if (positionals.length === 0) throw new UsageError('FILE or DIR is required');

  const locale = values.locale;
  if (locale !== undefined && locale !== 'all' && !(LOCALES as readonly string[]).includes(locale)) {
    throw new UsageError(
      `--locale must be one of ${[...LOCALES, 'all'].join(', ')}, got ${JSON.stringify(locale)}`,
    );
  }
  const brand = values.brand ?? 'ticketmaster';
  if (!(BRANDS as readonly string[]).includes(brand)) {
    throw new UsageError(`--brand must be one of ${BRANDS.join(', ')}, got ${JSON.stringify(brand)}`);
  }
  const shortUrl = values['short-url'] ?? PLACEHOLDER_SHORT_URL;
  if (!/^https?:\/\/[^\s/]+\/\S*$/.test(shortUrl)) {
    throw new UsageError(`--short-url must be an http(s) URL, got ${JSON.stringify(shortUrl)}`);
  }
  let now = clock();
  if (values.at !== undefined) {
    const at = values.at;
    if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(at) || Number.isNaN(Date.parse(at))) {
      throw new UsageError(
        `--at must be an ISO-8601 instant such as 2026-12-09T14:30:00Z, got ${JSON.stringify(at)}`,
      );
    }
    now = new Date(at);
  }
  return {
    help,
    inputs: positionals,
    options: {
      locale: locale as Locale | 'all' | undefined,
      brand: brand as Brand,
      shortUrl,
      now,
      rules: DEFAULT_SUPPRESSION_RULES,
    },
  };
}

function defaultOptions(clock: () => Date): PreviewOptions {
  return {
    locale: undefined,
    brand: 'ticketmaster',
    shortUrl: PLACEHOLDER_SHORT_URL,
    now: clock(),
    rules: DEFAULT_SUPPRESSION_RULES,
  };
}

/** The JSON files an input names: the file itself, or a directory's *.json files in name order. */
function expandInput(input: string): string[] {
  if (statSync(input).isDirectory()) {
    return readdirSync(input)
      .filter((name) => name.endsWith('.json'))
      .sort()
      .map((name) => path.join(input, name));
  }
  return [input];
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The lines of one event: one per sale and locale, the sales Discovery lists without a start included. */
export function previewEvent(event: EventRecord, options: PreviewOptions): Record<string, unknown>[] {
  const locales: Locale[] =
    options.locale === 'all'
      ? [...LOCALES]
      : options.locale === undefined
        ? [event.locale]
        : [options.locale];
  const links = (locale: Locale) => ({
    sms: longUrlFor(event.url, locale, options.brand, 'SMS'),
    email: longUrlFor(event.url, locale, options.brand, 'EMAIL'),
  });
  const lines: Record<string, unknown>[] = [];
  for (const unscheduled of event.unscheduledSales ?? []) {
    for (const locale of locales) {
      lines.push({
        eventId: event.eventId,
        eventName: event.name,
        saleId: unscheduled.saleId,
        saleName: unscheduled.name,
        saleType: 'public',
        startsAt: null,
        discoveryStartDateTime: unscheduled.startDateTime ?? null,
        slot: null,
        locale,
        brand: options.brand,
        suppressed: true,
        reasons: [unscheduled.reason],
        longUrl: links(locale).sms,
      });
    }
  }
  for (const sale of event.sales) {
    const decision = evaluateSuppression(event, sale, options.rules, options.now);
    for (const locale of locales) {
      const language = locale === 'fr-ca' ? 'fr' : 'en';
      const longUrl = links(locale);
      const line: Record<string, unknown> = {
        eventId: event.eventId,
        eventName: event.name,
        saleId: sale.saleId,
        saleName: sale.name,
        saleType: sale.type,
        startsAt: sale.startsAt,
        slot: slotStart(sale.startsAt),
        locale,
        brand: options.brand,
        suppressed: decision.suppressed,
        reasons: decision.reasons,
        longUrl: longUrl.sms,
      };
      if (sale.type !== 'public') {
        const label = presaleLabel(sale.name, language, language === 'fr' ? 'Prévente' : 'Presale');
        line.presale = { program: label.program ?? null, label: label.text };
      }
      if (!decision.suppressed) {
        const input = { event, sale, locale, brand: options.brand, shortUrl: options.shortUrl };
        const sms = renderSms(input);
        line.sms = { text: sms.text, encoding: sms.encoding, length: sms.length, segments: sms.segments };
        if (sms.presale) line.presale = { program: sms.presale.program ?? null, label: sms.presale.label };
        const email = renderEmail(input);
        line.email = { template: email.template, longUrl: longUrl.email, variables: email.variables };
      }
      lines.push(line);
    }
  }
  return lines;
}

/** Runs the command; returns the exit code. */
export function runPreview(argv: string[], io: PreviewIo): number {
  let args: ReturnType<typeof parseCliArgs>;
  try {
    args = parseCliArgs(argv, io.clock);
  } catch (error: unknown) {
    if (!(error instanceof UsageError)) throw error;
    io.err(`preview: ${error.message}`);
    io.err(USAGE);
    return 2;
  }
  if (args.help) {
    io.out(USAGE);
    return 0;
  }

  let invalid = false;
  let renderFailed = false;
  const seen = new Set<string>();
  for (const input of args.inputs) {
    let files: string[];
    try {
      files = expandInput(input);
    } catch (error: unknown) {
      io.err(`${input}: cannot read: ${errorMessage(error)}`);
      invalid = true;
      continue;
    }
    for (const file of files) {
      let json: unknown;
      try {
        json = JSON.parse(readFileSync(file, 'utf8'));
      } catch (error: unknown) {
        io.err(`${file}: not valid JSON: ${errorMessage(error)}`);
        invalid = true;
        continue;
      }
      const { events, errors } = parseDiscoveryDocument(json);
      for (const error of errors) {
        io.err(`${file}: ${error.message}`);
        invalid = true;
      }
      for (const event of events) {
        // A directory may hold an event both in its own file and in a search response: preview it once.
        if (seen.has(event.eventId)) continue;
        seen.add(event.eventId);
        try {
          for (const line of previewEvent(event, args.options)) io.out(JSON.stringify(line));
        } catch (error: unknown) {
          io.err(`${file}: event ${event.eventId}: cannot render: ${errorMessage(error)}`);
          renderFailed = true;
        }
      }
    }
  }
  if (invalid) return 2;
  return renderFailed ? 1 : 0;
}

if (require.main === module) {
  process.exitCode = runPreview(process.argv.slice(2), {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
    clock: () => new Date(),
  });
}
