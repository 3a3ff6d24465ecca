// Signed-in applicants made straight in Redis with the real stores (account, verification, person bound to
// a NIK hash, session), and the request plans the load generator replays: one distinct applicant and one
// fresh proof of work per join, so every request is a real first entry and never a 409 duplicate.

import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { APPLICANT_COOKIE } from '../src/api/middleware/applicant-auth.ts';
import type { Deps } from '../src/deps.ts';
import { exampleNik, maskNik } from '../src/domain/nik.ts';
import { solvePows } from './pow.ts';
import { pool } from './stats.ts';

export interface Applicant {
  accountId: string;
  personId: string;
  sid: string;
  csrf: string;
}

/** One line of a plan file: what the load generator sends for one join. */
export interface PlannedRequest {
  cookie: string;
  csrf: string;
  body: string;
}

const DAY_MS = 86_400_000;
const BIRTH_EPOCH = Date.UTC(1950, 0, 1);

/**
 * Hands out person numbers that are distinct across the whole run. A person may hold one active entry in
 * all offices together, so applicants and synthetic draw entries must never share a NIK.
 */
export class Identities {
  private next = 0;

  take(n: number): number {
    const first = this.next;
    this.next += n;
    return first;
  }
}

/** A structurally valid NIK and matching birth date for person number g (distinct g, distinct NIK). */
export function personFor(g: number): { nik: string; birthDate: string } {
  // exampleNik varies serial (1..9999), then sex, then birth date, which gives ~10^8 distinct people.
  const serial = (g % 9999) + 1;
  const q = Math.floor(g / 9999);
  const sex = q % 2 === 0 ? 'M' : 'F';
  const birthDate = new Date(BIRTH_EPOCH + Math.floor(q / 2) * DAY_MS).toISOString().slice(0, 10);
  return { nik: exampleNik({ birthDate, sex, serial }), birthDate };
}

/** Distinct private IPs, so the "many accounts from one IP" abuse flag does not fire on the fixtures. */
const ipFor = (g: number) => `10.${(g >> 16) & 255}.${(g >> 8) & 255}.${g & 255}`;

export async function createApplicants(deps: Deps, first: number, n: number): Promise<Applicant[]> {
  const out = new Array<Applicant>(n);
  const householdLimit = 5;
  await pool(n, 400, async (i) => {
    const g = first + i;
    const { nik, birthDate } = personFor(g);
    const contact = `+628${String(1_000_000_000 + g)}`;
    const accountId = await deps.accounts.ensureAccount(contact, 'phone', 'id');
    await deps.accounts.markVerified(accountId, ipFor(g));
    const added = await deps.accounts.addPerson(
      accountId,
      { nik, nikMasked: maskNik(nik), name: `Bench Applicant ${g}`, birthDate, category: null },
      householdLimit,
    );
    if (added.status !== 'added') throw new Error(`fixture person ${g}: ${added.status}`);
    const { sid, csrf } = await deps.applicantSessions.create({ accountId });
    out[i] = { accountId, personId: added.person.id, sid, csrf };
  });
  return out;
}

/** Session preferences: most applicants take any session, some name two (exercises prefs validation). */
export function prefsFor(i: number): 'any' | string[] {
  return i % 4 === 0 ? ['pagi-1', 'siang-2'] : 'any';
}

/**
 * n fresh applicants and their join requests into one office, each with its own solved challenge. The
 * challenges are solved in child processes while this process writes the applicants to Redis.
 */
export async function joinPlan(
  deps: Deps,
  ids: Identities,
  n: number,
  officeId: string,
): Promise<{ applicants: Applicant[]; plan: PlannedRequest[] }> {
  const [applicants, pows] = await Promise.all([
    createApplicants(deps, ids.take(n), n),
    solvePows(deps.config.appSecret, deps.config.POW_COST, n),
  ]);
  const plan = applicants.map((a, i) => ({
    cookie: `${APPLICANT_COOKIE}=${a.sid}`,
    csrf: a.csrf,
    body: JSON.stringify({ personId: a.personId, officeId, prefs: prefsFor(i), pow: pows[i] }),
  }));
  return { applicants, plan };
}

export async function writePlan(file: string, plan: PlannedRequest[]): Promise<void> {
  const out = createWriteStream(file);
  for (const p of plan) {
    if (!out.write(`${JSON.stringify(p)}\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}
