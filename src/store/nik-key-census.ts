// How far a NIK hashing key rotation has got: person bindings counted by the key that made their hash.
// It reads every binding, so it is an operator's off-peak command (npm run admin -- nik-key-status),
// never part of a request.
import { Cluster } from 'ioredis';
import { type RedisClient, waitReady } from '../redis/connection.ts';
import { keys } from '../redis/keys.ts';

export interface NikKeyCensus {
  /** Live bindings (an owning account, not a moved-away shell) by key id; '' = made before key ids. */
  byKey: Map<string, number>;
  /** Old bindings left behind by a move (they expire by themselves). */
  movedAway: number;
}

const SCAN_COUNT = 1000;

export async function nikKeyCensus(redis: RedisClient): Promise<NikKeyCensus> {
  const census: NikKeyCensus = { byKey: new Map(), movedAway: 0 };
  const pattern = keys.nik('*');
  // A cluster spreads the person slots over its masters; SCAN sees one node's keys only. Its node list
  // is empty until the slots are loaded.
  await waitReady(redis);
  const nodes = redis instanceof Cluster ? redis.nodes('master') : [redis];
  for (const node of nodes) {
    let cursor = '0';
    do {
      const [next, found] = await node.scan(cursor, 'MATCH', pattern, 'COUNT', SCAN_COUNT);
      cursor = next;
      if (found.length === 0) continue;
      const pipeline = node.pipeline();
      for (const k of found) pipeline.hmget(k, 'accountId', 'key', 'movedAt');
      for (const [err, fields] of (await pipeline.exec()) ?? []) {
        if (err) throw err;
        const [accountId, keyId, movedAt] = fields as (string | null)[];
        if (movedAt) census.movedAway += 1;
        else if (accountId) census.byKey.set(keyId ?? '', (census.byKey.get(keyId ?? '') ?? 0) + 1);
      }
    } while (cursor !== '0');
  }
  return census;
}
