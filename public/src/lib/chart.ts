// Small bar charts drawn as inline SVG: no chart library in the bundle. Drawn in a fixed coordinate box and
// scaled to the width of their container, so they stay legible from a 360 px phone to a desktop. The
// chart itself is aria-hidden: the caption next to it and a table carry the same figures in text.

const NS = 'http://www.w3.org/2000/svg';

function s<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | number> = {},
  ...children: (SVGElement | string)[]
): SVGElementTagNameMap[K] {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  for (const c of children) el.append(c);
  return el;
}

export interface BarChart {
  /** One label per bar, oldest first (the first and last are written under the axis). */
  labels: string[];
  values: (number | null)[];
  /** Optional lighter bars behind the main ones, on the same scale (e.g. offered behind used). */
  back?: (number | null)[];
  /** Fixed top of the scale (1 for rates); otherwise a round number above the largest value. */
  max?: number;
  format: (v: number) => string;
  /** Tooltip of bar i (shown on hover by desktop browsers). */
  describe: (i: number) => string;
  className?: string;
}

/** The smallest of 1, 2, 5, 10, 20, 50… that is at least v. */
export function niceMax(v: number): number {
  if (!(v > 0)) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 5, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}

const W = 320;
const H = 160;
const PAD = { left: 40, right: 8, top: 18, bottom: 24 };
const FONT = 13;

export function barChart(c: BarChart): SVGSVGElement {
  const n = c.values.length;
  const largest = Math.max(0, ...c.values.map((v) => v ?? 0), ...(c.back ?? []).map((v) => v ?? 0));
  const max = c.max ?? niceMax(largest);
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const y = (v: number) => PAD.top + plotH - (Math.min(v, max) / max) * plotH;
  const slot = plotW / Math.max(n, 1);
  const barW = Math.max(2, Math.min(28, slot * 0.7));
  const x = (i: number) => PAD.left + slot * i + (slot - barW) / 2;

  const svg = s('svg', {
    viewBox: `0 0 ${W} ${H}`,
    class: `chart ${c.className ?? ''}`.trim(),
    'aria-hidden': 'true',
    focusable: 'false',
    'font-size': FONT,
  });
  // Grid: zero, the middle (when it is a whole number or the scale is a rate) and the top.
  const ticks = [0, max];
  if (c.max !== undefined || Number.isInteger(max / 2)) ticks.splice(1, 0, max / 2);
  for (const tv of ticks) {
    svg.append(
      s('line', { x1: PAD.left, x2: W - PAD.right, y1: y(tv), y2: y(tv), class: tv === 0 ? 'axis' : 'grid' }),
      s(
        'text',
        { x: PAD.left - 5, y: y(tv) + FONT * 0.35, 'text-anchor': 'end', class: 'tick' },
        c.format(tv),
      ),
    );
  }
  // Values written above the bars while there is room for them.
  const labelled = slot >= 34;
  c.values.forEach((v, i) => {
    const g = s('g', {}, s('title', {}, c.describe(i)));
    const b = c.back?.[i];
    if (b != null && b > 0) {
      g.append(s('rect', { x: x(i), y: y(b), width: barW, height: y(0) - y(b), class: 'bar-back' }));
    }
    if (v === null) {
      g.append(s('text', { x: x(i) + barW / 2, y: y(0) - 4, 'text-anchor': 'middle', class: 'none' }, '–'));
    } else {
      // A zero still gets a sliver, so "0" and "no data" look different.
      const top = Math.min(y(v), y(0) - 1.5);
      g.append(s('rect', { x: x(i), y: top, width: barW, height: y(0) - top, class: 'bar' }));
      if (labelled) {
        g.append(
          s('text', { x: x(i) + barW / 2, y: top - 4, 'text-anchor': 'middle', class: 'value' }, c.format(v)),
        );
      }
    }
    svg.append(g);
  });
  // The first and last day under the axis (one centred label when there is a single day).
  const base = H - 6;
  if (n === 1) {
    svg.append(
      s('text', { x: x(0) + barW / 2, y: base, 'text-anchor': 'middle', class: 'tick' }, c.labels[0]!),
    );
  } else if (n > 1) {
    svg.append(
      s('text', { x: PAD.left, y: base, 'text-anchor': 'start', class: 'tick' }, c.labels[0]!),
      s('text', { x: W - PAD.right, y: base, 'text-anchor': 'end', class: 'tick' }, c.labels[n - 1]!),
    );
  }
  return svg;
}
