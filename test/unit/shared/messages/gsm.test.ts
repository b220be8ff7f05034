import fc from 'fast-check';
import {
  foldToGsm,
  GSM_BASIC,
  GSM_EXTENSION,
  gsmSeptets,
  measureSms,
  truncateGsm,
} from '#shared/messages/gsm';

describe('GSM-7 alphabet', () => {
  it('has 127 basic characters (plus escape) and 10 extension characters', () => {
    expect(new Set(GSM_BASIC).size).toBe(127);
    expect(Array.from(GSM_BASIC)).toHaveLength(127);
    expect(Array.from(GSM_EXTENSION).sort()).toEqual(
      ['\f', '[', '\\', ']', '^', '{', '|', '}', '~', '€'].sort(),
    );
  });

  it('holds é è ù ì ò à and capital Ç, but not ê â î ô û ç ë ï', () => {
    for (const char of 'éèùìòàÇÉÄÖÑÜäöñüß') expect(gsmSeptets(char)).toBe(1);
    for (const char of 'êâîôûçëïÊÈÀœ®’…') expect(gsmSeptets(char)).toBeUndefined();
  });
});

describe('measureSms', () => {
  it('counts plain GSM-7 text in septets: 160 is one segment, 161 two, 306 two, 307 three', () => {
    expect(measureSms('a'.repeat(160))).toEqual({ encoding: 'GSM-7', length: 160, segments: 1 });
    expect(measureSms('a'.repeat(161))).toEqual({ encoding: 'GSM-7', length: 161, segments: 2 });
    expect(measureSms('a'.repeat(306))).toEqual({ encoding: 'GSM-7', length: 306, segments: 2 });
    expect(measureSms('a'.repeat(307))).toEqual({ encoding: 'GSM-7', length: 307, segments: 3 });
  });

  it('counts each extension character as two septets', () => {
    expect(measureSms('€'.repeat(80))).toEqual({ encoding: 'GSM-7', length: 160, segments: 1 });
    expect(measureSms('{'.repeat(81))).toEqual({ encoding: 'GSM-7', length: 162, segments: 2 });
    expect(measureSms(`${'a'.repeat(155)}[]`)).toEqual({ encoding: 'GSM-7', length: 159, segments: 1 });
    expect(measureSms(`${'a'.repeat(157)}~|`).segments).toBe(2);
  });

  it('never splits an escape sequence across two parts', () => {
    // 306 septets would be exactly two full parts, but the € cannot straddle septets 153/154.
    const text = `${'a'.repeat(152)}€${'a'.repeat(152)}`;
    expect(measureSms(text)).toEqual({ encoding: 'GSM-7', length: 306, segments: 3 });
  });

  it.each(['ç', 'ê', '®', '’', '😀'])('switches to UCS-2 with one %s', (char) => {
    const text = `${'a'.repeat(60)}${char}`;
    expect(measureSms(text)).toEqual({ encoding: 'UCS-2', length: text.length, segments: 1 });
    expect(measureSms('a'.repeat(60)).encoding).toBe('GSM-7');
  });

  it('keeps GSM-7 with French letters of the basic set', () => {
    expect(measureSms('Répondez ARRET; à bientôt? Non: à très vite, Ça va').encoding).toBe('UCS-2');
    expect(measureSms('Répondez ARRET, à très vite. Ça va').encoding).toBe('GSM-7');
  });

  it('uses 70 / 67 UCS-2 units per segment and counts emoji as two units', () => {
    expect(measureSms(`${'a'.repeat(69)}ç`)).toEqual({ encoding: 'UCS-2', length: 70, segments: 1 });
    expect(measureSms(`${'a'.repeat(70)}ç`)).toEqual({ encoding: 'UCS-2', length: 71, segments: 2 });
    expect(measureSms(`${'a'.repeat(68)}😀`)).toEqual({ encoding: 'UCS-2', length: 70, segments: 1 });
    // 134 units would be two parts, but the surrogate pair cannot straddle units 67/68.
    expect(measureSms(`${'a'.repeat(66)}😀${'a'.repeat(66)}`)).toEqual({
      encoding: 'UCS-2',
      length: 134,
      segments: 3,
    });
  });

  it('gives an empty body 0 segments', () => {
    expect(measureSms('')).toEqual({ encoding: 'GSM-7', length: 0, segments: 0 });
  });
});

describe('foldToGsm', () => {
  it('removes every accent in English', () => {
    expect(foldToGsm('Beyoncé', 'en-us')).toBe('Beyonce');
    expect(foldToGsm('Mötley Crüe', 'en-ca')).toBe('Motley Crue');
    expect(foldToGsm('Sigur Rós à Ça Ñ', 'en-us')).toBe('Sigur Ros a Ca N');
  });

  it('keeps GSM-7 accents in French and folds the others', () => {
    expect(foldToGsm('Beyoncé à Montréal', 'fr-ca')).toBe('Beyoncé à Montréal');
    expect(foldToGsm('Fête des Gars à Québec', 'fr-ca')).toBe('Fete des Gars à Québec');
    expect(foldToGsm('Garçon, île, août, Noël, Ça', 'fr-ca')).toBe('Garcon, ile, aout, Noel, Ça');
    expect(foldToGsm('Élise Èva', 'fr-ca')).toBe('Élise Eva');
    expect(foldToGsm('Sœur de cœur', 'fr-ca')).toBe('Soeur de coeur');
  });

  it('folds typography and removes trademark signs', () => {
    expect(foldToGsm('Citi® Cardmember Presale™', 'en-us')).toBe('Citi Cardmember Presale');
    expect(foldToGsm('“Guns N’ Roses” – Live…', 'en-us')).toBe('"Guns N\' Roses" - Live...');
    expect(foldToGsm('«Les Colocs» — UTC−5', 'fr-ca')).toBe('"Les Colocs" - UTC-5');
  });

  it('turns any whitespace into one plain space', () => {
    expect(foldToGsm('10:00\u202FAM\u00A0EST\n\tNow', 'en-us')).toBe('10:00 AM EST Now');
  });

  it('removes emoji and scripts without an equivalent, keeping extension characters', () => {
    expect(foldToGsm('🎸 Rock 🤘 Night 👨‍👩‍👧', 'en-us')).toBe('Rock Night');
    expect(foldToGsm('BTS 방탄소년단', 'en-us')).toBe('BTS');
    expect(foldToGsm('€5 [Live] {A|B}', 'en-us')).toBe('€5 [Live] {A|B}');
    expect(foldToGsm('Ｔｏｋｙｏ ½', 'en-us')).toBe('Tokyo 1/2');
  });

  it('always yields GSM-7 text', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', maxLength: 200 }),
        fc.constantFrom('en-us', 'en-ca', 'fr-ca' as const),
        (text, locale) => {
          const folded = foldToGsm(text, locale);
          expect(measureSms(folded).encoding).toBe('GSM-7');
          expect(folded).toBe(folded.trim());
        },
      ),
    );
  });
});

describe('truncateGsm', () => {
  it('leaves text that fits and cuts the rest with three dots', () => {
    expect(truncateGsm('Drake', 5)).toBe('Drake');
    expect(truncateGsm('Madison Square Garden', 12)).toBe('Madison S...');
    expect(truncateGsm('Madison Square Garden', 11)).toBe('Madison...');
  });

  it('counts extension characters as two septets', () => {
    expect(truncateGsm('€€€€€€', 9)).toBe('€€€...');
    expect(measureSms(truncateGsm('€€€€€€', 8)).length).toBeLessThanOrEqual(8);
  });

  it('keeps one character at the shortest', () => {
    expect(truncateGsm('Taylor Swift', 5)).toBe('Ta...');
    expect(truncateGsm('€uros!', 5)).toBe('€...');
  });
});
