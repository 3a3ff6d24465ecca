// A whole-log audit, as a monitor runs it: every leaf up to a signed head read and checked, not only one
// draw's. It catches what a per-draw lookup cannot see: a second, contradicting event for a draw, events out
// of order, a leaf that is not a canonical event, or leaves that do not hash to the signed root.
// Pure and browser-safe.
import { decodeLogLeaf, type LogEventType, logEventIdentity } from './log-event.ts';
import { defaultHash, type HashFn } from './lottery.ts';
import { leafHash, nodesCompletedBy, rootHash } from './merkle.ts';
import { bytesToHex, type SignedTreeHead } from './tree-head.ts';

export interface AuditCheck {
  id: 'size' | 'canonical' | 'unique' | 'order' | 'root';
  name: string;
  ok: boolean;
  detail: string;
}

const ORDER: Record<LogEventType, number> = { 'draw-opened': 0, 'draw-closed': 1, 'draw-drawn': 2 };

/** Root of the tree over these leaves, built as the store builds it. */
export function rootOfLeaves(leaves: readonly string[], hash: HashFn = defaultHash): string {
  const nodes = new Map<string, Uint8Array>();
  const node = (level: number, index: number) => nodes.get(`${level}:${index}`)!;
  leaves.forEach((leaf, i) => {
    for (const [id, h] of nodesCompletedBy(i, leafHash(leaf, hash), node, hash))
      nodes.set(`${id.level}:${id.index}`, h);
  });
  return bytesToHex(rootHash(leaves.length, node, hash));
}

const some = (xs: string[]) =>
  xs.length > 5 ? `${xs.slice(0, 5).join('; ')}; … (${xs.length} in all)` : xs.join('; ');

/** `leaves` are the log's first head.treeSize leaves, in order; the head's signature is checked elsewhere. */
export function auditLog(
  leaves: readonly string[],
  head: SignedTreeHead,
  hash: HashFn = defaultHash,
): AuditCheck[] {
  const bad: string[] = [];
  const duplicates: string[] = [];
  const disorder: string[] = [];
  const seen = new Map<string, number>();
  const lastStep = new Map<string, { step: number; at: string }>();
  leaves.forEach((leaf, index) => {
    const event = decodeLogLeaf(leaf);
    if (!event) {
      bad.push(`#${index}`);
      return;
    }
    const identity = logEventIdentity(event);
    const earlier = seen.get(identity);
    if (earlier !== undefined) duplicates.push(`#${earlier} and #${index}: ${event.type} of ${event.drawId}`);
    else seen.set(identity, index);
    const before = lastStep.get(event.drawId);
    const step = ORDER[event.type];
    if (before && (step <= before.step || event.at < before.at))
      disorder.push(`#${index}: ${event.type} of ${event.drawId} after a later step or earlier time`);
    if (!before && step !== 0) disorder.push(`#${index}: ${event.type} of ${event.drawId} before it opened`);
    lastStep.set(event.drawId, { step, at: event.at });
  });
  const root = leaves.length === head.treeSize ? rootOfLeaves(leaves, hash) : null;
  return [
    {
      id: 'size',
      name: `read all ${head.treeSize} leaves of the signed head`,
      ok: leaves.length === head.treeSize,
      detail: leaves.length === head.treeSize ? '' : `got ${leaves.length}`,
    },
    {
      id: 'canonical',
      name: 'every leaf is a canonical draw event',
      ok: bad.length === 0,
      detail: some(bad),
    },
    {
      id: 'unique',
      name: 'one event of each type per draw',
      ok: duplicates.length === 0,
      detail: some(duplicates),
    },
    {
      id: 'order',
      name: "each draw's events in order: opened, closed, drawn",
      ok: disorder.length === 0,
      detail: some(disorder),
    },
    {
      id: 'root',
      name: 'the leaves hash to the signed root',
      ok: root === head.rootHash,
      detail: root === head.rootHash ? '' : `computed ${root ?? '(not computed)'}`,
    },
  ];
}
