// Storage of draws: state, frozen inputs, staged and committed results. The draw computation itself is
// pure (src/domain); src/services/draw-runner.ts drives the steps.
import type { DrawOutcomeRow, PublishedEntry } from '../domain/draw-record.ts';
import type { BeaconAnchor, BeaconOutput, DrawOpening } from '../domain/draw-spec.ts';
import type { RedisClient } from '../redis/connection.ts';
import { ENTRY_BUCKETS, keys } from '../redis/keys.ts';
import { runScript } from '../redis/scripts.ts';
import { groupMembersOf } from './group-members.ts';

export type DrawState = 'open' | 'closed' | 'drawn';

export interface DrawMeta {
  officeId: string;
  drawDate: string;
  targetDate: string;
  state: DrawState;
  commitment: string;
  /** Secret until drawn. */
  seed: string;
  publicEntropy: string | null;
  openedAt: number | null;
  closedAt: number | null;
  drawnAt: number | null;
  rulesVersion: number | null;
  entriesDigest: string | null;
  resultsDigest: string | null;
  entryCount: number | null;
  winners: number | null;
  waitlisted: number | null;
  /** The transparency-log index of each event appended (services/draw-events.ts) when this was read. */
  logged?: Partial<Record<'opened' | 'closed' | 'drawn', number>>;
  /** The beacon round fixed at open; null = unanchored. */
  anchor: BeaconAnchor | null;
  /** The round's output once fetched and verified. */
  beacon: BeaconOutput | null;
  /** Why the draw is still waiting for its round, and when it tries again; null when not waiting. */
  beaconWait: { reason: string; at: number; nextTryAt: number } | null;
}

/** ioredis sends a Buffer as raw bytes but would turn any other Uint8Array into a string. */
/** Large texts go to Redis in pieces this big: each piece holds Redis for about a millisecond. */
const LARGE_VALUE_PIECE = 1 << 20;

const asArg = (v: string | Uint8Array) =>
  typeof v === 'string' ? v : Buffer.from(v.buffer, v.byteOffset, v.byteLength);

/**
 * An outcome hash of more rows than this is written as a hashtable (see stage): below it, a listpack's
 * linear searches cost Redis under a millisecond and it takes half the memory.
 */
const HASHTABLE_FROM_FIELDS = 256;
/** Not a ticket; its value is longer than any hash-max-listpack-value (docs/operations.md: 256). */
const HASHTABLE_PLACEHOLDER = '~hashtable';
const HASHTABLE_PLACEHOLDER_VALUE = 'x'.repeat(4096);

const num = (v: string | undefined) => (v === undefined || v === '' ? null : Number(v));
const epochDay = (date: string) => Math.floor(Date.parse(`${date}T00:00:00Z`) / 86_400_000);

/**
 * The frozen entry list as published objects (src/domain/draw-text.ts writes and reads it as columns).
 * Lines are `ticket\tweight\tprefs\tcategory\tlosses\tpenalty`, in the order the entries were read; its
 * SHA-256 is the entries digest (docs/draw-spec.md).
 */
export function parseFrozen(text: string): PublishedEntry[] {
  const out: PublishedEntry[] = [];
  for (const line of text.split('\n')) {
    if (!line) continue;
    const [ticket = '', weight = '', prefs = '*', category = '-', losses = '0', penalty = '0'] =
      line.split('\t');
    // A group entry lists its members' parts joined by ',' (docs/draw-spec.md, "Groups").
    const categories = category.split(',');
    const lossList = losses.split(',');
    const penalties = penalty.split(',');
    const members = categories.map((c, i) => ({
      category: c === '-' ? null : c,
      losses: Number(lossList[i] ?? '0'),
      penalty: penalties[i] === '1',
    }));
    out.push({
      ticket,
      weight: Number(weight),
      prefs: prefs === '*' ? null : prefs.split(','),
      ...members[0]!,
      ...(members.length > 1 ? { members } : {}),
    });
  }
  return out;
}

export function parseResults(text: string): DrawOutcomeRow[] {
  const out: DrawOutcomeRow[] = [];
  for (const line of text.split('\n')) {
    if (!line) continue;
    const [rank = '0', ticket = '', session = '-'] = line.split('\t');
    out.push({ rank: Number(rank), ticket, sessionId: session === '-' ? null : session });
  }
  return out;
}

export interface TicketOutcome {
  rank: number;
  sessionId: string | null;
  /** 1-based position on the waitlist, for entries that won nothing. */
  waitlistPosition: number | null;
}

/** Open is re-checked after this long; closed is forever. The Lua join is the authority either way. */
const OPEN_STATE_TTL_MS = 1000;

export class DrawStore {
  private readonly openState = new Map<string, { at: number; open: boolean }>();

  constructor(private readonly redis: RedisClient) {}

  /** The transparency-log index a draw event got (services/draw-events.ts), null if not appended yet. */
  async logIndex(officeId: string, drawDate: string, kind: string): Promise<number | null> {
    return num((await this.redis.hget(keys.draw(officeId, drawDate), `log.${kind}`)) ?? undefined);
  }

  async setLogIndex(officeId: string, drawDate: string, kind: string, index: number): Promise<void> {
    await this.redis.hset(keys.draw(officeId, drawDate), `log.${kind}`, String(index));
  }

  /** Whether entries may still go into a draw (a draw not started yet counts as open). Cached briefly. */
  async isOpen(officeId: string, drawDate: string): Promise<boolean> {
    const key = `${officeId}|${drawDate}`;
    const hit = this.openState.get(key);
    if (hit && (!hit.open || Date.now() - hit.at < OPEN_STATE_TTL_MS)) return hit.open;
    const state = await this.redis.hget(keys.draw(officeId, drawDate), 'state');
    const open = state === null || state === 'open';
    if (this.openState.size > 10_000) this.openState.clear();
    this.openState.set(key, { at: Date.now(), open });
    return open;
  }

  async meta(officeId: string, drawDate: string): Promise<DrawMeta | null> {
    const h = await this.redis.hgetall(keys.draw(officeId, drawDate));
    if (!h.state) return null;
    return {
      officeId,
      drawDate,
      targetDate: h.targetDate ?? '',
      state: h.state as DrawState,
      commitment: h.commitment ?? '',
      seed: h.seed ?? '',
      publicEntropy: h.publicEntropy || null,
      openedAt: num(h.openedAt),
      closedAt: num(h.closedAt),
      drawnAt: num(h.drawnAt),
      rulesVersion: num(h.rulesVersion),
      entriesDigest: h.entriesDigest || null,
      resultsDigest: h.resultsDigest || null,
      entryCount: num(h.entryCount),
      winners: num(h.winners),
      waitlisted: num(h.waitlisted),
      logged: Object.fromEntries(
        (['opened', 'closed', 'drawn'] as const)
          .filter((kind) => h[`log.${kind}`])
          .map((kind) => [kind, Number(h[`log.${kind}`])]),
      ),
      anchor: h.anchor ? (JSON.parse(h.anchor) as BeaconAnchor) : null,
      beacon: h.beacon ? (JSON.parse(h.beacon) as BeaconOutput) : null,
      beaconWait: h.beaconWait ? JSON.parse(h.beaconWait) : null,
    };
  }

  /** Draw dates of an office, newest first. */
  async list(officeId: string, limit = 60): Promise<string[]> {
    return this.redis.zrevrange(keys.drawIndex(officeId), 0, limit - 1);
  }

  async close(
    officeId: string,
    drawDate: string,
    targetDate: string,
    opening: DrawOpening,
    rulesVersion: number,
    nowMs: number,
  ): Promise<DrawState> {
    // This process knows at once; other processes notice within OPEN_STATE_TTL_MS (the join's Lua decides anyway).
    this.openState.set(`${officeId}|${drawDate}`, { at: Date.now(), open: false });
    return runScript<DrawState>(
      this.redis,
      'drawClose',
      [keys.draw(officeId, drawDate), keys.drawIndex(officeId)],
      [
        officeId,
        drawDate,
        targetDate,
        opening.seed,
        opening.commitment,
        nowMs,
        rulesVersion,
        epochDay(drawDate),
        opening.anchor,
      ],
    );
  }

  /** The verified beacon round, kept once: a rerun draws with the same round, whatever a beacon says later. */
  async setBeacon(officeId: string, drawDate: string, output: BeaconOutput): Promise<BeaconOutput> {
    const key = keys.draw(officeId, drawDate);
    await this.redis.hsetnx(key, 'beacon', JSON.stringify(output));
    await this.redis.hdel(key, 'beaconWait');
    return JSON.parse((await this.redis.hget(key, 'beacon'))!) as BeaconOutput;
  }

  /** Shown on the public record and in the admin console while a draw waits for its round. */
  async setBeaconWait(officeId: string, drawDate: string, wait: DrawMeta['beaconWait']): Promise<void> {
    await this.redis.hset(keys.draw(officeId, drawDate), 'beaconWait', JSON.stringify(wait));
  }

  /**
   * Public entropy (e.g. a future beacon value, announced while entries are open) is set once: being
   * able to change it after seeing its effect would defeat its purpose.
   */
  async setEntropy(
    officeId: string,
    drawDate: string,
    entropy: string,
  ): Promise<'set' | 'not_open' | 'already_set'> {
    const key = keys.draw(officeId, drawDate);
    const state = await this.redis.hget(key, 'state');
    if (state !== 'open') return 'not_open';
    return (await this.redis.hsetnx(key, 'publicEntropy', entropy)) === 1 ? 'set' : 'already_set';
  }

  /**
   * Streams a draw's entries as flat [ticket, packed, ...] arrays, one per bucket (keys.drawEntries), about
   * `count` entries per round trip: a pipeline HSCANs as many buckets as hold that many (a listpack bucket
   * answers whole in one call), so a small draw is read in one or two round trips and a million-entry draw
   * never holds Redis for long in one go. The next pipeline is on its way while the caller works.
   */
  async *scanEntries(officeId: string, drawDate: string, count = 5000): AsyncGenerator<string[]> {
    const total = Number((await this.redis.hget(keys.draw(officeId, drawDate), 'entries')) ?? 0);
    const perBucket = total / ENTRY_BUCKETS.length;
    const group = Math.min(ENTRY_BUCKETS.length, Math.max(1, Math.floor(count / Math.max(perBucket, 1))));
    const scanGroup = (from: number) => {
      const pipe = this.redis.pipeline();
      for (const b of ENTRY_BUCKETS.slice(from, from + group))
        pipe.hscan(keys.drawEntries(officeId, drawDate, b), '0', 'COUNT', count);
      const replies = pipe.exec();
      // Handled here too, so a caller that stops early leaves no unhandled rejection behind.
      replies.catch(() => {});
      return replies;
    };
    let pending = scanGroup(0);
    for (let from = 0; from < ENTRY_BUCKETS.length; from += group) {
      const replies = (await pending) ?? [];
      if (from + group < ENTRY_BUCKETS.length) pending = scanGroup(from + group);
      for (let i = 0; i < replies.length; i++) {
        const [err, reply] = replies[i]!;
        if (err) throw err;
        const [cursor, flat] = reply as [string, string[]];
        if (cursor === '0') {
          if (flat.length) yield flat;
        } else {
          yield* this.scanHashtableBucket(officeId, drawDate, ENTRY_BUCKETS[from + i]!, cursor, flat, count);
        }
      }
    }
  }

  /**
   * A bucket grown past hash-max-listpack-entries (or on a Redis with the default limits) is a hashtable,
   * read in HSCAN pages. HSCAN may return an entry twice while the table resizes; the draw must see each
   * entry once, so repeats are dropped.
   */
  private async *scanHashtableBucket(
    officeId: string,
    drawDate: string,
    bucket: string,
    cursor: string,
    first: string[],
    count: number,
  ): AsyncGenerator<string[]> {
    const key = keys.drawEntries(officeId, drawDate, bucket);
    const seen = new Set<string>();
    let page = first;
    for (;;) {
      const fresh: string[] = [];
      for (let j = 0; j < page.length; j += 2) {
        if (seen.has(page[j]!)) continue;
        seen.add(page[j]!);
        fresh.push(page[j]!, page[j + 1]!);
      }
      if (fresh.length) yield fresh;
      if (cursor === '0') return;
      [cursor, page] = await this.redis.hscan(key, cursor, 'COUNT', count);
    }
  }

  /**
   * Stores the frozen list once. The bytes go to a staging key in pieces first and draw-freeze.lua only
   * renames them into place: a 25 MB value in one command (or as a script argument) blocks Redis, and
   * every join with it, for tens to hundreds of milliseconds.
   */
  async freeze(officeId: string, drawDate: string, text: string | Uint8Array, digest: string, count: number) {
    const bytes = typeof text === 'string' ? Buffer.from(text, 'utf8') : (asArg(text) as Buffer);
    const staging = keys.drawFrozenStaging(officeId, drawDate);
    for (let attempt = 0; ; attempt++) {
      await this.writeInPieces(staging, bytes);
      const [status, detail] = await runScript<[number, string]>(
        this.redis,
        'drawFreeze',
        [keys.draw(officeId, drawDate), keys.drawFrozen(officeId, drawDate), staging],
        [digest, count, bytes.length],
      );
      // -2: the staging text is not all there (another run of this draw rewrote it meanwhile); again.
      if (status === -2 && attempt < 2) continue;
      if (status === -2) throw new Error(`frozen list of ${officeId} ${drawDate} could not be staged`);
      return {
        status: status === 1 ? 'stored' : status === 0 ? 'existing' : 'not_closed',
        digest: detail,
      } as const;
    }
  }

  /** SET then APPENDs of at most LARGE_VALUE_PIECE bytes, each its own round trip. */
  private async writeInPieces(key: string, bytes: Buffer): Promise<void> {
    await this.redis.set(key, bytes.subarray(0, LARGE_VALUE_PIECE));
    for (let at = LARGE_VALUE_PIECE; at < bytes.length; at += LARGE_VALUE_PIECE) {
      await this.redis.append(key, bytes.subarray(at, at + LARGE_VALUE_PIECE));
    }
  }

  async frozen(officeId: string, drawDate: string): Promise<string | null> {
    return this.redis.get(keys.drawFrozen(officeId, drawDate));
  }

  async results(officeId: string, drawDate: string): Promise<string | null> {
    return this.redis.get(keys.drawResults(officeId, drawDate));
  }

  /**
   * Writes the outcome under staging keys; harmless to repeat, invisible until commit. The per-ticket
   * outcome hash holds the winners and the head of the waitlist: that is all anyone looks up by ticket;
   * the full ranking is in the results text. `head` is those rows in rank order, with every waitlisted
   * row up to the last one it includes (waitlist positions are counted along it).
   */
  async stage(
    officeId: string,
    drawDate: string,
    resultsText: string | Uint8Array,
    head: readonly DrawOutcomeRow[],
    /** The group members of head rows, when the caller read them with the entries; else looked up here. */
    headMembers: ReadonlyMap<string, readonly string[]> | null = null,
  ): Promise<void> {
    const stagingHash = keys.drawOutcomeStaging(officeId, drawDate);
    const fields: string[] = [];
    // A group's row is its first member's ticket; every member looks its outcome up by its own.
    const [members] = await Promise.all([
      headMembers ??
        groupMembersOf(
          this.redis,
          officeId,
          drawDate,
          head.map((r) => r.ticket),
          true,
        ),
      this.redis.del(stagingHash),
    ]);
    let waitPos = 0;
    for (const r of head) {
      const pos = r.sessionId === null ? ++waitPos : '';
      const value = `${r.rank}|${r.sessionId ?? ''}|${pos}`;
      fields.push(r.ticket, value);
      for (const m of members.get(r.ticket) ?? []) fields.push(m, value);
    }
    // One pipeline of commands of 500 rows each: ~0.1 ms of Redis apiece, each its own command, and one
    // round trip for all (a round trip each was most of a small office's staging time).
    const chunk = 1000;
    const outcomes = (async () => {
      const pipe = this.redis.pipeline();
      // A listpack hash finds every field it sets by a linear search: filled field by field, a head of
      // 2,200 rows (a 1M draw's) cost Redis ~50 ms at hash-max-listpack-entries 2048. A value longer than
      // hash-max-listpack-value makes it a hashtable from the start.
      const large = fields.length / 2 > HASHTABLE_FROM_FIELDS;
      if (large) pipe.hset(stagingHash, HASHTABLE_PLACEHOLDER, HASHTABLE_PLACEHOLDER_VALUE);
      for (let i = 0; i < fields.length; i += chunk) pipe.hset(stagingHash, ...fields.slice(i, i + chunk));
      if (large) pipe.hdel(stagingHash, HASHTABLE_PLACEHOLDER);
      for (const [err] of (await pipe.exec()) ?? []) if (err) throw err;
    })();
    const results =
      typeof resultsText === 'string' ? Buffer.from(resultsText, 'utf8') : (asArg(resultsText) as Buffer);
    await Promise.all([outcomes, this.writeInPieces(keys.drawResultsStaging(officeId, drawDate), results)]);
  }

  /** Ticket → the other members of its group entry in this draw, for the group members among `tickets`. */
  /** Group members of drawn tickets; `drawnOnly` for places and offers (see groupMembersOf). */
  groupMembers(
    officeId: string,
    drawDate: string,
    tickets: readonly string[],
    drawnOnly = false,
  ): Promise<Map<string, string[]>> {
    return groupMembersOf(this.redis, officeId, drawDate, tickets, drawnOnly);
  }

  async commit(
    officeId: string,
    drawDate: string,
    r: { resultsDigest: string; entriesDigest: string; winners: number; waitlisted: number; nowMs: number },
  ): Promise<'committed' | 'already' | 'not_ready'> {
    const status = await runScript<number>(
      this.redis,
      'drawCommit',
      [
        keys.draw(officeId, drawDate),
        keys.drawOutcomeStaging(officeId, drawDate),
        keys.drawOutcome(officeId, drawDate),
        keys.drawResultsStaging(officeId, drawDate),
        keys.drawResults(officeId, drawDate),
      ],
      [r.resultsDigest, r.nowMs, r.winners, r.waitlisted, r.entriesDigest],
    );
    return status === 1 ? 'committed' : status === 0 ? 'already' : 'not_ready';
  }

  async outcome(officeId: string, drawDate: string, ticket: string): Promise<TicketOutcome | null> {
    const raw = await this.redis.hget(keys.drawOutcome(officeId, drawDate), ticket);
    if (!raw) return null;
    const [rank = '0', session = '', pos = ''] = raw.split('|');
    return { rank: Number(rank), sessionId: session || null, waitlistPosition: pos ? Number(pos) : null };
  }

  /** nikHash → penalty-until (ms) of persons with an active no-show strike (at any office). */
  async penalties(): Promise<Map<string, number>> {
    const h = await this.redis.hgetall(keys.penalties());
    return new Map(Object.entries(h).map(([k, v]) => [k, Number(v)]));
  }
}
