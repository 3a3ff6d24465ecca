// Same scenario and seed, same JSON: the simulated world is seeded, and so (for the run) is the entropy
// production code draws tickets and draw seeds from.
import { expect, it } from 'vitest';
import { compare } from '../../src/sim/compare.ts';
import { runFcfs } from '../../src/sim/fcfs.ts';
import { generatePopulation } from '../../src/sim/population.ts';
import { tinyScenario } from './support.ts';

it('the same seed gives the same JSON, another seed another one', async () => {
  const s = tinyScenario();
  const a = JSON.stringify(await compare(s));
  const b = JSON.stringify(await compare(s));
  expect(b).toBe(a);
  // Another seed, other people: cheap to see on the first-come side.
  const other = { ...s, seed: s.seed + 1 };
  expect(JSON.stringify(runFcfs(other, generatePopulation(other)))).not.toBe(
    JSON.stringify(runFcfs(s, generatePopulation(s))),
  );
}, 60_000);
