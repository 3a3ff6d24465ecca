import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { exampleNik, maskNik, NIK_PROVINCE_CODES, validateNik } from '../../src/domain/nik.ts';

describe('validateNik', () => {
  it('accepts a man’s NIK and reports the sex', () => {
    expect(validateNik('3174011503900001', '1990-03-15')).toEqual({
      ok: true,
      nik: '3174011503900001',
      sex: 'M',
    });
  });

  it('accepts a woman’s NIK with day + 40', () => {
    expect(validateNik('3174015503900002', '1990-03-15')).toEqual({
      ok: true,
      nik: '3174015503900002',
      sex: 'F',
    });
    // 31 + 40 = 71 is the largest encoded day.
    expect(validateNik('3273017112850001', '1985-12-31')).toMatchObject({ ok: true, sex: 'F' });
  });

  it('ignores surrounding and grouping whitespace', () => {
    expect(validateNik('  3174 0115 0390 0001 ', '1990-03-15')).toMatchObject({
      ok: true,
      nik: '3174011503900001',
    });
  });

  it.each([
    ['', 'empty'],
    ['317401150390000', '15 digits'],
    ['31740115039000011', '17 digits'],
    ['317401150390000a', 'a letter'],
    ['3174-0115-0390-0001', 'dashes'],
    ['３１７４０１１５０３９０００１', 'full-width digits'],
    ['3100011503900001', 'regency 00'],
    ['3174001503900001', 'district 00'],
    ['3174011503900000', 'serial 0000'],
  ])('rejects %s (%s) as nik_format', (nik) => {
    expect(validateNik(nik, '1990-03-15')).toMatchObject({ ok: false, code: 'nik_format' });
  });

  it.each([
    '00',
    '10',
    '20',
    '22',
    '30',
    '37',
    '50',
    '54',
    '60',
    '66',
    '70',
    '77',
    '80',
    '83',
    '90',
    '98',
    '99',
  ])('rejects province %s', (province) => {
    expect(validateNik(`${province}74011503900001`, '1990-03-15')).toMatchObject({
      ok: false,
      code: 'nik_province',
    });
  });

  it('accepts every listed province including the 2022 Papua provinces', () => {
    for (const p of ['11', '21', '36', '65', '76', '82', '91', '92', '93', '94', '95', '96', '97']) {
      expect(NIK_PROVINCE_CODES.has(p)).toBe(true);
      expect(validateNik(`${p}74011503900001`, '1990-03-15').ok).toBe(true);
    }
    expect(NIK_PROVINCE_CODES.size).toBe(39);
  });

  it.each([
    ['3174013102900001', '1990-02-28', '31 February'],
    ['3174017102900001', '1990-02-28', '31 February, woman'],
    ['3174012902900001', '1990-02-28', '29 February in a non-leap year'],
    ['3174010003900001', '1990-03-01', 'day 00'],
    ['3174014003900001', '1990-03-01', 'day 40 (woman with day 0)'],
    ['3174013203900001', '1990-03-01', 'day 32'],
    ['3174017203900001', '1990-03-01', 'day 72'],
    ['3174011500900001', '1990-03-15', 'month 00'],
    ['3174011513900001', '1990-03-15', 'month 13'],
    ['3174013104900001', '1990-04-30', '31 April'],
  ])('rejects an impossible encoded date: %s (%s, %s)', (nik, birthDate) => {
    const r = validateNik(nik, birthDate);
    expect(r).toMatchObject({ ok: false, code: 'nik_birth_date' });
    if (!r.ok) expect(r.message).toMatch(/valid birth date/);
  });

  it('judges 29 February by the century of the stated birth date', () => {
    expect(validateNik('3174012902000001', '2000-02-29').ok).toBe(true);
    expect(validateNik('3174016902960001', '1996-02-29')).toMatchObject({ ok: true, sex: 'F' });
  });

  it.each([
    ['1990-03-16', 'day'],
    ['1990-04-15', 'month'],
    ['1991-03-15', 'year'],
  ])('rejects a different stated birth date (%s: %s)', (birthDate) => {
    expect(validateNik('3174011503900001', birthDate)).toEqual({
      ok: false,
      code: 'nik_birth_date',
      message: 'NIK does not match the birth date.',
    });
  });

  it('cannot tell centuries apart, since the NIK has only two year digits', () => {
    expect(validateNik('3174011503900001', '2090-03-15').ok).toBe(true);
  });

  it('does not mistake a woman’s encoded day for a man’s', () => {
    // 55 is 15 for a woman; a man born on the 15th has 15.
    expect(validateNik('3174015503900001', '1990-03-15')).toMatchObject({ ok: true, sex: 'F' });
    expect(validateNik('3174011503900001', '1990-03-15')).toMatchObject({ ok: true, sex: 'M' });
  });

  it.each(['1990-02-30', '1990-3-15', '15-03-1990', '', 'yesterday', '1990-13-01'])(
    'rejects an invalid stated birth date %j',
    (birthDate) => {
      expect(validateNik('3174011503900001', birthDate)).toMatchObject({ ok: false, code: 'nik_birth_date' });
    },
  );

  it('never echoes the NIK in a message', () => {
    const niks = ['3174011503900001', '3174013102900001', '9974011503900001', '3174011503900000'];
    for (const nik of niks) {
      for (const birthDate of ['1990-03-15', '1991-01-01', 'x']) {
        const r = validateNik(nik, birthDate);
        if (!r.ok) {
          expect(r.message).not.toContain(nik);
          expect(r.message).not.toMatch(/\d{6}/);
        }
      }
    }
  });
});

describe('maskNik', () => {
  it('keeps the first and last four digits', () => {
    expect(maskNik('3174011503900001')).toBe('3174********0001');
    expect(maskNik(' 3174 0115 0390 0001 ')).toBe('3174********0001');
  });

  it('masks anything else completely', () => {
    expect(maskNik('12345')).toBe('****************');
    expect(maskNik('31740115039000011')).toBe('****************');
    expect(maskNik('')).toBe('****************');
  });
});

describe('exampleNik', () => {
  it('builds the documented layout', () => {
    expect(exampleNik({ birthDate: '1990-03-15', sex: 'M', serial: 1 })).toBe('3174011503900001');
    expect(exampleNik({ province: '94', birthDate: '2001-12-05', sex: 'F', serial: 123 })).toBe(
      '9474014512010123',
    );
  });

  it('rejects input that cannot make a valid NIK', () => {
    expect(() => exampleNik({ province: '99', birthDate: '1990-03-15', sex: 'M', serial: 1 })).toThrow(
      RangeError,
    );
    expect(() => exampleNik({ birthDate: '1990-02-30', sex: 'M', serial: 1 })).toThrow(RangeError);
    expect(() => exampleNik({ birthDate: '1990-03-15', sex: 'M', serial: 0 })).toThrow(RangeError);
    expect(() => exampleNik({ birthDate: '1990-03-15', sex: 'M', serial: 10_000 })).toThrow(RangeError);
    expect(() => exampleNik({ birthDate: '1990-03-15', sex: 'M', serial: 1.5 })).toThrow(RangeError);
  });

  it('always produces a NIK that validates with the same birth date and sex', () => {
    const provinces = [...NIK_PROVINCE_CODES];
    fc.assert(
      fc.property(
        fc.constantFrom(...provinces),
        fc.date({
          min: new Date('1900-01-01T00:00:00Z'),
          max: new Date('2099-12-31T00:00:00Z'),
          noInvalidDate: true,
        }),
        fc.constantFrom<'F' | 'M'>('F', 'M'),
        fc.integer({ min: 1, max: 9999 }),
        (province, date, sex, serial) => {
          const birthDate = date.toISOString().slice(0, 10);
          const nik = exampleNik({ province, birthDate, sex, serial });
          expect(validateNik(nik, birthDate)).toEqual({ ok: true, nik, sex });
          expect(maskNik(nik)).toBe(`${nik.slice(0, 4)}********${nik.slice(12)}`);
        },
      ),
    );
  });

  it('a valid NIK only matches its own day and month', () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date('1950-01-01T00:00:00Z'),
          max: new Date('2030-12-31T00:00:00Z'),
          noInvalidDate: true,
        }),
        fc.integer({ min: 1, max: 400 }),
        (date, shift) => {
          const birthDate = date.toISOString().slice(0, 10);
          const other = new Date(date.getTime() + shift * 86_400_000).toISOString().slice(0, 10);
          const nik = exampleNik({ birthDate, sex: 'F', serial: 7 });
          expect(validateNik(nik, other)).toMatchObject({ ok: false, code: 'nik_birth_date' });
        },
      ),
    );
  });
});
