// The closed-days tab: close a service day of this office (reason required; its appointments move),
// the days it is closed, the national list (loaded from a yearly JSON file) and how often arrivals at
// the counter claimed priority, with documents seen and not seen.
import { api } from '../lib/api.ts';
import { h, live, mount } from '../lib/dom.ts';
import { busy, clearErrors, field, say, statusLine } from '../lib/form.ts';
import { formatDate, formatInstant } from '../lib/format.ts';
import { formatNumber } from '../lib/i18n.ts';
import { errText, noOffice, office, panel, percent, T, t, table } from './shared.ts';

interface Closing {
  date: string;
  reason: string;
  by: string;
  at: string;
}
interface NationalDay {
  date: string;
  name: string;
  kind: 'holiday' | 'collective_leave';
}
interface ClaimRate {
  category: string;
  kind: 'age' | 'claimed';
  count: number;
  share: number;
  seen: number;
  notSeen: number;
}

export async function renderDays(): Promise<void> {
  const o = office();
  if (!o) return noOffice();
  const base = `/api/admin/offices/${encodeURIComponent(o.id)}`;
  const [days, claims] = await Promise.all([
    api<{ closings: Closing[]; national: NationalDay[] }>('GET', `${base}/closed-days`),
    api<{ checkins: number; categories: ClaimRate[] }>('GET', `${base}/claims`),
  ]);

  // ---- close a day ----
  const date = field(() => t('closeDate'), h('input', { type: 'date', name: 'date', required: true }));
  const reason = field(
    () => t('closeReason'),
    h('input', { type: 'text', name: 'reason', maxlength: 200, required: true }),
  );
  const status = statusLine();
  status.hidden = true;
  status.id = 'close-day-status';
  const submit = h('button', { type: 'submit', class: 'danger' }, T('closeDayButton'));
  const form = h('form', { id: 'close-day', novalidate: true }, date.el, reason.el, status, submit);
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    clearErrors({ date, reason });
    void busy(submit, async () => {
      try {
        const r = await api<{
          date: string;
          alreadyClosed: boolean;
          moved: number;
          unplaced: number;
          entriesMoved: number;
        }>('POST', `${base}/closed-days`, { date: date.control.value, reason: reason.control.value });
        const vars = {
          date: formatDate(r.date),
          moved: r.moved,
          unplaced: r.unplaced,
          entries: r.entriesMoved,
        };
        await renderDays();
        const after = document.getElementById('close-day-status');
        if (after) say(after, () => t(r.alreadyClosed ? 'closeDayAgain' : 'closeDayDone', vars), 'ok');
      } catch (err) {
        say(status, errText(err), 'error');
      }
    });
  });

  // ---- national list ----
  const file = field(() => t('nationalFile'), h('input', { type: 'file', accept: 'application/json,.json' }));
  const natStatus = statusLine();
  natStatus.hidden = true;
  natStatus.id = 'national-status';
  const load = h('button', { type: 'button', class: 'secondary' }, T('nationalLoad'));
  load.addEventListener('click', () =>
    busy(load, async () => {
      try {
        const f = (file.control as HTMLInputElement).files?.[0];
        if (!f) return;
        const r = await api<{ year: number; days: number; added: string[]; removed: string[] }>(
          'POST',
          '/api/admin/holidays',
          JSON.parse(await f.text()),
        );
        await renderDays();
        const after = document.getElementById('national-status');
        const vars = { year: r.year, days: r.days, added: r.added.length, removed: r.removed.length };
        if (after) say(after, () => t('nationalDone', vars), 'ok');
      } catch (err) {
        say(natStatus, errText(err), 'error');
      }
    }),
  );
  const upcoming = days.national.filter((d) => d.date >= new Date().toISOString().slice(0, 10));

  mount(
    panel,
    h('h2', null, o.name),
    h('section', null, h('h3', null, T('closeDayTitle')), h('p', { class: 'hint' }, T('closeDayHint')), form),
    h(
      'section',
      null,
      h('h3', null, T('closingsTitle')),
      days.closings.length === 0
        ? h('p', { class: 'hint' }, T('closingsEmpty'))
        : table(
            ['h_date', 'h_reason', 'h_by'],
            days.closings.map((c) => [
              live(() => formatDate(c.date)),
              document.createTextNode(c.reason),
              live(() => `${c.by}, ${formatInstant(c.at, o.tz)}`),
            ]),
          ),
    ),
    h(
      'section',
      null,
      h('h3', null, T('nationalTitle')),
      h('p', { class: 'hint' }, T('nationalHint')),
      file.el,
      load,
      natStatus,
      upcoming.length === 0
        ? h('p', { class: 'hint' }, T('nationalEmpty'))
        : table(
            ['h_date', 'h_name'],
            upcoming.map((d) => [live(() => formatDate(d.date)), live(() => `${d.name} (${t(d.kind)})`)]),
          ),
    ),
    h(
      'section',
      { id: 'claim-rates' },
      h('h3', null, T('claimsTitle')),
      h('p', { class: 'hint' }, T('claimsHint')),
      claims.checkins === 0
        ? h('p', { class: 'hint' }, T('claimsEmpty'))
        : table(
            ['h_category', 'h_count', 'h_share', 'h_seen', 'h_notSeen'],
            claims.categories.map((c) => {
              const label =
                o.rules?.rules.priorityCategories.find((p) => p.id === c.category)?.label ?? c.category;
              return [
                live(() => (c.kind === 'age' ? `${label} (${t('byAge')})` : label)),
                live(() => formatNumber(c.count)),
                live(() => percent(c.share)),
                live(() => (c.kind === 'age' ? '–' : formatNumber(c.seen))),
                live(() => (c.kind === 'age' ? '–' : formatNumber(c.notSeen))),
              ];
            }),
            [1, 2, 3, 4],
          ),
    ),
  );
}
