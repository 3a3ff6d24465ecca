// The rules tab: the versioned rules editor with inline validation and a what-if run before saving.
import type { Rules } from '../../../src/domain/rules.ts';
import { standbyAfterMinutes } from '../../../src/domain/standby.ts';
import { ApiFailure, api } from '../lib/api.ts';
import { byId, h, live, liveAttr, mount } from '../lib/dom.ts';
import { busy, type Control, type Field, field, say, statusLine } from '../lib/form.ts';
import { formatInstant } from '../lib/format.ts';
import { formatNumber } from '../lib/i18n.ts';
import type { Key } from '../strings/admin.ts';
import {
  cellField,
  errText,
  input,
  loadOffices,
  noOffice,
  num,
  office,
  panel,
  type RulesVersion,
  T,
  t,
  table,
  weekdayName,
} from './shared.ts';
import { showRuleErrors, whatIfSection } from './what-if.ts';

export async function renderRules(): Promise<void> {
  const o = office();
  if (!o) return noOffice();
  const current = await api<RulesVersion>('GET', `/api/admin/offices/${encodeURIComponent(o.id)}/rules`);
  const r = current.rules;
  const fields: Record<string, Field> = {};
  const scalar = (path: string, label: Key, control: Control, hint?: Key) => {
    const f = field(() => t(label), control, hint ? { hint: () => t(hint) } : {});
    fields[path] = f;
    return f.el;
  };

  // Sessions and categories are rows that can be added and removed; they are re-rendered from a model
  // that is read back from the inputs first, so nothing typed is lost.
  let sessions = r.sessions.map((s) => ({ ...s }));
  let categories = r.priorityCategories.map((c) => ({ ...c }));
  const sessionsBox = h('div', { id: 'sessions-editor' });
  const categoriesBox = h('div', { id: 'categories-editor' });
  const quota = h('p', { class: 'hint' });
  let sessionInputs: { id: Control; start: Control; end: Control; capacity: Control }[] = [];
  let categoryInputs: { id: Control; label: Control; weight: Control; minAge: Control; proof: Control }[] =
    [];

  const readSessions = () =>
    sessionInputs.map((x) => ({
      id: x.id.value.trim(),
      start: x.start.value,
      end: x.end.value,
      capacity: num(x.capacity.value),
    }));
  const readCategories = () =>
    categoryInputs.map((x) => ({
      id: x.id.value.trim(),
      label: x.label.value.trim(),
      weight: num(x.weight.value),
      // A category is by age or by document: an empty cell leaves that key out, as the schema expects.
      ...(x.minAge.value.trim() === '' ? {} : { minAge: num(x.minAge.value) }),
      ...(x.proof.value.trim() === '' ? {} : { proof: x.proof.value.trim() }),
    }));
  const updateQuota = () => {
    const total = readSessions().reduce((s, x) => s + (Number.isFinite(x.capacity) ? x.capacity : 0), 0);
    mount(quota, T('quota', { n: formatNumber(total) }));
  };

  const drawSessions = () => {
    for (const k of Object.keys(fields)) if (k.startsWith('sessions.')) delete fields[k];
    sessionInputs = [];
    const rows = sessions.map((s, i) => {
      const n = i + 1;
      const cells = {
        id: cellField(input('text', s.id, { maxlength: 40 }), () => `${t('col_id')} ${n}`),
        start: cellField(input('time', s.start), () => `${t('col_start')} ${n}`),
        end: cellField(input('time', s.end), () => `${t('col_end')} ${n}`),
        capacity: cellField(
          input('number', s.capacity, { min: 0, max: 10000, step: 1 }),
          () => `${t('col_capacity')} ${n}`,
        ),
      };
      cells.capacity.control.addEventListener('input', updateQuota);
      for (const [k, f] of Object.entries(cells)) fields[`sessions.${i}.${k}`] = f;
      sessionInputs.push({
        id: cells.id.control,
        start: cells.start.control,
        end: cells.end.control,
        capacity: cells.capacity.control,
      });
      const remove = liveAttr(
        h('button', { type: 'button', class: 'secondary small' }, T('remove')),
        'aria-label',
        () => t('removeRow', { n }),
      );
      remove.addEventListener('click', () => {
        sessions = readSessions();
        sessions.splice(i, 1);
        drawSessions();
      });
      return [cells.id.el, cells.start.el, cells.end.el, cells.capacity.el, remove];
    });
    const add = h('button', { type: 'button', class: 'secondary small' }, T('addSession'));
    add.addEventListener('click', () => {
      sessions = readSessions();
      const last = sessions.at(-1);
      sessions.push({ id: `sesi-${sessions.length + 1}`, start: last?.end ?? '08:00', end: '', capacity: 0 });
      drawSessions();
      sessionInputs.at(-1)?.id.focus();
    });
    const wrap = h(
      'div',
      { class: 'rows-table' },
      table(['col_id', 'col_start', 'col_end', 'col_capacity', ''], rows),
    );
    const arrayErr = cellField(h('input', { type: 'hidden' }), () => '');
    fields.sessions = { ...arrayErr, focusTarget: add };
    mount(sessionsBox, wrap, arrayErr.el, add, quota);
    updateQuota();
  };

  const drawCategories = () => {
    for (const k of Object.keys(fields)) if (k.startsWith('priorityCategories.')) delete fields[k];
    categoryInputs = [];
    const rows = categories.map((c, i) => {
      const n = i + 1;
      const cells = {
        id: cellField(input('text', c.id, { maxlength: 40 }), () => `${t('col_id')} ${n}`),
        label: cellField(input('text', c.label, { maxlength: 80 }), () => `${t('col_label')} ${n}`),
        weight: cellField(
          input('number', c.weight, { min: 1, max: 10, step: 0.1 }),
          () => `${t('col_weight')} ${n}`,
        ),
        minAge: cellField(
          input('number', c.minAge ?? '', { min: 1, max: 120, step: 1 }),
          () => `${t('col_minAge')} ${n}`,
        ),
        proof: cellField(input('text', c.proof ?? '', { maxlength: 160 }), () => `${t('col_proof')} ${n}`),
      };
      for (const [k, f] of Object.entries(cells)) fields[`priorityCategories.${i}.${k}`] = f;
      categoryInputs.push({
        id: cells.id.control,
        label: cells.label.control,
        weight: cells.weight.control,
        minAge: cells.minAge.control,
        proof: cells.proof.control,
      });
      const remove = liveAttr(
        h('button', { type: 'button', class: 'secondary small' }, T('remove')),
        'aria-label',
        () => t('removeRow', { n }),
      );
      remove.addEventListener('click', () => {
        categories = readCategories();
        categories.splice(i, 1);
        drawCategories();
      });
      return [cells.id.el, cells.label.el, cells.weight.el, cells.minAge.el, cells.proof.el, remove];
    });
    const add = h('button', { type: 'button', class: 'secondary small' }, T('addCategory'));
    add.addEventListener('click', () => {
      categories = readCategories();
      categories.push({ id: '', label: '', weight: 1.5, proof: '' });
      drawCategories();
      categoryInputs.at(-1)?.id.focus();
    });
    mount(
      categoriesBox,
      h(
        'div',
        { class: 'rows-table' },
        table(['col_id', 'col_label', 'col_weight', 'col_minAge', 'col_proof', ''], rows),
      ),
      h('p', { class: 'hint' }, T('categoryKindHint')),
      add,
    );
  };

  const days = [1, 2, 3, 4, 5, 6, 7].map((d) => {
    const box = h('input', { type: 'checkbox', value: String(d), checked: r.serviceDays.includes(d) });
    return {
      d,
      box,
      el: h(
        'label',
        null,
        box,
        live(() => weekdayName(d)),
      ),
    };
  });
  const daysErr = cellField(h('input', { type: 'hidden' }), () => '');
  const daysSet = h(
    'fieldset',
    { class: 'days-set' },
    h('legend', null, T('f_serviceDays')),
    h('div', { class: 'days' }, ...days.map((x) => x.el)),
    daysErr.el,
  );
  fields.serviceDays = { ...daysErr, el: daysSet, focusTarget: days[0]!.box };

  const holidays = h('textarea', { rows: 4, class: 'mono' });
  holidays.value = r.holidays.join('\n');
  const carry = h('input', { type: 'checkbox', checked: r.carryOverLosers, id: 'carry' });
  const carryErr = cellField(h('input', { type: 'hidden' }), () => '');
  fields.carryOverLosers = { ...carryErr, focusTarget: carry };
  const note = h('input', { type: 'text', maxlength: 500 });
  const status = statusLine();
  status.hidden = true;
  const summary = h('div', { id: 'rules-summary' });
  const save = h('button', { type: 'submit', class: 'primary', id: 'save-rules' }, T('saveRules'));

  const numInput = (v: number, attrs: Record<string, string | number> = {}) => input('number', v, attrs);
  // `read` is defined below; it is only called when the admin presses the button.
  const tryIt = whatIfSection(o, () => read(), fields, summary);
  const form = h(
    'form',
    { novalidate: true, id: 'rules-form' },
    summary,
    h(
      'fieldset',
      null,
      h('legend', null, T('g_schedule')),
      h(
        'div',
        { class: 'grid' },
        scalar('drawTime', 'f_drawTime', input('time', r.drawTime)),
        scalar('daysAhead', 'f_daysAhead', numInput(r.daysAhead, { min: 1, max: 30, step: 1 })),
      ),
      daysSet,
      scalar('holidays', 'f_holidays', holidays),
    ),
    h('fieldset', null, h('legend', null, T('g_sessions')), sessionsBox),
    h(
      'fieldset',
      null,
      h('legend', null, T('g_windows')),
      h(
        'div',
        { class: 'grid' },
        scalar(
          'confirmationWindowHours',
          'f_confirmationWindowHours',
          numInput(r.confirmationWindowHours, { step: 'any' }),
        ),
        scalar(
          'waitlistOfferWindowHours',
          'f_waitlistOfferWindowHours',
          numInput(r.waitlistOfferWindowHours, { step: 'any' }),
        ),
        scalar('cutoffTimeDayBefore', 'f_cutoffTimeDayBefore', input('time', r.cutoffTimeDayBefore)),
        // Empty: the waitlist offer window plus an hour (src/domain/rules.ts).
        scalar(
          'reminderLeadHours',
          'f_reminderLeadHours',
          input('number', r.reminderLeadHours ?? '', {
            step: 'any',
            placeholder: r.waitlistOfferWindowHours + 1,
          }),
        ),
        scalar('checkInGraceMinutes', 'f_checkInGraceMinutes', numInput(r.checkInGraceMinutes, { step: 1 })),
        // Empty: no standby line.
        scalar(
          'standbyAfterMinutes',
          'f_standbyAfterMinutes',
          input('number', standbyAfterMinutes(r) ?? '', { step: 1 }),
        ),
      ),
    ),
    h(
      'fieldset',
      null,
      h('legend', null, T('g_weights')),
      h('h3', null, T('categories')),
      categoriesBox,
      h(
        'div',
        { class: 'grid' },
        scalar('loserBonus.perLoss', 'f_perLoss', numInput(r.loserBonus.perLoss, { step: 'any' })),
        scalar('loserBonus.cap', 'f_cap', numInput(r.loserBonus.cap, { step: 'any' })),
        scalar('noShow.penaltyFactor', 'f_penaltyFactor', numInput(r.noShow.penaltyFactor, { step: 'any' })),
        scalar('noShow.strikeDays', 'f_strikeDays', numInput(r.noShow.strikeDays, { step: 1 })),
        scalar('noShow.strikesForBan', 'f_strikesForBan', numInput(r.noShow.strikesForBan, { step: 1 })),
        scalar('noShow.banDays', 'f_banDays', numInput(r.noShow.banDays, { step: 1 })),
      ),
    ),
    h(
      'fieldset',
      null,
      h('legend', null, T('g_accounts')),
      h(
        'div',
        { class: 'grid' },
        scalar('householdLimit', 'f_householdLimit', numInput(r.householdLimit, { step: 1 })),
        scalar('maxCarryOvers', 'f_maxCarryOvers', numInput(r.maxCarryOvers, { step: 1 })),
      ),
      h('label', { class: 'choice', for: 'carry' }, carry, T('f_carryOverLosers')),
      carryErr.el,
    ),
    tryIt.el,
    scalar('note', 'f_note', note),
    status,
    save,
  );
  drawSessions();
  drawCategories();

  const value = (path: string) => fields[path]!.control.value;
  const read = (): Rules => ({
    drawTime: value('drawTime'),
    daysAhead: num(value('daysAhead')),
    serviceDays: days.filter((x) => x.box.checked).map((x) => x.d),
    holidays: holidays.value
      .split(/[\s,]+/)
      .map((s) => s.trim())
      .filter(Boolean),
    sessions: readSessions(),
    confirmationWindowHours: num(value('confirmationWindowHours')),
    waitlistOfferWindowHours: num(value('waitlistOfferWindowHours')),
    cutoffTimeDayBefore: value('cutoffTimeDayBefore'),
    ...(value('reminderLeadHours').trim() === ''
      ? {}
      : { reminderLeadHours: num(value('reminderLeadHours')) }),
    checkInGraceMinutes: num(value('checkInGraceMinutes')),
    standbyAfterMinutes:
      value('standbyAfterMinutes').trim() === '' ? null : num(value('standbyAfterMinutes')),
    priorityCategories: readCategories(),
    loserBonus: { perLoss: num(value('loserBonus.perLoss')), cap: num(value('loserBonus.cap')) },
    noShow: {
      penaltyFactor: num(value('noShow.penaltyFactor')),
      strikeDays: num(value('noShow.strikeDays')),
      strikesForBan: num(value('noShow.strikesForBan')),
      banDays: num(value('noShow.banDays')),
    },
    householdLimit: num(value('householdLimit')),
    carryOverLosers: carry.checked,
    maxCarryOvers: num(value('maxCarryOvers')),
  });

  form.addEventListener('input', tryIt.formChanged);
  form.addEventListener('change', tryIt.formChanged);
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    for (const f of Object.values(fields)) f.setError(null);
    say(status, null);
    mount(summary);
    const sent = read();
    void busy(save, async () => {
      try {
        const saved = await api<RulesVersion>('PUT', `/api/admin/offices/${encodeURIComponent(o.id)}/rules`, {
          expectedVersion: current.version,
          rules: sent,
          note: note.value.trim(),
        });
        await loadOffices();
        await renderRules();
        say(byId('rules-status'), () => t('saved', { v: saved.version }), 'ok');
      } catch (err) {
        if (err instanceof ApiFailure && err.code === 'stale_version') {
          const reload = h('button', { type: 'button', class: 'secondary small' }, T('reload'));
          reload.addEventListener('click', () => void renderRules());
          mount(
            summary,
            h('div', { class: 'notice error', role: 'alert' }, h('p', null, T('stale')), reload),
          );
          reload.focus();
          return;
        }
        if (err instanceof ApiFailure && err.fields.length) {
          showRuleErrors(err.fields, fields, summary, sent);
          return;
        }
        say(status, errText(err), 'error');
      }
    });
  });
  status.id = 'rules-status';

  mount(
    panel,
    h('h2', null, o.name),
    h(
      'p',
      { class: 'meta' },
      live(() =>
        t('rulesVersion', {
          v: current.version,
          by: current.createdBy,
          at: formatInstant(current.createdAt, o.tz),
        }),
      ),
    ),
    form,
  );
}
