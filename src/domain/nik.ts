// Indonesian national ID number (NIK, Nomor Induk Kependudukan): structural validation and masking.
// Pure and dependency-free so the browser form can give the same answer as the server before submitting.
//
// Layout (16 digits): PP RR DD ddmmyy SSSS
//   PP province, RR regency/city, DD district, ddmmyy birth date (dd + 40 for women), SSSS serial.
// We cannot check a NIK against Dukcapil, so this only catches typos and numbers copied from someone else
// with a different birth date; the birth date cross-check is what makes borrowing a NIK awkward.

/**
 * Province codes as used in NIKs. A NIK keeps the code it was issued under, so codes of provinces that were
 * later split stay valid, and we accept both the Kemendagri and the BPS numbering of the 2022 Papua
 * provinces: rejecting a real citizen is worse than accepting a code nobody holds.
 */
export const NIK_PROVINCE_CODES: ReadonlySet<string> = new Set([
  // Sumatra
  '11', // Aceh
  '12', // Sumatera Utara
  '13', // Sumatera Barat
  '14', // Riau
  '15', // Jambi
  '16', // Sumatera Selatan
  '17', // Bengkulu
  '18', // Lampung
  '19', // Kepulauan Bangka Belitung
  '21', // Kepulauan Riau
  // Java
  '31', // DKI Jakarta
  '32', // Jawa Barat
  '33', // Jawa Tengah
  '34', // DI Yogyakarta
  '35', // Jawa Timur
  '36', // Banten
  // Bali and Nusa Tenggara
  '51', // Bali
  '52', // Nusa Tenggara Barat
  '53', // Nusa Tenggara Timur
  // Kalimantan
  '61', // Kalimantan Barat
  '62', // Kalimantan Tengah
  '63', // Kalimantan Selatan
  '64', // Kalimantan Timur
  '65', // Kalimantan Utara
  // Sulawesi
  '71', // Sulawesi Utara
  '72', // Sulawesi Tengah
  '73', // Sulawesi Selatan
  '74', // Sulawesi Tenggara
  '75', // Gorontalo
  '76', // Sulawesi Barat
  // Maluku
  '81', // Maluku
  '82', // Maluku Utara
  // Papua: 91 Papua and 92 Papua Barat (older NIKs also carry 94 for Papua and 91 for Papua Barat);
  // 2022 splits (Kemendagri): 93 Papua Selatan, 94 Papua Tengah, 95 Papua Pegunungan, 96 Papua Barat Daya;
  // 97 is Papua Pegunungan in the BPS numbering, which some regional systems print.
  '91',
  '92',
  '93',
  '94',
  '95',
  '96',
  '97',
]);

export type NikResult =
  | { ok: true; nik: string; sex: 'F' | 'M' }
  | { ok: false; code: 'nik_format' | 'nik_province' | 'nik_birth_date'; message: string };

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function daysInMonth(year: number, month: number): number {
  // Day 0 of the next month is the last day of this one; UTC avoids any local-zone surprise.
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function parseIsoDate(s: string): { year: number; month: number; day: number } | null {
  const m = ISO_DATE.exec(s.trim());
  if (!m) return null;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  return { year, month, day };
}

const fail = (code: 'nik_format' | 'nik_province' | 'nik_birth_date', message: string): NikResult => ({
  ok: false,
  code,
  message,
});

/**
 * Validates a NIK against its structure and the applicant's stated birth date (YYYY-MM-DD).
 * Whitespace anywhere is ignored because people copy the number from a KTP photo in groups.
 * Messages never contain the NIK: they end up in logs and API responses.
 */
export function validateNik(nik: string, birthDate: string): NikResult {
  const n = nik.replace(/\s+/g, '');
  if (!/^\d{16}$/.test(n)) return fail('nik_format', 'NIK must be exactly 16 digits.');
  if (n.slice(2, 4) === '00' || n.slice(4, 6) === '00') {
    return fail('nik_format', 'NIK has an invalid regency or district code.');
  }
  if (n.slice(12) === '0000') return fail('nik_format', 'NIK has an invalid serial number.');
  if (!NIK_PROVINCE_CODES.has(n.slice(0, 2)))
    return fail('nik_province', 'NIK has an unknown province code.');

  const birth = parseIsoDate(birthDate);
  if (!birth) return fail('nik_birth_date', 'Birth date must be a real date in the form YYYY-MM-DD.');

  const encodedDay = Number(n.slice(6, 8));
  const month = Number(n.slice(8, 10));
  const yy = Number(n.slice(10, 12));
  const sex = encodedDay > 40 ? 'F' : 'M';
  const day = sex === 'F' ? encodedDay - 40 : encodedDay;
  // The NIK only has two year digits; the century comes from the stated birth date when the digits agree,
  // so that 29 February is judged in the right century (2000 was a leap year, 1900 was not).
  const year = yy === birth.year % 100 ? birth.year : 2000 + yy;
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    return fail('nik_birth_date', 'NIK does not contain a valid birth date.');
  }
  if (day !== birth.day || month !== birth.month || yy !== birth.year % 100) {
    return fail('nik_birth_date', 'NIK does not match the birth date.');
  }
  return { ok: true, nik: n, sex };
}

/** The oldest age a birth date may give: older than any living person. */
export const MAX_AGE_YEARS = 120;

/**
 * A birth date no living applicant can have: after `today` (YYYY-MM-DD, the latest date anywhere in the
 * country) or more than MAX_AGE_YEARS before it. The NIK carries only two year digits, so this is also
 * what tells 1930 from 2030. null when plausible; the date itself is checked by validateNik.
 */
export function birthDateProblem(birthDate: string, today: string): string | null {
  const birth = parseIsoDate(birthDate);
  if (!birth) return 'Birth date must be a real date in the form YYYY-MM-DD.';
  const iso = birthDate.trim();
  if (iso > today) return 'Birth date is in the future.';
  const oldest = `${String(Number(today.slice(0, 4)) - MAX_AGE_YEARS).padStart(4, '0')}${today.slice(4)}`;
  if (iso < oldest) return `Birth date is more than ${MAX_AGE_YEARS} years ago.`;
  return null;
}

/** `3174********0001`: enough to recognise one's own number on screen, useless to anyone else. */
export function maskNik(nik: string): string {
  const n = nik.replace(/\s+/g, '');
  // Anything that is not a NIK is masked completely: its shape is not known, so no part of it is safe.
  if (!/^\d{16}$/.test(n)) return '*'.repeat(16);
  return `${n.slice(0, 4)}${'*'.repeat(8)}${n.slice(12)}`;
}

export interface ExampleNikInput {
  /** Two-digit province code; defaults to '31' (DKI Jakarta). */
  province?: string;
  /** YYYY-MM-DD */
  birthDate: string;
  sex: 'F' | 'M';
  /** 1..9999 */
  serial: number;
}

/**
 * A structurally valid NIK for tests, the demo and the simulator. Regency and district are fixed
 * (74 = Jakarta Selatan, 01), so distinct people need distinct birth dates, sexes or serials.
 * Throws on input that cannot produce a valid NIK: silently fixing it up would hide test bugs.
 */
export function exampleNik(input: ExampleNikInput): string {
  const province = input.province ?? '31';
  if (!NIK_PROVINCE_CODES.has(province)) throw new RangeError(`unknown province code ${province}`);
  const birth = parseIsoDate(input.birthDate);
  if (!birth) throw new RangeError(`invalid birth date ${input.birthDate}`);
  if (!Number.isInteger(input.serial) || input.serial < 1 || input.serial > 9999) {
    throw new RangeError(`serial must be an integer 1..9999, got ${input.serial}`);
  }
  const pad2 = (v: number) => String(v).padStart(2, '0');
  const day = input.sex === 'F' ? birth.day + 40 : birth.day;
  return `${province}7401${pad2(day)}${pad2(birth.month)}${pad2(birth.year % 100)}${String(input.serial).padStart(4, '0')}`;
}
