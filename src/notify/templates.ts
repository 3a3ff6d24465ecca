// Message texts in Indonesian (default) and English. Kept short: an SMS is 160 GSM-7 characters.
import { formatDay, formatInstant } from './format-time.ts';

export type Lang = 'id' | 'en';

export type TemplateName =
  | 'signin_code'
  | 'entry_received'
  | 'won'
  | 'waitlisted'
  | 'lost'
  | 'carried_over'
  | 'waitlist_offer'
  | 'confirmed'
  | 'reminder'
  | 'forfeited'
  | 'no_show_strike'
  | 'account_blocked'
  | 'day_closed_moved'
  | 'day_closed_no_seat'
  | 'day_closed_entry_moved'
  | 'priority_removed'
  | 'priority_restored'
  | 'identity_refused'
  | 'standby';

type Vars = Record<string, string | number>;

/**
 * An instant to show in the office's zone. Callers pass this instead of a formatted string because the
 * language is known only when the message is rendered (the applicant may switch it before sending).
 */
export interface TimeVar {
  /** ISO instant, e.g. '2026-12-02T00:00:00.000Z'. */
  at: string;
  /** IANA zone of the office, e.g. 'Asia/Makassar'. */
  tz: string;
}

export type TemplateVars = Record<string, string | number | TimeVar>;
type Render = (v: Vars) => { subject: string; text: string };

const t: Record<TemplateName, Record<Lang, Render>> = {
  signin_code: {
    id: (v) => ({
      subject: 'Kode masuk fairslot',
      text: `Kode masuk fairslot Anda: ${v.code}. Berlaku 5 menit. Jangan berikan kepada siapa pun.`,
    }),
    en: (v) => ({
      subject: 'fairslot sign-in code',
      text: `Your fairslot sign-in code: ${v.code}. Valid 5 minutes. Do not share it.`,
    }),
  },
  entry_received: {
    id: (v) => ({
      subject: 'Pendaftaran undian diterima',
      text: `Tiket ${v.ticket} untuk ${v.office} terdaftar. Undian ${v.drawAt}; jadwal ${v.targetDate}.`,
    }),
    en: (v) => ({
      subject: 'Draw entry received',
      text: `Ticket ${v.ticket} for ${v.office} is in. Draw ${v.drawAt}; appointment day ${v.targetDate}.`,
    }),
  },
  won: {
    id: (v) => ({
      subject: 'Anda mendapat jadwal',
      text: `Selamat! ${v.office}, ${v.slot}. Kode ${v.code}. Konfirmasi sebelum ${v.deadline} atau jadwal dilepas.`,
    }),
    en: (v) => ({
      subject: 'You won an appointment',
      text: `You won: ${v.office}, ${v.slot}. Code ${v.code}. Confirm before ${v.deadline} or the slot is released.`,
    }),
  },
  waitlisted: {
    id: (v) => ({
      subject: 'Anda di daftar tunggu',
      text: `Tiket ${v.ticket}: daftar tunggu no. ${v.position} untuk ${v.targetDate}. Kami kabari bila ada slot.`,
    }),
    en: (v) => ({
      subject: 'You are on the waitlist',
      text: `Ticket ${v.ticket}: waitlist no. ${v.position} for ${v.targetDate}. We will tell you if a slot frees up.`,
    }),
  },
  lost: {
    id: (v) => ({
      subject: 'Hasil undian',
      text: `Tiket ${v.ticket} belum terpilih untuk ${v.targetDate}. Silakan daftar lagi.`,
    }),
    en: (v) => ({
      subject: 'Draw result',
      text: `Ticket ${v.ticket} was not drawn for ${v.targetDate}. Please enter again.`,
    }),
  },
  carried_over: {
    id: (v) => ({
      subject: 'Diikutkan undian berikutnya',
      text: `Tiket ${v.ticket} belum terpilih; otomatis ikut undian ${v.nextDraw} dengan peluang lebih besar.`,
    }),
    en: (v) => ({
      subject: 'Carried into the next draw',
      text: `Ticket ${v.ticket} was not drawn; it is in the ${v.nextDraw} draw with better odds.`,
    }),
  },
  waitlist_offer: {
    id: (v) => ({
      subject: 'Slot tersedia untuk Anda',
      text: `Slot ${v.office}, ${v.slot} tersedia. Kode ${v.code}. Konfirmasi sebelum ${v.deadline}.`,
    }),
    en: (v) => ({
      subject: 'A slot is available',
      text: `A slot at ${v.office}, ${v.slot} is yours if you confirm before ${v.deadline}. Code ${v.code}.`,
    }),
  },
  confirmed: {
    id: (v) => ({
      subject: 'Jadwal dikonfirmasi',
      text: `Jadwal dikonfirmasi: ${v.office}, ${v.slot}. Kode ${v.code}. Bawa KTP asli.`,
    }),
    en: (v) => ({
      subject: 'Appointment confirmed',
      text: `Confirmed: ${v.office}, ${v.slot}. Code ${v.code}. Bring your original ID card.`,
    }),
  },
  reminder: {
    id: (v) => ({
      subject: 'Masih akan datang?',
      text: `Jadwal ${v.slot} di ${v.office}, kode ${v.code}. Tidak bisa datang? Batalkan sebelum ${v.until} agar slot diberikan ke daftar tunggu.`,
    }),
    en: (v) => ({
      subject: 'Still coming?',
      text: `Appointment ${v.slot} at ${v.office}, code ${v.code}. Cannot come? Cancel before ${v.until} so the waitlist gets your seat.`,
    }),
  },
  forfeited: {
    id: (v) => ({
      subject: 'Jadwal dilepas',
      text: `Jadwal ${v.code} tidak dikonfirmasi tepat waktu dan telah dilepas.`,
    }),
    en: (v) => ({
      subject: 'Appointment released',
      text: `Appointment ${v.code} was not confirmed in time and has been released.`,
    }),
  },
  no_show_strike: {
    id: (v) => ({
      subject: 'Tidak hadir',
      text: `Anda tidak hadir pada jadwal ${v.code}. Peluang undian berkurang sampai ${v.until}.`,
    }),
    en: (v) => ({
      subject: 'Missed appointment',
      text: `You missed appointment ${v.code}. Your draw chances are reduced until ${v.until}.`,
    }),
  },
  day_closed_moved: {
    id: (v) => ({
      subject: 'Kantor tutup, jadwal dipindah',
      text: `${v.office} tutup ${v.closedDate}. Jadwal ${v.oldCode} dipindah ke ${v.slot}, kode ${v.code}. Konfirmasi sebelum ${v.deadline}.`,
    }),
    en: (v) => ({
      subject: 'Office closed, appointment moved',
      text: `${v.office} is closed on ${v.closedDate}. ${v.oldCode} moved to ${v.slot}, code ${v.code}. Confirm before ${v.deadline}.`,
    }),
  },
  day_closed_no_seat: {
    id: (v) => ({
      subject: 'Kantor tutup, jadwal dibatalkan',
      text: `${v.office} tutup ${v.closedDate}; jadwal ${v.oldCode} dibatalkan dan belum ada slot pengganti. Silakan daftar undian lagi.`,
    }),
    en: (v) => ({
      subject: 'Office closed, appointment cancelled',
      text: `${v.office} is closed on ${v.closedDate}; ${v.oldCode} is cancelled and no later slot was free. Please enter a draw again.`,
    }),
  },
  day_closed_entry_moved: {
    id: (v) => ({
      subject: 'Kantor tutup, undian dipindah',
      text: `${v.office} tutup ${v.closedDate}. Tiket ${v.ticket} otomatis ikut undian ${v.nextDraw}.`,
    }),
    en: (v) => ({
      subject: 'Office closed, entry moved',
      text: `${v.office} is closed on ${v.closedDate}. Ticket ${v.ticket} is now in the ${v.nextDraw} draw.`,
    }),
  },
  priority_removed: {
    id: (v) => ({
      subject: 'Prioritas dicabut',
      text: `Bukti ${v.category} tidak ditunjukkan pada jadwal ${v.code}. Prioritas dicabut untuk undian berikutnya.`,
    }),
    en: (v) => ({
      subject: 'Priority removed',
      text: `No proof for ${v.category} was shown at appointment ${v.code}. The priority is removed from later draws.`,
    }),
  },
  priority_restored: {
    id: (v) => ({
      subject: 'Prioritas dipulihkan',
      text: `Catatan bukti ${v.category} pada jadwal ${v.code} dibatalkan petugas. Prioritas Anda berlaku lagi.`,
    }),
    en: (v) => ({
      subject: 'Priority restored',
      text: `The officer took back the missing-proof record for ${v.category} at appointment ${v.code}. Your priority stands again.`,
    }),
  },
  identity_refused: {
    id: (v) => ({
      subject: 'Data tidak cocok dengan Dukcapil',
      text: `Data satu orang di akun Anda tidak cocok dengan Dukcapil; orang itu dihapus${v.tickets ? `, tiket ${v.tickets} batal` : ''}. Tambahkan lagi sesuai KTP.`,
    }),
    en: (v) => ({
      subject: 'Details not confirmed by the registry',
      text: `One person's details on your account did not match the civil registry; the person was removed${v.tickets ? `, tickets ${v.tickets} cancelled` : ''}. Add them again as on the ID card.`,
    }),
  },
  standby: {
    id: (v) => ({
      subject: 'Antrean cadangan',
      text: `Tiket ${v.ticket}: datang ke ${v.office} sebelum ${v.until} untuk antrean cadangan. Slot yang tidak didatangi diberikan sesuai urutan; tidak dijamin. Tiket tetap ikut undian berikutnya.`,
    }),
    en: (v) => ({
      subject: 'Standby line',
      text: `Ticket ${v.ticket}: come to ${v.office} before ${v.until} for the standby line. Places of people who do not come go in standby order; not guaranteed. Your ticket stays in the next draw.`,
    }),
  },
  account_blocked: {
    id: () => ({
      subject: 'Akun diblokir',
      text: 'Akun fairslot Anda diblokir karena dugaan penyalahgunaan. Hubungi kantor imigrasi.',
    }),
    en: () => ({
      subject: 'Account blocked',
      text: 'Your fairslot account was blocked for suspected abuse. Contact the immigration office.',
    }),
  },
};

export function render(
  name: TemplateName,
  lang: Lang,
  vars: TemplateVars = {},
): { subject: string; text: string } {
  const plain: Vars = {};
  for (const [k, v] of Object.entries(vars)) {
    // A calendar day travels as 'YYYY-MM-DD' (appointment and draw days) and reads as the pages write it.
    plain[k] =
      typeof v === 'object'
        ? formatInstant(v.at, v.tz, lang)
        : typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v)
          ? formatDay(v, lang)
          : v;
  }
  return t[name][lang](plain);
}
