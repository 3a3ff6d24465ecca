// The messages tab: the latest messages the server sent, as a table, each account a link to it.
import { api } from '../lib/api.ts';
import { h, live, mount } from '../lib/dom.ts';
import { formatInstant } from '../lib/format.ts';
import { templateName } from './accounts.ts';
import { panel, T, t, table } from './shared.ts';

interface SentMessage {
  id: string;
  channel: string;
  to: string | null;
  template: string;
  subject: string | null;
  text: string | null;
  accountId: string | null;
  sentAt: string;
}

/** A link to an account on the accounts tab. */
export function accountLink(id: string): HTMLAnchorElement {
  const q = new URLSearchParams({ tab: 'accounts', account: id });
  return h('a', { href: `/admin?${q}`, class: 'mono account-link' }, id);
}

export async function renderMessages(): Promise<void> {
  const { messages } = await api<{ messages: SentMessage[] }>('GET', '/api/admin/outbox?limit=100');
  // Newest first, as the server reads them from the end of the outbox.
  const rows = messages.map((m) => [
    h(
      'span',
      { class: 'nowrap' },
      live(() => formatInstant(m.sentAt, 'Asia/Jakarta')),
    ),
    live(templateName(m.template)),
    document.createTextNode(m.channel === 'email' ? 'Email' : 'SMS'),
    h('span', { class: 'mono' }, m.to ?? '–'),
    m.text === null
      ? h('span', { class: 'meta' }, T('msg_hidden'))
      : h('span', { class: 'msg-text' }, m.text),
    m.accountId ? accountLink(m.accountId) : document.createTextNode('–'),
  ]);
  mount(
    panel,
    h('h2', null, T('msg_title')),
    h(
      'p',
      { class: 'hint' },
      live(() => t('msg_intro')),
    ),
    rows.length
      ? table(['col_sentAt', 'col_template', 'col_channel', 'col_to', 'col_text', 'col_account'], rows)
      : h('p', { class: 'hint' }, T('msg_empty')),
  );
}
