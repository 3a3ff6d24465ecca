// Applicant page: sign in by one-time code, manage household persons, enter a draw, follow the result.
// Plain DOM and a tiny helper: this page is paid for by the megabyte on cheap phones.
import { ApiFailure, api, type FieldError, setCsrf } from './lib/api.ts';
import { byId, h, live, liveAttr, mount } from './lib/dom.ts';
import { busy, clearErrors, type Field, field, say, showFieldErrors, statusLine } from './lib/form.ts';
import {
  formatClock,
  formatDate,
  formatHhmm,
  formatInstant,
  formatTimeIn,
  shortOfficeName,
  zoneLabel,
} from './lib/format.ts';
import { formatNumber, hasChosenLang, lang, setLang, translator, type Vars } from './lib/i18n.ts';
import { errorText, langButton, liveTitle, renderTop, showWho } from './lib/page.ts';
import { PowSolver, withPow } from './lib/pow.ts';
import { type Key, serverMessages, strings } from './strings/applicant.ts';

const t = translator(strings);
const T = (key: Key, vars?: Vars) => live(() => t(key, vars));

// ---- API shapes (the subset this page reads) ----
interface Session {
  id: string;
  start: string;
  end: string;
  capacity: number;
}
interface NextDraw {
  drawDate: string;
  targetDate: string;
  closesAt: string;
  closesAtLocal: string;
  zoneLabel: string;
}
interface Office {
  id: string;
  name: string;
  address: string;
  tz: string;
  dailyQuota: number;
  sessions: Session[];
  priorityCategories: { id: string; label: string }[];
  nextDraw: NextDraw | null;
}
interface Person {
  id: string;
  name: string;
  nikMasked: string;
  birthDate: string;
  category: string | null;
}
type EntryStatus = 'pending' | 'won' | 'waitlisted' | 'lost' | 'carried_over' | 'withdrawn' | 'void';
interface Entry {
  ticket: string;
  officeId: string;
  drawDate: string;
  targetDate: string;
  personId: string;
  prefs: string[] | null;
  status: EntryStatus;
  createdAt: string;
  rank: number | null;
  sessionId: string | null;
  waitlistPosition: number | null;
}
interface Me {
  account: { id: string; contact: string; contactKind: 'phone' | 'email'; lang: 'id' | 'en' };
  persons: Person[];
  csrfToken: string;
}

const POLL_MS = 30_000;

const state = {
  me: null as Me | null,
  persons: [] as Person[],
  offices: [] as Office[],
  entries: [] as Entry[],
  /** Entries so far in the next draw of an office, when the public draw record has it. */
  entryCounts: new Map<string, number>(),
  lastRefresh: 0,
};

const codePow = new PowSolver('code');
const entryPow = new PowSolver('entry');

const main = byId('main');
let top: { actions: HTMLElement; who: HTMLElement };

// Server messages are English; known ones are shown in the chosen language, unknown ones as sent.
function fieldMessage(fallback: Key): (e: FieldError) => () => string {
  return (e) => {
    const known = serverMessages[e.message];
    return () => t(known ?? fallback);
  };
}

const specificErrors: Partial<Record<string, Key>> = {
  invalid_code: 'err_invalid_code',
  locked: 'err_locked',
  resend_too_soon: 'err_resend_too_soon',
  not_pending: 'err_not_pending',
  draw_closed: 'err_draw_closed',
  already_entered: 'err_already_entered',
  active_elsewhere: 'err_active_elsewhere',
  banned: 'err_banned',
  no_draw: 'err_no_draw',
  household_limit: 'household_limit',
  nik_taken: 'nik_taken',
};
const errText = (err: unknown) => errorText<Key>(err, t, specificErrors);

// ---- page chrome ----
function renderHeader(): void {
  top = renderTop(t, () => t('tagline'), { href: '/verify', text: () => t('footerVerify') });
}

function renderHeaderActions(): void {
  const lb = langButton(t, (next) => {
    if (state.me) api('PATCH', '/api/me', { lang: next }).catch(() => {});
  });
  const me = state.me;
  showWho(top.who, me ? () => t('signedInAs', { name: me.account.contact }) : null);
  if (!me) {
    mount(top.actions, lb);
    return;
  }
  const out = h('button', { type: 'button', class: 'link-button' }, T('signOut'));
  out.addEventListener('click', () => void signOut());
  mount(top.actions, lb, out);
}

// ---- sign-in ----
function powStatus(solver: PowSolver): HTMLElement {
  const bar = h('progress', { 'aria-hidden': 'true' });
  const text = h('span');
  const seconds = h('span', { class: 'pow-seconds', 'aria-hidden': 'true' });
  const box = h(
    'div',
    { class: 'pow', role: 'status' },
    bar,
    h('span', null, text, ' ', seconds),
    h('p', { class: 'hint' }, T('powWhy')),
  );
  let timer = 0;
  const update = () => {
    window.clearInterval(timer);
    seconds.textContent = '';
    box.dataset.phase = solver.phase;
    bar.hidden = solver.phase !== 'solving';
    if (solver.phase === 'solving') {
      mount(text, T('powPreparing'));
      const tick = () => {
        if (!box.isConnected) return window.clearInterval(timer);
        const s = Math.floor((performance.now() - solver.startedAt) / 1000);
        seconds.textContent = s >= 1 ? t('powSeconds', { s }) : '';
      };
      tick();
      timer = window.setInterval(tick, 1000);
    } else if (solver.phase === 'ready') mount(text, '✓ ', T('powReady'));
    else if (solver.phase === 'error') mount(text, T('powFailed'));
    else mount(text);
  };
  solver.onChange(update);
  update();
  return box;
}

function renderSignIn(notice?: () => string): void {
  state.me = null;
  // Another person may sign in next on this phone: nothing of the last account may linger.
  for (const s of Object.values(sections)) s.replaceChildren();
  sections.appointments.hidden = true;
  sections.messages.hidden = true;
  appointments = [];
  state.entryCounts.clear();
  setCsrf(null);
  renderHeaderActions();
  codePow.prefetch();

  const contact = field(
    () => t('contactLabel'),
    h('input', {
      type: 'text',
      name: 'contact',
      autocomplete: 'username',
      autocapitalize: 'off',
      spellcheck: 'false',
      required: true,
      maxlength: 254,
    }),
    { hint: () => t('contactHint') },
  );
  const sendBtn = h('button', { type: 'submit', class: 'primary' }, T('sendCode'));
  const contactStatus = statusLine();
  if (notice) say(contactStatus, notice, 'error');
  else contactStatus.hidden = true;
  const contactForm = h(
    'form',
    { novalidate: true, id: 'contact-form' },
    contact.el,
    powStatus(codePow),
    contactStatus,
    sendBtn,
  );

  const code = field(
    () => t('codeLabel'),
    h('input', {
      type: 'text',
      name: 'code',
      inputmode: 'numeric',
      autocomplete: 'one-time-code',
      maxlength: 6,
      pattern: '[0-9]{6}',
      class: 'code-input',
      required: true,
    }),
  );
  const sentTo = h('p', { class: 'info' });
  const codeStatus = statusLine();
  codeStatus.hidden = true;
  const verifyBtn = h('button', { type: 'submit', class: 'primary' }, T('verifyCode'));
  const resendBtn = h('button', { type: 'button', class: 'link-button' }, T('resend'));
  const resendWait = h('p', { class: 'hint', 'aria-live': 'off' });
  const backBtn = h('button', { type: 'button', class: 'link-button' }, T('changeContact'));
  const codeForm = h(
    'form',
    { novalidate: true, id: 'code-form', hidden: true },
    sentTo,
    code.el,
    codeStatus,
    verifyBtn,
    h('div', { class: 'row-links' }, resendBtn, backBtn),
    resendWait,
  );

  let sentContact = '';
  let resendTimer = 0;
  const startResendCountdown = (seconds: number) => {
    window.clearInterval(resendTimer);
    const until = Date.now() + seconds * 1000;
    const tick = () => {
      const left = Math.ceil((until - Date.now()) / 1000);
      resendBtn.disabled = left > 0;
      resendWait.textContent = left > 0 ? t('resendIn', { s: left }) : '';
      if (left <= 0) window.clearInterval(resendTimer);
    };
    tick();
    resendTimer = window.setInterval(tick, 1000);
  };

  const requestCode = async (value: string) => {
    const r = await withPow(codePow, (pow) =>
      api<{ resendAfterSeconds: number; expiresInSeconds: number }>('POST', '/api/auth/code', {
        contact: value,
        lang: lang(),
        pow,
      }),
    );
    sentContact = value;
    mount(sentTo, T('codeSent', { contact: value, min: Math.round(r.expiresInSeconds / 60) }));
    startResendCountdown(r.resendAfterSeconds);
  };

  contactForm.addEventListener('submit', (ev) => {
    ev.preventDefault();
    clearErrors({ contact });
    say(contactStatus, null);
    const value = contact.control.value.trim();
    if (!value) {
      contact.setError(() => t('contact_empty'));
      contact.control.focus();
      return;
    }
    void busy(sendBtn, async () => {
      try {
        await requestCode(value);
        contactForm.hidden = true;
        codeForm.hidden = false;
        code.control.value = '';
        code.control.focus();
      } catch (err) {
        handleFormError(err, { contact }, contactStatus, 'contact_invalid');
      }
    });
  });

  codeForm.addEventListener('submit', (ev) => {
    ev.preventDefault();
    clearErrors({ code });
    say(codeStatus, null);
    const value = code.control.value.replace(/\s+/g, '');
    if (!/^\d{6}$/.test(value)) {
      code.setError(() => t('code_invalid'));
      code.control.focus();
      return;
    }
    void busy(verifyBtn, async () => {
      try {
        const r = await api<{ csrfToken: string; lang: 'id' | 'en' }>('POST', '/api/auth/verify', {
          contact: sentContact,
          code: value,
        });
        setCsrf(r.csrfToken);
        window.clearInterval(resendTimer);
        await loadSignedIn();
      } catch (err) {
        if (
          err instanceof ApiFailure &&
          err.code === 'invalid_code' &&
          typeof err.body.triesLeft === 'number'
        ) {
          const n = err.body.triesLeft;
          code.setError(() => t('triesLeft', { n }));
          code.control.focus();
          return;
        }
        handleFormError(err, { code, contact: code }, codeStatus, 'code_invalid');
      }
    });
  });

  resendBtn.addEventListener('click', () => {
    say(codeStatus, null);
    void busy(resendBtn, async () => {
      try {
        await requestCode(sentContact);
      } catch (err) {
        say(codeStatus, errText(err), 'error');
      }
    });
  });
  backBtn.addEventListener('click', () => {
    window.clearInterval(resendTimer);
    codeForm.hidden = true;
    contactForm.hidden = false;
    codePow.prefetch();
    contact.control.focus();
  });

  mount(
    main,
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'signin-h' },
      h('h1', { id: 'signin-h' }, T('signInTitle')),
      h('p', null, T('intro')),
      contactForm,
      codeForm,
    ),
  );
}

/** Field errors next to their controls, anything else in the form's status line. */
function handleFormError(
  err: unknown,
  fields: Record<string, Field>,
  status: HTMLElement,
  fallback: Key,
): void {
  if (err instanceof ApiFailure && err.status === 401) {
    renderSignIn(errText(err));
    return;
  }
  if (err instanceof ApiFailure && err.fields.length) {
    const unmatched = showFieldErrors(err.fields, fields, fieldMessage(fallback));
    if (unmatched.length === 0) return;
  }
  say(status, errText(err), 'error');
}

async function signOut(): Promise<void> {
  stopPolling();
  await api('POST', '/api/auth/logout').catch(() => {});
  renderSignIn();
}

// ---- signed in ----
const officeById = (id: string) => state.offices.find((o) => o.id === id);
const personById = (id: string) => state.persons.find((p) => p.id === id);

function categoryLabel(id: string, serverLabel: string): string {
  const key = `cat_${id}` as Key;
  return key in strings.en ? t(key) : serverLabel;
}

async function loadSignedIn(): Promise<void> {
  let me: Me;
  try {
    me = await api<Me>('GET', '/api/me');
  } catch (err) {
    if (err instanceof ApiFailure && err.status === 401) return renderSignIn();
    mount(main, h('p', { class: 'error', role: 'alert' }, live(errText(err))));
    return;
  }
  state.me = me;
  state.persons = me.persons;
  setCsrf(me.csrfToken);
  codePow.cancel();
  // A choice made on this device wins; otherwise the account's language is adopted.
  if (hasChosenLang()) {
    if (me.account.lang !== lang()) api('PATCH', '/api/me', { lang: lang() }).catch(() => {});
  } else if (me.account.lang !== lang()) setLang(me.account.lang);
  renderHeaderActions();
  entryPow.prefetch();

  const [offices, entries] = await Promise.allSettled([
    api<{ offices: Office[] }>('GET', '/api/offices'),
    api<{ entries: Entry[] }>('GET', '/api/me/entries'),
  ]);
  state.offices = offices.status === 'fulfilled' ? offices.value.offices : [];
  state.entries = entries.status === 'fulfilled' ? entries.value.entries : [];
  state.lastRefresh = Date.now();
  renderSignedIn();
  startPolling();
  void probeOptionalSections();
}

const sections = {
  appointments: h('section', {
    class: 'card',
    id: 'appointments',
    hidden: true,
    'aria-labelledby': 'appointments-h',
  }),
  entries: h('section', { class: 'card', id: 'entries', 'aria-labelledby': 'entries-h' }),
  persons: h('section', { class: 'card', id: 'persons', 'aria-labelledby': 'persons-h' }),
  join: h('section', { class: 'card', id: 'join', 'aria-labelledby': 'join-h' }),
  messages: h('section', { class: 'card', id: 'messages', hidden: true, 'aria-labelledby': 'messages-h' }),
};
const entriesList = h('ul', { class: 'entries' });
const entriesUpdated = h('span', { class: 'hint' });
const entriesStatus = statusLine();

function renderSignedIn(): void {
  const refreshBtn = h('button', { type: 'button', class: 'link-button', id: 'refresh' }, T('refreshNow'));
  refreshBtn.addEventListener(
    'click',
    () =>
      void busy(refreshBtn, () =>
        Promise.all([refreshEntries(true), refreshAppointments(), refreshMessages()]),
      ),
  );
  entriesStatus.hidden = true;
  mount(
    sections.entries,
    h('h2', { id: 'entries-h' }, T('entriesTitle')),
    entriesStatus,
    entriesList,
    h('div', { class: 'updated' }, entriesUpdated, refreshBtn),
  );
  renderEntries();
  renderPersons();
  renderJoin();
  mount(main, sections.appointments, sections.entries, sections.persons, sections.join, sections.messages);
}

// ---- entries ----
function sessionText(office: Office | undefined, sessionId: string | null): { start: string; end: string } {
  const s = office?.sessions.find((x) => x.id === sessionId);
  return s ? { start: formatHhmm(s.start), end: formatHhmm(s.end) } : { start: sessionId ?? '?', end: '' };
}

function entryDetail(e: Entry): () => string {
  const office = officeById(e.officeId);
  return () => {
    const date = formatDate(e.targetDate);
    switch (e.status) {
      case 'pending': {
        const closes = office?.nextDraw?.drawDate === e.drawDate ? office.nextDraw.closesAt : null;
        const when = closes && office ? formatInstant(closes, office.tz) : formatDate(e.drawDate);
        return t('detail_pending', { when });
      }
      case 'won':
        return t('detail_won', {
          ...sessionText(office, e.sessionId),
          zone: zoneLabel(office?.tz ?? ''),
          date,
        });
      case 'waitlisted':
        return t('detail_waitlisted', { n: e.waitlistPosition ?? '?', date });
      case 'lost':
        return t('detail_lost', { date });
      case 'carried_over':
        return t('detail_carried_over', { date });
      case 'withdrawn':
        return t('detail_withdrawn');
      case 'void':
        return t('detail_void');
    }
  };
}

function renderEntries(): void {
  const list = [...state.entries].sort((a, b) => (a.createdAt < b.createdAt ? 1 : -1));
  if (list.length === 0) {
    mount(entriesList, h('li', { class: 'empty' }, T('entriesEmpty')));
  } else {
    mount(entriesList, ...list.map(entryItem));
  }
  const at = new Date(state.lastRefresh || Date.now());
  mount(
    entriesUpdated,
    live(() => t('updatedAt', { time: formatClock(at) })),
  );
}

function entryItem(e: Entry): HTMLLIElement {
  const office = officeById(e.officeId);
  const person = personById(e.personId);
  const actions = h('div', { class: 'actions' });
  const drawn =
    e.status === 'won' || e.status === 'waitlisted' || e.status === 'lost' || e.status === 'carried_over';
  if (e.status === 'pending') {
    const withdraw = h('button', { type: 'button', class: 'secondary small' }, T('withdraw'));
    withdraw.addEventListener('click', () => confirmWithdraw(e, actions));
    actions.append(withdraw);
  }
  if (drawn) {
    const q = new URLSearchParams({ office: e.officeId, date: e.drawDate, ticket: e.ticket });
    actions.append(h('a', { href: `/verify?${q}`, class: 'small-link' }, T('checkDraw')));
  }
  return h(
    'li',
    { class: `entry status-${e.status}`, 'data-ticket': e.ticket },
    h(
      'div',
      { class: 'entry-head' },
      h('strong', null, person?.name ?? '—'),
      h('span', { class: `badge badge-${e.status}` }, T(`status_${e.status}`)),
    ),
    h(
      'p',
      { class: 'meta' },
      live(() =>
        t('drawFor', {
          office: office ? shortOfficeName(office.name) : e.officeId,
          date: formatDate(e.targetDate, { short: true }),
        }),
      ),
    ),
    h('p', { class: 'detail' }, live(entryDetail(e))),
    h(
      'p',
      { class: 'meta' },
      live(() => t('ticket', { ticket: '' })),
      h('span', { class: 'mono' }, e.ticket),
      e.rank !== null ? [' · ', T('rank', { n: e.rank })] : null,
    ),
    actions,
  );
}

function confirmWithdraw(e: Entry, actions: HTMLElement): void {
  const name = personById(e.personId)?.name ?? e.ticket;
  const yes = h('button', { type: 'button', class: 'danger small' }, T('withdrawYes'));
  const no = h('button', { type: 'button', class: 'secondary small' }, T('withdrawNo'));
  const status = statusLine();
  status.hidden = true;
  mount(actions, h('p', { class: 'confirm' }, T('withdrawConfirm', { name })), yes, no, status);
  no.focus();
  no.addEventListener('click', () => renderEntries());
  yes.addEventListener('click', () =>
    busy(yes, async () => {
      try {
        await api('DELETE', `/api/me/entries/${encodeURIComponent(e.ticket)}`);
        await refreshEntries(true);
        say(entriesStatus, () => t('withdrawn'), 'ok');
      } catch (err) {
        say(status, errText(err), 'error');
      }
    }),
  );
}

async function refreshEntries(manual = false): Promise<void> {
  try {
    const r = await api<{ entries: Entry[] }>('GET', '/api/me/entries');
    state.entries = r.entries;
    state.lastRefresh = Date.now();
    renderEntries();
  } catch (err) {
    if (err instanceof ApiFailure && err.status === 401) {
      stopPolling();
      renderSignIn(errText(err));
      return;
    }
    if (manual) say(entriesStatus, errText(err), 'error');
  }
}

// Polling pauses while the tab is hidden: a phone in a pocket should not spend data or battery.
let pollTimer = 0;
function startPolling(): void {
  stopPolling();
  pollTimer = window.setInterval(() => {
    if (document.hidden) return;
    void refreshEntries();
    void refreshAppointments();
  }, POLL_MS);
}
function stopPolling(): void {
  window.clearInterval(pollTimer);
  pollTimer = 0;
}
document.addEventListener('visibilitychange', () => {
  if (!document.hidden && pollTimer && Date.now() - state.lastRefresh > POLL_MS) {
    void refreshEntries();
    void refreshAppointments();
  }
});

// ---- persons ----
const personsList = h('ul', { class: 'persons' });

function renderPersons(): void {
  if (state.persons.length === 0) mount(personsList, h('li', { class: 'empty' }, T('personsEmpty')));
  else
    mount(
      personsList,
      ...state.persons.map((p) =>
        h(
          'li',
          null,
          h('strong', null, p.name),
          h('span', { class: 'meta mono' }, ` ${p.nikMasked}`),
          h(
            'span',
            { class: 'meta' },
            ' · ',
            live(() => t('bornOn', { date: formatDate(p.birthDate, { weekday: false }) })),
          ),
          p.category
            ? h(
                'span',
                { class: 'badge badge-cat' },
                live(() => categoryLabel(p.category!, p.category!)),
              )
            : null,
        ),
      ),
    );
  if (!sections.persons.hasChildNodes()) buildPersonsSection();
}

function buildPersonsSection(): void {
  const nik = field(
    () => t('nikLabel'),
    h('input', {
      type: 'text',
      name: 'nik',
      inputmode: 'numeric',
      autocomplete: 'off',
      maxlength: 24,
      class: 'mono',
      required: true,
    }),
  );
  const name = field(
    () => t('nameLabel'),
    h('input', { type: 'text', name: 'name', autocomplete: 'name', maxlength: 100, required: true }),
  );
  const birth = field(
    () => t('birthLabel'),
    h('input', { type: 'date', name: 'birthDate', required: true, min: '1900-01-01' }),
  );
  const categories = new Map<string, string>();
  for (const o of state.offices)
    for (const c of o.priorityCategories) if (!categories.has(c.id)) categories.set(c.id, c.label);
  const select = h(
    'select',
    { name: 'category' },
    h('option', { value: '' }, T('categoryNone')),
    ...[...categories].map(([id, label]) =>
      h(
        'option',
        { value: id },
        live(() => categoryLabel(id, label)),
      ),
    ),
  );
  const category = field(() => t('categoryLabel'), select, { hint: () => t('categoryHint') });
  const fields: Record<string, Field> = { nik, name, birthDate: birth, category };
  const status = statusLine();
  status.hidden = true;
  const added = statusLine();
  added.hidden = true;
  added.id = 'person-added';
  const submit = h('button', { type: 'submit', class: 'primary' }, T('addPerson'));
  const form = h(
    'form',
    { novalidate: true, id: 'person-form' },
    nik.el,
    name.el,
    birth.el,
    categories.size ? category.el : null,
    status,
    submit,
  );
  const details = h(
    'details',
    { class: 'add-person', open: state.persons.length === 0 },
    h('summary', null, T('addPersonTitle')),
    form,
  );
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    clearErrors(fields);
    say(status, null);
    say(added, null);
    void busy(submit, async () => {
      try {
        const res = await api<{ person: Person }>('POST', '/api/me/persons', {
          nik: nik.control.value,
          name: name.control.value,
          birthDate: birth.control.value,
          category: select.value || null,
        });
        const existed = state.persons.some((p) => p.id === res.person.id);
        if (!existed) state.persons.push(res.person);
        form.reset();
        renderPersons();
        renderWho();
        const personName = res.person.name;
        // The form folds away so the next step, entering a draw, is what comes next on a small screen.
        details.open = false;
        say(added, () => t(existed ? 'personExisted' : 'personAdded', { name: personName }), 'ok');
        details.querySelector('summary')?.focus();
      } catch (err) {
        const fallback: Key =
          err instanceof ApiFailure && err.code === 'nik_taken' ? 'nik_taken' : 'name_invalid';
        if (err instanceof ApiFailure && err.fields.length) {
          // Zod reports per field; give each field its own fallback wording.
          const byField: Record<string, Key> = {
            nik: 'nik_digits',
            birthDate: 'nik_birth_real',
            name: fallback,
          };
          const unmatched = showFieldErrors(err.fields, fields, (e) => {
            const key = serverMessages[e.message] ?? byField[e.path] ?? 'err_invalid_input';
            return () => t(key);
          });
          if (unmatched.length) say(status, errText(err), 'error');
          return;
        }
        handleFormError(err, fields, status, fallback);
      }
    });
  });
  mount(
    sections.persons,
    h('h2', { id: 'persons-h' }, T('personsTitle')),
    h('p', { class: 'hint' }, T('personsHint')),
    personsList,
    added,
    details,
  );
}

// ---- joining a draw ----
const whoBox = h('fieldset', { class: 'who' });
const joinBody = h('div');
const officeInfo = h('div', { class: 'office-info', 'aria-live': 'polite' });
const prefsBox = h('div', { class: 'prefs' });
const pref = { mode: 'any' as 'any' | 'ranked', order: [] as string[], chosen: new Set<string>() };
let selectedPerson = '';
let selectedOffice = '';

function renderWho(): void {
  joinNeed.hidden = state.persons.length > 0;
  if (state.persons.length === 0) {
    mount(whoBox);
    whoBox.hidden = true;
    joinBody.hidden = true;
    return;
  }
  whoBox.hidden = false;
  joinBody.hidden = false;
  if (!personById(selectedPerson)) selectedPerson = state.persons[0]!.id;
  mount(
    whoBox,
    h('legend', null, T('whoLegend')),
    ...state.persons.map((p) => {
      const input = h('input', {
        type: 'radio',
        name: 'person',
        value: p.id,
        checked: p.id === selectedPerson,
      });
      input.addEventListener('change', () => {
        selectedPerson = p.id;
      });
      return h(
        'label',
        { class: 'choice' },
        input,
        h('span', null, p.name, ' ', h('span', { class: 'meta mono nowrap' }, p.nikMasked)),
      );
    }),
  );
}
const joinNeed = h('p', { class: 'hint' });

function renderJoin(): void {
  const select = h(
    'select',
    { name: 'office', required: true },
    h('option', { value: '' }, T('officeChoose')),
    ...state.offices.map((o) =>
      h('option', { value: o.id, selected: o.id === selectedOffice }, shortOfficeName(o.name)),
    ),
  );
  const office = field(() => t('officeLabel'), select);
  select.addEventListener('change', () => {
    selectedOffice = select.value;
    office.setError(null);
    pref.order = [];
    pref.chosen.clear();
    renderOfficeInfo();
    renderPrefs();
    if (selectedOffice) void loadEntryCount(selectedOffice);
  });
  const status = statusLine();
  status.hidden = true;
  const submit = h('button', { type: 'submit', class: 'primary' }, T('join'));
  const form = h('form', { novalidate: true, id: 'join-form' }, whoBox, joinBody);
  mount(joinBody, office.el, officeInfo, prefsBox, status, submit);
  mount(joinNeed, T('joinNeedPerson'));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    say(status, null);
    office.setError(null);
    if (!selectedOffice) {
      office.setError(() => t('officeRequired'));
      select.focus();
      return;
    }
    const prefs = pref.mode === 'any' ? 'any' : pref.order.filter((id) => pref.chosen.has(id));
    if (prefs !== 'any' && prefs.length === 0) {
      say(status, () => t('prefsNone'), 'error');
      prefsBox.querySelector<HTMLInputElement>('input[type=checkbox]')?.focus();
      return;
    }
    void busy(submit, async () => {
      try {
        const r = await withPow(entryPow, (pow) =>
          api<{ entry: Entry; entryCount: number; quota: number }>('POST', '/api/me/entries', {
            personId: selectedPerson,
            officeId: selectedOffice,
            prefs,
            pow,
          }),
        );
        state.entryCounts.set(r.entry.officeId, r.entryCount);
        renderOfficeInfo();
        const ticket = r.entry.ticket;
        say(status, () => t('joined', { ticket }), 'ok');
        await refreshEntries();
      } catch (err) {
        handleFormError(err, { officeId: office }, status, 'err_invalid_input');
      } finally {
        entryPow.prefetch();
      }
    });
  });
  mount(sections.join, h('h2', { id: 'join-h' }, T('joinTitle')), joinNeed, form);
  renderWho();
  renderOfficeInfo();
  renderPrefs();
}

async function loadEntryCount(officeId: string): Promise<void> {
  const office = officeById(officeId);
  if (!office?.nextDraw) return;
  try {
    const r = await api<{ draws: { drawDate: string; entryCount: number }[] }>(
      'GET',
      `/api/draws/${encodeURIComponent(officeId)}`,
    );
    const d = r.draws.find((x) => x.drawDate === office.nextDraw?.drawDate);
    if (d) state.entryCounts.set(officeId, d.entryCount);
    if (selectedOffice === officeId) renderOfficeInfo();
  } catch {
    // The count is a nicety; the quota alone is still an honest statement.
  }
}

function renderOfficeInfo(): void {
  const o = officeById(selectedOffice);
  if (!o) {
    mount(officeInfo);
    return;
  }
  if (!o.nextDraw) {
    mount(officeInfo, h('p', { class: 'warn' }, T('noDraw')));
    return;
  }
  const next = o.nextDraw;
  const count = state.entryCounts.get(o.id);
  const lines: Node[] = [
    h('p', { class: 'address' }, o.name, h('br'), o.address),
    h(
      'p',
      null,
      live(() =>
        t('nextDraw', {
          when: formatInstant(next.closesAt, o.tz, next.zoneLabel),
          date: formatDate(next.targetDate),
        }),
      ),
    ),
  ];
  const quota = o.dailyQuota;
  if (count === undefined)
    lines.push(
      h(
        'p',
        { class: 'odds' },
        live(() => t('oddsUnknown', { quota: formatNumber(quota) })),
      ),
    );
  else {
    lines.push(
      h(
        'p',
        { class: 'odds' },
        live(() => t('oddsKnown', { quota: formatNumber(quota), n: formatNumber(count) })),
      ),
    );
    if (count <= quota) lines.push(h('p', { class: 'odds' }, T('oddsEnough')));
    else {
      // Equal weights assumed; the note below says why a given entry may differ.
      const pct = Math.max(1, Math.round((quota / count) * 100));
      lines.push(h('p', { class: 'odds' }, T('oddsRough', { pct })));
    }
  }
  lines.push(h('p', { class: 'hint' }, T('oddsNote')));
  mount(officeInfo, ...lines);
}

function renderPrefs(): void {
  const o = officeById(selectedOffice);
  if (!o?.nextDraw) {
    mount(prefsBox);
    return;
  }
  if (pref.order.length === 0) pref.order = o.sessions.map((s) => s.id);
  const anyRadio = h('input', {
    type: 'radio',
    name: 'prefmode',
    value: 'any',
    checked: pref.mode === 'any',
  });
  const rankedRadio = h('input', {
    type: 'radio',
    name: 'prefmode',
    value: 'ranked',
    checked: pref.mode === 'ranked',
  });
  const onMode = () => {
    pref.mode = rankedRadio.checked ? 'ranked' : 'any';
    list.hidden = pref.mode === 'any';
    hint.hidden = pref.mode === 'any';
  };
  anyRadio.addEventListener('change', onMode);
  rankedRadio.addEventListener('change', onMode);
  const list = h('ol', { class: 'ranked', id: 'pref-list' });
  const hint = h('p', { class: 'hint' }, T('prefsHint'));
  const zone = zoneLabel(o.tz);
  const drawList = (focusId?: string) => {
    const chosen = pref.order.filter((id) => pref.chosen.has(id));
    mount(
      list,
      ...pref.order.map((id) => {
        const s = o.sessions.find((x) => x.id === id)!;
        const times = { start: formatHhmm(s.start), end: formatHhmm(s.end), zone };
        // The fieldset legend already says "session"; the list shows just the times, which fit a phone.
        const label = () => t('session', times);
        const box = h('input', {
          type: 'checkbox',
          id: `pref-${id}`,
          value: id,
          checked: pref.chosen.has(id),
        });
        box.addEventListener('change', () => {
          // Chosen sessions sit on top in choice order; a newly chosen one becomes the last choice.
          pref.order = pref.order.filter((x) => x !== id);
          if (box.checked) pref.chosen.add(id);
          else pref.chosen.delete(id);
          const firstUnchosen = pref.order.findIndex((x) => !pref.chosen.has(x));
          const at = box.checked
            ? firstUnchosen === -1
              ? pref.order.length
              : firstUnchosen
            : pref.order.length;
          pref.order.splice(at, 0, id);
          drawList(`pref-${id}`);
        });
        const idx = chosen.indexOf(id);
        const move = (dir: -1 | 1) => {
          const i = pref.order.indexOf(id);
          const j = i + dir;
          if (j < 0 || j >= pref.order.length || !pref.chosen.has(pref.order[j]!)) return;
          [pref.order[i], pref.order[j]] = [pref.order[j]!, pref.order[i]!];
          drawList(`${dir < 0 ? 'up' : 'down'}-${id}`);
        };
        const up = liveAttr(
          h('button', { type: 'button', class: 'icon', id: `up-${id}`, disabled: idx <= 0 }, '↑'),
          'aria-label',
          () => t('moveUp', { session: label() }),
        );
        const down = liveAttr(
          h(
            'button',
            {
              type: 'button',
              class: 'icon',
              id: `down-${id}`,
              disabled: idx < 0 || idx >= chosen.length - 1,
            },
            '↓',
          ),
          'aria-label',
          () => t('moveDown', { session: label() }),
        );
        up.addEventListener('click', () => move(-1));
        down.addEventListener('click', () => move(1));
        return h(
          'li',
          { class: pref.chosen.has(id) ? 'chosen' : '' },
          h(
            'label',
            { for: `pref-${id}` },
            box,
            h(
              'span',
              null,
              h(
                'span',
                { class: 'session-name' },
                live(() => t('sessionTime', times)),
              ),
              h(
                'span',
                { class: 'meta' },
                T('places', { n: s.capacity }),
                idx >= 0 ? [' · ', h('strong', { class: 'choice-n' }, T('choice', { n: idx + 1 }))] : null,
              ),
            ),
          ),
          idx >= 0 ? h('span', { class: 'move' }, up, down) : null,
        );
      }),
    );
    if (focusId) {
      // At the top or bottom the arrow just pressed is disabled; its twin keeps focus on the same session.
      const el = document.getElementById(focusId) as HTMLButtonElement | null;
      const twin = focusId.replace(/^(up|down)-/, (m) => (m === 'up-' ? 'down-' : 'up-'));
      (el?.disabled ? document.getElementById(twin) : el)?.focus();
    }
  };
  drawList();
  mount(
    prefsBox,
    h(
      'fieldset',
      null,
      h('legend', null, T('prefsLegend')),
      h('label', { class: 'choice' }, anyRadio, h('span', null, T('prefsAny'))),
      h('label', { class: 'choice' }, rankedRadio, h('span', null, T('prefsRanked'))),
      hint,
      list,
    ),
  );
  onMode();
}

// ---- appointments and messages ----
// These come from the appointments and notifications APIs. A server without them answers 404 and
// the sections stay hidden; the entries above work either way.
type AppointmentState = 'offered' | 'confirmed' | 'checked_in' | 'forfeited' | 'cancelled' | 'no_show';
interface Appointment {
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
  confirmBy: string | null;
  person: { name: string; nikMasked: string } | null;
  qr: string;
}
interface Delivery {
  id: string;
  template: string;
  channel: string;
  state: 'sent' | 'failed';
  at: string;
}

const optional = { appointments: false, messages: false };
let appointments: Appointment[] = [];
const appointmentsStatus = statusLine();
appointmentsStatus.hidden = true;

async function probeOptionalSections(): Promise<void> {
  await Promise.all([refreshAppointments(true), refreshMessages(true)]);
}

async function refreshAppointments(probe = false): Promise<void> {
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

async function refreshMessages(probe = false): Promise<void> {
  if (!probe && !optional.messages) return;
  try {
    const r = await api<{ messages: Delivery[] }>('GET', '/api/me/messages');
    optional.messages = true;
    renderMessages(r.messages);
  } catch {}
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
    const confirm = h('button', { type: 'button', class: 'primary small' }, T('apptConfirm'));
    confirm.addEventListener('click', () => void appointmentAction(confirm, a, 'confirm'));
    actions.append(confirm);
  } else if (CODE_STATES.includes(a.state)) {
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
      say(appointmentsStatus, () => t(action === 'confirm' ? 'apptConfirmedMsg' : 'apptCancelledMsg'), 'ok');
    } catch (err) {
      if (err instanceof ApiFailure && err.status === 401) return renderSignIn(errText(err));
      say(appointmentsStatus, errText(err), 'error');
      await refreshAppointments();
    }
  });
  sections.appointments.querySelector<HTMLElement>(`li[data-code="${a.code}"] button`)?.focus();
}

function renderMessages(list: Delivery[]): void {
  sections.messages.hidden = list.length === 0;
  if (list.length === 0) return;
  const label = (tpl: string) => {
    const key = `tpl_${tpl}` as Key;
    return key in strings.en ? t(key) : tpl;
  };
  mount(
    sections.messages,
    h(
      'details',
      null,
      h('summary', { id: 'messages-h' }, T('messagesCount', { n: list.length })),
      h(
        'ul',
        { class: 'messages plain' },
        ...list.map((m) =>
          h(
            'li',
            null,
            h(
              'span',
              { class: 'meta' },
              live(() => `${formatDate(m.at.slice(0, 10), { short: true })} ${formatClock(new Date(m.at))}`),
            ),
            ' ',
            live(() => label(m.template)),
            h(
              'span',
              { class: 'meta' },
              ` · ${m.channel === 'sms' ? 'SMS' : m.channel === 'email' ? 'Email' : m.channel}`,
            ),
            m.state === 'failed' ? h('span', { class: 'badge badge-lost' }, T('msgFailed')) : null,
          ),
        ),
      ),
    ),
  );
}

// ---- start ----
liveTitle(() => t('title'));
setLang(lang(), { remember: false });
renderHeader();
renderHeaderActions();
void loadSignedIn();
