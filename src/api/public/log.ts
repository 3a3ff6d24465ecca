// The public transparency log (docs/transparency-log.md): leaves by page or by draw, the signed head, the
// signing key, and the proofs a verifier checks against a head. Everything under a fixed tree size is
// immutable, so those answers may be cached for good; the head and the last page change with each append.

import type { Context } from 'hono';
import { Hono } from 'hono';
import { logDrawIdSchema } from '../../domain/log-event.ts';
import { bytesToHex } from '../../domain/tree-head.ts';
import { ApiError } from '../../http/errors.ts';
import { LogRangeError } from '../../store/translog.ts';
import type { AppEnv } from '../env.ts';

export const LOG_PAGE_MAX = 1000;
const LOG_PAGE_DEFAULT = 100;

const IMMUTABLE = 'public, max-age=31536000, immutable';
// A head costs O(log n) hash reads and one signature: cheap enough that a verifier always gets the latest.
const FRESH = 'no-cache';

/** A non-negative integer query parameter, or its default when absent. */
function count(c: Context<AppEnv>, name: string, fallback?: number): number {
  const raw = c.req.query(name);
  if (raw === undefined && fallback !== undefined) return fallback;
  if (raw === undefined || !/^\d{1,15}$/.test(raw))
    throw new ApiError(400, 'invalid_input', `${name} must be a whole number ≥ 0`, {
      fields: [{ path: name, message: 'must be a whole number ≥ 0' }],
    });
  return Number(raw);
}

const outOfRange = (err: unknown): never => {
  if (err instanceof LogRangeError) throw new ApiError(400, 'out_of_range', err.message);
  throw err;
};

export const publicLogRoutes = new Hono<AppEnv>()
  .get('/', async (c) => {
    const log = c.get('deps').translog;
    const from = count(c, 'from', 0);
    const limit = count(c, 'limit', LOG_PAGE_DEFAULT);
    if (limit < 1 || limit > LOG_PAGE_MAX)
      throw new ApiError(400, 'invalid_input', `limit must be 1..${LOG_PAGE_MAX}`, {
        fields: [{ path: 'limit', message: `must be 1..${LOG_PAGE_MAX}` }],
      });
    const treeSize = await log.size();
    const leaves = from < treeSize ? await log.leaves(from, Math.min(limit, treeSize - from)) : [];
    const end = from + leaves.length;
    c.header('cache-control', leaves.length === limit ? IMMUTABLE : FRESH);
    return c.json({ treeSize, from, leaves, next: end < treeSize ? end : null });
  })
  .get('/head', async (c) => {
    c.header('cache-control', FRESH);
    return c.json(await c.get('deps').translog.head());
  })
  .get('/key', (c) => {
    const log = c.get('deps').translog;
    c.header('cache-control', 'public, max-age=3600');
    return c.json({
      algorithm: 'Ed25519',
      keyId: log.keyId,
      publicKey: bytesToHex(log.publicKey),
      publicKeyPem: log.publicKeyPem,
      // Heads signed by the published development key prove nothing; a verifier says so.
      development: log.development,
    });
  })
  .get('/draws/:drawId', async (c) => {
    const drawId = logDrawIdSchema.safeParse(c.req.param('drawId'));
    if (!drawId.success) throw new ApiError(400, 'invalid_input', 'drawId must be <office>:<YYYY-MM-DD>');
    const log = c.get('deps').translog;
    c.header('cache-control', FRESH);
    return c.json({ drawId: drawId.data, leaves: await log.drawLeaves(drawId.data) });
  })
  .get('/proof/inclusion', async (c) => {
    const index = count(c, 'index');
    const treeSize = count(c, 'treeSize');
    const path = await c.get('deps').translog.inclusionProof(index, treeSize).catch(outOfRange);
    c.header('cache-control', IMMUTABLE);
    return c.json({ index, treeSize, path });
  })
  .get('/proof/consistency', async (c) => {
    const from = count(c, 'from');
    const to = count(c, 'to');
    const proof = await c.get('deps').translog.consistencyProof(from, to).catch(outOfRange);
    c.header('cache-control', IMMUTABLE);
    return c.json({ from, to, proof });
  });
