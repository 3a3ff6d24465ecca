import { describe, expect, it } from 'vitest';
import { countSegments, gsm7Length, isGsm7, splitSms } from '../../src/notify/sms-segments.ts';
import { render, type TemplateName } from '../../src/notify/templates.ts';

describe('GSM-7 check', () => {
  it('accepts the basic set, counts extension characters twice', () => {
    expect(gsm7Length('Kode 123456. @£$¥èé')).toBe(19);
    expect(gsm7Length('{}[]~^|\\€')).toBe(18);
    expect(isGsm7('Selamat! Jadwal Anda: Rabu, 2 Desember 2026 08.00 WITA.')).toBe(true);
  });

  it('rejects characters outside GSM-7', () => {
    for (const s of ['curly ’quote', 'back`tick', 'emoji 🙂', 'ç lower-case cedilla', 'Straße ✓']) {
      expect(isGsm7(s), s).toBe(false);
    }
  });
});

describe('segments', () => {
  it('160 GSM-7 characters are one SMS, 161 are two parts of 153', () => {
    expect(countSegments('a'.repeat(160))).toEqual({ encoding: 'gsm7', units: 160, segments: 1 });
    expect(countSegments('a'.repeat(161))).toEqual({ encoding: 'gsm7', units: 161, segments: 2 });
    expect(countSegments('a'.repeat(306)).segments).toBe(2);
    expect(countSegments('a'.repeat(307)).segments).toBe(3);
  });

  it('extension characters count two septets and are never split across parts', () => {
    expect(countSegments('€'.repeat(80))).toEqual({ encoding: 'gsm7', units: 160, segments: 1 });
    expect(countSegments(`${'a'.repeat(159)}€`).segments).toBe(2);
    // 152 septets then an escape pair: the pair moves whole to part two.
    const { parts } = splitSms(`${'a'.repeat(152)}€${'b'.repeat(10)}`);
    expect(parts.map((p) => p.length)).toEqual([152, 11]);
    expect(parts[1]!.startsWith('€')).toBe(true);
  });

  it('one non-GSM character makes the whole text UCS-2: 70 alone, 67 per part', () => {
    expect(countSegments(`${'a'.repeat(69)}’`)).toEqual({ encoding: 'ucs2', units: 70, segments: 1 });
    expect(countSegments(`${'a'.repeat(70)}’`).segments).toBe(2);
    expect(countSegments('’'.repeat(134)).segments).toBe(2);
    expect(countSegments('’'.repeat(135)).segments).toBe(3);
  });

  it('a surrogate pair (emoji) is two units and never split', () => {
    expect(countSegments('🙂'.repeat(35))).toEqual({ encoding: 'ucs2', units: 70, segments: 1 });
    const { parts } = splitSms(`${'a'.repeat(66)}🙂${'b'.repeat(10)}`);
    expect(parts.map((p) => p.length)).toEqual([66, 12]);
    expect(parts.join('')).toBe(`${'a'.repeat(66)}🙂${'b'.repeat(10)}`);
  });

  it('the empty text is one (empty) SMS', () => {
    expect(countSegments('')).toEqual({ encoding: 'gsm7', units: 0, segments: 1 });
  });

  it('every template renders in GSM-7 and within two parts with realistic values', () => {
    const at = { at: '2026-12-02T00:00:00.000Z', tz: 'Asia/Makassar' };
    const vars = {
      code: 'K7M2Q9',
      ticket: 'T-4F9K2M',
      office: 'Kantor Imigrasi Kelas I TPI Makassar',
      slot: at,
      deadline: at,
      drawAt: at,
      targetDate: '2026-12-02',
      position: 12,
      nextDraw: '2026-12-01 19:00 WITA',
      until: at,
    };
    const names: TemplateName[] = [
      'signin_code',
      'entry_received',
      'won',
      'waitlisted',
      'lost',
      'carried_over',
      'waitlist_offer',
      'confirmed',
      'reminder',
      'forfeited',
      'no_show_strike',
      'account_blocked',
    ];
    for (const name of names) {
      for (const lang of ['id', 'en'] as const) {
        const { text } = render(name, lang, vars);
        const s = countSegments(text);
        expect(s.encoding, `${name}/${lang}`).toBe('gsm7');
        expect(s.segments, `${name}/${lang}: ${text}`).toBeLessThanOrEqual(2);
      }
    }
    expect(countSegments(render('signin_code', 'id', { code: '123456' }).text).segments).toBe(1);
  });
});
