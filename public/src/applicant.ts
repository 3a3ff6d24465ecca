// Applicant page: sign in by one-time code, manage household persons, enter a draw, follow the result.
// Plain DOM and a tiny helper: this page is paid for by the megabyte on cheap phones. Each part is a
// module of public/src/applicant/; this one loads the signed-in page and puts the parts together.
import { refreshAppointments } from './applicant/appointments.ts';
import {
  entriesList,
  entriesStatus,
  entriesUpdated,
  refreshEntries,
  renderEntries,
} from './applicant/entries.ts';
import { refreshStanding, renderJoin } from './applicant/join.ts';
import { refreshMessages } from './applicant/messages.ts';
import { renderPersons } from './applicant/persons.ts';
import { startPolling } from './applicant/polling.ts';
import {
  codePow,
  type Entry,
  entryPow,
  errText,
  type Me,
  main,
  nav,
  type Office,
  sections,
  state,
  T,
  t,
} from './applicant/shared.ts';
import { renderHeader, renderHeaderActions, renderSignIn } from './applicant/sign-in.ts';
import { ApiFailure, api, setCsrf } from './lib/api.ts';
import { h, live, mount } from './lib/dom.ts';
import { busy } from './lib/form.ts';
import { hasChosenLang, lang, setLang } from './lib/i18n.ts';
import { liveTitle } from './lib/page.ts';

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
  startPolling(() => {
    void refreshEntries();
    void refreshAppointments();
  });
  void probeOptionalSections();
}

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

async function probeOptionalSections(): Promise<void> {
  await Promise.all([refreshAppointments(true), refreshMessages(true)]);
}

// ---- start ----
nav.renderSignIn = renderSignIn;
nav.loadSignedIn = loadSignedIn;
nav.refreshStanding = refreshStanding;
liveTitle(() => t('title'));
setLang(lang(), { remember: false });
renderHeader();
renderHeaderActions();
void loadSignedIn();
