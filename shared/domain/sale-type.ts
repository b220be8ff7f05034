import type { SaleType } from '#shared/domain/model';

/**
 * Classification of a sale by its name. Discovery gives presales free-text names that vary a lot
 * ("Citi® Cardmember Presale", "Fan Club Verified Fan Presale", "Prévente Membres American Express"),
 * so the name is folded (accents, ®/™, case, punctuation) and matched against keyword rules, first match
 * wins. A name that matches nothing is a generic presale.
 *
 * "Official Platinum" is classified as `vip`: it is Ticketmaster's premium, dynamically priced
 * inventory, sold like VIP packages rather than as an access-code presale.
 */

interface Rule {
  type: SaleType;
  patterns: RegExp[];
}

/** Word-boundary patterns over the folded name (lower case ASCII words separated by single spaces). */
const RULES: Rule[] = [
  {
    type: 'registration',
    // "Sign up" names a registration only when the name names no sale: "Sign Up for Presale" and
    // "Fan Club Sign Up Presale" are presales fans buy in.
    patterns: [
      /\bregistration\b/,
      /\bregister\b/,
      /\binscription\b/,
      /^(?!.*\b(presales?|pre sales?|prevente|sale|onsale|on sale|offer|tickets)\b).*\bsign ?up\b/,
    ],
  },
  {
    type: 'verified_fan',
    patterns: [/\bverified fan\b/, /\bfan verifie\b/, /\bfans verifies\b/, /\bverifiedfan\b/],
  },
  {
    type: 'card_member',
    patterns: [
      /\bciti\b/,
      /\bcitibank\b/,
      /\bamerican express\b/,
      /\bamex\b/,
      /\bmastercard\b/,
      /\bcapital one\b/,
      /\bchase (sapphire|freedom|card)\b/,
      /\bvisa\b/,
      /\bdiscover card\b/,
      /\bbank of america\b/,
      /\bwells fargo\b/,
      /\bscotiabank\b/,
      /\bcard ?members?\b/,
      /\bcard ?holders?\b/,
      /\bcredit card\b/,
      /\bmembres? (de la )?carte\b/,
      /\bdetenteurs? de (la )?carte\b/,
      /\btitulaires? de (la )?carte\b/,
    ],
  },
  {
    type: 'vip',
    patterns: [
      /\bvip\b/,
      /\bpackages?\b/,
      /\bforfaits?\b/,
      /\bofficial platinum\b/,
      /\bplatinum\b/,
      /\bplatine\b/,
    ],
  },
  {
    type: 'public',
    patterns: [
      /^(general )?public (on ?sale|sale)$/,
      /^general (on ?sale|sale)$/,
      /^vente (au|grand) public$/,
      /^mise en vente (generale|publique)$/,
    ],
  },
];

/** Lower case, accents and trademark signs removed, every run of non-alphanumerics a single space. */
export function foldSaleName(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/[®™©℠]/g, ' ')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

export function classifySale(name: string): SaleType {
  const folded = foldSaleName(name);
  for (const rule of RULES) {
    if (rule.patterns.some((pattern) => pattern.test(folded))) return rule.type;
  }
  return 'presale';
}
