// The public-entropy part of the draws tab.
import { ApiFailure, api } from '../lib/api.ts';
import { byId, h, live } from '../lib/dom.ts';
import { busy, field, say, statusLine } from '../lib/form.ts';
import { formatDate } from '../lib/format.ts';
import { type AdminOffice, type DrawRow, errText, nav, T, t } from './shared.ts';

// ---- public entropy ----
/**
 * A value nobody can know in advance (announced beforehand by its source: "the IDX close on the draw day"),
 * mixed into the secret seed before the draw closes, so even the office cannot steer the result.
 */
export function entropySection(
  o: AdminOffice,
  draws: DrawRow[],
  renderDraws: () => Promise<void>,
): HTMLElement {
  const open = draws.find((d) => d.status === 'open');
  const box = h(
    'section',
    { id: 'entropy', 'aria-labelledby': 'entropy-h', class: 'subsection' },
    h('h3', { id: 'entropy-h' }, T('entropyTitle')),
    h('p', { class: 'hint' }, T('entropyIntro')),
  );
  if (!open) {
    box.append(h('p', { class: 'meta' }, T('entropyNoOpen')));
    return box;
  }
  const value = field(
    () => t('entropyLabel'),
    h('input', { type: 'text', name: 'entropy', maxlength: 512, autocomplete: 'off', spellcheck: 'false' }),
    { hint: () => t('entropyHint') },
  );
  const status = statusLine();
  status.hidden = true;
  status.id = 'entropy-status';
  const save = h('button', { type: 'submit', class: 'primary', id: 'entropy-save' }, T('entropySave'));
  const form = h('form', { novalidate: true, id: 'entropy-form' }, value.el, status, save);
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    value.setError(null);
    say(status, null);
    void busy(save, async () => {
      try {
        await api(
          'POST',
          `/api/admin/draws/${encodeURIComponent(o.id)}/dates/${encodeURIComponent(open.drawDate)}/entropy`,
          { value: value.control.value.trim() },
        );
        await renderDraws();
        say(byId('entropy-status'), () => t('entropySaved', { date: formatDate(open.drawDate) }), 'ok');
      } catch (err) {
        if (err instanceof ApiFailure && err.status === 401) return nav.showSignIn();
        if (err instanceof ApiFailure && (err.fields.length || err.code === 'draw_not_open')) {
          value.setError(() => t(err.code === 'draw_not_open' ? 'err_draw_not_open' : 'err_entropyRule'));
          value.control.focus();
          return;
        }
        say(status, errText(err), 'error');
      }
    });
  });
  box.append(
    h(
      'dl',
      { class: 'kv' },
      h('dt', null, T('entropyDraw')),
      h(
        'dd',
        null,
        live(() => formatDate(open.drawDate)),
      ),
      h('dt', null, T('entropyCurrent')),
      h(
        'dd',
        { id: 'entropy-current' },
        open.publicEntropy
          ? h('code', { class: 'hash' }, open.publicEntropy)
          : h('span', { class: 'meta' }, T('entropyNone')),
      ),
    ),
    form,
  );
  return box;
}
