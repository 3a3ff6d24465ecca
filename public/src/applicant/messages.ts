// The messages sent to the applicant (SMS and email), newest first.
import { api } from '../lib/api.ts';
import { h, live, mount } from '../lib/dom.ts';
import { formatClock, formatDate } from '../lib/format.ts';
import { type Key, strings } from '../strings/applicant.ts';
import { optional, sections, T, t } from './shared.ts';

interface Delivery {
  id: string;
  template: string;
  channel: string;
  state: 'sent' | 'failed';
  at: string;
}

export async function refreshMessages(probe = false): Promise<void> {
  if (!probe && !optional.messages) return;
  try {
    const r = await api<{ messages: Delivery[] }>('GET', '/api/me/messages');
    optional.messages = true;
    renderMessages(r.messages);
  } catch {}
}

function renderMessages(list: Delivery[]): void {
  sections.messages.hidden = list.length === 0;
  if (list.length === 0) return;
  const label = (tpl: string) => {
    const key = `tpl_${tpl}` as Key;
    return key in strings.en ? t(key) : tpl;
  };
  mount(
    sections.messages,
    h(
      'details',
      null,
      h('summary', { id: 'messages-h' }, T('messagesCount', { n: list.length })),
      h(
        'ul',
        { class: 'messages plain' },
        ...list.map((m) =>
          h(
            'li',
            null,
            h(
              'span',
              { class: 'meta' },
              live(() => `${formatDate(m.at.slice(0, 10), { short: true })} ${formatClock(new Date(m.at))}`),
            ),
            ' ',
            live(() => label(m.template)),
            h(
              'span',
              { class: 'meta' },
              ` · ${m.channel === 'sms' ? 'SMS' : m.channel === 'email' ? 'Email' : m.channel}`,
            ),
            m.state === 'failed' ? h('span', { class: 'badge badge-lost' }, T('msgFailed')) : null,
          ),
        ),
      ),
    ),
  );
}
