// The table printed at the end of a run and the results file (figure → number, plus machine and context).
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Sizes, TARGETS } from './config.ts';
import type { Results } from './context.ts';
import type { Machine } from './machine.ts';

/** Figures in table order, with their unit; anything else a figure recorded is printed after these. */
const ORDER: [string, string][] = [
  ['join_of_floor', '×'],
  ['join_of_floor_cpu', '×'],
  ['healthz_of_floor', '×'],
  ['healthz_of_floor_cpu', '×'],
  ['join_p99_half_load_ms', 'ms'],
  ['join_rps', 'req/s'],
  ['join_floor_rps', 'req/s'],
  ['healthz_rps', 'req/s'],
  ['healthz_floor_rps', 'req/s'],
  ['join_ratio', '×'],
  ['join_p99_ms', 'ms'],
  ['surge_100k_s', 's'],
  ['surge_errors', ''],
  ['surge_rps', 'req/s'],
  ['surge_ratio', '×'],
  ['draw_1m_s', 's'],
  ['draw_scan_s', 's'],
  ['draw_ratio', '×'],
  ['draw_all_offices_s', 's'],
  ['draw_all_offices_ratio', '×'],
  ['draw_scaling', '×'],
  ['cluster_join_ratio', '×'],
  ['cluster_draw_all_offices_ratio', '×'],
  ['redis_bytes_per_entry', 'B'],
  ['redis_bytes_per_group_entry', 'B'],
  ['notify_per_s', 'msg/s'],
  ['notify_noop_jobs_per_s', 'jobs/s'],
  ['notify_ratio', '×'],
  ['page_js_gzip_bytes', 'B'],
  ['join_p99_during_draw_ms', 'ms'],
  ['join_p99_during_draw_ratio', '×'],
  ['join_ratio_cpu', '×'],
];

/** Figures whose target is stated for the full size: a --quick run shows its real size and no verdict. */
function scaledSize(name: string, sizes: Sizes): string | null {
  if (name.startsWith('surge_')) return `${sizes.surge.toLocaleString('en-US')} applicants`;
  if (name.startsWith('draw_1m') || name === 'draw_scan_s' || name === 'draw_ratio')
    return `${sizes.drawEntries.toLocaleString('en-US')} entries`;
  if (name === 'draw_scaling')
    return `${sizes.scalingEntries.map((n) => n.toLocaleString('en-US')).join(' / ')} entries`;
  if (name.startsWith('cluster_'))
    return `${sizes.clusterOffices} × ${sizes.entriesPerOffice.toLocaleString('en-US')} entries`;
  if (name.startsWith('draw_all_offices'))
    return `${sizes.offices} × ${sizes.entriesPerOffice.toLocaleString('en-US')} entries`;
  if (name.startsWith('join_p99_during_draw'))
    return `draw of ${sizes.bgDrawEntries.toLocaleString('en-US')}`;
  return null;
}

const ABSOLUTE_AT_FULL_SIZE = new Set(['surge_100k_s', 'draw_1m_s', 'draw_all_offices_s']);

export function status(name: string, value: number | null | undefined): string {
  const t = TARGETS[name];
  if (!t) return '';
  if (value === null || value === undefined || Number.isNaN(value)) return 'n/a';
  return (t.op === '>=' ? value >= t.value : value <= t.value) ? 'ok' : 'MISS';
}

export function table(results: Results, sizes: Sizes, quick: boolean): string {
  const names = [
    ...ORDER.map(([n]) => n),
    ...Object.keys(results.figures).filter((n) => !ORDER.some(([o]) => o === n)),
  ];
  const unit = new Map(ORDER);
  const rows = names
    .filter((n) => n in results.figures)
    .map((n) => {
      const v = results.figures[n];
      const t = TARGETS[n];
      const scaled = quick ? scaledSize(n, sizes) : null;
      const shown =
        v === null || v === undefined ? 'null' : `${v.toLocaleString('en-US')} ${unit.get(n) ?? ''}`.trim();
      return [
        n,
        scaled ? `${shown} (${scaled})` : shown,
        t ? `${t.op} ${t.value.toLocaleString('en-US')}` : '',
        scaled && ABSOLUTE_AT_FULL_SIZE.has(n) ? 'scaled' : status(n, v),
      ];
    });
  const head = ['figure', 'value', 'target', ''];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

export function writeResults(
  file: string,
  results: Results,
  context: { machine: Machine; mode: 'full' | 'quick'; sizes: Sizes; runtimeSeconds: number },
): void {
  const out = {
    ...results.figures,
    machine: context.machine,
    mode: context.mode,
    runtime_s: context.runtimeSeconds,
    sizes: context.sizes,
    details: results.details,
    notes: results.notes,
  };
  writeFileSync(file, `${JSON.stringify(out, null, 2)}\n`);
}

/** `tsx bench/report.ts bench/results.json`: the table of a saved run, e.g. for docs/performance.md. */
if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const file = process.argv[2] ?? 'bench/results.json';
  const saved = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown> & {
    mode: 'full' | 'quick';
    sizes: Sizes;
    notes?: string[];
  };
  const figures: Record<string, number | null> = {};
  for (const [k, v] of Object.entries(saved))
    if (typeof v === 'number' || v === null) figures[k] = v as number | null;
  delete figures.runtime_s;
  console.log(table({ figures, details: {}, notes: [] }, saved.sizes, saved.mode === 'quick'));
}
