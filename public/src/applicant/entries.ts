// The applicant's entries: each draw entered, its result, withdraw and the link to verify the draw.
import { ApiFailure, api } from '../lib/api.ts';
import { h, live, mount } from '../lib/dom.ts';
import { busy, say, statusLine } from '../lib/form.ts';
import {
  formatClock,
  formatDate,
  formatHhmm,
  formatInstant,
  shortOfficeName,
  zoneLabel,
} from '../lib/format.ts';
import { stopPolling } from './polling.ts';
import { type Entry, errText, nav, type Office, officeById, personById, state, T, t } from './shared.ts';

export const entriesList = h('ul', { class: 'entries' });
export const entriesUpdated = h('span', { class: 'hint' });
export const entriesStatus = statusLine();

// ---- entries ----
export function sessionText(
  office: Office | undefined,
  sessionId: string | null,
): { start: string; end: string } {
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
        return t('detail_lost', { date }) + standbyText(e, office);
      case 'carried_over':
        return t('detail_carried_over', { date }) + standbyText(e, office);
      case 'withdrawn':
        return t('detail_withdrawn');
      case 'void':
        return t('detail_void');
    }
  };
}

/** The standby instructions of an entry on a day's standby line, after its result ('' if not on one). */
function standbyText(e: Entry, office: Office | undefined): string {
  if (!e.standby || !office) return '';
  return ` ${t('detail_standby', { date: formatDate(e.standby.date), time: formatInstant(e.standby.until, office.tz) })}`;
}

export function renderEntries(): void {
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

const statusKey = (list: Entry[]) => list.map((e) => `${e.ticket}:${e.status}`).join(',');

export async function refreshEntries(manual = false): Promise<void> {
  try {
    const r = await api<{ entries: Entry[] }>('GET', '/api/me/entries');
    const was = statusKey(state.entries);
    state.entries = r.entries;
    state.lastRefresh = Date.now();
    renderEntries();
    // A result, a withdrawal or a new entry changes who can enter next: ask only then, not every poll.
    if (statusKey(r.entries) !== was) await nav.refreshStanding();
  } catch (err) {
    if (err instanceof ApiFailure && err.status === 401) {
      stopPolling();
      nav.renderSignIn(errText(err));
      return;
    }
    if (manual) say(entriesStatus, errText(err), 'error');
  }
}
