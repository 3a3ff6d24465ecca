// Admin page: offices' draws (run, preview, public entropy, export, verify), per-day figures as charts,
// the versioned rules editor with inline validation and history, creating and editing offices, and abuse
// flags with block/unblock. Used in front of the press too, so the
// draw panel shows the commitment and revealed seed in full on the public verify page it links to.
import type { Rules } from '../../src/domain/rules.ts';
import { ApiFailure, api, type FieldError } from './lib/api.ts';
import { barChart } from './lib/chart.ts';
import { byId, h, live, liveAttr, mount } from './lib/dom.ts';
import { busy, type Control, type Field, field, say, showFieldErrors, statusLine } from './lib/form.ts';
import { formatDate, formatInstant, shortOfficeName, zoneLabel } from './lib/format.ts';
import { formatNumber, lang, locale, onLangChange, setLang, translator, type Vars } from './lib/i18n.ts';
import { errorText, langButton, liveTitle, renderTop, showWho } from './lib/page.ts';
import { currentStaff, type StaffUser, staffSignInForm, staffSignOut } from './lib/staff.ts';
import { type Key, strings } from './strings/admin.ts';

const t = translator(strings);
const T = (key: Key, vars?: Vars) => live(() => t(key, vars));
const errText = (err: unknown) =>
  errorText<Key>(err, t, {
    stale_version: 'err_stale_version',
    no_draw: 'err_no_draw',
    not_drawn: 'err_not_drawn',
    draw_not_open: 'err_draw_not_open',
  });

// ---- API shapes ----
interface RulesChange {
  path: string;
  from: unknown;
  to: unknown;
}
interface RulesVersion {
  version: number;
  rules: Rules;
  createdAt: string;
  createdBy: string;
  note: string;
  changes: RulesChange[];
}
interface AdminOffice {
  id: string;
  name: string;
  address: string;
  tz: string;
  rules: RulesVersion | null;
}
interface NextDraw {
  drawDate: string;
  targetDate: string;
  closesAt: string;
  zoneLabel: string;
}
interface DrawRow {
  drawDate: string;
  targetDate: string;
  status: 'open' | 'closed' | 'drawn';
  commitment: string;
  seed: string | null;
  publicEntropy: string | null;
  entryCount: number;
  winners: number | null;
  waitlisted: number | null;
}
interface Flag {
  id: string;
  at: string;
  accountId: string | null;
  reason: string;
  evidence: Record<string, string | number>;
}

// The shape the stats endpoint returns; a type-only import, erased from the bundle.
type DayStats = import('../../src/services/office-stats.ts').DayStats;

const TABS = ['draws', 'stats', 'rules', 'history', 'offices', 'flags'] as const;
type Tab = (typeof TABS)[number];

const params = new URLSearchParams(location.search);
const main = byId('main');
let top: ReturnType<typeof renderTop>;
let offices: AdminOffice[] = [];
let officeId = params.get('office') ?? '';
let tab: Tab = TABS.includes(params.get('tab') as Tab) ? (params.get('tab') as Tab) : 'draws';
const panel = h('div', { role: 'tabpanel', tabindex: '0', id: 'panel', class: 'card' });
const officeSlot = h('div');
const officeSelect = h('select', { name: 'office', id: 'office' });
officeSelect.addEventListener('change', () => {
  officeId = officeSelect.value;
  void showTab();
});

const office = () => offices.find((o) => o.id === officeId);

function remember(): void {
  const q = new URLSearchParams({ office: officeId, tab });
  history.replaceState(null, '', `/admin?${q}`);
}

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
  if (!office()) officeId = offices[0]?.id ?? '';
  // A fresh installation has no office yet: start where one is created.
  if (!offices.length) tab = 'offices';
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
      tab = name;
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
      tab = TABS[next]!;
      void showTab();
      document.getElementById(`tab-${tab}`)?.focus();
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
    ),
    panel,
  );
  await showTab();
}

async function loadOffices(): Promise<void> {
  offices = (await api<{ offices: AdminOffice[] }>('GET', '/api/admin/offices')).offices;
}

function fillOfficeSelect(): void {
  mount(
    officeSelect,
    ...offices.map((o) => h('option', { value: o.id, selected: o.id === officeId }, shortOfficeName(o.name))),
  );
  officeSelect.value = officeId;
  officeSelect.disabled = offices.length === 0;
}

/** What an office tab shows while there is no office at all. */
const noOffice = () => mount(panel, h('p', { class: 'hint' }, T('noOffices')));

async function showTab(): Promise<void> {
  remember();
  for (const name of TABS) {
    const b = document.getElementById(`tab-${name}`);
    b?.setAttribute('aria-selected', String(name === tab));
    b?.setAttribute('tabindex', name === tab ? '0' : '-1');
  }
  panel.setAttribute('aria-labelledby', `tab-${tab}`);
  officeSlot.hidden = tab === 'flags';
  redrawCharts = null;
  mount(panel, h('p', { class: 'loading' }, T('loading')));
  try {
    if (tab === 'draws') await renderDraws();
    else if (tab === 'stats') await renderStats();
    else if (tab === 'offices') await renderOffices();
    else if (tab === 'rules') await renderRules();
    else if (tab === 'history') await renderHistory();
    else await renderFlags();
  } catch (err) {
    if (err instanceof ApiFailure && err.status === 401) return showSignIn();
    mount(panel, h('p', { class: 'error', role: 'alert' }, live(errText(err))));
  }
}

// ---- draws ----
const short = (hash: string | null) => (hash ? `${hash.slice(0, 12)}…` : '');

/** On a phone the rows become stacked cards, each cell labelled by its column (see .stack in app.css). */
function table(head: (Key | string)[], rows: Node[][], numeric: number[] = []): HTMLElement {
  const label = (i: number) => {
    const k = head[i] ?? '';
    return k in strings.en ? t(k as Key) : k;
  };
  return h(
    'div',
    { class: 'table-wrap stack' },
    h(
      'table',
      null,
      h(
        'thead',
        null,
        h(
          'tr',
          null,
          ...head.map((k, i) =>
            h(
              'th',
              { scope: 'col', class: numeric.includes(i) ? 'num' : null },
              k in strings.en ? T(k as Key) : k,
            ),
          ),
        ),
      ),
      h(
        'tbody',
        null,
        ...rows.map((cells) =>
          h(
            'tr',
            null,
            ...cells.map((c, i) =>
              liveAttr(h('td', { class: numeric.includes(i) ? 'num' : null }, c), 'data-label', () =>
                label(i),
              ),
            ),
          ),
        ),
      ),
    ),
  );
}

/** "Run now" answered 202 while a big draw goes on in the worker. */
interface RunningDraw {
  status: 'running';
  drawDate: string;
  jobId: string;
}

const DRAW_POLL_MS = 2_000;
const DRAW_POLL_LIMIT_MS = 10 * 60_000;

/**
 * A draw this page started and the server is still drawing (run now answered 202). Kept outside the panel
 * so the running state survives a look at another tab or office and a language switch.
 */
let drawing: { officeId: string; drawDate: string; startedAt: number } | null = null;

/** Whether the draws panel of this office is what the admin is looking at. */
const onDrawsOf = (id: string) => tab === 'draws' && officeId === id && panel.isConnected;

/** Failures worth asking again about in two seconds rather than giving up on a running draw. */
const transient = (err: unknown) =>
  err instanceof ApiFailure && (err.status === 0 || err.status === 429 || err.status >= 500);

/** The draw once its state is drawn, or null if that takes longer than the page is willing to wait. */
async function drawnLater(officeId: string, drawDate: string): Promise<DrawRow | null> {
  const until = Date.now() + DRAW_POLL_LIMIT_MS;
  while (Date.now() < until) {
    await new Promise((r) => setTimeout(r, DRAW_POLL_MS));
    try {
      const { draws } = await api<{ draws: DrawRow[] }>(
        'GET',
        `/api/admin/draws/${encodeURIComponent(officeId)}`,
      );
      const d = draws.find((x) => x.drawDate === drawDate);
      if (d?.status === 'drawn') return d;
    } catch (err) {
      // A dropped connection or a busy server while the draw runs on: try again at the next tick.
      if (!transient(err)) throw err;
    }
  }
  return null;
}

/**
 * A status line saying a draw is under way: spinner, "Drawing…" and the seconds so far (ticking, but not
 * read out) on a line short enough for a phone, then optionally what is going on and what to expect.
 * Replaced by the next say() on the same line, which also stops the clock.
 */
function sayDrawing(
  el: HTMLElement,
  startedAt: number,
  more?: { text: () => string; hint: () => string },
): void {
  say(el, () => t('running'), 'info');
  // A live text node: a language switch rewrites it at once, the timer every second.
  const elapsed = () => t('wi_elapsed', { s: formatNumber(Math.floor((Date.now() - startedAt) / 1000)) });
  const clock = live(elapsed);
  const seconds = h('span', { class: 'elapsed', 'aria-hidden': 'true' }, clock);
  const timer = setInterval(() => {
    if (!clock.isConnected) return clearInterval(timer);
    clock.data = elapsed();
  }, 1000);
  mount(
    el,
    h(
      'span',
      { class: 'whatif-busy' },
      h('span', { class: 'spinner', 'aria-hidden': 'true' }),
      h('span', null, T('running')),
      seconds,
    ),
    more ? [h('span', null, live(more.text)), h('br'), h('span', { class: 'hint' }, live(more.hint))] : null,
  );
}

async function renderDraws(): Promise<void> {
  const o = office();
  if (!o) return noOffice();
  const data = await api<{ next: NextDraw | null; draws: DrawRow[] }>(
    'GET',
    `/api/admin/draws/${encodeURIComponent(o.id)}`,
  );
  const status = statusLine();
  status.hidden = true;
  const previewBox = h('div', { id: 'preview' });
  const controls = h('div', { class: 'toolbar', id: 'draw-controls' });
  const next = data.next;
  // While a draw of this office runs on, the buttons wait: "Run now" would name the next day's draw.
  const running = drawing?.officeId === o.id ? drawing : null;

  const showControls = (hold = running !== null) => {
    const run = h(
      'button',
      { type: 'button', class: 'primary', id: 'run-now', disabled: !next || hold },
      T('runNow'),
    );
    const preview = h(
      'button',
      { type: 'button', class: 'secondary', id: 'preview-btn', disabled: !next || hold },
      T('preview'),
    );
    run.addEventListener('click', () => confirmRun());
    preview.addEventListener('click', () =>
      busy(preview, async () => {
        say(status, null);
        try {
          const p = await api<{
            entries: number;
            winners: number;
            perSession: Record<string, number>;
            sample: { rank: number; ticket: string; sessionId: string | null }[];
          }>('POST', `/api/admin/draws/${encodeURIComponent(o.id)}/preview`, {});
          mount(
            previewBox,
            h(
              'div',
              { class: 'notice info' },
              h(
                'p',
                null,
                T('previewText', { entries: formatNumber(p.entries), winners: formatNumber(p.winners) }),
              ),
              h(
                'p',
                null,
                T('previewPerSession'),
                ': ',
                Object.entries(p.perSession)
                  .map(([s, n]) => `${s} ${formatNumber(n)}`)
                  .join(' · '),
              ),
              p.sample.length
                ? table(
                    ['col_rank', 'col_ticket', 'col_session'],
                    p.sample.map((r) => [
                      document.createTextNode(String(r.rank)),
                      h('span', { class: 'mono' }, r.ticket),
                      r.sessionId ? document.createTextNode(r.sessionId) : T('waitlist'),
                    ]),
                    [0],
                  )
                : null,
            ),
          );
        } catch (err) {
          say(status, errText(err), 'error');
        }
      }),
    );
    mount(controls, run, preview);
  };

  // Two steps instead of window.confirm: it cannot be styled, translated or read well by screen readers.
  const confirmRun = () => {
    if (!next) return;
    const yes = h('button', { type: 'button', class: 'danger', id: 'run-confirm' }, T('runYes'));
    const no = h('button', { type: 'button', class: 'secondary' }, T('cancel'));
    mount(
      controls,
      h(
        'p',
        { class: 'confirm', role: 'alert' },
        live(() => t('runConfirm', { date: formatDate(next.drawDate) })),
      ),
      yes,
      no,
    );
    no.focus();
    no.addEventListener('click', () => {
      showControls();
      document.getElementById('run-now')?.focus();
    });
    yes.addEventListener('click', () => {
      const date = next.drawDate;
      const startedAt = Date.now();
      // The question is answered: the buttons wait (disabled) and the status line says what goes on.
      drawing = { officeId: o.id, drawDate: date, startedAt };
      showControls(true);
      sayDrawing(status, startedAt);
      void runDraw(date);
    });
  };

  /** Run now: 200 with the draw, or 202 while a big one runs on, followed here until it is drawn. */
  const runDraw = async (date: string) => {
    const statusNow = () => (onDrawsOf(o.id) ? byId('draw-status') : null);
    try {
      // The date the admin confirmed, not whichever draw happens to be open when the request lands.
      const started = await api<DrawRow | RunningDraw>(
        'POST',
        `/api/admin/draws/${encodeURIComponent(o.id)}/run`,
        { drawDate: date },
      );
      let d: DrawRow | null;
      if ('jobId' in started) {
        // Redrawn: the draw's row (closed now) and the long-running notice replace the question.
        if (onDrawsOf(o.id)) await renderDraws();
        d = await drawnLater(o.id, started.drawDate);
      } else d = started;
      drawing = null;
      // The admin may have gone to another tab or office meanwhile: then the table tells it next time.
      if (!onDrawsOf(o.id)) return;
      await renderDraws();
      const done = statusNow();
      if (!done) return;
      if (!d) return say(done, () => t('runInBackground'), 'info');
      say(
        done,
        () =>
          t('ranDone', {
            date: formatDate(d.drawDate),
            winners: formatNumber(d.winners ?? 0),
            waitlisted: formatNumber(d.waitlisted ?? 0),
          }),
        'ok',
      );
    } catch (err) {
      drawing = null;
      if (err instanceof ApiFailure && err.status === 401) return showSignIn();
      if (!onDrawsOf(o.id)) return;
      // Redrawn first, so the table shows whether the draw was closed before the failure.
      await renderDraws().catch(() => {});
      const where = statusNow();
      if (where) say(where, errText(err), 'error');
    }
  };
  showControls();
  status.id = 'draw-status';
  if (running) {
    sayDrawing(status, running.startedAt, {
      text: () => t('runningLong', { date: formatDate(running.drawDate) }),
      hint: () => t('runningLongHint'),
    });
  }

  const rows = data.draws.map((d) => {
    const base = `/api/admin/draws/${encodeURIComponent(o.id)}/dates/${d.drawDate}`;
    const q = new URLSearchParams({ office: o.id, date: d.drawDate });
    const links = h(
      'span',
      { class: 'row-links' },
      d.status === 'drawn'
        ? liveAttr(h('a', { href: `${base}/export.csv`, download: '' }, T('csv')), 'aria-label', () =>
            t('csvLabel', { date: d.drawDate }),
          )
        : null,
      liveAttr(h('a', { href: `/verify?${q}` }, T('verifyLink')), 'aria-label', () =>
        t('verifyLabel', { date: d.drawDate }),
      ),
    );
    return [
      h('span', { class: 'nowrap' }, d.drawDate),
      h('span', { class: 'nowrap' }, d.targetDate),
      running?.drawDate === d.drawDate && d.status !== 'drawn'
        ? h('span', { class: 'badge badge-closed' }, T('state_running'))
        : h('span', { class: `badge badge-${d.status}` }, T(`state_${d.status}`)),
      document.createTextNode(formatNumber(d.entryCount)),
      document.createTextNode(d.winners === null ? '–' : formatNumber(d.winners)),
      document.createTextNode(d.waitlisted === null ? '–' : formatNumber(d.waitlisted)),
      h('code', { class: 'hash', title: d.commitment }, short(d.commitment)),
      d.seed
        ? h('code', { class: 'hash', title: d.seed }, short(d.seed))
        : h('span', { class: 'meta' }, T('notRevealed')),
      links,
    ];
  });

  mount(
    panel,
    h('h2', null, o.name),
    h('p', { class: 'meta' }, o.address),
    next
      ? h(
          'p',
          null,
          live(() =>
            t('nextDraw', {
              when: formatInstant(next.closesAt, o.tz, next.zoneLabel),
              date: formatDate(next.targetDate),
            }),
          ),
        )
      : h('p', { class: 'warn' }, T('noNextDraw')),
    controls,
    status,
    previewBox,
    entropySection(o, data.draws),
    h('h3', null, T('drawsTitle')),
    data.draws.length
      ? table(
          [
            'col_drawDate',
            'col_target',
            'col_status',
            'col_entries',
            'col_winners',
            'col_waitlisted',
            'col_commitment',
            'col_seed',
            'col_links',
          ],
          rows,
          [3, 4, 5],
        )
      : h('p', { class: 'hint' }, T('noDraws')),
  );
}

// ---- public entropy ----
/**
 * A value nobody can know in advance (announced beforehand by its source: "the IDX close on the draw day"),
 * mixed into the secret seed before the draw closes, so even the office cannot steer the result.
 */
function entropySection(o: AdminOffice, draws: DrawRow[]): HTMLElement {
  const open = draws.find((d) => d.status === 'open');
  const box = h(
    'section',
    { id: 'entropy', 'aria-labelledby': 'entropy-h', class: 'subsection' },
    h('h3', { id: 'entropy-h' }, T('entropyTitle')),
    h('p', { class: 'hint' }, T('entropyIntro')),
  );
  if (!open) {
    box.append(h('p', { class: 'meta' }, T('entropyNoOpen')));
    return box;
  }
  const value = field(
    () => t('entropyLabel'),
    h('input', { type: 'text', name: 'entropy', maxlength: 512, autocomplete: 'off', spellcheck: 'false' }),
    { hint: () => t('entropyHint') },
  );
  const status = statusLine();
  status.hidden = true;
  status.id = 'entropy-status';
  const save = h('button', { type: 'submit', class: 'primary', id: 'entropy-save' }, T('entropySave'));
  const form = h('form', { novalidate: true, id: 'entropy-form' }, value.el, status, save);
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    value.setError(null);
    say(status, null);
    void busy(save, async () => {
      try {
        await api(
          'POST',
          `/api/admin/draws/${encodeURIComponent(o.id)}/dates/${encodeURIComponent(open.drawDate)}/entropy`,
          { value: value.control.value.trim() },
        );
        await renderDraws();
        say(byId('entropy-status'), () => t('entropySaved', { date: formatDate(open.drawDate) }), 'ok');
      } catch (err) {
        if (err instanceof ApiFailure && err.status === 401) return showSignIn();
        if (err instanceof ApiFailure && (err.fields.length || err.code === 'draw_not_open')) {
          value.setError(() => t(err.code === 'draw_not_open' ? 'err_draw_not_open' : 'err_entropyRule'));
          value.control.focus();
          return;
        }
        say(status, errText(err), 'error');
      }
    });
  });
  box.append(
    h(
      'dl',
      { class: 'kv' },
      h('dt', null, T('entropyDraw')),
      h(
        'dd',
        null,
        live(() => formatDate(open.drawDate)),
      ),
      h('dt', null, T('entropyCurrent')),
      h(
        'dd',
        { id: 'entropy-current' },
        open.publicEntropy
          ? h('code', { class: 'hash' }, open.publicEntropy)
          : h('span', { class: 'meta' }, T('entropyNone')),
      ),
    ),
    form,
  );
  return box;
}

// ---- rules editor ----
/** A control in a table cell: no visible label (the column header is one), but an accessible name. */
function cellField(control: Control, name: () => string): Field {
  const err = h('p', { class: 'field-error', hidden: true });
  liveAttr(control, 'aria-label', name);
  const el = h('div', { class: 'cell' }, control, err);
  let errId = '';
  return {
    el,
    control,
    setError(message) {
      if (message === null) {
        err.hidden = true;
        err.replaceChildren();
        control.removeAttribute('aria-invalid');
        control.removeAttribute('aria-describedby');
        return;
      }
      errId ||= `e${Math.random().toString(36).slice(2, 9)}`;
      err.id = errId;
      err.hidden = false;
      err.replaceChildren(live(message));
      control.setAttribute('aria-invalid', 'true');
      control.setAttribute('aria-describedby', errId);
    },
  };
}

const input = (type: string, value: string | number, extra: Record<string, string | number> = {}) =>
  h('input', { type, value: String(value), ...extra });
const num = (s: string) => (s.trim() === '' ? Number.NaN : Number(s));

function weekdayName(isoDay: number): string {
  // 2024-01-01 was a Monday (ISO weekday 1).
  return new Intl.DateTimeFormat(locale(), { weekday: 'long', timeZone: 'UTC' }).format(
    new Date(Date.UTC(2024, 0, isoDay)),
  );
}

async function renderRules(): Promise<void> {
  const o = office();
  if (!o) return noOffice();
  const current = await api<RulesVersion>('GET', `/api/admin/offices/${encodeURIComponent(o.id)}/rules`);
  const r = current.rules;
  const fields: Record<string, Field> = {};
  const scalar = (path: string, label: Key, control: Control, hint?: Key) => {
    const f = field(() => t(label), control, hint ? { hint: () => t(hint) } : {});
    fields[path] = f;
    return f.el;
  };

  // Sessions and categories are rows that can be added and removed; they are re-rendered from a model
  // that is read back from the inputs first, so nothing typed is lost.
  let sessions = r.sessions.map((s) => ({ ...s }));
  let categories = r.priorityCategories.map((c) => ({ ...c }));
  const sessionsBox = h('div', { id: 'sessions-editor' });
  const categoriesBox = h('div', { id: 'categories-editor' });
  const quota = h('p', { class: 'hint' });
  let sessionInputs: { id: Control; start: Control; end: Control; capacity: Control }[] = [];
  let categoryInputs: { id: Control; label: Control; weight: Control }[] = [];

  const readSessions = () =>
    sessionInputs.map((x) => ({
      id: x.id.value.trim(),
      start: x.start.value,
      end: x.end.value,
      capacity: num(x.capacity.value),
    }));
  const readCategories = () =>
    categoryInputs.map((x) => ({
      id: x.id.value.trim(),
      label: x.label.value.trim(),
      weight: num(x.weight.value),
    }));
  const updateQuota = () => {
    const total = readSessions().reduce((s, x) => s + (Number.isFinite(x.capacity) ? x.capacity : 0), 0);
    mount(quota, T('quota', { n: formatNumber(total) }));
  };

  const drawSessions = () => {
    for (const k of Object.keys(fields)) if (k.startsWith('sessions.')) delete fields[k];
    sessionInputs = [];
    const rows = sessions.map((s, i) => {
      const n = i + 1;
      const cells = {
        id: cellField(input('text', s.id, { maxlength: 40 }), () => `${t('col_id')} ${n}`),
        start: cellField(input('time', s.start), () => `${t('col_start')} ${n}`),
        end: cellField(input('time', s.end), () => `${t('col_end')} ${n}`),
        capacity: cellField(
          input('number', s.capacity, { min: 0, max: 10000, step: 1 }),
          () => `${t('col_capacity')} ${n}`,
        ),
      };
      cells.capacity.control.addEventListener('input', updateQuota);
      for (const [k, f] of Object.entries(cells)) fields[`sessions.${i}.${k}`] = f;
      sessionInputs.push({
        id: cells.id.control,
        start: cells.start.control,
        end: cells.end.control,
        capacity: cells.capacity.control,
      });
      const remove = liveAttr(
        h('button', { type: 'button', class: 'secondary small' }, T('remove')),
        'aria-label',
        () => t('removeRow', { n }),
      );
      remove.addEventListener('click', () => {
        sessions = readSessions();
        sessions.splice(i, 1);
        drawSessions();
      });
      return [cells.id.el, cells.start.el, cells.end.el, cells.capacity.el, remove];
    });
    const add = h('button', { type: 'button', class: 'secondary small' }, T('addSession'));
    add.addEventListener('click', () => {
      sessions = readSessions();
      const last = sessions.at(-1);
      sessions.push({ id: `sesi-${sessions.length + 1}`, start: last?.end ?? '08:00', end: '', capacity: 0 });
      drawSessions();
      sessionInputs.at(-1)?.id.focus();
    });
    const wrap = h(
      'div',
      { class: 'rows-table' },
      table(['col_id', 'col_start', 'col_end', 'col_capacity', ''], rows),
    );
    const arrayErr = cellField(h('input', { type: 'hidden' }), () => '');
    fields.sessions = { ...arrayErr, focusTarget: add };
    mount(sessionsBox, wrap, arrayErr.el, add, quota);
    updateQuota();
  };

  const drawCategories = () => {
    for (const k of Object.keys(fields)) if (k.startsWith('priorityCategories.')) delete fields[k];
    categoryInputs = [];
    const rows = categories.map((c, i) => {
      const n = i + 1;
      const cells = {
        id: cellField(input('text', c.id, { maxlength: 40 }), () => `${t('col_id')} ${n}`),
        label: cellField(input('text', c.label, { maxlength: 80 }), () => `${t('col_label')} ${n}`),
        weight: cellField(
          input('number', c.weight, { min: 1, max: 10, step: 0.1 }),
          () => `${t('col_weight')} ${n}`,
        ),
      };
      for (const [k, f] of Object.entries(cells)) fields[`priorityCategories.${i}.${k}`] = f;
      categoryInputs.push({ id: cells.id.control, label: cells.label.control, weight: cells.weight.control });
      const remove = liveAttr(
        h('button', { type: 'button', class: 'secondary small' }, T('remove')),
        'aria-label',
        () => t('removeRow', { n }),
      );
      remove.addEventListener('click', () => {
        categories = readCategories();
        categories.splice(i, 1);
        drawCategories();
      });
      return [cells.id.el, cells.label.el, cells.weight.el, remove];
    });
    const add = h('button', { type: 'button', class: 'secondary small' }, T('addCategory'));
    add.addEventListener('click', () => {
      categories = readCategories();
      categories.push({ id: '', label: '', weight: 1.5 });
      drawCategories();
      categoryInputs.at(-1)?.id.focus();
    });
    mount(
      categoriesBox,
      h('div', { class: 'rows-table' }, table(['col_id', 'col_label', 'col_weight', ''], rows)),
      add,
    );
  };

  const days = [1, 2, 3, 4, 5, 6, 7].map((d) => {
    const box = h('input', { type: 'checkbox', value: String(d), checked: r.serviceDays.includes(d) });
    return {
      d,
      box,
      el: h(
        'label',
        null,
        box,
        live(() => weekdayName(d)),
      ),
    };
  });
  const daysErr = cellField(h('input', { type: 'hidden' }), () => '');
  const daysSet = h(
    'fieldset',
    { class: 'days-set' },
    h('legend', null, T('f_serviceDays')),
    h('div', { class: 'days' }, ...days.map((x) => x.el)),
    daysErr.el,
  );
  fields.serviceDays = { ...daysErr, el: daysSet, focusTarget: days[0]!.box };

  const holidays = h('textarea', { rows: 4, class: 'mono' });
  holidays.value = r.holidays.join('\n');
  const carry = h('input', { type: 'checkbox', checked: r.carryOverLosers, id: 'carry' });
  const carryErr = cellField(h('input', { type: 'hidden' }), () => '');
  fields.carryOverLosers = { ...carryErr, focusTarget: carry };
  const note = h('input', { type: 'text', maxlength: 500 });
  const status = statusLine();
  status.hidden = true;
  const summary = h('div', { id: 'rules-summary' });
  const save = h('button', { type: 'submit', class: 'primary', id: 'save-rules' }, T('saveRules'));

  const numInput = (v: number, attrs: Record<string, string | number> = {}) => input('number', v, attrs);
  // `read` is defined below; it is only called when the admin presses the button.
  const tryIt = whatIfSection(o, () => read(), fields, summary);
  const form = h(
    'form',
    { novalidate: true, id: 'rules-form' },
    summary,
    h(
      'fieldset',
      null,
      h('legend', null, T('g_schedule')),
      h(
        'div',
        { class: 'grid' },
        scalar('drawTime', 'f_drawTime', input('time', r.drawTime)),
        scalar('daysAhead', 'f_daysAhead', numInput(r.daysAhead, { min: 1, max: 30, step: 1 })),
      ),
      daysSet,
      scalar('holidays', 'f_holidays', holidays),
    ),
    h('fieldset', null, h('legend', null, T('g_sessions')), sessionsBox),
    h(
      'fieldset',
      null,
      h('legend', null, T('g_windows')),
      h(
        'div',
        { class: 'grid' },
        scalar(
          'confirmationWindowHours',
          'f_confirmationWindowHours',
          numInput(r.confirmationWindowHours, { step: 'any' }),
        ),
        scalar(
          'waitlistOfferWindowHours',
          'f_waitlistOfferWindowHours',
          numInput(r.waitlistOfferWindowHours, { step: 'any' }),
        ),
        scalar('cutoffTimeDayBefore', 'f_cutoffTimeDayBefore', input('time', r.cutoffTimeDayBefore)),
        scalar('checkInGraceMinutes', 'f_checkInGraceMinutes', numInput(r.checkInGraceMinutes, { step: 1 })),
      ),
    ),
    h(
      'fieldset',
      null,
      h('legend', null, T('g_weights')),
      h('h3', null, T('categories')),
      categoriesBox,
      h(
        'div',
        { class: 'grid' },
        scalar('loserBonus.perLoss', 'f_perLoss', numInput(r.loserBonus.perLoss, { step: 'any' })),
        scalar('loserBonus.cap', 'f_cap', numInput(r.loserBonus.cap, { step: 'any' })),
        scalar('noShow.penaltyFactor', 'f_penaltyFactor', numInput(r.noShow.penaltyFactor, { step: 'any' })),
        scalar('noShow.strikeDays', 'f_strikeDays', numInput(r.noShow.strikeDays, { step: 1 })),
        scalar('noShow.strikesForBan', 'f_strikesForBan', numInput(r.noShow.strikesForBan, { step: 1 })),
        scalar('noShow.banDays', 'f_banDays', numInput(r.noShow.banDays, { step: 1 })),
      ),
    ),
    h(
      'fieldset',
      null,
      h('legend', null, T('g_accounts')),
      h(
        'div',
        { class: 'grid' },
        scalar('householdLimit', 'f_householdLimit', numInput(r.householdLimit, { step: 1 })),
        scalar('maxCarryOvers', 'f_maxCarryOvers', numInput(r.maxCarryOvers, { step: 1 })),
      ),
      h('label', { class: 'choice', for: 'carry' }, carry, T('f_carryOverLosers')),
      carryErr.el,
    ),
    tryIt.el,
    scalar('note', 'f_note', note),
    status,
    save,
  );
  drawSessions();
  drawCategories();

  const value = (path: string) => fields[path]!.control.value;
  const read = (): Rules => ({
    drawTime: value('drawTime'),
    daysAhead: num(value('daysAhead')),
    serviceDays: days.filter((x) => x.box.checked).map((x) => x.d),
    holidays: holidays.value
      .split(/[\s,]+/)
      .map((s) => s.trim())
      .filter(Boolean),
    sessions: readSessions(),
    confirmationWindowHours: num(value('confirmationWindowHours')),
    waitlistOfferWindowHours: num(value('waitlistOfferWindowHours')),
    cutoffTimeDayBefore: value('cutoffTimeDayBefore'),
    checkInGraceMinutes: num(value('checkInGraceMinutes')),
    priorityCategories: readCategories(),
    loserBonus: { perLoss: num(value('loserBonus.perLoss')), cap: num(value('loserBonus.cap')) },
    noShow: {
      penaltyFactor: num(value('noShow.penaltyFactor')),
      strikeDays: num(value('noShow.strikeDays')),
      strikesForBan: num(value('noShow.strikesForBan')),
      banDays: num(value('noShow.banDays')),
    },
    householdLimit: num(value('householdLimit')),
    carryOverLosers: carry.checked,
    maxCarryOvers: num(value('maxCarryOvers')),
  });

  form.addEventListener('input', tryIt.formChanged);
  form.addEventListener('change', tryIt.formChanged);
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    for (const f of Object.values(fields)) f.setError(null);
    say(status, null);
    mount(summary);
    void busy(save, async () => {
      try {
        const saved = await api<RulesVersion>('PUT', `/api/admin/offices/${encodeURIComponent(o.id)}/rules`, {
          expectedVersion: current.version,
          rules: read(),
          note: note.value.trim(),
        });
        await loadOffices();
        await renderRules();
        say(byId('rules-status'), () => t('saved', { v: saved.version }), 'ok');
      } catch (err) {
        if (err instanceof ApiFailure && err.code === 'stale_version') {
          const reload = h('button', { type: 'button', class: 'secondary small' }, T('reload'));
          reload.addEventListener('click', () => void renderRules());
          mount(
            summary,
            h('div', { class: 'notice error', role: 'alert' }, h('p', null, T('stale')), reload),
          );
          reload.focus();
          return;
        }
        if (err instanceof ApiFailure && err.fields.length) {
          showRuleErrors(err.fields, fields, summary);
          return;
        }
        say(status, errText(err), 'error');
      }
    });
  });
  status.id = 'rules-status';

  mount(
    panel,
    h('h2', null, o.name),
    h(
      'p',
      { class: 'meta' },
      live(() =>
        t('rulesVersion', {
          v: current.version,
          by: current.createdBy,
          at: formatInstant(current.createdAt, o.tz),
        }),
      ),
    ),
    form,
  );
}

// ---- what-if: the form's rules next to the current ones, simulated on the office's recent demand ----
type PolicyOutcome = import('../../src/sim/outcome.ts').PolicyOutcome;
type WhatIfResult = import('../../src/sim/what-if.ts').WhatIfResult & {
  currentRulesVersion: number;
  changes: RulesChange[];
};

const WHAT_IF_DAYS = [7, 14, 30];

/** "+3 pp", "−1": a change next to the proposed figure. */
function delta(d: number, f: (abs: number) => string): string {
  return `${d > 0 ? '+' : '−'}${f(Math.abs(d))}`;
}

function whatIfTable(r: WhatIfResult): HTMLElement {
  const pp = (x: number) => t('wi_points', { d: formatNumber(Math.round(x * 1000) / 10) });
  const plain = (x: number) => formatNumber(x);
  type Measure = {
    key: Key;
    get: (p: PolicyOutcome) => number;
    format: (v: number) => string;
    unit: (d: number) => string;
  };
  const share = (key: Key, get: Measure['get']): Measure => ({ key, get, format: percent, unit: pp });
  const days = (key: Key, get: Measure['get']): Measure => ({
    key,
    get,
    format: (v) => t('wi_daysValue', { n: formatNumber(v) }),
    unit: plain,
  });
  const count = (key: Key, get: Measure['get']): Measure => ({ key, get, format: plain, unit: plain });
  const counter = (name: string) => (p: PolicyOutcome) => p.counters[name] ?? 0;
  const has = (name: string) => name in r.current.counters || name in r.proposed.counters;
  const rows = [
    count('wi_capacity', (p) => p.capacity),
    share('wi_used', (p) => p.slotsUsedShare),
    share('wi_held', (p) => p.slotsHeldShare),
    share('wi_broker', (p) => p.brokerSlotShare),
    share('wi_served', (p) => p.servedShare),
    days('wi_waitMedian', (p) => p.waitMedianDays),
    days('wi_waitP95', (p) => p.waitP95Days),
    has('forfeits') ? count('wi_forfeits', counter('forfeits')) : null,
    has('waitlistOffers') ? count('wi_waitlistOffers', counter('waitlistOffers')) : null,
    has('noShows') ? count('wi_noShows', counter('noShows')) : null,
  ].filter((x): x is Measure => x !== null);
  return h(
    'div',
    { class: 'table-wrap whatif-table' },
    h(
      'table',
      null,
      h('caption', { class: 'sr-only' }, T('wi_resultTitle')),
      h(
        'thead',
        null,
        h(
          'tr',
          null,
          h('th', { scope: 'col' }, T('wi_measure')),
          h('th', { scope: 'col', class: 'num' }, T('wi_current')),
          h('th', { scope: 'col', class: 'num' }, T('wi_proposed')),
        ),
      ),
      h(
        'tbody',
        null,
        ...rows.map((m) => {
          const a = m.get(r.current);
          const b = m.get(r.proposed);
          return h(
            'tr',
            { 'data-measure': m.key.slice(3) },
            h('th', { scope: 'row' }, T(m.key)),
            h(
              'td',
              { class: 'num' },
              live(() => m.format(a)),
            ),
            h(
              'td',
              { class: 'num' },
              live(() => m.format(b)),
              Math.abs(b - a) < 1e-9
                ? null
                : h(
                    'span',
                    { class: 'delta' },
                    live(() => delta(b - a, m.unit)),
                  ),
            ),
          );
        }),
      ),
    ),
  );
}

/** "Try it first": sends the form's rules, unsaved, to the what-if endpoint and shows both outcomes. */
function whatIfSection(
  o: AdminOffice,
  read: () => Rules,
  fields: Record<string, Field>,
  summary: HTMLElement,
): { el: HTMLElement; formChanged: () => void } {
  const daysSelect = h(
    'select',
    { id: 'whatif-days' },
    ...WHAT_IF_DAYS.map((n) =>
      h(
        'option',
        { value: String(n) },
        live(() => t('wi_daysOption', { n })),
      ),
    ),
  );
  daysSelect.value = '7';
  const daysField = field(() => t('wi_days'), daysSelect);
  const run = h('button', { type: 'button', class: 'secondary', id: 'whatif-run' }, T('wi_run'));
  const status = statusLine();
  status.id = 'whatif-status';
  status.hidden = true;
  // The busy line, then the outcome, are announced politely as they replace each other.
  const result = h('div', { id: 'whatif-result', 'aria-live': 'polite' });
  const stale = h('p', { class: 'warn', hidden: true }, T('wi_stale'));
  let shown = false;

  const showResult = (r: WhatIfResult) => {
    const demand = () =>
      r.demand.source === 'recent-draws'
        ? t('wi_demandRecent', {
            n: formatNumber(r.demand.entriesPerDraw),
            draws: formatNumber(r.demand.draws),
          })
        : t('wi_demandDefault', { n: formatNumber(r.demand.entriesPerDraw) });
    const changes = r.changes.flatMap(refine);
    stale.hidden = true;
    mount(
      result,
      h('h4', null, T('wi_resultTitle')),
      stale,
      h(
        'p',
        { class: 'notice info' },
        live(() => t('wi_note', { days: formatNumber(r.days), demand: demand(), v: r.currentRulesVersion })),
        r.demand.scale < 1 ? [' ', live(() => t('wi_scaled', { pct: percent(r.demand.scale) }))] : null,
      ),
      whatIfTable(r),
      changes.length === 0
        ? h('p', { class: 'hint' }, T('wi_noChanges', { v: r.currentRulesVersion }))
        : h(
            'div',
            { class: 'hint whatif-changes' },
            h('p', null, T('wi_changes')),
            h(
              'ul',
              { class: 'changes' },
              ...changes.map((c) =>
                h(
                  'li',
                  null,
                  h('code', null, c.path),
                  ': ',
                  h('del', null, show(c.from)),
                  ' → ',
                  h('ins', null, show(c.to)),
                ),
              ),
            ),
          ),
    );
    shown = true;
  };

  run.addEventListener('click', () => {
    if (run.disabled) return;
    for (const f of Object.values(fields)) f.setError(null);
    mount(summary);
    say(status, null);
    const days = Number(daysSelect.value);
    const rules = read();
    // In place of the previous outcome: a spinner, what is happening, and the seconds so far (not read out).
    const started = Date.now();
    const seconds = h('span', { class: 'elapsed', 'aria-hidden': 'true' });
    const tick = () =>
      mount(seconds, t('wi_elapsed', { s: formatNumber(Math.floor((Date.now() - started) / 1000)) }));
    tick();
    const timer = setInterval(tick, 1000);
    shown = false;
    result.setAttribute('aria-busy', 'true');
    mount(
      result,
      h(
        'p',
        { class: 'whatif-busy' },
        h('span', { class: 'spinner', 'aria-hidden': 'true' }),
        h('span', null, T('wi_running', { days: formatNumber(days) })),
        seconds,
      ),
    );
    void busy(run, async () => {
      try {
        showResult(
          await api<WhatIfResult>('POST', `/api/admin/offices/${encodeURIComponent(o.id)}/what-if`, {
            rules,
            days,
          }),
        );
      } catch (err) {
        mount(result);
        if (err instanceof ApiFailure && err.fields.length) {
          showRuleErrors(err.fields, fields, summary);
          return;
        }
        const message =
          err instanceof ApiFailure && err.code === 'busy'
            ? () => t('err_whatif_busy')
            : err instanceof ApiFailure && err.status === 503
              ? () => t('err_whatif_unavailable')
              : errText(err);
        say(status, message, 'error');
      } finally {
        clearInterval(timer);
        result.removeAttribute('aria-busy');
      }
    });
  });

  const el = h(
    'section',
    { class: 'whatif', id: 'whatif', 'aria-labelledby': 'whatif-title' },
    h('h3', { id: 'whatif-title' }, T('wi_title')),
    h('p', { class: 'hint' }, T('wi_intro')),
    h('div', { class: 'toolbar' }, daysField.el, run),
    status,
    result,
  );
  return {
    el,
    formChanged: () => {
      if (shown) stale.hidden = false;
    },
  };
}

/** Server paths look like rules.sessions.0.capacity; an error on holidays.3 belongs to the textarea. */
function showRuleErrors(errors: FieldError[], fields: Record<string, Field>, summary: HTMLElement): void {
  const mapped = errors.map((e) => {
    let path = e.path.replace(/^rules\./, '');
    while (!fields[path] && path.includes('.')) path = path.slice(0, path.lastIndexOf('.'));
    return { ...e, path: fields[path] ? path : e.path, original: e.path };
  });
  const unmatched = showFieldErrors(mapped, fields, (e) => () => e.message);
  const list = h(
    'ul',
    null,
    ...mapped.map((e) =>
      h('li', null, h('code', null, e.original), ': ', h('span', { lang: 'en' }, e.message)),
    ),
  );
  mount(summary, h('div', { class: 'notice error', role: 'alert' }, h('p', null, T('fixFields')), list));
  if (unmatched.length === mapped.length) summary.focus();
}

// ---- history ----
const show = (v: unknown) => {
  const s = v === undefined ? '∅' : JSON.stringify(v);
  return s.length > 160 ? `${s.slice(0, 160)}…` : s;
};

const isObj = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * diffRules reports a changed array (sessions, categories) as one change of the whole array; split it
 * into row and field changes ("sessions.0.capacity: 50 → 60") so a reader sees what actually moved.
 */
function refine(c: RulesChange): RulesChange[] {
  if (!Array.isArray(c.from) || !Array.isArray(c.to)) return [c];
  const from = c.from as unknown[];
  const to = c.to as unknown[];
  if (!from.concat(to).every(isObj)) return [c];
  const out: RulesChange[] = [];
  for (let i = 0; i < Math.max(from.length, to.length); i++) {
    const a = from[i] as Record<string, unknown> | undefined;
    const b = to[i] as Record<string, unknown> | undefined;
    if (JSON.stringify(a) === JSON.stringify(b)) continue;
    if (!a || !b) {
      out.push({ path: `${c.path}.${i}`, from: a, to: b });
      continue;
    }
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
      if (JSON.stringify(a[k]) !== JSON.stringify(b[k]))
        out.push({ path: `${c.path}.${i}.${k}`, from: a[k], to: b[k] });
    }
  }
  return out;
}

async function renderHistory(): Promise<void> {
  const o = office();
  if (!o) return noOffice();
  const { versions } = await api<{ versions: RulesVersion[] }>(
    'GET',
    `/api/admin/offices/${encodeURIComponent(o.id)}/rules/history`,
  );
  const list = [...versions].reverse();
  mount(
    panel,
    h('h2', null, o.name),
    list.length === 0
      ? h('p', { class: 'hint' }, T('historyEmpty'))
      : h(
          'ol',
          { class: 'history plain', reversed: true },
          ...list.map((v) =>
            h(
              'li',
              { 'data-version': v.version },
              h(
                'h3',
                null,
                live(() =>
                  t('versionHead', { v: v.version, at: formatInstant(v.createdAt, o.tz), by: v.createdBy }),
                ),
              ),
              v.note ? h('p', null, v.note === 'initial rules' ? T('initial') : v.note) : null,
              v.version === 1
                ? null
                : v.changes.length === 0
                  ? h('p', { class: 'hint' }, T('noChanges'))
                  : h(
                      'ul',
                      { class: 'changes' },
                      ...v.changes
                        .flatMap(refine)
                        .map((c) =>
                          h(
                            'li',
                            null,
                            h('code', null, c.path),
                            ': ',
                            h('del', null, show(c.from)),
                            ' → ',
                            h('ins', null, show(c.to)),
                          ),
                        ),
                    ),
            ),
          ),
        ),
  );
}

// ---- figures per day ----
const STATS_DAYS = [7, 30, 90];
let statsDays = 30;
/** Redraws the charts of the stats tab (their SVG text is not live): set while that tab shows. */
let redrawCharts: (() => void) | null = null;
onLangChange(() => redrawCharts?.());

/** "45%"; below 10% with one decimal, so half a percent does not read as 1% or 0%. */
const percent = (v: number) =>
  new Intl.NumberFormat(locale(), {
    style: 'percent',
    maximumFractionDigits: v > 0 && v < 0.1 ? 1 : 0,
  }).format(v);
const dayMonth = (ymd: string) =>
  new Intl.DateTimeFormat(locale(), { day: 'numeric', month: 'short', timeZone: 'UTC' }).format(
    new Date(`${ymd}T12:00:00Z`),
  );
const orDash = (v: number | null, f: (v: number) => string) => (v === null ? '–' : f(v));

type RateKey = 'fillRate' | 'confirmationRate' | 'showRate';
type CountKey = 'entries' | 'forfeits';

async function renderStats(): Promise<void> {
  const o = office();
  if (!o) return noOffice();
  const days = await api<{ days: DayStats[] }>(
    'GET',
    `/api/admin/draws/${encodeURIComponent(o.id)}/stats?days=${statsDays}`,
  ).then((r) => r.days);

  const period = h(
    'select',
    { name: 'days' },
    ...STATS_DAYS.map((n) =>
      h('option', { value: n, selected: n === statsDays }, T('statsDaysOption', { n })),
    ),
  );
  period.addEventListener('change', () => {
    statsDays = Number(period.value);
    void showTab().then(() => document.querySelector<HTMLSelectElement>('#stats select')?.focus());
  });

  const charts = h('div', { class: 'charts' });
  const draw = () => {
    const labels = days.map((d) => dayMonth(d.targetDate));
    const tip = (i: number, value: string) => `${formatDate(days[i]!.targetDate, { short: true })}: ${value}`;
    const figure = (id: string, title: Key, about: Key, summary: () => string, svg: SVGSVGElement) =>
      h(
        'figure',
        { class: 'chart-box', id: `chart-${id}` },
        h(
          'figcaption',
          null,
          h('strong', null, T(title)),
          h('span', { class: 'meta' }, T(about)),
          live(summary),
        ),
        svg,
      );
    const count = (k: CountKey, title: Key, about: Key) => {
      const values = days.map((d) => d[k]);
      return figure(
        k,
        title,
        about,
        () =>
          t('sumCount', {
            total: formatNumber(values.reduce((a, b) => a + b, 0)),
            last: formatNumber(values.at(-1) ?? 0),
          }),
        barChart({
          labels,
          values,
          format: formatNumber,
          describe: (i) => tip(i, formatNumber(values[i]!)),
          className: 'chart-count',
        }),
      );
    };
    const rate = (k: RateKey, title: Key, about: Key) => {
      const values = days.map((d) => d[k]);
      const known = values.filter((v): v is number => v !== null);
      return figure(
        k,
        title,
        about,
        () =>
          t('sumRate', {
            avg: known.length ? percent(known.reduce((a, b) => a + b, 0) / known.length) : '–',
            last: orDash(values.at(-1) ?? null, percent),
          }),
        barChart({
          labels,
          values,
          max: 1,
          format: percent,
          describe: (i) => tip(i, orDash(values[i]!, percent)),
          className: 'chart-rate',
        }),
      );
    };
    const used = days.map((d) => d.waitlistOffersUsed);
    const offered = days.map((d) => d.waitlistOffers);
    mount(
      charts,
      count('entries', 'chart_entries', 'chart_entries_d'),
      rate('fillRate', 'chart_fillRate', 'chart_fillRate_d'),
      rate('confirmationRate', 'chart_confirmationRate', 'chart_confirmationRate_d'),
      rate('showRate', 'chart_showRate', 'chart_showRate_d'),
      count('forfeits', 'chart_forfeits', 'chart_forfeits_d'),
      figure(
        'waitlist',
        'chart_waitlist',
        'chart_waitlist_d',
        () =>
          t('sumWaitlist', {
            used: formatNumber(used.reduce((a, b) => a + b, 0)),
            offered: formatNumber(offered.reduce((a, b) => a + b, 0)),
          }),
        barChart({
          labels,
          values: used,
          back: offered,
          format: formatNumber,
          describe: (i) =>
            tip(i, t('sumWaitlist', { used: formatNumber(used[i]!), offered: formatNumber(offered[i]!) })),
          className: 'chart-count',
        }),
      ),
    );
  };

  const rows = days.map((d) => [
    h(
      'span',
      { class: 'nowrap' },
      live(() => formatDate(d.targetDate, { short: true })),
    ),
    ...[d.entries, d.quota, d.offers, d.confirmed, d.checkedIn, d.noShows, d.forfeits, d.cancellations].map(
      (n) => document.createTextNode(formatNumber(n)),
    ),
    document.createTextNode(`${formatNumber(d.waitlistOffersUsed)} / ${formatNumber(d.waitlistOffers)}`),
    ...[d.fillRate, d.confirmationRate, d.showRate].map((v) => live(() => orDash(v, percent))),
  ]);

  mount(
    panel,
    h(
      'section',
      { id: 'stats', 'aria-labelledby': 'stats-h' },
      h('h2', { id: 'stats-h' }, o.name),
      h('p', { class: 'meta' }, T('statsIntro')),
      h('div', { class: 'toolbar' }, field(() => t('statsPeriod'), period).el),
      days.length === 0 ? h('p', { class: 'hint' }, T('statsEmpty')) : charts,
      days.length === 0
        ? null
        : h(
            'details',
            { class: 'stats-table' },
            h('summary', null, T('statsTable')),
            table(
              [
                'col_target',
                'col_entries',
                'col_quota',
                'col_offers',
                'col_confirmed',
                'col_checkedIn',
                'col_noShows',
                'col_forfeits',
                'col_cancellations',
                'col_waitlistUsed',
                'col_fill',
                'col_confirm',
                'col_show',
              ],
              rows,
              [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12],
            ),
          ),
    ),
  );
  if (days.length) {
    draw();
    redrawCharts = draw;
  }
}

// ---- offices ----
/** The zones of Indonesia: WIB (west), WITA (central), WIT (east); Pontianak is WIB too. */
const ZONES = [
  ['Asia/Jakarta', 7],
  ['Asia/Pontianak', 7],
  ['Asia/Makassar', 8],
  ['Asia/Jayapura', 9],
] as const;

/** Server field paths ("office.id", "name") to the fields of a form, with our own wording per field. */
const OFFICE_FIELD_ERRORS: Record<string, Key> = {
  id: 'err_officeId',
  name: 'err_officeName',
  address: 'err_officeAddress',
  tz: 'err_officeTz',
};

function showOfficeErrors(err: ApiFailure, fields: Record<string, Field>, status: HTMLElement): void {
  if (err.code === 'conflict' && fields.id) {
    fields.id.setError(() => t('err_conflict'));
    fields.id.control.focus();
    return;
  }
  const mapped = err.fields.map((e) => ({ ...e, path: e.path.replace(/^office\./, '') }));
  const unmatched = showFieldErrors(mapped, fields, (e) => {
    const key = OFFICE_FIELD_ERRORS[e.path];
    return key ? () => t(key) : () => e.message;
  });
  if (unmatched.length || !mapped.length) say(status, errText(err), 'error');
}

async function renderOffices(): Promise<void> {
  const o = office();
  mount(panel, o ? officeEditForm(o) : h('p', { class: 'hint' }, T('noOfficesYet')), officeCreateForm());
}

function officeEditForm(o: AdminOffice): HTMLElement {
  const fields: Record<string, Field> = {
    name: field(
      () => t('f_officeName'),
      h('input', { type: 'text', name: 'name', maxlength: 120, value: o.name }),
    ),
    address: field(
      () => t('f_officeAddress'),
      h('textarea', { name: 'address', rows: 2, maxlength: 300 }, o.address),
    ),
  };
  const status = statusLine();
  status.hidden = true;
  status.id = 'office-edit-status';
  const save = h('button', { type: 'submit', class: 'primary', id: 'office-save' }, T('officeSave'));
  const form = h(
    'form',
    { novalidate: true, id: 'office-edit' },
    fields.name!.el,
    fields.address!.el,
    status,
    save,
  );
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    for (const f of Object.values(fields)) f.setError(null);
    say(status, null);
    void busy(save, async () => {
      try {
        await api('PATCH', `/api/admin/offices/${encodeURIComponent(o.id)}`, {
          name: fields.name!.control.value.trim(),
          address: fields.address!.control.value.trim(),
        });
        await loadOffices();
        fillOfficeSelect();
        await renderOffices();
        say(byId('office-edit-status'), () => t('officeSaved'), 'ok');
        byId('office-save').focus();
      } catch (err) {
        if (err instanceof ApiFailure && err.status === 401) return showSignIn();
        if (err instanceof ApiFailure) showOfficeErrors(err, fields, status);
        else say(status, errText(err), 'error');
      }
    });
  });
  return h(
    'section',
    { 'aria-labelledby': 'office-edit-h', class: 'subsection' },
    h('h2', { id: 'office-edit-h', tabindex: '-1' }, T('officeEditTitle')),
    h(
      'dl',
      { class: 'kv' },
      h('dt', null, T('k_officeId')),
      h('dd', null, h('code', null, o.id)),
      h('dt', null, T('f_officeTz')),
      h('dd', null, `${o.tz} (${zoneLabel(o.tz)})`),
    ),
    form,
  );
}

function officeCreateForm(): HTMLElement {
  const tz = h(
    'select',
    { name: 'tz' },
    ...ZONES.map(([zone, offset]) =>
      h('option', { value: zone }, `${zone} – ${zoneLabel(zone)} (UTC+${offset})`),
    ),
  );
  const fields: Record<string, Field> = {
    id: field(
      () => t('f_officeId'),
      h('input', {
        type: 'text',
        name: 'id',
        maxlength: 40,
        autocapitalize: 'off',
        autocomplete: 'off',
        spellcheck: 'false',
      }),
      { hint: () => t('f_officeIdHint') },
    ),
    name: field(() => t('f_officeName'), h('input', { type: 'text', name: 'name', maxlength: 120 }), {
      hint: () => t('f_officeNameHint'),
    }),
    address: field(() => t('f_officeAddress'), h('textarea', { name: 'address', rows: 2, maxlength: 300 })),
    tz: field(() => t('f_officeTz'), tz, { hint: () => t('f_officeTzHint') }),
  };
  const status = statusLine();
  status.hidden = true;
  status.id = 'office-create-status';
  const create = h(
    'button',
    { type: 'submit', class: 'primary', id: 'office-create-btn' },
    T('officeCreate'),
  );
  const form = h(
    'form',
    { novalidate: true, id: 'office-create' },
    fields.id!.el,
    fields.name!.el,
    fields.address!.el,
    fields.tz!.el,
    h('p', { class: 'hint' }, T('officeRulesNote')),
    status,
    create,
  );
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    for (const f of Object.values(fields)) f.setError(null);
    say(status, null);
    const value = (k: string) => fields[k]!.control.value.trim();
    void busy(create, async () => {
      try {
        // Checked by the server only: one set of rules, and its answer lands next to each field.
        const r = await api<{ office: { id: string; name: string } }>('POST', '/api/admin/offices', {
          office: { id: value('id'), name: value('name'), address: value('address'), tz: tz.value },
        });
        await loadOffices();
        officeId = r.office.id;
        fillOfficeSelect();
        remember();
        await renderOffices();
        say(byId('office-edit-status'), () => t('officeCreated', { name: r.office.name }), 'ok');
        byId('office-edit-h').focus();
      } catch (err) {
        if (err instanceof ApiFailure && err.status === 401) return showSignIn();
        if (err instanceof ApiFailure) showOfficeErrors(err, fields, status);
        else say(status, errText(err), 'error');
      }
    });
  });
  return h(
    'section',
    { 'aria-labelledby': 'office-create-h', class: 'subsection', id: 'office-new' },
    h('h2', { id: 'office-create-h' }, T('officeCreateTitle')),
    form,
  );
}

// ---- abuse flags ----
async function renderFlags(): Promise<void> {
  const { flags, total } = await api<{ flags: Flag[]; total: number }>('GET', '/api/admin/flags?limit=100');
  const accountIds = [...new Set(flags.map((f) => f.accountId).filter((x): x is string => !!x))].slice(0, 50);
  const blocked = new Map<string, boolean>();
  await Promise.all(
    accountIds.map(async (id) => {
      try {
        const a = await api<{ account: { blocked?: boolean } }>(
          'GET',
          `/api/admin/accounts/${encodeURIComponent(id)}`,
        );
        blocked.set(id, !!a.account.blocked);
      } catch {}
    }),
  );
  const status = statusLine();
  status.hidden = true;
  status.id = 'flags-status';

  const actionsFor = (accountId: string, i: number): HTMLElement => {
    const cell = h('div', { class: 'flag-actions' });
    const draw = () => {
      const isBlocked = blocked.get(accountId);
      const state = h(
        'span',
        { class: `badge ${isBlocked ? 'badge-lost' : 'badge-open'}` },
        T(isBlocked ? 'blocked' : 'active'),
      );
      if (isBlocked) {
        const un = h('button', { type: 'button', class: 'secondary small' }, T('unblock'));
        un.addEventListener('click', () =>
          busy(un, async () => {
            try {
              await api('POST', `/api/admin/accounts/${encodeURIComponent(accountId)}/unblock`, {});
              blocked.set(accountId, false);
              redrawAll();
              say(status, () => t('unblockedDone', { id: accountId }), 'ok');
            } catch (err) {
              say(status, errText(err), 'error');
            }
          }),
        );
        mount(cell, state, ' ', un);
        return;
      }
      const reason = cellField(h('input', { type: 'text', maxlength: 500, id: `reason-${i}` }), () =>
        t('blockReason'),
      );
      liveAttr(reason.control, 'placeholder', () => t('blockReason'));
      const btn = h('button', { type: 'button', class: 'danger small' }, T('block'));
      btn.addEventListener('click', () => {
        reason.setError(null);
        const text = reason.control.value.trim();
        if (text.length < 3) {
          reason.setError(() => t('reasonShort'));
          reason.control.focus();
          return;
        }
        void busy(btn, async () => {
          try {
            await api('POST', `/api/admin/accounts/${encodeURIComponent(accountId)}/block`, { reason: text });
            blocked.set(accountId, true);
            redrawAll();
            say(status, () => t('blockedDone', { id: accountId }), 'ok');
          } catch (err) {
            if (err instanceof ApiFailure && err.fields.length) reason.setError(() => err.fields[0]!.message);
            else say(status, errText(err), 'error');
          }
        });
      });
      mount(cell, state, reason.el, btn);
    };
    redrawers.push(draw);
    draw();
    return cell;
  };
  const redrawers: (() => void)[] = [];
  const redrawAll = () => {
    for (const r of redrawers) r();
  };

  const rows = flags.map((f, i) => [
    // Flags are national, not per office: shown in WIB, the zone of the ministry.
    h(
      'span',
      { class: 'nowrap' },
      live(() => formatInstant(f.at, 'Asia/Jakarta')),
    ),
    `reason_${f.reason}` in strings.en ? T(`reason_${f.reason}` as Key) : document.createTextNode(f.reason),
    f.accountId ? h('code', null, f.accountId) : document.createTextNode('–'),
    h(
      'ul',
      { class: 'changes' },
      ...Object.entries(f.evidence).map(([k, v]) => h('li', null, h('code', null, k), ': ', String(v))),
    ),
    f.accountId ? actionsFor(f.accountId, i) : document.createTextNode(''),
  ]);
  mount(
    panel,
    h('h2', null, T('flagsTitle')),
    h('p', { class: 'meta' }, T('flagsTotal', { n: formatNumber(total) })),
    status,
    flags.length
      ? table(['col_when', 'col_reason', 'col_account', 'col_evidence', 'col_actions'], rows)
      : h('p', { class: 'hint' }, T('flagsEmpty')),
  );
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

void start();
