// Officer page at the counter: sign in, today's sessions of the office (the day sheet), and check-in by
// typing a booking code or scanning the QR into the same field (a USB scanner types like a keyboard; where
// the browser has BarcodeDetector, the device camera can read the QR too). Check-in takes two steps, look
// up then confirm arrival, with a short undo (public/src/officer/counter.ts).
import { ApiFailure, api } from './lib/api.ts';
import { byId, h, live, mount } from './lib/dom.ts';
import { busy, field, say, statusLine } from './lib/form.ts';
import { shortOfficeName } from './lib/format.ts';
import { lang, setLang } from './lib/i18n.ts';
import { errorText, langButton, liveTitle, renderTop, showWho } from './lib/page.ts';
import { currentStaff, type StaffUser, staffSignInForm, staffSignOut } from './lib/staff.ts';
import { cameraScan, closeCamera } from './officer/camera.ts';
import { createCounter } from './officer/counter.ts';
import { type DaySheet, type Office, T, t } from './officer/shared.ts';
import { loadSheet, sheetCard } from './officer/sheet.ts';
import { standbyCard } from './officer/standby.ts';
import type { Key } from './strings/officer.ts';

const main = byId('main');
let top: ReturnType<typeof renderTop>;
let offices: Office[] = [];
let sheet: DaySheet | null = null;

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
      sheet = await loadSheet(offices, o.id);
      mount(sheetSlot, standbyCard(o.id, o.tz, showSignIn), sheetCard(sheet));
    } catch (err) {
      if (err instanceof ApiFailure && err.status === 401) return showSignIn();
      mount(sheetSlot, h('p', { class: 'error', role: 'alert' }, live(errorText<Key>(err, t))));
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
  const submit = h('button', { type: 'submit', class: 'primary', id: 'lookup' }, T('lookUp'));
  const status = statusLine();
  status.hidden = true;
  const resultBox = h('div', { id: 'checkin-result', 'aria-live': 'assertive' });
  const counter = createCounter({
    code,
    box: resultBox,
    tz: () => sheet?.office.tz ?? offices.find((o) => o.id === officeId)?.tz ?? 'Asia/Jakarta',
    onChange: () => void showSheet(),
    onSignedOut: showSignIn,
  });
  const camera = cameraScan(code.control, (value) => {
    // The payload goes in the field as read, then the same look-up as typing: one path for the server.
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
    say(status, null);
    say(camera.note, null);
    void busy(submit, () => counter.lookUp());
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
