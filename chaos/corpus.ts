/**
 * The bad-input corpus: malformed Discovery payloads (the fixture folder and generated ones: missing
 * fields, wrong types, huge strings, unicode edge cases), invalid phone numbers and emails, GraphQL
 * arguments out of range, and CLI misuse. Each must get a clear error (or, for odd but valid input, be
 * accepted) and never cost a valid record next to it.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArguments, requestReminderArgs } from '#shared/api/arguments';
import { normalizeContact } from '#shared/domain/contacts';
import { parseDiscoveryDocument } from '#shared/domain/discovery';
import type { Channel } from '#shared/domain/model';

export interface CorpusResult {
  name: string;
  entry: string;
  ok: boolean;
  detail: string;
}

const ROOT = join(__dirname, '..');
const FIXTURES = join(ROOT, 'test', 'fixtures');
const VALID_EVENT_FILE = join(FIXTURES, 'discovery', 'us-music-marisol-reyes.json');

type Json = Record<string, unknown>;

function discoveryCases(valid: Json): Array<{ name: string; payload: unknown; valid: boolean }> {
  const mutate = (change: (event: Json) => void): Json => {
    const copy = structuredClone(valid);
    change(copy);
    return copy;
  };
  return [
    { name: 'missing id', payload: mutate((e) => delete e.id), valid: false },
    { name: 'missing name', payload: mutate((e) => delete e.name), valid: false },
    { name: 'missing sales', payload: mutate((e) => delete e.sales), valid: true },
    { name: 'id is a number', payload: mutate((e) => (e.id = 12345)), valid: false },
    { name: 'sales is a string', payload: mutate((e) => (e.sales = 'soon')), valid: false },
    { name: 'dates is null', payload: mutate((e) => (e.dates = null)), valid: true },
    { name: 'name of 1 MB', payload: mutate((e) => (e.name = 'x'.repeat(1_000_000))), valid: false },
    { name: 'id of 10 kB', payload: mutate((e) => (e.id = 'A'.repeat(10_000))), valid: false },
    {
      name: 'unicode name (emoji, RTL, zero-width, combining)',
      payload: mutate(
        (e) => (e.name = 'Ｚｏë 🎸\u200d🔥 \u202eesrever\u202c Cafe\u0301 \u05e9\u05dc\u05d5\u05dd'),
      ),
      valid: true,
    },
    { name: 'lone surrogate in name', payload: mutate((e) => (e.name = 'bad \ud800 name')), valid: true },
    { name: 'NUL in name', payload: mutate((e) => (e.name = 'a\u0000b')), valid: true },
  ];
}

/** Each bad event sits in a search response next to the valid one: the valid one must come through. */
function checkDiscovery(): CorpusResult[] {
  const results: CorpusResult[] = [];
  const valid = JSON.parse(readFileSync(VALID_EVENT_FILE, 'utf8')) as Json;
  const validId = String(valid.id);
  for (const file of readdirSync(join(FIXTURES, 'discovery-invalid')).sort()) {
    const text = readFileSync(join(FIXTURES, 'discovery-invalid', file), 'utf8');
    let detail: string;
    let ok: boolean;
    try {
      const parsed = parseDiscoveryDocument(JSON.parse(text));
      detail = parsed.errors.map((error) => error.message).join('; ') || `${parsed.events.length} events`;
      ok = parsed.errors.length > 0 && parsed.errors.every((error) => error.message.length > 0);
    } catch (error: unknown) {
      // Not JSON: readDiscoveryDir reports the file; the parser never sees it.
      ok = error instanceof SyntaxError;
      detail = `not JSON (${(error as Error).name})`;
    }
    results.push({ name: `fixture ${file}`, entry: 'parseDiscoveryDocument', ok, detail });
  }
  for (const c of discoveryCases(valid)) {
    let ok = false;
    let detail = '';
    try {
      const parsed = parseDiscoveryDocument({ _embedded: { events: [c.payload, valid] } });
      const kept = parsed.events.some((event) => event.eventId === validId);
      const errors = parsed.errors.map((error) => error.message);
      const tooLong = errors.some((message) => message.length > 2000);
      ok =
        kept &&
        !tooLong &&
        (c.valid ? parsed.events.length === 2 || errors.length === 1 : errors.length === 1);
      detail = `${errors[0]?.slice(0, 80) ?? 'accepted'}${kept ? '' : ' | VALID EVENT LOST'}`;
    } catch (error: unknown) {
      detail = `threw ${(error as Error).name}: ${(error as Error).message.slice(0, 80)}`;
    }
    results.push({ name: `discovery: ${c.name}`, entry: 'parseDiscoveryDocument', ok, detail });
  }
  return results;
}

const BAD_CONTACTS: Array<[Channel, string, string]> = [
  ['SMS', '', 'empty'],
  ['SMS', '12', 'too short'],
  ['SMS', '+1 212 555 0100 ext. 12', 'extension'],
  ['SMS', '+33612345678', 'foreign number'],
  ['SMS', '+15005550009', 'non-mobile test number (valid format)'],
  ['SMS', 'call me maybe', 'letters'],
  ['SMS', '+1'.padEnd(400, '9'), '400 digits'],
  ['SMS', '+1 (212) 555-０１００', 'full-width digits'],
  ['EMAIL', '', 'empty'],
  ['EMAIL', 'no-at-sign.example.com', 'no @'],
  ['EMAIL', 'a@b', 'no domain dot'],
  ['EMAIL', `${'a'.repeat(300)}@example.com`, 'too long'],
  ['EMAIL', 'fan@exa mple.com', 'space'],
  ['EMAIL', 'fan\u0000@example.com', 'NUL'],
];

function checkContacts(): CorpusResult[] {
  return BAD_CONTACTS.map(([channel, raw, name]) => {
    try {
      const normalized = normalizeContact(channel, raw);
      // Accepting is fine only for what is a plausible contact after normalization.
      const plausible = channel === 'SMS' ? /^\+1\d{10}$/.test(normalized) : normalized.includes('@');
      return { name: `${channel} ${name}`, entry: 'normalizeContact', ok: plausible, detail: 'accepted' };
    } catch (error: unknown) {
      const message = error instanceof Error ? error.message : String(error);
      const leaks = raw.length > 3 && message.includes(raw);
      return {
        name: `${channel} ${name}`,
        entry: 'normalizeContact',
        ok: error instanceof Error && error.name === 'InvalidContactError' && !leaks,
        detail: `${error instanceof Error ? error.name : 'thrown'}: ${message}${leaks ? ' | LEAKS CONTACT' : ''}`,
      };
    }
  });
}

function checkArguments(): CorpusResult[] {
  const good = { eventId: 'vvG1fZ4Ax3kTpQ', fanId: 'fan-1', channel: 'SMS', contact: '+12125550100' };
  const cases: Array<[string, unknown]> = [
    ['eventId empty', { input: { ...good, eventId: '' } }],
    ['eventId 129 chars', { input: { ...good, eventId: 'e'.repeat(129) } }],
    ['fanId with #', { input: { ...good, fanId: 'a#b' } }],
    ['channel PIGEON', { input: { ...good, channel: 'PIGEON' } }],
    ['locale xx-XX', { input: { ...good, locale: 'XX_XX' } }],
    ['brand unknown', { input: { ...good, brand: 'ACME' } }],
    ['contact 321 chars', { input: { ...good, contact: '1'.repeat(321) } }],
    ['input missing', {}],
    ['eventId a number', { input: { ...good, eventId: 42 } }],
  ];
  return cases.map(([name, args]) => {
    try {
      parseArguments(requestReminderArgs, args);
      return { name: `requestReminder: ${name}`, entry: 'parseArguments', ok: false, detail: 'accepted' };
    } catch (error: unknown) {
      const message = error instanceof Error ? error.message : String(error);
      return {
        name: `requestReminder: ${name}`,
        entry: 'parseArguments',
        ok:
          error instanceof Error &&
          error.name === 'InvalidArgumentError' &&
          !message.includes('1'.repeat(50)),
        detail: message.slice(0, 120),
      };
    }
  });
}

function checkCli(): CorpusResult[] {
  const cases: Array<[string, string[]]> = [
    ['start --fans -3', ['cli/start.ts', '--fans', '-3']],
    ['start --window yesterday', ['cli/start.ts', '--window', 'yesterday']],
    ['start --bogus', ['cli/start.ts', '--bogus']],
    ['preview --nope', ['cli/preview.ts', '--nope']],
    ['ops (no command)', ['cli/ops.ts', 'frobnicate']],
    ['chaos --fans abc', ['chaos/main.ts', '--fans', 'abc']],
    ['chaos --only nosuch', ['chaos/main.ts', '--only', 'nosuch']],
  ];
  return cases.map(([name, args]) => {
    const result = spawnSync(process.execPath, [...process.execArgv, ...args], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 60_000,
    });
    const firstLine = (result.stderr ?? '').split('\n').find((line) => line.trim().length > 0) ?? '';
    return {
      name: `cli ${name}`,
      entry: 'child process',
      ok: result.status === 2 && firstLine.trim().length > 0,
      detail: `exit ${result.status}: ${firstLine.slice(0, 100)}`,
    };
  });
}

export async function runCorpus(): Promise<CorpusResult[]> {
  return [...checkDiscovery(), ...checkContacts(), ...checkArguments(), ...checkCli()];
}
