// Applicant contact (phone or e-mail): one canonical form per address, so that the household limit and
// duplicate checks compare like with like, and notifications go to a number the gateway accepts.
// Pure and dependency-free: the browser form uses it for instant feedback.

export type ContactResult =
  | { ok: true; kind: 'phone' | 'email'; value: string }
  | { ok: false; code: 'contact_invalid'; message: string };

const invalid = (message: string): ContactResult => ({ ok: false, code: 'contact_invalid', message });

// Any C0/C1 control character or DEL: invisible, so a value containing one cannot be what the person meant,
// and it could corrupt logs or SMS gateway requests.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

// Printable ASCII only in the local part: quoted and internationalised local parts are legal but rare, and
// many mail gateways mishandle them. Domains may be IDNs, but only in their punycode (xn--) form.
const EMAIL =
  /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * Normalises a phone number or e-mail address.
 * - Indonesian mobiles given as `08…`, `628…` or `+628…` (spaces, dashes, dots, parentheses allowed)
 *   become E.164 `+628…` with a national number of 9–12 digits.
 * - Other countries' numbers are accepted in E.164 with a leading '+', unchanged apart from separators.
 *   Non-mobile +62 numbers are rejected: a landline cannot receive the confirmation SMS.
 * - E-mail addresses are trimmed and lower-cased as a whole (mailbox case sensitivity is never used in
 *   practice, and one canonical form matters more here).
 * Idempotent: normalising an accepted value returns it unchanged.
 */
export function normalizeContact(input: string): ContactResult {
  const s = input.trim();
  if (s === '') return invalid('Enter a phone number or e-mail address.');
  if (CONTROL.test(s)) return invalid('Contact contains invalid characters.');
  return s.includes('@') ? normalizeEmail(s) : normalizePhone(s);
}

function normalizeEmail(s: string): ContactResult {
  const email = s.toLowerCase();
  if (email.length > 254) return invalid('E-mail address is too long.');
  const at = email.indexOf('@');
  if (at > 64) return invalid('E-mail address is too long.');
  // The regex also requires a dot in the domain: a bare hostname is never a public mail domain.
  if (!EMAIL.test(email)) return invalid('E-mail address is not valid.');
  const tld = email.slice(email.lastIndexOf('.') + 1);
  if (/^\d+$/.test(tld)) return invalid('E-mail address is not valid.');
  return { ok: true, kind: 'email', value: email };
}

function normalizePhone(s: string): ContactResult {
  // "+62 (0)812…" is a common way of writing the trunk prefix next to the country code; the 0 is not dialled.
  const compact = s.replace(/^\+62\s*\(0\)/, '+62').replace(/[\s\-.()]/g, '');
  if (!/^\+?\d+$/.test(compact))
    return invalid('Phone number may only contain digits, spaces, - . ( ) and a leading +.');

  let national: string | null = null;
  if (compact.startsWith('+62')) national = compact.slice(3);
  else if (compact.startsWith('62')) national = compact.slice(2);
  else if (compact.startsWith('08')) national = compact.slice(1);

  if (national !== null) {
    if (!/^8\d{8,11}$/.test(national)) return invalid('Not a valid Indonesian mobile number.');
    return { ok: true, kind: 'phone', value: `+62${national}` };
  }
  if (/^\+[1-9]\d{7,14}$/.test(compact)) return { ok: true, kind: 'phone', value: compact };
  return invalid('Phone number must start with 08, 62 or + and a country code.');
}

/**
 * Masks a normalised contact for display and logs: `+62812****7890`, `b***@example.com`.
 * At least four digits stay hidden even for short foreign numbers, at the cost of showing less context.
 */
export function maskContact(value: string): string {
  const at = value.lastIndexOf('@');
  if (at >= 0) {
    // A fixed number of stars, so the mask does not reveal the length of the local part.
    return `${value.slice(0, Math.min(1, at))}***${value.slice(at)}`;
  }
  // Only E.164 lengths: a shorter digit string would be mostly revealed by the head and tail.
  if (/^\+\d{8,15}$/.test(value)) {
    const digits = value.slice(1);
    let head = digits.startsWith('62') ? 5 : 3;
    let tail = 4;
    while (digits.length - head - tail < 4 && (tail > 2 || head > 1)) {
      if (tail > 2) tail--;
      else head--;
    }
    const hidden = digits.length - head - tail;
    return `+${digits.slice(0, head)}${'*'.repeat(hidden)}${digits.slice(digits.length - tail)}`;
  }
  // Not a normalised value: its structure is unknown, so show nothing of it.
  return '***';
}
