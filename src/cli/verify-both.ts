// Both verifiers on one published draw: the TypeScript checks (record and transparency log, as
// `npm run verify-draw`) and the independent Python verifier (verifier/verify_draw.py), each given only the
// server's URL. For the demo, which must end with MATCH from both on every draw.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { recordFacts } from '../domain/log-verify.ts';
import { type PublishedDraw, verifyPublishedDraw } from '../domain/verify.ts';
import { checkDrawLog } from './log-check.ts';

const root = path.resolve(import.meta.dirname, '../..');

export interface BothVerdicts {
  typescript: 'MATCH' | string;
  python: 'MATCH' | string;
}

function pythonVerify(url: string): Promise<string> {
  return new Promise((resolve) => {
    const child = spawn('python3', ['verifier/verify_draw.py', url], { cwd: root });
    let out = '';
    child.stdout.on('data', (b: Buffer) => {
      out += b.toString();
    });
    child.on('error', (err) => resolve(`not run (${err.message})`));
    child.on('close', () => resolve(out.trim().split('\n').at(-1) ?? 'no output'));
  });
}

export async function verifyBoth(base: string, officeId: string, drawDate: string): Promise<BothVerdicts> {
  const url = `${base}/api/draws/${encodeURIComponent(officeId)}/${encodeURIComponent(drawDate)}`;
  const res = await fetch(url);
  if (!res.ok) return { typescript: `HTTP ${res.status}`, python: `HTTP ${res.status}` };
  const draw = (await res.json()) as PublishedDraw;
  const report = verifyPublishedDraw(draw, { hash: (d) => createHash('sha256').update(d).digest() });
  const log = await checkDrawLog({ baseUrl: base, drawId: draw.drawId, record: recordFacts(draw) });
  const failed = [...report.checks, ...log.checks].filter((c) => !c.ok).map((c) => c.name);
  return {
    typescript: failed.length === 0 ? 'MATCH' : `MISMATCH: ${failed.join('; ')}`,
    python: await pythonVerify(url),
  };
}
