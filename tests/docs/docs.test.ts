// The documentation stays a description of the present: docs/ under 60 KB in all, every doc linked from
// the README with what it answers, and no file of the repository narrating its own history of work
// (that belongs to git and CHANGELOG.md).
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(new URL('../..', import.meta.url).pathname);
const DOCS = path.join(ROOT, 'docs');

/** Phrases of a lab notebook: work sessions by number, the host of a run, runs by their standing. */
const NARRATION: RegExp[] = [
  // Work sessions by number ("in session 5", "session 7's runs", "sessions 3–6"), not an office's sessions
  // ("Session 1 (08.00–10.00)", "session 10:00–12:00").
  /\b(in|of|from|since|before|after|this|last|earlier|previous|until) sessions? [0-9]+(?![0-9:.])/i,
  /\bsessions? [0-9]+(['’]s\b|–[0-9]+\b)/i,
  /\bthis host\b/i,
  /\b(earlier|previous|committed|last) (full )?runs?\b/i,
  /\b(before|after) (this|the) (change|fix)\b/i,
];

const IMAGE = /\.(png|jpe?g|gif|svg|webp|ico)$/;

/** Files whose job is history, that hold third-party text, or that name the phrases (this one). */
const EXEMPT = new Set(['CHANGELOG.md', 'package-lock.json', 'tests/docs/docs.test.ts']);

function repositoryFiles(): string[] {
  const out = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  return out
    .split('\n')
    .filter(Boolean)
    .filter((f) => !EXEMPT.has(f) && !f.endsWith('.json') && !IMAGE.test(f) && !f.endsWith('.woff2'));
}

describe('documentation', () => {
  it('the documents in docs/ hold under 60 KB in all', () => {
    // Text only: screenshots the pages' tests write under docs/screenshots/ are pictures, not reading.
    const documents = readdirSync(DOCS, { recursive: true, encoding: 'utf8' }).filter(
      (f) => statSync(path.join(DOCS, f)).isFile() && !IMAGE.test(f),
    );
    const total = documents.reduce((sum, f) => sum + statSync(path.join(DOCS, f)).size, 0);
    expect(total).toBeGreaterThan(0);
    expect(total).toBeLessThan(60 * 1024);
  });

  it('the README links every doc with a line on what it answers', () => {
    const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    for (const f of readdirSync(DOCS).filter((n) => n.endsWith('.md'))) {
      const line = readme.split('\n').find((l) => l.includes(`](docs/${f})`));
      expect(line, `README links docs/${f}`).toBeDefined();
      expect(
        line!.replace(/\[.*?\]\(.*?\)/, '').trim().length,
        `a line on what docs/${f} answers`,
      ).toBeGreaterThan(20);
    }
  });

  it('no file narrates the history of its own work', () => {
    const hits: string[] = [];
    for (const f of repositoryFiles()) {
      let text: string;
      try {
        text = readFileSync(path.join(ROOT, f), 'utf8');
      } catch {
        continue; // deleted in the working tree
      }
      text.split('\n').forEach((line, i) => {
        if (NARRATION.some((re) => re.test(line))) hits.push(`${f}:${i + 1}: ${line.trim().slice(0, 100)}`);
      });
    }
    expect(hits).toEqual([]);
  });
});
