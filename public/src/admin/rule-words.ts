// Rules in words, for admins who explain every decision to the press: a change reads "Capacity of session
// 1 (08.00–10.00): 50 → 30", not `sessions.0.capacity`; a refused value reads "Session 1 · End: must be
// after the start", not `rules.sessions.0.end: end must be after start`.
import type { FieldError } from '../lib/api.ts';
import { formatDate, formatHhmm } from '../lib/format.ts';
import { formatNumber } from '../lib/i18n.ts';
import type { Key } from '../strings/admin.ts';
import { type RulesChange, t, weekdayName } from './shared.ts';

type Row = Record<string, unknown>;

/** The label of a rules field by its path ("noShow.banDays", "loserBonus.cap"), or null. */
const FIELD: Record<string, Key> = {
  drawTime: 'f_drawTime',
  daysAhead: 'f_daysAhead',
  serviceDays: 'f_serviceDays',
  holidays: 'f_holidays',
  sessions: 'g_sessions',
  confirmationWindowHours: 'f_confirmationWindowHours',
  waitlistOfferWindowHours: 'f_waitlistOfferWindowHours',
  cutoffTimeDayBefore: 'f_cutoffTimeDayBefore',
  reminderLeadHours: 'f_reminderLeadHours',
  checkInGraceMinutes: 'f_checkInGraceMinutes',
  standbyAfterMinutes: 'f_standbyAfterMinutes',
  priorityCategories: 'categories',
  'loserBonus.perLoss': 'f_perLoss',
  'loserBonus.cap': 'f_cap',
  'noShow.penaltyFactor': 'f_penaltyFactor',
  'noShow.strikeDays': 'f_strikeDays',
  'noShow.strikesForBan': 'f_strikesForBan',
  'noShow.banDays': 'f_banDays',
  householdLimit: 'f_householdLimit',
  carryOverLosers: 'f_carryOverLosers',
  maxCarryOvers: 'f_maxCarryOvers',
  note: 'f_note',
};
const COLUMN: Record<string, Key> = {
  id: 'col_id',
  start: 'col_start',
  end: 'col_end',
  capacity: 'col_capacity',
  label: 'col_label',
  weight: 'col_weight',
  minAge: 'col_minAge',
  proof: 'col_proof',
};

const sessionTimes = (s: Row | undefined) =>
  s && typeof s.start === 'string' && typeof s.end === 'string'
    ? `${formatHhmm(s.start)}–${formatHhmm(s.end)}`
    : '';

/** "Session 2 (10.00–12.00)" or "Category 1 (Lanjut usia)": a row as people tell it apart. */
function rowName(list: 'sessions' | 'priorityCategories', i: number, row?: Row): string {
  const n = i + 1;
  if (list === 'sessions') {
    const times = sessionTimes(row);
    return times ? t('w_sessionAt', { n, times }) : t('w_session', { n });
  }
  const label = typeof row?.label === 'string' && row.label ? row.label : '';
  return label ? t('w_categoryNamed', { n, label }) : t('w_category', { n });
}

/** A path of the rules (server or form) as words: "Session 1 (08.00–10.00) · End". */
export function fieldLabel(path: string, rows?: { sessions?: Row[]; priorityCategories?: Row[] }): string {
  const p = path.replace(/^rules\./, '');
  const m = /^(sessions|priorityCategories)\.(\d+)(?:\.(\w+))?$/.exec(p);
  if (m) {
    const list = m[1] as 'sessions' | 'priorityCategories';
    const i = Number(m[2]);
    const row = rowName(list, i, rows?.[list]?.[i]);
    const col = m[3] ? COLUMN[m[3]] : undefined;
    return col ? `${row} · ${t(col)}` : row;
  }
  const key = FIELD[p] ?? FIELD[p.replace(/\.\d+$/, '')];
  return key ? t(key) : p;
}

/** A value as people write it: times with a dot, days by name, yes/no, numbers in the page language. */
function valueText(path: string, v: unknown): string {
  if (v === undefined || v === null) return '–';
  if (typeof v === 'boolean') return t(v ? 'w_yes' : 'w_no');
  if (typeof v === 'number') return formatNumber(v);
  if (typeof v === 'string') {
    if (/^\d{2}:\d{2}$/.test(v)) return formatHhmm(v);
    if (/^\d{4}-\d{2}-\d{2}$/.test(v)) return formatDate(v, { short: true });
    return v;
  }
  if (Array.isArray(v)) {
    if (path === 'serviceDays') return v.map((d) => weekdayName(Number(d))).join(', ') || '–';
    if (v.every((x) => typeof x !== 'object')) return v.map((x) => valueText(path, x)).join(', ') || '–';
    return t('w_rows', { n: v.length });
  }
  const row = v as Row;
  if (path.startsWith('sessions'))
    return `${sessionTimes(row)} (${t('w_places', { n: row.capacity as number })})`;
  if (typeof row.label === 'string') return `${row.label} (× ${formatNumber(Number(row.weight))})`;
  return JSON.stringify(v);
}

/** One change in words: "Session 1 (08.00–10.00) · Capacity: 50 → 30", "Session 3 (13.00–14.30) added". */
export function changeText(
  c: RulesChange,
  row?: Row,
): { what: string; from: string | null; to: string | null } {
  const m = /^(sessions|priorityCategories)\.(\d+)$/.exec(c.path);
  if (m) {
    const list = m[1] as 'sessions' | 'priorityCategories';
    const name = rowName(list, Number(m[2]), (c.to ?? c.from) as Row | undefined);
    if (c.from === undefined)
      return { what: t('w_added', { row: name }), from: null, to: valueText(c.path, c.to) };
    if (c.to === undefined)
      return { what: t('w_removed', { row: name }), from: valueText(c.path, c.from), to: null };
  }
  // A field of a row is named after the row as it was, so a changed start time still finds its session.
  const field = /^(sessions|priorityCategories)\.(\d+)\./.exec(c.path);
  const rows = field && row ? { [field[1]!]: Object.assign([], { [Number(field[2])]: row }) } : undefined;
  return { what: fieldLabel(c.path, rows), from: valueText(c.path, c.from), to: valueText(c.path, c.to) };
}

/** The server's validation message for a rules field, in the page language. */
export function ruleErrorText(e: FieldError): string {
  const known: Record<string, Key> = {
    'end must be after start': 'w_err_endAfterStart',
    'duplicate session id': 'w_err_duplicateSession',
    'sessions overlap': 'w_err_overlap',
    'duplicate category id': 'w_err_duplicateCategory',
    'duplicate weekday': 'w_err_duplicateDay',
    'must not be longer than confirmationWindowHours': 'w_err_waitlistLonger',
  };
  const key = known[e.message];
  if (key) return t(key);
  const min = /(?:>=|at least|greater than or equal to)\s*(-?[\d.]+)/i.exec(e.message);
  if (min) return t('w_err_min', { n: formatNumber(Number(min[1])) });
  const max = /(?:<=|at most|less than or equal to)\s*(-?[\d.]+)/i.exec(e.message);
  if (max) return t('w_err_max', { n: formatNumber(Number(max[1])) });
  if (/expected number|NaN/i.test(e.message)) return t('w_err_number');
  if (/expected int|integer/i.test(e.message)) return t('w_err_integer');
  return t('w_err_check');
}
