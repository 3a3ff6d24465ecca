// The accounts tab: one applicant account (opened from an abuse flag or by its ID) with its people,
// entries and the messages sent to it, as tables. Contacts arrive masked; NIKs only masked.
import { ApiFailure, api } from '../lib/api.ts';
import { h, live, mount } from '../lib/dom.ts';
import { field, say, statusLine } from '../lib/form.ts';
import { formatDate, formatInstant, shortOfficeName } from '../lib/format.ts';
import type { Key } from '../strings/admin.ts';
import { panel, remember, state, T, t, table } from './shared.ts';

interface AccountView {
  account: {
    id: string;
    contact: string;
    contactKind: 'phone' | 'email';
    blocked: boolean;
    createdAt: string;
  };
  persons: { id: string; name: string; nikMasked: string; category: string | null }[];
  entries: {
    ticket: string;
    officeId: string;
    targetDate: string;
    status: string;
    personId: string;
    /** A family entered together (members listed next to each other), or null for one person alone. */
    group: { id: string; size: number } | null;
  }[];
}
interface Delivery {
  id: string;
  template: string;
  channel: string;
  state: 'sent' | 'failed';
  at: string;
}

export const ACCOUNT_ID = /^[a-z0-9]{12}$/;

/** A message template in words ("Appointment confirmed"), or its name if the page does not know it. */
export function templateName(template: string): () => string {
  const key = `tpl_${template}` as Key;
  return () => (key in TEMPLATE_KEYS ? t(key) : template);
}
const TEMPLATE_KEYS: Record<string, true> = Object.fromEntries(
  [
    'signin_code',
    'entry_received',
    'won',
    'waitlisted',
    'lost',
    'carried_over',
    'waitlist_offer',
    'confirmed',
    'reminder',
    'forfeited',
    'no_show_strike',
    'account_blocked',
  ].map((n) => [`tpl_${n}`, true]),
);

const text = (s: string) => document.createTextNode(s);
const when = (iso: string) => live(() => formatInstant(iso, 'Asia/Jakarta'));

export async function renderAccounts(): Promise<void> {
  const input = h('input', {
    type: 'text',
    name: 'account',
    maxlength: 12,
    autocomplete: 'off',
    spellcheck: 'false',
    class: 'mono',
    value: state.accountId,
  });
  const id = field(() => t('acc_id'), input);
  const show = h('button', { type: 'submit', class: 'secondary', id: 'account-show' }, T('acc_show'));
  const form = h('form', { novalidate: true, id: 'account-form', class: 'toolbar' }, id.el, show);
  const body = h('div', { id: 'account-body', 'aria-live': 'polite' });
  const status = statusLine();
  status.hidden = true;
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const value = input.value.trim().toLowerCase();
    id.setError(null);
    if (!ACCOUNT_ID.test(value)) {
      id.setError(() => t('acc_badId'));
      input.focus();
      return;
    }
    state.accountId = value;
    remember();
    void showAccount(body, status);
  });
  mount(panel, h('h2', null, T('acc_title')), h('p', { class: 'hint' }, T('acc_intro')), form, status, body);
  if (state.accountId) await showAccount(body, status);
}

async function showAccount(body: HTMLElement, status: HTMLElement): Promise<void> {
  const id = encodeURIComponent(state.accountId);
  say(status, null);
  let view: AccountView;
  let messages: Delivery[];
  try {
    [view, { messages }] = await Promise.all([
      api<AccountView>('GET', `/api/admin/accounts/${id}`),
      api<{ messages: Delivery[] }>('GET', `/api/admin/accounts/${id}/messages?limit=100`),
    ]);
  } catch (err) {
    mount(body);
    if (err instanceof ApiFailure && err.status === 404) return say(status, () => t('acc_notFound'), 'error');
    throw err;
  }
  const a = view.account;
  const personName = (pid: string) => view.persons.find((p) => p.id === pid)?.name ?? '–';
  const officeName = (oid: string) => {
    const o = state.offices.find((x) => x.id === oid);
    return o ? shortOfficeName(o.name) : oid;
  };
  mount(
    body,
    h(
      'dl',
      { class: 'kv', id: 'account-facts' },
      h('dt', null, T('acc_id')),
      h('dd', { class: 'mono' }, a.id),
      h('dt', null, T('acc_contact')),
      h('dd', { class: 'mono' }, a.contact),
      h('dt', null, T('acc_created')),
      h('dd', null, when(a.createdAt)),
      h('dt', null, T('acc_state')),
      h(
        'dd',
        null,
        h(
          'span',
          { class: `badge ${a.blocked ? 'badge-lost' : 'badge-open'}` },
          T(a.blocked ? 'blocked' : 'active'),
        ),
      ),
    ),
    h('h3', null, T('acc_persons', { n: view.persons.length })),
    view.persons.length
      ? table(
          ['col_person', 'col_nik', 'col_category'],
          view.persons.map((p) => [
            text(p.name),
            h('span', { class: 'mono' }, p.nikMasked),
            text(p.category ?? '–'),
          ]),
        )
      : h('p', { class: 'hint' }, T('acc_none')),
    h('h3', null, T('acc_entries', { n: view.entries.length })),
    view.entries.length
      ? table(
          ['col_ticket', 'col_person', 'col_group', 'col_office', 'col_target', 'col_entryStatus'],
          view.entries.map((e) => [
            h('span', { class: 'mono' }, e.ticket),
            text(personName(e.personId)),
            e.group
              ? h(
                  'span',
                  { title: e.group.id },
                  live(() => t('acc_family', { n: e.group!.size })),
                )
              : text('–'),
            text(officeName(e.officeId)),
            live(() => formatDate(e.targetDate, { short: true })),
            text(e.status),
          ]),
        )
      : h('p', { class: 'hint' }, T('acc_none')),
    h('h3', null, T('acc_messages', { n: messages.length })),
    messages.length
      ? table(
          ['col_sentAt', 'col_template', 'col_channel', 'col_state'],
          messages.map((m) => [
            h('span', { class: 'nowrap' }, when(m.at)),
            live(templateName(m.template)),
            text(m.channel),
            T(m.state === 'failed' ? 'msg_failed' : 'msg_sent'),
          ]),
        )
      : h('p', { class: 'hint' }, T('acc_none')),
  );
}
