// Every Redis key fairslot uses is built here, so the schema in docs/architecture.md has one source.
// Keys of one office share the hash tag {o:<officeId>}, keys of one applicant account share
// {a:<accountId>} and keys of one person (by NIK hash) share {n:<nikHash>}, so each aggregate lives on one
// Redis Cluster slot. Every Lua script touches one aggregate only; steps that span aggregates are ordered
// so that a crash between them leaves a state the next step repairs (see docs/architecture.md).

export const ROOT = 'fs';

const office = (officeId: string) => `${ROOT}:{o:${officeId}}`;
const account = (accountId: string) => `${ROOT}:{a:${accountId}}`;
const person = (nikHash: string) => `${ROOT}:{n:${nikHash}}`;
/** The one transparency log: its keys share one slot so an append is one atomic script. */
const log = `${ROOT}:{log}`;

/** Public tickets are 12 characters of this alphabet (no 0/O, 1/I), drawn at random by src/store/entries/join.ts. */
export const TICKET_ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';

/**
 * A draw's entries are split over 1024 hashes by the first two characters of the (random) ticket. Each
 * bucket holds ~1/1024 of the draw (~1000 at a million entries), few enough to stay a listpack under
 * the configured hash-max-listpack-entries (4096, docs/operations.md) up to ~4M entries: half the memory
 * of one big hashtable.
 */
export const ENTRY_BUCKETS: readonly string[] = [...TICKET_ALPHABET].flatMap((a) =>
  [...TICKET_ALPHABET].map((b) => a + b),
);
export const entryBucket = (ticket: string) => ticket.slice(0, 2);

export const keys = {
  /** List: the transparency log's leaves (canonical JSON of draw events), index = position. */
  logLeaves: () => `${log}:leaves`,
  /** Hash: "<level>:<index>" → hex hash of each complete, aligned Merkle subtree (level 0 = leaf hashes). */
  logNodes: () => `${log}:nodes`,
  /** Hash: "<event type>|<draw id>" → leaf index, so an event is appended once. */
  logIds: () => `${log}:ids`,
  /** Set of all office ids. */
  officeIndex: () => `${ROOT}:offices`,
  /** Hash: id, name, address, tz, createdAt. */
  office: (officeId: string) => `${office(officeId)}:office`,
  /** String: JSON {version, rules, createdAt, createdBy} of the version in force. */
  rulesCurrent: (officeId: string) => `${office(officeId)}:rules`,
  /** List: every rules version ever (JSON with diff), oldest first; kept forever. */
  rulesHistory: (officeId: string) => `${office(officeId)}:rules:history`,

  /** Hash: state, commitment, seed, entropy, digests, counts of one draw. */
  draw: (officeId: string, drawDate: string) => `${office(officeId)}:draw:${drawDate}`,
  /**
   * Hash: ticket → packed entry (store/entry-codec.ts), for the tickets of one bucket (entryBucket).
   * Only src/store reads and writes these (EntryStore, DrawStore.scanEntries); the count is the draw
   * meta's `entries` field.
   */
  drawEntries: (officeId: string, drawDate: string, bucket: string) =>
    `${office(officeId)}:draw:${drawDate}:entries:${bucket}`,
  /** String: the frozen entry list (published JSON lines) written at close. */
  drawFrozen: (officeId: string, drawDate: string) => `${office(officeId)}:draw:${drawDate}:frozen`,
  /** String: the frozen list being written in pieces, renamed to drawFrozen by draw-freeze.lua. */
  drawFrozenStaging: (officeId: string, drawDate: string) =>
    `${office(officeId)}:draw:${drawDate}:frozen:staging`,
  /** String: the computed results (published JSON) written at commit. */
  drawResults: (officeId: string, drawDate: string) => `${office(officeId)}:draw:${drawDate}:results`,
  /** Hash: ticket → "rank|sessionId|waitlistPosition" once the draw is committed. */
  drawOutcome: (officeId: string, drawDate: string) => `${office(officeId)}:draw:${drawDate}:outcome`,
  /** Staging twins, filled before the atomic commit renames them into place. */
  drawOutcomeStaging: (officeId: string, drawDate: string) =>
    `${office(officeId)}:draw:${drawDate}:outcome:staging`,
  drawResultsStaging: (officeId: string, drawDate: string) =>
    `${office(officeId)}:draw:${drawDate}:results:staging`,
  /** Hash: one appointment (code, office, day, session, ticket, person, state, deadline, history). */
  appointment: (officeId: string, code: string) => `${office(officeId)}:appt:${code}`,
  /** Hash: sessionId → appointments holding a place (offered + confirmed + checked_in) on one day. */
  dayHeld: (officeId: string, date: string) => `${office(officeId)}:day:${date}:held`,
  /** Set: every appointment code of one office day (the day sheet). */
  dayAppointments: (officeId: string, date: string) => `${office(officeId)}:day:${date}:appts`,
  /** Sorted set: waitlisted tickets of one office day, scored by waitlist position. */
  dayWaitlist: (officeId: string, date: string) => `${office(officeId)}:day:${date}:waitlist`,
  /** Sorted set: the day's standby line (tickets left on the waitlist at the cut-off), scored by rank. */
  dayStandby: (officeId: string, date: string) => `${office(officeId)}:day:${date}:standby`,
  /** Hash: standby ticket → JSON of the person (account, person, NIK hash, group, prefs, carried entry). */
  dayStandbyPeople: (officeId: string, date: string) => `${office(officeId)}:day:${date}:standby:people`,
  /** Hash: standby ticket → "epoch ms|officer" of the arrival the counter recorded. */
  dayStandbyArrived: (officeId: string, date: string) => `${office(officeId)}:day:${date}:standby:arrived`,
  /** Hash: session → places seated from standby (checked in at once). */
  dayStandbySeated: (officeId: string, date: string) => `${office(officeId)}:day:${date}:standby:seated`,
  /** Hash: ticket → date of the standby line it is on, so the counter can say "another day". */
  officeStandbyIndex: (officeId: string) => `${office(officeId)}:standby`,
  /** List: JSON of every standby arrival and seating (who, when, what), oldest first. */
  dayStandbyLog: (officeId: string, date: string) => `${office(officeId)}:day:${date}:standby:log`,
  /**
   * Hash: session → places reserved on the day for people moved from a closed day, before its draw
   * closed. The draw seats its winners in capacity minus these (store/closed-days.ts).
   */
  dayReserved: (officeId: string, date: string) => `${office(officeId)}:day:${date}:reserved`,
  /** Hash: date → JSON {reason, by, at, kind} of each day the office is closed (its own holidays too). */
  officeClosed: (officeId: string) => `${office(officeId)}:closed`,
  /** List: every closing and reopening of the office's days, with who and why (JSON, oldest first). */
  officeClosedLog: (officeId: string) => `${office(officeId)}:closed:log`,
  /** Hash: counters of priority claims at the counter (checkins, claimed:<cat>, seen:<cat>, notSeen:<cat>). */
  officeClaims: (officeId: string) => `${office(officeId)}:claims`,
  /** Hash: ticket → appointment code, so a ticket gets at most one appointment. */
  ticketAppointment: (officeId: string, drawDate: string) => `${office(officeId)}:draw:${drawDate}:appts`,
  /** Sorted set: open offers scored by deadline (ms), for the forfeit sweep. */
  openOffers: (officeId: string) => `${office(officeId)}:offers`,
  /** Global hash: booking code → officeId, so a code alone finds its appointment. */
  codeIndex: () => `${ROOT}:codes`,
  /** Hash: appointment code → officeId|date of an account's appointments. */
  accountAppointments: (accountId: string) => `${account(accountId)}:appts`,
  /** Global hash: nikHash → epoch ms until which the no-show penalty factor applies (read once per draw). */
  penalties: () => `${ROOT}:penalties`,
  /** Sorted set: no-show strikes of one person (member = appointment code, score = time). */
  nikStrikes: (nikHash: string) => `${person(nikHash)}:strikes`,
  /** Sorted set of draw dates of this office (score = epoch day), for listings. */
  drawIndex: (officeId: string) => `${office(officeId)}:draws`,
  /** Hash: ticket → "drawDate", to find an entry's draw from its public ticket. */
  ticketIndex: (officeId: string) => `${office(officeId)}:tickets`,

  /** Hash: contactHash → accountId (global: one lookup per sign-in). */
  contactIndex: () => `${ROOT}:contacts`,
  /**
   * Hash: contact (encrypted-free: we keep only the normalised contact for sending), lang, blocked, ...,
   * and the account's own record of each entry under its ticket (store/account-entry-codec.ts): a hash
   * every account already has, so an entry adds a field rather than a key. Field names of 12 ticket
   * characters are reserved for those records.
   */
  account: (accountId: string) => `${account(accountId)}:account`,
  /** Hash: personId → JSON {nikHash, nikMasked, name, birthDate, category}. */
  accountPersons: (accountId: string) => `${account(accountId)}:persons`,
  /** Set of all account ids that have not verified yet, scored by creation time (purge job). */
  unverifiedAccounts: () => `${ROOT}:accounts:unverified`,

  /**
   * Hash: owner accountId, personId, bannedUntil, penaltyUntil; one NIK, one account. Field `active`
   * holds the person's one active entry or appointment (see EntryStore: claim value).
   */
  nik: (nikHash: string) => `${person(nikHash)}:nik`,
  /** String: fingerprint of the NIK, name and birth date the registry last matched (TTL: the cache's life). */
  identityMatch: (nikHash: string) => `${person(nikHash)}:idv`,
  /** Hash: accountId, personId, the NIK sealed under IDENTITY_SEAL_KEY while the registry has not answered. */
  identitySeal: (nikHash: string) => `${person(nikHash)}:idseal`,

  /** Hash: code hash, tries, expiresAt, lockedUntil, sentAt of a one-time sign-in code. */
  otp: (contactHash: string) => `${ROOT}:otp:${contactHash}`,
  /**
   * Hash: applicant session (accountId, csrf). TTL = session lifetime. Under the account's hash tag, so one
   * script reads the session and the account together (the cookie names the account: ApplicantSessionStore).
   */
  applicantSession: (accountId: string, sessionHash: string) => `${account(accountId)}:asess:${sessionHash}`,
  /** Hash: staff session (username, role, officeId, csrf). */
  staffSession: (sessionHash: string) => `${ROOT}:ssess:${sessionHash}`,
  /** Hash: username → user record. */
  user: (username: string) => `${ROOT}:user:${username}`,
  userIndex: () => `${ROOT}:users`,
  /** Hash: API token hash → username. */
  apiToken: (tokenHash: string) => `${ROOT}:token:${tokenHash}`,
  /** String counter with TTL: failed sign-ins of one staff user. */
  loginFailures: (username: string) => `${ROOT}:loginfail:${username}`,

  /** String counter with TTL: a fixed-window rate limit bucket. */
  rateLimit: (bucket: string, id: string, window: number) => `${ROOT}:rl:${bucket}:${id}:${window}`,
  /** String counter with TTL: a fixed-window limit of one account, beside its other keys (one script). */
  accountRateLimit: (accountId: string, bucket: string, window: number) =>
    `${account(accountId)}:rl:${bucket}:${window}`,
  /** Set: proof-of-work challenge ids already used (single use). */
  powUsed: (challengeId: string) => `${ROOT}:pow:${challengeId.slice(0, 32)}`,

  /** Hash: date → JSON {name, kind, year, source, loadedBy, loadedAt}: national days off, every office. */
  nationalHolidays: () => `${ROOT}:holidays:national`,
  /** List: every national list loaded (JSON {country, year, source, days, by, at}), oldest first. */
  nationalHolidaysLog: () => `${ROOT}:holidays:national:log`,

  /** List: abuse flags, newest last (JSON). */
  flags: () => `${ROOT}:flags`,
  /** Set of distinct account ids seen from one IP on one day. */
  ipAccounts: (ipHash: string, day: string) => `${ROOT}:ipacc:${ipHash}:${day}`,

  /** Hash: send record of one message (state sending/retrying/sent/failed, attempts, providerId, ...). */
  notification: (idKey: string) => `${ROOT}:notif:${idKey}`,
  /** List: the account's last deliveries (JSON {id, template, channel, state, at, error?}), newest first. */
  accountDeliveries: (accountId: string) => `${account(accountId)}:deliveries`,

  /** String: when this store was created (by the server's first start or `--init`); CLIs refuse a Redis without it. */
  store: () => `${ROOT}:store`,
  /** String: DEV_MODE only, the virtual clock's offset from the system clock in ms (src/clock.ts). */
  devClockOffset: () => `${ROOT}:dev:clock`,
  /** Marker that demo data was loaded once. */
  seeded: () => `${ROOT}:seeded`,
};

/** BullMQ prefix: hash-tagged so every key of a queue lands in one cluster slot (never ioredis keyPrefix). */
export const queuePrefix = `{${ROOT}q}`;
