// A person's name as typed by an applicant and shown to officers at the counter. Pure, so the browser
// form can give the same answer as the server.
//
// Names are compared and shown in NFC, so "é" typed as e + combining accent and as one code point are one
// name. Counting is in graphemes (what a reader sees as one character), not UTF-16 units: "A" followed by
// 99 combining marks is one tall smear on the officer's screen, not a 100-character name.

export const NAME_MIN_GRAPHEMES = 2;
export const NAME_MAX_GRAPHEMES = 80;
/**
 * Combining marks one letter may carry. Vietnamese stacks two (ệ), Indic and Javanese script clusters a
 * few more; a pile beyond this is an attack on the display, not a name.
 */
export const NAME_MAX_MARKS_PER_LETTER = 4;

const ALLOWED = /^[\p{L}\p{M} .,'-]+$/u;
const MARK = /\p{M}/gu;
const LETTER = /\p{L}/u;

const segmenter = new Intl.Segmenter('und', { granularity: 'grapheme' });

export type NameResult = { ok: true; name: string } | { ok: false; message: string };

export function normalizePersonName(raw: string): NameResult {
  // Line breaks, tabs and NUL are refused, not folded into spaces: they are not how anyone types a name.
  if (/\p{Cc}/u.test(raw)) return { ok: false, message: "letters, spaces and . , ' - only" };
  const name = raw.normalize('NFC').trim().replace(/\s+/gu, ' ');
  if (!ALLOWED.test(name)) return { ok: false, message: "letters, spaces and . , ' - only" };
  let graphemes = 0;
  let letters = 0;
  for (const { segment } of segmenter.segment(name)) {
    graphemes++;
    if (graphemes > NAME_MAX_GRAPHEMES) {
      return { ok: false, message: `at most ${NAME_MAX_GRAPHEMES} characters` };
    }
    if ((segment.match(MARK)?.length ?? 0) > NAME_MAX_MARKS_PER_LETTER) {
      return { ok: false, message: 'too many accents on one letter' };
    }
    // A grapheme that begins with a mark has nothing to sit on (a name of marks only, or a mark after a
    // space or a dash).
    if (/^\p{M}/u.test(segment)) return { ok: false, message: 'an accent must follow a letter' };
    if (LETTER.test(segment)) letters++;
  }
  if (letters === 0) return { ok: false, message: 'must contain letters' };
  if (graphemes < NAME_MIN_GRAPHEMES)
    return { ok: false, message: `at least ${NAME_MIN_GRAPHEMES} characters` };
  return { ok: true, name };
}
