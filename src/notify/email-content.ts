// The e-mail body for a message: plain text and HTML with the same content, and, when the message is about
// an appointment, a calendar file and the booking code as an inline QR image the counter can scan.
import { DateTime } from 'luxon';
import QRCode from 'qrcode';
import { formatInstant, TIME } from './format-time.ts';
import { appointmentIcs } from './ics.ts';
import type { AppointmentInfo, NotifyMessage } from './message.ts';
import type { Lang } from './templates.ts';

export interface EmailAttachment {
  filename: string;
  content: Buffer | string;
  contentType: string;
  /** Set for inline images referenced from the HTML as cid:… */
  cid?: string;
}

export interface EmailContent {
  text: string;
  html: string;
  attachments: EmailAttachment[];
}

const LABELS: Record<
  Lang,
  { office: string; address: string; time: string; code: string; qr: string; summary: string }
> = {
  id: {
    office: 'Kantor',
    address: 'Alamat',
    time: 'Waktu',
    code: 'Kode booking',
    qr: 'Tunjukkan kode QR ini di loket.',
    summary: 'Jadwal paspor',
  },
  en: {
    office: 'Office',
    address: 'Address',
    time: 'Time',
    code: 'Booking code',
    qr: 'Show this QR code at the counter.',
    summary: 'Passport appointment',
  },
};

const escapeHtml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function timeRange(a: AppointmentInfo, lang: Lang): string {
  const end = DateTime.fromISO(a.end, { zone: a.tz }).toFormat(TIME[lang]);
  // '… 08:00 WITA' becomes '… 08:00–09:00 WITA': one zone label for the whole range.
  return formatInstant(a.start, a.tz, lang).replace(/(\d\d[.:]\d\d) (\S+)$/, `$1–${end} $2`);
}

export async function emailContent(message: NotifyMessage, now: Date): Promise<EmailContent> {
  const a = message.appointment;
  const paragraphs = `<p>${escapeHtml(message.text)}</p>`;
  if (!a) {
    return { text: message.text, html: page(message, paragraphs), attachments: [] };
  }
  const l = LABELS[message.lang];
  const when = timeRange(a, message.lang);
  const rows: Array<[string, string]> = [
    [l.office, a.officeName],
    [l.address, a.address],
    [l.time, when],
    [l.code, a.code],
  ];
  const cid = `qr-${a.code.toLowerCase()}@fairslot`;
  const html = page(
    message,
    `${paragraphs}<table cellpadding="4">${rows
      .map(([k, v]) => `<tr><th align="left">${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`)
      .join(
        '',
      )}</table><p>${escapeHtml(l.qr)}</p><img src="cid:${cid}" width="240" height="240" alt="${escapeHtml(
      a.code,
    )}">`,
  );
  const text = `${message.text}\n\n${rows.map(([k, v]) => `${k}: ${v}`).join('\n')}\n`;
  const ics = appointmentIcs({
    uid: `${a.code}@fairslot`,
    start: new Date(a.start),
    end: new Date(a.end),
    tz: a.tz,
    summary: `${l.summary}: ${a.officeName}`,
    location: `${a.officeName}, ${a.address}`,
    description: `${l.code}: ${a.code}`,
    stamp: now,
  });
  const qr = await QRCode.toBuffer(a.code, { type: 'png', errorCorrectionLevel: 'M', margin: 2, width: 240 });
  return {
    text,
    html,
    attachments: [
      {
        filename: 'appointment.ics',
        content: ics,
        contentType: 'text/calendar; charset=utf-8; method=PUBLISH',
      },
      { filename: 'booking-code.png', content: qr, contentType: 'image/png', cid },
    ],
  };
}

function page(message: NotifyMessage, body: string): string {
  return `<!doctype html><html lang="${message.lang}"><head><meta charset="utf-8"><title>${escapeHtml(
    message.subject ?? '',
  )}</title></head><body style="font-family:sans-serif;line-height:1.4">${body}</body></html>`;
}
