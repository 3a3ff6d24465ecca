// The persons an account applies for, each bound to one NIK (stored only as a keyed hash).
import { Hono } from 'hono';
import { z } from 'zod';
import { maskNik, validateNik } from '../../domain/nik.ts';
import { defaultRules } from '../../domain/rules.ts';
import { readJson } from '../../http/body.ts';
import { ApiError } from '../../http/errors.ts';
import { type PersonStanding, personStandings } from '../../services/person-standing.ts';
import type { Person } from '../../store/accounts/index.ts';
import type { AppEnv } from '../env.ts';
import { requireApplicant } from '../middleware/applicant-auth.ts';
import { enforceLimit, limitByIp } from '../middleware/rate-limit.ts';

export const personSchema = z
  .object({
    nik: z.string().trim().min(1).max(32),
    name: z
      .string()
      .trim()
      .min(2)
      .max(100)
      .regex(/^[\p{L}\p{M} .,'-]+$/u, "letters, spaces and . , ' - only"),
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
    // The household limit is a national rule of thumb; the strictest office limit would lock families out.
    const limit = await householdLimit(c);
    const result = await deps.accounts.addPerson(
      account.id,
      {
        nik: nik.nik,
        nikMasked: maskNik(nik.nik),
        name: body.name,
        birthDate: body.birthDate,
        category: body.category,
      },
      limit,
    );
    if (result.status === 'nik_conflict') {
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
    return c.json(
      { person: (await personsWithStanding(deps, [result.person]))[0] },
      result.status === 'added' ? 201 : 200,
    );
  });

async function householdLimit(c: { get: (k: 'deps') => AppEnv['Variables']['deps'] }): Promise<number> {
  const { offices } = c.get('deps');
  const list = await offices.list();
  const limits = await Promise.all(list.map(async (o) => (await offices.rules(o.id))?.rules.householdLimit));
  const known = limits.filter((n): n is number => typeof n === 'number');
  return known.length ? Math.max(...known) : defaultRules.householdLimit;
}
