import { describe, expect, it } from 'vitest';
import { formatInstant } from '../../src/notify/format-time.ts';
import { appointmentIcs } from '../../src/notify/ics.ts';
import { idKeyFor, jobIdFor } from '../../src/notify/notifications.ts';
import { render } from '../../src/notify/templates.ts';

describe('times in the office zone', () => {
  const at = new Date('2026-12-02T01:00:00Z');
  it('shows weekday, date, time and zone label in the applicant language', () => {
    expect(formatInstant(at, 'Asia/Jakarta', 'id')).toBe('Rabu, 2 Desember 2026 08.00 WIB');
    expect(formatInstant(at, 'Asia/Jakarta', 'en')).toBe('Wednesday 2 December 2026 08:00 WIB');
    expect(formatInstant(at, 'Asia/Makassar', 'id')).toBe('Rabu, 2 Desember 2026 09.00 WITA');
    expect(formatInstant(at, 'Asia/Jayapura', 'en')).toBe('Wednesday 2 December 2026 10:00 WIT');
    expect(formatInstant('2026-08-17T02:00:00Z', 'Asia/Jakarta', 'id')).toBe(
      'Senin, 17 Agustus 2026 09.00 WIB',
    );
  });

  it('templates render {at, tz} variables with it, strings untouched', () => {
    const { text } = render('confirmed', 'en', {
      office: 'Makassar',
      slot: { at: '2026-12-02T00:00:00Z', tz: 'Asia/Makassar' },
      code: 'K7M2Q9',
    });
    expect(text).toBe(
      'Confirmed: Makassar, Wednesday 2 December 2026 08:00 WITA. Code K7M2Q9. Bring your original ID card.',
    );
  });
});

describe('calendar file', () => {
  const base = {
    uid: 'K7M2Q9@fairslot',
    start: new Date('2026-12-02T00:00:00Z'),
    end: new Date('2026-12-02T01:00:00Z'),
    summary: 'Jadwal paspor: Kantor Imigrasi Makassar',
    location: 'Jl. Perintis Kemerdekaan No. 13, Makassar; Sulawesi Selatan',
    description: 'Kode booking: K7M2Q9',
    stamp: new Date('2026-11-30T10:00:00Z'),
  };

  it('a fixed-offset zone gets TZID local times and a matching VTIMEZONE', () => {
    const ics = appointmentIcs({ ...base, tz: 'Asia/Makassar' });
    expect(ics).toContain('DTSTART;TZID=Asia/Makassar:20261202T080000\r\n');
    expect(ics).toContain('DTEND;TZID=Asia/Makassar:20261202T090000\r\n');
    expect(ics).toContain('TZOFFSETTO:+0800\r\nTZNAME:WITA\r\n');
    expect(ics).toContain('DTSTAMP:20261130T100000Z\r\n');
    // Commas and semicolons in TEXT values are escaped.
    expect(ics).toContain('Jl. Perintis Kemerdekaan No. 13\\, Makassar\\; Sulawesi Selatan');
    expect(ics.endsWith('END:VCALENDAR\r\n')).toBe(true);
    expect(ics.split('\r\n').every((l) => Buffer.byteLength(l) <= 75)).toBe(true);
  });

  it('a zone with daylight saving falls back to UTC times', () => {
    const ics = appointmentIcs({ ...base, tz: 'Europe/Amsterdam' });
    expect(ics).toContain('DTSTART:20261202T000000Z\r\n');
    expect(ics).not.toContain('VTIMEZONE');
  });

  it('long lines fold at 75 octets without splitting a UTF-8 character', () => {
    const ics = appointmentIcs({ ...base, tz: 'Asia/Jakarta', description: 'é'.repeat(100) });
    const lines = ics.split('\r\n');
    expect(lines.every((l) => Buffer.byteLength(l) <= 75)).toBe(true);
    const unfolded = ics.replace(/\r\n /g, '');
    expect(unfolded).toContain(`DESCRIPTION:${'é'.repeat(100)}\r\n`);
  });
});

describe('idempotency keys', () => {
  it('event + account + template; the job id encodes the colons BullMQ refuses', () => {
    const idKey = idKeyFor({ event: 'won:mks:2026-11-30:T1', accountId: 'abc', template: 'won' });
    expect(idKey).toBe('won:mks:2026-11-30:T1:abc:won');
    expect(jobIdFor(idKey)).toBe('won%3Amks%3A2026-11-30%3AT1%3Aabc%3Awon');
    expect(jobIdFor('a%3Ab')).not.toBe(jobIdFor('a:b'));
  });
});

describe('days in messages', () => {
  it('writes a calendar day as the pages do, never as YYYY-MM-DD', () => {
    expect(render('lost', 'id', { ticket: 'T1', targetDate: '2026-12-09' }).text).toBe(
      'Tiket T1 belum terpilih untuk Rabu, 9 Desember 2026. Silakan daftar lagi.',
    );
    expect(render('lost', 'en', { ticket: 'T1', targetDate: '2026-12-09' }).text).toBe(
      'Ticket T1 was not drawn for Wednesday 9 December 2026. Please enter again.',
    );
  });
});
