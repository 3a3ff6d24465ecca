// The transparency log on a real Redis (and a Cluster under npm run test:cluster): atomic, idempotent
// appends that stay correct under concurrency, and heads and proofs that verify with the pure code.
import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LogSigner } from '../../src/auth/log-signer.ts';
import { type LogEvent, LogEventError } from '../../src/domain/log-event.ts';
import {
  emptyRoot,
  leafHash,
  nodeHash,
  verifyConsistency,
  verifyInclusion,
} from '../../src/domain/merkle.ts';
import {
  bytesToHex,
  hexToBytes,
  type SignedTreeHead,
  verifyHeadSignature,
} from '../../src/domain/tree-head.ts';
import { createRedis, type RedisClient } from '../../src/redis/connection.ts';
import { keys } from '../../src/redis/keys.ts';
import { runScript } from '../../src/redis/scripts.ts';
import { LogRangeError, TransparencyLog } from '../../src/store/translog.ts';
import { sampleEvents } from '../support/log-events.ts';
import { startTestRedis, type TestRedis } from '../support/redis.ts';

let redis: TestRedis;
let second: RedisClient;
const signer = new LogSigner(generateKeyPairSync('ed25519').privateKey);
let log: TransparencyLog;

beforeAll(async () => {
  redis = await startTestRedis();
  second = createRedis(redis.url);
  log = new TransparencyLog(redis.client, signer);
});
afterAll(async () => {
  second?.disconnect();
  await redis?.stop();
});

function referenceRoot(hashes: Uint8Array[]): Uint8Array {
  if (hashes.length === 0) return emptyRoot();
  if (hashes.length === 1) return hashes[0]!;
  let k = 1;
  while (k * 2 < hashes.length) k *= 2;
  return nodeHash(referenceRoot(hashes.slice(0, k)), referenceRoot(hashes.slice(k)));
}

async function allLeafHashes(): Promise<Uint8Array[]> {
  const leaves = await redis.client.lrange(keys.logLeaves(), 0, -1);
  return leaves.map((l) => leafHash(l));
}

const heads: SignedTreeHead[] = [];

describe('append', () => {
  it('an empty log has the empty root, signed', async () => {
    const head = await log.head();
    expect(head.treeSize).toBe(0);
    expect(head.rootHash).toBe(bytesToHex(emptyRoot()));
    expect(verifyHeadSignature(head, signer.publicKey)).toEqual({ ok: true });
    heads.push(head);
  });

  it('assigns consecutive indexes; every head verifies and extends the ones before', async () => {
    for (let d = 1; d <= 9; d++) {
      for (const e of sampleEvents(`office-${d}:2026-12-0${d}`)) {
        const r = await log.append(e);
        expect(r).toMatchObject({ created: true, sameEvent: true, index: (await log.size()) - 1 });
        expect(r.leafHash).toBe(bytesToHex(leafHash(r.leaf)));
      }
      heads.push(await log.head());
    }
    const hashes = await allLeafHashes();
    expect(hashes).toHaveLength(27);
    for (const head of heads) {
      expect(verifyHeadSignature(head, signer.publicKey)).toEqual({ ok: true });
      expect(head.rootHash).toBe(bytesToHex(referenceRoot(hashes.slice(0, head.treeSize))));
    }
    for (const older of heads)
      for (const newer of heads.filter((h) => h.treeSize >= older.treeSize)) {
        const proof = (await log.consistencyProof(older.treeSize, newer.treeSize)).map(hexToBytes);
        expect(
          verifyConsistency(
            older.treeSize,
            newer.treeSize,
            hexToBytes(older.rootHash),
            hexToBytes(newer.rootHash),
            proof,
          ),
        ).toBe(true);
      }
  });

  it('proves every leaf in every head', async () => {
    const hashes = await allLeafHashes();
    for (const head of heads)
      for (let i = 0; i < head.treeSize; i++) {
        const path = (await log.inclusionProof(i, head.treeSize)).map(hexToBytes);
        expect(verifyInclusion(i, head.treeSize, hashes[i]!, path, hexToBytes(head.rootHash))).toBe(true);
      }
  });

  it('a retried event returns the index it already has and appends nothing', async () => {
    const before = await log.size();
    const [opened, , drawn] = sampleEvents('office-3:2026-12-03');
    const again = await log.append({ ...opened!, at: '2026-12-05T00:00:00.000Z' });
    expect(again).toMatchObject({ created: false, sameEvent: true, index: 6 });
    expect(JSON.parse(again.leaf).at).toBe(opened!.at);
    const changed = await log.append({ ...drawn!, resultsDigest: '0'.repeat(64) } as LogEvent);
    expect(changed).toMatchObject({ created: false, sameEvent: false, index: 8 });
    expect(await log.size()).toBe(before);
  });

  it('finds a draw’s leaves by its id', async () => {
    const found = await log.drawLeaves('office-4:2026-12-04');
    expect(found.map((l) => l.index)).toEqual([9, 10, 11]);
    expect(found.map((l) => JSON.parse(l.leaf).type)).toEqual(['draw-opened', 'draw-closed', 'draw-drawn']);
    expect(await log.drawLeaves('office-99:2026-12-04')).toEqual([]);
  });

  it('refuses a malformed event and leaves the log as it was', async () => {
    const before = await log.head();
    const [, closed] = sampleEvents('office-1:2026-12-20');
    await expect(log.append({ ...closed!, entriesDigest: 'nope' } as LogEvent)).rejects.toThrow(
      LogEventError,
    );
    const after = await log.head();
    expect([after.treeSize, after.rootHash]).toEqual([before.treeSize, before.rootHash]);
  });

  it('refuses proofs beyond the log', async () => {
    const size = await log.size();
    await expect(log.inclusionProof(0, size + 1)).rejects.toThrow(LogRangeError);
    await expect(log.inclusionProof(size, size)).rejects.toThrow(LogRangeError);
    await expect(log.consistencyProof(3, size + 1)).rejects.toThrow(LogRangeError);
    await expect(log.consistencyProof(5, 4)).rejects.toThrow(LogRangeError);
  });
});

describe('concurrent appends', () => {
  it('the script refuses an append computed for another size and changes nothing', async () => {
    const before = await log.head();
    const [opened] = sampleEvents('stale-1:2026-12-01');
    const res = await runScript<[string, number]>(
      redis.client,
      'logAppend',
      [keys.logLeaves(), keys.logNodes(), keys.logIds()],
      [
        'draw-opened|stale-1:2026-12-01',
        before.treeSize - 1,
        JSON.stringify(opened),
        `0:${before.treeSize - 1}`,
        'ab'.repeat(32),
      ],
    );
    expect(res).toEqual(['stale', before.treeSize]);
    const after = await log.head();
    expect([after.treeSize, after.rootHash]).toEqual([before.treeSize, before.rootHash]);
    expect(await redis.client.hget(keys.logIds(), 'draw-opened|stale-1:2026-12-01')).toBeNull();
  });

  it('from two connections at once, each event lands once and the tree stays the reference tree', async () => {
    const before = await log.size();
    const logs = [log, new TransparencyLog(second, signer)];
    const events = Array.from({ length: 20 }, (_, d) => sampleEvents(`busy-${d}:2026-12-10`)).flat();
    // Every event twice, from different connections: the duplicates must come back as 'exists'.
    const results = await Promise.all(
      [...events, ...events].map((e, i) => logs[i % 2]!.append({ ...e, at: e.at })),
    );
    const created = results.filter((r) => r.created);
    expect(created).toHaveLength(events.length);
    expect(new Set(created.map((r) => r.index)).size).toBe(events.length);
    expect(await log.size()).toBe(before + events.length);
    const hashes = await allLeafHashes();
    const head = await log.head();
    expect(head.rootHash).toBe(bytesToHex(referenceRoot(hashes)));
    // Every stored node matches the subtree it names.
    const stored = await redis.client.hgetall(keys.logNodes());
    for (const [f, hex] of Object.entries(stored)) {
      const [level, index] = f.split(':').map(Number) as [number, number];
      const span = 2 ** level;
      expect(hex).toBe(bytesToHex(referenceRoot(hashes.slice(index * span, (index + 1) * span))));
    }
    expect(Object.keys(stored).length).toBeLessThan(2 * hashes.length);
  });
});
