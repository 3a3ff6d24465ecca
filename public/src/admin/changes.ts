import type { RulesChange } from './shared.ts';

export const show = (v: unknown) => {
  const s = v === undefined ? '∅' : JSON.stringify(v);
  return s.length > 160 ? `${s.slice(0, 160)}…` : s;
};

const isObj = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * diffRules reports a changed array (sessions, categories) as one change of the whole array; split it
 * into row and field changes ("sessions.0.capacity: 50 → 60") so a reader sees what actually moved.
 */
export function refine(c: RulesChange): RulesChange[] {
  if (!Array.isArray(c.from) || !Array.isArray(c.to)) return [c];
  const from = c.from as unknown[];
  const to = c.to as unknown[];
  if (!from.concat(to).every(isObj)) return [c];
  const out: RulesChange[] = [];
  for (let i = 0; i < Math.max(from.length, to.length); i++) {
    const a = from[i] as Record<string, unknown> | undefined;
    const b = to[i] as Record<string, unknown> | undefined;
    if (JSON.stringify(a) === JSON.stringify(b)) continue;
    if (!a || !b) {
      out.push({ path: `${c.path}.${i}`, from: a, to: b });
      continue;
    }
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
      if (JSON.stringify(a[k]) !== JSON.stringify(b[k]))
        out.push({ path: `${c.path}.${i}.${k}`, from: a[k], to: b[k] });
    }
  }
  return out;
}
