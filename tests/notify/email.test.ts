// The 'won' e-mail through a real SMTP server: once, in the applicant's language, with a calendar file at
// the office's local time and the booking code as an inline QR image.
import QRCode from 'qrcode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { providerRefFor } from '../../src/notify/message.ts';
import { idKeyFor, jobIdFor, type Notifications } from '../../src/notify/notifications.ts';
import type { NotificationRequest } from '../../src/notify/request.ts';
import { startTestSystem, type TestSystem } from '../support/system.ts';
import { type Completion, recordCompletions, sleep, startSmtp, type TestSmtp, waitFor } from './support.ts';

let sys: TestSystem;
let smtp: TestSmtp;
let service: Notifications;
let completions: Map<string, Completion>;

const TZ = 'Asia/Makassar';
// 08:00–09:00 WITA (UTC+8) on Wednesday 2 December 2026.
const START = '2026-12-02T00:00:00.000Z';
const END = '2026-12-02T01:00:00.000Z';

function won(accountId: string, code: string): NotificationRequest {
  return {
    event: `won:makassar:2026-11-30:${code}`,
    accountId,
    template: 'won',
    vars: {
      office: 'Kantor Imigrasi Makassar',
      slot: { at: START, tz: TZ },
      code,
      deadline: { at: '2026-12-01T10:00:00.000Z', tz: TZ },
    },
    appointment: {
      code,
      officeName: 'Kantor Imigrasi Makassar',
      address: 'Jl. Perintis Kemerdekaan No. 13, Makassar',
      tz: TZ,
      start: START,
      end: END,
    },
  };
}

beforeAll(async () => {
  smtp = await startSmtp(['nobody@example.com']);
  sys = await startTestSystem(
    {
      NOTIFY_CHANNEL: 'live',
      SMTP_URL: smtp.url,
      SMTP_FROM: 'fairslot <no-reply@fairslot.test>',
      NOTIFY_BACKOFF_MS: '20',
      NOTIFY_TIMEOUT_MS: '2000',
    },
    { workers: true },
  );
  service = sys.deps.notifications as Notifications;
  completions = recordCompletions(sys.workers);
});
afterAll(async () => {
  await sys.stop();
  await smtp.stop();
});

const mailsTo = (addr: string) => smtp.mails.filter((m) => m.to && JSON.stringify(m.to).includes(addr));

describe('won e-mail', () => {
  it('arrives once per applicant, in Indonesian or English, with .ics and QR code', async () => {
    const ani = await sys.deps.accounts.ensureAccount('ani@example.com', 'email', 'id');
    const ben = await sys.deps.accounts.ensureAccount('ben@example.com', 'email', 'en');
    // Enqueued three times each, as a retried fan-out would.
    for (let i = 0; i < 3; i++) {
      await sys.deps.notifications!.enqueue(won(ani, 'K7M2Q9'));
      await sys.deps.notifications!.enqueue(won(ben, 'P3X8W4'));
    }
    const records = service.context.records;
    const aniKey = idKeyFor(won(ani, 'K7M2Q9'));
    const benKey = idKeyFor(won(ben, 'P3X8W4'));
    await waitFor(async () => (await records.get(aniKey))?.state === 'sent', 15_000, 'ani sent');
    await waitFor(async () => (await records.get(benKey))?.state === 'sent', 15_000, 'ben sent');
    await sleep(300);
    expect(mailsTo('ani@example.com')).toHaveLength(1);
    expect(mailsTo('ben@example.com')).toHaveLength(1);

    const id = mailsTo('ani@example.com')[0]!;
    expect(id.subject).toBe('Anda mendapat jadwal');
    expect(id.text).toContain(
      'Selamat! Kantor Imigrasi Makassar, Rabu, 2 Desember 2026 08.00 WITA. Kode K7M2Q9.',
    );
    expect(id.text).toContain('Waktu: Rabu, 2 Desember 2026 08.00–09.00 WITA');
    expect(id.html).toContain('lang="id"');
    expect(id.messageId).toBe(`<${providerRefFor(aniKey)}@fairslot.test>`);

    const ics = id.attachments.find((a) => a.contentType === 'text/calendar')!;
    expect(ics.filename).toBe('appointment.ics');
    const icsText = ics.content.toString('utf8');
    expect(icsText).toMatch(/^BEGIN:VCALENDAR\r\n/);
    expect(icsText).toContain('DTSTART;TZID=Asia/Makassar:20261202T080000\r\n');
    expect(icsText).toContain('DTEND;TZID=Asia/Makassar:20261202T090000\r\n');
    expect(icsText).toContain('TZID:Asia/Makassar\r\n');
    expect(icsText).toContain('UID:K7M2Q9@fairslot\r\n');
    expect(icsText).toContain('SUMMARY:Jadwal paspor: Kantor Imigrasi Makassar\r\n');

    const qr = id.attachments.find((a) => a.contentType === 'image/png')!;
    expect(qr.cid).toBeTruthy();
    expect(id.html).toContain(`cid:${qr.cid}`);
    expect(qr.content.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
    // QR generation is deterministic: identical bytes mean the image encodes exactly the booking code.
    const expected = await QRCode.toBuffer('K7M2Q9', {
      type: 'png',
      errorCorrectionLevel: 'M',
      margin: 2,
      width: 240,
    });
    expect(qr.content.equals(expected)).toBe(true);

    const en = mailsTo('ben@example.com')[0]!;
    expect(en.subject).toBe('You won an appointment');
    expect(en.text).toContain(
      'You won: Kantor Imigrasi Makassar, Wednesday 2 December 2026 08:00 WITA. Code P3X8W4.',
    );
    expect(en.text).toContain('Time: Wednesday 2 December 2026 08:00–09:00 WITA');
    const enIcs = en.attachments.find((a) => a.contentType === 'text/calendar')!.content.toString('utf8');
    expect(enIcs).toContain('DTSTART;TZID=Asia/Makassar:20261202T080000\r\n');
    expect(enIcs).toContain('SUMMARY:Passport appointment: Kantor Imigrasi Makassar\r\n');

    const rec = await records.get(aniKey);
    expect(rec).toMatchObject({ state: 'sent', attempts: 1, channel: 'email', segments: null });
    const log = await service.context.deliveries.list(ani);
    expect(log).toEqual([
      expect.objectContaining({ id: aniKey, template: 'won', channel: 'email', state: 'sent' }),
    ]);
  });

  it('a job re-added after the first completed and was removed sends nothing: the send record says sent', async () => {
    const ani = (await sys.deps.accounts.accountIdForContact('ani@example.com'))!;
    const req = won(ani, 'K7M2Q9');
    const id = jobIdFor(idKeyFor(req));
    await waitFor(() => completions.has(id), 5_000, 'first job completed');
    expect(completions.get(id)!.result).toMatchObject({ outcome: 'sent' });
    // Completed notify jobs are not kept: the same event can be enqueued again, as after any removal.
    expect(await sys.deps.queues!.notify.getJob(id)).toBeUndefined();
    completions.delete(id);
    await sys.deps.notifications!.enqueue(req);
    await waitFor(() => completions.has(id), 5_000, 'second job completed');
    expect(completions.get(id)!.result).toEqual({ outcome: 'skipped', reason: 'already_sent' });
    expect(mailsTo('ani@example.com')).toHaveLength(1);
  });

  it('a mailbox the server rejects (550) is failed at once, not retried', async () => {
    const nobody = await sys.deps.accounts.ensureAccount('nobody@example.com', 'email', 'en');
    const req = won(nobody, 'Z9Z9Z9');
    await sys.deps.notifications!.enqueue(req);
    const records = service.context.records;
    await waitFor(async () => (await records.get(idKeyFor(req)))?.state === 'failed', 10_000, 'failed');
    await sleep(300);
    expect(smtp.rcpts.filter((r) => r === 'nobody@example.com')).toHaveLength(1);
    const job = await sys.deps.queues!.notify.getJob(jobIdFor(idKeyFor(req)));
    expect(await job!.getState()).toBe('failed');
    expect((await records.get(idKeyFor(req)))!.lastError).toBe('smtp server answered 550');
    expect(await service.context.deliveries.list(nobody)).toEqual([
      expect.objectContaining({ state: 'failed', error: 'smtp server answered 550' }),
    ]);
  });

  it('never logs an address or the message text', () => {
    const log = sys.logLines.join('');
    for (const s of ['ani@example.com', 'ben@example.com', 'nobody@example.com', 'Selamat']) {
      expect(log).not.toContain(s);
    }
  });
});
