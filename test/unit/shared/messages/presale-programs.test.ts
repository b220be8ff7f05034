import { classifySale } from '#shared/domain/sale-type';
import { findProgram, PRESALE_PROGRAMS, presaleLabel } from '#shared/messages/presale-programs';

describe('presale programs', () => {
  // Names from the real payloads of test/fixtures/discovery-real and the card programs of Canada.
  it.each([
    ['Citi® Cardmember Presale', 'citi', 'Citi presale', 'Prévente Citi'],
    ['Citi® Cardmember Presales', 'citi', 'Citi presale', 'Prévente Citi'],
    ['Citi Cardmember Preferred Tickets', 'citi', 'Citi presale', 'Prévente Citi'],
    ['American Express® Card Member Presale', 'amex', 'Amex presale', 'Prévente Amex'],
    ['Prévente Membres American Express', 'amex', 'Amex presale', 'Prévente Amex'],
    ['Chase Sapphire Presale', 'chase', 'Chase presale', 'Prévente Chase'],
    ['Capital One Cardholder Presale', 'capital-one', 'Capital One presale', 'Prévente Capital One'],
    ['RBC Avion Presale', 'rbc', 'RBC presale', 'Prévente RBC'],
    ['Prévente TD', 'td', 'TD presale', 'Prévente TD'],
    ['Scene+ Member Presale', 'scene-plus', 'Scene+ presale', 'Prévente Scène+'],
    ['Fan Club Verified Fan Presale', 'verified-fan', 'Verified Fan presale', 'Prévente Verified Fan'],
    ['Verified Fan Onsale', 'verified-fan', 'Verified Fan presale', 'Prévente Verified Fan'],
    ['Fan Club Presale', 'fan-club', 'Fan club presale', 'Prévente fan-club'],
    ['Spotify Presale', 'spotify', 'Spotify presale', 'Prévente Spotify'],
    ['Live Nation Mobile App Presale', 'live-nation', 'Live Nation presale', 'Prévente Live Nation'],
    ['Ticketmaster Presale', 'ticketmaster', 'Ticketmaster presale', 'Prévente Ticketmaster'],
    ['Venue Presale', 'venue', 'Venue presale', 'Prévente de la salle'],
    ['Artist Presale', 'artist', 'Artist presale', "Prévente de l'artiste"],
    ['Local Presale', 'local', 'Local presale', 'Prévente locale'],
    ['Stifel PreSale', 'stifel', 'Stifel presale', 'Prévente Stifel'],
    ['Bandsintown Presale', 'bandsintown', 'Bandsintown presale', 'Prévente Bandsintown'],
    ['Official Platinum', 'official-platinum', 'Official Platinum sale', 'Vente Official Platinum'],
    ['Official Platinum Onsale', 'official-platinum', 'Official Platinum sale', 'Vente Official Platinum'],
    ['VIP Packages Presale', 'vip', 'VIP package sale', 'Vente VIP'],
    ['VIP Package Public Onsale', 'vip', 'VIP package sale', 'Vente VIP'],
    ['Season Ticket Holder Offer', 'season-ticket', 'Season ticket holder presale', 'Prévente abonnés'],
    ['Presale Offers', 'generic', 'Presale', 'Prévente'],
  ])('%s is the %s program', (name, id, en, fr) => {
    expect(findProgram(name)?.id).toBe(id);
    expect(presaleLabel(name, 'en', 'Presale')).toMatchObject({ text: en, program: id, fixed: true });
    expect(presaleLabel(name, 'fr', 'Prévente')).toMatchObject({ text: fr, program: id, fixed: true });
  });

  it('does not take an artist called Chase or Rogers for a card program', () => {
    expect(findProgram('Chase Rice Fan Club Presale')?.id).toBe('fan-club');
    expect(findProgram('Kenny Rogers Official Fan Presale')?.id).toBe('fan-club');
  });

  it('keeps a name no program matches, introduced as a presale in French', () => {
    expect(presaleLabel('Argos Insider Presale', 'en', 'Presale')).toEqual({
      text: 'Argos Insider Presale',
      program: undefined,
      keyword: 'Argos',
      fixed: false,
    });
    expect(presaleLabel('Argos Insider Presale', 'fr', 'Prévente')).toEqual({
      text: 'Prévente Argos Insider',
      program: undefined,
      keyword: 'Prévente Argos',
      fixed: false,
    });
    expect(presaleLabel('®™', 'fr', 'Prévente')).toMatchObject({ text: 'Prévente', fixed: true });
  });

  it('names an employer’s staff presale for the employer (Ruoff Employee Offer, real payload)', () => {
    expect(presaleLabel('Ruoff Employee Offer', 'en', 'Presale')).toEqual({
      text: 'Ruoff employee presale',
      program: 'employee',
      keyword: 'Ruoff employee',
      fixed: false,
    });
    expect(presaleLabel('Ruoff Employee Offer', 'fr', 'Prévente')).toEqual({
      text: 'Prévente employés Ruoff',
      program: 'employee',
      keyword: 'Prévente employés Ruoff',
      fixed: false,
    });
    expect(presaleLabel('Indiana University Health Employees Presale', 'en', 'Presale').text).toBe(
      'Indiana University Health employee presale',
    );
    // Only the sponsor's name makes it one: "Employee Offer" alone is kept as written.
    expect(presaleLabel('Employee Offer', 'en', 'Presale')).toMatchObject({
      text: 'Employee Offer',
      program: undefined,
    });
  });

  it('reads "<Sponsor> Presale Offer" as the sponsor’s presale (Aisle Seat Presale Offer, real payload)', () => {
    expect(presaleLabel('Aisle Seat Presale Offer', 'en', 'Presale')).toEqual({
      text: 'Aisle Seat Presale',
      program: undefined,
      keyword: 'Aisle Seat',
      fixed: false,
    });
    expect(presaleLabel('Aisle Seat Presale Offer', 'fr', 'Prévente')).toEqual({
      text: 'Prévente Aisle Seat',
      program: undefined,
      keyword: 'Prévente Aisle Seat',
      fixed: false,
    });
    // Alone, Discovery's "Presale Offer(s)" is the generic presale.
    expect(presaleLabel('Presale Offer', 'fr', 'Prévente')).toMatchObject({
      text: 'Prévente',
      program: 'generic',
    });
  });

  it('gives every program a short English and French form', () => {
    for (const program of PRESALE_PROGRAMS) {
      expect(program.en.length).toBeLessThanOrEqual(28);
      expect(program.fr.length).toBeLessThanOrEqual(28);
    }
  });
});

describe('"sign up" in a presale name', () => {
  it('is a real presale when the name names a sale', () => {
    expect(classifySale('Sign Up for Presale')).toBe('presale');
    expect(classifySale('Fan Club Sign Up Presale')).not.toBe('registration');
  });

  it('is a registration when it names no sale', () => {
    expect(classifySale('Sign Up for Taylor Swift | The Eras Tour')).toBe('registration');
    expect(classifySale('Verified Fan Registration')).toBe('registration');
  });
});
