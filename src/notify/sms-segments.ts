// How many SMS a text costs. GSM-7 (3GPP TS 23.038) fits 160 characters in one message; a longer text is
// sent as concatenated parts whose header leaves room for 153. One character outside GSM-7 (an emoji, a
// curly quote, '`') switches the whole text to UCS-2: 70 UTF-16 units alone, 67 per part. Operators bill
// per part, so the count must be the one the gateway will use, not length / 160.

const BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
  '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
/** Sent as ESC + character: two septets each. */
const EXTENSION = '\f^{}\\[~]|€';

const extension = new Set(EXTENSION);

/**
 * Septets per UTF-16 unit (0: no GSM-7 form). Every GSM-7 character is one BMP unit, so a table indexed
 * by char code answers what looking in BASIC and EXTENSION would, without iterating by code point or
 * hashing one-character strings: the notify path counts every message's text.
 */
const SEPTETS = new Uint8Array(0x10000);
for (const ch of BASIC) SEPTETS[ch.charCodeAt(0)] = 1;
for (const ch of EXTENSION) SEPTETS[ch.charCodeAt(0)] = 2;

export type SmsEncoding = 'gsm7' | 'ucs2';

export const SMS_LIMITS = {
  gsm7: { single: 160, part: 153 },
  ucs2: { single: 70, part: 67 },
} as const;

export interface SmsSegmentation {
  encoding: SmsEncoding;
  /** Septets (GSM-7) or UTF-16 code units (UCS-2) of the whole text. */
  units: number;
  segments: number;
}

/** Septets the text takes in GSM-7, or null when some character has no GSM-7 form. */
export function gsm7Length(text: string): number | null {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    // A surrogate (half of a character outside the BMP) has no entry, like every non-GSM-7 character.
    const septets = SEPTETS[text.charCodeAt(i)]!;
    if (septets === 0) return null;
    n += septets;
  }
  return n;
}

export function isGsm7(text: string): boolean {
  return gsm7Length(text) !== null;
}

/**
 * The parts a gateway sends. Splitting never cuts an escape pair (GSM-7) or a surrogate pair (UCS-2) in two,
 * so a part may hold one unit less than its nominal size, as real handsets and gateways do.
 */
export function splitSms(text: string): { encoding: SmsEncoding; parts: string[] } {
  return splitCounted(text, gsm7Length(text));
}

function splitCounted(text: string, septets: number | null): { encoding: SmsEncoding; parts: string[] } {
  const encoding: SmsEncoding = septets === null ? 'ucs2' : 'gsm7';
  const cost = (ch: string) => (encoding === 'gsm7' ? (extension.has(ch) ? 2 : 1) : ch.length);
  const total = septets ?? text.length;
  const limits = SMS_LIMITS[encoding];
  if (total <= limits.single) return { encoding, parts: [text] };
  const parts: string[] = [];
  let current = '';
  let used = 0;
  for (const ch of text) {
    const c = cost(ch);
    if (used + c > limits.part) {
      parts.push(current);
      current = '';
      used = 0;
    }
    current += ch;
    used += c;
  }
  if (current) parts.push(current);
  return { encoding, parts };
}

export function countSegments(text: string): SmsSegmentation {
  const septets = gsm7Length(text);
  const encoding: SmsEncoding = septets === null ? 'ucs2' : 'gsm7';
  const units = septets ?? text.length;
  // Most texts fit one SMS: no need to build the parts to count them.
  if (units <= SMS_LIMITS[encoding].single) return { encoding, units, segments: 1 };
  return { encoding, units, segments: splitCounted(text, septets).parts.length };
}
