// Shared by every part of the applicant page: the translator, the API shapes, the page state, the
// sections of the signed-in page, and error wording.
import { ApiFailure, type FieldError } from '../lib/api.ts';
import { byId, h, live } from '../lib/dom.ts';
import { type Field, say, showFieldErrors } from '../lib/form.ts';
import { translator, type Vars } from '../lib/i18n.ts';
import { errorText } from '../lib/page.ts';
import { PowSolver } from '../lib/pow.ts';
import { type Key, serverMessages, strings } from '../strings/applicant.ts';

export const t = translator(strings);
export const T = (key: Key, vars?: Vars) => live(() => t(key, vars));

// ---- API shapes (the subset this page reads) ----
export interface Session {
  id: string;
  start: string;
  end: string;
  capacity: number;
}
export interface NextDraw {
  drawDate: string;
  targetDate: string;
  closesAt: string;
  closesAtLocal: string;
  zoneLabel: string;
}
export interface Office {
  id: string;
  name: string;
  address: string;
  tz: string;
  dailyQuota: number;
  sessions: Session[];
  priorityCategories: { id: string; label: string; minAge: number | null; proof: string | null }[];
  nextDraw: NextDraw | null;
}
export interface Person {
  id: string;
  name: string;
  nikMasked: string;
  birthDate: string;
  category: string | null;
  /** Whether the person can enter a draw now (see src/services/person-standing.ts). */
  standing?: {
    active: { officeId: string; drawDate: string; ticket: string } | null;
    bannedUntil: string | null;
  };
  identity?: 'registry' | 'provisional' | 'shape';
}
export type EntryStatus = 'pending' | 'won' | 'waitlisted' | 'lost' | 'carried_over' | 'withdrawn' | 'void';
export interface Entry {
  ticket: string;
  officeId: string;
  drawDate: string;
  targetDate: string;
  personId: string;
  prefs: string[] | null;
  status: EntryStatus;
  createdAt: string;
  rank: number | null;
  sessionId: string | null;
  waitlistPosition: number | null;
  /** On that day's standby line: come before `until` (an instant). */
  standby?: { date: string; until: string } | null;
}
export interface Me {
  account: { id: string; contact: string; contactKind: 'phone' | 'email'; lang: 'id' | 'en' };
  persons: Person[];
  /** Persons the civil registry refused after a provisional binding, newest first (until one is added). */
  identityRefused?: { name: string; at: string }[];
  /** How the server checks a NIK: with 'registry', a person bound on its form alone can be confirmed. */
  identityCheck?: 'registry' | 'shape';
  csrfToken: string;
}

export const POLL_MS = 30_000;

/** Which optional sections the server has (404 before those APIs exist): only those are polled. */
export const optional = { appointments: false, messages: false };

export const state = {
  me: null as Me | null,
  persons: [] as Person[],
  offices: [] as Office[],
  entries: [] as Entry[],
  /** Entries so far in the next draw of an office, when the public draw record has it. */
  entryCounts: new Map<string, number>(),
  lastRefresh: 0,
};

export const codePow = new PowSolver('code');
export const entryPow = new PowSolver('entry');

export const main = byId('main');

/**
 * Set by the page's entry module: the parts call these without importing the entry (which imports them).
 */
export const nav = {
  renderSignIn: (_notice?: () => string): void => {},
  loadSignedIn: async (): Promise<void> => {},
  refreshStanding: async (): Promise<void> => {},
};

// Server messages are English; known ones are shown in the chosen language, unknown ones as sent.
export function fieldMessage(fallback: Key): (e: FieldError) => () => string {
  return (e) => {
    const known = serverMessages[e.message];
    return () => t(known ?? fallback);
  };
}

export const specificErrors: Partial<Record<string, Key>> = {
  invalid_code: 'err_invalid_code',
  locked: 'err_locked',
  resend_too_soon: 'err_resend_too_soon',
  not_pending: 'err_not_pending',
  draw_closed: 'err_draw_closed',
  already_entered: 'err_already_entered',
  active_elsewhere: 'err_active_elsewhere',
  banned: 'err_banned',
  no_draw: 'err_no_draw',
  household_limit: 'household_limit',
  nik_taken: 'nik_taken',
  nik_checks_used: 'nik_checks_used',
  identity_no_match: 'identity_no_match',
};
export const errText = (err: unknown) => errorText<Key>(err, t, specificErrors);

/** Field errors next to their controls, anything else in the form's status line. */
export function handleFormError(
  err: unknown,
  fields: Record<string, Field>,
  status: HTMLElement,
  fallback: Key,
): void {
  if (err instanceof ApiFailure && err.status === 401) {
    nav.renderSignIn(errText(err));
    return;
  }
  if (err instanceof ApiFailure && err.fields.length) {
    const unmatched = showFieldErrors(err.fields, fields, fieldMessage(fallback));
    if (unmatched.length === 0) return;
  }
  say(status, errText(err), 'error');
}

export const officeById = (id: string) => state.offices.find((o) => o.id === id);
export const personById = (id: string) => state.persons.find((p) => p.id === id);

export function categoryLabel(id: string, serverLabel: string): string {
  const key = `cat_${id}` as Key;
  return key in strings.en ? t(key) : serverLabel;
}

export const sections = {
  appointments: h('section', {
    class: 'card',
    id: 'appointments',
    hidden: true,
    'aria-labelledby': 'appointments-h',
  }),
  entries: h('section', { class: 'card', id: 'entries', 'aria-labelledby': 'entries-h' }),
  persons: h('section', { class: 'card', id: 'persons', 'aria-labelledby': 'persons-h' }),
  join: h('section', { class: 'card', id: 'join', 'aria-labelledby': 'join-h' }),
  messages: h('section', { class: 'card', id: 'messages', hidden: true, 'aria-labelledby': 'messages-h' }),
};
