import {
  DEFAULT_SUPPRESSION_RULES,
  evaluateSuppression,
  type SuppressionRules,
  suppressionRulesSchema,
} from '#shared/domain/suppression';
import { anEvent, aSale } from '#test/helpers/factories';

const NOW = new Date('2026-12-09T14:30:00Z');
const rules = (overrides: Partial<SuppressionRules> = {}): SuppressionRules => ({
  ...DEFAULT_SUPPRESSION_RULES,
  ...overrides,
});

describe('evaluateSuppression', () => {
  it('lets a US music presale in the future through', () => {
    expect(evaluateSuppression(anEvent(), aSale(), rules(), NOW)).toEqual({ suppressed: false, reasons: [] });
  });

  it('suppresses an artist on the list (any of the event attractions)', () => {
    const event = anEvent({
      artists: [
        { id: 'A1', name: 'Opener' },
        { id: 'K8vZ917Gmr0', name: 'Headliner' },
      ],
    });
    expect(evaluateSuppression(event, aSale(), rules({ suppressedArtistIds: ['K8vZ917Gmr0'] }), NOW)).toEqual(
      {
        suppressed: true,
        reasons: ['ARTIST_SUPPRESSED'],
      },
    );
    expect(
      evaluateSuppression(event, aSale(), rules({ suppressedArtistIds: ['other'] }), NOW).suppressed,
    ).toBe(false);
  });

  it('suppresses a sale whose name contains "registration", whatever its case', () => {
    const decision = evaluateSuppression(
      anEvent(),
      aSale({ name: 'Verified Fan REGISTRATION', type: 'registration' }),
      rules(),
      NOW,
    );
    expect(decision).toEqual({ suppressed: true, reasons: ['REGISTRATION_SALE'] });
    // by name even when the type list is empty
    expect(
      evaluateSuppression(
        anEvent(),
        aSale({ name: 'Presale Registration' }),
        rules({ suppressedSaleTypes: [] }),
        NOW,
      ).reasons,
    ).toEqual(['REGISTRATION_SALE']);
  });

  it('suppresses configured sale types', () => {
    expect(
      evaluateSuppression(
        anEvent(),
        aSale({ name: 'Inscription Fan Vérifié', type: 'registration' }),
        rules(),
        NOW,
      ).reasons,
    ).toEqual(['SALE_TYPE_SUPPRESSED']);
    expect(
      evaluateSuppression(
        anEvent(),
        aSale({ name: 'VIP Package', type: 'vip' }),
        rules({ suppressedSaleTypes: ['vip'] }),
        NOW,
      ).reasons,
    ).toEqual(['SALE_TYPE_SUPPRESSED']);
  });

  it('suppresses venues outside the supported countries, and unknown countries', () => {
    const uk = anEvent({ venue: { name: 'O2 Arena', countryCode: 'GB' } });
    expect(evaluateSuppression(uk, aSale(), rules(), NOW).reasons).toEqual(['COUNTRY_UNSUPPORTED']);
    expect(
      evaluateSuppression(anEvent({ venue: { name: 'Somewhere' } }), aSale(), rules(), NOW).reasons,
    ).toEqual(['COUNTRY_UNSUPPORTED']);
    const { venue: _omit, ...noVenue } = anEvent();
    expect(evaluateSuppression(noVenue, aSale(), rules(), NOW).reasons).toEqual(['COUNTRY_UNSUPPORTED']);
    expect(
      evaluateSuppression(uk, aSale(), rules({ supportedCountries: ['us', 'ca', 'gb'] }), NOW).suppressed,
    ).toBe(false);
    expect(evaluateSuppression(uk, aSale(), rules({ supportedCountries: [] }), NOW).suppressed).toBe(false);
  });

  it('allows Music and Arts & Theatre by default, and suppresses other or unknown segments', () => {
    expect(
      evaluateSuppression(anEvent({ segment: 'Arts & Theatre' }), aSale(), rules(), NOW).suppressed,
    ).toBe(false);
    expect(evaluateSuppression(anEvent({ segment: 'Sports' }), aSale(), rules(), NOW).reasons).toEqual([
      'SEGMENT_UNSUPPORTED',
    ]);
    const { segment: _omit, ...noSegment } = anEvent();
    expect(evaluateSuppression(noSegment, aSale(), rules(), NOW).reasons).toEqual(['SEGMENT_UNSUPPORTED']);
    expect(
      evaluateSuppression(
        anEvent({ segment: 'Sports' }),
        aSale(),
        rules({ allowedSegments: ['sports'] }),
        NOW,
      ).suppressed,
    ).toBe(false);
  });

  it('suppresses a sale that has already started when the window runs', () => {
    const sale = aSale({ startsAt: '2026-12-09T14:30:00.000Z' });
    expect(evaluateSuppression(anEvent(), sale, rules(), NOW).reasons).toEqual(['SALE_STARTED']);
    expect(
      evaluateSuppression(anEvent(), sale, rules(), new Date('2026-12-09T14:29:59.999Z')).suppressed,
    ).toBe(false);
  });

  it('reports an ended sale as ended', () => {
    const sale = aSale({ startsAt: '2026-12-01T15:00:00.000Z', endsAt: '2026-12-02T04:00:00.000Z' });
    expect(evaluateSuppression(anEvent(), sale, rules(), NOW).reasons).toEqual(['SALE_ENDED']);
  });

  it('suppresses cancelled and postponed events', () => {
    expect(evaluateSuppression(anEvent({ status: 'cancelled' }), aSale(), rules(), NOW).reasons).toEqual([
      'EVENT_CANCELLED',
    ]);
    expect(evaluateSuppression(anEvent({ status: 'postponed' }), aSale(), rules(), NOW).reasons).toEqual([
      'EVENT_POSTPONED',
    ]);
    expect(evaluateSuppression(anEvent({ status: 'rescheduled' }), aSale(), rules(), NOW).suppressed).toBe(
      false,
    );
  });

  it('lists every reason that applies, in a fixed order', () => {
    const event = anEvent({
      status: 'cancelled',
      segment: 'Sports',
      venue: { name: 'X', countryCode: 'MX' },
    });
    const sale = aSale({
      name: 'Registration',
      type: 'registration',
      startsAt: '2026-12-01T00:00:00.000Z',
      endsAt: '2026-12-02T00:00:00.000Z',
    });
    expect(
      evaluateSuppression(event, sale, rules({ suppressedArtistIds: ['K8vZ917Gmr0'] }), NOW).reasons,
    ).toEqual([
      'EVENT_CANCELLED',
      'ARTIST_SUPPRESSED',
      'COUNTRY_UNSUPPORTED',
      'SEGMENT_UNSUPPORTED',
      'REGISTRATION_SALE',
      'SALE_ENDED',
    ]);
  });
});

describe('suppressionRulesSchema', () => {
  it('fills the defaults', () => {
    expect(suppressionRulesSchema.parse({})).toEqual({
      suppressedArtistIds: [],
      supportedCountries: ['US', 'CA'],
      allowedSegments: ['Music', 'Arts & Theatre'],
      suppressedSaleTypes: ['registration'],
    });
  });

  it('takes stage lists and rejects bad ones', () => {
    expect(
      suppressionRulesSchema.parse({ suppressedArtistIds: ['K1'], suppressedSaleTypes: [] }),
    ).toMatchObject({
      suppressedArtistIds: ['K1'],
      suppressedSaleTypes: [],
    });
    expect(suppressionRulesSchema.safeParse({ supportedCountries: ['USA'] }).success).toBe(false);
    expect(suppressionRulesSchema.safeParse({ suppressedSaleTypes: ['lottery'] }).success).toBe(false);
  });

  it('does not share the default arrays with callers', () => {
    const parsed = suppressionRulesSchema.parse({});
    parsed.supportedCountries.push('GB');
    expect(DEFAULT_SUPPRESSION_RULES.supportedCountries).toEqual(['US', 'CA']);
  });
});
