// The profile summary over a window of a run: only the samples taken in it count, and the timeline shows
// where each step's CPU went so the window can be chosen.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { busyTimeline, summarizeProfile } from '../../bench/profile.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'fairslot-profile-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const frame = (id: number, functionName: string, url = '', children: number[] = []) => ({
  id,
  callFrame: { functionName, url, lineNumber: 0 },
  children,
});

/** 0–2 s: `fill` in src/fill.ts; 2–3 s idle; 3–5 s: `join` in src/join.ts. Samples every 100 ms. */
function writeProfile(): string {
  const nodes = [
    frame(1, '(root)', '', [2, 3, 4]),
    frame(2, 'fill', 'file:///work/main/src/fill.ts'),
    frame(3, 'join', 'file:///work/main/src/join.ts'),
    frame(4, '(idle)'),
  ];
  const samples: number[] = [];
  for (let t = 0; t < 50; t++) samples.push(t < 20 ? 2 : t < 30 ? 4 : 3);
  const file = path.join(dir, 'run.cpuprofile');
  writeFileSync(file, JSON.stringify({ nodes, samples, timeDeltas: samples.map(() => 100_000) }));
  return file;
}

describe('bench/profile.ts', () => {
  const file = writeProfile();

  it('summarises a whole run, or only the window asked for', () => {
    const whole = summarizeProfile(file);
    expect(whole).toContain('busy 4.0 s, idle 1.0 s');
    expect(whole).toMatch(/50\.0%\s+2000 ms {2}fill/);

    // Sample i is taken at (i + 1) × 0.1 s: the join's are at 3.1–5.0 s.
    const joinOnly = summarizeProfile(file, 25, { fromS: 3.05, toS: 5.05 });
    expect(joinOnly).toContain('busy 2.0 s, idle 0.0 s');
    expect(joinOnly).toMatch(/100\.0%\s+2000 ms {2}join/);
    expect(joinOnly).not.toContain('fill');
  });

  it('shows busy CPU per second of the run', () => {
    // A sample's time is the end of its gap (0.1 s, 0.2 s, …), so each second holds the samples ending in it.
    expect(busyTimeline(file).split('\n')).toEqual([
      '    0 s  0.90',
      '    1 s  1.00',
      '    2 s  0.10',
      '    3 s  0.90',
      '    4 s  1.00',
      '    5 s  0.10',
    ]);
  });
});
