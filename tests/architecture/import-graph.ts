// Reads the import statements of the source tree and checks them against the layering of
// docs/architecture.md ("Layers and imports"). Kept apart from the test so the checks themselves can be
// tested on small made-up graphs.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

/** Files under a directory whose names end in one of the extensions, recursively. */
export function listFiles(dir: string, exts: readonly string[]): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...listFiles(p, exts));
    else if (exts.some((e) => name.endsWith(e))) out.push(p);
  }
  return out.sort();
}

/** Comments out, strings kept: an import named in a comment is no import. */
function stripComments(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
}

const STATIC = /^(?:import|export)\b[^;]*?\bfrom\s*['"]([^'"]+)['"]/gm;
const BARE = /^import\s*['"]([^'"]+)['"]/gm;
const DYNAMIC = /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;

/** Every module specifier a source file imports or re-exports, type-only imports included. */
export function importSpecifiers(source: string): string[] {
  const s = stripComments(source);
  return [...s.matchAll(STATIC), ...s.matchAll(BARE), ...s.matchAll(DYNAMIC)].map((m) => m[1]!);
}

/**
 * The layer a file of src/ belongs to: its top folder (src/store/entries/join.ts → store), or for a file
 * directly in src/ its own name (src/deps.ts → deps). Anything outside src/ is named by its top folder
 * with a slash (workers/, tests/).
 */
export function layerOf(srcRoot: string, file: string): string {
  const rel = relative(srcRoot, file);
  if (rel.startsWith('..')) return `${relative(dirname(srcRoot), file).split(sep)[0]}/`;
  const parts = rel.split(sep);
  return parts.length === 1 ? parts[0]!.replace(/\.[^.]+$/, '') : parts[0]!;
}

export interface Edge {
  from: string;
  to: string;
  /** One file import that makes the edge, for the error message. */
  example: string;
}

/** Layer-to-layer edges of the relative imports under srcRoot (packages are not layers). */
export function layerEdges(srcRoot: string): Edge[] {
  const edges = new Map<string, Edge>();
  for (const file of listFiles(srcRoot, ['.ts', '.mjs'])) {
    const from = layerOf(srcRoot, file);
    for (const spec of importSpecifiers(readFileSync(file, 'utf8'))) {
      if (!spec.startsWith('.')) continue;
      const to = layerOf(srcRoot, resolve(dirname(file), spec));
      if (to === from) continue;
      const key = `${from}>${to}`;
      if (!edges.has(key))
        edges.set(key, { from, to, example: `${relative(srcRoot, file)} imports ${spec}` });
    }
  }
  return [...edges.values()];
}

/** A cycle of layers (first = last), or null. Depth-first search over the edges. */
export function findCycle(edges: readonly Pick<Edge, 'from' | 'to'>[]): string[] | null {
  const next = new Map<string, string[]>();
  for (const e of edges) next.set(e.from, [...(next.get(e.from) ?? []), e.to]);
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (n: string): string[] | null => {
    if (state.get(n) === 'done') return null;
    if (state.get(n) === 'open') return [...path.slice(path.indexOf(n)), n];
    state.set(n, 'open');
    path.push(n);
    for (const m of (next.get(n) ?? []).sort()) {
      const found = visit(m);
      if (found) return found;
    }
    path.pop();
    state.set(n, 'done');
    return null;
  };
  for (const n of [...next.keys()].sort()) {
    const found = visit(n);
    if (found) return found;
  }
  return null;
}

/** Edges the table does not allow, and layers it does not know (a new folder needs a row). */
export function disallowed(
  edges: readonly Edge[],
  allowed: Readonly<Record<string, readonly string[]>>,
): string[] {
  const out: string[] = [];
  for (const e of edges) {
    const row = allowed[e.from];
    if (!row) out.push(`${e.from} is not in the table (${e.example})`);
    else if (!row.includes(e.to)) out.push(`${e.from} may not import ${e.to} (${e.example})`);
  }
  return out.sort();
}

/** Files with more lines than the limit, with their counts. */
export function longFiles(files: readonly string[], limit: number): { file: string; lines: number }[] {
  return files
    .map((file) => ({ file, lines: readFileSync(file, 'utf8').split('\n').length - 1 }))
    .filter((f) => f.lines > limit);
}
