// Statistical tests of the draw. Every seed is fixed (seed = sha256Hex(String(i))), so these are
// deterministic: they cannot flake, and the 0.001 level only says how surprised we would be by a fair draw.
// The power check at the bottom shows the same test does reject a 30 % bias.
import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../../src/domain/draw-record.ts';
import { rankEntries } from '../../src/domain/lottery.ts';

const DRAWS = 20_000;

// ---- chi-square distribution via the regularized incomplete gamma function (Numerical Recipes 6.2) ----

function logGamma(x: number): number {
  // Lanczos approximation, g = 7, n = 9; relative error below 1e-15 for x > 0.
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const z = x - 1;
  let a = c[0]!;
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += c[i]! / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/** Q(a, x) = Γ(a, x) / Γ(a), the upper regularized incomplete gamma function. */
function gammaQ(a: number, x: number): number {
  if (x <= 0) return 1;
  const lead = Math.exp(-x + a * Math.log(x) - logGamma(a));
  if (x < a + 1) {
    // Series for P(a, x), then Q = 1 - P.
    let sum = 1 / a;
    let term = sum;
    for (let n = 1; n < 1000; n++) {
      term *= x / (a + n);
      sum += term;
      if (Math.abs(term) < Math.abs(sum) * 1e-15) break;
    }
    return 1 - sum * lead;
  }
  // Continued fraction for Q(a, x) (modified Lentz).
  const tiny = 1e-300;
  let b = x + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 1000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-15) break;
  }
  return lead * h;
}

/** P(X ≥ x) for X ~ χ²(df). */
function chiSquareSurvival(x: number, df: number): number {
  return gammaQ(df / 2, x / 2);
}

function pearson(observed: number[], expected: number[]): number {
  return observed.reduce((sum, o, i) => sum + (o - expected[i]!) ** 2 / expected[i]!, 0);
}

describe('chi-square helper', () => {
  it('reproduces tabulated critical values', () => {
    // Standard table values (e.g. NIST/SEMATECH e-Handbook, table 1.3.6.7.4).
    expect(chiSquareSurvival(27.877, 9)).toBeCloseTo(0.001, 5);
    expect(chiSquareSurvival(16.919, 9)).toBeCloseTo(0.05, 4);
    expect(chiSquareSurvival(16.266, 3)).toBeCloseTo(0.001, 5);
    expect(chiSquareSurvival(20.515, 5)).toBeCloseTo(0.001, 5);
    expect(chiSquareSurvival(3.94, 10)).toBeCloseTo(0.95, 3);
    // df = 2 has the closed form e^(-x/2).
    expect(chiSquareSurvival(3, 2)).toBeCloseTo(Math.exp(-1.5), 12);
  });
});

/** Rank `entries` under DRAWS seeds and hand each ranking (as entry indices) to `visit`. */
function simulate(weights: number[], visit: (order: Uint32Array) => void): void {
  const entries = weights.map((weight, i) => ({ ticket: `ticket-${i}`, weight }));
  for (let i = 0; i < DRAWS; i++) visit(rankEntries(sha256Hex(String(i)), 'fairness', entries));
}

describe('draw fairness', () => {
  it('equal weights: first pick and top-3 membership are uniform (chi-square, p > 0.001)', () => {
    const k = 10;
    const first = new Array<number>(k).fill(0);
    const top3 = new Array<number>(k).fill(0);
    simulate(new Array<number>(k).fill(1), (order) => {
      first[order[0]!]!++;
      for (let r = 0; r < 3; r++) top3[order[r]!]!++;
    });

    const pFirst = chiSquareSurvival(pearson(first, new Array(k).fill(DRAWS / k)), k - 1);
    expect(pFirst, `first-pick counts ${first}`).toBeGreaterThan(0.001);

    // Three winners per draw are drawn without replacement, so the counts are not multinomial and Pearson's
    // statistic would be about 7/9 of a χ²(9). Each count has variance DRAWS·s(k−s)/(k(k−1)) with s = 3
    // (hypergeometric, covariance matrix proportional to I − J/k), so dividing by that instead of the mean
    // gives an exact χ²(k − 1) in the limit.
    const s = 3;
    const variance = (DRAWS * s * (k - s)) / (k * (k - 1));
    const stat = top3.reduce((sum, o) => sum + (o - (DRAWS * s) / k) ** 2 / variance, 0);
    expect(chiSquareSurvival(stat, k - 1), `top-3 counts ${top3}`).toBeGreaterThan(0.001);
  });

  it('unequal weights: first-pick frequency is w_i / Σw within 4 binomial standard deviations', () => {
    const weights = [0.5, 1, 1.5, 2, 3, 4];
    const total = weights.reduce((a, b) => a + b, 0);
    const first = new Array<number>(weights.length).fill(0);
    simulate(weights, (order) => {
      first[order[0]!]!++;
    });
    weights.forEach((w, i) => {
      const p = w / total;
      const sigma = Math.sqrt(DRAWS * p * (1 - p));
      expect(
        Math.abs(first[i]! - DRAWS * p),
        `entry ${i} (w=${w}): ${first[i]} vs ${DRAWS * p}`,
      ).toBeLessThan(4 * sigma);
    });
    const expected = weights.map((w) => (DRAWS * w) / total);
    expect(chiSquareSurvival(pearson(first, expected), weights.length - 1)).toBeGreaterThan(0.001);
  });

  it('unequal weights: whole orderings follow successive sampling without replacement', () => {
    // P(order a, b, c) = w_a/Σ · w_b/(Σ − w_a): this checks the later ranks (the waitlist order), not just
    // the winner.
    const weights = [1, 2, 3];
    const total = 6;
    const counts = new Map<string, number>();
    simulate(weights, (order) => {
      const key = Array.from(order).join('');
      counts.set(key, (counts.get(key) ?? 0) + 1);
    });
    const perms = ['012', '021', '102', '120', '201', '210'];
    const expected = perms.map((p) => {
      const a = weights[Number(p[0])]!;
      const b = weights[Number(p[1])]!;
      return (DRAWS * a * b) / (total * (total - a));
    });
    const observed = perms.map((p) => counts.get(p) ?? 0);
    expect(chiSquareSurvival(pearson(observed, expected), perms.length - 1), `${observed}`).toBeGreaterThan(
      0.001,
    );
  });

  it('has the power to see a 30 % bias (the uniformity test rejects unequal weights)', () => {
    const k = 10;
    const first = new Array<number>(k).fill(0);
    simulate([1.3, ...new Array<number>(k - 1).fill(1)], (order) => {
      first[order[0]!]!++;
    });
    expect(chiSquareSurvival(pearson(first, new Array(k).fill(DRAWS / k)), k - 1)).toBeLessThan(0.001);
  });
});
