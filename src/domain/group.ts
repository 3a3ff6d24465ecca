// Group entries: persons of one account entered into one draw together, who win or lose as one and are
// seated in one session. Pure: the applicant page runs the same checks before it submits.
//
// A minor (under MINOR_AGE on the service day, by the birth date the NIK carries) cannot be served without a
// parent or guardian at the counter, so a minor enters only in a group with an adult: a child who won alone
// would hold a seat nobody can use.

export const MINOR_AGE = 17;

/** Whole years from birthDate to onDate (both YYYY-MM-DD); a birthday on onDate counts as reached. */
export function ageOn(birthDate: string, onDate: string): number {
  const [by, bm, bd] = birthDate.split('-').map(Number) as [number, number, number];
  const [y, m, d] = onDate.split('-').map(Number) as [number, number, number];
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

export const isMinorOn = (birthDate: string, serviceDay: string) => ageOn(birthDate, serviceDay) < MINOR_AGE;

export interface GroupMember {
  personId: string;
  birthDate: string;
}

export type GroupRefusal =
  | { code: 'group_empty' }
  | { code: 'group_duplicate'; personId: string }
  | { code: 'group_too_large'; limit: number }
  | { code: 'minor_without_adult'; personIds: string[] };

/**
 * The members who would enter without an adult (all of them, when every one is a minor on serviceDay), or
 * null. The entry store applies it to every join, whoever calls it; groupRefusal adds the request's checks.
 */
export function minorsAlone(members: readonly GroupMember[], serviceDay: string): string[] | null {
  if (members.length === 0 || !members.every((m) => isMinorOn(m.birthDate, serviceDay))) return null;
  return members.map((m) => m.personId);
}

/**
 * Why these persons cannot enter one draw together for `serviceDay`, or null if they can. A single person
 * is a group of one, so a minor alone is refused the same way.
 */
export function groupRefusal(
  members: readonly GroupMember[],
  serviceDay: string,
  householdLimit: number,
): GroupRefusal | null {
  if (members.length === 0) return { code: 'group_empty' };
  const seen = new Set<string>();
  for (const m of members) {
    if (seen.has(m.personId)) return { code: 'group_duplicate', personId: m.personId };
    seen.add(m.personId);
  }
  if (members.length > householdLimit) return { code: 'group_too_large', limit: householdLimit };
  const minors = minorsAlone(members, serviceDay);
  return minors ? { code: 'minor_without_adult', personIds: minors } : null;
}
