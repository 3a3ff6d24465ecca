// The messages sent to the applicant (SMS and email), newest first.
import { api } from '../lib/api.ts';
import { h, live, mount } from '../lib/dom.ts';
import { formatInstant } from '../lib/format.ts';
import { type Key, strings } from '../strings/applicant.ts';
import { officeById, optional, sections, state, T, t } from './shared.ts';

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

/**
 * How a message reached the applicant, in their words: by SMS or email. A server's delivery channel may
 * be a stand-in (the development outbox); what the applicant signed in with is what they would receive.
 */
function via(channel: string): Key {
  if (channel === 'sms') return 'msgSms';
  if (channel === 'email') return 'msgEmail';
  return state.me?.account.contactKind === 'email' ? 'msgEmail' : 'msgSms';
}

function renderMessages(list: Delivery[]): void {
  sections.messages.hidden = list.length === 0;
  if (list.length === 0) return;
  // Messages belong to no office; their times are read in the zone of the applicant's latest entry,
  // else WIB. Formatted from the instant, so 06:30 WIB on the 9th never shows the UTC date, the 8th.
  const latest = [...state.entries].sort((a, b) => (a.createdAt < b.createdAt ? 1 : -1))[0];
  const tz = (latest && officeById(latest.officeId)?.tz) || 'Asia/Jakarta';
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
              live(() => formatInstant(m.at, tz)),
            ),
            ' ',
            live(() => label(m.template)),
            h('span', { class: 'meta' }, ' · ', T(via(m.channel))),
            m.state === 'failed' ? h('span', { class: 'badge badge-lost' }, T('msgFailed')) : null,
          ),
        ),
      ),
    ),
  );
}
