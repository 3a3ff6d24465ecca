// `tsx bench/chart.ts [bench/results.json] [docs/draw-scaling.svg]`: the draw_scaling points of a saved run
// as an SVG chart (plain SVG text, no library): draw time and memory against entries, entries on a log
// scale. Left axis: seconds (draw time). Right axis: MB (the entries in Redis, and the rise of the drawing
// process's resident memory during the draw). docs/performance.md embeds the file.
import { readFileSync, writeFileSync } from 'node:fs';
import type { ScalingPoint } from './figures/draw-scaling.ts';

const W = 640;
const H = 360;
const M = { left: 64, right: 72, top: 40, bottom: 56 };
const PW = W - M.left - M.right;
const PH = H - M.top - M.bottom;

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
const fmt = (n: number) =>
  n >= 1e6 ? `${n / 1e6}M` : n >= 1e3 ? `${n / 1e3}k` : String(Math.round(n * 100) / 100);

/** Round numbers for an axis from 0 to at least max: 4–6 ticks of 1, 2 or 5 × 10^k. */
function ticks(max: number): number[] {
  const raw = max / 5;
  const mag = 10 ** Math.floor(Math.log10(raw || 1));
  const step = [1, 2, 5, 10].map((f) => f * mag).find((s) => s >= raw) ?? 10 * mag;
  const out: number[] = [];
  for (let v = 0; v <= max + step * 0.999; v += step) out.push(Math.round(v * 1e6) / 1e6);
  return out;
}

export function scalingChart(points: ScalingPoint[], caption: string): string {
  const xs = points.map((p) => p.entries);
  const lx0 = Math.log10(Math.min(...xs)) - 0.15;
  const lx1 = Math.log10(Math.max(...xs)) + 0.15;
  const r1 = (v: number) => Math.round(v * 10) / 10;
  const x = (n: number) => r1(M.left + ((Math.log10(n) - lx0) / (lx1 - lx0)) * PW);
  const tTicks = ticks(Math.max(...points.map((p) => p.drawSeconds)));
  const mTicks = ticks(Math.max(...points.flatMap((p) => [p.redisMb, p.rssRiseMb])));
  const tMax = tTicks[tTicks.length - 1]!;
  const mMax = mTicks[mTicks.length - 1]!;
  const yT = (v: number) => r1(M.top + PH - (v / tMax) * PH);
  const yM = (v: number) => r1(M.top + PH - (v / mMax) * PH);
  const series = [
    { name: 'draw time (s, left)', color: '#1f5fa8', y: (p: ScalingPoint) => yT(p.drawSeconds) },
    { name: 'entries in Redis (MB, right)', color: '#b5502a', y: (p: ScalingPoint) => yM(p.redisMb) },
    { name: 'draw process RSS rise (MB, right)', color: '#3c8a3c', y: (p: ScalingPoint) => yM(p.rssRiseMb) },
  ];
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" font-family="sans-serif" font-size="12">`,
    `<title>${esc(caption)}</title>`,
    `<rect width="${W}" height="${H}" fill="#fff"/>`,
    `<text x="${W / 2}" y="20" text-anchor="middle" font-size="14">${esc(caption)}</text>`,
    `<line x1="${M.left}" y1="${M.top + PH}" x2="${M.left + PW}" y2="${M.top + PH}" stroke="#333"/>`,
    `<line x1="${M.left}" y1="${M.top}" x2="${M.left}" y2="${M.top + PH}" stroke="#333"/>`,
    `<line x1="${M.left + PW}" y1="${M.top}" x2="${M.left + PW}" y2="${M.top + PH}" stroke="#333"/>`,
  ];
  for (const n of xs) {
    out.push(
      `<line x1="${x(n)}" y1="${M.top + PH}" x2="${x(n)}" y2="${M.top + PH + 5}" stroke="#333"/>`,
      `<text x="${x(n)}" y="${M.top + PH + 18}" text-anchor="middle">${fmt(n)}</text>`,
    );
  }
  out.push(`<text x="${M.left + PW / 2}" y="${H - 12}" text-anchor="middle">entries (log scale)</text>`);
  for (const v of tTicks) {
    out.push(
      `<line x1="${M.left}" y1="${yT(v)}" x2="${M.left + PW}" y2="${yT(v)}" stroke="#eee"/>`,
      `<text x="${M.left - 6}" y="${yT(v) + 4}" text-anchor="end">${fmt(v)}</text>`,
    );
  }
  for (const v of mTicks) out.push(`<text x="${M.left + PW + 6}" y="${yM(v) + 4}">${fmt(v)}</text>`);
  out.push(
    `<text transform="translate(16 ${M.top + PH / 2}) rotate(-90)" text-anchor="middle">seconds</text>`,
    `<text transform="translate(${W - 14} ${M.top + PH / 2}) rotate(90)" text-anchor="middle">MB</text>`,
  );
  series.forEach((s, i) => {
    const pts = points.map((p) => `${x(p.entries).toFixed(1)},${s.y(p).toFixed(1)}`).join(' ');
    out.push(`<polyline points="${pts}" fill="none" stroke="${s.color}" stroke-width="2"/>`);
    for (const p of points)
      out.push(
        `<circle cx="${x(p.entries).toFixed(1)}" cy="${s.y(p).toFixed(1)}" r="3.5" fill="${s.color}"/>`,
      );
    const ly = M.top + 8 + i * 16;
    out.push(
      `<line x1="${M.left + 12}" y1="${ly}" x2="${M.left + 32}" y2="${ly}" stroke="${s.color}" stroke-width="2"/>`,
      `<text x="${M.left + 38}" y="${ly + 4}">${esc(s.name)}</text>`,
    );
  });
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}

const [input = 'bench/results.json', output = 'docs/draw-scaling.svg'] = process.argv.slice(2);
const saved = JSON.parse(readFileSync(input, 'utf8')) as {
  draw_scaling?: number;
  mode?: string;
  machine?: { cpus?: number; model?: string };
  details?: { draw_scaling?: { points: ScalingPoint[] } };
};
const points = saved.details?.draw_scaling?.points;
if (!points?.length) {
  console.error(`${input} has no draw_scaling points; run the bench with the draw_scaling figure first`);
  process.exit(1);
}
const caption =
  `Draw time and memory against entries (${saved.mode} run, ${saved.machine?.cpus} × ` +
  `${saved.machine?.model}; draw_scaling ${saved.draw_scaling})`;
writeFileSync(output, scalingChart(points, caption));
console.log(`wrote ${output}`);
