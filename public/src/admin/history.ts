// The history tab: every version of an office's rules, newest first, with what changed in words.
import { api } from '../lib/api.ts';
import { h, live, mount } from '../lib/dom.ts';
import { formatInstant } from '../lib/format.ts';
import { changeList, refine } from './changes.ts';
import { noOffice, office, panel, type RulesVersion, T, t } from './shared.ts';

export async function renderHistory(): Promise<void> {
  const o = office();
  if (!o) return noOffice();
  const { versions } = await api<{ versions: RulesVersion[] }>(
    'GET',
    `/api/admin/offices/${encodeURIComponent(o.id)}/rules/history`,
  );
  const list = [...versions].reverse();
  mount(
    panel,
    h('h2', null, o.name),
    list.length === 0
      ? h('p', { class: 'hint' }, T('historyEmpty'))
      : h(
          'ol',
          { class: 'history plain', reversed: true },
          ...list.map((v) =>
            h(
              'li',
              { 'data-version': v.version },
              h(
                'h3',
                null,
                live(() =>
                  t('versionHead', { v: v.version, at: formatInstant(v.createdAt, o.tz), by: v.createdBy }),
                ),
              ),
              v.note ? h('p', null, v.note === 'initial rules' ? T('initial') : v.note) : null,
              v.version === 1
                ? null
                : v.changes.length === 0
                  ? h('p', { class: 'hint' }, T('noChanges'))
                  : changeList(v.changes.flatMap(refine)),
            ),
          ),
        ),
  );
}
