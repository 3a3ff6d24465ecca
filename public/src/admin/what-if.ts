// What-if: the form's rules next to the current ones, simulated on the office's recent demand.
import type { Rules } from '../../../src/domain/rules.ts';
// What-if: the form's rules next to the current ones, simulated on the office's recent demand.
import { ApiFailure, api, type FieldError } from '../lib/api.ts';
import { h, live, mount } from '../lib/dom.ts';
import { busy, type Field, field, say, showFieldErrors, statusLine } from '../lib/form.ts';
import { formatNumber } from '../lib/i18n.ts';
import type { Key } from '../strings/admin.ts';
import { changeList, refine } from './changes.ts';
import { fieldLabel, ruleErrorText } from './rule-words.ts';
import { type AdminOffice, errText, percent, type RulesChange, T, t } from './shared.ts';

// ---- what-if: the form's rules next to the current ones, simulated on the office's recent demand ----
type PolicyOutcome = import('../../../src/sim/outcome.ts').PolicyOutcome;
type WhatIfResult = import('../../../src/sim/what-if.ts').WhatIfResult & {
  currentRulesVersion: number;
  changes: RulesChange[];
};

const WHAT_IF_DAYS = [7, 14, 30];

/** "+3 pp", "−1": a change next to the proposed figure. */
function delta(d: number, f: (abs: number) => string): string {
  return `${d > 0 ? '+' : '−'}${f(Math.abs(d))}`;
}

function whatIfTable(r: WhatIfResult): HTMLElement {
  const pp = (x: number) => t('wi_points', { d: formatNumber(Math.round(x * 1000) / 10) });
  const plain = (x: number) => formatNumber(x);
  type Measure = {
    key: Key;
    get: (p: PolicyOutcome) => number;
    format: (v: number) => string;
    unit: (d: number) => string;
  };
  const share = (key: Key, get: Measure['get']): Measure => ({ key, get, format: percent, unit: pp });
  const days = (key: Key, get: Measure['get']): Measure => ({
    key,
    get,
    format: (v) => t('wi_daysValue', { n: formatNumber(v) }),
    unit: plain,
  });
  const count = (key: Key, get: Measure['get']): Measure => ({ key, get, format: plain, unit: plain });
  const counter = (name: string) => (p: PolicyOutcome) => p.counters[name] ?? 0;
  const has = (name: string) => name in r.current.counters || name in r.proposed.counters;
  const rows = [
    count('wi_capacity', (p) => p.capacity),
    share('wi_used', (p) => p.slotsUsedShare),
    share('wi_held', (p) => p.slotsHeldShare),
    share('wi_broker', (p) => p.brokerSlotShare),
    share('wi_served', (p) => p.servedShare),
    days('wi_waitMedian', (p) => p.waitMedianDays),
    days('wi_waitP95', (p) => p.waitP95Days),
    has('forfeits') ? count('wi_forfeits', counter('forfeits')) : null,
    has('waitlistOffers') ? count('wi_waitlistOffers', counter('waitlistOffers')) : null,
    has('noShows') ? count('wi_noShows', counter('noShows')) : null,
  ].filter((x): x is Measure => x !== null);
  return h(
    'div',
    { class: 'table-wrap whatif-table' },
    h(
      'table',
      null,
      h('caption', { class: 'sr-only' }, T('wi_resultTitle')),
      h(
        'thead',
        null,
        h(
          'tr',
          null,
          h('th', { scope: 'col' }, T('wi_measure')),
          h('th', { scope: 'col', class: 'num' }, T('wi_current')),
          h('th', { scope: 'col', class: 'num' }, T('wi_proposed')),
        ),
      ),
      h(
        'tbody',
        null,
        ...rows.map((m) => {
          const a = m.get(r.current);
          const b = m.get(r.proposed);
          return h(
            'tr',
            { 'data-measure': m.key.slice(3) },
            h('th', { scope: 'row' }, T(m.key)),
            h(
              'td',
              { class: 'num' },
              live(() => m.format(a)),
            ),
            h(
              'td',
              { class: 'num' },
              live(() => m.format(b)),
              Math.abs(b - a) < 1e-9
                ? null
                : h(
                    'span',
                    { class: 'delta' },
                    live(() => delta(b - a, m.unit)),
                  ),
            ),
          );
        }),
      ),
    ),
  );
}

/** "Try it first": sends the form's rules, unsaved, to the what-if endpoint and shows both outcomes. */
export function whatIfSection(
  o: AdminOffice,
  read: () => Rules,
  fields: Record<string, Field>,
  summary: HTMLElement,
): { el: HTMLElement; formChanged: () => void } {
  const daysSelect = h(
    'select',
    { id: 'whatif-days' },
    ...WHAT_IF_DAYS.map((n) =>
      h(
        'option',
        { value: String(n) },
        live(() => t('wi_daysOption', { n })),
      ),
    ),
  );
  daysSelect.value = '7';
  const daysField = field(() => t('wi_days'), daysSelect);
  const run = h('button', { type: 'button', class: 'secondary', id: 'whatif-run' }, T('wi_run'));
  const status = statusLine();
  status.id = 'whatif-status';
  status.hidden = true;
  // The busy line, then the outcome, are announced politely as they replace each other.
  const result = h('div', { id: 'whatif-result', 'aria-live': 'polite' });
  const stale = h('p', { class: 'warn', hidden: true }, T('wi_stale'));
  let shown = false;

  const showResult = (r: WhatIfResult) => {
    const demand = () =>
      r.demand.source === 'recent-draws'
        ? t('wi_demandRecent', {
            n: formatNumber(r.demand.entriesPerDraw),
            draws: formatNumber(r.demand.draws),
          })
        : t('wi_demandDefault', { n: formatNumber(r.demand.entriesPerDraw) });
    const changes = r.changes.flatMap(refine);
    stale.hidden = true;
    mount(
      result,
      h('h4', null, T('wi_resultTitle')),
      stale,
      h(
        'p',
        { class: 'notice info' },
        live(() => t('wi_note', { days: formatNumber(r.days), demand: demand(), v: r.currentRulesVersion })),
        r.demand.scale < 1 ? [' ', live(() => t('wi_scaled', { pct: percent(r.demand.scale) }))] : null,
      ),
      whatIfTable(r),
      changes.length === 0
        ? h('p', { class: 'hint' }, T('wi_noChanges', { v: r.currentRulesVersion }))
        : h('div', { class: 'hint whatif-changes' }, h('p', null, T('wi_changes')), changeList(changes)),
    );
    shown = true;
  };

  run.addEventListener('click', () => {
    if (run.disabled) return;
    for (const f of Object.values(fields)) f.setError(null);
    mount(summary);
    say(status, null);
    const days = Number(daysSelect.value);
    const rules = read();
    // In place of the previous outcome: a spinner, what is happening, and the seconds so far (not read out).
    const started = Date.now();
    const seconds = h('span', { class: 'elapsed', 'aria-hidden': 'true' });
    const tick = () =>
      mount(seconds, t('wi_elapsed', { s: formatNumber(Math.floor((Date.now() - started) / 1000)) }));
    tick();
    const timer = setInterval(tick, 1000);
    shown = false;
    result.setAttribute('aria-busy', 'true');
    mount(
      result,
      h(
        'p',
        { class: 'whatif-busy' },
        h('span', { class: 'spinner', 'aria-hidden': 'true' }),
        h('span', null, T('wi_running', { days: formatNumber(days) })),
        seconds,
      ),
    );
    void busy(run, async () => {
      try {
        showResult(
          await api<WhatIfResult>('POST', `/api/admin/offices/${encodeURIComponent(o.id)}/what-if`, {
            rules,
            days,
          }),
        );
      } catch (err) {
        mount(result);
        if (err instanceof ApiFailure && err.fields.length) {
          showRuleErrors(err.fields, fields, summary, rules);
          return;
        }
        const message =
          err instanceof ApiFailure && err.code === 'busy'
            ? () => t('err_whatif_busy')
            : err instanceof ApiFailure && err.status === 503
              ? () => t('err_whatif_unavailable')
              : errText(err);
        say(status, message, 'error');
      } finally {
        clearInterval(timer);
        result.removeAttribute('aria-busy');
      }
    });
  });

  const el = h(
    'section',
    { class: 'whatif', id: 'whatif', 'aria-labelledby': 'whatif-title' },
    h('h3', { id: 'whatif-title' }, T('wi_title')),
    h('p', { class: 'hint' }, T('wi_intro')),
    h('div', { class: 'toolbar' }, daysField.el, run),
    status,
    result,
  );
  return {
    el,
    formChanged: () => {
      if (shown) stale.hidden = false;
    },
  };
}

/** Server paths look like rules.sessions.0.capacity; an error on holidays.3 belongs to the textarea. */
export function showRuleErrors(
  errors: FieldError[],
  fields: Record<string, Field>,
  summary: HTMLElement,
  sent?: Rules,
): void {
  const mapped = errors.map((e) => {
    let path = e.path.replace(/^rules\./, '');
    while (!fields[path] && path.includes('.')) path = path.slice(0, path.lastIndexOf('.'));
    return { ...e, path: fields[path] ? path : e.path, original: e.path };
  });
  // Next to the field its message alone; in the summary, which field it is, in words.
  const unmatched = showFieldErrors(mapped, fields, (e) => () => ruleErrorText(e));
  const rows = sent as unknown as { sessions?: Record<string, unknown>[] } | undefined;
  const list = h(
    'ul',
    null,
    ...mapped.map((e) =>
      h(
        'li',
        null,
        live(() => `${fieldLabel(e.original, rows)}: ${ruleErrorText(e)}`),
      ),
    ),
  );
  mount(summary, h('div', { class: 'notice error', role: 'alert' }, h('p', null, T('fixFields')), list));
  if (unmatched.length === mapped.length) summary.focus();
}
