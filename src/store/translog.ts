// The transparency log in Redis: leaves in a list, every complete Merkle subtree's hash in a hash, one
// leaf per (event type, draw). Heads and proofs read O(log n) stored nodes, never the leaves.
// Format and proofs: docs/transparency-log.md; the tree itself: src/domain/merkle.ts.
import { createHash } from 'node:crypto';
import type { LogSigner } from '../auth/log-signer.ts';
import { encodeLogEvent, type LogEvent, type LogEventType, logEventIdentity } from '../domain/log-event.ts';
import {
  consistencyProof,
  inclusionProof,
  leafHash,
  type NodeId,
  nodesCompletedBy,
  rootHash,
  withNodes,
} from '../domain/merkle.ts';
import { bytesToHex, hexToBytes, type SignedTreeHead } from '../domain/tree-head.ts';
import type { RedisClient } from '../redis/connection.ts';
import { keys } from '../redis/keys.ts';
import { runScript } from '../redis/scripts.ts';

/** node:crypto gives the same bytes as the browser's noble SHA-256, faster. */
const sha256 = (data: Uint8Array) => new Uint8Array(createHash('sha256').update(data).digest());

/**
 * How long an append keeps retrying when other processes append at the same moment. Appends from one
 * process are queued (see append), so only appends from different processes ever race.
 */
const APPEND_DEADLINE_MS = 30_000;

export interface AppendResult {
  index: number;
  /** False when this (type, draw) was already in the log: `leaf` is then the earlier one. */
  created: boolean;
  leaf: string;
  leafHash: string;
  /**
   * Whether the stored leaf says the same as the event given, apart from `at`. False means a retried
   * step computed something different from what the log already holds: the caller must not publish it.
   */
  sameEvent: boolean;
}

export interface LogLeaf {
  index: number;
  leaf: string;
  leafHash: string;
}

export class LogRangeError extends Error {}

const withoutAt = (leaf: string): string => {
  const { at: _at, ...rest } = JSON.parse(leaf) as Record<string, unknown>;
  return JSON.stringify(rest);
};

const field = (id: NodeId) => `${id.level}:${id.index}`;

export class TransparencyLog {
  constructor(
    private readonly redis: RedisClient,
    private readonly signer: LogSigner,
    private readonly now: () => Date = () => new Date(),
  ) {}

  get keyId(): string {
    return this.signer.keyId;
  }

  get publicKey(): Uint8Array {
    return this.signer.publicKey;
  }

  /** Signed with the published development key (no LOG_SIGNING_KEY): its heads prove nothing. */
  get development(): boolean {
    return this.signer.development;
  }

  get publicKeyPem(): string {
    return this.signer.publicKeyPem;
  }

  private async fetchNodes(ids: NodeId[]): Promise<Uint8Array[]> {
    const values = await this.redis.hmget(keys.logNodes(), ...ids.map(field));
    return values.map((v, i) => {
      if (!v) throw new Error(`transparency log node ${field(ids[i]!)} is missing`);
      return hexToBytes(v);
    });
  }

  private tail: Promise<unknown> = Promise.resolve();

  /** Appends the event unless one of its type for its draw is there already; validates it first. */
  async append(event: LogEvent): Promise<AppendResult> {
    const leaf = encodeLogEvent(event);
    // One at a time per process: concurrent appends from here would only make each other retry.
    const result = this.tail.then(() => this.appendLeaf(event, leaf));
    this.tail = result.catch(() => undefined);
    return result;
  }

  private async appendLeaf(event: LogEvent, leaf: string): Promise<AppendResult> {
    const leafBytes = leafHash(leaf, sha256);
    const identity = logEventIdentity(event);
    const deadline = Date.now() + APPEND_DEADLINE_MS;
    for (let attempt = 0; Date.now() < deadline; attempt++) {
      // One round trip (auto-pipelined): whether the event is in already, and the index it would get.
      const [known, size] = await Promise.all([
        this.redis.hget(keys.logIds(), identity),
        this.redis.llen(keys.logLeaves()),
      ]);
      if (known !== null) return this.existing(Number(known), leaf);
      const completed = await withNodes(
        (node) => nodesCompletedBy(size, leafBytes, node, sha256),
        (ids) => this.fetchNodes(ids),
      );
      const args = completed.flatMap(([id, h]) => [field(id), bytesToHex(h)]);
      const [status, index] = await runScript<[string, number]>(
        this.redis,
        'logAppend',
        [keys.logLeaves(), keys.logNodes(), keys.logIds()],
        [identity, size, leaf, ...args],
      );
      if (status === 'appended')
        return { index, created: true, leaf, leafHash: bytesToHex(leafBytes), sameEvent: true };
      if (status === 'exists') return this.existing(index, leaf);
      // 'stale': another append took this index; recompute against the new size.
      await new Promise((r) => setTimeout(r, Math.random() * Math.min(50, 2 * (attempt + 1))));
    }
    throw new Error('transparency log: too many concurrent appends, try again');
  }

  private async existing(index: number, leaf: string): Promise<AppendResult> {
    const stored = await this.redis.lindex(keys.logLeaves(), index);
    if (stored === null) throw new Error(`transparency log leaf ${index} is missing`);
    return {
      index,
      created: false,
      leaf: stored,
      leafHash: bytesToHex(leafHash(stored, sha256)),
      sameEvent: withoutAt(stored) === withoutAt(leaf),
    };
  }

  size(): Promise<number> {
    return this.redis.llen(keys.logLeaves());
  }

  async leaves(from: number, limit: number): Promise<LogLeaf[]> {
    if (limit <= 0) return [];
    const texts = await this.redis.lrange(keys.logLeaves(), from, from + limit - 1);
    return texts.map((leaf, i) => ({ index: from + i, leaf, leafHash: bytesToHex(leafHash(leaf, sha256)) }));
  }

  /** The log's leaves for one draw (opened, closed, drawn), in log order. */
  async drawLeaves(drawId: string): Promise<LogLeaf[]> {
    const types: LogEventType[] = ['draw-opened', 'draw-closed', 'draw-drawn'];
    const found = await this.redis.hmget(
      keys.logIds(),
      ...types.map((type) => logEventIdentity({ type, drawId })),
    );
    const indexes = found.filter((v): v is string => v !== null).map(Number);
    const out: LogLeaf[] = [];
    for (const index of indexes.sort((a, b) => a - b)) out.push(...(await this.leaves(index, 1)));
    return out;
  }

  async root(treeSize: number): Promise<string> {
    return bytesToHex(
      await withNodes(
        (node) => rootHash(treeSize, node, sha256),
        (ids) => this.fetchNodes(ids),
      ),
    );
  }

  /** The current head, signed now. */
  async head(): Promise<SignedTreeHead> {
    const treeSize = await this.size();
    return this.signer.sign({
      treeSize,
      rootHash: await this.root(treeSize),
      timestamp: this.now().getTime(),
    });
  }

  private async checkSize(treeSize: number): Promise<void> {
    const size = await this.size();
    if (treeSize > size) throw new LogRangeError(`the log has ${size} leaves, fewer than ${treeSize}`);
  }

  async inclusionProof(index: number, treeSize: number): Promise<string[]> {
    if (!(index >= 0 && index < treeSize)) throw new LogRangeError('index must be below treeSize');
    await this.checkSize(treeSize);
    const path = await withNodes(
      (node) => inclusionProof(index, treeSize, node, sha256),
      (ids) => this.fetchNodes(ids),
    );
    return path.map(bytesToHex);
  }

  async consistencyProof(from: number, to: number): Promise<string[]> {
    if (!(from >= 0 && from <= to)) throw new LogRangeError('from must not exceed to');
    await this.checkSize(to);
    const proof = await withNodes(
      (node) => consistencyProof(from, to, node, sha256),
      (ids) => this.fetchNodes(ids),
    );
    return proof.map(bytesToHex);
  }
}
