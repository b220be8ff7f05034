import { classifySale, foldSaleName } from '#shared/domain/sale-type';

describe('classifySale', () => {
  it.each([
    ['Verified Fan Presale', 'verified_fan'],
    ['Fan Club Verified Fan Presale', 'verified_fan'],
    ['Verified Fan Onsale', 'verified_fan'],
    ['VERIFIED FAN® PRESALE', 'verified_fan'],
    ['Prévente Fan Vérifié', 'verified_fan'],
    ['Citi® Cardmember Presale', 'card_member'],
    ['Citi Card Member Preferred Presale', 'card_member'],
    ['American Express® Card Member Presale', 'card_member'],
    ['AMEX Presale', 'card_member'],
    ['Mastercard® Preferred Presale', 'card_member'],
    ['Capital One Cardholder Presale', 'card_member'],
    ['Capital One® Card Holder Early Access', 'card_member'],
    ['Chase Sapphire Presale', 'card_member'],
    ['Prévente membres American Express®', 'card_member'],
    ['Prévente détenteurs de la carte Scotiabank', 'card_member'],
    ['VIP Package Presale', 'vip'],
    ['VIP Packages', 'vip'],
    ['Official Platinum', 'vip'],
    ['Official Platinum Seats', 'vip'],
    ['Prévente forfaits VIP', 'vip'],
    ['Verified Fan Registration', 'registration'],
    ['Presale Registration', 'registration'],
    ['Inscription Fan Vérifié', 'registration'],
    ['Public Onsale', 'public'],
    ['General Public Sale', 'public'],
    ['Vente au public', 'public'],
    ['Spotify Fans First Presale', 'presale'],
    ['Live Nation Mobile App Presale', 'presale'],
    ['Fan Club Presale', 'presale'],
    ['Chase Center Presale', 'presale'],
    ['Rogers Presale', 'presale'],
    ['', 'presale'],
  ] as const)('%s → %s', (name, expected) => {
    expect(classifySale(name)).toBe(expected);
  });

  it('classifies a registration before the sale type it registers for', () => {
    expect(classifySale('Citi Cardmember Presale Registration')).toBe('registration');
  });

  it('lets a card issuer win over "platinum" (a card name, not the Platinum product)', () => {
    expect(classifySale('American Express Platinum Card Presale')).toBe('card_member');
  });
});

describe('foldSaleName', () => {
  it('removes accents, trademark signs, case and punctuation', () => {
    expect(foldSaleName('  Citi®  Cardmember — Prévente! ')).toBe('citi cardmember prevente');
  });
});
