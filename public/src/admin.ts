// Admin page: offices' draws (run, preview, public entropy, export, verify), per-day figures as charts,
// the versioned rules editor with inline validation and history, creating and editing offices, and abuse
// flags with block/unblock. Used in front of the press too, so the draw panel shows the commitment and
// revealed seed in full on the public verify page it links to. Each tab is a module of public/src/admin/;
// this one draws the chrome and the tab list and switches between them.
import { renderAccounts } from './admin/accounts.ts';
import { renderDays } from './admin/days.ts';
import { renderDraws } from './admin/draws.ts';
import { renderFlags } from './admin/flags.ts';
import { renderHistory } from './admin/history.ts';
import { renderMessages } from './admin/messages.ts';
import { renderOffices } from './admin/offices.ts';
import { renderRules } from './admin/rules.ts';
import {
  errText,
  fillOfficeSelect,
  loadOffices,
  NATIONAL_TABS,
  nav,
  office,
  officeSelect,
  officeSlot,
  panel,
  remember,
  state,
  T,
  TABS,
  t,
} from './admin/shared.ts';
import { renderStats, stopCharts } from './admin/stats.ts';
import { ApiFailure } from './lib/api.ts';
import { byId, h, live, liveAttr, mount } from './lib/dom.ts';
import { field } from './lib/form.ts';
import { lang, setLang } from './lib/i18n.ts';
import { langButton, liveTitle, renderTop, showWho } from './lib/page.ts';
import { currentStaff, type StaffUser, staffSignInForm, staffSignOut } from './lib/staff.ts';

const main = byId('main');
let top: ReturnType<typeof renderTop>;

// ---- chrome and sign-in ----
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
  renderChrome(null);
  staffSignInForm(
    main,
    t,
    () => t('signInTitle'),
    (user) => void showAdmin(user),
  );
}

async function showAdmin(user: StaffUser): Promise<void> {
  renderChrome(user);
  if (user.role !== 'admin') {
    mount(
      main,
      h(
        'section',
        { class: 'card' },
        h('p', null, T('notAdmin')),
        h('a', { href: '/officer' }, T('toCounter')),
      ),
    );
    return;
  }
  try {
    await loadOffices();
  } catch (err) {
    mount(main, h('p', { class: 'error', role: 'alert' }, live(errText(err))));
    return;
  }
  if (!office()) state.officeId = state.offices[0]?.id ?? '';
  // A fresh installation has no office yet: start where one is created.
  if (!state.offices.length) state.tab = 'offices';
  fillOfficeSelect();
  mount(officeSlot, field(() => t('office'), officeSelect).el);
  const tablist = h('div', { role: 'tablist', class: 'tabs', 'aria-label': 'FairSlot admin' });
  const tabButtons = TABS.map((name) => {
    const b = h(
      'button',
      { type: 'button', role: 'tab', id: `tab-${name}`, 'aria-controls': 'panel' },
      T(`tab_${name}`),
    );
    b.addEventListener('click', () => {
      state.tab = name;
      void showTab();
    });
    // Arrow keys move between tabs (the ARIA tabs pattern); Tab moves into the panel.
    b.addEventListener('keydown', (ev) => {
      const i = TABS.indexOf(name);
      const next =
        ev.key === 'ArrowRight'
          ? (i + 1) % TABS.length
          : ev.key === 'ArrowLeft'
            ? (i + TABS.length - 1) % TABS.length
            : -1;
      if (next < 0) return;
      ev.preventDefault();
      state.tab = TABS[next]!;
      void showTab();
      document.getElementById(`tab-${state.tab}`)?.focus();
    });
    return b;
  });
  tablist.append(...tabButtons);
  mount(
    main,
    h(
      'section',
      { class: 'card admin-head' },
      h('h1', { class: 'sr-only' }, T('heading')),
      officeSlot,
      tablist,
      otherPages(),
    ),
    panel,
  );
  await showTab();
}

/**
 * The admin capabilities that live on pages of their own: the job queues (bull-board, read-only), the
 * counter, the public verification page and the API reference.
 */
function otherPages(): HTMLElement {
  const link = (href: string, key: Parameters<typeof T>[0]) => h('a', { href, class: 'nav-link' }, T(key));
  return liveAttr(
    h(
      'nav',
      { class: 'admin-nav', id: 'admin-nav' },
      link('/admin/queues', 'nav_queues'),
      link('/officer', 'nav_counter'),
      link('/verify', 'nav_verify'),
      link('/api/docs', 'nav_api'),
    ),
    'aria-label',
    () => t('navLabel'),
  );
}

async function showTab(): Promise<void> {
  remember();
  for (const name of TABS) {
    const b = document.getElementById(`tab-${name}`);
    b?.setAttribute('aria-selected', String(name === state.tab));
    b?.setAttribute('tabindex', name === state.tab ? '0' : '-1');
  }
  panel.setAttribute('aria-labelledby', `tab-${state.tab}`);
  officeSlot.hidden = NATIONAL_TABS.includes(state.tab);
  stopCharts();
  mount(panel, h('p', { class: 'loading' }, T('loading')));
  try {
    if (state.tab === 'draws') await renderDraws();
    else if (state.tab === 'stats') await renderStats();
    else if (state.tab === 'offices') await renderOffices();
    else if (state.tab === 'days') await renderDays();
    else if (state.tab === 'rules') await renderRules();
    else if (state.tab === 'history') await renderHistory();
    else if (state.tab === 'accounts') await renderAccounts();
    else if (state.tab === 'messages') await renderMessages();
    else await renderFlags();
  } catch (err) {
    if (err instanceof ApiFailure && err.status === 401) return showSignIn();
    mount(panel, h('p', { class: 'error', role: 'alert' }, live(errText(err))));
  }
}

// ---- start ----
async function start(): Promise<void> {
  liveTitle(() => t('title'));
  setLang(lang(), { remember: false });
  top = renderTop(t, () => t('heading'), { href: '/verify', text: () => t('footerVerify') });
  renderChrome(null);
  const user = await currentStaff().catch(() => null);
  if (user) await showAdmin(user);
  else showSignIn();
}

nav.showTab = showTab;
nav.showSignIn = showSignIn;
void start();
