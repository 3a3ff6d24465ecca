// Shared by every tab of the admin page: the translator, the API shapes, the page state (offices, the
// chosen office and tab), the tab panel, and the table and cell helpers.
import type { Rules } from '../../../src/domain/rules.ts';
import { api } from '../lib/api.ts';
import { h, live, liveAttr, mount } from '../lib/dom.ts';
import type { Control, Field } from '../lib/form.ts';
import { shortOfficeName } from '../lib/format.ts';
import { locale, translator, type Vars } from '../lib/i18n.ts';
import { errorText } from '../lib/page.ts';
import { type Key, strings } from '../strings/admin.ts';

export const t = translator(strings);
export const T = (key: Key, vars?: Vars) => live(() => t(key, vars));
export const errText = (err: unknown) =>
  errorText<Key>(err, t, {
    stale_version: 'err_stale_version',
    no_draw: 'err_no_draw',
    not_drawn: 'err_not_drawn',
    draw_not_open: 'err_draw_not_open',
  });

// ---- API shapes ----
export interface RulesChange {
  path: string;
  from: unknown;
  to: unknown;
}
export interface RulesVersion {
  version: number;
  rules: Rules;
  createdAt: string;
  createdBy: string;
  note: string;
  changes: RulesChange[];
}
export interface AdminOffice {
  id: string;
  name: string;
  address: string;
  tz: string;
  rules: RulesVersion | null;
}
export interface NextDraw {
  drawDate: string;
  targetDate: string;
  closesAt: string;
  zoneLabel: string;
}
/** The draw "run now" acts on (src/services/current-draw.ts). */
export interface CurrentDraw {
  drawDate: string;
  state: 'open' | 'closed' | 'drawn';
  closesAt: string;
  entries: number;
  early: boolean;
  dueSince: string | null;
  stuck: boolean;
}
export interface DrawRow {
  drawDate: string;
  targetDate: string;
  status: 'open' | 'closed' | 'drawn';
  commitment: string;
  seed: string | null;
  publicEntropy: string | null;
  entryCount: number;
  winners: number | null;
  waitlisted: number | null;
  anchor: { chainHash: string; round: number } | null;
  beaconRoundAt: string | null;
  /** Set while the closed draw waits for its beacon round. */
  beaconWait: { reason: string; since: string; nextTryAt: string } | null;
}
export interface Flag {
  id: string;
  at: string;
  accountId: string | null;
  reason: string;
  evidence: Record<string, string | number>;
}

// The shape the stats endpoint returns; a type-only import, erased from the bundle.
export type DayStats = import('../../../src/services/office-stats.ts').DayStats;

export const TABS = [
  'draws',
  'stats',
  'rules',
  'history',
  'offices',
  'days',
  'flags',
  'accounts',
  'messages',
] as const;
/** Tabs about the whole service, not one office: the office picker hides on them. */
export const NATIONAL_TABS: readonly Tab[] = ['flags', 'accounts', 'messages'];
export type Tab = (typeof TABS)[number];

const params = new URLSearchParams(location.search);

/** What the admin is looking at; the URL keeps it across reloads (see remember). */
export const state = {
  offices: [] as AdminOffice[],
  officeId: params.get('office') ?? '',
  /** The account shown on the accounts tab. */
  accountId: params.get('account') ?? '',
  tab: (TABS.includes(params.get('tab') as Tab) ? params.get('tab') : 'draws') as Tab,
};

/**
 * Set by the page's entry module: switching tab and going back to sign-in live there, and the tabs call
 * them without importing the entry (which imports every tab).
 */
export const nav = {
  showTab: async (): Promise<void> => {},
  showSignIn: (): void => {},
};

export const panel = h('div', { role: 'tabpanel', tabindex: '0', id: 'panel', class: 'card' });
export const officeSlot = h('div');
export const officeSelect = h('select', { name: 'office', id: 'office' });
officeSelect.addEventListener('change', () => {
  state.officeId = officeSelect.value;
  void nav.showTab();
});

export const office = () => state.offices.find((o) => o.id === state.officeId);

export function remember(): void {
  const q = new URLSearchParams({ office: state.officeId, tab: state.tab });
  if (state.tab === 'accounts' && state.accountId) q.set('account', state.accountId);
  history.replaceState(null, '', `/admin?${q}`);
}

export async function loadOffices(): Promise<void> {
  state.offices = (await api<{ offices: AdminOffice[] }>('GET', '/api/admin/offices')).offices;
}

export function fillOfficeSelect(): void {
  mount(
    officeSelect,
    ...state.offices.map((o) =>
      h('option', { value: o.id, selected: o.id === state.officeId }, shortOfficeName(o.name)),
    ),
  );
  officeSelect.value = state.officeId;
  officeSelect.disabled = state.offices.length === 0;
}

/** What an office tab shows while there is no office at all. */
export const noOffice = () => mount(panel, h('p', { class: 'hint' }, T('noOffices')));

export const short = (hash: string | null) => (hash ? `${hash.slice(0, 12)}…` : '');

/** On a phone the rows become stacked cards, each cell labelled by its column (see .stack in app.css). */
export function table(head: (Key | string)[], rows: Node[][], numeric: number[] = []): HTMLElement {
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

// ---- rules editor ----
/** A control in a table cell: no visible label (the column header is one), but an accessible name. */
export function cellField(control: Control, name: () => string): Field {
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

export const input = (type: string, value: string | number, extra: Record<string, string | number> = {}) =>
  h('input', { type, value: String(value), ...extra });
export const num = (s: string) => (s.trim() === '' ? Number.NaN : Number(s));

export function weekdayName(isoDay: number): string {
  // 2024-01-01 was a Monday (ISO weekday 1).
  return new Intl.DateTimeFormat(locale(), { weekday: 'long', timeZone: 'UTC' }).format(
    new Date(Date.UTC(2024, 0, isoDay)),
  );
}

/** "45%"; below 10% with one decimal, so half a percent does not read as 1% or 0%. */
export const percent = (v: number) =>
  new Intl.NumberFormat(locale(), {
    style: 'percent',
    maximumFractionDigits: v > 0 && v < 0.1 ? 1 : 0,
  }).format(v);
