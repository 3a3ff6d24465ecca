// The household's persons: the list and the form to add one.
import { ApiFailure, api } from '../lib/api.ts';
import { h, live, mount } from '../lib/dom.ts';
import { busy, clearErrors, type Field, field, say, showFieldErrors, statusLine } from '../lib/form.ts';
import { formatDate } from '../lib/format.ts';
import { type Key, serverMessages } from '../strings/applicant.ts';
import { renderWho } from './join.ts';
import { categoryLabel, errText, handleFormError, type Person, sections, state, T, t } from './shared.ts';

// ---- persons ----
const personsList = h('ul', { class: 'persons' });

const refusedBox = h('div', { id: 'identity-refused', role: 'status' });

export function renderPersons(): void {
  mount(
    refusedBox,
    ...(state.me?.identityRefused ?? []).map((r) =>
      h(
        'p',
        { class: 'warn' },
        live(() =>
          t('identityRefused', { name: r.name, date: formatDate(r.at.slice(0, 10), { weekday: false }) }),
        ),
      ),
    ),
  );
  if (state.persons.length === 0) mount(personsList, h('li', { class: 'empty' }, T('personsEmpty')));
  else
    mount(
      personsList,
      ...state.persons.map((p) =>
        h(
          'li',
          null,
          h('strong', null, p.name),
          h('span', { class: 'meta mono' }, ` ${p.nikMasked}`),
          h(
            'span',
            { class: 'meta' },
            ' · ',
            live(() => t('bornOn', { date: formatDate(p.birthDate, { weekday: false }) })),
          ),
          p.category
            ? h(
                'span',
                { class: 'badge badge-cat' },
                live(() => categoryLabel(p.category!, p.category!)),
              )
            : null,
          // Bound before the registry was configured: only entering the NIK again can check it (not kept).
          p.identity === 'shape' && state.me?.identityCheck === 'registry'
            ? h('p', { class: 'hint identity-unchecked' }, T('identityUnchecked'))
            : null,
        ),
      ),
    );
  if (!sections.persons.hasChildNodes()) buildPersonsSection();
}

function buildPersonsSection(): void {
  const nik = field(
    () => t('nikLabel'),
    h('input', {
      type: 'text',
      name: 'nik',
      inputmode: 'numeric',
      autocomplete: 'off',
      maxlength: 24,
      class: 'mono',
      required: true,
    }),
  );
  const name = field(
    () => t('nameLabel'),
    h('input', { type: 'text', name: 'name', autocomplete: 'name', maxlength: 100, required: true }),
  );
  const birth = field(
    () => t('birthLabel'),
    h('input', { type: 'date', name: 'birthDate', required: true, min: '1900-01-01' }),
  );
  // Only categories claimed with a document: age priority comes from the NIK, nobody ticks it.
  const categories = new Map<string, string>();
  const proofs = new Map<string, string>();
  for (const o of state.offices)
    for (const c of o.priorityCategories) {
      if (c.minAge !== null || categories.has(c.id)) continue;
      categories.set(c.id, c.label);
      if (c.proof) proofs.set(c.id, c.proof);
    }
  const select = h(
    'select',
    { name: 'category' },
    h('option', { value: '' }, T('categoryNone')),
    ...[...categories].map(([id, label]) =>
      h(
        'option',
        { value: id },
        live(() => categoryLabel(id, label)),
      ),
    ),
  );
  const categoryHint = () => {
    const doc = proofs.get((select as HTMLSelectElement).value);
    return doc ? t('categoryProof', { doc }) : t('categoryHint');
  };
  const category = field(() => t('categoryLabel'), select, { hint: categoryHint });
  // The hint names the document to bring for the category chosen (its text node stays bound to the language).
  select.addEventListener('change', () => {
    const node = category.el.querySelector('.hint')?.firstChild;
    if (node instanceof Text) node.data = categoryHint();
  });
  const fields: Record<string, Field> = { nik, name, birthDate: birth, category };
  const status = statusLine();
  status.hidden = true;
  const added = statusLine();
  added.hidden = true;
  added.id = 'person-added';
  const submit = h('button', { type: 'submit', class: 'primary' }, T('addPerson'));
  const form = h(
    'form',
    { novalidate: true, id: 'person-form' },
    nik.el,
    name.el,
    birth.el,
    categories.size ? category.el : null,
    status,
    submit,
  );
  const details = h(
    'details',
    { class: 'add-person', open: state.persons.length === 0 },
    h('summary', null, T('addPersonTitle')),
    form,
  );
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    clearErrors(fields);
    say(status, null);
    say(added, null);
    void busy(submit, async () => {
      try {
        const res = await api<{ person: Person }>('POST', '/api/me/persons', {
          nik: nik.control.value,
          name: name.control.value,
          birthDate: birth.control.value,
          category: select.value || null,
        });
        const existed = state.persons.some((p) => p.id === res.person.id);
        if (!existed) {
          state.persons.push(res.person);
          if (state.me) state.me.identityRefused = [];
        } else state.persons = state.persons.map((p) => (p.id === res.person.id ? res.person : p));
        form.reset();
        renderPersons();
        renderWho();
        const personName = res.person.name;
        // The form folds away so the next step, entering a draw, is what comes next on a small screen.
        details.open = false;
        const said =
          res.person.identity === 'provisional'
            ? 'personProvisional'
            : existed
              ? 'personExisted'
              : 'personAdded';
        say(added, () => t(said, { name: personName }), 'ok');
        details.querySelector('summary')?.focus();
      } catch (err) {
        const fallback: Key =
          err instanceof ApiFailure && (err.code === 'nik_taken' || err.code === 'identity_no_match')
            ? err.code
            : 'name_invalid';
        if (err instanceof ApiFailure && err.fields.length) {
          // Zod reports per field; give each field its own fallback wording.
          const byField: Record<string, Key> = {
            nik: 'nik_digits',
            birthDate: 'nik_birth_real',
            name: fallback,
          };
          const unmatched = showFieldErrors(err.fields, fields, (e) => {
            const key = serverMessages[e.message] ?? byField[e.path] ?? 'err_invalid_input';
            return () => t(key);
          });
          if (unmatched.length) say(status, errText(err), 'error');
          return;
        }
        handleFormError(err, fields, status, fallback);
      }
    });
  });
  mount(
    sections.persons,
    h('h2', { id: 'persons-h' }, T('personsTitle')),
    h('p', { class: 'hint' }, T('personsHint')),
    refusedBox,
    personsList,
    added,
    details,
  );
}
