// Checks a draw against the transparency log from fetched evidence alone: the head's signature, each of the
// draw's leaves proven into that head, the leaves agreeing with the published record, and — given a head
// saved earlier — that the log only grew since. Pure and browser-safe: the CLI and /verify share it.
import { commitmentFor } from './draw-spec.ts';
import { decodeLogLeaf, type LogEvent, type LogEventType } from './log-event.ts';
import { defaultHash, type HashFn } from './lottery.ts';
import { leafHash, verifyConsistency, verifyInclusion } from './merkle.ts';
import { bytesToHex, hexToBytes, type SignedTreeHead, verifyHeadSignature } from './tree-head.ts';

/** What a check is about, for pages that say it in their own words (with `vars`). */
export type LogCheckId = 'head' | 'leaf' | 'events' | 'record' | 'key' | 'savedHead' | 'appendOnly';

export interface LogCheck {
  id: LogCheckId;
  name: string;
  ok: boolean;
  detail: string;
  vars: Record<string, string | number>;
}

export interface DrawLogEvidence {
  /** The head signing key as served (hex of the raw 32 bytes). */
  publicKey: string;
  head: SignedTreeHead;
  /** The draw's leaves as served, each with the inclusion path of its index in `head`. */
  leaves: { index: number; leaf: string; path: string[] }[];
  /** A head saved earlier, its key, and the consistency proof from its size to `head`'s. */
  saved?: { head: SignedTreeHead; publicKey: string; proof: string[] };
}

/** The published record's fields the log repeats; absent fields are not compared. */
export interface RecordFacts {
  status?: 'open' | 'closed' | 'drawn';
  commitment?: string | null;
  specVersion?: number | null;
  beaconChain?: string | null;
  beaconRound?: number | null;
  entries?: number | null;
  entriesDigest?: string | null;
  seed?: string | null;
  beaconRandomness?: string | null;
  resultsDigest?: string | null;
  winners?: number | null;
  waitlisted?: number | null;
}

/** What a published record says that the log repeats (the page and the CLI compare the same facts). */
export function recordFacts(d: {
  status: 'open' | 'closed' | 'drawn';
  commitment: string;
  specVersion: number;
  anchor: { chainHash: string; round: number } | null;
  beacon: { randomness: string } | null;
  entries: unknown[] | null;
  entriesDigest: string | null;
  seed: string | null;
  resultsDigest: string | null;
  winners: number | null;
  waitlisted: number | null;
}): RecordFacts {
  return {
    status: d.status,
    commitment: d.commitment,
    specVersion: d.specVersion,
    beaconChain: d.anchor?.chainHash ?? null,
    beaconRound: d.anchor?.round ?? null,
    entries: d.entries?.length ?? null,
    entriesDigest: d.entriesDigest,
    seed: d.seed,
    beaconRandomness: d.status === 'drawn' ? (d.beacon?.randomness ?? null) : undefined,
    resultsDigest: d.resultsDigest,
    winners: d.winners,
    waitlisted: d.waitlisted,
  };
}

const EXPECTED: Record<NonNullable<RecordFacts['status']>, LogEventType[]> = {
  open: ['draw-opened'],
  closed: ['draw-opened', 'draw-closed'],
  drawn: ['draw-opened', 'draw-closed', 'draw-drawn'],
};

const isHex = (s: unknown, len: number) => typeof s === 'string' && new RegExp(`^[0-9a-f]{${len}}$`).test(s);

function compareFacts(events: Map<LogEventType, LogEvent>, record: RecordFacts, hash: HashFn): string[] {
  const diffs: string[] = [];
  const same = (what: string, logged: unknown, published: unknown) => {
    if (published !== undefined && published !== null && logged !== undefined && logged !== published)
      diffs.push(`${what}: log ${String(logged)}, record ${String(published)}`);
  };
  const opened = events.get('draw-opened');
  const closed = events.get('draw-closed');
  const drawn = events.get('draw-drawn');
  if (opened?.type === 'draw-opened') {
    same('commitment', opened.commitment, record.commitment);
    same('spec version', opened.specVersion, record.specVersion == null ? null : String(record.specVersion));
    // An unanchored record against an anchored opening (or the reverse) is a difference too.
    if (record.beaconChain !== undefined) {
      same('beacon chain', opened.beaconChain ?? 'none', record.beaconChain ?? 'none');
      same('beacon round', opened.beaconRound ?? 'none', record.beaconRound ?? 'none');
    }
  }
  if (closed?.type === 'draw-closed') {
    same('entries', closed.entries, record.entries);
    same('entries digest', closed.entriesDigest, record.entriesDigest);
  }
  if (drawn?.type === 'draw-drawn') {
    same('seed', drawn.seed, record.seed);
    same(
      'beacon randomness',
      drawn.beaconRandomness ?? 'none',
      record.beaconRandomness === undefined ? undefined : (record.beaconRandomness ?? 'none'),
    );
    same('results digest', drawn.resultsDigest, record.resultsDigest);
    same('winners', drawn.winners, record.winners);
    same('waitlisted', drawn.waitlisted, record.waitlisted);
    const anchor =
      opened?.type === 'draw-opened' && opened.beaconChain !== null && opened.beaconRound !== null
        ? { chainHash: opened.beaconChain, round: opened.beaconRound }
        : null;
    if (
      opened?.type === 'draw-opened' &&
      commitmentFor(drawn.drawId, drawn.seed, anchor, hash) !== opened.commitment
    )
      diffs.push('the logged seed does not match the logged commitment');
  }
  return diffs;
}

export function verifyDrawLog(
  drawId: string,
  evidence: DrawLogEvidence,
  record: RecordFacts = {},
  hash: HashFn = defaultHash,
): LogCheck[] {
  const checks: LogCheck[] = [];
  const check = (
    id: LogCheckId,
    vars: Record<string, string | number>,
    name: string,
    ok: boolean,
    detail = '',
  ) => checks.push({ id, vars, name, ok, detail });
  const { head } = evidence;
  const key = isHex(evidence.publicKey, 64) ? hexToBytes(evidence.publicKey) : new Uint8Array(0);

  const signed = verifyHeadSignature(head, key, hash);
  check(
    'head',
    { size: head.treeSize, keyId: head.keyId },
    `log head (${head.treeSize} leaves) signed by key ${head.keyId}`,
    signed.ok,
    signed.ok ? '' : signed.reason,
  );
  const root = isHex(head.rootHash, 64) ? hexToBytes(head.rootHash) : new Uint8Array(32);

  const events = new Map<LogEventType, LogEvent>();
  for (const l of evidence.leaves) {
    const event = decodeLogLeaf(l.leaf);
    const label = `log leaf #${l.index} (${event?.type ?? 'unreadable'})`;
    const at = { index: l.index, type: event?.type ?? '?' };
    if (!event || event.drawId !== drawId) {
      check(
        'leaf',
        at,
        label,
        false,
        event ? `belongs to draw ${event.drawId}` : 'not a canonical draw event',
      );
      continue;
    }
    if (events.has(event.type)) check('leaf', at, label, false, `a second ${event.type} event for this draw`);
    events.set(event.type, event);
    const path = l.path.every((p) => isHex(p, 64)) ? l.path.map(hexToBytes) : null;
    const included =
      path !== null && verifyInclusion(l.index, head.treeSize, leafHash(l.leaf, hash), path, root, hash);
    check(
      'leaf',
      at,
      `${label} included in the signed head`,
      included,
      included ? '' : 'the inclusion proof does not verify',
    );
  }
  const expected = EXPECTED[record.status ?? 'open'];
  const missing = expected.filter((t) => !events.has(t));
  check(
    'events',
    { count: expected.length },
    `log holds the draw's ${expected.join(', ')} events`,
    missing.length === 0,
    missing.length ? `missing: ${missing.join(', ')}` : '',
  );
  const diffs = compareFacts(events, record, hash);
  check('record', {}, 'log agrees with the published record', diffs.length === 0, diffs.join('; '));

  if (evidence.saved) {
    const { head: old, publicKey, proof } = evidence.saved;
    const sameKey = publicKey === evidence.publicKey;
    check(
      'key',
      {},
      'log key unchanged since the saved head',
      sameKey,
      sameKey ? '' : `saved key ${old.keyId}, now ${head.keyId}`,
    );
    const oldKey = isHex(publicKey, 64) ? hexToBytes(publicKey) : new Uint8Array(0);
    const oldSigned = verifyHeadSignature(old, oldKey, hash);
    check(
      'savedHead',
      { size: old.treeSize },
      'saved head signature',
      oldSigned.ok,
      oldSigned.ok ? '' : oldSigned.reason,
    );
    const consistent =
      isHex(old.rootHash, 64) &&
      proof.every((p) => isHex(p, 64)) &&
      verifyConsistency(
        old.treeSize,
        head.treeSize,
        hexToBytes(old.rootHash),
        root,
        proof.map(hexToBytes),
        hash,
      );
    check(
      'appendOnly',
      { from: old.treeSize, to: head.treeSize },
      `log only appended since the saved head (${old.treeSize} → ${head.treeSize} leaves)`,
      consistent,
      consistent
        ? ''
        : old.treeSize > head.treeSize
          ? 'the log is shorter than the saved head'
          : 'the consistency proof does not verify: history was rewritten',
    );
  }
  return checks;
}

/** Leaf hash as hex, for display. */
export const leafHashHex = (leaf: string, hash: HashFn = defaultHash) => bytesToHex(leafHash(leaf, hash));
