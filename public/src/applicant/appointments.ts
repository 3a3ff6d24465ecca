// The applicant's appointments: confirm or cancel, the booking code with its QR and calendar file,
// and what to bring to the office.
import { ApiFailure, api } from '../lib/api.ts';
import { h, live, liveAttr, mount } from '../lib/dom.ts';
import { busy, say, statusLine } from '../lib/form.ts';
import { formatDate, formatInstant, formatTimeIn, shortOfficeName } from '../lib/format.ts';
import { refreshEntries } from './entries.ts';
import { errText, nav, optional, sections, T, t } from './shared.ts';

// ---- appointments and messages ----
// These come from the appointments and notifications APIs. A server without them answers 404 and
// the sections stay hidden; the entries above work either way.
export type AppointmentState = 'offered' | 'confirmed' | 'checked_in' | 'forfeited' | 'cancelled' | 'no_show';
export interface Appointment {
  /** The priority the entry was drawn with: by age (the KTP shows it) or claimed (bring the document). */
  priority?: { label: string; byAge: boolean; proof: string | null } | null;
  code: string;
  state: AppointmentState;
  officeId: string;
  officeName: string;
  address: string;
  tz: string;
  zoneLabel: string;
  date: string;
  sessionId: string;
  start: string | null;
  end: string | null;
  arriveBy: string | null;
  confirmBy: string | null;
  person: { name: string; nikMasked: string } | null;
  qr: string;
}

let appointments: Appointment[] = [];

/** Nothing of the last account may linger when another person signs in on this phone. */
export function clearAppointments(): void {
  appointments = [];
}
const appointmentsStatus = statusLine();
appointmentsStatus.hidden = true;

export async function refreshAppointments(probe = false): Promise<void> {
  if (!probe && !optional.appointments) return;
  try {
    const r = await api<{ appointments: Appointment[] }>('GET', '/api/me/appointments');
    optional.appointments = true;
    appointments = r.appointments;
    renderAppointments();
  } catch {
    // 404 before the appointments issue lands; a failed poll keeps what is on screen.
  }
}

const CODE_STATES: AppointmentState[] = ['confirmed', 'checked_in'];

function renderAppointments(): void {
  const list = appointments.filter(
    (a) => a.state !== 'cancelled' || Date.now() - Date.parse(a.date) < 86_400_000,
  );
  sections.appointments.hidden = list.length === 0;
  if (list.length === 0) return;
  mount(
    sections.appointments,
    h('h2', { id: 'appointments-h' }, T('appointmentsTitle')),
    appointmentsStatus,
    h('ul', { class: 'entries appointments' }, ...list.map(appointmentItem)),
  );
}

/** Where the office keeps a standby line, a place not taken up by then goes to it: the page says so. */
function pushArriveBy(body: Node[], a: Appointment): void {
  if (!a.arriveBy || !a.end || Date.parse(a.arriveBy) >= Date.parse(a.end)) return;
  const by = a.arriveBy;
  body.push(
    h(
      'p',
      { class: 'detail' },
      live(() => t('apptArriveBy', { when: formatTimeIn(by, a.tz) })),
    ),
  );
}

function appointmentItem(a: Appointment): HTMLLIElement {
  const when = () =>
    t('apptWhen', {
      date: formatDate(a.date),
      start: a.start ? formatTimeIn(a.start, a.tz) : a.sessionId,
      end: a.end ? formatTimeIn(a.end, a.tz) : '',
      zone: a.zoneLabel,
    });
  const actions = h('div', { class: 'actions' });
  const body: Node[] = [];
  if (a.state === 'offered') {
    if (a.confirmBy) {
      const by = a.confirmBy;
      body.push(
        h(
          'p',
          { class: 'detail' },
          live(() => t('apptConfirmBy', { when: formatInstant(by, a.tz, a.zoneLabel) })),
        ),
      );
    }
    pushArriveBy(body, a);
    const confirm = h('button', { type: 'button', class: 'primary small' }, T('apptConfirm'));
    confirm.addEventListener('click', () => void appointmentAction(confirm, a, 'confirm'));
    actions.append(confirm);
  } else if (CODE_STATES.includes(a.state)) {
    if (a.state === 'confirmed') pushArriveBy(body, a);
    body.push(
      h(
        'div',
        { class: 'booking' },
        h('span', { class: 'meta' }, T('apptCodeLabel')),
        h('strong', { class: 'booking-code mono' }, a.code.replace(/^(.{5})/, '$1 ')),
        a.state === 'confirmed' ? h('span', { class: 'hint' }, T('apptShowCode')) : null,
      ),
    );
    // The server draws the QR as SVG, which keeps a QR library out of this page's JavaScript.
    const base = `/api/me/appointments/${encodeURIComponent(a.code)}`;
    body.push(
      h(
        'div',
        { class: 'qr-row' },
        liveAttr(h('img', { src: `${base}/qr.svg`, width: 148, height: 148, class: 'qr' }), 'alt', () =>
          t('apptQrAlt', { code: a.code }),
        ),
        h(
          'a',
          { href: `${base}/ics`, download: `fairslot-${a.code}.ics`, class: 'small-link' },
          T('apptIcs'),
        ),
      ),
    );
  }
  if (a.state !== 'offered' && a.state !== 'confirmed') {
    body.push(h('p', { class: 'detail' }, T(`appt_detail_${a.state}`)));
  } else {
    // The same as the confirmation SMS says ("Bawa KTP asli"), and what the officer checks at the counter.
    body.push(
      h(
        'div',
        { class: 'bring' },
        h('h3', null, T('bringTitle')),
        h(
          'ul',
          null,
          h('li', null, T('bringKtp')),
          h('li', null, T('bringCode')),
          a.priority && !a.priority.byAge && a.priority.proof
            ? h(
                'li',
                { class: 'bring-proof' },
                live(() => t('bringProof', { doc: a.priority!.proof!, category: a.priority!.label })),
              )
            : null,
        ),
      ),
    );
  }
  if (a.state === 'offered' || a.state === 'confirmed') {
    const cancel = h('button', { type: 'button', class: 'secondary small' }, T('apptCancel'));
    cancel.addEventListener('click', () => {
      const yes = h('button', { type: 'button', class: 'danger small' }, T('apptCancelYes'));
      const no = h('button', { type: 'button', class: 'secondary small' }, T('apptKeep'));
      const name = a.person?.name ?? a.code;
      mount(actions, h('p', { class: 'confirm' }, T('apptCancelConfirm', { name })), yes, no);
      no.focus();
      no.addEventListener('click', () => renderAppointments());
      yes.addEventListener('click', () => void appointmentAction(yes, a, 'cancel'));
    });
    actions.append(cancel);
  }
  return h(
    'li',
    { class: `entry appt-${a.state}`, 'data-code': a.code },
    h(
      'div',
      { class: 'entry-head' },
      h('strong', null, a.person?.name ?? '—'),
      h('span', { class: `badge badge-appt-${a.state}` }, T(`appt_${a.state}`)),
    ),
    h('p', { class: 'detail' }, live(when)),
    h('p', { class: 'meta' }, shortOfficeName(a.officeName), ' · ', a.address),
    ...body,
    actions,
  );
}

async function appointmentAction(button: HTMLButtonElement, a: Appointment, action: 'confirm' | 'cancel') {
  say(appointmentsStatus, null);
  await busy(button, async () => {
    try {
      await api('POST', `/api/me/appointments/${encodeURIComponent(a.code)}/${action}`, {});
      await Promise.all([refreshAppointments(), refreshEntries()]);
      if (action === 'cancel') await nav.refreshStanding();
      say(appointmentsStatus, () => t(action === 'confirm' ? 'apptConfirmedMsg' : 'apptCancelledMsg'), 'ok');
    } catch (err) {
      if (err instanceof ApiFailure && err.status === 401) return nav.renderSignIn(errText(err));
      say(appointmentsStatus, errText(err), 'error');
      await refreshAppointments();
    }
  });
  sections.appointments.querySelector<HTMLElement>(`li[data-code="${a.code}"] button`)?.focus();
}
