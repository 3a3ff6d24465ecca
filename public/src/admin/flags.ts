// The flags tab: abuse flags, each account a link to the accounts tab, with block and unblock.

import { ApiFailure, api } from '../lib/api.ts';
import { h, live, liveAttr, mount } from '../lib/dom.ts';
import { busy, say, statusLine } from '../lib/form.ts';
import { formatInstant } from '../lib/format.ts';
import { formatNumber } from '../lib/i18n.ts';
import { type Key, strings } from '../strings/admin.ts';
import { accountLink } from './messages.ts';
import { cellField, errText, type Flag, panel, T, t, table } from './shared.ts';

// ---- abuse flags ----
export async function renderFlags(): Promise<void> {
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
    f.accountId ? accountLink(f.accountId) : document.createTextNode('–'),
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
