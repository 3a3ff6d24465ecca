// A simulation scenario: offices, the rules they run, genuine applicants, brokers and the old first-come
// booking. Validated with zod so a typo in a scenario file stops the run with the field's path instead of
// quietly simulating something else.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { IANAZone } from 'luxon';
import { z } from 'zod';
import { defaultRules, flagDuplicateIds, type Rules, rulesSchema } from '../domain/rules.ts';

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD');
const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time HH:mm');
const share = z.number().min(0).max(1);
const dayRange = z
  .object({ min: z.number().int().min(0).max(365), max: z.number().int().min(0).max(365) })
  .strict()
  .refine((r) => r.min <= r.max, { message: 'min must not exceed max', path: ['max'] });
const rulesOverrides = z.record(z.string(), z.unknown());

/** When people open the site (local hour 0..23): mostly working hours and evenings. */
export const DEFAULT_ARRIVAL_HOUR_WEIGHTS = [
  1, 0.5, 0.3, 0.3, 0.5, 1, 2, 4, 6, 7, 7, 6, 6, 6, 6, 6, 6, 6, 7, 7, 6, 4, 3, 2,
];

const officeSchema = z
  .object({
    id: z
      .string()
      .min(2)
      .max(40)
      .regex(/^[a-z0-9][a-z0-9-]*$/, 'must be lowercase letters, digits and dashes'),
    name: z.string().min(1).max(120).optional(),
    tz: z
      .string()
      .refine((tz) => IANAZone.isValidZone(tz), 'must be an IANA time zone such as Asia/Jakarta')
      .default('Asia/Jakarta'),
    /** Multiplies genuine arrivals and brokers at this office. */
    demandScale: z.number().min(0).max(20).default(1),
    /** Overrides on top of the scenario's rules for this office only. */
    rules: rulesOverrides.optional(),
  })
  .strict();

const genuineSchema = z
  .object({
    /** New applicants per office per calendar day (Poisson). */
    arrivalsPerDay: z.number().min(0).max(5000),
    arrivalHourWeights: z.array(z.number().min(0)).length(24).default(DEFAULT_ARRIVAL_HOUR_WEIGHTS),
    /** Probability that someone holding an appointment comes on the day. */
    showUp: share,
    /** Probability of confirming an offer in time (fairslot), for those who mean to confirm. */
    confirmRate: share,
    /** Share of would-be no-shows who give the slot back when asked to confirm or reminded (fairslot). */
    noShowCaughtShare: share,
    /** Those caught cancel within this many hours of the reminder (uniformly), if the cut-off allows (fairslot). */
    reminderReplyHours: z.number().min(0).max(24).default(2),
    /**
     * Share of genuine applicants on a day's standby line who come to the office on the day (fairslot). Low
     * by default: they travel without a guarantee of a place. 0 turns the standby line off in effect.
     */
    standbyTurnout: share.default(0.3),
    /** Days without an appointment after which an applicant gives up. */
    patienceDays: dayRange,
    /** First-come: probability of trying again on each following day. */
    retryProbability: share,
    /** First-come: share who know the opening time and are at the screen when the quota opens. */
    knowsOpeningShare: share,
    /** Share of applicants in each priority category (ids of the rules' categories). */
    categoryShares: z.record(z.string(), share).default({}),
    /**
     * Families: a share of applicants come with relatives on one account (up to the household limit), a
     * share of whom are children under 17. They decide, come and give up together.
     */
    families: z
      .object({
        share,
        /** Persons per family, the applicant included. */
        size: z
          .object({ min: z.number().int().min(2).max(5), max: z.number().int().min(2).max(5) })
          .strict()
          .refine((r) => r.min <= r.max, { message: 'min must not exceed max', path: ['max'] }),
        /** Share of the relatives who are children. */
        childShare: share,
      })
      .strict()
      .optional(),
  })
  .strict();

const brokerSchema = z
  .object({
    /** Brokers working each office. */
    perOffice: z.number().int().min(0).max(100),
    /** Accounts (phone numbers) each broker holds. */
    accounts: z.number().int().min(1).max(2000),
    /** Distinct IP addresses a broker verifies its accounts from. */
    ips: z.number().int().min(1).max(500),
    /** Paying clients per broker per calendar day (real people with real NIKs). */
    clientsPerDay: z.number().min(0).max(1000),
    clientShowUp: share,
    clientPatienceDays: dayRange,
    /** Invented identities per broker. */
    fakeIdentities: z.number().int().min(0).max(10_000),
    /** Share of invented NIKs made carefully enough to pass the structural check; the rest are rejected. */
    fakeCarefulShare: share,
    /** Accounts each identity is registered on, to multiply chances (2nd and later: NIK conflict). */
    accountsPerIdentity: z.number().int().min(1).max(10),
    /** Fairslot: probability a broker confirms a win on an invented identity, hoping to resell it. */
    confirmFakeWins: share,
    /** First-come: slots each broker's bots book of every newly opened day. */
    bookingsPerDate: z.number().int().min(0).max(10_000),
    /** First-come: mean seconds after the opening at which a bot's request arrives. */
    speedSeconds: z.number().min(0).max(3600),
    /** Local hour at which a broker does its daily round. */
    hour: z.number().int().min(0).max(23).default(6),
  })
  .strict();

const fcfsSchema = z
  .object({
    /** Local time at which each day's quota opens. */
    openTime: hhmm,
    /** Days between the opening and the day it fills; default: the rules' daysAhead (same lead time). */
    leadDays: z.number().int().min(1).max(60).optional(),
    /** Mean seconds after the opening at which a person who is waiting for it gets their request in. */
    humanDelaySeconds: z.number().min(0).max(36_000),
  })
  .strict();

export const scenarioSchema = z
  .object({
    name: z.string().min(1).max(120),
    description: z.string().max(4000).optional(),
    seed: z
      .number()
      .int()
      .min(0)
      .max(2 ** 31 - 1),
    /** First simulated local date. */
    startDate: isoDate,
    days: z.number().int().min(5).max(180),
    offices: z.array(officeSchema).min(1).max(50),
    /** Overrides on top of defaultRules (src/domain/rules.ts), validated with rulesSchema. */
    rules: rulesOverrides.default({}),
    genuine: genuineSchema,
    brokers: brokerSchema,
    fcfs: fcfsSchema,
    /**
     * fairslot binds persons only where the civil registry knows them (IDENTITY_VERIFIER=registry,
     * docs/identity.md): invented identities are refused at binding, real ones pass. Off: the NIK's shape only.
     */
    identityRegistry: z.boolean().default(false),
    measure: z
      .object({
        /** Applicants arriving in the last N days are left out of wait figures: they had no time to be served. */
        cohortTailDays: z.number().int().min(0).max(60).default(7),
      })
      .strict()
      .default({ cohortTailDays: 7 }),
  })
  .strict()
  .superRefine((s, ctx) => {
    flagDuplicateIds(ctx, s.offices, 'offices', 'duplicate office id');
    s.offices.forEach((o, i) => {
      const parsed = rulesSchema.safeParse({ ...defaultRules, ...s.rules, ...o.rules });
      if (!parsed.success) {
        for (const issue of parsed.error.issues) {
          const base =
            o.rules && issue.path[0] !== undefined && issue.path[0] in o.rules
              ? ['offices', i, 'rules']
              : ['rules'];
          ctx.addIssue({
            code: 'custom',
            path: [...base, ...issue.path.map(String)],
            message: issue.message,
          });
        }
      }
    });
    if (s.measure.cohortTailDays >= s.days) {
      ctx.addIssue({
        code: 'custom',
        path: ['measure', 'cohortTailDays'],
        message: 'must be shorter than days',
      });
    }
  });

export type Scenario = z.infer<typeof scenarioSchema>;
export type ScenarioInput = z.input<typeof scenarioSchema>;

/** The committed scenario that reproduces the old system's symptoms (docs/simulation.md). */
export const DEFAULT_SCENARIO_FILE = fileURLToPath(new URL('./scenarios/default.json', import.meta.url));

export class ScenarioError extends Error {}

export function parseScenario(raw: unknown): Scenario {
  const parsed = scenarioSchema.safeParse(raw);
  if (!parsed.success) {
    const lines = parsed.error.issues
      .slice(0, 10)
      .map((i) => `  ${i.path.map(String).join('.') || '(root)'}: ${i.message}`);
    throw new ScenarioError(`invalid scenario:\n${lines.join('\n')}`);
  }
  return parsed.data;
}

export function loadScenario(file: string): Scenario {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new ScenarioError(`cannot read scenario ${file}: ${(err as Error).message}`);
  }
  return parseScenario(raw);
}

/** The validated rules one office runs under in this scenario. */
export function officeRules(s: Scenario, office: number): Rules {
  return rulesSchema.parse({ ...defaultRules, ...s.rules, ...s.offices[office]!.rules });
}

/** First-come lead time: the scenario's, or the same as the draw's so only the allocation differs. */
export function fcfsLeadDays(s: Scenario, office: number): number {
  return s.fcfs.leadDays ?? officeRules(s, office).daysAhead;
}

/** Days before the first service day both policies can fill; figures count service days from here. */
export function warmupDays(s: Scenario, rulesFor: (office: number) => Rules): number {
  let w = 1;
  for (let i = 0; i < s.offices.length; i++) w = Math.max(w, rulesFor(i).daysAhead, fcfsLeadDays(s, i));
  return w;
}
