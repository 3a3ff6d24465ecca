// A self-contained HTML report: the table, four inline SVG charts and the scenario itself. No scripts, fonts
// or images from elsewhere, so it opens from disk, mails as one file and passes a strict CSP.
import type { Comparison } from './compare.ts';
import type { DayTally, PolicyOutcome } from './outcome.ts';
import type { Scenario } from './scenario.ts';
import { ROWS } from './table.ts';

const COLORS = { fcfs: '#c0392b', fairslot: '#1f7a4d' } as const;
const LABELS = { fcfs: 'first-come', fairslot: 'fairslot' } as const;
type Policy = keyof typeof COLORS;
const POLICIES: Policy[] = ['fcfs', 'fairslot'];

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

const pct = (x: number) => `${Math.round(x * 100)}%`;

function legend(x: number, y: number): string {
  return POLICIES.map(
    (p, i) =>
      `<rect x="${x + i * 120}" y="${y - 10}" width="12" height="12" fill="${COLORS[p]}"/>` +
      `<text x="${x + i * 120 + 18}" y="${y}">${LABELS[p]}</text>`,
  ).join('');
}

/** Horizontal bars, two per measure (one per policy), on a 0..100% scale. */
function shareBars(c: Comparison): string {
  const measures: [string, (p: PolicyOutcome) => number][] = [
    ['slots held', (p) => p.slotsHeldShare],
    ['slots used by people who came', (p) => p.slotsUsedShare],
    ['held slots held by brokers', (p) => p.brokerSlotShare],
    ["brokers' share of requests", (p) => p.brokerDemandShare],
    ['genuine applicants served', (p) => p.servedShare],
  ];
  const left = 230;
  const width = 360;
  const rowH = 44;
  const h = measures.length * rowH + 40;
  const bars = measures
    .map(([label, f], i) => {
      const y = 30 + i * rowH;
      const pair = POLICIES.map((p, j) => {
        const v = f(c[p]);
        const w = Math.max(1, v * width);
        const by = y + j * 17;
        return (
          `<rect x="${left}" y="${by}" width="${w.toFixed(1)}" height="14" fill="${COLORS[p]}"/>` +
          `<text x="${left + w + 6}" y="${by + 11}">${pct(v)}</text>`
        );
      }).join('');
      return `<text x="${left - 8}" y="${y + 20}" text-anchor="end">${esc(label)}</text>${pair}`;
    })
    .join('');
  return svg(640, h, `${legend(left, 16)}${bars}`, 'Shares of slots and requests');
}

/** Win rate of each arrival quartile; flat bars mean arriving early or late made no difference. */
function quartileBars(c: Comparison): string {
  const x0 = 60;
  const base = 220;
  const height = 180;
  const groupW = 130;
  const axis = [0, 0.25, 0.5, 0.75, 1]
    .map((t) => {
      const y = base - t * height;
      return `<line x1="${x0}" x2="${x0 + 4 * groupW}" y1="${y}" y2="${y}" stroke="#ddd"/><text x="${x0 - 6}" y="${y + 4}" text-anchor="end">${pct(t)}</text>`;
    })
    .join('');
  const bars = [0, 1, 2, 3]
    .map((q) => {
      const gx = x0 + q * groupW + 20;
      const pair = POLICIES.map((p, j) => {
        const v = c[p].winRateByArrivalQuartile[q]!;
        const hgt = v * height;
        return `<rect x="${gx + j * 42}" y="${(base - hgt).toFixed(1)}" width="38" height="${Math.max(1, hgt).toFixed(1)}" fill="${COLORS[p]}"/><text x="${gx + j * 42 + 19}" y="${(base - hgt - 4).toFixed(1)}" text-anchor="middle">${pct(v)}</text>`;
      }).join('');
      const names = ['1st (earliest)', '2nd', '3rd', '4th (latest)'];
      return `${pair}<text x="${gx + 40}" y="${base + 18}" text-anchor="middle">${names[q]}</text>`;
    })
    .join('');
  return svg(640, 260, `${legend(x0, 16)}${axis}${bars}`, 'Win rate by arrival quartile within each round');
}

/** Per service day: share of capacity used (solid) and held by brokers (dashed). */
function dailyLines(c: Comparison): string {
  const x0 = 60;
  const base = 250;
  const height = 200;
  const width = 540;
  const dates = [...new Set([...c.fcfs.daily, ...c.fairslot.daily].map((d) => d.date))].sort();
  const xOf = (date: string) =>
    x0 + (dates.length <= 1 ? 0 : (dates.indexOf(date) / (dates.length - 1)) * width);
  const yOf = (v: number) => base - v * height;
  const path = (rows: DayTally[], f: (d: DayTally) => number) =>
    rows
      .filter((d) => d.capacity > 0)
      .map((d, i) => `${i === 0 ? 'M' : 'L'}${xOf(d.date).toFixed(1)},${yOf(f(d)).toFixed(1)}`)
      .join(' ');
  const axis = [0, 0.25, 0.5, 0.75, 1]
    .map(
      (t) =>
        `<line x1="${x0}" x2="${x0 + width}" y1="${yOf(t)}" y2="${yOf(t)}" stroke="#ddd"/><text x="${x0 - 6}" y="${yOf(t) + 4}" text-anchor="end">${pct(t)}</text>`,
    )
    .join('');
  const ticks = dates
    .filter((_, i) => i % Math.max(1, Math.ceil(dates.length / 6)) === 0)
    .map((d) => `<text x="${xOf(d)}" y="${base + 18}" text-anchor="middle">${d.slice(5)}</text>`)
    .join('');
  const lines = POLICIES.map(
    (p) =>
      `<path d="${path(c[p].daily, (d) => d.used / d.capacity)}" fill="none" stroke="${COLORS[p]}" stroke-width="2"/>` +
      `<path d="${path(c[p].daily, (d) => d.brokerHeld / d.capacity)}" fill="none" stroke="${COLORS[p]}" stroke-width="2" stroke-dasharray="5 4"/>`,
  ).join('');
  const note = `<text x="${x0}" y="36">solid: used by people who came · dashed: held by brokers</text>`;
  return svg(
    640,
    280,
    `${legend(x0, 16)}${note}${axis}${ticks}${lines}`,
    'Each service day, as a share of capacity',
  );
}

/** Median and 95th percentile wait of genuine applicants. */
function waitBars(c: Comparison): string {
  const left = 150;
  const width = 400;
  const max = Math.max(1, ...POLICIES.flatMap((p) => [c[p].waitMedianDays, c[p].waitP95Days]));
  const rows: [string, (p: PolicyOutcome) => number][] = [
    ['median', (p) => p.waitMedianDays],
    ['95th percentile', (p) => p.waitP95Days],
  ];
  const bars = rows
    .map(([label, f], i) => {
      const y = 30 + i * 48;
      return (
        `<text x="${left - 8}" y="${y + 20}" text-anchor="end">${label}</text>` +
        POLICIES.map((p, j) => {
          const v = f(c[p]);
          const w = Math.max(1, (v / max) * width);
          return `<rect x="${left}" y="${y + j * 17}" width="${w.toFixed(1)}" height="14" fill="${COLORS[p]}"/><text x="${left + w + 6}" y="${y + j * 17 + 11}">${v} days</text>`;
        }).join('')
      );
    })
    .join('');
  return svg(
    640,
    140,
    `${legend(left, 16)}${bars}`,
    'Wait from deciding to apply to the appointment (genuine applicants)',
  );
}

function svg(w: number, h: number, body: string, title: string): string {
  return `<figure><figcaption>${esc(title)}</figcaption><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${w} ${h}" width="${w}" height="${h}" role="img" aria-label="${esc(title)}">${body}</svg></figure>`;
}

export function htmlReport(s: Scenario, c: Comparison, meta: { seconds: number }): string {
  const rows = ROWS.map(
    (r) =>
      `<tr><th>${esc(r.label)}</th><td>${esc(r.value(c.fcfs))}</td><td>${esc(r.value(c.fairslot))}</td></tr>`,
  ).join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>fairslot simulation: ${esc(s.name)}</title>
<style>
body{font:15px/1.5 system-ui,sans-serif;max-width:720px;margin:2rem auto;padding:0 1rem;color:#222}
table{border-collapse:collapse;width:100%}th,td{padding:.3rem .5rem;border-bottom:1px solid #eee}
th{text-align:left;font-weight:normal}td{text-align:right;font-variant-numeric:tabular-nums}
thead th{font-weight:bold}figure{margin:2rem 0}figcaption{font-weight:bold;margin-bottom:.5rem}
svg{max-width:100%;height:auto;font:12px system-ui,sans-serif}pre{background:#f6f6f6;padding:1rem;overflow:auto;font-size:12px}
</style></head><body>
<h1>First-come booking vs fairslot</h1>
<p><strong>${esc(s.name)}</strong>: seed ${s.seed}, ${s.days} days from ${esc(s.startDate)}, ${s.offices.length} offices; simulated in ${meta.seconds.toFixed(1)} s.</p>
${s.description ? `<p>${esc(s.description)}</p>` : ''}
<table><thead><tr><th></th><th>first-come</th><th>fairslot</th></tr></thead><tbody>${rows}</tbody></table>
${shareBars(c)}
${quartileBars(c)}
${dailyLines(c)}
${waitBars(c)}
<p>Waits of applicants who never got an appointment count until they gave up or the run ended (a lower bound).
Definitions and assumptions: docs/simulation.md.</p>
<h2>Scenario</h2>
<pre>${esc(JSON.stringify(s, null, 2))}</pre>
</body></html>
`;
}
