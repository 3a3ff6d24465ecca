// Entering a draw: who, which office, the odds, and session preferences.

import { isMinorOn } from '../../../src/domain/group.ts';
import { api } from '../lib/api.ts';
import { h, live, liveAttr, mount } from '../lib/dom.ts';
import { busy, field, say, statusLine } from '../lib/form.ts';
import { formatDate, formatHhmm, formatInstant, shortOfficeName, zoneLabel } from '../lib/format.ts';
import { formatNumber } from '../lib/i18n.ts';
import { withPow } from '../lib/pow.ts';
import { refreshEntries } from './entries.ts';
import {
  type Entry,
  entryPow,
  handleFormError,
  officeById,
  type Person,
  sections,
  state,
  T,
  t,
} from './shared.ts';

// ---- joining a draw ----
const whoBox = h('fieldset', { class: 'who' });
const joinBody = h('div');
const officeInfo = h('div', { class: 'office-info', 'aria-live': 'polite' });
const prefsBox = h('div', { class: 'prefs' });
const pref = { mode: 'any' as 'any' | 'ranked', order: [] as string[], chosen: new Set<string>() };
// Everyone ticked enters together as one group (src/domain/group.ts): won or lost as one, one session.
const selected = new Set<string>();
let selectedOffice = '';
const whoProblem = h('p', { class: 'hint', 'aria-live': 'polite' });

/** The appointment day the next draw of the chosen office serves; before a choice, two days from today. */
function serviceDay(): string {
  const next = officeById(selectedOffice)?.nextDraw?.targetDate;
  return next ?? new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
}

/** Why the ticked persons cannot enter together, or null. */
function selectionProblem(): (() => string) | null {
  const chosen = state.persons.filter((p) => selected.has(p.id));
  if (chosen.length === 0) return () => t('whoNone');
  const day = serviceDay();
  if (chosen.every((p) => isMinorOn(p.birthDate, day))) return () => t('whoMinorAlone');
  return null;
}

function renderWhoProblem(): void {
  const problem = selectionProblem();
  mount(whoProblem, problem ? problem() : '');
  whoProblem.classList.toggle('error', problem !== null && selected.size > 0);
}

/** Why a person cannot enter a draw now, in words, or null if they can (as the server would decide). */
function whyNot(p: Person): (() => string) | null {
  const st = p.standing;
  if (!st) return null;
  if (st.bannedUntil) {
    const until = st.bannedUntil;
    return () => t('why_banned', { until: formatInstant(until, 'Asia/Jakarta') });
  }
  if (!st.active) return null;
  const e = state.entries.find((x) => x.ticket === st.active!.ticket);
  const o = officeById(e?.officeId ?? st.active.officeId);
  const office = o ? shortOfficeName(o.name) : '';
  if (!e || !office) return () => t('why_active');
  const date = () => formatDate(e.targetDate, { short: true });
  if (e.status === 'pending') return () => t('why_pending', { office, date: date() });
  if (e.status === 'waitlisted') return () => t('why_waitlisted', { office, date: date() });
  if (e.status === 'won') return () => t('why_won', { office, date: date() });
  return () => t('why_active');
}

/** Asks the server again who can enter (after a join, a withdrawal, a cancelled or finished appointment). */
export async function refreshStanding(): Promise<void> {
  try {
    state.persons = (await api<{ persons: Person[] }>('GET', '/api/me/persons')).persons;
    renderWho();
  } catch {
    // The form still works: the server refuses an entry it would not take, with its reason.
  }
}

export function renderWho(): void {
  joinNeed.hidden = state.persons.length > 0;
  if (state.persons.length === 0) {
    mount(whoBox);
    whoBox.hidden = true;
    joinBody.hidden = true;
    return;
  }
  whoBox.hidden = false;
  joinBody.hidden = false;
  const reasons = new Map(state.persons.map((p) => [p.id, whyNot(p)]));
  const eligible = state.persons.filter((p) => !reasons.get(p.id));
  for (const id of [...selected]) if (!eligible.some((p) => p.id === id)) selected.delete(id);
  const day = serviceDay();
  // Never pre-select someone who cannot enter: the first adult who can, or nobody.
  if (selected.size === 0) {
    const first = eligible.find((p) => !isMinorOn(p.birthDate, day));
    if (first) selected.add(first.id);
  }
  mount(
    whoBox,
    h('legend', null, T('whoLegend')),
    h('p', { class: 'hint' }, T('whoHint')),
    ...state.persons.map((p) => {
      const why = reasons.get(p.id);
      const input = h('input', {
        type: 'checkbox',
        name: 'person',
        value: p.id,
        checked: selected.has(p.id),
        disabled: !!why,
      });
      input.addEventListener('change', () => {
        if (input.checked) selected.add(p.id);
        else selected.delete(p.id);
        renderWhoProblem();
      });
      return h(
        'label',
        { class: why ? 'choice unavailable' : 'choice', 'data-person': p.id },
        input,
        h(
          'span',
          null,
          p.name,
          ' ',
          h('span', { class: 'meta mono nowrap' }, p.nikMasked),
          isMinorOn(p.birthDate, day) ? h('span', { class: 'meta who-note' }, T('whoMinor')) : null,
          why ? h('span', { class: 'why-not' }, live(why)) : null,
        ),
      );
    }),
    eligible.length === 0 ? h('p', { class: 'warn', id: 'nobody-eligible' }, T('why_nobody')) : whoProblem,
  );
  joinSubmit.disabled = eligible.length === 0;
  renderWhoProblem();
}
const joinNeed = h('p', { class: 'hint' });
const joinSubmit = h('button', { type: 'submit', class: 'primary', id: 'join-submit' }, T('join'));

export function renderJoin(): void {
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
    renderWho();
    if (selectedOffice) void loadEntryCount(selectedOffice);
  });
  const status = statusLine();
  status.hidden = true;
  const submit = joinSubmit;
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
    const problem = selectionProblem();
    if (problem) {
      say(status, problem, 'error');
      whoBox.querySelector<HTMLInputElement>('input[type=checkbox]:not(:disabled)')?.focus();
      return;
    }
    const personIds = state.persons.filter((p) => selected.has(p.id)).map((p) => p.id);
    const prefs = pref.mode === 'any' ? 'any' : pref.order.filter((id) => pref.chosen.has(id));
    if (prefs !== 'any' && prefs.length === 0) {
      say(status, () => t('prefsNone'), 'error');
      prefsBox.querySelector<HTMLInputElement>('input[type=checkbox]')?.focus();
      return;
    }
    void busy(submit, async () => {
      try {
        const r = await withPow(entryPow, (pow) =>
          api<{ entry?: Entry; entries?: Entry[]; entryCount: number; quota: number }>(
            'POST',
            '/api/me/entries',
            personIds.length === 1
              ? { personId: personIds[0], officeId: selectedOffice, prefs, pow }
              : { personIds, officeId: selectedOffice, prefs, pow },
          ),
        );
        const entries = r.entries ?? (r.entry ? [r.entry] : []);
        state.entryCounts.set(selectedOffice, r.entryCount);
        renderOfficeInfo();
        if (entries.length > 1) {
          const tickets = entries.map((e) => e.ticket).join(', ');
          say(status, () => t('joinedGroup', { n: entries.length, tickets }), 'ok');
        } else {
          const ticket = entries[0]?.ticket ?? '';
          say(status, () => t('joined', { ticket }), 'ok');
        }
        selected.clear();
        await refreshEntries();
        await refreshStanding();
      } catch (err) {
        handleFormError(err, { officeId: office }, status, 'err_invalid_input');
      } finally {
        entryPow.prefetch();
      }
    }).then(renderWho);
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
