// The day sheet: today's sessions of the office with their counts and the names expected.
import { ApiFailure, api } from '../lib/api.ts';
import { h, live } from '../lib/dom.ts';
import { formatDate, formatHhmm, todayIn, zoneLabel } from '../lib/format.ts';
import { type DaySheet, type Office, T, t } from './shared.ts';

/** The day sheet when the server has it; otherwise the sessions from the public office list. */
export async function loadSheet(offices: Office[], officeId: string): Promise<DaySheet | null> {
  try {
    return await api<DaySheet>('GET', `/api/officer/day-sheet?office=${encodeURIComponent(officeId)}`);
  } catch (err) {
    if (!(err instanceof ApiFailure) || err.status !== 404) throw err;
    const o = offices.find((x) => x.id === officeId);
    return o ? { office: o, date: todayIn(o.tz), sessions: o.sessions } : null;
  }
}

export function sessionLabel(s: { start: string; end: string }, tz: string): string {
  return t('sessionTime', { start: formatHhmm(s.start), end: formatHhmm(s.end), zone: zoneLabel(tz) });
}

export function sheetCard(d: DaySheet | null): HTMLElement {
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
                h('span', { class: 'meta' }, T('places', { n: s.capacity })),
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
                              h('td', null, T(p.state === 'checked_in' ? 'st_checked_in' : 'st_confirmed')),
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
