// The draw thread ranks the list it has just frozen while the run stores that list and logs the close. The
// early ranking may be used only if the list stored is the one it ranked: when another run of the same
// draw froze its list first (its weights read a moment earlier), the draw is of the stored list.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { effectiveSeedFor } from '../../src/domain/draw-spec.ts';
import { seedDemoOffices } from '../../src/seed/demo.ts';
import { DrawComputation } from '../../src/services/draw-compute.ts';
import { DrawRunner, drawIdOf, nodeHash } from '../../src/services/draw-runner.ts';
import type { DrawStore } from '../../src/store/draws.ts';
import { bulkFillDraw } from '../support/bulk-entries.ts';
import { startTestSystem, type TestSystem } from '../support/system.ts';

let sys: TestSystem;

beforeAll(async () => {
  sys = await startTestSystem();
  await seedDemoOffices(sys.redis.client, sys.deps.offices);
});
afterAll(() => sys.stop());

/** The same list with other weights: every line's weight is 1, but for the last line's, 1000. */
function reweighed(text: string): string {
  const lines = text.split('\n').filter(Boolean);
  return `${lines
    .map((line, i) => {
      const f = line.split('\t');
      f[1] = i === lines.length - 1 ? '1000' : '1';
      return f.join('\t');
    })
    .join('\n')}\n`;
}

describe('ranking while the frozen list is stored', () => {
  it('draws the list another run stored first, not the one it ranked early', async () => {
    const office = 'medan';
    const date = '2026-12-07';
    const n = 600;
    await bulkFillDraw(sys.deps, office, date, '2026-12-09', n);
    const real = sys.deps.draws;
    let storedFirst = '';
    let own = '';
    // Another run of this draw freezes its own list just before this run's freeze arrives.
    const racing = Object.create(real, {
      freeze: {
        value: async (o: string, d: string, text: Uint8Array, digest: string, count: number) => {
          own = Buffer.from(text).toString('utf8');
          storedFirst = reweighed(own);
          const otherDigest = createHash('sha256').update(storedFirst).digest('hex');
          expect((await real.freeze(o, d, storedFirst, otherDigest, count)).status).toBe('stored');
          return real.freeze(o, d, text, digest, count);
        },
      },
    }) as DrawStore;
    const { meta } = await new DrawRunner({ ...sys.deps, draws: racing }, undefined, {
      redisUrl: sys.redis.url,
    }).run(office, date);
    expect(meta).toMatchObject({ state: 'drawn', entryCount: n });
    expect(await real.frozen(office, date)).toBe(storedFirst);

    const rules = (await sys.deps.offices.rules(office))!.rules;
    const draw = (text: string) => {
      const c = new DrawComputation({ rules, penalties: new Map(), atMs: 0 });
      c.useStored(text);
      return c.draw({
        seed: effectiveSeedFor(meta.seed, null, meta.publicEntropy, nodeHash),
        drawId: drawIdOf(office, date),
        sessions: rules.sessions,
        waitlistDepth: 0,
      }).resultsDigest;
    };
    expect(meta.resultsDigest).toBe(draw(storedFirst));
    // The list this run read itself ranks otherwise: the early ranking, had it been used, would show.
    expect(draw(own)).not.toBe(draw(storedFirst));
  });
});
