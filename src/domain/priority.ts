// Priority in the draw: by age, derived from the birth date the NIK carries, on the service day (nobody
// claims it); or claimed with a document that the counter checks. A claim shown without its document is
// removed from the person's later draws. Pure: the join, the counter and the browser share it.
import type { Rules } from './rules.ts';

type Category = Rules['priorityCategories'][number];

/** Full years between a birth date and a day (both YYYY-MM-DD); 29 February birthdays turn on 1 March. */
export function ageOn(birthDate: string, day: string): number {
  const [by, bm, bd] = birthDate.split('-').map(Number) as [number, number, number];
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

export const isAgeCategory = (c: Category) => c.minAge !== undefined;

/** The categories a person may claim (each names its document). */
export function claimable(rules: Pick<Rules, 'priorityCategories'>): Category[] {
  return rules.priorityCategories.filter((c) => !isAgeCategory(c));
}

export interface PriorityPerson {
  birthDate: string;
  /** The category the person claims, if any. */
  category: string | null;
}

/**
 * The category an entry for the service day carries: the heaviest of the age categories the person has
 * reached by then and the claimed category (if the rules still have it as a claimable one).
 */
export function entryCategory(
  rules: Pick<Rules, 'priorityCategories'>,
  person: PriorityPerson,
  serviceDay: string,
): string | null {
  const age = ageOn(person.birthDate, serviceDay);
  let best: Category | null = null;
  for (const c of rules.priorityCategories) {
    const applies = isAgeCategory(c) ? age >= c.minAge! : c.id === person.category;
    if (applies && (!best || c.weight > best.weight)) best = c;
  }
  return best?.id ?? null;
}

/**
 * Claims that look made up: three or more persons of one account, every one claiming the same category.
 * A family with one disabled member is common; a household of five all disabled is a broker's pattern.
 */
export function implausibleClaims(persons: readonly { category: string | null }[]): string | null {
  if (persons.length < 3) return null;
  const first = persons[0]!.category;
  return first !== null && persons.every((p) => p.category === first) ? first : null;
}
