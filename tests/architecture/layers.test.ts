// The shape of the source tree, enforced: which layer of src/ may import which (the table in
// docs/architecture.md, "Layers and imports"), no import cycle between layers, and no source file over
// 500 lines in src/ or public/src/.
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { disallowed, findCycle, layerEdges, listFiles, longFiles } from './import-graph.ts';
import { ALLOWED } from './layers.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const SRC = resolve(ROOT, 'src');

describe('layers', () => {
  const edges = layerEdges(SRC);

  it('reads the imports of the tree (the check sees real edges)', () => {
    expect(edges.some((e) => e.from === 'services' && e.to === 'store')).toBe(true);
    expect(edges.some((e) => e.from === 'main' && e.to === 'workers/')).toBe(true);
  });

  it('imports only what the layer table allows', () => {
    expect(disallowed(edges, ALLOWED)).toEqual([]);
  });

  it('has no import cycle between layers', () => {
    expect(findCycle(edges)).toBeNull();
  });

  it('keeps every source file of src/ and public/src/ at 500 lines or fewer', () => {
    const files = [
      ...listFiles(SRC, ['.ts', '.mjs', '.lua']),
      ...listFiles(resolve(ROOT, 'public/src'), ['.ts', '.css', '.html']),
    ];
    expect(files.length).toBeGreaterThan(100);
    expect(longFiles(files, 500).map((f) => `${f.file.slice(ROOT.length + 1)}: ${f.lines}`)).toEqual([]);
  });
});

describe('the checks themselves', () => {
  it('find a cycle, and only a cycle', () => {
    const e = (from: string, to: string) => ({ from, to });
    expect(findCycle([e('api', 'services'), e('services', 'store')])).toBeNull();
    expect(findCycle([e('api', 'services'), e('services', 'deps'), e('deps', 'services')])).toEqual([
      'services',
      'deps',
      'services',
    ]);
    expect(findCycle([e('a', 'b'), e('b', 'c'), e('c', 'a')])).toEqual(['a', 'b', 'c', 'a']);
  });

  it('refuse an edge the table lacks and a layer it does not know', () => {
    const edge = (from: string, to: string) => ({ from, to, example: `${from}/x.ts imports ../${to}/y.ts` });
    expect(disallowed([edge('domain', 'store')], ALLOWED)).toEqual([
      'domain may not import store (domain/x.ts imports ../store/y.ts)',
    ]);
    expect(disallowed([edge('reports', 'store')], ALLOWED)).toHaveLength(1);
    expect(disallowed([edge('services', 'store')], ALLOWED)).toEqual([]);
  });
});
