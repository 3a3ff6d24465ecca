// The figures tab: per-day charts of entries, fill, confirmation, show-up, forfeits and waitlist use.
import { api } from '../lib/api.ts';
import { barChart } from '../lib/chart.ts';
import { h, live, mount } from '../lib/dom.ts';
import { field } from '../lib/form.ts';
import { formatDate } from '../lib/format.ts';
import { formatNumber, locale, onLangChange } from '../lib/i18n.ts';
import type { Key } from '../strings/admin.ts';
import { type DayStats, nav, noOffice, office, panel, percent, T, t, table } from './shared.ts';

// ---- figures per day ----
const STATS_DAYS = [7, 30, 90];
let statsDays = 30;
/** Redraws the charts of the stats tab (their SVG text is not live): set while that tab shows. */
let redrawCharts: (() => void) | null = null;
onLangChange(() => redrawCharts?.());

/** The charts' redraw stops when another tab replaces them. */
export function stopCharts(): void {
  redrawCharts = null;
}

const dayMonth = (ymd: string) =>
  new Intl.DateTimeFormat(locale(), { day: 'numeric', month: 'short', timeZone: 'UTC' }).format(
    new Date(`${ymd}T12:00:00Z`),
  );
const orDash = (v: number | null, f: (v: number) => string) => (v === null ? '–' : f(v));

type RateKey = 'fillRate' | 'confirmationRate' | 'showRate';
type CountKey = 'entries' | 'forfeits';

export async function renderStats(): Promise<void> {
  const o = office();
  if (!o) return noOffice();
  const days = await api<{ days: DayStats[] }>(
    'GET',
    `/api/admin/draws/${encodeURIComponent(o.id)}/stats?days=${statsDays}`,
  ).then((r) => r.days);

  const period = h(
    'select',
    { name: 'days' },
    ...STATS_DAYS.map((n) =>
      h('option', { value: n, selected: n === statsDays }, T('statsDaysOption', { n })),
    ),
  );
  period.addEventListener('change', () => {
    statsDays = Number(period.value);
    void nav.showTab().then(() => document.querySelector<HTMLSelectElement>('#stats select')?.focus());
  });

  const charts = h('div', { class: 'charts' });
  const draw = () => {
    const labels = days.map((d) => dayMonth(d.targetDate));
    const tip = (i: number, value: string) => `${formatDate(days[i]!.targetDate, { short: true })}: ${value}`;
    const figure = (id: string, title: Key, about: Key, summary: () => string, svg: SVGSVGElement) =>
      h(
        'figure',
        { class: 'chart-box', id: `chart-${id}` },
        h(
          'figcaption',
          null,
          h('strong', null, T(title)),
          h('span', { class: 'meta' }, T(about)),
          live(summary),
        ),
        svg,
      );
    const count = (k: CountKey, title: Key, about: Key) => {
      const values = days.map((d) => d[k]);
      return figure(
        k,
        title,
        about,
        () =>
          t('sumCount', {
            total: formatNumber(values.reduce((a, b) => a + b, 0)),
            last: formatNumber(values.at(-1) ?? 0),
          }),
        barChart({
          labels,
          values,
          format: formatNumber,
          describe: (i) => tip(i, formatNumber(values[i]!)),
          className: 'chart-count',
        }),
      );
    };
    const rate = (k: RateKey, title: Key, about: Key) => {
      const values = days.map((d) => d[k]);
      const known = values.filter((v): v is number => v !== null);
      return figure(
        k,
        title,
        about,
        () =>
          t('sumRate', {
            avg: known.length ? percent(known.reduce((a, b) => a + b, 0) / known.length) : '–',
            last: orDash(values.at(-1) ?? null, percent),
          }),
        barChart({
          labels,
          values,
          max: 1,
          format: percent,
          describe: (i) => tip(i, orDash(values[i]!, percent)),
          className: 'chart-rate',
        }),
      );
    };
    const used = days.map((d) => d.waitlistOffersUsed);
    const offered = days.map((d) => d.waitlistOffers);
    mount(
      charts,
      count('entries', 'chart_entries', 'chart_entries_d'),
      rate('fillRate', 'chart_fillRate', 'chart_fillRate_d'),
      rate('confirmationRate', 'chart_confirmationRate', 'chart_confirmationRate_d'),
      rate('showRate', 'chart_showRate', 'chart_showRate_d'),
      count('forfeits', 'chart_forfeits', 'chart_forfeits_d'),
      figure(
        'waitlist',
        'chart_waitlist',
        'chart_waitlist_d',
        () =>
          t('sumWaitlist', {
            used: formatNumber(used.reduce((a, b) => a + b, 0)),
            offered: formatNumber(offered.reduce((a, b) => a + b, 0)),
          }),
        barChart({
          labels,
          values: used,
          back: offered,
          format: formatNumber,
          describe: (i) =>
            tip(i, t('sumWaitlist', { used: formatNumber(used[i]!), offered: formatNumber(offered[i]!) })),
          className: 'chart-count',
        }),
      ),
    );
  };

  const rows = days.map((d) => [
    h(
      'span',
      { class: 'nowrap' },
      live(() => formatDate(d.targetDate, { short: true })),
    ),
    ...[d.entries, d.quota, d.offers, d.confirmed, d.checkedIn, d.noShows, d.forfeits, d.cancellations].map(
      (n) => document.createTextNode(formatNumber(n)),
    ),
    document.createTextNode(`${formatNumber(d.waitlistOffersUsed)} / ${formatNumber(d.waitlistOffers)}`),
    ...[d.fillRate, d.confirmationRate, d.showRate].map((v) => live(() => orDash(v, percent))),
  ]);

  mount(
    panel,
    h(
      'section',
      { id: 'stats', 'aria-labelledby': 'stats-h' },
      h('h2', { id: 'stats-h' }, o.name),
      h('p', { class: 'meta' }, T('statsIntro')),
      h('div', { class: 'toolbar' }, field(() => t('statsPeriod'), period).el),
      days.length === 0 ? h('p', { class: 'hint' }, T('statsEmpty')) : charts,
      days.length === 0
        ? null
        : h(
            'details',
            { class: 'stats-table' },
            h('summary', null, T('statsTable')),
            table(
              [
                'col_target',
                'col_entries',
                'col_quota',
                'col_offers',
                'col_confirmed',
                'col_checkedIn',
                'col_noShows',
                'col_forfeits',
                'col_cancellations',
                'col_waitlistUsed',
                'col_fill',
                'col_confirm',
                'col_show',
              ],
              rows,
              [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12],
            ),
          ),
    ),
  );
  if (days.length) {
    draw();
    redrawCharts = draw;
  }
}
