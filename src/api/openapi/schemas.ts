// Response shapes of the API as zod schemas, for the OpenAPI document (z.toJSONSchema) and for tests that
// check real answers against it. Request shapes are not here: the routes' own validation schemas are used.
import { z } from 'zod';
import { rulesSchema } from '../../domain/rules.ts';
import { accountViewSchema, instant, personViewSchema } from './schemas-account.ts';

export { meSchema, personViewSchema } from './schemas-account.ts';

const date = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .describe('calendar date YYYY-MM-DD (office local)');
const nullableInt = z.number().int().nullable();

export const okSchema = z.object({ ok: z.literal(true) });

export const nextDrawSchema = z.object({
  drawDate: date,
  targetDate: date.describe('the service day this draw fills'),
  closesAt: instant,
  closesAtLocal: z.string().describe("office local, e.g. '2026-12-01 19:00'"),
  zoneLabel: z.string(),
});

/** The public part of an office's rules that every weight follows (docs/draw-spec.md, 5.1). */
export const weightRulesSchema = z.object({
  version: z.number().int(),
  categories: z.array(z.object({ id: z.string(), weight: z.number() })),
  loserBonus: z.object({ perLoss: z.number(), cap: z.number() }),
  penaltyFactor: z.number(),
});

export const publicOfficeSchema = z.object({
  id: z.string(),
  name: z.string(),
  address: z.string(),
  tz: z.string(),
  dailyQuota: z.number().int(),
  sessions: z.array(
    z.object({ id: z.string(), start: z.string(), end: z.string(), capacity: z.number().int() }),
  ),
  priorityCategories: z.array(
    z.object({
      id: z.string(),
      label: z.string(),
      minAge: z.number().int().nullable().describe('age priority from the NIK birth date; never claimed'),
      proof: z.string().nullable().describe('the document to bring when claiming the category'),
    }),
  ),
  rulesVersion: z.number().int(),
  weightRules: weightRulesSchema.describe('category weights, loser bonus and penalty every weight follows'),
  nextDraw: nextDrawSchema.nullable(),
});

export const publishedEntrySchema = z.object({
  ticket: z.string(),
  weight: z.number().describe('priority category × loser bonus × no-show penalty (docs/draw-spec.md, 5.1)'),
  prefs: z.array(z.string()).nullable().describe('sessions asked for, or null for any'),
  category: z.string().nullable().describe("the weight's priority category id"),
  losses: z.number().int().describe('consecutive lost draws carried'),
  penalty: z.boolean().describe('a no-show penalty ran at the close'),
});

export const drawOutcomeRowSchema = z.object({
  rank: z.number().int().describe('1 = first pick'),
  ticket: z.string(),
  sessionId: z.string().nullable().describe('null = waitlisted, in the order of these rows'),
});

const drawSummaryFields = {
  officeId: z.string(),
  drawDate: date.describe('the evening the draw runs'),
  drawId: z.string(),
  targetDate: date,
  status: z.enum(['open', 'closed', 'drawn']),
  specVersion: z.number().int().describe('the version of docs/draw-spec.md the record follows'),
  commitment: z.string().describe('binds seed, draw id and beacon round; published when the draw opens'),
  anchor: z
    .object({
      chainHash: z.string(),
      publicKey: z.string(),
      period: z.number().int(),
      genesisTime: z.number().int(),
      groupHash: z.string(),
      beaconId: z.string(),
      scheme: z.string(),
      round: z.number().int(),
    })
    .nullable()
    .describe('the drand round fixed at open; null = not anchored'),
  beacon: z
    .object({ round: z.number().int(), signature: z.string(), randomness: z.string() })
    .nullable()
    .describe("the round's output, once the draw has it"),
  seed: z.string().nullable().describe('revealed once drawn'),
  publicEntropy: z.string().nullable().describe('value announced before the close, an extra input'),
  closedAt: instant.nullable().describe('when entries stopped'),
  rules: weightRulesSchema.nullable().describe('the rules version every weight follows'),
  sessions: z.array(z.object({ id: z.string(), capacity: z.number().int() })),
  entriesDigest: z.string().nullable(),
  resultsDigest: z.string().nullable(),
  entryCount: z.number().int(),
  winners: nullableInt,
  waitlisted: nullableInt,
  closesAt: instant.nullable(),
  drawnAt: instant.nullable(),
  beaconRoundAt: instant.nullable().describe('when the beacon round is published'),
  beaconWait: z
    .object({ reason: z.string(), since: instant, nextTryAt: instant })
    .nullable()
    .describe('while a closed draw waits for its beacon round'),
  log: z
    .object({ opened: nullableInt, closed: nullableInt, drawn: nullableInt })
    .describe("indexes of the draw's events in the transparency log"),
};

/** The public record of a draw: everything needed to check it (docs/draw-spec.md), no personal data. */
export const drawRecordSchema = z.object({
  ...drawSummaryFields,
  entries: z.array(publishedEntrySchema).nullable().describe('the frozen entry list, from the close'),
  results: z.array(drawOutcomeRowSchema).nullable().describe('every entry in rank order, once drawn'),
});

/** The same record without the entry list and results (lists of draws, run now). */
export const drawSummarySchema = z.object({
  ...drawSummaryFields,
  entries: z.null(),
  results: z.null(),
});

export const powChallengeSchema = z
  .looseObject({
    parameters: z.looseObject({ algorithm: z.string(), cost: z.number(), expiresAt: z.number().optional() }),
    signature: z.string().optional(),
  })
  .describe('an altcha v2 challenge; solve it and send the base64 payload as `pow`');

const entryStatus = z.string().describe('pending, won, waitlisted, lost, carried, withdrawn, …');
export const accountEntrySchema = z.object({
  ticket: z.string(),
  officeId: z.string(),
  drawDate: date,
  targetDate: date,
  personId: z.string(),
  prefs: z.array(z.string()).nullable(),
  status: entryStatus,
  createdAt: instant,
  endedAt: instant.optional(),
  carriedTo: z.string().optional(),
  carriedFrom: z.string().optional(),
});

const entryGroupSchema = z.object({ id: z.string(), size: z.number() }).nullable().describe('family');

export const resolvedEntrySchema = accountEntrySchema.extend({
  rank: nullableInt,
  sessionId: z.string().nullable(),
  waitlistPosition: nullableInt,
  standby: z
    .object({ date, until: instant })
    .nullable()
    .optional()
    .describe('on the standby line of that day: come before `until`'),
});

export const joinedSchema = z.object({
  entry: accountEntrySchema.extend({ closesAt: instant, closesAtLocal: z.string(), zoneLabel: z.string() }),
  entryCount: z.number().int().describe('entries in this draw so far'),
  quota: z.number().int(),
});

const appointmentState = z.enum(['offered', 'confirmed', 'checked_in', 'forfeited', 'cancelled', 'no_show']);
export const appointmentViewSchema = z.object({
  code: z.string(),
  state: appointmentState,
  officeId: z.string(),
  officeName: z.string(),
  address: z.string(),
  tz: z.string(),
  zoneLabel: z.string(),
  date,
  sessionId: z.string(),
  start: instant.nullable(),
  end: instant.nullable(),
  arriveBy: instant.nullable().describe('latest arrival for this place (a standby line takes it after)'),
  confirmBy: instant.nullable(),
  source: z.string().describe('draw or waitlist'),
  person: z.object({ name: z.string(), nikMasked: z.string() }).nullable(),
  qr: z.string(),
  history: z.array(z.unknown()),
});

export const deliverySchema = z.object({
  id: z.string(),
  template: z.string(),
  channel: z.string(),
  state: z.enum(['sent', 'failed']),
  at: instant,
  error: z.string().optional(),
});

export const staffUserSchema = z.object({
  username: z.string(),
  role: z.enum(['admin', 'officer']),
  officeId: z.string().nullable(),
});

export const daySheetSchema = z.object({
  office: z.object({ id: z.string(), name: z.string(), tz: z.string() }),
  date,
  sessions: z.array(
    z.object({
      id: z.string(),
      start: z.string(),
      end: z.string(),
      capacity: z.number().int(),
      offered: z.number().int(),
      confirmed: z.number().int(),
      checkedIn: z.number().int(),
      forfeited: z.number().int(),
      cancelled: z.number().int(),
      noShow: z.number().int(),
      free: z.number().int(),
      people: z.array(
        z.object({ code: z.string(), state: z.string(), name: z.string(), nikMasked: z.string() }),
      ),
    }),
  ),
});

/** What the counter sees of one appointment: looked up, confirmed or undone. */
export const checkInResultSchema = z.object({
  appointment: z.object({
    code: z.string(),
    state: appointmentState,
    officeId: z.string(),
    officeName: z.string(),
    tz: z.string(),
    date,
    sessionId: z.string(),
    start: instant.nullable(),
    end: instant.nullable(),
    name: z.string(),
    nikMasked: z.string(),
    identity: z.enum(['registry', 'provisional', 'shape']),
    priority: z
      .object({
        id: z.string(),
        label: z.string(),
        kind: z
          .enum(['age', 'claimed'])
          .describe('age: from the NIK birth date; claimed: check the document'),
        proof: z.string().nullable().describe('the document a claimed category needs'),
      })
      .nullable(),
    proofCheck: z.enum(['seen', 'not_seen']).nullable(),
    checkedInAt: instant.nullable(),
    undoUntil: instant.nullable(),
  }),
});

const officeSchema = z.object({ id: z.string(), name: z.string(), address: z.string(), tz: z.string() });
const rulesChangeSchema = z.object({ path: z.string(), from: z.unknown(), to: z.unknown() }).partial();
export const rulesVersionSchema = z.object({
  version: z.number().int(),
  rules: rulesSchema,
  createdAt: instant,
  createdBy: z.string(),
  note: z.string(),
  changes: z.array(rulesChangeSchema),
});

export const adminOfficesSchema = z.object({
  offices: z.array(
    officeSchema.extend({ createdAt: instant.optional(), rules: rulesVersionSchema.nullable() }),
  ),
});

const dayStatsSchema = z.object({
  drawDate: date,
  targetDate: date,
  entries: z.number().int(),
  quota: z.number().int(),
  offers: z.number().int(),
  confirmed: z.number().int(),
  checkedIn: z.number().int(),
  noShows: z.number().int(),
  forfeits: z.number().int(),
  cancellations: z.number().int(),
  waitlistOffers: z.number().int(),
  waitlistOffersUsed: z.number().int(),
  fillRate: z.number().nullable(),
  confirmationRate: z.number().nullable(),
  showRate: z.number().nullable(),
});

const policyOutcomeSchema = z.looseObject({
  slotsUsedShare: z.number(),
  slotsHeldShare: z.number(),
  brokerSlotShare: z.number(),
  waitMedianDays: z.number(),
  waitP95Days: z.number(),
  servedShare: z.number(),
  arrivalFairnessGap: z.number(),
  capacity: z.number(),
});

export const whatIfResultSchema = z.object({
  office: z.object({ id: z.string(), name: z.string() }),
  currentRulesVersion: z.number().int(),
  changes: z.array(rulesChangeSchema),
  days: z.number().int(),
  startDate: date,
  demand: z.object({
    source: z.enum(['recent-draws', 'default']),
    draws: z.number().int(),
    entriesPerDraw: z.number().int(),
    scale: z.number(),
  }),
  current: policyOutcomeSchema,
  proposed: policyOutcomeSchema,
});

export const flagSchema = z.object({
  id: z.string(),
  at: instant,
  accountId: z.string().nullable(),
  reason: z.string(),
  evidence: z.record(z.string(), z.union([z.string(), z.number()])),
});

export const schemas = {
  okSchema,
  drawRunningSchema: z.object({
    status: z.literal('running'),
    officeId: z.string(),
    drawDate: date,
    jobId: z.string(),
  }),
  drawPreviewSchema: z.object({
    drawDate: date,
    throwawaySeed: z
      .literal(true)
      .describe('a random seed, never the real one: the preview shows shape, not who wins'),
    entries: z.number().int(),
    winners: z.number().int(),
    perSession: z.record(z.string(), z.number().int()),
    sample: z.array(z.unknown()),
  }),
  adminDrawsSchema: z.object({
    office: officeSchema,
    next: nextDrawSchema.nullable(),
    /** The draw "run now" acts on (src/services/current-draw.ts). */
    current: z
      .object({
        drawDate: z.string(),
        state: z.enum(['open', 'closed', 'drawn']),
        closesAt: z.string(),
        entries: z.number().int(),
        early: z.boolean(),
        dueSince: z.string().nullable(),
        stuck: z.boolean(),
      })
      .nullable(),
    draws: z.array(drawSummarySchema),
  }),
  statsSchema: z.object({ office: z.string(), days: z.array(dayStatsSchema) }),
  adminAccountSchema: z.object({
    account: accountViewSchema.extend({ verified: z.boolean(), blocked: z.boolean(), createdAt: instant }),
    persons: z.array(personViewSchema.omit({ birthDate: true })),
    entries: z.array(accountEntrySchema.extend({ group: entryGroupSchema })),
    counters: z.record(z.string(), z.number()),
  }),
  blockSchema: z.object({
    blocked: z.literal(true),
    voided: z.number().int().describe('entries and offers voided'),
  }),
  unblockSchema: z.object({ ok: z.literal(true), blocked: z.literal(false) }),
  flagsSchema: z.object({ flags: z.array(flagSchema), total: z.number().int() }),
  accountMessagesSchema: z.object({ account: accountViewSchema, messages: z.array(deliverySchema) }),
  outboxSchema: z.object({
    messages: z.array(
      z.object({
        id: z.string(),
        channel: z.string(),
        to: z.string().nullable().describe('masked'),
        template: z.string(),
        lang: z.string().optional(),
        subject: z.string().nullable().optional(),
        text: z.string().nullable().describe('null for sign-in codes'),
        accountId: z.string().nullable(),
        sentAt: z.string().optional(),
      }),
    ),
  }),
};

const hex = (digits: number) => z.string().regex(new RegExp(`^[0-9a-f]{${digits}}$`));
const logLeafSchema = z.object({
  index: z.number().int(),
  leaf: z.string().describe('canonical JSON of one draw event (docs/transparency-log.md)'),
  leafHash: hex(64),
});

export const logSchemas = {
  page: z.object({
    treeSize: z.number().int(),
    from: z.number().int(),
    leaves: z.array(logLeafSchema),
    next: z.number().int().nullable().describe('index of the next page, or null at the end'),
  }),
  head: z.object({
    treeSize: z.number().int(),
    rootHash: hex(64),
    timestamp: z.number().int().describe('ms since the Unix epoch when the head was signed'),
    keyId: hex(16),
    signature: hex(128).describe('Ed25519 over the head signing bytes'),
  }),
  key: z.object({
    algorithm: z.literal('Ed25519'),
    keyId: hex(16),
    publicKey: hex(64),
    publicKeyPem: z.string(),
    development: z.boolean().describe('signed with the published development key: such heads prove nothing'),
  }),
  drawLeaves: z.object({ drawId: z.string(), leaves: z.array(logLeafSchema) }),
  inclusion: z.object({ index: z.number().int(), treeSize: z.number().int(), path: z.array(hex(64)) }),
  consistency: z.object({ from: z.number().int(), to: z.number().int(), proof: z.array(hex(64)) }),
};

const closingSchema = z.object({
  date,
  reason: z.string(),
  by: z.string(),
  at: instant,
  kind: z.enum(['closed', 'holiday']),
});
const nationalDaySchema = z.object({
  date,
  name: z.string(),
  kind: z.enum(['holiday', 'collective_leave']),
  year: z.number().int(),
  source: z.string(),
  loadedBy: z.string(),
  loadedAt: instant,
});
export const closeDayResultSchema = z.object({
  closing: closingSchema.nullable(),
  date,
  alreadyClosed: z.boolean(),
  moved: z.number().int().describe('offers and appointments moved to a later day'),
  unplaced: z.number().int().describe('cancelled with no later place free within the search'),
  entriesMoved: z.number().int().describe("entries of the day's draw moved into the next draw"),
});
export const closedDaysSchema = z.object({
  officeId: z.string(),
  closings: z.array(closingSchema),
  national: z.array(nationalDaySchema),
  log: z.array(closingSchema.extend({ action: z.string() })),
});
export const nationalDaysSchema = z.object({ days: z.array(nationalDaySchema) });
export const holidayLoadResultSchema = z.object({
  year: z.number().int(),
  days: z.number().int(),
  added: z.array(date),
  removed: z.array(date),
});
const claimRatesShape = {
  checkins: z.number().int(),
  categories: z.array(
    z.object({
      category: z.string(),
      kind: z.enum(['age', 'claimed']),
      count: z.number().int(),
      share: z.number().describe('count / arrivals checked in'),
      seen: z.number().int(),
      notSeen: z.number().int(),
    }),
  ),
};
export const officeClaimRatesSchema = z.object({ officeId: z.string(), ...claimRatesShape });
export const claimRatesSchema = z.object({
  offices: z.array(z.object({ officeId: z.string(), officeName: z.string(), ...claimRatesShape })),
});
