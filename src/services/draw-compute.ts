// The CPU-bound part of one draw: weigh the entries as their HSCAN pages arrive into the frozen list,
// then rank, assign and write the results text once. No Redis here: the draw thread (draw-compute-thread.ts)
// reads the pages and runs this, so that a million entries never hold up the event loop that serves HTTP;
// DrawRunner does the rest of the I/O and keeps the order of the steps. Columns and typed arrays
// throughout: one object per entry, kept alive for the whole draw, was most of the garbage collector's work.
import { createHash } from 'node:crypto';
import { computeDrawColumns, type DrawColumns, type DrawOutcomeRow } from '../domain/draw-record.ts';
import type { WeightParts } from '../domain/draw-spec.ts';
import { FrozenListBuilder, parseFrozenList, resultsTextBytes } from '../domain/draw-text.ts';
import { entryWeight, groupWeight, TicketUniforms } from '../domain/lottery.ts';
import type { Rules } from '../domain/rules.ts';
import { ticketAt } from '../domain/ticket-bytes.ts';
import { type DrawFields, GROUP_PREFIX, readDrawFields } from '../store/entry-codec.ts';

export interface WeighInput {
  rules: Pick<Rules, 'priorityCategories' | 'loserBonus' | 'noShow'>;
  /** nikHash → penalty-until (ms). */
  penalties: Map<string, number>;
  /** Penalties running at this instant (the close) count. */
  atMs: number;
  /** The draw's effective seed and id, if known already: the ranking's hashing then keeps pace with the reading. */
  drawing?: { seed: string; drawId: string };
}

export interface FrozenBuilt {
  /** The frozen text, UTF-8, exactly as stored, published and digested. */
  text: Uint8Array;
  digest: string;
  count: number;
}

export interface DrawInput {
  /** The effective seed. */
  seed: string;
  drawId: string;
  sessions: readonly { id: string; capacity: number }[];
  /** Waitlisted entries kept for per-ticket lookup. */
  waitlistDepth: number;
}

export interface DrawComputed {
  /** The results text, UTF-8, exactly as staged, published and digested. */
  results: Uint8Array;
  resultsDigest: string;
  entries: number;
  winners: number;
  /** The winners and the first waitlistDepth waitlisted, in rank order: all anyone looks up by ticket. */
  head: DrawOutcomeRow[];
  /**
   * For the group entries in `head`: the row's ticket → the group's other members read with the entries.
   * Null when drawn from a stored frozen list, which names only a group's first member.
   */
  headMembers: [string, string[]][] | null;
}

export interface PreviewComputed {
  entries: number;
  winners: number;
  perSession: Record<string, number>;
  /** The first ranks. */
  sample: DrawOutcomeRow[];
}

const encoder = new TextEncoder();
const lineBreak = (count: number) =>
  new Error(`a page of ${count} entries does not read as ${count}: a ticket or entry holds a line break`);
const hex = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

export class DrawComputation {
  private readonly builder: FrozenListBuilder;
  private stored: DrawColumns | null = null;
  private readonly fields: DrawFields = {
    nikHash: '',
    category: null,
    losses: 0,
    prefs: '*',
    group: false,
    unverified: false,
  };
  private readonly categoryWeight: Map<string, number>;
  private readonly parts = { category: null as string | null, losses: 0, penalty: false };
  private readonly groups = new Map<
    string,
    { ticket: string; weight: number; prefs: string; parts: WeightParts }[]
  >();
  /** A drawn group's first ticket → its other drawn members (the places the draw counted for it). */
  private readonly membersOf = new Map<string, string[]>();

  constructor(private readonly weigh: WeighInput) {
    this.categoryWeight = new Map(weigh.rules.priorityCategories.map((c) => [c.id, c.weight]));
    const d = weigh.drawing;
    this.builder = new FrozenListBuilder(d ? new TicketUniforms(d.seed, d.drawId) : null);
  }

  /**
   * One HSCAN page of `count` entries as one string: ticket and packed entry alternating, joined by '\n'
   * (one string per page, not two per entry: tickets and fields are read in place). Each entry is weighed
   * from the rules version in force.
   */
  addPage(page: string, count: number): void {
    let read = 0;
    let pos = 0;
    for (; read < count && pos <= page.length; read++) {
      const ticketEnd = page.indexOf('\n', pos);
      if (ticketEnd < 0) break;
      let entryEnd = page.indexOf('\n', ticketEnd + 1);
      if (entryEnd < 0) entryEnd = page.length;
      this.addEntry(page, pos, ticketEnd, page, ticketEnd + 1, entryEnd);
      pos = entryEnd + 1;
    }
    // A line break inside a ticket or an entry would shift every field after it: refuse, never guess.
    if (read !== count || pos < page.length) throw lineBreak(count);
  }

  /**
   * One HSCAN page as ioredis returns it, [ticket, packed entry, ...]: what the draw thread reads itself,
   * weighed in place without joining it into one string first.
   */
  addEntries(flat: readonly string[]): void {
    for (let i = 0; i + 1 < flat.length; i += 2) {
      const ticket = flat[i]!;
      const entry = flat[i + 1]!;
      // Refused as addPage refuses it: the frozen text is one line per entry.
      if (ticket.includes('\n') || entry.includes('\n')) throw lineBreak(flat.length / 2);
      this.addEntry(ticket, 0, ticket.length, entry, 0, entry.length);
    }
  }

  /** Weighs one entry from the rules version in force and appends its frozen line. */
  private addEntry(t: string, tFrom: number, tTo: number, e: string, eFrom: number, eTo: number): void {
    const { rules, penalties, atMs } = this.weigh;
    const f = readDrawFields(e, this.fields, eFrom, eTo);
    // An identity the registry has not confirmed is not drawn (docs/identity.md): left out of the frozen
    // list (a group is drawn without such a member).
    if (f.unverified) return;
    const penalised = penalties.size > 0 && (penalties.get(f.nikHash) ?? 0) > atMs;
    const weight = entryWeight({
      categoryWeight: (f.category && this.categoryWeight.get(f.category)) || 1,
      consecutiveLosses: f.losses,
      loserBonus: rules.loserBonus,
      penaltyFactor: penalised ? rules.noShow.penaltyFactor : 1,
    });
    if (f.group) {
      this.addMember(t.slice(tFrom, tTo), weight, f.prefs, {
        category: f.category,
        losses: f.losses,
        penalty: penalised,
      });
      return;
    }
    this.parts.category = f.category;
    this.parts.losses = f.losses;
    this.parts.penalty = penalised;
    this.builder.add(t, weight, f.prefs, this.parts, tFrom, tTo);
  }

  /**
   * A member of a group entry, held until the whole list is read: members share their ticket's first
   * GROUP_PREFIX characters (store/entries/group.ts) and may come in any order of the pages.
   */
  private addMember(ticket: string, weight: number, prefs: string, parts: WeightParts): void {
    const prefix = ticket.slice(0, GROUP_PREFIX);
    let g = this.groups.get(prefix);
    if (!g) {
      g = [];
      this.groups.set(prefix, g);
    }
    g.push({ ticket, weight, prefs, parts });
  }

  /**
   * Each group as one line of the frozen list: the members in ticket order, the first member's ticket and
   * preferences, the mean of the members' weights (groupWeight). A member left alone (the others withdrew)
   * is an entry of one.
   */
  private flushGroups(): void {
    if (this.groups.size === 0) return;
    for (const prefix of [...this.groups.keys()].sort()) {
      const members = this.groups.get(prefix)!.sort((a, b) => (a.ticket < b.ticket ? -1 : 1));
      const lead = members[0]!;
      const others = members.slice(1).map((m) => m.ticket);
      if (others.length > 0) this.membersOf.set(lead.ticket, others);
      if (members.length === 1) {
        this.builder.add(lead.ticket, lead.weight, lead.prefs, lead.parts);
        continue;
      }
      const weight = groupWeight(members.map((m) => m.weight));
      this.builder.add(
        lead.ticket,
        weight,
        lead.prefs,
        lead.parts,
        0,
        lead.ticket.length,
        members.map((m) => m.parts),
      );
    }
    this.groups.clear();
  }

  /** The frozen list as read: a copy, so the caller may keep or transfer it. Groups are written last. */
  frozen(): FrozenBuilt {
    this.flushGroups();
    const text = this.builder.text().slice();
    return { text, digest: hex(text), count: this.builder.count };
  }

  /** Draw from a frozen list stored earlier (a rerun, or another run froze first) instead of the pages. */
  useStored(text: string): void {
    this.stored = parseFrozenList(encoder.encode(text));
  }

  private columns(): DrawColumns {
    if (this.stored) return this.stored;
    this.flushGroups();
    return this.builder.columns();
  }

  draw({ seed, drawId, sessions, waitlistDepth }: DrawInput): DrawComputed {
    const columns = this.columns();
    const ranked = computeDrawColumns({ seed, drawId, columns, sessions });
    const { order, session } = ranked;
    const n = order.length;
    let winners = 0;
    for (let r = 0; r < n; r++) if (session[r]! >= 0) winners++;
    const head: DrawOutcomeRow[] = [];
    let waitPos = 0;
    let winnersSeen = 0;
    for (let r = 0; r < n && (winnersSeen < winners || waitPos < waitlistDepth); r++) {
      const s = session[r]!;
      if (s >= 0) winnersSeen++;
      else if (++waitPos > waitlistDepth) continue;
      head.push({
        rank: r + 1,
        ticket: ticketAt(columns.tickets, order[r]!),
        sessionId: s < 0 ? null : sessions[s]!.id,
      });
    }
    const results = resultsTextBytes(ranked, columns.tickets, sessions);
    const headMembers = this.stored ? null : this.headMembers(head);
    return { results, resultsDigest: hex(results), entries: n, winners, head, headMembers };
  }

  private headMembers(head: readonly DrawOutcomeRow[]): [string, string[]][] {
    const out: [string, string[]][] = [];
    for (const { ticket } of head) {
      const others = this.membersOf.get(ticket);
      if (others) out.push([ticket, others]);
    }
    return out;
  }

  preview({ seed, drawId, sessions, sample }: Omit<DrawInput, 'waitlistDepth'> & { sample: number }) {
    const columns = this.columns();
    const { order, session } = computeDrawColumns({ seed, drawId, columns, sessions });
    const perSession: Record<string, number> = Object.fromEntries(sessions.map((s) => [s.id, 0]));
    let winners = 0;
    for (let r = 0; r < order.length; r++) {
      const s = session[r]!;
      if (s < 0) continue;
      winners++;
      perSession[sessions[s]!.id]!++;
    }
    const rows: DrawOutcomeRow[] = [];
    for (let r = 0; r < Math.min(sample, order.length); r++) {
      const s = session[r]!;
      rows.push({
        rank: r + 1,
        ticket: ticketAt(columns.tickets, order[r]!),
        sessionId: s < 0 ? null : sessions[s]!.id,
      });
    }
    return { entries: order.length, winners, perSession, sample: rows } satisfies PreviewComputed;
  }
}
