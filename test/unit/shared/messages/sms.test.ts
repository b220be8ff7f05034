import {
  InvalidShortUrlError,
  InvalidTimeZoneError,
  MessageRenderError,
  MissingShortUrlError,
  SmsTooLongError,
} from '#shared/messages/errors';
import { measureSms } from '#shared/messages/gsm';
import { optOutTextProblems, renderSms, type SmsRenderInput, worstCaseSms } from '#shared/messages/sms';
import { makeEvent, makePublicSale, makeSale, SHORT_URL } from '#test/helpers/message-factories';

function input(overrides: Partial<SmsRenderInput> = {}): SmsRenderInput {
  return {
    event: makeEvent(),
    sale: makeSale(),
    locale: 'en-us',
    brand: 'ticketmaster',
    shortUrl: SHORT_URL,
    ...overrides,
  };
}

const toronto = makeEvent({
  locale: 'en-ca',
  timezone: 'America/Toronto',
  venue: { name: 'Scotiabank Arena', city: 'Toronto', countryCode: 'CA' },
});

describe('renderSms per locale and brand', () => {
  it('en-us presale names the program, with the time in the event zone', () => {
    const sms = renderSms(input({ event: makeEvent({ venue: { name: 'UBS Arena', city: 'Elmont' } }) }));
    expect(sms.text).toBe(
      'Ticketmaster: Citi presale for Drake at UBS Arena, Elmont starts Fri Dec 4, 10:00 AM EST. ' +
        'Get tickets: https://tmev.co/abc1234 Reply STOP to opt out',
    );
    expect(sms).toMatchObject({
      encoding: 'GSM-7',
      length: sms.text.length,
      segments: 1,
      shortened: false,
      presale: { label: 'Citi presale', program: 'citi', keyword: 'Citi' },
    });
  });

  it('en-us public sale omits the sale name and adds the city when there is room', () => {
    const sms = renderSms(input({ sale: makePublicSale(), brand: 'livenation' }));
    expect(sms.text).toBe(
      'Live Nation: Tickets for Drake at Madison Square Garden, New York go on sale Fri Dec 4, 10:00 AM EST. ' +
        'Get tickets: https://tmev.co/abc1234 Reply STOP to opt out',
    );
    expect(sms.text).not.toContain('Public Onsale');
    expect(sms).toMatchObject({ encoding: 'GSM-7', length: 160, segments: 1, shortened: false });
  });

  it('en-ca writes a.m./p.m.', () => {
    const sms = renderSms(input({ event: toronto, sale: makePublicSale(), locale: 'en-ca' }));
    expect(sms.text).toBe(
      'Ticketmaster: Tickets for Drake at Scotiabank Arena, Toronto go on sale Fri Dec 4, 10:00 a.m. EST. ' +
        'Get tickets: https://tmev.co/abc1234 Reply STOP to opt out',
    );
  });

  it('fr-ca keeps French in GSM-7 and asks for ARRET', () => {
    const event = makeEvent({
      locale: 'fr-ca',
      timezone: 'America/Toronto',
      artists: [{ id: 'k1', name: 'Kaïn' }],
      venue: { name: 'Place Bell', city: 'Laval' },
    });
    const publicSms = renderSms(
      input({ event, sale: makePublicSale(), locale: 'fr-ca', brand: 'livenation' }),
    );
    expect(publicSms.text).toBe(
      'Live Nation : Vente générale pour Kain (Place Bell, Laval) le ven. 4 déc. à 10 h HNE. ' +
        'Billets : https://tmev.co/abc1234 Répondez ARRET pour vous désabonner',
    );
    expect(publicSms.encoding).toBe('GSM-7');

    const presale = renderSms(
      input({ event, sale: makeSale({ name: 'Citi® Cardmember Presale' }), locale: 'fr-ca' }),
    );
    expect(presale.text).toBe(
      'Ticketmaster : Prévente Citi pour Kain (Place Bell, Laval) le ven. 4 déc. à 10 h HNE. ' +
        'Billets : https://tmev.co/abc1234 Répondez ARRET pour vous désabonner',
    );
    expect(presale).toMatchObject({ encoding: 'GSM-7', segments: 1 });
  });

  it.each([
    ['en-us', 'Fri Dec 4, 10:00 AM EST'],
    ['en-ca', 'Fri Dec 4, 10:00 a.m. EST'],
    ['fr-ca', 'ven. 4 déc. à 10 h HNE'],
  ] as const)('%s: both brands, both sale kinds fit one GSM-7 segment', (locale, time) => {
    for (const brand of ['ticketmaster', 'livenation'] as const) {
      for (const sale of [makeSale(), makePublicSale()]) {
        const sms = renderSms(input({ event: toronto, sale, locale, brand }));
        expect(sms.text.startsWith(brand === 'ticketmaster' ? 'Ticketmaster' : 'Live Nation')).toBe(true);
        expect(sms.text).toContain(time);
        expect(sms.text).toContain(SHORT_URL);
        expect(sms.text).toContain('Drake');
        expect(sms.text.includes(locale === 'fr-ca' ? 'Prévente Citi' : 'Citi presale')).toBe(
          sale.type !== 'public',
        );
        expect(measureSms(sms.text)).toEqual({ encoding: 'GSM-7', length: sms.length, segments: 1 });
      }
    }
  });
});

describe('renderSms folding', () => {
  it('folds accents and symbols in English so one é or ® does not switch to UCS-2', () => {
    const event = makeEvent({ artists: [{ id: 'b', name: 'Beyoncé' }], venue: { name: 'Crypto.com Arena' } });
    const sms = renderSms(input({ event, sale: makeSale({ name: 'Citi® Presale' }) }));
    expect(sms.text).toContain('Citi presale for Beyonce at Crypto.com Arena');
    expect(sms.encoding).toBe('GSM-7');
  });

  it('drops emoji and falls back to the event name when no artist name is left', () => {
    const emojiArtist = makeEvent({ artists: [{ id: 'e', name: '🎸🔥' }], name: 'Guitar Night' });
    expect(renderSms(input({ event: emojiArtist })).text).toContain('Citi presale for Guitar Night in');
    const noArtist = makeEvent({ artists: [], name: 'Cirque du Soleil: KOOZA 🎪' });
    expect(renderSms(input({ event: noArtist })).text).toContain('for Cirque du Soleil: KOOZA in');
    const nothing = makeEvent({ artists: [{ id: 'e', name: '방탄소년단' }], name: '🎤' });
    expect(renderSms(input({ event: nothing })).text).toContain('for your event in');
  });

  it('names up to two artists', () => {
    const event = makeEvent({
      artists: [
        { id: '1', name: 'Drake' },
        { id: '2', name: 'Future' },
        { id: '3', name: 'Metro Boomin' },
      ],
      venue: { name: 'UBS Arena' },
    });
    expect(renderSms(input({ event })).text).toContain('for Drake, Future & more at UBS Arena');
  });

  it('leaves out the venue clause when the event has no venue', () => {
    const { venue: _venue, ...withoutVenue } = makeEvent();
    const sms = renderSms(input({ event: withoutVenue }));
    expect(sms.text).toContain('Citi presale for Drake starts Fri Dec 4');
  });
});

describe('renderSms shortening', () => {
  const long = 'The Extraordinarily Long Named Philharmonic Orchestra and Choir of Everywhere';

  it('leaves out the venue, then the city, then the call to action, then shortens the opt-out, before cutting a name', () => {
    const artist = 'Florence + the Machine';
    const steps = [
      {
        name: 'Florence',
        venue: { name: 'UBS Arena', city: 'Elmont' },
        expected: ' at UBS Arena, Elmont starts ',
      },
      { name: artist, venue: { name: 'UBS Arena', city: 'Elmont' }, expected: ' in Elmont starts ' },
      {
        name: artist,
        venue: { name: 'Madison Square Garden', city: 'Llanfairpwllgwyngyll' },
        expected: ' starts ',
      },
    ];
    for (const { name, venue, expected } of steps) {
      const event = makeEvent({ artists: [{ id: 'x', name }], venue });
      const sms = renderSms(input({ event, sale: makeSale({ name: 'Fan Club Presale' }) }));
      expect(sms.text).toContain(`Fan club presale for ${name}${expected}`);
      expect(sms.text).toContain('Get tickets: ');
      expect(sms.segments).toBe(1);
    }
    const longer = makeEvent({ artists: [{ id: 'x', name: `${artist} with the London Symphony` }] });
    const noCallToAction = renderSms(input({ event: longer, sale: makeSale({ name: 'Fan Club Presale' }) }));
    expect(noCallToAction.text).toBe(
      'Ticketmaster: Fan club presale for Florence + the Machine with the London Symphony starts ' +
        'Fri Dec 4, 10:00 AM EST. https://tmev.co/abc1234 Reply STOP to opt out',
    );
    const longest = makeEvent({ artists: [{ id: 'x', name: `${artist} with the London Symphony Choir` }] });
    const shortOptOut = renderSms(input({ event: longest, sale: makeSale({ name: 'Fan Club Presale' }) }));
    expect(shortOptOut.text).toBe(
      'Ticketmaster: Fan club presale for Florence + the Machine with the London Symphony Choir starts ' +
        'Fri Dec 4, 10:00 AM EST. https://tmev.co/abc1234 STOP to opt out',
    );
  });

  it("cuts the artist before a presale name, and never a program's short form", () => {
    const event = makeEvent({ artists: [{ id: 'x', name: long }], venue: { name: long, city: long } });
    for (const [locale, label] of [
      ['en-us', 'American Express presale'],
      ['fr-ca', 'Prévente Amex'],
    ] as const) {
      const sms = renderSms(
        input({ event, locale, sale: makeSale({ name: 'American Express® Card Member Presale' }) }),
      );
      expect(sms.segments).toBe(1);
      expect(sms.text).toContain(
        label === 'American Express presale' ? 'Amex presale for The Extraordinarily' : label,
      );
      expect(sms.text).toMatch(/The Extraordinarily Long Named .*\.\.\. (starts|le) /);
      expect(sms.text).not.toContain(long);
    }
  });

  it("cuts a presale's own name last, and never below its first word", () => {
    const event = makeEvent({ artists: [{ id: 'x', name: long }], venue: { name: long, city: long } });
    const sms = renderSms(input({ event, sale: makeSale({ name: long }) }));
    expect(sms.segments).toBe(1);
    expect(sms.shortened).toBe(true);
    expect(sms.text).toMatch(
      /^Ticketmaster: The Extraordinarily Long Named [^.]*\.\.\. for The Ex[^ ]*\.\.\. starts /,
    );
    expect(sms.text).toContain(' starts Fri Dec 4, 10:00 AM EST. https://tmev.co/abc1234 STOP to opt out');
    expect(sms.text).not.toContain('Get tickets');
    expect(sms.presale).toMatchObject({ program: undefined, keyword: 'The' });
  });

  it('keeps the link exactly as given', () => {
    const link = 'https://tm.co/A_b~9[x]';
    const sms = renderSms(input({ shortUrl: link }));
    expect(sms.text).toContain(` ${link} `);
    expect(sms.length).toBe(sms.text.length + 3);
  });
});

describe('renderSms opt-out', () => {
  it('uses the configured opt-out text, or none when it is empty', () => {
    expect(renderSms(input({ optOutText: 'Txt STOP to end' })).text).toMatch(/ Txt STOP to end$/);
    expect(renderSms(input({ optOutText: '' })).text).toMatch(/https:\/\/tmev\.co\/abc1234$/);
    expect(renderSms(input({ locale: 'fr-ca', optOutText: 'ARRÊT pour arrêter' })).text).toMatch(
      / ARRET pour arreter$/,
    );
  });
});

describe('configured opt-out sentences against the worst-case message', () => {
  /** The longest accepted sentence of x's for a language: one more character is refused. */
  function longestAccepted(language: 'en' | 'fr'): number {
    let length = 1;
    while (optOutTextProblems({ [language]: 'x'.repeat(length + 1) }).length === 0) length += 1;
    return length;
  }

  // The longest parts the renderer keeps: a program's short form that is never cut, a two-digit day, a
  // 12:30 / 10 h 30 time and a zone without a short name (Lord Howe, +10:30 in July), a 30-character link.
  const lordHowe = makeEvent({
    timezone: 'Australia/Lord_Howe',
    artists: [{ id: 'a', name: 'The Longest Artist Name In The Business' }],
    venue: { name: 'A Very Long Venue Name Amphitheatre', city: 'Some Long City Name' },
  });
  const worstInput = {
    'en-ca': input({
      event: { ...lordHowe, locale: 'en-ca' },
      locale: 'en-ca',
      // Monday, July 28, 2025, 12:30 a.m. at Lord Howe (UTC+10:30).
      sale: makeSale({ name: 'Season Ticket Holder Offer', startsAt: '2025-07-27T14:00:00Z' }),
      shortUrl: `https://bit.ly/${'a'.repeat(15)}`,
    }),
    'fr-ca': input({
      event: { ...lordHowe, locale: 'fr-ca' },
      locale: 'fr-ca',
      // lundi 28 juillet 2025, 10 h 30 at Lord Howe.
      sale: makeSale({ name: 'Bank of America Presale', startsAt: '2025-07-28T00:00:00Z' }),
      shortUrl: `https://bit.ly/${'a'.repeat(15)}`,
    }),
  } as const;

  it.each([
    ['en', 'en-ca'],
    ['fr', 'fr-ca'],
  ] as const)(
    'accepts exactly the %s sentences that fit the worst message a real sale makes (%s)',
    (language, locale) => {
      const longest = longestAccepted(language);
      const fits = renderSms({ ...worstInput[locale], optOutText: 'x'.repeat(longest) });
      expect(fits).toMatchObject({ segments: 1, length: 160 });
      expect(fits.text).toContain(worstCaseSms(locale, '').text.slice(0, 20));
      expect(() => renderSms({ ...worstInput[locale], optOutText: 'x'.repeat(longest + 1) })).toThrow(
        SmsTooLongError,
      );
    },
  );

  it('leaves the default sentences room in every locale, with room to spare for a shorter one', () => {
    expect(
      optOutTextProblems({ en: 'Reply STOP to opt out', fr: 'Répondez ARRET pour vous désabonner' }),
    ).toEqual([]);
    expect(longestAccepted('en')).toBe(35);
    expect(longestAccepted('fr')).toBe(39);
  });

  it('says which sentence overflows, in which locale and by how much', () => {
    const [problem, ...rest] = optOutTextProblems({ en: 'x'.repeat(longestAccepted('en') + 7) });
    expect(rest).toEqual([]);
    expect(problem?.language).toBe('en');
    expect(problem?.problem).toMatch(
      /^42 characters make the longest en-ca reminder 167 GSM-7 characters, 7 over/,
    );
    expect(problem?.problem).toContain('shorten it by 7');
    // Extension characters take two septets each.
    expect(optOutTextProblems({ fr: '€'.repeat(20) })[0]?.problem).toMatch(/^40 characters .* by 1 /);
  });
});

describe('renderSms refusals', () => {
  it('refuses to render without a short URL (REQ-006)', () => {
    for (const shortUrl of [undefined, '', '  ']) {
      const attempt = () => renderSms(input({ shortUrl }));
      expect(attempt).toThrow(MissingShortUrlError);
      expect(attempt).toThrow(MessageRenderError);
      try {
        attempt();
      } catch (error: unknown) {
        expect(error).toMatchObject({ name: 'MissingShortUrlError', eventId: 'vvG1zZ9pKbBCqh' });
      }
    }
  });

  it.each(['not a url', 'ftp://tm.co/x', 'https://tm.co/ç', 'https://tm.co/😀'])(
    'rejects the link %s',
    (link) => {
      expect(() => renderSms(input({ shortUrl: link }))).toThrow(InvalidShortUrlError);
    },
  );

  it('rejects an unknown time zone', () => {
    expect(() => renderSms(input({ event: makeEvent({ timezone: 'Nowhere/Atlantis' }) }))).toThrow(
      InvalidTimeZoneError,
    );
  });

  it('fails with SmsTooLongError when the link alone leaves no room', () => {
    const link = `https://example.com/${'x'.repeat(120)}`;
    expect(() => renderSms(input({ shortUrl: link }))).toThrow(SmsTooLongError);
  });
});
