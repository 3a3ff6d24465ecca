// The standby panel: today's standby line in rank order, marking a person arrived by their ticket, and
// per session, from its standby moment, a button that seats arrived people in the free places.

import type { StandbyPanel } from '../../../src/domain/standby.ts';
import { ApiFailure, api } from '../lib/api.ts';
import { h, mount } from '../lib/dom.ts';
import { busy, field, say, statusLine } from '../lib/form.ts';
import { formatHhmm, formatTimeIn } from '../lib/format.ts';
import { errorText } from '../lib/page.ts';
import type { Key } from '../strings/officer.ts';
import { T, t } from './shared.ts';

type Panel = StandbyPanel;

const refusals: Partial<Record<string, Key>> = {
  unknown_code: 'sb_err_unknown',
  wrong_office: 'sb_err_wrong_office',
  wrong_day: 'sb_err_wrong_day',
  not_on_standby: 'sb_err_not_on_standby',
  standby_not_yet: 'sb_err_not_yet',
  too_late: 'sb_err_too_late',
};

/** The panel of the office, reloaded after every action; hidden while the day has no standby line. */
export function standbyCard(officeId: string, tz: string, onSignedOut: () => void): HTMLElement {
  const card = h('section', { class: 'card', id: 'standby', 'aria-labelledby': 'standby-h', hidden: true });
  const status = statusLine();
  status.hidden = true;
  const q = `office=${encodeURIComponent(officeId)}`;
  const fail = (err: unknown) => {
    if (err instanceof ApiFailure && err.status === 401) return onSignedOut();
    say(status, errorText<Key>(err, t, refusals), 'error');
  };
  const ticket = field(
    () => t('sb_ticket'),
    h('input', { type: 'text', name: 'ticket', autocomplete: 'off', maxlength: 20, class: 'code-input' }),
  );
  const arrive = h('button', { type: 'submit', class: 'primary' }, T('sb_arrived'));
  const form = h('form', { novalidate: true, class: 'standby-arrive' }, ticket.el, arrive);
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    void busy(arrive, async () => {
      try {
        const r = await api<{ arrived: string[] }>('POST', '/api/officer/standby/arrive', {
          office: officeId,
          ticket: ticket.control.value,
        });
        ticket.control.value = '';
        say(status, () => t('sb_marked', { n: r.arrived.length }), 'ok');
        await load();
      } catch (err) {
        fail(err);
      }
    });
  });
  const body = h('div');
  const load = async () => {
    let p: Panel;
    try {
      p = await api<Panel>('GET', `/api/officer/standby?${q}`);
    } catch (err) {
      return fail(err);
    }
    card.hidden = p.line.length === 0;
    const sessions = p.sessions.map((s) => {
      const seat = h('button', { type: 'button', class: 'primary', 'data-session': s.id }, T('sb_seat'));
      seat.addEventListener('click', () =>
        busy(seat, async () => {
          try {
            const r = await api<{ seated: unknown[] }>('POST', '/api/officer/standby/seat', {
              office: officeId,
              session: s.id,
            });
            say(status, () => t('sb_seated', { n: r.seated.length }), 'ok');
            await load();
          } catch (err) {
            fail(err);
          }
        }),
      );
      const from = s.standbyAt ? formatTimeIn(s.standbyAt, tz) : '–';
      return h(
        'li',
        null,
        h('strong', null, formatHhmm(s.start)),
        ' ',
        h('span', { class: 'meta' }, T('sb_session', { from, free: s.free })),
        ' ',
        seat,
      );
    });
    const rows = p.line.map((r) =>
      h(
        'li',
        { 'data-ticket': r.ticket },
        `${r.name} `,
        h('span', { class: 'meta' }, `${r.nikMasked} · ${r.ticket}`),
        ' ',
        h(
          'span',
          { class: 'meta' },
          r.seatedCode
            ? T('sb_state_seated', { code: r.seatedCode })
            : r.arrivedAt
              ? T('sb_state_arrived')
              : T('sb_state_waiting'),
        ),
      ),
    );
    mount(
      body,
      h('ul', { class: 'plain standby-sessions' }, ...sessions),
      h('ol', { class: 'plain standby-line' }, ...rows),
    );
  };
  mount(
    card,
    h('h2', { id: 'standby-h' }, T('sb_title')),
    h('p', { class: 'hint' }, T('sb_hint')),
    form,
    status,
    body,
  );
  void load();
  return card;
}
