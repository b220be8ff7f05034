import path from 'node:path';
import { PLACEHOLDER_SHORT_URL, runPreview } from '#cli/preview';
import { FIXTURES, INVALID_FIXTURES } from '#test/helpers/paths';

interface Line {
  eventId: string;
  saleId: string;
  saleType: string;
  startsAt: string;
  locale: string;
  suppressed: boolean;
  reasons: string[];
  sms?: { text: string; encoding: string; length: number; segments: number };
  email?: { template: string; variables: Record<string, unknown> };
}

function run(...argv: string[]): { code: number; lines: Line[]; stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const code = runPreview(argv, {
    out: (line) => stdout.push(line),
    err: (line) => stderr.push(line),
    clock: () => new Date('2026-11-28T17:00:00Z'),
  });
  const lines = stdout.filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Line);
  return { code, lines, stdout, stderr };
}

const marisol = path.join(FIXTURES, 'us-music-marisol-reyes.json');

describe('preview', () => {
  it('prints one line per sale in the event locale, with SMS and email when not suppressed', () => {
    const { code, lines, stderr } = run(marisol);
    expect(code).toBe(0);
    expect(stderr).toEqual([]);
    expect(lines).toHaveLength(6);
    for (const line of lines) {
      expect(line).toMatchObject({
        eventId: 'vvG1fZ4Ax3kTpQ',
        locale: 'en-us',
        suppressed: false,
        reasons: [],
      });
      expect(line.sms?.text).toContain(PLACEHOLDER_SHORT_URL);
      expect(line.sms?.segments).toBe(1);
      expect(line.email?.template).toBe('onsale-reminder-en-us');
    }
  });

  it('uses a placeholder link as long as a branded Bitly link', () => {
    expect(PLACEHOLDER_SHORT_URL).toMatch(/^https:\/\/[a-z.]+\/[A-Za-z0-9]{7}$/);
  });

  it('renders every locale, the chosen brand and short URL', () => {
    const { code, lines } = run(
      marisol,
      '--locale',
      'all',
      '--brand',
      'livenation',
      '--short-url',
      'https://bit.ly/4aBcDeF',
    );
    expect(code).toBe(0);
    expect(lines).toHaveLength(18);
    expect(new Set(lines.map((l) => l.locale))).toEqual(new Set(['en-us', 'en-ca', 'fr-ca']));
    for (const line of lines) {
      expect(line.sms?.text).toMatch(/^Live Nation ?:/);
      expect(line.sms?.text).toContain('https://bit.ly/4aBcDeF');
    }
  });

  it('applies --at to the started and ended rules', () => {
    const { lines } = run(marisol, '--at', '2026-12-09T15:10:00Z');
    const byId = Object.fromEntries(lines.map((l) => [l.saleId, l]));
    expect(byId['vvG1fZ4Ax3kTpQ.presale.verified-fan-presale']?.reasons).toEqual(['SALE_STARTED']);
    expect(byId['vvG1fZ4Ax3kTpQ.presale.citi-cardmember-presale']?.reasons).toEqual(['SALE_STARTED']);
    expect(byId['vvG1fZ4Ax3kTpQ.public']).toMatchObject({ suppressed: false });
    expect(byId['vvG1fZ4Ax3kTpQ.presale.verified-fan-presale']?.sms).toBeUndefined();
  });

  it('previews a whole directory, each event once, with the expected suppressions', () => {
    const { code, lines, stderr } = run(FIXTURES);
    expect(code).toBe(0);
    expect(stderr).toEqual([]);
    const keys = lines.map((l) => `${l.saleId}/${l.locale}`);
    expect(new Set(keys).size).toBe(keys.length);
    const reasonsOf = (saleId: string) => lines.find((l) => l.saleId === saleId)?.reasons;
    expect(reasonsOf('vvG1fZ4AsptsX.public')).toEqual(['SEGMENT_UNSUPPORTED']);
    expect(reasonsOf('vvG1fZ4AcnclD.public')).toEqual(['EVENT_CANCELLED']);
    expect(reasonsOf('Z7r9jZ1AePstV.public')).toEqual(['EVENT_POSTPONED']);
    expect(reasonsOf('vvG1fZ4AregVF.presale.verified-fan-registration')).toEqual(['REGISTRATION_SALE']);
    expect(lines.find((l) => l.eventId === 'Z7r9jZ1AeFrCa')?.locale).toBe('fr-ca');
    for (const line of lines) expect(line.suppressed).toBe(line.reasons.length > 0);
  });

  it('reports bad events on stderr, keeps the good ones, and exits 2', () => {
    const { code, lines, stderr } = run(path.join(INVALID_FIXTURES, 'search-one-bad-event.json'));
    expect(code).toBe(2);
    expect(new Set(lines.map((l) => l.eventId))).toEqual(new Set(['vvG1fZ4Ax3kTpQ', 'Z7r9jZ1AeFrCa']));
    expect(stderr).toHaveLength(1);
    expect(stderr[0]).toContain('vvG1fZ4AbadAt');
    expect(stderr[0]).toContain('_embedded.events[1]._embedded.attractions[0].name');
  });

  it('reports files that are not JSON and exits 2', () => {
    const { code, stderr } = run(INVALID_FIXTURES);
    expect(code).toBe(2);
    expect(stderr.some((l) => l.includes('not-json.json: not valid JSON'))).toBe(true);
    expect(stderr.some((l) => l.includes('missing-id.json') && l.includes(' at id'))).toBe(true);
  });

  it.each([
    [[]],
    [[marisol, '--locale', 'de-de']],
    [[marisol, '--brand', 'acme']],
    [[marisol, '--at', 'tomorrow']],
    [[marisol, '--short-url', 'not a url']],
    [[marisol, '--colour', 'blue']],
    [[path.join(FIXTURES, 'does-not-exist.json')]],
  ])('exits 2 with a message for %j', (argv) => {
    const { code, stderr } = run(...argv);
    expect(code).toBe(2);
    expect(stderr.join('\n')).not.toBe('');
  });

  it('prints usage with --help', () => {
    const { code, stdout } = run('--help');
    expect(code).toBe(0);
    expect(stdout.join('\n')).toContain('Usage: npm run --silent preview');
  });
});
