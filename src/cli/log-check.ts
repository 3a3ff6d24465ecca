// The transparency-log half of `npm run verify-draw`: fetches the key, the signed head, the draw's leaves
// and their proofs from a server, and checks them with the pure module the /verify page uses. A head saved
// with --save-head is the auditor's own memory of the log: --since-head proves the log only grew since.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { z } from 'zod';
import { type AuditCheck, auditLog } from '../domain/log-audit.ts';
import {
  type DrawLogEvidence,
  type LogCheck,
  type RecordFacts,
  verifyDrawLog,
} from '../domain/log-verify.ts';
import type { SignedTreeHead } from '../domain/tree-head.ts';

const sha256 = (data: Uint8Array) => new Uint8Array(createHash('sha256').update(data).digest());

const headSchema = z.object({
  treeSize: z.number().int().min(0),
  rootHash: z.string(),
  timestamp: z.number().int().min(0),
  keyId: z.string(),
  signature: z.string(),
});

/** What --save-head writes and --since-head reads: the head and the key that signed it. */
const savedHeadSchema = z.object({
  url: z.string().optional(),
  publicKey: z.string().regex(/^[0-9a-f]{64}$/),
  head: headSchema,
});
export type SavedHead = z.infer<typeof savedHeadSchema>;

export class LogFetchError extends Error {}

export function readSavedHead(file: string): SavedHead {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new LogFetchError(
      `cannot read the saved head ${file}: ${err instanceof Error ? err.message : err}`,
    );
  }
  const parsed = savedHeadSchema.safeParse(value);
  if (!parsed.success) throw new LogFetchError(`${file} is not a saved log head ({url, publicKey, head})`);
  return parsed.data;
}

async function getJson<T>(
  base: string,
  path: string,
  fetchFn: typeof fetch,
): Promise<{ status: number; body: T }> {
  const url = `${base}${path}`;
  let res: Response;
  try {
    res = await fetchFn(url);
  } catch (err) {
    throw new LogFetchError(`could not fetch ${url}: ${err instanceof Error ? err.message : err}`);
  }
  return { status: res.status, body: (await res.json().catch(() => null)) as T };
}

async function mustGet<T>(base: string, path: string, fetchFn: typeof fetch): Promise<T> {
  const { status, body } = await getJson<T>(base, path, fetchFn);
  if (status !== 200 || body === null)
    throw new LogFetchError(`could not fetch ${base}${path}: HTTP ${status}`);
  return body;
}

export interface DrawLogResult {
  checks: LogCheck[];
  ok: boolean;
  head: SignedTreeHead;
  publicKey: string;
  /** The server signs with the published development key: its heads prove nothing. */
  development: boolean;
  /** Where the head was saved (--save-head), when it was. */
  savedTo: string | null;
  /** The whole-log audit, when asked for (--audit-log). */
  audit: AuditCheck[] | null;
}

/** Every leaf up to the head, a page of 1000 at a time, audited as a monitor would. */
async function auditFrom(base: string, head: SignedTreeHead, fetchFn: typeof fetch): Promise<AuditCheck[]> {
  const leaves: string[] = [];
  while (leaves.length < head.treeSize) {
    const page = await mustGet<{ leaves: { leaf: string }[] }>(
      base,
      `/api/log?from=${leaves.length}&limit=${Math.min(1000, head.treeSize - leaves.length)}`,
      fetchFn,
    );
    if (page.leaves.length === 0) break;
    leaves.push(...page.leaves.map((l) => l.leaf));
  }
  return auditLog(leaves.slice(0, head.treeSize), head, sha256);
}

export async function checkDrawLog(opts: {
  baseUrl: string;
  drawId: string;
  record?: RecordFacts;
  sinceHead?: string;
  saveHead?: string;
  auditLog?: boolean;
  fetchFn?: typeof fetch;
}): Promise<DrawLogResult> {
  const base = opts.baseUrl.replace(/\/$/, '');
  const fetchFn = opts.fetchFn ?? fetch;
  const saved = opts.sinceHead ? readSavedHead(opts.sinceHead) : null;
  const key = await mustGet<{ publicKey: string; development: boolean }>(base, '/api/log/key', fetchFn);
  const parsedHead = headSchema.safeParse(await mustGet<unknown>(base, '/api/log/head', fetchFn));
  if (!parsedHead.success) throw new LogFetchError('the server sent a malformed log head');
  const head = parsedHead.data;
  const { leaves } = await mustGet<{ leaves: { index: number; leaf: string }[] }>(
    base,
    `/api/log/draws/${encodeURIComponent(opts.drawId)}`,
    fetchFn,
  );
  const withPaths: DrawLogEvidence['leaves'] = [];
  for (const l of leaves) {
    const proof = await getJson<{ path: string[] }>(
      base,
      `/api/log/proof/inclusion?index=${l.index}&treeSize=${head.treeSize}`,
      fetchFn,
    );
    withPaths.push({
      ...l,
      path: proof.status === 200 && Array.isArray(proof.body?.path) ? proof.body.path : [],
    });
  }
  const evidence: DrawLogEvidence = { publicKey: key.publicKey, head, leaves: withPaths };
  if (saved) {
    // A log shorter than the saved head has no proof to give; an empty one fails the check, as it should.
    const proof =
      saved.head.treeSize <= head.treeSize
        ? await getJson<{ proof: string[] }>(
            base,
            `/api/log/proof/consistency?from=${saved.head.treeSize}&to=${head.treeSize}`,
            fetchFn,
          )
        : null;
    evidence.saved = {
      head: saved.head,
      publicKey: saved.publicKey,
      proof: proof?.status === 200 && Array.isArray(proof.body?.proof) ? proof.body.proof : [],
    };
  }
  const checks = verifyDrawLog(opts.drawId, evidence, opts.record, sha256);
  const audit = opts.auditLog ? await auditFrom(base, head, fetchFn) : null;
  const ok = checks.every((c) => c.ok) && (audit ?? []).every((c) => c.ok);
  let savedTo: string | null = null;
  // Only a head that verified (and, with --since-head, extends the saved one) is worth remembering.
  const trustworthy = checks.filter((c) => c.id === 'head' || c.id === 'key' || c.id === 'appendOnly');
  if (opts.saveHead && trustworthy.every((c) => c.ok)) {
    const file: SavedHead = { url: base, publicKey: key.publicKey, head };
    writeFileSync(opts.saveHead, `${JSON.stringify(file, null, 2)}\n`);
    savedTo = opts.saveHead;
  }
  return {
    checks,
    ok,
    head,
    publicKey: key.publicKey,
    development: key.development === true,
    savedTo,
    audit,
  };
}
