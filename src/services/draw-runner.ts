// Runs one office's draw for one date, idempotently: close → freeze inputs → beacon round → compute →
// stage → commit. An anchored draw waits at the beacon step until its round is published (BeaconPending).
// Every step can be repeated after a crash: the close and the freeze are recorded once, the computation
// is a pure function of the frozen inputs, and the commit is a single Lua step that happens once.
// The CPU-bound part (weighing, the frozen text, ranking, assignment, the results text) runs in the draw
// thread (draw-compute-client.ts), which also reads the entries; this class does the rest of the Redis I/O
// and keeps the order of the steps.
import { createHash } from 'node:crypto';
import { targetDateFor } from '../domain/calendar.ts';
import { drawIdOf, effectiveSeedFor, newOpening } from '../domain/draw-spec.ts';
import type { HashFn } from '../domain/lottery.ts';
import type { Rules } from '../domain/rules.ts';
import type { Logger } from '../log.ts';
import { type ClosedDayStore, seatsLeft } from '../store/closed-days.ts';
import type { DrawMeta, DrawStore } from '../store/draws.ts';
import type { OfficeStore, RulesVersion } from '../store/offices.ts';
import type { TransparencyLog } from '../store/translog.ts';
import type { DrandBeacon } from './beacon.ts';
import { drawBeacon } from './draw-beacon.ts';
import type { DrawComputed, PreviewComputed } from './draw-compute.ts';
import { DrawJob } from './draw-compute-client.ts';
import { drawEvent } from './draw-events.ts';
import type { DrawOpener } from './draw-opening.ts';

/** node:crypto gives the same bytes as the browser's noble SHA-256, several times faster. */
export const nodeHash: HashFn = (data) => createHash('sha256').update(data).digest();

/** Waitlist positions kept for per-ticket lookup, in multiples of the day's quota. */
const WAITLIST_LOOKUP_FACTOR = 10;

/** Longest run of HSCAN pages relayed to the draw thread without letting the event loop in. */
const FEED_SLICE_MS = 10;

/** Rows of a preview shown to the admin. */
const PREVIEW_SAMPLE = 20;

export type DrawStep = 'closed' | 'frozen' | 'computed' | 'staged' | 'committed';

export interface DrawRunResult {
  meta: DrawMeta;
  committedNow: boolean;
}

export { drawIdOf };

/** A draw for a day the office has closed: nothing is drawn for it. */
export class DayClosedError extends Error {
  constructor(
    readonly officeId: string,
    readonly targetDate: string,
  ) {
    super(`office ${officeId} is closed on ${targetDate}: nothing is drawn for it`);
  }
}

export interface DrawRunnerOptions {
  /**
   * The URL of the Redis behind deps.draws. With one, the draw thread's reader thread reads the entries
   * over its own connection, decoding them beside the weighing and hashing, and the pages never wait behind
   * HTTP requests on this event loop. Without (the simulator, a process that knows no URL), this event
   * loop relays them.
   */
  redisUrl?: string;
}

export interface DrawRunnerDeps {
  offices: OfficeStore;
  draws: DrawStore;
  closedDays: Pick<ClosedDayStore, 'isClosed' | 'reserved'>;
  now: () => Date;
  log: Logger;
  /** Opens a draw nobody entered, at its close. */
  opener: DrawOpener;
  /** Null: draws run unanchored. */
  beacon: DrandBeacon | null;
  /** Where the draw's opened, closed and drawn events go. */
  translog: TransparencyLog;
}

export class DrawRunner {
  private readonly redisUrl: string | undefined;

  constructor(
    private readonly deps: DrawRunnerDeps,
    private readonly onStep?: (step: DrawStep) => Promise<void> | void,
    opts: DrawRunnerOptions = {},
  ) {
    this.redisUrl = opts.redisUrl;
  }

  /** Each step is logged (debug): an operator, and the fault tests, can see how far a draw got. */
  private async step(officeId: string, drawDate: string, step: DrawStep): Promise<void> {
    this.deps.log.debug({ officeId, drawDate, step }, 'draw step');
    await this.onStep?.(step);
  }

  private get draws(): DrawStore {
    return this.deps.draws;
  }

  /** `current`: the office's current rules as read already, used when they are the version asked for. */
  private async rulesOf(
    officeId: string,
    version: number | null,
    current?: RulesVersion | null,
  ): Promise<Rules> {
    const v =
      current && (version === null || version === current.version)
        ? current
        : version
          ? await this.deps.offices.rulesVersion(officeId, version)
          : await this.deps.offices.rules(officeId);
    if (!v) throw new Error(`no rules for office ${officeId}`);
    return v.rules;
  }

  /** A draw job in the draw thread, weighing entries by the rules version in force at `atMs`. */
  private async jobFor(rules: Rules, atMs: number, drawing?: { seed: string; drawId: string }) {
    return new DrawJob({ rules, penalties: await this.draws.penalties(), atMs, drawing });
  }

  /** Feeds every entry of the draw to the job, page by page as HSCAN returns them. */
  private async feed(job: DrawJob, officeId: string, drawDate: string, commitment: string | null) {
    if (this.redisUrl) {
      job.scan({ redisUrl: this.redisUrl, officeId, drawDate, commitment });
      return;
    }
    let since = performance.now();
    for await (const flat of this.draws.scanEntries(officeId, drawDate)) {
      job.addPage(flat);
      // Pages that arrive together (a pipelined group) are yielded as microtasks of one task, each copied
      // into a message: let the event loop in between, so no request waits behind a whole group.
      if (performance.now() - since > FEED_SLICE_MS) {
        await new Promise(setImmediate);
        since = performance.now();
      }
    }
  }

  async run(officeId: string, drawDate: string): Promise<DrawRunResult> {
    // Reads that do not depend on each other go out together (one auto-pipelined round trip): an
    // office's draw of a few thousand entries costs about as much in round trips as in reading them.
    const [office, meta0, current] = await Promise.all([
      this.deps.offices.get(officeId),
      this.draws.meta(officeId, drawDate),
      this.deps.offices.rules(officeId),
    ]);
    if (!office) throw new Error(`unknown office ${officeId}`);
    let meta = meta0;
    if (meta?.state !== 'drawn') {
      if (!current) throw new Error(`no rules for office ${officeId}`);
      const target = meta?.targetDate ?? targetDateFor(current.rules, drawDate);
      if (meta?.state !== 'closed' && (await this.deps.closedDays.isClosed(officeId, target))) {
        throw new DayClosedError(officeId, target);
      }
      const nowMs = this.deps.now().getTime();
      await this.draws.close(
        officeId,
        drawDate,
        targetDateFor(current.rules, drawDate),
        await this.deps.opener.opening(officeId, drawDate),
        current.version,
        nowMs,
      );
      meta = (await this.draws.meta(officeId, drawDate))!;
      // Logged at the first join; a draw nobody entered (or a failed append) is logged here.
      await drawEvent(this.deps, 'opened', meta);
      await this.step(officeId, drawDate, 'closed');
    }
    if (meta.state === 'drawn') {
      // A run that stopped between the commit and its log entry finishes the entry (the log keeps one).
      await drawEvent(this.deps, 'drawn', meta);
      return { meta, committedNow: false };
    }

    // The penalties matter only to a fresh frozen list; read with the rest, they cost no round trip.
    // Places given to people moved from a closed day were reserved before the close; the draw seats its
    // winners in the rest, and the public record shows the same capacities (published-draw.ts).
    const [rules, stored, penalties, reserved] = await Promise.all([
      this.rulesOf(officeId, meta.rulesVersion, current),
      this.draws.frozen(officeId, drawDate),
      this.draws.penalties(),
      this.deps.closedDays.reserved(officeId, meta.targetDate),
    ]);
    const sessions = seatsLeft(rules.sessions, reserved);
    const waitlistDepth = rules.sessions.reduce((n, s) => n + s.capacity, 0) * WAITLIST_LOOKUP_FACTOR;
    const drawId = drawIdOf(officeId, drawDate);
    // Known at the close only for an unanchored draw (or a rerun that has its round): the ranking's hashing
    // can then keep pace with the reading. An anchored draw's seed exists only after its round.
    const drawing =
      !meta.anchor || meta.beacon
        ? {
            seed: effectiveSeedFor(meta.seed, meta.beacon?.randomness ?? null, meta.publicEntropy, nodeHash),
            drawId,
          }
        : undefined;
    const fresh = stored === null || !meta.entriesDigest;
    // A stored frozen list already holds the weights: no penalties to read.
    const job = fresh
      ? new DrawJob({ rules, penalties, atMs: meta.closedAt ?? 0, drawing })
      : new DrawJob({ rules, penalties: new Map(), atMs: 0 });
    // With the seed known, the thread ranks the list it just froze while this run stores it and logs the
    // close; used only if the list stored is this one and the seed is still the same.
    let early: { seed: string; computed: Promise<DrawComputed> } | null = null;
    try {
      if (fresh) {
        await this.feed(job, officeId, drawDate, meta.commitment);
        const built = await job.frozen();
        if (drawing) {
          early = { seed: drawing.seed, computed: job.draw({ ...drawing, sessions, waitlistDepth }) };
          // Awaited below, or dropped: never an unhandled rejection.
          early.computed.catch(() => {});
        }
        const frozen = await this.draws.freeze(officeId, drawDate, built.text, built.digest, built.count);
        if (frozen.status === 'not_closed') throw new Error(`draw ${officeId} ${drawDate} is not closed`);
        if (frozen.status === 'existing') {
          early = null;
          job.useStored((await this.draws.frozen(officeId, drawDate)) ?? '');
        }
      } else {
        job.useStored(stored);
      }
      meta = (await this.draws.meta(officeId, drawDate))!;
      const closedMeta = meta;
      // Independent of each other: one round trip's wait, not two. Both are settled before the run goes on
      // or fails, so nothing of this run is left writing behind it.
      const [logged, beaconRead] = await Promise.allSettled([
        drawEvent(this.deps, 'closed', closedMeta),
        drawBeacon(this.deps, closedMeta),
      ]);
      if (logged.status === 'rejected') throw logged.reason;
      await this.step(officeId, drawDate, 'frozen');
      if (beaconRead.status === 'rejected') throw beaconRead.reason;
      const beacon = beaconRead.value;
      const seed = effectiveSeedFor(meta.seed, beacon?.randomness ?? null, meta.publicEntropy, nodeHash);
      const computed =
        early?.seed === seed
          ? await early.computed
          : await job.draw({ seed, drawId, sessions, waitlistDepth });
      await this.step(officeId, drawDate, 'computed');
      const members = computed.headMembers && new Map(computed.headMembers);
      await this.draws.stage(officeId, drawDate, computed.results, computed.head, members);
      await this.step(officeId, drawDate, 'staged');
      const { winners, entries } = computed;
      const status = await this.draws.commit(officeId, drawDate, {
        resultsDigest: computed.resultsDigest,
        entriesDigest: meta.entriesDigest!,
        winners,
        waitlisted: entries - winners,
        nowMs: this.deps.now().getTime(),
      });
      if (status === 'not_ready') throw new Error(`draw ${officeId} ${drawDate} could not be committed`);
      const drawn = (await this.draws.meta(officeId, drawDate))!;
      await drawEvent(this.deps, 'drawn', drawn);
      await this.step(officeId, drawDate, 'committed');
      this.deps.log.info({ officeId, drawDate, entries, winners, status }, 'draw committed');
      return { meta: drawn, committedNow: status === 'committed' };
    } finally {
      job.close();
    }
  }

  /** What the open draw would give now with a throwaway seed; writes nothing, publishes nothing. */
  async preview(officeId: string, drawDate: string): Promise<PreviewComputed> {
    const rules = await this.rulesOf(officeId, null);
    const drawId = `preview:${drawIdOf(officeId, drawDate)}`;
    const drawing = { seed: newOpening(drawId, null, nodeHash).seed, drawId };
    const job = await this.jobFor(rules, this.deps.now().getTime(), drawing);
    try {
      await this.feed(job, officeId, drawDate, null);
      return await job.preview({ ...drawing, sessions: rules.sessions, sample: PREVIEW_SAMPLE });
    } finally {
      job.close();
    }
  }
}
