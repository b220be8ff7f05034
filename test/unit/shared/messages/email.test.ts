import { compileTemplateParts } from 'aws-ses-v2-local/dist/v2/renderTemplate';
import { LOCALES } from '#shared/domain/model';
import { emailTemplateName, escapeHtml, renderEmail } from '#shared/messages/email';
import { EMAIL_TEMPLATES, pickLocale } from '#shared/messages/email-templates';
import { makeEvent, makePublicSale, makeSale, SHORT_URL } from '#test/helpers/message-factories';

describe('renderEmail', () => {
  it('gives the locale template and typed variables for a presale', () => {
    const event = makeEvent({ artists: [{ id: 'b', name: 'Beyoncé' }] });
    const { template, variables } = renderEmail({
      event,
      sale: makeSale({ name: 'Citi® Presale' }),
      locale: 'en-us',
      brand: 'ticketmaster',
      shortUrl: SHORT_URL,
    });
    expect(template).toBe('onsale-reminder-en-us');
    expect(variables).toEqual({
      artist: 'Beyoncé',
      venue: 'Madison Square Garden',
      city: 'New York',
      saleName: 'Citi® Presale',
      saleLabel: 'Citi® Presale',
      saleType: 'card_member',
      isPresale: true,
      saleDate: 'Friday, December 4, 2026',
      saleTime: '10:00 AM',
      timeZone: 'EST',
      timeZoneId: 'America/New_York',
      url: SHORT_URL,
      brand: 'Ticketmaster',
      locale: 'en-us',
      eventName: 'Drake: Anita Max Win Tour',
      html: {
        artist: 'Beyoncé',
        venue: 'Madison Square Garden',
        city: 'New York',
        saleName: 'Citi® Presale',
        saleLabel: 'Citi® Presale',
        eventName: 'Drake: Anita Max Win Tour',
        url: SHORT_URL,
      },
    });
  });

  it('labels a public sale without its name, in French for fr-ca', () => {
    const event = makeEvent({
      timezone: 'America/Toronto',
      venue: { name: 'Centre Bell', city: 'Montréal' },
    });
    const { template, variables } = renderEmail({
      event,
      sale: makePublicSale(),
      locale: 'fr-ca',
      brand: 'livenation',
      shortUrl: SHORT_URL,
    });
    expect(template).toBe('onsale-reminder-fr-ca');
    expect(variables).toMatchObject({
      saleLabel: 'Vente générale',
      isPresale: false,
      saleDate: 'vendredi 4 décembre 2026',
      saleTime: '10 h',
      timeZone: 'HNE',
      city: 'Montréal',
      brand: 'Live Nation',
    });
  });

  it('lists every artist, falls back to the event name and to the event page', () => {
    const event = makeEvent({
      artists: [
        { id: '1', name: 'Drake' },
        { id: '2', name: 'Future' },
        { id: '3', name: 'Metro Boomin' },
      ],
    });
    const many = renderEmail({
      event,
      sale: makeSale(),
      locale: 'en-ca',
      brand: 'ticketmaster',
      shortUrl: undefined,
    });
    expect(many.variables.artist).toBe('Drake, Future & Metro Boomin');
    expect(many.variables.url).toBe(
      'https://www.ticketmaster.com/event/vvG1zZ9pKbBCqh?utm_source=onsale-reminder&utm_medium=email&utm_campaign=ticketmaster',
    );

    const none = renderEmail({
      event: makeEvent({ artists: [], venue: undefined }),
      sale: makeSale(),
      locale: 'en-us',
      brand: 'ticketmaster',
      shortUrl: SHORT_URL,
    });
    expect(none.variables).toMatchObject({ artist: 'Drake: Anita Max Win Tour', venue: '', city: '' });
  });

  it('escapes the html variables', () => {
    expect(escapeHtml(`<b>"Tom" & Jerry's</b>`)).toBe('&lt;b&gt;&quot;Tom&quot; &amp; Jerry&#39;s&lt;/b&gt;');
    const { variables } = renderEmail({
      event: makeEvent({ artists: [{ id: 'x', name: 'Simon & <Garfunkel>' }] }),
      sale: makeSale(),
      locale: 'en-us',
      brand: 'ticketmaster',
      shortUrl: SHORT_URL,
    });
    expect(variables.artist).toBe('Simon & <Garfunkel>');
    expect(variables.html.artist).toBe('Simon &amp; &lt;Garfunkel&gt;');
  });
});

describe('EMAIL_TEMPLATES', () => {
  it('has one template per locale, named by emailTemplateName', () => {
    expect(EMAIL_TEMPLATES.map((template) => template.name)).toEqual(LOCALES.map(emailTemplateName));
    expect(emailTemplateName('fr-ca')).toBe('onsale-reminder-fr-ca');
  });

  it.each(LOCALES)('%s renders (as the SES sandbox does) with every variable filled', (locale) => {
    const template = EMAIL_TEMPLATES.find((candidate) => candidate.name === emailTemplateName(locale));
    if (template === undefined) throw new Error(`no template for ${locale}`);
    const render = compileTemplateParts(
      { Subject: template.subject, Html: template.html, Text: template.text },
      { strict: true },
    );
    const event = makeEvent({ artists: [{ id: 'x', name: 'Simon & <Garfunkel>' }] });
    for (const sale of [makeSale(), makePublicSale()]) {
      const { variables } = renderEmail({ event, sale, locale, brand: 'ticketmaster', shortUrl: SHORT_URL });
      const rendered = render({ ...variables });
      for (const part of [rendered.subject, rendered.html, rendered.text]) {
        expect(part).not.toContain('{{');
        expect(part).toContain(variables.saleTime);
      }
      expect(rendered.subject).toContain('Simon & <Garfunkel>');
      const presaleName = locale === 'fr-ca' ? 'Prévente Citi' : 'Citi Presale';
      expect(rendered.subject.includes(presaleName)).toBe(sale.type !== 'public');
      expect(rendered.text).toContain(`Simon & <Garfunkel>`);
      expect(rendered.text).toContain(SHORT_URL);
      expect(rendered.text).toContain('Madison Square Garden, New York');
      expect(rendered.html).toContain('Simon &amp; &lt;Garfunkel&gt;');
      expect(rendered.html).not.toContain('<Garfunkel>');
      expect(rendered.html).toContain(`href="${SHORT_URL}"`);
    }
  });
});

describe('pickLocale (re-exported with the templates)', () => {
  it("prefers the fan's locale", () => {
    expect(pickLocale('en-ca', 'fr-ca')).toBe('en-ca');
    expect(pickLocale(undefined, 'fr-ca')).toBe('fr-ca');
  });
});
