// Officer page at the counter: sign in, today's sessions of the office (the day sheet), and check-in by
// typing a booking code or scanning the QR into the same field (a USB scanner types like a keyboard; where
// the browser has BarcodeDetector, the device camera can read the QR too).
import { ApiFailure, api } from './lib/api.ts';
import { byId, h, live, liveAttr, mount } from './lib/dom.ts';
import { busy, field, say, statusLine } from './lib/form.ts';
import { formatDate, formatHhmm, shortOfficeName, todayIn, zoneLabel } from './lib/format.ts';
import { lang, setLang, translator, type Vars } from './lib/i18n.ts';
import { errorText, langButton, liveTitle, renderTop, showWho } from './lib/page.ts';
import { canScanQr, createScanner, type ScanFailure } from './lib/scan.ts';
import { currentStaff, type StaffUser, staffSignInForm, staffSignOut } from './lib/staff.ts';
import { type Key, strings } from './strings/officer.ts';

const t = translator(strings);
const T = (key: Key, vars?: Vars) => live(() => t(key, vars));

interface Office {
  id: string;
  name: string;
  tz: string;
  sessions: { id: string; start: string; end: string; capacity: number }[];
}
interface SheetSession {
  id: string;
  start: string;
  end: string;
  capacity: number;
  offered?: number;
  confirmed?: number;
  checkedIn?: number;
  free?: number;
  people?: { code: string; state: string; name: string; nikMasked: string }[];
}
interface DaySheet {
  office: { id: string; name: string; tz: string };
  date: string;
  sessions: SheetSession[];
}
interface CheckedIn {
  appointment: {
    name: string;
    nikMasked: string;
    session?: string;
    sessionId?: string;
    code?: string;
    date?: string;
  };
}

const specificErrors: Partial<Record<string, Key>> = {
  not_found: 'err_not_found',
  // Also another office's code: the server answers both alike, so officers cannot probe other offices.
  unknown_code: 'err_unknown_code',
  already_checked_in: 'err_already_checked_in',
  not_confirmed: 'err_not_confirmed',
  wrong_day: 'err_wrong_day',
  outside_window: 'err_outside_window',
  invalid_code: 'err_invalid_code',
};

const main = byId('main');
let top: ReturnType<typeof renderTop>;
let offices: Office[] = [];
let sheet: DaySheet | null = null;
/** Closes the camera, if it is on: on sign-out, and whenever the page is hidden. */
let closeCamera: () => void = () => {};

function renderChrome(user: StaffUser | null): void {
  showWho(top.who, user ? () => t('signedInAs', { name: user.username }) : null);
  const lb = langButton(t);
  if (!user) {
    mount(top.actions, lb);
    return;
  }
  const out = h('button', { type: 'button', class: 'link-button' }, T('signOut'));
  out.addEventListener('click', async () => {
    await staffSignOut();
    showSignIn();
  });
  mount(top.actions, lb, out);
}

function showSignIn(): void {
  closeCamera();
  renderChrome(null);
  staffSignInForm(
    main,
    t,
    () => t('signInTitle'),
    (user) => void showDesk(user),
  );
}

/** The day sheet when the server has it; otherwise the sessions from the public office list. */
async function loadSheet(officeId: string): Promise<DaySheet | null> {
  try {
    return await api<DaySheet>('GET', `/api/officer/day-sheet?office=${encodeURIComponent(officeId)}`);
  } catch (err) {
    if (!(err instanceof ApiFailure) || err.status !== 404) throw err;
    const o = offices.find((x) => x.id === officeId);
    return o ? { office: o, date: todayIn(o.tz), sessions: o.sessions } : null;
  }
}

function sessionLabel(s: { start: string; end: string }, tz: string): string {
  return t('sessionTime', { start: formatHhmm(s.start), end: formatHhmm(s.end), zone: zoneLabel(tz) });
}

function sheetCard(d: DaySheet | null): HTMLElement {
  if (!d) return h('section', { class: 'card', id: 'sessions', hidden: true });
  const tz = d.office.tz;
  return h(
    'section',
    { class: 'card', id: 'sessions', 'aria-labelledby': 'sessions-h' },
    h(
      'h2',
      { id: 'sessions-h' },
      live(() => t('todayTitle', { date: formatDate(d.date) })),
    ),
    d.sessions.length === 0
      ? h('p', { class: 'hint' }, T('noSessions'))
      : h(
          'ul',
          { class: 'sheet plain' },
          ...d.sessions.map((s) =>
            h(
              'li',
              { 'data-session': s.id },
              h(
                'div',
                { class: 'entry-head' },
                h(
                  'strong',
                  null,
                  live(() => sessionLabel(s, tz)),
                ),
                h('span', { class: 'meta' }, s.id, ' · ', T('places', { n: s.capacity })),
              ),
              s.confirmed === undefined
                ? null
                : h(
                    'p',
                    { class: 'meta' },
                    T('sheetCounts', {
                      confirmed: s.confirmed,
                      checkedIn: s.checkedIn ?? 0,
                      offered: s.offered ?? 0,
                      free: s.free ?? 0,
                    }),
                  ),
              s.people?.length
                ? h(
                    'details',
                    null,
                    h('summary', null, T('names', { n: s.people.length })),
                    h(
                      'div',
                      { class: 'table-wrap' },
                      h(
                        'table',
                        null,
                        h(
                          'tbody',
                          null,
                          ...s.people.map((p) =>
                            h(
                              'tr',
                              { class: p.state === 'checked_in' ? 'done' : null },
                              h('td', null, p.name),
                              h('td', { class: 'mono' }, p.nikMasked),
                              h('td', { class: 'mono' }, p.code),
                              h(
                                'td',
                                null,
                                p.state === 'checked_in' || p.state === 'confirmed'
                                  ? T(`st_${p.state}`)
                                  : p.state,
                              ),
                            ),
                          ),
                        ),
                      ),
                    ),
                  )
                : null,
            ),
          ),
        ),
  );
}

async function showDesk(user: StaffUser): Promise<void> {
  renderChrome(user);
  try {
    offices = (await api<{ offices: Office[] }>('GET', '/api/offices')).offices;
  } catch (err) {
    mount(main, h('p', { class: 'error', role: 'alert' }, live(errorText<Key>(err, t))));
    return;
  }
  let officeId = user.officeId ?? '';
  const sheetSlot = h('div');
  const officeName = h('p', { class: 'meta' });
  const showSheet = async () => {
    const o = offices.find((x) => x.id === officeId);
    mount(officeName, o ? o.name : '');
    if (!o) return mount(sheetSlot);
    try {
      sheet = await loadSheet(o.id);
      mount(sheetSlot, sheetCard(sheet));
    } catch (err) {
      if (err instanceof ApiFailure && err.status === 401) return showSignIn();
      mount(
        sheetSlot,
        h('p', { class: 'error', role: 'alert' }, live(errorText<Key>(err, t, specificErrors))),
      );
    }
  };
  // An officer belongs to one office; an admin standing in at a counter picks one.
  let picker: HTMLElement | null = null;
  if (!user.officeId) {
    const select = h(
      'select',
      { name: 'office' },
      h('option', { value: '' }, T('officeChoose')),
      ...offices.map((o) => h('option', { value: o.id }, shortOfficeName(o.name))),
    );
    select.addEventListener('change', () => {
      officeId = select.value;
      void showSheet();
    });
    picker = field(() => t('office'), select).el;
  }

  const code = field(
    () => t('codeLabel'),
    h('input', {
      type: 'text',
      name: 'code',
      autocomplete: 'off',
      autocapitalize: 'characters',
      spellcheck: 'false',
      maxlength: 200,
      class: 'code-input',
    }),
    { hint: () => t('codeHint') },
  );
  const submit = h('button', { type: 'submit', class: 'primary' }, T('checkIn'));
  const status = statusLine();
  status.hidden = true;
  const resultBox = h('div', { id: 'checkin-result', 'aria-live': 'assertive' });
  const camera = cameraScan(code.control, (value) => {
    // The payload goes in the field as read, then the same submit as typing: one path for the server.
    code.control.value = value;
    submit.click();
  });
  const form = h(
    'form',
    { novalidate: true, id: 'checkin-form' },
    code.el,
    status,
    h('div', { class: 'actions checkin-actions' }, submit, camera.button),
    camera.note,
  );
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    code.setError(null);
    say(status, null);
    say(camera.note, null);
    // Scanned QR payloads (FAIRSLOT:CODE:office:date) go to the server as they are; it extracts the code.
    const value = code.control.value.trim();
    if (!value) {
      code.setError(() => t('codeEmpty'));
      code.control.focus();
      return;
    }
    void busy(submit, async () => {
      try {
        const r = await api<CheckedIn>('POST', '/api/officer/check-in', { code: value });
        const a = r.appointment;
        const s = sheet?.sessions.find((x) => x.id === a.sessionId);
        const tz = sheet?.office.tz ?? 'Asia/Jakarta';
        mount(
          resultBox,
          h(
            'div',
            { class: 'checkin-result ok' },
            h('strong', null, '✓ ', T('checkedIn')),
            h(
              'dl',
              { class: 'kv' },
              h('dt', null, T('k_name')),
              h('dd', { class: 'big' }, a.name),
              h('dt', null, T('k_nik')),
              h('dd', { class: 'mono' }, a.nikMasked),
              h('dt', null, T('k_session')),
              h(
                'dd',
                null,
                s ? live(() => `${sessionLabel(s, tz)} (${s.id})`) : (a.session ?? a.sessionId ?? ''),
              ),
              a.code ? [h('dt', null, T('k_code')), h('dd', { class: 'mono' }, a.code)] : null,
            ),
          ),
        );
        code.control.value = '';
        void showSheet();
      } catch (err) {
        if (err instanceof ApiFailure && err.status === 401) return showSignIn();
        // The main app's catch-all 404 means the endpoint itself is missing, not the booking.
        const missingApi = err instanceof ApiFailure && err.status === 404 && err.message === 'no such route';
        const message = missingApi ? () => t('notAvailable') : errorText<Key>(err, t, specificErrors);
        mount(resultBox, h('div', { class: 'checkin-result error', role: 'alert' }, '✗ ', live(message)));
      }
      code.control.select();
      code.control.focus();
    });
  });

  mount(
    main,
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'checkin-h' },
      h('h1', { id: 'checkin-h' }, T('checkInTitle')),
      officeName,
      picker,
      form,
      camera.panel,
      resultBox,
    ),
    sheetSlot,
  );
  await showSheet();
  code.control.focus();
}

/** A camera outline drawn inline: an emoji may be missing from the fonts of a counter PC. */
function cameraIcon(): SVGSVGElement {
  const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('class', 'scan-icon');
  svg.setAttribute('aria-hidden', 'true');
  svg.innerHTML =
    '<path d="M4 7h3l2-3h6l2 3h3v13H4z" fill="none" stroke="currentColor" stroke-width="2" stroke-linejoin="round"/><circle cx="12" cy="13" r="4" fill="none" stroke="currentColor" stroke-width="2"/>';
  return svg;
}

const scanFailures: Record<ScanFailure, Key> = {
  denied: 'scanDenied',
  no_camera: 'scanNoCamera',
  failed: 'scanFailed',
};

/**
 * The "Scan QR" button (shown only where the browser can read QR codes from the camera) and the camera
 * panel it opens. The camera runs only while the panel is open: it stops on a hit, on Close or Escape,
 * on sign-out and when the page is hidden.
 */
function cameraScan(
  input: HTMLInputElement,
  onHit: (value: string) => void,
): {
  button: HTMLButtonElement;
  panel: HTMLElement;
  note: HTMLParagraphElement;
} {
  const button = h(
    'button',
    {
      type: 'button',
      class: 'secondary',
      id: 'scan-open',
      hidden: true,
      'aria-controls': 'scanner',
      'aria-expanded': 'false',
    },
    cameraIcon(),
    T('scanOpen'),
  );
  const note = statusLine();
  note.hidden = true;
  const video = liveAttr(
    h('video', { class: 'scan-video', muted: true, playsinline: true, autoplay: true }),
    'aria-label',
    () => t('scanVideo'),
  );
  const state = statusLine('scan-state');
  const close = h('button', { type: 'button', class: 'secondary', id: 'scan-close' }, T('scanClose'));
  const panel = h(
    'div',
    { class: 'scanner', id: 'scanner', role: 'group', 'aria-labelledby': 'scan-title', hidden: true },
    h('p', { class: 'scan-title', id: 'scan-title' }, T('scanTitle')),
    h('div', { class: 'scan-frame' }, video, h('span', { class: 'scan-aim', 'aria-hidden': 'true' })),
    state,
    h('div', { class: 'actions' }, close, h('span', { class: 'hint' }, T('scanEscape'))),
  );

  const onKey = (ev: KeyboardEvent) => {
    if (ev.key !== 'Escape') return;
    ev.preventDefault();
    hide(true);
  };
  const onHidden = () => {
    if (document.visibilityState === 'hidden') hide(false);
  };
  const hide = (returnFocus: boolean) => {
    scanner.stop();
    document.removeEventListener('keydown', onKey);
    document.removeEventListener('visibilitychange', onHidden);
    const wasOpen = !panel.hidden;
    panel.hidden = true;
    button.setAttribute('aria-expanded', 'false');
    if (returnFocus && wasOpen) button.focus();
  };
  const scanner = createScanner({
    onHit: (value) => {
      hide(false);
      onHit(value);
    },
    onFailure: (why) => {
      hide(false);
      say(note, () => t(scanFailures[why]), 'error');
      input.focus();
    },
  });
  closeCamera = () => hide(false);

  button.addEventListener('click', () => {
    if (!panel.hidden) return hide(true);
    say(note, null);
    panel.hidden = false;
    button.setAttribute('aria-expanded', 'true');
    say(state, () => t('scanStarting'));
    document.addEventListener('keydown', onKey);
    document.addEventListener('visibilitychange', onHidden);
    close.focus();
    void scanner.start(video).then(() => {
      if (scanner.running) say(state, () => t('scanLooking'));
    });
  });
  close.addEventListener('click', () => hide(true));
  void canScanQr().then((yes) => {
    button.hidden = !yes;
  });
  return { button, panel, note };
}

async function start(): Promise<void> {
  liveTitle(() => t('title'));
  setLang(lang(), { remember: false });
  top = renderTop(t, () => t('heading'));
  renderChrome(null);
  const user = await currentStaff().catch(() => null);
  if (user) await showDesk(user);
  else showSignIn();
}

void start();
