// Allocation rules of one office: the schema, the defaults and the diff between versions.
// Pure: no I/O, so the simulator, the admin what-if and the browser can all use it.
import { z } from 'zod';
import { calendarDate } from './calendar-date.ts';
import { DEFAULT_STANDBY_AFTER_MINUTES } from './standby.ts';

export { DEFAULT_STANDBY_AFTER_MINUTES, standbyAfterMinutes } from './standby.ts';

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time HH:mm (24-hour, office local)');
/** Holidays are real days; rules carry no clock, so the route's window does not apply here. */
const isoDate = calendarDate();
/** Ids that appear in URLs and key names: lowercase letters, digits and dashes. */
export const slugSchema = (minLength: number) =>
  z
    .string()
    .min(minLength)
    .max(40)
    .regex(/^[a-z0-9][a-z0-9-]*$/, 'must be lowercase letters, digits and dashes');
const slug = slugSchema(1);

/** An issue at `[listName, i, 'id']` for every item whose id an earlier item already has. */
export function flagDuplicateIds(
  ctx: z.RefinementCtx,
  items: readonly { id: string }[],
  listName: string,
  message: string,
): void {
  const seen = new Set<string>();
  items.forEach((item, i) => {
    if (seen.has(item.id)) ctx.addIssue({ code: 'custom', path: [listName, i, 'id'], message });
    seen.add(item.id);
  });
}

export const sessionSchema = z
  .object({
    id: slug,
    start: hhmm,
    end: hhmm,
    capacity: z.number().int().min(0).max(10_000),
  })
  .strict()
  .refine((s) => s.start < s.end, { message: 'end must be after start', path: ['end'] });

export const priorityCategorySchema = z
  .object({
    id: slug,
    label: z.string().min(1).max(80),
    weight: z.number().min(1).max(10),
    /**
     * Age priority: given to everyone at least this old on the service day, by the birth date in the NIK;
     * nobody claims it. A category has either minAge or proof.
     */
    minAge: z.number().int().min(1).max(120).optional(),
    /** The document the counter asks for: a claimed category is checked against it at check-in. */
    proof: z.string().trim().min(2).max(160).optional(),
  })
  .strict()
  .refine((c) => (c.minAge === undefined) !== (c.proof === undefined), {
    message: 'a category is either by age (minAge) or claimed with a document (proof)',
    path: ['proof'],
  });

export const rulesSchema = z
  .object({
    /** Local time at which the daily draw closes entries and runs. */
    drawTime: hhmm,
    /** Calendar days between a draw and the service day it fills (a service day T is drawn on T - daysAhead). */
    daysAhead: z.number().int().min(1).max(30),
    /** ISO weekdays (1 = Monday ... 7 = Sunday) on which the office serves. */
    serviceDays: z.array(z.number().int().min(1).max(7)).min(1).max(7),
    holidays: z.array(isoDate).max(400),
    sessions: z.array(sessionSchema).min(1).max(24),
    /** Hours a draw winner has to confirm. */
    confirmationWindowHours: z.number().min(1).max(168),
    /** Hours a waitlisted entry has to confirm a released slot (shorter: the day is close). */
    waitlistOfferWindowHours: z.number().min(0.25).max(72),
    /** Local time on the day before the appointment after which nothing is offered, cancelled or forfeited. */
    cutoffTimeDayBefore: hhmm,
    /**
     * Hours before the cut-off at which confirmed holders are asked whether they still come: a seat they
     * give back then goes to the waitlist. Unset: the waitlist's offer window plus an hour to answer.
     */
    reminderLeadHours: z.number().min(0.5).max(48).optional(),
    /** Minutes after a session ends during which check-in is still accepted. */
    checkInGraceMinutes: z.number().int().min(0).max(240),
    /**
     * Minutes after a session's start from which the places of confirmed applicants who have not arrived
     * go to the day's standby line (null: no standby). From that moment a confirmed late arrival is refused
     * as too late, so a place is never given twice. Absent in rules stored before it existed: the default.
     */
    standbyAfterMinutes: z.number().int().min(0).max(480).nullable().optional(),
    priorityCategories: z.array(priorityCategorySchema).max(10),
    loserBonus: z
      .object({
        /** Added to the weight multiplier for each consecutive lost draw. */
        perLoss: z.number().min(0).max(5),
        /** Upper bound of the multiplier: a cap, never a guarantee (guarantees get gamed by losing on purpose). */
        cap: z.number().min(1).max(20),
      })
      .strict(),
    noShow: z
      .object({
        /** Weight multiplier while a strike is active. */
        penaltyFactor: z.number().min(0.01).max(1),
        /** Days a strike counts. */
        strikeDays: z.number().int().min(1).max(730),
        /** Strikes within strikeDays that lead to a ban. */
        strikesForBan: z.number().int().min(1).max(20),
        banDays: z.number().int().min(0).max(730),
      })
      .strict(),
    householdLimit: z.number().int().min(1).max(20),
    /** Whether losers stay in the waiting room for the next draw (with a growing loser bonus). */
    carryOverLosers: z.boolean(),
    /** How many draws an entry is carried over at most before it is marked lost. */
    maxCarryOvers: z.number().int().min(0).max(60),
  })
  .strict()
  .superRefine((r, ctx) => {
    flagDuplicateIds(ctx, r.sessions, 'sessions', 'duplicate session id');
    const sorted = [...r.sessions].sort((a, b) => (a.start < b.start ? -1 : 1));
    for (let i = 1; i < sorted.length; i++) {
      if (sorted[i]!.start < sorted[i - 1]!.end) {
        ctx.addIssue({
          code: 'custom',
          path: ['sessions', r.sessions.indexOf(sorted[i]!), 'start'],
          message: 'sessions overlap',
        });
      }
    }
    flagDuplicateIds(ctx, r.priorityCategories, 'priorityCategories', 'duplicate category id');
    if (new Set(r.serviceDays).size !== r.serviceDays.length) {
      ctx.addIssue({ code: 'custom', path: ['serviceDays'], message: 'duplicate weekday' });
    }
    if (r.reminderLeadHours !== undefined && r.reminderLeadHours < r.waitlistOfferWindowHours) {
      ctx.addIssue({
        code: 'custom',
        path: ['reminderLeadHours'],
        message:
          'must not be shorter than waitlistOfferWindowHours (a seat given back needs a full offer window)',
      });
    }
    const after = r.standbyAfterMinutes;
    if (after !== null && after !== undefined) {
      // Standby seats while the counter is still open: after the check-in window nobody would be there.
      r.sessions.forEach((s, i) => {
        if (minutesOf(s.start) + after > minutesOf(s.end) + r.checkInGraceMinutes) {
          ctx.addIssue({
            code: 'custom',
            path: ['standbyAfterMinutes'],
            message: `must fall inside the check-in window of session ${s.id} (${i + 1})`,
          });
        }
      });
    }
    if (r.waitlistOfferWindowHours > r.confirmationWindowHours) {
      ctx.addIssue({
        code: 'custom',
        path: ['waitlistOfferWindowHours'],
        message: 'must not be longer than confirmationWindowHours',
      });
    }
  });

export type Rules = z.infer<typeof rulesSchema>;

const minutesOf = (hm: string) => Number(hm.slice(0, 2)) * 60 + Number(hm.slice(3, 5));

export type Session = z.infer<typeof sessionSchema>;

/**
 * Defaults follow the old system's numbers (about 200 applications a day per office) and common practice:
 * Monday-Friday service, draw in the evening, two days ahead so winners have a day to confirm.
 */
export const defaultRules: Rules = {
  drawTime: '19:00',
  daysAhead: 2,
  serviceDays: [1, 2, 3, 4, 5],
  holidays: [],
  sessions: [
    { id: 'pagi-1', start: '08:00', end: '10:00', capacity: 50 },
    { id: 'pagi-2', start: '10:00', end: '12:00', capacity: 50 },
    { id: 'siang-1', start: '13:00', end: '14:30', capacity: 50 },
    { id: 'siang-2', start: '14:30', end: '16:00', capacity: 50 },
  ],
  confirmationWindowHours: 12,
  waitlistOfferWindowHours: 3,
  cutoffTimeDayBefore: '12:00',
  checkInGraceMinutes: 30,
  standbyAfterMinutes: DEFAULT_STANDBY_AFTER_MINUTES,
  priorityCategories: [
    { id: 'lansia', label: 'Lanjut usia (60+)', weight: 2, minAge: 60 },
    {
      id: 'disabilitas',
      label: 'Penyandang disabilitas',
      weight: 2,
      proof: 'Kartu Penyandang Disabilitas atau surat keterangan dokter',
    },
    {
      id: 'ibu-anak',
      label: 'Ibu hamil / anak balita',
      weight: 1.5,
      proof: 'Buku KIA atau surat keterangan hamil; akta kelahiran anak balita',
    },
  ],
  loserBonus: { perLoss: 0.5, cap: 3 },
  noShow: { penaltyFactor: 0.5, strikeDays: 90, strikesForBan: 2, banDays: 30 },
  householdLimit: 5,
  carryOverLosers: true,
  maxCarryOvers: 10,
};

/** An hour for the holder to answer the reminder, then a full waitlist offer window before the cut-off. */
export function reminderLeadHours(
  rules: Pick<Rules, 'reminderLeadHours' | 'waitlistOfferWindowHours'>,
): number {
  return rules.reminderLeadHours ?? rules.waitlistOfferWindowHours + 1;
}

export function dailyQuota(rules: Pick<Rules, 'sessions'>): number {
  return rules.sessions.reduce((sum, s) => sum + s.capacity, 0);
}

export interface RulesChange {
  path: string;
  from: unknown;
  to: unknown;
}

/** Field-level diff between two rule sets, in stable path order, for version history and audit. */
export function diffRules(from: unknown, to: unknown, path = ''): RulesChange[] {
  if (JSON.stringify(from) === JSON.stringify(to)) return [];
  const bothObjects =
    from !== null &&
    to !== null &&
    typeof from === 'object' &&
    typeof to === 'object' &&
    !Array.isArray(from);
  if (bothObjects && !Array.isArray(to)) {
    const keys = [...new Set([...Object.keys(from), ...Object.keys(to)])].sort();
    return keys.flatMap((k) =>
      diffRules(
        (from as Record<string, unknown>)[k],
        (to as Record<string, unknown>)[k],
        path ? `${path}.${k}` : k,
      ),
    );
  }
  return [{ path, from, to }];
}
