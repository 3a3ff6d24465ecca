// The persons an account applies for, each bound to one NIK (stored only as a keyed hash).
import { Hono } from 'hono';
import { z } from 'zod';
import { localDate } from '../../domain/calendar.ts';
import { birthDateProblem, maskNik, validateNik } from '../../domain/nik.ts';
import { normalizePersonName } from '../../domain/person-name.ts';
import { implausibleClaims, isAgeCategory } from '../../domain/priority.ts';
import { defaultRules, type Rules } from '../../domain/rules.ts';
import { readJson } from '../../http/body.ts';
import { ApiError } from '../../http/errors.ts';
import { NO_MATCH_LIMITS } from '../../identity/identity-check.ts';
import { type PersonStanding, personStandings } from '../../services/person-standing.ts';
import type { Person } from '../../store/accounts/index.ts';
import type { AppEnv } from '../env.ts';
import { requireApplicant } from '../middleware/applicant-auth.ts';
import { enforceLimit, limitByIp, limitedIp, scaledLimit } from '../middleware/rate-limit.ts';

/**
 * "This NIK is registered to another account" is an answer an honest applicant needs (a broker may hold
 * their NIK) and an enumerator wants. It costs: each account and each address gets few such answers a day;
 * once spent, registrations are refused before any NIK is looked up, so the refusal says nothing about the
 * NIK (docs/operations.md, "Sign-in codes and enumeration").
 */
export const NIK_TAKEN_LIMITS = {
  account: { bucket: 'nik-taken-acct', limit: 3, windowSeconds: 86_400 },
  ip: { bucket: 'nik-taken-ip', limit: 10, windowSeconds: 86_400 },
} as const;

/** The latest date anywhere in Indonesia (WIT, UTC+9): a baby born there today has a valid birth date. */
const LATEST_ZONE = 'Asia/Jayapura';

export const personSchema = z
  .object({
    nik: z.string().trim().min(1).max(32),
    // The UTF-16 bound only keeps the input small; normalizePersonName counts graphemes.
    name: z
      .string()
      .max(400)
      .transform((raw, ctx) => {
        const r = normalizePersonName(raw);
        if (r.ok) return r.name;
        ctx.addIssue({ code: 'custom', message: r.message });
        return z.NEVER;
      }),
    birthDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD'),
    category: z
      .string()
      .max(40)
      .regex(/^[a-z0-9-]+$/)
      .nullable()
      .default(null),
  })
  .strict();

/** What an applicant sees of a person: never the NIK hash. */
export const personView = (p: Person, standing?: PersonStanding) => ({
  id: p.id,
  name: p.name,
  nikMasked: p.nikMasked,
  birthDate: p.birthDate,
  category: p.category,
  claimRevoked: p.claimRevoked?.category ?? null,
  identity: p.identity ?? 'shape',
  ...(standing ? { standing } : {}),
});

/** The persons with whether each can enter a draw now (what the join form shows). */
export async function personsWithStanding(deps: AppEnv['Variables']['deps'], persons: Person[]) {
  const standings = await personStandings(
    deps.redis,
    persons.map((p) => p.nikHash),
    deps.now(),
  );
  return persons.map((p, i) => personView(p, standings[i]));
}

/** A refused identity, said in both languages: the API's own clients show it as it is. */
export const NO_MATCH_MESSAGE = {
  id: 'Data NIK, nama, dan tanggal lahir tidak cocok dengan data kependudukan (Dukcapil). Periksa kembali sesuai KTP atau Kartu Keluarga.',
  en: 'The NIK, name and date of birth do not match the civil registry (Dukcapil). Check them against the ID card or family card.',
};

export const personRoutes = new Hono<AppEnv>()
  .use('*', requireApplicant())
  .get('/', async (c) => {
    const deps = c.get('deps');
    const persons = await deps.accounts.persons(c.get('account').id);
    return c.json({ persons: await personsWithStanding(deps, persons) });
  })
  .post('/', limitByIp({ bucket: 'person-ip', limit: 300, windowSeconds: 600 }), async (c) => {
    const deps = c.get('deps');
    const account = c.get('account');
    await enforceLimit(c, { bucket: 'person-acct', limit: 30, windowSeconds: 3600 }, account.id);
    const body = await readJson(c, personSchema);
    const nik = validateNik(body.nik, body.birthDate);
    if (!nik.ok) {
      const path = nik.code === 'nik_birth_date' ? 'birthDate' : 'nik';
      throw new ApiError(400, nik.code, nik.message, { fields: [{ path, message: nik.message }] });
    }
    const implausible = birthDateProblem(body.birthDate, localDate(LATEST_ZONE, deps.now()));
    if (implausible) {
      throw new ApiError(400, 'nik_birth_date', implausible, {
        fields: [{ path: 'birthDate', message: implausible }],
      });
    }
    const ip = limitedIp(c);
    const budgets: [ReturnType<typeof scaledLimit>, string][] = [
      [scaledLimit(c, NIK_TAKEN_LIMITS.account), account.id],
    ];
    if (ip !== null) budgets.push([scaledLimit(c, NIK_TAKEN_LIMITS.ip), ip]);
    for (const [limit, id] of budgets) {
      const room = await deps.rateLimiter.peek(limit, id);
      if (!room.allowed) {
        throw new ApiError(
          429,
          'nik_checks_used',
          'too many NIKs refused as registered elsewhere; try again later or ask at the office',
          { retryAfterSeconds: room.retryAfterSeconds },
        );
      }
    }
    // Asked before anything is bound: a refused identity binds nothing (docs/identity.md).
    const noMatchBudgets: [ReturnType<typeof scaledLimit>, string][] = [
      [scaledLimit(c, NO_MATCH_LIMITS.account), account.id],
    ];
    if (ip !== null) noMatchBudgets.push([scaledLimit(c, NO_MATCH_LIMITS.ip), ip]);
    if (deps.identity.kind === 'registry') {
      for (const [limit, id] of noMatchBudgets) {
        const room = await deps.rateLimiter.peek(limit, id);
        if (!room.allowed) {
          throw new ApiError(
            429,
            'identity_checks_used',
            'too many identities the civil registry did not know; try again later or ask at the office',
            { retryAfterSeconds: room.retryAfterSeconds },
          );
        }
      }
    }
    const query = { nik: nik.nik, name: body.name, birthDate: body.birthDate };
    const identity = await deps.identity.check(account.id, query, deps.accounts.hashNik(nik.nik));
    if (identity === 'no_match') {
      for (const [limit, id] of noMatchBudgets) await deps.rateLimiter.hit(limit, id);
      throw new ApiError(422, 'identity_no_match', NO_MATCH_MESSAGE.en, { messages: NO_MATCH_MESSAGE });
    }
    // The household limit is a national rule of thumb; the strictest office limit would lock families out.
    const all = await allRules(c);
    const limit = Math.max(...all.map((r) => r.householdLimit), 0) || defaultRules.householdLimit;
    if (body.category) checkClaim(all, body.category);
    const result = await deps.accounts.addPerson(
      account.id,
      {
        nik: nik.nik,
        nikMasked: maskNik(nik.nik),
        name: body.name,
        birthDate: body.birthDate,
        category: body.category,
        identity,
      },
      limit,
    );
    if (result.status === 'nik_conflict') {
      for (const [limit, id] of budgets) await deps.rateLimiter.hit(limit, id);
      throw new ApiError(
        409,
        'nik_taken',
        'this NIK is registered to another account; the attempt was recorded',
        {
          fields: [{ path: 'nik', message: 'registered to another account' }],
        },
      );
    }
    if (!('person' in result)) {
      throw new ApiError(422, 'household_limit', `an account may apply for at most ${limit} persons`);
    }
    if (result.status === 'added' && body.category) {
      const everyone = await deps.accounts.persons(account.id);
      const pattern = implausibleClaims(everyone);
      if (pattern) await deps.priorityClaims.flagImplausible(account.id, pattern, everyone.length);
    }
    if (result.status === 'added') await deps.identity.clearRefusals(account.id);
    let bound = result.person;
    if (identity === 'provisional' && bound.identity === 'provisional') {
      await deps.identity.hold(account.id, bound, nik.nik);
    } else if (identity === 'registry' && bound.identity !== 'registry') {
      // Entered again once the registry answers: a provisional (or shape-only) binding is confirmed now.
      await deps.identity.confirm(account.id, bound);
      bound = { ...bound, identity: 'registry' };
    }
    return c.json(
      { person: (await personsWithStanding(deps, [bound]))[0] },
      result.status === 'added' ? 201 : 200,
    );
  });

async function allRules(c: { get: (k: 'deps') => AppEnv['Variables']['deps'] }): Promise<Rules[]> {
  const { offices } = c.get('deps');
  const list = await offices.list();
  const rules = await Promise.all(list.map(async (o) => (await offices.rules(o.id))?.rules));
  return rules.filter((r): r is Rules => r !== undefined);
}

/** A claim names a category some office has, and never an age category: that one comes from the NIK. */
function checkClaim(all: Rules[], id: string): void {
  const found = all.flatMap((r) => r.priorityCategories).filter((c) => c.id === id);
  if (found.length === 0) {
    throw new ApiError(400, 'invalid_input', 'unknown priority category', {
      fields: [{ path: 'category', message: 'unknown category' }],
    });
  }
  if (found.every(isAgeCategory)) {
    throw new ApiError(
      400,
      'priority_by_age',
      'age priority comes from the birth date in the NIK; it is not claimed',
      {
        fields: [{ path: 'category', message: 'given by age from the NIK, not claimed' }],
      },
    );
  }
}
