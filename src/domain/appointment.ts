// Appointment states and booking codes. Pure.

export type AppointmentState = 'offered' | 'confirmed' | 'checked_in' | 'forfeited' | 'cancelled' | 'no_show';

/** States that hold a place in a session; their count per session never exceeds its capacity. */
export const HOLDING_STATES: readonly AppointmentState[] = ['offered', 'confirmed', 'checked_in'];

/** No 0/O, 1/I/L: codes are read aloud at a counter and typed from paper. */
export const BOOKING_CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
export const BOOKING_CODE_LENGTH = 10;
export const bookingCodePattern = new RegExp(`^[${BOOKING_CODE_ALPHABET}]{${BOOKING_CODE_LENGTH}}$`);

/** Officers type codes in any case and with spaces or dashes; normalise before lookup. */
export function normalizeBookingCode(input: string): string | null {
  const code = input.toUpperCase().replace(/[\s-]/g, '');
  return bookingCodePattern.test(code) ? code : null;
}

/** What the QR code on an appointment encodes: the code, plus the office and day for a quick sanity check. */
export function qrPayload(a: { code: string; officeId: string; date: string }): string {
  return `FAIRSLOT:${a.code}:${a.officeId}:${a.date}`;
}

/** Accepts either a bare code or a scanned QR payload. */
export function codeFromScan(input: string): string | null {
  const m = /^FAIRSLOT:([A-Z0-9]+):/i.exec(input.trim());
  return normalizeBookingCode(m ? m[1]! : input);
}
