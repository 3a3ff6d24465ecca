// The applicant's appointments: see them, confirm an offer, cancel.

import { Hono } from 'hono';
import QRCode from 'qrcode';
import type { Deps } from '../../deps.ts';
import { normalizeBookingCode, qrPayload } from '../../domain/appointment.ts';
import { sessionWindow, zoneLabel } from '../../domain/calendar.ts';
import { notFound } from '../../http/errors.ts';
import { appointmentIcs } from '../../notify/ics.ts';
import type { Appointment } from '../../store/appointments.ts';
import { unpackEntry } from '../../store/entry-codec.ts';
import type { AppEnv } from '../env.ts';
import { asApi } from '../lifecycle-errors.ts';
import { requireApplicant } from '../middleware/applicant-auth.ts';
import { limitByIp } from '../middleware/rate-limit.ts';

export async function appointmentView(deps: Deps, a: Appointment) {
  const office = await deps.offices.get(a.officeId);
  const rules = await deps.offices.rules(a.officeId);
  const w = office && rules ? sessionWindow(rules.rules, office.tz, a.date, a.sessionId) : null;
  const person = await deps.accounts.person(a.accountId, a.personId);
  // The category the draw weighed the entry with: what to show at the counter.
  const [packed] = await deps.entries.packedEntries(a.officeId, a.drawDate, [a.ticket]);
  const drawnWith = packed ? unpackEntry(packed).category : null;
  const category = drawnWith ? rules?.rules.priorityCategories.find((c) => c.id === drawnWith) : undefined;
  return {
    code: a.code,
    state: a.state,
    officeId: a.officeId,
    officeName: office?.name ?? a.officeId,
    address: office?.address ?? '',
    tz: office?.tz ?? '',
    zoneLabel: office ? zoneLabel(office.tz) : '',
    date: a.date,
    sessionId: a.sessionId,
    start: w?.start.toISOString() ?? null,
    end: w?.end.toISOString() ?? null,
    /** The latest arrival for this place (a standby line takes it after). */
    arriveBy: w?.arriveBy.toISOString() ?? null,
    confirmBy: a.state === 'offered' ? new Date(a.deadline).toISOString() : null,
    source: a.source,
    person: person ? { name: person.name, nikMasked: person.nikMasked } : null,
    priority: category
      ? { label: category.label, byAge: category.minAge !== undefined, proof: category.proof ?? null }
      : null,
    qr: qrPayload({ code: a.code, officeId: a.officeId, date: a.date }),
    history: a.history,
  };
}

function codeParam(raw: string): string {
  const code = normalizeBookingCode(raw);
  if (!code) throw notFound('appointment');
  return code;
}

export const appointmentRoutes = new Hono<AppEnv>()
  .use('*', requireApplicant())
  .get('/', async (c) => {
    const deps = c.get('deps');
    const list = await deps.appointments.forAccount(c.get('account').id);
    return c.json({ appointments: await Promise.all(list.map((a) => appointmentView(deps, a))) });
  })
  .get('/:code/ics', async (c) => {
    const deps = c.get('deps');
    const a = await deps.appointments.byCode(codeParam(c.req.param('code')));
    if (!a || a.accountId !== c.get('account').id) throw notFound('appointment');
    const view = await appointmentView(deps, a);
    if (!view.start || !view.end) throw notFound('appointment');
    const ics = appointmentIcs({
      uid: `${a.code}@fairslot`,
      start: new Date(view.start),
      end: new Date(view.end),
      tz: view.tz,
      summary: `Paspor / Passport: ${view.officeName}`,
      location: `${view.officeName}, ${view.address}`,
      description: `Kode / Code: ${a.code}`,
      stamp: deps.now(),
    });
    c.header('content-type', 'text/calendar; charset=utf-8');
    c.header('content-disposition', `attachment; filename="fairslot-${a.code}.ics"`);
    return c.body(ics);
  })
  .get('/:code/qr.svg', async (c) => {
    const deps = c.get('deps');
    const a = await deps.appointments.byCode(codeParam(c.req.param('code')));
    if (!a || a.accountId !== c.get('account').id) throw notFound('appointment');
    // An SVG rendered here keeps a QR library out of the applicant page's JavaScript.
    const svg = await QRCode.toString(qrPayload({ code: a.code, officeId: a.officeId, date: a.date }), {
      type: 'svg',
      errorCorrectionLevel: 'M',
      margin: 2,
    });
    // Not cached (Cache-Control: no-store, src/app.ts): the code is what an officer checks a person in by.
    c.header('content-type', 'image/svg+xml');
    return c.body(svg);
  })
  .post('/:code/confirm', limitByIp({ bucket: 'appt-ip', limit: 600, windowSeconds: 600 }), async (c) => {
    const deps = c.get('deps');
    const a = await asApi(deps.lifecycle.confirm(c.get('account').id, codeParam(c.req.param('code'))));
    return c.json({ appointment: await appointmentView(deps, a) });
  })
  .post('/:code/cancel', limitByIp({ bucket: 'appt-ip', limit: 600, windowSeconds: 600 }), async (c) => {
    const deps = c.get('deps');
    const a = await asApi(deps.lifecycle.cancel(c.get('account').id, codeParam(c.req.param('code'))));
    return c.json({ appointment: await appointmentView(deps, a) });
  });
