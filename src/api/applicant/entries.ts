// Entering a draw, seeing one's entries and withdrawing. Arrival order gives no advantage: every
// entry before the close competes equally in the draw.

import { type Context, Hono } from 'hono';
import { getCookie } from 'hono/cookie';
import { z } from 'zod';
import { entryCategory } from '../../domain/priority.ts';
import { dailyQuota } from '../../domain/rules.ts';
import { readJson } from '../../http/body.ts';
import { ApiError, notFound } from '../../http/errors.ts';
import { openDraw } from '../../services/open-draw.ts';
import { resolvedEntriesOf } from '../../services/outcomes.ts';
import type { Account, Person } from '../../store/accounts/index.ts';
import type { JoinResult, SingleUseMarker } from '../../store/entries/index.ts';
import { officeIdSchema } from '../../store/offices.ts';
import type { LimitResult } from '../../store/rate-limits.ts';
import type { AppEnv } from '../env.ts';
import {
  APPLICANT_COOKIE,
  accountBlocked,
  csrfFailed,
  requireApplicant,
  unauthenticated,
} from '../middleware/applicant-auth.ts';
import { checkPow, powReused } from '../middleware/pow.ts';
import { assertAllowed, limitByIp, scaledLimit } from '../middleware/rate-limit.ts';
import { assertGroupAllowed } from './group-entry.ts';

const sessionId = z.string().min(1).max(40);
const personIdSchema = z.string().min(1).max(40);
export const joinSchema = z
  .object({
    /** One person alone. */
    personId: personIdSchema.optional(),
    /** Several persons of the account as one group: they win or lose as one and are seated together. */
    personIds: z.array(personIdSchema).min(1).max(20).optional(),
    officeId: officeIdSchema,
    prefs: z.union([z.literal('any'), z.array(sessionId).min(1).max(24)]),
    pow: z.string().max(4096).optional(),
  })
  .strict()
  .refine((b) => (b.personId === undefined) !== (b.personIds === undefined), {
    message: 'give either personId or personIds',
    path: ['personIds'],
  });

/** Joins per account and hour: a household's handful of persons, with room for refusals and retries. */
const JOIN_LIMIT = { bucket: 'join-acct', limit: 30, windowSeconds: 3600 };

const ticketSchema = z.string().regex(/^[A-Z0-9]{12}$/);

/**
 * Who is joining, within their hourly limit, and the person they name: one round trip (JoinGate). Answers 401 and 403 before 429, as the
 * applicant middleware in front of every other route does.
 */
async function admitJoin(
  c: Context<AppEnv>,
  personId: string,
): Promise<{ account: Account; limited: LimitResult & { person: Person | null } }> {
  const deps = c.get('deps');
  const limit = scaledLimit(c, JOIN_LIMIT);
  const sid = getCookie(c, APPLICANT_COOKIE);
  if (!sid) throw unauthenticated();
  const gate = await deps.joinGate.check(sid, c.req.header('x-csrf-token') ?? '', personId, limit);
  switch (gate.status) {
    case 'ok':
      c.set('account', gate.account);
      return { account: gate.account, limited: { ...gate.limit, person: gate.person } };
    case 'csrf_failed':
      throw csrfFailed();
    case 'blocked':
      throw accountBlocked();
    default:
      throw unauthenticated();
  }
}

/** The answer to a refused join; for a group, `personId` names the member it was refused for. */
function refusalError(r: Exclude<JoinResult, { ok: true }>, personId?: string): ApiError {
  const who = personId ? { personId } : {};
  switch (r.reason) {
    case 'duplicate':
      return new ApiError(409, 'already_entered', 'this person is already in this draw', {
        ticket: r.ticket,
        ...who,
      });
    case 'active_elsewhere':
      return new ApiError(409, 'active_elsewhere', 'this person already has an active entry or appointment', {
        officeId: r.officeId,
        drawDate: r.drawDate,
        ...who,
      });
    case 'banned':
      return new ApiError(
        403,
        'banned',
        `this person is banned after missed appointments until ${r.bannedUntil.toISOString()}`,
        { bannedUntil: r.bannedUntil.toISOString(), ...who },
      );
    case 'blocked':
      return new ApiError(403, 'account_blocked', 'this account is blocked; contact the office');
    case 'single_use_taken':
      return powReused();
    default:
      return new ApiError(409, 'draw_closed', 'the draw just closed; try again');
  }
}

export const entryRoutes = new Hono<AppEnv>()
  .get('/', requireApplicant(), async (c) => {
    return c.json({ entries: await resolvedEntriesOf(c.get('deps'), c.get('account').id) });
  })
  // No requireApplicant here: admitJoin checks the session together with the limit and the person.
  .post('/', limitByIp({ bucket: 'join-ip', limit: 600, windowSeconds: 600 }), async (c) => {
    const deps = c.get('deps');
    // The body needs no Redis, so it is read first; then the session, the account's limit and the person
    // are one script.
    const parsed = await readJson(c, joinSchema).then(
      (value) => ({ ok: true as const, value }),
      (error: unknown) => ({ ok: false as const, error }),
    );
    const [admitted, place] = await Promise.allSettled([
      admitJoin(c, parsed.ok ? (parsed.value.personId ?? parsed.value.personIds![0]!) : ''),
      parsed.ok ? deps.offices.cached(parsed.value.officeId) : null,
    ]);
    if (admitted.status === 'rejected') throw admitted.reason;
    const { account, limited } = admitted.value;
    // Over the limit answers 429 whatever the body: a flood of bad bodies must not dodge it.
    assertAllowed(limited);
    if (!parsed.ok) throw parsed.error;
    if (place.status === 'rejected') throw place.reason;
    const body = parsed.value;
    const person = limited.person;
    const { office = null, rules: current = null } = place.value ?? {};
    if (!office || !current) {
      throw new ApiError(404, 'not_found', 'office not found', {
        fields: [{ path: 'officeId', message: 'unknown office' }],
      });
    }
    const rules = current.rules;
    if (!person) {
      throw new ApiError(404, 'not_found', 'person not found', {
        fields: [{ path: body.personIds ? 'personIds.0' : 'personId', message: 'not on your account' }],
      });
    }
    const persons = [person];
    for (const [i, id] of (body.personIds ?? []).entries()) {
      if (i === 0) continue;
      const p = id === person.id ? person : await deps.accounts.person(account.id, id);
      if (!p) {
        throw new ApiError(404, 'not_found', 'person not found', {
          fields: [{ path: `personIds.${i}`, message: 'not on your account' }],
        });
      }
      persons.push(p);
    }
    let prefs: string[] | null = null;
    if (body.prefs !== 'any') {
      const known = new Set(rules.sessions.map((s) => s.id));
      const bad = body.prefs.find((p) => !known.has(p));
      if (bad)
        throw new ApiError(400, 'invalid_input', `unknown session ${bad}`, {
          fields: [{ path: 'prefs', message: 'unknown session' }],
        });
      if (new Set(body.prefs).size !== body.prefs.length) {
        throw new ApiError(400, 'invalid_input', 'a session is listed twice', {
          fields: [{ path: 'prefs', message: 'duplicate session' }],
        });
      }
      prefs = body.prefs;
    }
    // Checked here, marked used by the join itself: on a single Redis server in the same script.
    let powMarker: SingleUseMarker | undefined = checkPow(c, body.pow, 'entry');

    let now = deps.now();
    // A draw that closes between computing it and the Lua check sends the entry to the next one.
    for (let attempt = 0; attempt < 2; attempt++) {
      const draw = await openDraw(deps, office.id, office.tz, rules, now);
      if (!draw) throw new ApiError(409, 'no_draw', 'this office has no draw scheduled; try another office');
      assertGroupAllowed(persons, draw.targetDate, rules.householdLimit);
      // The answer names the close in the office's own time, as the page shows it.
      const when = { closesAt: draw.closesAt, closesAtLocal: draw.closesAtLocal, zoneLabel: draw.zoneLabel };
      const accepted = <T extends object>(count: number, answer: T) => {
        deps.metrics.joins.inc({ outcome: 'accepted' }, count);
        return c.json({ ...answer, quota: dailyQuota(rules) }, 201);
      };
      /** Counts a refusal; true when the draw closed meanwhile and the next one should be tried. */
      const closedMeanwhile = (reason: string) => {
        deps.metrics.joins.inc({ outcome: reason });
        if (reason !== 'draw_closed') return false;
        now = new Date(Date.parse(draw.closesAt) + 1);
        return true;
      };
      const into = {
        accountId: account.id,
        officeId: office.id,
        drawDate: draw.drawDate,
        targetDate: draw.targetDate,
        prefs,
        // requireApplicant read this account a moment ago and refused it if blocked.
        accountCheckedUnblocked: true,
        singleUse: powMarker,
      };
      const entrant = (p: (typeof persons)[number]) => ({
        personId: p.id,
        nikHash: p.nikHash,
        birthDate: p.birthDate,
        // Age priority is the person's age on the service day; a claimed one is checked at the counter.
        category: entryCategory(rules, p, draw.targetDate),
        // Bound while the registry did not answer: held from the draw until it matches.
        unverified: p.identity === 'provisional',
      });
      if (body.personIds && persons.length > 1) {
        const g = await deps.entries.joinGroup(into, persons.map(entrant));
        powMarker = undefined;
        if (g.ok) {
          const entries = g.entries.map((e) => ({ ...e, ...when }));
          return accepted(entries.length, { entries, entryCount: g.entryCount });
        }
        if (closedMeanwhile(g.reason)) continue;
        throw refusalError(g, g.personId);
      }
      const r = await deps.entries.join({ ...into, ...entrant(person) });
      // A refused join has used its proof, whatever the reason (as a refused sign-in code does).
      powMarker = undefined;
      if (r.ok) return accepted(1, { entry: { ...r.entry, ...when }, entryCount: r.entryCount });
      if (closedMeanwhile(r.reason)) continue;
      throw refusalError(r, body.personIds ? person.id : undefined);
    }
    throw new ApiError(409, 'draw_closed', 'the draw just closed; try again');
  })
  .delete(
    '/:ticket',
    requireApplicant(),
    limitByIp({ bucket: 'withdraw-ip', limit: 600, windowSeconds: 600 }),
    async (c) => {
      const deps = c.get('deps');
      const account = c.get('account');
      const parsed = ticketSchema.safeParse(c.req.param('ticket'));
      if (!parsed.success) throw notFound('entry');
      const entry = await deps.entries.forAccountByTicket(account.id, parsed.data);
      const person = entry ? await deps.accounts.person(account.id, entry.personId) : null;
      if (!entry || !person) throw notFound('entry');
      if (entry.status !== 'pending') throw new ApiError(409, 'not_pending', `the entry is ${entry.status}`);
      const r = await deps.entries.withdraw(account.id, { ...entry, nikHash: person.nikHash }, 'withdrawn');
      if (r === 'closed')
        throw new ApiError(409, 'draw_closed', 'the draw has closed; the entry can no longer be withdrawn');
      if (r === 'not_found') throw notFound('entry');
      return c.json({ entry: { ...entry, status: 'withdrawn' } });
    },
  );
