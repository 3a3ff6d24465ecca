// Runs one office's draw for one date, idempotently: close → freeze inputs → compute → stage → commit.
// Every step can be repeated after a crash: the close and the freeze are recorded once, the computation
// is a pure function of the frozen inputs, and the commit is a single Lua step that happens once.
import { createHash, randomBytes } from 'node:crypto';
import type { Deps } from '../deps.ts';
import { targetDateFor } from '../domain/calendar.ts';
import {
  computeDraw,
  type DrawOutcomeRow,
  effectiveSeed,
  type PublishedEntry,
  resultsDigest,
  sha256Hex,
} from '../domain/draw-record.ts';
import { entryWeight, type HashFn } from '../domain/lottery.ts';
import type { Rules } from '../domain/rules.ts';
import { type DrawMeta, type DrawStore, frozenText, parseFrozen } from '../store/draws.ts';
import { unpackEntry } from '../store/entry-codec.ts';

/** node:crypto gives the same bytes as the browser's noble SHA-256, several times faster. */
export const nodeHash: HashFn = (data) => createHash('sha256').update(data).digest();

/** Waitlist positions kept for per-ticket lookup, in multiples of the day's quota. */
const WAITLIST_LOOKUP_FACTOR = 10;

export type DrawStep = 'closed' | 'frozen' | 'computed' | 'staged' | 'committed';

export interface DrawRunResult {
  meta: DrawMeta;
  committedNow: boolean;
}

export const drawIdOf = (officeId: string, drawDate: string) => `${officeId}:${drawDate}`;

export function newSeed(): { seed: string; commitment: string } {
  const seed = randomBytes(32).toString('hex');
  return { seed, commitment: createHash('sha256').update(seed).digest('hex') };
}

/** Weight of every entry from the rules version in force at close; pure given its inputs. */
export function weighEntries(
  flat: string[],
  rules: Rules,
  penalties: Map<string, number>,
  atMs: number,
  into: PublishedEntry[],
): void {
  const categoryWeight = new Map(rules.priorityCategories.map((c) => [c.id, c.weight]));
  for (let i = 0; i < flat.length; i += 2) {
    const ticket = flat[i]!;
    const e = unpackEntry(flat[i + 1]!);
    const penalised = (penalties.get(e.nikHash) ?? 0) > atMs;
    into.push({
      ticket,
      weight: entryWeight({
        categoryWeight: (e.category && categoryWeight.get(e.category)) || 1,
        consecutiveLosses: e.losses,
        loserBonus: rules.loserBonus,
        penaltyFactor: penalised ? rules.noShow.penaltyFactor : 1,
      }),
      prefs: e.prefs,
    });
  }
}

export class DrawRunner {
  constructor(
    private readonly deps: Pick<Deps, 'offices' | 'draws' | 'now' | 'log'>,
    private readonly onStep?: (step: DrawStep) => Promise<void> | void,
  ) {}

  private get draws(): DrawStore {
    return this.deps.draws;
  }

  private async rulesOf(officeId: string, version: number | null): Promise<Rules> {
    const v = version
      ? await this.deps.offices.rulesVersion(officeId, version)
      : await this.deps.offices.rules(officeId);
    if (!v) throw new Error(`no rules for office ${officeId}`);
    return v.rules;
  }

  /** Reads the entries and weighs them; the frozen text is what gets published and digested. */
  private async buildFrozen(
    officeId: string,
    drawDate: string,
    rules: Rules,
    atMs: number,
  ): Promise<PublishedEntry[]> {
    const penalties = await this.draws.penalties();
    const entries: PublishedEntry[] = [];
    for await (const flat of this.draws.scanEntries(officeId, drawDate)) {
      weighEntries(flat, rules, penalties, atMs, entries);
    }
    return entries;
  }

  async run(officeId: string, drawDate: string): Promise<DrawRunResult> {
    const office = await this.deps.offices.get(officeId);
    if (!office) throw new Error(`unknown office ${officeId}`);
    let meta = await this.draws.meta(officeId, drawDate);
    if (meta?.state !== 'drawn') {
      const current = await this.deps.offices.rules(officeId);
      if (!current) throw new Error(`no rules for office ${officeId}`);
      const nowMs = this.deps.now().getTime();
      await this.draws.close(
        officeId,
        drawDate,
        targetDateFor(current.rules, drawDate),
        newSeed(),
        current.version,
        nowMs,
      );
      await this.onStep?.('closed');
      meta = (await this.draws.meta(officeId, drawDate))!;
    }
    if (meta.state === 'drawn') return { meta, committedNow: false };

    const rules = await this.rulesOf(officeId, meta.rulesVersion);
    let text = await this.draws.frozen(officeId, drawDate);
    if (text === null || !meta.entriesDigest) {
      const entries = await this.buildFrozen(officeId, drawDate, rules, meta.closedAt ?? 0);
      const built = frozenText(entries);
      const frozen = await this.draws.freeze(
        officeId,
        drawDate,
        built,
        sha256Hex(built, nodeHash),
        entries.length,
      );
      if (frozen.status === 'not_closed') throw new Error(`draw ${officeId} ${drawDate} is not closed`);
      text = frozen.status === 'stored' ? built : ((await this.draws.frozen(officeId, drawDate)) ?? '');
    }
    await this.onStep?.('frozen');
    meta = (await this.draws.meta(officeId, drawDate))!;

    const entries = parseFrozen(text);
    const rows = computeDraw({
      seed: effectiveSeed(meta.seed, meta.publicEntropy, nodeHash),
      drawId: drawIdOf(officeId, drawDate),
      entries,
      // noble's default hashes the shared prefix once per draw: faster here than node:crypto per entry.
      sessions: rules.sessions,
    });
    await this.onStep?.('computed');
    const quota = rules.sessions.reduce((n, s) => n + s.capacity, 0);
    await this.draws.stage(officeId, drawDate, rows, quota * WAITLIST_LOOKUP_FACTOR);
    await this.onStep?.('staged');
    const winners = rows.reduce((n, r) => n + (r.sessionId ? 1 : 0), 0);
    const status = await this.draws.commit(officeId, drawDate, {
      resultsDigest: resultsDigest(rows, nodeHash),
      entriesDigest: meta.entriesDigest!,
      winners,
      waitlisted: rows.length - winners,
      nowMs: this.deps.now().getTime(),
    });
    if (status === 'not_ready') throw new Error(`draw ${officeId} ${drawDate} could not be committed`);
    await this.onStep?.('committed');
    this.deps.log.info({ officeId, drawDate, entries: rows.length, winners, status }, 'draw committed');
    return { meta: (await this.draws.meta(officeId, drawDate))!, committedNow: status === 'committed' };
  }

  /** What the open draw would give now with a throwaway seed; writes nothing, publishes nothing. */
  async preview(officeId: string, drawDate: string): Promise<{ entries: number; rows: DrawOutcomeRow[] }> {
    const rules = await this.rulesOf(officeId, null);
    const entries = await this.buildFrozen(officeId, drawDate, rules, this.deps.now().getTime());
    const rows = computeDraw({
      seed: newSeed().seed,
      drawId: `preview:${drawIdOf(officeId, drawDate)}`,
      entries,
      sessions: rules.sessions,
    });
    return { entries: entries.length, rows };
  }
}
