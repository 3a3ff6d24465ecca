// The '|'-joined records of entries (entry-codec.ts, account-entry-codec.ts): an empty field is an absent
// value and trailing empty fields are left out, because every byte is paid once per entry.

/** The fields joined by '|', trailing empty ones left out, but never fewer than `keep`. */
export function packFields(fields: string[], keep = 0): string {
  let end = fields.length;
  while (end > keep && fields[end - 1] === '') end--;
  return fields.slice(0, end).join('|');
}

/** Session preferences as one field: ids joined by ',', empty = any session. */
export const packPrefs = (prefs: string[] | null): string => (prefs ? prefs.join(',') : '');
export const unpackPrefs = (s: string): string[] | null => (s ? s.split(',') : null);
