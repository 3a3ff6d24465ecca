import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { maskContact, normalizeContact } from '../../src/domain/contact.ts';

const phone = (value: string) => ({ ok: true, kind: 'phone', value });
const email = (value: string) => ({ ok: true, kind: 'email', value });

describe('normalizeContact: Indonesian mobiles', () => {
  it.each([
    ['081234567890', '+6281234567890'],
    ['6281234567890', '+6281234567890'],
    ['+6281234567890', '+6281234567890'],
    ['0812-3456-7890', '+6281234567890'],
    ['0812 3456 7890', '+6281234567890'],
    ['0812.3456.7890', '+6281234567890'],
    ['(0812) 3456-7890', '+6281234567890'],
    ['+62 812-3456-7890', '+6281234567890'],
    ['+62 (0)812 3456 7890', '+6281234567890'],
    ['  081234567890\t', '+6281234567890'],
    ['0812345678', '+62812345678'], // 9-digit national number, the shortest
    ['0812345678901', '+62812345678901'], // 12-digit national number, the longest
  ])('%j → %s', (input, value) => {
    expect(normalizeContact(input)).toEqual(phone(value));
  });

  it.each([
    ['081234567', 'national number of 8 digits'],
    ['08123456789012', 'national number of 13 digits'],
    ['0212345678', 'Jakarta landline'],
    ['+62212345678', 'landline with country code'],
    ['62212345678', 'landline with 62'],
    ['+6208123456789', 'trunk 0 after the country code'],
    ['8123456789', 'no prefix'],
    ['0081234567890', 'international 00 prefix'],
    ['+62 812 3456 789x', 'a letter'],
    ['+62_81234567890', 'an underscore'],
    ['0812/3456/7890', 'slashes'],
    ['0812+34567890', 'an inner plus'],
    ['++6281234567890', 'two pluses'],
  ])('rejects %j (%s)', (input) => {
    expect(normalizeContact(input)).toMatchObject({ ok: false, code: 'contact_invalid' });
  });
});

describe('normalizeContact: other countries', () => {
  it.each([
    ['+14155552671', '+14155552671'],
    ['+44 20 7946 0958', '+442079460958'],
    ['+65 6123 4567', '+6561234567'], // 10 digits
    ['+1234567', null], // 7 digits: too short
    ['+12345678', '+12345678'], // 8 digits: shortest accepted
    ['+123456789012345', '+123456789012345'], // 15 digits: longest E.164
    ['+1234567890123456', null], // 16 digits
    ['+0123456789', null], // country code cannot start with 0
    ['14155552671', null], // foreign numbers need the '+'
  ])('%j → %s', (input, value) => {
    const r = normalizeContact(input);
    if (value === null) expect(r).toMatchObject({ ok: false, code: 'contact_invalid' });
    else expect(r).toEqual(phone(value));
  });
});

describe('normalizeContact: e-mail', () => {
  it.each([
    ['budi@example.com', 'budi@example.com'],
    ['  Budi.Santoso@Example.CO.ID ', 'budi.santoso@example.co.id'],
    ['a+tag@sub.example-mail.id', 'a+tag@sub.example-mail.id'],
    ["o'neil_x%y@example.org", "o'neil_x%y@example.org"],
    ['x@xn--80ak6aa92e.com', 'x@xn--80ak6aa92e.com'],
  ])('%j → %s', (input, value) => {
    expect(normalizeContact(input)).toEqual(email(value));
  });

  it.each([
    ['budi@localhost', 'no dot in the domain'],
    ['budi@@example.com', 'two @'],
    ['bu@di@example.com', 'two @ apart'],
    ['@example.com', 'empty local part'],
    ['budi@', 'empty domain'],
    ['bu di@example.com', 'a space'],
    ['budi@exa mple.com', 'a space in the domain'],
    ['budi@exa_mple.com', 'underscore in the domain'],
    ['budi@-example.com', 'label starting with -'],
    ['budi@example-.com', 'label ending with -'],
    ['budi@example..com', 'empty label'],
    ['budi@.example.com', 'leading dot in the domain'],
    ['budi@example.com.', 'trailing dot in the domain'],
    ['.budi@example.com', 'leading dot in the local part'],
    ['budi.@example.com', 'trailing dot in the local part'],
    ['bu..di@example.com', 'double dot in the local part'],
    ['budi@1.2.3.4', 'numeric TLD'],
    ['"budi"@example.com', 'quoted local part'],
    ['büdi@example.com', 'non-ASCII local part'],
    ['budi@exämple.com', 'non-ASCII domain'],
    ['bu\u0000di@example.com', 'NUL'],
    ['budi@example.com\u0000', 'trailing NUL'],
    ['bu\ndi@example.com', 'newline inside'],
    ['budi\u007f@example.com', 'DEL'],
    ['budi\u0085@example.com', 'C1 control'],
    [`${'a'.repeat(65)}@example.com`, 'local part over 64'],
    [`a@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(63)}.${'e'.repeat(57)}.com`, '255 chars'],
    [`a@${'b'.repeat(64)}.com`, 'label over 63'],
  ])('rejects %j (%s)', (input) => {
    expect(normalizeContact(input)).toMatchObject({ ok: false, code: 'contact_invalid' });
  });

  it('accepts an address of exactly 254 characters', () => {
    const address = `a@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(63)}.${'e'.repeat(56)}.com`;
    expect(address).toHaveLength(254);
    expect(normalizeContact(address)).toEqual(email(address));
  });
});

describe('normalizeContact: neither', () => {
  it.each(['', '   ', 'budi', 'call me', '-', '()'])('rejects %j', (input) => {
    const r = normalizeContact(input);
    expect(r).toMatchObject({ ok: false, code: 'contact_invalid' });
    if (!r.ok) expect(r.message.length).toBeGreaterThan(0);
  });
});

describe('normalizeContact properties', () => {
  const idMobile = fc
    .tuple(
      fc.constantFrom('08', '628', '+628', '+62 8', '+62 (0)8'),
      fc.stringMatching(/^\d{8,11}$/),
      fc.constantFrom('', ' ', '-', '.'),
    )
    .map(([prefix, rest, sep]) => `${prefix}${rest.replace(/(\d{4})(?=\d)/g, `$1${sep}`)}`);

  it('accepts every Indonesian mobile form and yields E.164 +628…', () => {
    fc.assert(
      fc.property(idMobile, (input) => {
        const r = normalizeContact(input);
        expect(r.ok).toBe(true);
        if (r.ok) {
          expect(r.value).toMatch(/^\+628\d{8,11}$/);
          expect(r.value.length).toBeGreaterThanOrEqual(12);
          expect(r.value.length).toBeLessThanOrEqual(15);
        }
      }),
    );
  });

  it('is idempotent on its own output', () => {
    const anything = fc.oneof(
      idMobile,
      fc.emailAddress(),
      fc.string(),
      fc.stringMatching(/^\+[1-9]\d{7,14}$/),
    );
    fc.assert(
      fc.property(anything, (input) => {
        const first = normalizeContact(input);
        if (first.ok) expect(normalizeContact(first.value)).toEqual(first);
      }),
      { numRuns: 500 },
    );
  });

  it('masks never reveal the whole value', () => {
    fc.assert(
      fc.property(fc.oneof(idMobile, fc.stringMatching(/^\+[1-9]\d{7,14}$/), fc.emailAddress()), (input) => {
        const r = normalizeContact(input);
        if (!r.ok) return;
        const masked = maskContact(r.value);
        expect(masked).not.toBe(r.value);
        expect(masked).toContain('***');
      }),
    );
  });
});

describe('maskContact', () => {
  it.each([
    ['+6281234567890', '+62812****7890'],
    ['+62812345678901', '+62812*****8901'],
    ['+62812345678', '+62812****78'],
    ['+14155552671', '+141****2671'],
    ['+12345678', '+12****78'],
    ['budi@example.com', 'b***@example.com'],
    ['b@example.com', 'b***@example.com'],
    ['not a contact', '***'],
    ['+123', '***'],
    ['', '***'],
  ])('%j → %s', (value, masked) => {
    expect(maskContact(value)).toBe(masked);
  });
});
