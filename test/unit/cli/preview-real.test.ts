import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { runPreview } from '#cli/preview';
import { parseDiscoveryDocument } from '#shared/domain/discovery';
import { LOCALES } from '#shared/domain/model';
import { findProgram } from '#shared/messages/presale-programs';

const REAL = path.join(__dirname, '..', '..', 'fixtures', 'discovery-real');

interface Line {
  eventId: string;
  saleId: string;
  saleName: string;
  saleType: string;
  locale: string;
  suppressed: boolean;
  reasons: string[];
  longUrl: string;
  presale?: { program: string | null; label: string };
  sms?: { text: string; segments: number; encoding: string };
  email?: { longUrl: string };
}

/** Before every sale of the fixtures (2022 to 2024), so messages are rendered. */
const BEFORE_THE_SALES = '2022-01-01T00:00:00Z';

function preview(): { code: number; lines: Line[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const code = runPreview([REAL, '--locale', 'all', '--at', BEFORE_THE_SALES], {
    out: (line) => stdout.push(line),
    err: (line) => stderr.push(line),
    clock: () => new Date(BEFORE_THE_SALES),
  });
  return { code, lines: stdout.map((l) => JSON.parse(l) as Line), stderr };
}

/** The raw events of the fixtures, by id (the first file listing an event wins, as in preview). */
function rawEvents(): Map<string, { url: string; publicStart?: string; presales: string[] }> {
  const events = new Map<string, { url: string; publicStart?: string; presales: string[] }>();
  for (const file of readdirSync(REAL)
    .filter((name) => name.endsWith('.json'))
    .sort()) {
    const doc = JSON.parse(readFileSync(path.join(REAL, file), 'utf8'));
    const list = doc._embedded?.events ?? [doc];
    for (const raw of list) {
      if (events.has(raw.id)) continue;
      events.set(raw.id, {
        url: raw.url,
        publicStart: raw.sales?.public?.startDateTime,
        presales: (raw.sales?.presales ?? []).map((p: { name: string }) => p.name),
      });
    }
  }
  return events;
}

describe('preview over real Discovery payloads', () => {
  const { code, lines, stderr } = preview();
  const raw = rawEvents();

  it('gives one line per sale and locale, Discovery placeholders included', () => {
    expect(code).toBe(0);
    expect(stderr).toEqual([]);
    let sales = 0;
    for (const event of raw.values()) sales += event.presales.length + (event.publicStart ? 1 : 0);
    expect(lines).toHaveLength(sales * LOCALES.length);
    const keys = lines.map((line) => `${line.saleId}/${line.locale}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('accounts for a public sale starting 1900-01-01 with its reason', () => {
    const placeholders = [...raw.entries()].filter(([, event]) =>
      event.publicStart?.startsWith('1900-01-01'),
    );
    expect(placeholders.length).toBeGreaterThanOrEqual(2);
    for (const [eventId] of placeholders) {
      const publicLines = lines.filter((line) => line.saleId === `${eventId}.public`);
      expect(publicLines).toHaveLength(3);
      for (const line of publicLines) {
        expect(line).toMatchObject({ suppressed: true, reasons: ['ONSALE_DATE_PLACEHOLDER'] });
      }
    }
    for (const line of lines) expect(line.suppressed).toBe(line.reasons.length > 0);
  });

  it("links every line to the event URL's own host and path", () => {
    for (const line of lines) {
      const event = raw.get(line.eventId);
      const original = new URL(event?.url ?? 'about:blank');
      const long = new URL(line.longUrl);
      expect(long.host).toBe(original.host);
      expect(long.pathname).toBe(original.pathname);
      expect(long.searchParams.get('utm_medium')).toBe('sms');
      if (line.email) expect(new URL(line.email.longUrl).searchParams.get('utm_medium')).toBe('email');
    }
    const hosts = new Set(lines.map((line) => new URL(line.longUrl).host));
    expect([...hosts].sort()).toEqual([
      'concerts.livenation.com',
      'www.ticketmaster.ca',
      'www.ticketmaster.com',
      'www.ticketweb.com',
      'www.universe.com',
    ]);
    // A Universe event keeps its own page and query (no Ticketmaster path invented for it).
    const universe = lines.find((line) => new URL(line.longUrl).host === 'www.universe.com');
    const link = new URL(universe?.longUrl ?? 'about:blank');
    expect(link.pathname).toBe(
      '/events/secret-cinema-presents-dirty-dancing-sun-01-aug-2021-tickets-london-GX10RS',
    );
    expect(link.searchParams.get('ref')).toBe('tm_marketing_shell_event');
    expect(link.searchParams.get('language')).toBeNull();
  });

  it('names the program of every presale of a known program, in all three locales', () => {
    const presaleLines = lines.filter((line) => line.sms && line.saleType !== 'public');
    expect(presaleLines.length).toBeGreaterThan(100);
    let named = 0;
    for (const line of presaleLines) {
      expect(line.sms?.segments).toBe(1);
      expect(line.sms?.encoding).toBe('GSM-7');
      const program = findProgram(line.saleName);
      if (program === undefined) continue;
      named++;
      const language = line.locale === 'fr-ca' ? 'fr' : 'en';
      expect(line.presale?.program).toBe(program.id);
      expect(line.sms?.text).toContain(program[language]);
    }
    // Every presale name the fixtures send a message for is a program fans know, but two named after
    // their sponsor: an employer's staff presale and a "<Sponsor> Presale Offer".
    const unknown = new Set(presaleLines.filter((l) => !findProgram(l.saleName)).map((l) => l.saleName));
    expect([...unknown].sort()).toEqual(['Aisle Seat Presale Offer', 'Ruoff Employee Offer']);
    expect(named).toBe(presaleLines.length - presaleLines.filter((l) => unknown.has(l.saleName)).length);
    const sponsored: Record<string, Record<'en' | 'fr', string>> = {
      'Ruoff Employee Offer': { en: 'Ruoff employee presale', fr: 'Prévente employés Ruoff' },
      'Aisle Seat Presale Offer': { en: 'Aisle Seat Presale', fr: 'Prévente Aisle Seat' },
    };
    for (const line of presaleLines.filter((l) => unknown.has(l.saleName))) {
      const language = line.locale === 'fr-ca' ? 'fr' : 'en';
      const label = sponsored[line.saleName]?.[language] ?? '\u0000';
      expect(line.presale?.label).toBe(label);
      expect(line.sms?.text).toContain(label);
      expect(line.presale?.program).toBe(line.saleName === 'Ruoff Employee Offer' ? 'employee' : null);
    }
  });

  it('parses every fixture without error', () => {
    for (const file of readdirSync(REAL).filter((name) => name.endsWith('.json'))) {
      const { errors } = parseDiscoveryDocument(JSON.parse(readFileSync(path.join(REAL, file), 'utf8')));
      expect(errors).toEqual([]);
    }
  });
});
