/**
 * The SES v2 email templates, one per locale (Handlebars syntax, as SES renders it). The infrastructure
 * creates them in SES under these names; the local SES sandbox renders the same text.
 * Html uses the `html.*` variables, which renderEmail escapes: SES itself does not escape
 * (https://docs.aws.amazon.com/ses/latest/dg/send-personalized-email-advanced.html, "SES doesn't escape
 * HTML content when rendering the HTML template"). Both parts end with the recipient's unsubscribe link
 * (`unsubscribeUrl`, added by the email client for each recipient).
 */
import { LOCALES, type Locale } from '#shared/domain/model';
import { emailTemplateName } from '#shared/messages/email';

export { pickLocale } from '#shared/messages/format';

export interface EmailTemplate {
  name: string;
  subject: string;
  html: string;
  text: string;
}

interface Wording {
  lang: string;
  subjectPresale: string;
  subjectPublic: string;
  intro: string;
  when: string;
  where: string;
  button: string;
  footer: string;
  unsubscribe: string;
}

/** The English wording (en-US; en-CA differs only by its language tag). */
const ENGLISH: Wording = {
  lang: 'en-US',
  subjectPresale: '{{saleLabel}} for {{artist}} starts {{saleDate}}, {{saleTime}} {{timeZone}}',
  subjectPublic: 'Tickets for {{artist}} go on sale {{saleDate}}, {{saleTime}} {{timeZone}}',
  intro: 'Get ready: tickets for {{ARTIST}} are almost here.',
  when: '{{SALE}} starts {{saleDate}} at {{saleTime}} {{timeZone}}.',
  where: '{{VENUE}}{{#if city}}, {{CITY}}{{/if}}',
  button: 'Get tickets',
  footer: 'You receive this email because you asked {{brand}} for a reminder for this event.',
  unsubscribe: 'Unsubscribe from these reminders',
};

const WORDING: Readonly<Record<Locale, Wording>> = {
  'en-us': ENGLISH,
  'en-ca': { ...ENGLISH, lang: 'en-CA' },
  'fr-ca': {
    lang: 'fr-CA',
    subjectPresale: '{{saleLabel}} pour {{artist}} : le {{saleDate}} à {{saleTime}} {{timeZone}}',
    subjectPublic: 'Billets pour {{artist}} en vente le {{saleDate}} à {{saleTime}} {{timeZone}}',
    intro: 'Préparez-vous : les billets pour {{ARTIST}} arrivent bientôt.',
    when: '{{SALE}} : le {{saleDate}} à {{saleTime}} {{timeZone}}.',
    where: '{{VENUE}}{{#if city}}, {{CITY}}{{/if}}',
    button: 'Obtenir des billets',
    footer: 'Vous recevez ce courriel parce que vous avez demandé un rappel à {{brand}} pour cet événement.',
    unsubscribe: 'Se désabonner de ces rappels',
  },
};

/** Fills the wording's upper-case markers with the plain (text) or escaped (html) variables. */
function fill(line: string, kind: 'text' | 'html'): string {
  const prefix = kind === 'html' ? 'html.' : '';
  return line
    .replaceAll('{{ARTIST}}', `{{${prefix}artist}}`)
    .replaceAll('{{SALE}}', `{{${prefix}saleLabel}}`)
    .replaceAll('{{VENUE}}', `{{${prefix}venue}}`)
    .replaceAll('{{CITY}}', `{{${prefix}city}}`);
}

function template(locale: Locale): EmailTemplate {
  const w = WORDING[locale];
  const subject = `{{#if isPresale}}${w.subjectPresale}{{else}}${w.subjectPublic}{{/if}} - {{brand}}`;
  const text = [
    fill(w.intro, 'text'),
    '',
    fill(w.when, 'text'),
    '{{#if venue}}',
    fill(w.where, 'text'),
    '{{/if}}',
    '',
    `${w.button}: {{url}}`,
    '',
    w.footer,
    '{{#if unsubscribeUrl}}',
    `${w.unsubscribe}: {{unsubscribeUrl}}`,
    '{{/if}}',
  ].join('\n');
  const html = [
    '<!doctype html>',
    `<html lang="${w.lang}">`,
    '<body style="font-family: Arial, sans-serif; color: #1f262d;">',
    '<p style="font-weight: bold;">{{brand}}</p>',
    `<h1 style="font-size: 20px;">${fill(w.intro, 'html')}</h1>`,
    `<p>${fill(w.when, 'html')}</p>`,
    `{{#if venue}}<p>${fill(w.where, 'html')}</p>{{/if}}`,
    `<p><a href="{{html.url}}" style="background: #026cdf; color: #ffffff; padding: 12px 20px; text-decoration: none;">${w.button}</a></p>`,
    `<p style="font-size: 12px; color: #646f7a;">${w.footer}</p>`,
    `{{#if html.unsubscribeUrl}}<p style="font-size: 12px;"><a href="{{html.unsubscribeUrl}}" style="color: #646f7a;">${w.unsubscribe}</a></p>{{/if}}`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
  return { name: emailTemplateName(locale), subject, html, text };
}

export const EMAIL_TEMPLATES: EmailTemplate[] = LOCALES.map(template);
