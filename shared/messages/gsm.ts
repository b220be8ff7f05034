/**
 * GSM 03.38 (GSM-7) alphabet: what fits in a 160-character SMS, and folding text into it.
 */
import type { Locale } from '#shared/domain/model';

export type SmsEncoding = 'GSM-7' | 'UCS-2';

export interface SmsMeasure {
  encoding: SmsEncoding;
  /** Septets for GSM-7 (an extension character counts 2), UTF-16 code units for UCS-2. */
  length: number;
  segments: number;
}

/** The basic character set (127 characters; 0x1B is the escape to the extension table). */
export const GSM_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
  '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';

/** The extension table: each character is sent as ESC + code, two septets. */
export const GSM_EXTENSION = '\f^{}\\[]~|€';

const BASIC = new Set(GSM_BASIC);
const EXTENSION = new Set(GSM_EXTENSION);

export const GSM_SINGLE_SEGMENT = 160;
export const GSM_MULTI_SEGMENT = 153;
export const UCS2_SINGLE_SEGMENT = 70;
export const UCS2_MULTI_SEGMENT = 67;

export function isGsmChar(char: string): boolean {
  return BASIC.has(char) || EXTENSION.has(char);
}

/** Septets one GSM-7 character takes (undefined when it is not in the alphabet). */
export function gsmSeptets(char: string): 1 | 2 | undefined {
  if (BASIC.has(char)) return 1;
  if (EXTENSION.has(char)) return 2;
  return undefined;
}

/**
 * Encoding, length and segment count of an SMS body, as a carrier counts them. Concatenated parts hold
 * 153 septets (67 UCS-2 units) and never split an escape sequence or a surrogate pair. An empty body
 * has 0 segments.
 */
export function measureSms(text: string): SmsMeasure {
  const chars = Array.from(text);
  const septets = chars.map(gsmSeptets);
  if (septets.every((cost) => cost !== undefined)) {
    return {
      encoding: 'GSM-7',
      ...countSegments(
        septets.map((cost) => cost ?? 0),
        GSM_SINGLE_SEGMENT,
        GSM_MULTI_SEGMENT,
      ),
    };
  }
  return {
    encoding: 'UCS-2',
    ...countSegments(
      chars.map((char) => char.length),
      UCS2_SINGLE_SEGMENT,
      UCS2_MULTI_SEGMENT,
    ),
  };
}

function countSegments(costs: number[], single: number, multi: number): { length: number; segments: number } {
  const length = costs.reduce((sum, cost) => sum + cost, 0);
  if (length === 0) return { length, segments: 0 };
  if (length <= single) return { length, segments: 1 };
  let segments = 1;
  let used = 0;
  for (const cost of costs) {
    if (used + cost > multi) {
      segments += 1;
      used = 0;
    }
    used += cost;
  }
  return { length, segments };
}

/** Typography and symbols with a plain GSM-7 equivalent ('' removes the character). */
const REPLACEMENTS: Readonly<Record<string, string>> = {
  '\u2018': "'",
  '\u2019': "'",
  '\u201A': "'",
  '\u201B': "'",
  '\u2032': "'",
  '\u2039': "'",
  '\u203A': "'",
  '\u02BC': "'",
  '\u00B4': "'",
  '`': "'",
  '\u201C': '"',
  '\u201D': '"',
  '\u201E': '"',
  '\u201F': '"',
  '\u2033': '"',
  '\u00AB': '"',
  '\u00BB': '"',
  '\u2010': '-',
  '\u2011': '-',
  '\u2012': '-',
  '\u2013': '-',
  '\u2014': '-',
  '\u2015': '-',
  '\u2212': '-',
  '\u2043': '-',
  '\u2022': '-',
  '\u00B7': '-',
  '\u2026': '...',
  '\u2044': '/',
  '\u00F7': '/',
  '\u00D7': 'x',
  '\u00A2': 'c',
  '\u00AE': '',
  '\u2122': '',
  '\u00A9': '',
  '\u2117': '',
  '\u0152': 'OE',
  '\u0153': 'oe',
  '\u0141': 'L',
  '\u0142': 'l',
  '\u0110': 'D',
  '\u0111': 'd',
  '\u00D0': 'D',
  '\u00F0': 'd',
  '\u00DE': 'Th',
  '\u00FE': 'th',
  '\u0131': 'i',
};

const MARKS = /\p{M}/gu;
const WHITESPACE = /\s+/gu;

function stripMarks(text: string, form: 'NFD' | 'NFKD'): string {
  return text.normalize(form).replace(MARKS, '');
}

function foldChar(char: string, english: boolean): string {
  const replacement = REPLACEMENTS[char];
  if (replacement !== undefined) return replacement;
  // English messages carry no accents at all (é -> e even though é is GSM-7); French keeps what GSM-7 has.
  const base = english ? stripMarks(char, 'NFD') : char;
  if (Array.from(base).every(isGsmChar)) return base;
  const compatible = Array.from(stripMarks(char, 'NFKD'))
    .map((part) => REPLACEMENTS[part] ?? part)
    .join('');
  if (compatible !== '' && Array.from(compatible).every(isGsmChar)) return compatible;
  return '';
}

/**
 * Folds text into the GSM-7 alphabet for a locale:
 * - whitespace of any kind (no-break, narrow no-break, tabs, new lines) becomes one plain space, and the
 *   result is trimmed;
 * - curly quotes, guillemets, dashes, the ellipsis, ×, ÷ become their ASCII equivalents; ®, ™, © and ℗
 *   are removed;
 * - en-us / en-ca: every diacritic is removed (é -> e, ñ -> n, Ç -> C);
 *   fr-ca: letters of the GSM-7 alphabet are kept (é è à ù É Ç ...), the others lose their accent
 *   (ê -> e, ç -> c, ô -> o, ë -> e);
 * - ligatures and letters without a decomposition are spelled out (œ -> oe, ł -> l);
 * - anything else without a GSM-7 equivalent (emoji, CJK, Hangul, Arabic...) is removed.
 */
export function foldToGsm(text: string, locale: Locale): string {
  const english = locale !== 'fr-ca';
  let folded = '';
  for (const char of text.normalize('NFC').replace(WHITESPACE, ' ')) {
    folded += foldChar(char, english);
  }
  return folded.replace(/ {2,}/g, ' ').trim();
}

/**
 * Cuts GSM-7 text to at most maxSeptets septets, ending with "..." when something was cut. Keeps at
 * least one character before the dots, so maxSeptets should be 5 or more.
 */
export function truncateGsm(text: string, maxSeptets: number): string {
  const chars = Array.from(text);
  const total = chars.reduce((sum, char) => sum + (gsmSeptets(char) ?? 2), 0);
  if (total <= maxSeptets) return text;
  const room = maxSeptets - 3;
  let kept = '';
  let used = 0;
  for (const char of chars) {
    const cost = gsmSeptets(char) ?? 2;
    if (used + cost > room) break;
    kept += char;
    used += cost;
  }
  const trimmed = kept.trimEnd();
  return `${trimmed === '' ? (chars[0] ?? '') : trimmed}...`;
}
