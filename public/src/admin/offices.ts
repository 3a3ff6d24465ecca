// The offices tab: editing the chosen office and creating new ones.
import { ApiFailure, api } from '../lib/api.ts';
import { byId, h, mount } from '../lib/dom.ts';
import { busy, type Field, field, say, showFieldErrors, statusLine } from '../lib/form.ts';
import { zoneLabel } from '../lib/format.ts';
import type { Key } from '../strings/admin.ts';
import {
  type AdminOffice,
  errText,
  fillOfficeSelect,
  loadOffices,
  nav,
  office,
  panel,
  remember,
  state,
  T,
  t,
} from './shared.ts';

// ---- offices ----
/** The zones of Indonesia: WIB (west), WITA (central), WIT (east); Pontianak is WIB too. */
const ZONES = [
  ['Asia/Jakarta', 7],
  ['Asia/Pontianak', 7],
  ['Asia/Makassar', 8],
  ['Asia/Jayapura', 9],
] as const;

/** Server field paths ("office.id", "name") to the fields of a form, with our own wording per field. */
const OFFICE_FIELD_ERRORS: Record<string, Key> = {
  id: 'err_officeId',
  name: 'err_officeName',
  address: 'err_officeAddress',
  tz: 'err_officeTz',
};

function showOfficeErrors(err: ApiFailure, fields: Record<string, Field>, status: HTMLElement): void {
  if (err.code === 'conflict' && fields.id) {
    fields.id.setError(() => t('err_conflict'));
    fields.id.control.focus();
    return;
  }
  const mapped = err.fields.map((e) => ({ ...e, path: e.path.replace(/^office\./, '') }));
  const unmatched = showFieldErrors(mapped, fields, (e) => {
    const key = OFFICE_FIELD_ERRORS[e.path];
    return key ? () => t(key) : () => e.message;
  });
  if (unmatched.length || !mapped.length) say(status, errText(err), 'error');
}

export async function renderOffices(): Promise<void> {
  const o = office();
  mount(panel, o ? officeEditForm(o) : h('p', { class: 'hint' }, T('noOfficesYet')), officeCreateForm());
}

function officeEditForm(o: AdminOffice): HTMLElement {
  const fields: Record<string, Field> = {
    name: field(
      () => t('f_officeName'),
      h('input', { type: 'text', name: 'name', maxlength: 120, value: o.name }),
    ),
    address: field(
      () => t('f_officeAddress'),
      h('textarea', { name: 'address', rows: 2, maxlength: 300 }, o.address),
    ),
  };
  const status = statusLine();
  status.hidden = true;
  status.id = 'office-edit-status';
  const save = h('button', { type: 'submit', class: 'primary', id: 'office-save' }, T('officeSave'));
  const form = h(
    'form',
    { novalidate: true, id: 'office-edit' },
    fields.name!.el,
    fields.address!.el,
    status,
    save,
  );
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    for (const f of Object.values(fields)) f.setError(null);
    say(status, null);
    void busy(save, async () => {
      try {
        await api('PATCH', `/api/admin/offices/${encodeURIComponent(o.id)}`, {
          name: fields.name!.control.value.trim(),
          address: fields.address!.control.value.trim(),
        });
        await loadOffices();
        fillOfficeSelect();
        await renderOffices();
        say(byId('office-edit-status'), () => t('officeSaved'), 'ok');
        byId('office-save').focus();
      } catch (err) {
        if (err instanceof ApiFailure && err.status === 401) return nav.showSignIn();
        if (err instanceof ApiFailure) showOfficeErrors(err, fields, status);
        else say(status, errText(err), 'error');
      }
    });
  });
  return h(
    'section',
    { 'aria-labelledby': 'office-edit-h', class: 'subsection' },
    h('h2', { id: 'office-edit-h', tabindex: '-1' }, T('officeEditTitle')),
    h(
      'dl',
      { class: 'kv' },
      h('dt', null, T('k_officeId')),
      h('dd', null, h('code', null, o.id)),
      h('dt', null, T('f_officeTz')),
      h('dd', null, `${o.tz} (${zoneLabel(o.tz)})`),
    ),
    form,
  );
}

function officeCreateForm(): HTMLElement {
  const tz = h(
    'select',
    { name: 'tz' },
    ...ZONES.map(([zone, offset]) =>
      h('option', { value: zone }, `${zone} – ${zoneLabel(zone)} (UTC+${offset})`),
    ),
  );
  const fields: Record<string, Field> = {
    id: field(
      () => t('f_officeId'),
      h('input', {
        type: 'text',
        name: 'id',
        maxlength: 40,
        autocapitalize: 'off',
        autocomplete: 'off',
        spellcheck: 'false',
      }),
      { hint: () => t('f_officeIdHint') },
    ),
    name: field(() => t('f_officeName'), h('input', { type: 'text', name: 'name', maxlength: 120 }), {
      hint: () => t('f_officeNameHint'),
    }),
    address: field(() => t('f_officeAddress'), h('textarea', { name: 'address', rows: 2, maxlength: 300 })),
    tz: field(() => t('f_officeTz'), tz, { hint: () => t('f_officeTzHint') }),
  };
  const status = statusLine();
  status.hidden = true;
  status.id = 'office-create-status';
  const create = h(
    'button',
    { type: 'submit', class: 'primary', id: 'office-create-btn' },
    T('officeCreate'),
  );
  const form = h(
    'form',
    { novalidate: true, id: 'office-create' },
    fields.id!.el,
    fields.name!.el,
    fields.address!.el,
    fields.tz!.el,
    h('p', { class: 'hint' }, T('officeRulesNote')),
    status,
    create,
  );
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    for (const f of Object.values(fields)) f.setError(null);
    say(status, null);
    const value = (k: string) => fields[k]!.control.value.trim();
    void busy(create, async () => {
      try {
        // Checked by the server only: one set of rules, and its answer lands next to each field.
        const r = await api<{ office: { id: string; name: string } }>('POST', '/api/admin/offices', {
          office: { id: value('id'), name: value('name'), address: value('address'), tz: tz.value },
        });
        await loadOffices();
        state.officeId = r.office.id;
        fillOfficeSelect();
        remember();
        await renderOffices();
        say(byId('office-edit-status'), () => t('officeCreated', { name: r.office.name }), 'ok');
        byId('office-edit-h').focus();
      } catch (err) {
        if (err instanceof ApiFailure && err.status === 401) return nav.showSignIn();
        if (err instanceof ApiFailure) showOfficeErrors(err, fields, status);
        else say(status, errText(err), 'error');
      }
    });
  });
  return h(
    'section',
    { 'aria-labelledby': 'office-create-h', class: 'subsection', id: 'office-new' },
    h('h2', { id: 'office-create-h' }, T('officeCreateTitle')),
    form,
  );
}
