// What changed between two versions of an office's rules, row by row and field by field, in words.
import { h, live } from '../lib/dom.ts';
import { changeText } from './rule-words.ts';
import type { RulesChange } from './shared.ts';

type Row = Record<string, unknown>;

/** A change of one field, with the row (session, category) it belongs to as it was before. */
export interface Change extends RulesChange {
  row?: Row;
}

const isObj = (v: unknown): v is Row => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * diffRules reports a changed array (sessions, categories) as one change of the whole array; split it
 * into row and field changes so a reader sees what actually moved.
 */
export function refine(c: RulesChange): Change[] {
  if (!Array.isArray(c.from) || !Array.isArray(c.to)) return [c];
  const from = c.from as unknown[];
  const to = c.to as unknown[];
  if (!from.concat(to).every(isObj)) return [c];
  const out: Change[] = [];
  for (let i = 0; i < Math.max(from.length, to.length); i++) {
    const a = from[i] as Row | undefined;
    const b = to[i] as Row | undefined;
    if (JSON.stringify(a) === JSON.stringify(b)) continue;
    if (!a || !b) {
      out.push({ path: `${c.path}.${i}`, from: a, to: b });
      continue;
    }
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
      if (JSON.stringify(a[k]) !== JSON.stringify(b[k]))
        out.push({ path: `${c.path}.${i}.${k}`, from: a[k], to: b[k], row: a });
    }
  }
  return out;
}

/** The list of changes, each "what: before → after" in the page language (redrawn on a switch). */
export function changeList(changes: Change[]): HTMLElement {
  return h(
    'ul',
    { class: 'changes' },
    ...changes.map((c) => {
      const words = () => changeText(c, c.row);
      return h(
        'li',
        { 'data-path': c.path },
        live(() => words().what),
        live(() => (words().from !== null || words().to !== null ? ': ' : '')),
        h(
          'del',
          null,
          live(() => words().from ?? ''),
        ),
        live(() => (words().from !== null && words().to !== null ? ' → ' : '')),
        h(
          'ins',
          null,
          live(() => words().to ?? ''),
        ),
      );
    }),
  );
}
